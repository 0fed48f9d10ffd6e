import { type Kysely, sql } from 'kysely'

/**
 * What an offer's price buys, for choosing a line's service period:
 * 'year' — a yearly price (a class a year, a membership): bought from a
 * chosen term to the end of the year, pro-rated by whole terms;
 * 'term' — a price for one term (lessons, instrument hire): bought for a
 * chosen term; 'quantity' — days, hours, sessions, places: valid for the
 * year (or the course date). Offers already sold by the year keep 'year'.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
alter table offers
  add column sold_by text not null default 'quantity' check (sold_by in ('year', 'term', 'quantity'))
`.execute(db)
  await sql`update offers set sold_by = 'year' where unit_one = 'year' and pricing_model <> 'per_place'`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table offers drop column sold_by`.execute(db)
}
