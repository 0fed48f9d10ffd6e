import type { DB } from '../../../db/connection'
import { clock } from '../../utils/clock'
import { TERM_NAMES, termsOfYear, type Term, type TermName } from '../../domain/terms'
import { fieldErrors, type FieldErrors } from '../../schemas/common'
import { TermDatesSchema, type TermDatesValues } from '../../schemas/term-dates'
import { loadTerms } from '../shared/terms.server'
import type { Actor } from '../shared/actor.server'
import { recordAudit } from './audit.server'
import { currentTradingYears } from './teams.server'
import { forUpdate } from '../../utils/locks.server'

/**
 * The LA administrator's school term dates: three terms per trading year,
 * read by pricing, billing and cancelling. Every query is limited to the
 * administrator's own authority.
 */

export type TermYear = { tradingYear: number; terms: Term[] }

/**
 * The trading years the administrator can see and set: last year, this year,
 * next year and the one after (so a year's terms can be added before its
 * prices are published), and any other year that already has terms.
 */
export async function termYears(db: DB, authorityId: string): Promise<{ currentYear: number; years: TermYear[] }> {
  const [currentYear] = await currentTradingYears(db, authorityId)
  const terms = await loadTerms(db, authorityId)
  const years = new Set([currentYear - 1, currentYear, currentYear + 1, currentYear + 2, ...terms.map((t) => t.tradingYear)])
  return {
    currentYear,
    years: [...years].sort((a, b) => a - b).map((tradingYear) => ({ tradingYear, terms: termsOfYear(terms, tradingYear) })),
  }
}

export type SaveTermDatesResult = { ok: true; tradingYear: number; added: boolean } | { ok: false; errors: FieldErrors }

/**
 * Sets one trading year's three terms (adding them if the year has none), in
 * one transaction with the audit entry. Nothing is saved when any date is
 * wrong: each must be inside the trading year, end on or after it starts,
 * and come after the term before.
 */
export async function saveTermDates(db: DB, actor: Actor, values: TermDatesValues): Promise<SaveTermDatesResult> {
  const parsed = TermDatesSchema.safeParse(values)
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues) }
  const { year, ...dates } = parsed.data
  return db.transaction().execute(async (trx) => {
    // Two administrators saving the same year at once: the second sees the first's dates as "before".
    const before = await trx
      .selectFrom('term_dates')
      .select(['term', 'starts_on', 'ends_on'])
      .where('authority_id', '=', actor.authorityId)
      .where('trading_year', '=', year)
      .$call(forUpdate)
      .execute()
    const changes: Partial<Record<TermName, { from: { startsOn: string; endsOn: string } | null; to: { startsOn: string; endsOn: string } }>> = {}
    for (const term of TERM_NAMES) {
      const to = { startsOn: dates[`${term}StartsOn`], endsOn: dates[`${term}EndsOn`] }
      const old = before.find((r) => r.term === term)
      const from = old ? { startsOn: old.starts_on, endsOn: old.ends_on } : null
      if (from && from.startsOn === to.startsOn && from.endsOn === to.endsOn) continue
      changes[term] = { from, to }
      await trx
        .insertInto('term_dates')
        .values({
          authority_id: actor.authorityId,
          trading_year: year,
          term,
          starts_on: to.startsOn,
          ends_on: to.endsOn,
          updated_by: actor.userId,
          updated_at: clock.now(),
        })
        .onConflict((oc) =>
          oc.columns(['authority_id', 'trading_year', 'term']).doUpdateSet({
            starts_on: to.startsOn,
            ends_on: to.endsOn,
            updated_by: actor.userId,
            updated_at: clock.now(),
          }),
        )
        .execute()
    }
    await recordAudit(trx, {
      authorityId: actor.authorityId,
      actorUserId: actor.userId,
      action: 'term_dates.updated',
      subjectType: 'trading_year',
      subjectId: String(year),
      ip: actor.ip,
      userAgent: actor.userAgent,
      details: { tradingYear: year, changes },
    })
    return { ok: true as const, tradingYear: year, added: before.length === 0 }
  })
}
