/**
 * Calendar dates, the one way the product handles them. A date is a string
 * 'YYYY-MM-DD' (a day in England, with no time of day); arithmetic is done on
 * UTC midnights so the server's time zone never matters. "Today" is always
 * the day in England at an instant the caller passes in: reading the clock is
 * `app/utils/clock.ts`'s job, not this module's.
 */

const DAY_MS = 86_400_000

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

// One formatter each: making an Intl.DateTimeFormat costs far more than using one.
const UK_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' })
const LONG_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
const LONG_DATE_UK = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' })
const TIME_UK = new Intl.DateTimeFormat('en-GB', { hour: 'numeric', minute: '2-digit', hour12: true, timeZone: 'Europe/London' })

const UK_HOUR = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', hourCycle: 'h23', timeZone: 'Europe/London' })

/** True for a real calendar day written 'YYYY-MM-DD' (not 2026-02-30). */
export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false
  const t = Date.parse(`${value}T00:00:00Z`)
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === value
}

/** 'YYYY-MM-DD' → the Date at UTC midnight of that day. Throws on anything else. */
export function dateOf(iso: string): Date {
  if (!isIsoDate(iso)) throw new RangeError(`Not a date: ${iso}`)
  return new Date(`${iso}T00:00:00.000Z`)
}

/** The first instant of a calendar day in England (midnight, GMT or BST). */
export function ukStartOfDay(iso: string): Date {
  const utcMidnight = dateOf(iso)
  // At UTC midnight England's clock reads 00:xx in winter and 01:xx in summer.
  const hourInEngland = Number(UK_HOUR.format(utcMidnight)) % 24
  return new Date(utcMidnight.getTime() - hourInEngland * 3_600_000)
}

/** A Date's UTC calendar day, 'YYYY-MM-DD'. */
export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10)
}

/** The calendar day in England at an instant: what "today" means to a council. */
export function ukDate(moment: Date): string {
  return UK_DAY.format(moment)
}

/** The day `days` after (or, when negative, before) a date. */
export function addDays(iso: string, days: number): string {
  return isoDate(new Date(dateOf(iso).getTime() + days * DAY_MS))
}

/** The day before a date. */
export function dayBefore(iso: string): string {
  return addDays(iso, -1)
}

/** Whole days from `from` to `to`; negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((dateOf(to).getTime() - dateOf(from).getTime()) / DAY_MS)
}

/** The same day `years` later (29 February becomes 28 February in a common year). */
export function addYears(iso: string, years: number): string {
  const year = Number(iso.slice(0, 4)) + years
  const candidate = `${String(year).padStart(4, '0')}${iso.slice(4)}`
  return isIsoDate(candidate) ? candidate : `${String(year).padStart(4, '0')}-02-28`
}

/** A date's parts as numbers: month 1 to 12. */
export function dateParts(iso: string): { year: number; month: number; day: number } {
  const d = dateOf(iso)
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }
}

/** 0 for Sunday to 6 for Saturday. */
export function weekday(iso: string): number {
  return dateOf(iso).getUTCDay()
}

/** "31 March 2027", from a date or, for an instant, the day in England. */
export function longDate(value: string | Date): string {
  if (typeof value === 'string' && isIsoDate(value)) return LONG_DATE.format(dateOf(value))
  return LONG_DATE_UK.format(typeof value === 'string' ? new Date(value) : value)
}

/** "3 February 2027 at 2:15pm", in England's time. */
export function longDateTime(value: string | Date): string {
  const moment = typeof value === 'string' ? new Date(value) : value
  return `${LONG_DATE_UK.format(moment)} at ${TIME_UK.format(moment).replace(/\s/g, '').toLowerCase()}`
}
