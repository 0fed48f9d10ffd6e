/**
 * The product's one clock. Everything that asks what time or what day it is
 * (pages, models, jobs, the demo seed, tests) asks here, so that a date can be
 * pinned for tests and demos without touching the machine's clock.
 *
 * The clock runs on from where it is set: setting it to 22 November 2026 at
 * 09:00 makes it 09:01 a minute later, so timeouts and "minutes ago" behave as
 * they do in real time. `CLOCK_START` (an ISO date or instant) sets it when a
 * process starts; tests call `setClock`.
 */
import { isIsoDate, ukDate } from '../domain/dates'

let offsetMs = readStart(process.env.CLOCK_START)

function readStart(value: string | undefined): number {
  if (!value) return 0
  const at = isIsoDate(value) ? new Date(`${value}T09:00:00.000Z`) : new Date(value)
  if (Number.isNaN(at.getTime())) throw new Error(`CLOCK_START must be a date (2026-11-22) or an instant (2026-11-22T09:00:00Z), got "${value}"`)
  return at.getTime() - Date.now()
}

/** The current instant. */
export function now(): Date {
  return new Date(Date.now() + offsetMs)
}

/** Today's date in England, 'YYYY-MM-DD'. */
export function today(): string {
  return ukDate(now())
}

/** Moves the clock to an instant (or to 09:00 UTC on a date), from where it runs on. */
export function setClock(at: Date | string): void {
  offsetMs = readStart(typeof at === 'string' ? at : at.toISOString())
}

/** Back to the machine's clock (or to CLOCK_START when it is set). */
export function resetClock(): void {
  offsetMs = readStart(process.env.CLOCK_START)
}

/** What the app reads: `clock.now()`, `clock.today()`. */
export const clock = { now, today }
