/**
 * Service periods: which trading years an offer can be bought for, and the
 * period a line covers from the school's choice of year and "Start from"
 * term. Pure; the price of a period is quotePeriod in pricing.ts.
 * Dates are 'YYYY-MM-DD'.
 */
import { pricesForYear, type PricedOffer, type PricingModel, type ServicePeriod, type SoldBy } from './pricing'
import { termLabel, termsOfYear, termWithDates, TERM_NAMES, type Term, type TermName } from './terms'
import { dateOf } from './dates'
import { DEFAULT_START_MONTH, firstDayOfTradingYear, lastDayOfTradingYear, tradingYearLabel, tradingYearOf } from './trading-year'

/** How an offer's period is chosen: courses by their date, otherwise as the offer is sold. */
export function soldByOf(offer: { pricingModel: PricingModel | string; soldBy: 'year' | 'term' | 'quantity' }): SoldBy {
  return offer.pricingModel === 'per_place' ? 'course' : offer.soldBy
}

/** Offers sold by the year or by the term have a "Start from" term to choose. */
export function choosesStartTerm(soldBy: SoldBy): boolean {
  return soldBy === 'year' || soldBy === 'term'
}

/**
 * The trading years an offer can be bought for on a day: the current one,
 * and the next once its prices are published (the offer has prices for it).
 */
export function yearsOnSale(offer: Pick<PricedOffer, 'prices'>, today: string, startMonth: number = DEFAULT_START_MONTH): number[] {
  const current = tradingYearOf(dateOf(today), startMonth)
  return [current, current + 1].filter((year) => pricesForYear(offer as PricedOffer, year) !== undefined)
}

/** A "Start from" choice as a form value: "2026-spring". */
export function startFromValue(term: Pick<Term, 'tradingYear' | 'name'>): string {
  return `${term.tradingYear}-${term.name}`
}

/** "2026-spring" → { tradingYear: 2026, term: 'spring' }; anything else → null. */
export function parseStartFrom(value: string): { tradingYear: number; term: TermName } | null {
  const match = /^(\d{4})-(summer|autumn|spring)$/.exec(value.trim())
  return match ? { tradingYear: Number(match[1]), term: match[2] as TermName } : null
}

export type StartFromGroup = { tradingYear: number; label: string; options: { value: string; label: string }[] }

/**
 * The "Start from" choices, grouped by trading year: the terms of each year
 * on sale that have not ended by `today`, "Spring term 2027 (5 January to
 * 26 March 2027)".
 */
export function startFromChoices(terms: readonly Term[], years: readonly number[], today: string): StartFromGroup[] {
  return years
    .map((year) => ({
      tradingYear: year,
      label: tradingYearLabel(year),
      options: termsOfYear(terms, year)
        .filter((t) => t.endsOn >= today)
        .map((t) => ({ value: startFromValue(t), label: termWithDates(t) })),
    }))
    .filter((g) => g.options.length > 0)
}

export type PeriodChoice = {
  soldBy: SoldBy
  tradingYear: number
  /** The "Start from" term, for offers sold by the year or the term. */
  startTerm: TermName | null
}

export type PeriodResult = { ok: true; period: ServicePeriod } | { ok: false; field: 'startFrom' | 'tradingYear'; reason: string }

function later(a: string, b: string): string {
  return a > b ? a : b
}

/**
 * The period a new line covers (not for courses, which run on their date):
 * - the year must be on sale (`onSale`, see yearsOnSale);
 * - 'quantity': from today (or the year's first day) to the year's last day;
 * - 'year': from the start term to the year's last day, charged for the
 *   terms from the start term on; starting from the first term it runs from
 *   the year's first day; never before today;
 * - 'term': the start term only, from its first day (or today) to its last;
 * - the start term must be a term of the year that has not ended.
 */
export function choosePeriod(
  choice: PeriodChoice,
  terms: readonly Term[],
  onSale: readonly number[],
  today: string,
  startMonth: number = DEFAULT_START_MONTH,
): PeriodResult {
  const { soldBy, tradingYear } = choice
  if (!onSale.includes(tradingYear)) {
    const years = onSale.map((y) => tradingYearLabel(y)).join(' or ')
    return {
      ok: false,
      field: 'tradingYear',
      reason: years ? `Choose ${years}: this package is not on sale for that year` : 'This package is not on sale',
    }
  }
  const first = firstDayOfTradingYear(tradingYear, startMonth)
  const last = lastDayOfTradingYear(tradingYear, startMonth)
  if (soldBy === 'quantity' || soldBy === 'course') {
    return { ok: true, period: { tradingYear, start: later(first, today), end: last, terms: [] } }
  }
  const yearTerms = termsOfYear(terms, tradingYear)
  const year = tradingYearLabel(tradingYear)
  if (yearTerms.length !== TERM_NAMES.length) {
    return { ok: false, field: 'startFrom', reason: `The term dates for ${year} are not set yet: please contact the service` }
  }
  if (!choice.startTerm) return { ok: false, field: 'startFrom', reason: 'Choose the term to start from' }
  const index = yearTerms.findIndex((t) => t.name === choice.startTerm)
  const term = yearTerms[index]
  if (!term) return { ok: false, field: 'startFrom', reason: `Choose a term of ${year}` }
  if (term.endsOn < today) return { ok: false, field: 'startFrom', reason: `The ${termLabel(term).toLowerCase()} has ended: choose a later term` }
  if (soldBy === 'term') {
    return { ok: true, period: { tradingYear, start: later(term.startsOn, today), end: term.endsOn, terms: [term] } }
  }
  const start = later(index === 0 ? first : term.startsOn, today)
  return { ok: true, period: { tradingYear, start, end: last, terms: yearTerms.slice(index) } }
}

/**
 * A renewal's period: the whole of next year from its first (summer) term;
 * an offer sold by the term renews for that first term. Null when next
 * year's term dates are not set (the caller keeps the whole year).
 */
export function renewalPeriod(
  soldBy: SoldBy,
  terms: readonly Term[],
  tradingYear: number,
  startMonth: number = DEFAULT_START_MONTH,
): ServicePeriod | null {
  const first = firstDayOfTradingYear(tradingYear, startMonth)
  const result = choosePeriod({ soldBy, tradingYear, startTerm: 'summer' }, terms, [tradingYear], first, startMonth)
  return result.ok ? result.period : null
}
