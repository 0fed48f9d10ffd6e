import { sql, type Kysely } from 'kysely'
import type { Database } from '../../../db/schema'

/**
 * Invoice and credit note numbers (docs/decisions/0009): consecutive per
 * authority and kind, from the authority's row in `document_counters`,
 * incremented in the issuing transaction. The row lock serialises issuers,
 * and a rolled-back transaction gives its numbers back, so there are no gaps.
 */

/** Takes `count` consecutive numbers from the authority's counter; returns the first. */
export async function takeNumbers(trx: Kysely<Database>, authorityId: string, kind: 'invoice' | 'credit_note', count: number): Promise<number> {
  const row = await trx
    .insertInto('document_counters')
    .values({ authority_id: authorityId, kind, last_number: count })
    .onConflict((oc) => oc.columns(['authority_id', 'kind']).doUpdateSet({ last_number: sql<number>`document_counters.last_number + ${count}` }))
    .returning('last_number')
    .executeTakeFirstOrThrow()
  return row.last_number - count + 1
}
