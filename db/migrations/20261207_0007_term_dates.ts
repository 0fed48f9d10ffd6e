import { type Kysely, sql } from 'kysely'

/**
 * Each authority's school terms, three per trading year (2026 = 2026/27), in
 * the order summer, autumn, spring. Periods, pro-rata prices, termly billing
 * and notice counted in school days all read them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
create table term_dates (
  authority_id uuid not null references authorities(id),
  trading_year integer not null check (trading_year between 2000 and 2100),
  term text not null check (term in ('summer', 'autumn', 'spring')),
  starts_on date not null,
  ends_on date not null,
  updated_by uuid,
  updated_at timestamptz not null default now(),
  primary key (authority_id, trading_year, term),
  check (ends_on >= starts_on),
  foreign key (authority_id, updated_by) references users (authority_id, id)
);
`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table term_dates`.execute(db)
}
