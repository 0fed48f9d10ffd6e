import { type Kysely, sql } from 'kysely'

/**
 * Whether an offer's cancellation notice is counted in school days (days in
 * term, not weekends or bank holidays) rather than calendar days: the
 * offer's terms say which. Offers whose service's terms speak of "school
 * days’ notice" start counting that way.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table offers add column notice_in_school_days boolean not null default false`.execute(db)
  await sql`
update offers o set notice_in_school_days = true
from services s
where s.authority_id = o.authority_id and s.id = o.service_id and s.terms ilike '%school days%notice%'
`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table offers drop column notice_in_school_days`.execute(db)
}
