import { clock } from '../../utils/clock'
import type { DB } from '../../../db/connection'
import { tradingYearOf } from '../../domain/trading-year'
import { startMonthOf } from '../shared/authority.server'

/**
 * The annual renewal cycle: the LA administrator opens a window for next
 * trading year, each school gets a proposal made from this year's confirmed
 * lines, and answers it; an accepted proposal becomes an order through the
 * same path as a basket (docs/decisions/0012-renewals.md).
 *
 * This file: the trading year renewals are for.
 */

/** The trading year renewals are for on a day: the one after the current year. */
export async function renewalYear(db: DB, authorityId: string, now: Date = clock.now()): Promise<{ year: number; startMonth: number }> {
  const startMonth = await startMonthOf(db, authorityId)
  return { year: tradingYearOf(now, startMonth) + 1, startMonth }
}
