import { type Kysely, sql } from 'kysely'

/**
 * Invoicing, Stripe and reconciliation (docs/decisions/0009).
 *
 * - Every invoice line and credit note carries the key of what it charges or
 *   credits (`line:<id>:annual`, `line:<id>:term-2`, `line:<id>:delivery:2026-10`,
 *   `line:<id>:late-fee`, `credit:<invoice line id>`), unique per authority:
 *   whatever runs twice or at once, a thing is never invoiced or credited twice.
 * - An invoice is `credited` when credit notes cover all of it.
 * - The Stripe side of an invoice or credit note moves through
 *   `pending` → `sent` (or stays `not_configured` without a Stripe key);
 *   each step's progress is kept so that a retried job resumes.
 * - Stripe events are stored by id and applied once. Payouts and their
 *   balance transactions are kept for reconciliation.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
alter table invoices drop constraint if exists invoices_status_check;
alter table invoices add constraint invoices_status_check check (status in ('open', 'paid', 'credited', 'void', 'uncollectible'));
alter table invoices
  add column stripe_status text not null default 'not_applicable'
    check (stripe_status in ('not_applicable', 'not_configured', 'pending', 'sent')),
  add column stripe_items_added_at timestamptz,
  add column stripe_finalized_at timestamptz,
  add column stripe_sent_at timestamptz,
  add column last_payment_error text,
  add column period_label text;
alter table invoices add constraint invoices_settled_check check (amount_credited_pence <= gross_pence);
create index invoices_journal_idx on invoices (authority_id, journal_id) where journal_id is not null;
create index invoices_open_due_idx on invoices (authority_id, due_on) where status in ('open', 'uncollectible');

alter table invoice_lines add column charge_key text;
create unique index invoice_lines_charge_key_idx on invoice_lines (authority_id, charge_key) where charge_key is not null;
create index invoice_lines_order_line_idx on invoice_lines (authority_id, order_line_id) where order_line_id is not null;

alter table credit_notes
  add column credit_key text,
  add column invoice_line_id uuid,
  add column journal_id uuid,
  add column stripe_status text not null default 'not_applicable'
    check (stripe_status in ('not_applicable', 'not_configured', 'pending', 'sent')),
  add constraint credit_notes_invoice_line_fk foreign key (authority_id, invoice_line_id) references invoice_lines (authority_id, id),
  add constraint credit_notes_journal_fk foreign key (authority_id, journal_id) references recharge_journals (authority_id, id);
create unique index credit_notes_credit_key_idx on credit_notes (authority_id, credit_key) where credit_key is not null;
create index credit_notes_journal_idx on credit_notes (authority_id, journal_id) where journal_id is not null;

alter table payments
  add column stripe_invoice_id text,
  add column stripe_payment_intent_id text,
  add column note text;
create unique index payments_stripe_invoice_idx on payments (authority_id, stripe_invoice_id) where stripe_invoice_id is not null;
create index payments_payment_intent_idx on payments (stripe_payment_intent_id) where stripe_payment_intent_id is not null;
create unique index payments_journal_idx on payments (authority_id, journal_id) where journal_id is not null;

-- Every Stripe event received, by Stripe's id: applied once, in any order.
-- Deployment-wide (one Stripe account per deployment), like pg-boss's tables;
-- authority_id says whose invoice it concerned once known.
create table stripe_events (
  id text primary key,
  type text not null,
  authority_id uuid references authorities(id),
  stripe_created_at timestamptz not null,
  received_at timestamptz not null default now(),
  applied_at timestamptz,
  outcome text,
  payload jsonb not null
);
create index stripe_events_received_idx on stripe_events (received_at desc);

-- A payout from Stripe to the authority's bank, and the balance transactions
-- it settled, matched to payments (and so to invoices) where they can be.
create table stripe_payouts (
  authority_id uuid not null references authorities(id),
  id uuid not null default gen_random_uuid(),
  stripe_payout_id text not null,
  amount_pence bigint not null,
  arrival_date date not null,
  status text not null,
  reconciled_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (authority_id, id),
  unique (stripe_payout_id)
);
create index stripe_payouts_arrival_idx on stripe_payouts (authority_id, arrival_date desc);

create table stripe_payout_transactions (
  authority_id uuid not null,
  payout_id uuid not null,
  balance_transaction_id text not null,
  type text not null,
  amount_pence bigint not null,
  fee_pence bigint not null default 0,
  net_pence bigint not null,
  payment_intent_id text,
  description text,
  payment_id uuid,
  primary key (authority_id, balance_transaction_id),
  foreign key (authority_id, payout_id) references stripe_payouts (authority_id, id),
  foreign key (authority_id, payment_id) references payments (authority_id, id)
);
create index stripe_payout_transactions_payout_idx on stripe_payout_transactions (authority_id, payout_id);
create index stripe_payout_transactions_unmatched_idx on stripe_payout_transactions (authority_id) where payment_id is null;
`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
drop table if exists stripe_payout_transactions, stripe_payouts, stripe_events;
drop index if exists payments_stripe_invoice_idx, payments_payment_intent_idx, payments_journal_idx;
alter table payments drop column if exists stripe_invoice_id, drop column if exists stripe_payment_intent_id, drop column if exists note;
drop index if exists credit_notes_credit_key_idx, credit_notes_journal_idx;
alter table credit_notes drop constraint if exists credit_notes_invoice_line_fk, drop constraint if exists credit_notes_journal_fk,
  drop column if exists credit_key, drop column if exists invoice_line_id, drop column if exists journal_id, drop column if exists stripe_status;
drop index if exists invoice_lines_charge_key_idx, invoice_lines_order_line_idx;
alter table invoice_lines drop column if exists charge_key;
drop index if exists invoices_journal_idx, invoices_open_due_idx;
alter table invoices drop constraint if exists invoices_settled_check,
  drop column if exists stripe_status, drop column if exists stripe_items_added_at, drop column if exists stripe_finalized_at,
  drop column if exists stripe_sent_at, drop column if exists last_payment_error, drop column if exists period_label;
alter table invoices drop constraint if exists invoices_status_check;
alter table invoices add constraint invoices_status_check check (status in ('open', 'paid', 'void', 'uncollectible'));
`.execute(db)
}
