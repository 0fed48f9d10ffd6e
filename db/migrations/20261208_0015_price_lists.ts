import { type Kysely, sql } from 'kysely'

/**
 * Price lists per trading year (docs/decisions/0021): a year's prices carry
 * the day they go on sale to schools. Prices for this year or earlier are on
 * sale whatever the column says; a later year's only from published_on on.
 * Rows already here were on sale: they are backfilled as published from the
 * start of the trading year before theirs (a day already past), by nobody.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
alter table offer_prices
  add column published_on date,
  add column published_by uuid,
  add column published_at timestamptz
`.execute(db)
  await sql`
update offer_prices p
   set published_on = make_date(p.trading_year - 1, a.financial_year_start_month, 1),
       published_at = now()
  from authorities a
 where a.id = p.authority_id
`.execute(db)
  await sql`
alter table offer_prices
  add constraint offer_prices_published_by_fkey foreign key (authority_id, published_by) references users (authority_id, id)
`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table offer_prices drop column published_at, drop column published_by, drop column published_on`.execute(db)
}
