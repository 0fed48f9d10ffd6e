/**
 * Calendar helpers for the seed's generators. Everything is UTC; nothing reads
 * the clock. The generators are written for one reference trading year,
 * 2026/27 (calendar.ts moves what they build onto the day the demo is loaded).
 */
import type { TermDateRow } from './types'

/** The reference trading year the generators are written for. */
export const CURRENT_TRADING_YEAR = 2026

/** 'YYYY-MM-DD' → Date at UTC midnight. */
export function dateOf(iso: string): Date {
  const d = new Date(`${iso}T00:00:00.000Z`)
  if (Number.isNaN(d.getTime())) throw new RangeError(`Not a date: ${iso}`)
  return d
}

/** Date → 'YYYY-MM-DD' (UTC). */
export function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10)
}

/** A timestamp on a calendar day at a time of day (UTC). */
export function at(iso: string, hour: number, minute = 0): Date {
  const d = dateOf(iso)
  d.setUTCHours(hour, minute, 0, 0)
  return d
}

export function addDays(iso: string, days: number): string {
  const d = dateOf(iso)
  d.setUTCDate(d.getUTCDate() + days)
  return isoDate(d)
}

export function addMinutes(d: Date, minutes: number): Date {
  return new Date(d.getTime() + minutes * 60_000)
}

/** Moves a weekend day forward to the Monday. */
export function weekdayOnOrAfter(iso: string): string {
  const day = dateOf(iso).getUTCDay()
  if (day === 6) return addDays(iso, 2)
  if (day === 0) return addDays(iso, 1)
  return iso
}

/** Days from a to b (b − a). */
export function daysBetween(a: string, b: string): number {
  return Math.round((dateOf(b).getTime() - dateOf(a).getTime()) / 86_400_000)
}

export function tradingYearStart(year: number): string {
  return `${year}-04-01`
}

export function tradingYearEnd(year: number): string {
  return `${year + 1}-03-31`
}

export type Term = { name: string; start: string; end: string }

/** Coventry's three school terms inside a trading year (summer, autumn, spring). */
export function termsOf(year: number): [Term, Term, Term] {
  const y = year
  return [
    { name: `Summer term ${y}`, start: `${y}-04-13`, end: `${y}-07-22` },
    { name: `Autumn term ${y}`, start: `${y}-09-02`, end: `${y}-12-18` },
    { name: `Spring term ${y + 1}`, start: `${y + 1}-01-05`, end: `${y + 1}-03-26` },
  ]
}

const TERM_NAMES = ['summer', 'autumn', 'spring'] as const

/** An authority's term dates for last year, this year and next (the seed's reference years), moved by `days` for another authority. */
export function termDateRows(authorityId: string, days = 0): TermDateRow[] {
  const years = [CURRENT_TRADING_YEAR - 1, CURRENT_TRADING_YEAR, CURRENT_TRADING_YEAR + 1]
  return years.flatMap((year) =>
    termsOf(year).map((term, i) => ({
      authority_id: authorityId,
      trading_year: year,
      term: TERM_NAMES[i]!,
      starts_on: weekdayOnOrAfter(addDays(term.start, days)),
      ends_on: addDays(term.end, days),
      // Set in the February before the year, as councils publish them.
      updated_at: at(`${year}-02-01`, 9),
    })),
  )
}
