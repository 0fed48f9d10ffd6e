import { type Kysely, sql } from 'kysely'

/**
 * The offer editor (issue 14):
 * - offers.cfr_code: the CFR (Consistent Financial Reporting) code of the
 *   offer's income; null means the service's income_code;
 * - offers.retired_at: when the offer was retired. A retired offer is never
 *   on sale: retiring also sets is_published to false, so the catalogue and
 *   the basket, which read is_published, treat it as unpublished.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
alter table offers add column cfr_code text check (cfr_code is null or cfr_code ~ '^[A-Za-z0-9./-]{1,20}$');
alter table offers add column retired_at timestamptz;
alter table offers add constraint offers_retired_not_published check (retired_at is null or not is_published);
`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
alter table offers drop constraint offers_retired_not_published;
alter table offers drop column retired_at;
alter table offers drop column cfr_code;
`.execute(db)
}
