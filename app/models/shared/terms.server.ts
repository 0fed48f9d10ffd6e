import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import type { Term } from '../../domain/terms'

/**
 * An authority's school terms for the trading years asked for (all of them
 * when none are given), in date order. Pages, pricing, billing and
 * cancelling read terms from here and apply the pure rules in
 * app/domain/terms.ts.
 */
export async function loadTerms(db: Kysely<Database>, authorityId: string, tradingYears?: readonly number[]): Promise<Term[]> {
  if (tradingYears && tradingYears.length === 0) return []
  let query = db
    .selectFrom('term_dates')
    .select(['trading_year', 'term', 'starts_on', 'ends_on'])
    .where('authority_id', '=', authorityId)
    .orderBy('starts_on')
  if (tradingYears) query = query.where('trading_year', 'in', [...tradingYears])
  const rows = await query.execute()
  return rows.map((r) => ({ tradingYear: r.trading_year, name: r.term, startsOn: r.starts_on, endsOn: r.ends_on }))
}
