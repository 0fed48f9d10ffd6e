import { type Kysely, sql } from 'kysely'

/**
 * Consolidated trust invoices (issue 16, docs/decisions/0036): a trust that
 * chose consolidated invoicing gets one invoice per trust order, addressed
 * to the trust (its address, its PO, its own Stripe customer), each line
 * naming the member school it is for. Such an invoice has a trust and no
 * school; every other invoice has a school and no trust. A maintained
 * school's lines are still journalled on the school.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
alter table trusts add column stripe_customer_id text;

alter table invoices
  alter column school_id drop not null,
  add column trust_id uuid,
  add column trust_order_id uuid,
  add constraint invoices_trust_fk foreign key (authority_id, trust_id) references trusts (authority_id, id),
  add constraint invoices_trust_order_fk foreign key (authority_id, trust_order_id) references trust_orders (authority_id, id),
  add constraint invoices_one_payer check ((school_id is null) <> (trust_id is null)),
  add constraint invoices_trust_invoice_is_invoiced check (trust_id is null or (route = 'invoice' and trust_order_id is not null));
create index invoices_trust_idx on invoices (authority_id, trust_id, issued_at desc) where trust_id is not null;

alter table invoice_lines
  add column school_id uuid,
  add constraint invoice_lines_school_fk foreign key (authority_id, school_id) references schools (authority_id, id);
create index invoice_lines_school_idx on invoice_lines (authority_id, school_id) where school_id is not null;
`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
drop index invoice_lines_school_idx;
alter table invoice_lines drop constraint invoice_lines_school_fk, drop column school_id;
drop index invoices_trust_idx;
alter table invoices drop constraint invoices_trust_invoice_is_invoiced, drop constraint invoices_one_payer,
  drop constraint invoices_trust_order_fk, drop constraint invoices_trust_fk, drop column trust_order_id, drop column trust_id;
alter table invoices alter column school_id set not null;
alter table trusts drop column stripe_customer_id;
`.execute(db)
}
