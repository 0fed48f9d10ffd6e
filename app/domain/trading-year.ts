/**
 * The trading year is the authority's financial year. It starts on the 1st of
 * the authority's start month (April by default) and is named by the calendar
 * year it starts in: 2026 means 2026/27, 1 April 2026 to 31 March 2027.
 * All calculations use UTC date parts so the server's time zone never matters.
 */

/** The default first month of the financial year: April. */
export const DEFAULT_START_MONTH = 4

/** Trading years are four-digit calendar years (1000 to 9999) so labels stay "YYYY/YY". */
export function isTradingYear(year: number): boolean {
  return Number.isInteger(year) && year >= 1000 && year <= 9999
}

function checkStartMonth(startMonth: number): void {
  if (!Number.isInteger(startMonth) || startMonth < 1 || startMonth > 12) {
    throw new RangeError(`The financial year start month must be 1 to 12, got ${String(startMonth)}`)
  }
}

function checkYear(year: number): void {
  if (!isTradingYear(year)) {
    throw new RangeError(`A trading year must be a four-digit year, got ${String(year)}`)
  }
}

/**
 * The trading year a date falls in: the calendar year of the most recent start
 * of the financial year, using UTC date parts. With the default April start,
 * 1 April 2026 to 31 March 2027 is 2026. Throws on an invalid date or month.
 */
export function tradingYearOf(date: Date, startMonth: number = DEFAULT_START_MONTH): number {
  checkStartMonth(startMonth)
  if (Number.isNaN(date.getTime())) {
    throw new RangeError('tradingYearOf needs a valid date')
  }
  const year = date.getUTCFullYear()
  const month = date.getUTCMonth() + 1
  return month >= startMonth ? year : year - 1
}

/** The label of a trading year: 2026 → "2026/27", 2099 → "2099/00". Throws unless a four-digit year. */
export function tradingYearLabel(year: number): string {
  checkYear(year)
  return `${year}/${String((year + 1) % 100).padStart(2, '0')}`
}

/**
 * The bounds of a trading year: start inclusive (1st of the start month, UTC
 * midnight), end exclusive (the same day a year later).
 */
export function tradingYearBounds(year: number, startMonth: number = DEFAULT_START_MONTH): { start: Date; end: Date } {
  checkYear(year)
  checkStartMonth(startMonth)
  return {
    start: new Date(Date.UTC(year, startMonth - 1, 1)),
    end: new Date(Date.UTC(year + 1, startMonth - 1, 1)),
  }
}

/** The first day of a trading year, 'YYYY-MM-DD'. */
export function firstDayOfTradingYear(year: number, startMonth: number = DEFAULT_START_MONTH): string {
  return tradingYearBounds(year, startMonth).start.toISOString().slice(0, 10)
}

/** The last day of a trading year, 'YYYY-MM-DD'. */
export function lastDayOfTradingYear(year: number, startMonth: number = DEFAULT_START_MONTH): string {
  return new Date(tradingYearBounds(year, startMonth).end.getTime() - 86_400_000).toISOString().slice(0, 10)
}

/**
 * Parses a label such as "2026/27" back to 2026. Strict: exactly "YYYY/YY",
 * no spaces, and the second part must be the year after the first; otherwise null.
 */
export function parseTradingYearLabel(label: string): number | null {
  const match = /^([1-9]\d{3})\/(\d{2})$/.exec(label)
  if (!match) return null
  const year = Number(match[1])
  const next = Number(match[2])
  return next === (year + 1) % 100 ? year : null
}
