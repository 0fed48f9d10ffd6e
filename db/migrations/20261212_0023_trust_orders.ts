import { type Kysely, sql } from 'kysely'

/**
 * Trust orders (issue 16, docs/decisions/0035): a trust's basket is one
 * draft order per member school, marked with the trust (`orders.trust_id`),
 * beside each school's own basket; submitting it writes a `trust_orders`
 * row that groups those orders (`orders.trust_order_id`), approved as one by
 * the trust's approver when its total is at or above the trust's limit.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
create table trust_orders (
  authority_id uuid not null,
  id uuid not null default gen_random_uuid(),
  trust_id uuid not null,
  reference text not null,
  status text not null check (status in ('awaiting_approval', 'submitted', 'rejected')),
  po_number text,
  net_pence integer not null check (net_pence >= 0),
  vat_pence integer not null check (vat_pence >= 0),
  gross_pence integer not null check (gross_pence = net_pence + vat_pence),
  submitted_by uuid not null,
  submitted_at timestamptz not null,
  approved_by uuid,
  approved_at timestamptz,
  rejection_reason text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (authority_id, id),
  unique (authority_id, reference),
  foreign key (authority_id, trust_id) references trusts (authority_id, id),
  foreign key (authority_id, submitted_by) references users (authority_id, id),
  foreign key (authority_id, approved_by) references users (authority_id, id)
);
create index trust_orders_trust_idx on trust_orders (authority_id, trust_id, submitted_at desc);
alter table document_counters drop constraint document_counters_kind_check;
alter table document_counters add constraint document_counters_kind_check check (kind in ('invoice', 'credit_note', 'order', 'trust_order'));

alter table orders
  add column trust_id uuid,
  add column trust_order_id uuid,
  add constraint orders_trust_fk foreign key (authority_id, trust_id) references trusts (authority_id, id),
  add constraint orders_trust_order_fk foreign key (authority_id, trust_order_id) references trust_orders (authority_id, id),
  add constraint orders_trust_order_has_trust check (trust_order_id is null or trust_id is not null);
create index orders_trust_order_idx on orders (authority_id, trust_order_id) where trust_order_id is not null;

-- A school's own basket, and beside it at most one basket of its trust.
drop index orders_one_basket_per_school;
create unique index orders_one_basket_per_school on orders (authority_id, school_id) where status = 'draft' and trust_id is null;
create unique index orders_one_trust_basket_per_school on orders (authority_id, trust_id, school_id) where status = 'draft' and trust_id is not null;
`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
delete from order_lines l using orders o where o.authority_id = l.authority_id and o.id = l.order_id and o.trust_id is not null and o.status = 'draft';
delete from orders where trust_id is not null and status = 'draft';
drop index orders_one_trust_basket_per_school;
drop index orders_one_basket_per_school;
create unique index orders_one_basket_per_school on orders (authority_id, school_id) where status = 'draft';
alter table orders drop constraint orders_trust_order_has_trust, drop constraint orders_trust_order_fk, drop constraint orders_trust_fk,
  drop column trust_order_id, drop column trust_id;
drop table trust_orders;
delete from document_counters where kind = 'trust_order';
alter table document_counters drop constraint document_counters_kind_check;
alter table document_counters add constraint document_counters_kind_check check (kind in ('invoice', 'credit_note', 'order'));
`.execute(db)
}
