import { sql } from 'kysely'
import type { DB } from '../../db/connection'

/**
 * The locks that make concurrent requests safe: a row lock (`select … for
 * update`) on the row a decision depends on (a team's year for capacity, an
 * order for approval, a line for delivery, an invoice for credit, …), or an
 * advisory lock on a key where there is no row yet (sign-in attempts, a
 * remittance, a payout). Every lock in the app is taken through these two
 * functions (docs/decisions/0034).
 *
 * `BUYBACK_REMOVE_LOCKS=true` removes them all, outside production only, so
 * that CI can show each contention test failing without them
 * (tests/contention/without-locks.ts): a test that passes without its lock
 * proves nothing. Each read that would have locked waits 50 ms instead, so
 * that requests sent at once overlap as they would under load rather than by
 * chance.
 */
export function locksRemoved(): boolean {
  return process.env.BUYBACK_REMOVE_LOCKS === 'true' && process.env.NODE_ENV !== 'production'
}

/** The query with `for update` (of one table of a join when `of` names it), as `query.$call(forUpdate)`. */
export function forUpdate<Q extends Lockable & { forUpdate(of?: never): Q }>(query: Q, of?: string): Q {
  return locksRemoved() ? waiting(query) : query.forUpdate(of as never)
}

/** The query with `for no key update`: the row cannot change, though rows may still refer to it. */
export function forNoKeyUpdate<Q extends Lockable & { forNoKeyUpdate(): Q }>(query: Q): Q {
  return locksRemoved() ? waiting(query) : query.forNoKeyUpdate()
}

type Lockable = { modifyFront(modifier: never): unknown }

/** With the locks removed: the same read, 50 ms slower (`select pg_sleep(0.05), …`). */
function waiting<Q extends Lockable>(query: Q): Q {
  return query.modifyFront(sql`pg_sleep(${RACE_WINDOW_MS / 1000}),` as never) as Q
}

const RACE_WINDOW_MS = 50

/** Holds `key` until the transaction ends: one transaction at a time per key. */
export async function advisoryLock(trx: DB, key: string): Promise<void> {
  if (locksRemoved()) await sql`select pg_sleep(${RACE_WINDOW_MS / 1000})`.execute(trx)
  else await sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx)
}
