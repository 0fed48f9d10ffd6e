import type { Kysely } from 'kysely'
import type { Database, NewSchool } from '../../db/schema'

/**
 * Adds a throwaway school for a test with a URN no other school of the
 * authority has: a random one from 900000 to 999999, tried again when taken
 * (test files running side by side add schools to the same authority).
 */
export async function insertTestSchool(db: Kysely<Database>, values: Omit<NewSchool, 'urn'>): Promise<{ id: string; urn: string }> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const urn = String(900_000 + Math.floor(Math.random() * 100_000))
    const row = await db
      .insertInto('schools')
      .values({ ...values, urn })
      .onConflict((oc) => oc.columns(['authority_id', 'urn']).doNothing())
      .returning('id')
      .executeTakeFirst()
    if (row) return { id: row.id, urn }
  }
  throw new Error('No free URN found for a test school')
}
