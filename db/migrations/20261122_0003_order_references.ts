import { type Kysely, sql } from 'kysely'

/**
 * Order references (ORD-2026-01301) are allocated when an order is
 * submitted, from a per-authority counter locked and incremented in the
 * submitting transaction, like invoice numbers. The counter carries on
 * above the highest number already used, so references never repeat.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
alter table document_counters drop constraint if exists document_counters_kind_check;
alter table document_counters add constraint document_counters_kind_check check (kind in ('invoice', 'credit_note', 'order'));
insert into document_counters (authority_id, kind, last_number)
select a.id, 'order', coalesce(
  (select max((substring(o.reference from '^ORD-[0-9]{4}-([0-9]+)$'))::integer)
     from orders o where o.authority_id = a.id),
  0)
from authorities a
on conflict (authority_id, kind) do nothing;
`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
delete from document_counters where kind = 'order';
alter table document_counters drop constraint if exists document_counters_kind_check;
alter table document_counters add constraint document_counters_kind_check check (kind in ('invoice', 'credit_note'));
`.execute(db)
}
