import { sql, type Kysely } from 'kysely'
import type { Database } from '../../../db/schema'

/** The month (1 to 12) an authority's trading year starts in: April for English councils. */
export async function startMonthOf(db: Kysely<Database>, authorityId: string): Promise<number> {
  const row = await db.selectFrom('authorities').select('financial_year_start_month').where('id', '=', authorityId).executeTakeFirstOrThrow()
  return row.financial_year_start_month
}

/**
 * Inside a transaction that locks rows people compete for (a basket, a
 * team's capacity, a proposal): wait at most five seconds for a lock, then
 * fail with a clear error rather than hang the request.
 */
export async function limitLockWait(trx: Kysely<Database>): Promise<void> {
  await sql`set local lock_timeout = '5s'`.execute(trx)
}
