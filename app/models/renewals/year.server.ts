import { clock } from '../../utils/clock'
import { type Kysely } from 'kysely'
import type { DB } from '../../../db/connection'
import type { Database } from '../../../db/schema'
import { tradingYearBounds, tradingYearOf } from '../../domain/trading-year'

/**
 * The annual renewal cycle: the LA administrator opens a window for next
 * trading year, each school gets a proposal made from this year's confirmed
 * lines, and answers it; an accepted proposal becomes an order through the
 * same path as a basket (docs/decisions/0012-renewals.md).
 *
 * This file: what the other renewal modules share, the trading year renewals
 * are for and its first and last days.
 */

export type Trx = Kysely<Database>
export const LOCK_TIMEOUT = '5s'

export async function startMonthOf(db: Trx, authorityId: string): Promise<number> {
  const row = await db.selectFrom('authorities').select('financial_year_start_month').where('id', '=', authorityId).executeTakeFirstOrThrow()
  return row.financial_year_start_month
}

export function lastDayOf(tradingYear: number, startMonth: number): string {
  const { end } = tradingYearBounds(tradingYear, startMonth)
  return new Date(end.getTime() - 86_400_000).toISOString().slice(0, 10)
}

export function firstDayOf(tradingYear: number, startMonth: number): string {
  return tradingYearBounds(tradingYear, startMonth).start.toISOString().slice(0, 10)
}

/** The trading year renewals are for on a day: the one after the current year. */
export async function renewalYear(db: DB, authorityId: string, now: Date = clock.now()): Promise<{ year: number; startMonth: number }> {
  const startMonth = await startMonthOf(db, authorityId)
  return { year: tradingYearOf(now, startMonth) + 1, startMonth }
}
