import { type Kysely, sql } from 'kysely'

/**
 * Finance corrections (docs/decisions/0016).
 *
 * - authorities: the invoice settings each authority sets at
 *   /la/admin/settings (bank details, remittance address and email, days to
 *   pay), beside its VAT number.
 * - invoices: who wrote an invoice off or voided it, when and why.
 * - refunds: money given back, always a positive row of its own (never a
 *   negative allocation): either what was unallocated on a payment
 *   (invoice_id null), or the part of a credit note that an invoice had
 *   already been paid (a posted journal, a BACS payment), which then no
 *   longer counts as paid on it. A journal's refund goes out in the credit
 *   note's journal.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
alter table authorities
  add column bank_name text,
  add column bank_sort_code text check (bank_sort_code ~ '^[0-9]{6}$'),
  add column bank_account_number text check (bank_account_number ~ '^[0-9]{8}$'),
  add column bank_account_name text,
  add column remittance_address text,
  add column remittance_email text,
  add column days_to_pay integer not null default 30 check (days_to_pay between 1 and 120),
  add column settings_updated_at timestamptz,
  add column settings_updated_by uuid;

alter table invoices
  add column written_off_at timestamptz,
  add column written_off_by uuid,
  add column written_off_reason text,
  add column voided_at timestamptz,
  add column voided_by uuid,
  add column void_reason text;

create table refunds (
  authority_id uuid not null references authorities(id),
  id uuid not null default gen_random_uuid(),
  payment_id uuid not null,
  invoice_id uuid,
  credit_note_id uuid,
  journal_id uuid,
  amount_pence bigint not null check (amount_pence > 0),
  reason text not null,
  refunded_on date not null,
  recorded_by uuid,
  created_at timestamptz not null default now(),
  primary key (authority_id, id),
  foreign key (authority_id, payment_id) references payments (authority_id, id),
  foreign key (authority_id, invoice_id) references invoices (authority_id, id),
  foreign key (authority_id, credit_note_id) references credit_notes (authority_id, id)
);
create index refunds_payment_idx on refunds (authority_id, payment_id);
create index refunds_invoice_idx on refunds (authority_id, invoice_id) where invoice_id is not null;
`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
drop table refunds;
alter table invoices
  drop column written_off_at, drop column written_off_by, drop column written_off_reason,
  drop column voided_at, drop column voided_by, drop column void_reason;
alter table authorities
  drop column bank_name, drop column bank_sort_code, drop column bank_account_number, drop column bank_account_name,
  drop column remittance_address, drop column remittance_email, drop column days_to_pay,
  drop column settings_updated_at, drop column settings_updated_by;
`.execute(db)
}
