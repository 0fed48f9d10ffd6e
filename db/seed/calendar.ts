/**
 * The demo is built for the date it is loaded on. Its generators are written
 * for one reference trading year (2026/27: last year 2025/26, next year's
 * prices 2027/28); for any other date the rows are built as they would stand
 * on the same day of the reference year, then every date in them is moved on
 * by whole years. Trading years, terms and price years stay aligned, so on
 * any date this year is the current one with its orders to date, last year's
 * history is behind it, and next year's prices are published.
 */
import { addYears } from '../../app/domain/dates'
import { tradingYearOf } from '../../app/domain/trading-year'
import { idFor } from './random'
import type { SeedRows } from './types'
import { CURRENT_TRADING_YEAR } from './dates'

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T/
/** Text columns that carry the trading year they were written in ("ORD-2026-00012", "PO-2026-4411"). */
const YEAR_IN_TEXT = new Set(['reference', 'po_number'])

/** The trading year a day falls in (April to March). */
export function tradingYearOfDay(iso: string): number {
  return tradingYearOf(new Date(`${iso}T12:00:00Z`))
}

/** How a date maps onto the seed's reference year: the day to build for, and the whole years to move the rows on by. */
export function seedCalendar(today: string): { referenceDay: string; years: number } {
  const years = tradingYearOfDay(today) - CURRENT_TRADING_YEAR
  return { referenceDay: addYears(today, -years), years }
}

function shiftInstant(d: Date, years: number): Date {
  const moved = new Date(d.getTime())
  moved.setUTCFullYear(d.getUTCFullYear() + years)
  // 29 February in a common year: the day before 1 March, as addYears does.
  if (moved.getUTCMonth() !== d.getUTCMonth()) moved.setUTCDate(0)
  return moved
}

function shiftValue(column: string, value: unknown, years: number): unknown {
  if (value instanceof Date) return shiftInstant(value, years)
  if (typeof value === 'number' && column.endsWith('trading_year')) return value + years
  if (typeof value !== 'string') return value
  if (ISO_DATE.test(value)) return addYears(value, years)
  if (ISO_INSTANT.test(value)) return shiftInstant(new Date(value), years).toISOString()
  if (YEAR_IN_TEXT.has(column)) return value.replace(/-(20\d\d)-/, (_, y: string) => `-${Number(y) + years}-`)
  return value
}

/** Every date, instant and trading year in the rows moved on by whole years (the rows themselves when 0). */
export function shiftRows(rows: SeedRows, years: number): SeedRows {
  if (years === 0) return rows
  const moved = {} as Record<string, unknown[]>
  for (const [table, list] of Object.entries(rows as Record<string, Record<string, unknown>[]>)) {
    moved[table] = list.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, shiftValue(k, v, years)])))
  }
  return moved as SeedRows
}

/** At least this many courses are always open for booking ahead of the demo's day. */
const COURSES_AHEAD = 2

/**
 * Late in the year this year's courses have all been held: the next year's
 * programme (this year's dates a year on) is then on sale, so a school always
 * has courses to book. Added only when needed, so the reference day's data
 * stays as it was written.
 */
export function withCoursesAhead(rows: SeedRows, today: string): SeedRows {
  const day = (d: Date | string) => new Date(d).toISOString().slice(0, 10)
  const ahead = rows.courses.filter((c) => day(c.starts_at) > today && !c.is_cancelled)
  if (ahead.length >= COURSES_AHEAD) return rows
  const thisYear = tradingYearOfDay(today)
  const next = rows.courses
    .filter((c) => tradingYearOfDay(day(c.starts_at)) === thisYear)
    .map((c) => ({
      ...c,
      id: idFor(`next-year-course/${c.id}`),
      starts_at: shiftInstant(new Date(c.starts_at), 1),
      ends_at: shiftInstant(new Date(c.ends_at), 1),
    }))
  return { ...rows, courses: [...rows.courses, ...next] }
}
