import { type Kysely, sql } from 'kysely'

/**
 * Who accepted an order's terms, and when (issue 15, docs/decisions/0026):
 * - terms_accepted_by/at: the user who submitted the order (basket or
 *   accepted renewal) accepted the terms versions its lines record
 *   (order_lines.terms_version_id), at the moment of submission;
 * - terms_approved_by/at: the headteacher who approved an order at or above
 *   the approval limit accepted the same terms on the school's behalf.
 * Orders submitted before this migration are left empty: nobody's
 * acceptance is claimed that was not recorded.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
alter table orders
  add column terms_accepted_by uuid,
  add column terms_accepted_at timestamptz,
  add column terms_approved_by uuid,
  add column terms_approved_at timestamptz;
alter table orders add constraint orders_terms_accepted_by_fk
  foreign key (authority_id, terms_accepted_by) references users (authority_id, id);
alter table orders add constraint orders_terms_approved_by_fk
  foreign key (authority_id, terms_approved_by) references users (authority_id, id);
alter table orders add constraint orders_terms_accepted_check
  check ((terms_accepted_by is null or terms_accepted_at is not null) and (terms_approved_by is null or terms_approved_at is not null));
`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
alter table orders drop constraint orders_terms_accepted_check;
alter table orders drop constraint orders_terms_approved_by_fk;
alter table orders drop constraint orders_terms_accepted_by_fk;
alter table orders
  drop column terms_approved_at,
  drop column terms_approved_by,
  drop column terms_accepted_at,
  drop column terms_accepted_by;
`.execute(db)
}
