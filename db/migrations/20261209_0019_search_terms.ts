import { type Kysely, sql } from 'kysely'

/**
 * A service's own search terms (issue 20, docs/decisions/0030): words
 * schools use for it that its text does not say, such as the instruments a
 * music service teaches or "counselling" for social, emotional and mental
 * health support. The catalogue search ranks them just below the name.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table services add column search_terms text[] not null default '{}'`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table services drop column search_terms`.execute(db)
}
