/**
 * School terms and school days. Pure: term dates are the authority's data
 * (three terms per trading year, in the order summer, autumn, spring); bank
 * holidays are England's, from the date-holidays package. Dates are
 * 'YYYY-MM-DD'.
 */
import Holidays from 'date-holidays'
import { addDays, isIsoDate, longDate, weekday } from './dates'
import { firstDayOfTradingYear, lastDayOfTradingYear, tradingYearLabel } from './trading-year'

export const TERM_NAMES = ['summer', 'autumn', 'spring'] as const
export type TermName = (typeof TERM_NAMES)[number]

/** Terms in a trading year: a yearly price bought for fewer terms is pro-rated by thirds. */
export const TERMS_PER_YEAR = TERM_NAMES.length

export type Term = {
  tradingYear: number
  name: TermName
  startsOn: string
  endsOn: string
}

const TERM_TITLE: Record<TermName, string> = { summer: 'Summer', autumn: 'Autumn', spring: 'Spring' }

/** "Spring term 2027": the term's name and the calendar year it starts in. */
export function termLabel(term: Pick<Term, 'name' | 'startsOn'>): string {
  return `${TERM_TITLE[term.name]} term ${term.startsOn.slice(0, 4)}`
}

/** "Spring term 2027 (5 January to 26 March 2027)". */
export function termWithDates(term: Term): string {
  const sameYear = term.startsOn.slice(0, 4) === term.endsOn.slice(0, 4)
  const from = sameYear ? longDate(term.startsOn).replace(/ \d{4}$/, '') : longDate(term.startsOn)
  return `${termLabel(term)} (${from} to ${longDate(term.endsOn)})`
}

/** The terms of one trading year, in order (summer, autumn, spring). */
export function termsOfYear(terms: readonly Term[], tradingYear: number): Term[] {
  return terms.filter((t) => t.tradingYear === tradingYear).sort((a, b) => TERM_NAMES.indexOf(a.name) - TERM_NAMES.indexOf(b.name))
}

/** The term a day falls in, if it falls in one (holidays between terms fall in none). */
export function termOn(terms: readonly Term[], day: string): Term | undefined {
  return terms.find((t) => t.startsOn <= day && day <= t.endsOn)
}

/** The term under way on a day, or else the next to begin after it. */
export function currentOrNextTerm(terms: readonly Term[], day: string): Term | undefined {
  return [...terms].sort((a, b) => a.startsOn.localeCompare(b.startsOn)).find((t) => t.endsOn >= day)
}

/** The terms of a trading year that overlap a period (a line's period_start to period_end). */
export function termsCovering(terms: readonly Term[], tradingYear: number, start: string, end: string): Term[] {
  return termsOfYear(terms, tradingYear).filter((t) => t.startsOn <= end && t.endsOn >= start)
}

/** The terms of a line's year that have begun by a day (a yearly line under way is charged for these). */
export function termsBegun(terms: readonly Term[], day: string): Term[] {
  return terms.filter((t) => t.startsOn <= day)
}

/**
 * A yearly price for some of the year's terms: whole terms, rounded to the
 * penny (two of three terms of £1,450 is £966.67).
 */
export function proRataByTerms(yearPence: number, termsCovered: number): number {
  if (!Number.isInteger(termsCovered) || termsCovered < 0 || termsCovered > TERMS_PER_YEAR) {
    throw new RangeError(`Terms covered must be 0 to ${TERMS_PER_YEAR}: ${termsCovered}`)
  }
  return Math.round((yearPence * termsCovered) / TERMS_PER_YEAR)
}

// ---------------------------------------------------------------------------
// School days

const englandHolidays = new Holidays('GB', 'ENG')
const bankHolidaysByYear = new Map<number, Set<string>>()

/** England's bank holidays in a calendar year ('YYYY-MM-DD'), substitute days included. */
export function bankHolidaysIn(year: number): Set<string> {
  let days = bankHolidaysByYear.get(year)
  if (!days) {
    days = new Set(
      englandHolidays
        .getHolidays(year)
        .filter((h) => h.type === 'public')
        .map((h) => h.date.slice(0, 10)),
    )
    bankHolidaysByYear.set(year, days)
  }
  return days
}

export function isBankHoliday(day: string): boolean {
  return bankHolidaysIn(Number(day.slice(0, 4))).has(day)
}

/** A school day: inside a term, not a Saturday or Sunday, not a bank holiday. */
export function isSchoolDay(terms: readonly Term[], day: string): boolean {
  const dow = weekday(day)
  return dow !== 0 && dow !== 6 && termOn(terms, day) !== undefined && !isBankHoliday(day)
}

/** School days from `from` (counted) up to `to` (not counted); 0 when `to` is not after `from`. */
export function schoolDaysBetween(terms: readonly Term[], from: string, to: string): number {
  let count = 0
  for (let day = from; day < to; day = addDays(day, 1)) {
    if (isSchoolDay(terms, day)) count++
  }
  return count
}

// ---------------------------------------------------------------------------
// Checking an authority's term dates for a year

export type TermDatesProblem = { term: TermName; field: 'startsOn' | 'endsOn'; message: string }

/**
 * What is wrong with a year's three terms: each a real date inside the
 * trading year, ending on or after it starts, in order, not overlapping.
 */
export function termDatesProblems(tradingYear: number, terms: Record<TermName, { startsOn: string; endsOn: string }>): TermDatesProblem[] {
  const problems: TermDatesProblem[] = []
  const first = firstDayOfTradingYear(tradingYear)
  const last = lastDayOfTradingYear(tradingYear)
  const year = tradingYearLabel(tradingYear)
  let previousEnd: string | undefined
  for (const name of TERM_NAMES) {
    const { startsOn, endsOn } = terms[name]
    const title = `${TERM_TITLE[name].toLowerCase()} term`
    const startOk = isIsoDate(startsOn) && startsOn >= first && startsOn <= last
    const endOk = isIsoDate(endsOn) && endsOn >= first && endsOn <= last
    if (!startOk) problems.push({ term: name, field: 'startsOn', message: `Enter the first day of the ${title} as a date in ${year}` })
    if (!endOk) problems.push({ term: name, field: 'endsOn', message: `Enter the last day of the ${title} as a date in ${year}` })
    if (startOk && endOk && endsOn < startsOn) {
      problems.push({ term: name, field: 'endsOn', message: `The last day of the ${title} must be on or after its first day` })
    }
    if (startOk && previousEnd !== undefined && startsOn <= previousEnd) {
      problems.push({ term: name, field: 'startsOn', message: `The ${title} must start after the term before it ends` })
    }
    if (endOk) previousEnd = endsOn
  }
  return problems
}
