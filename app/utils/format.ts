import type { Phase } from '../../db/schema'

export const PHASES: readonly Phase[] = ['nursery', 'primary', 'secondary', 'all_through', 'special', 'alternative_provision'] as const

const PHASE_NAMES: Record<Phase, string> = {
  nursery: 'Nursery',
  primary: 'Primary',
  secondary: 'Secondary',
  all_through: 'All-through',
  special: 'Special',
  alternative_provision: 'Alternative provision',
}

export function phaseName(phase: Phase): string {
  return PHASE_NAMES[phase]
}

/** "Primary, secondary and special" */
export function listPhases(phases: readonly Phase[]): string {
  const names = phases.map((p, i) => (i === 0 ? phaseName(p) : phaseName(p).toLowerCase()))
  if (names.length <= 1) return names.join('')
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
})

/** "3 February 2027" */
export function formatDate(value: string | Date): string {
  return dateFormat.format(typeof value === 'string' ? new Date(value) : value)
}

/*
 * Summary figures, as people read them on a dashboard (capacity, trading,
 * home): whole pounds and whole hours. Anything a school pays (invoices,
 * statements, order lines, the basket) keeps exact pence with formatPence.
 */

const WHOLE = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 })

/** Half away from zero, so −0.5 and 0.5 read alike and nothing shows "-0". */
function roundHalfAway(n: number): number {
  const r = Math.sign(n) * Math.round(Math.abs(n))
  return r === 0 ? 0 : r
}

/** Pence as whole pounds for a summary figure: 65444396 → "£654,444", −1250 → "-£13", 49 → "£0". */
export function formatPoundsRounded(pence: number): string {
  if (!Number.isFinite(pence)) throw new RangeError(`formatPoundsRounded needs a number of pence, got ${String(pence)}`)
  const pounds = roundHalfAway(pence / 100)
  return `${pounds < 0 ? '-' : ''}£${WHOLE.format(Math.abs(pounds))}`
}

/** Hours as whole hours with their word for a summary figure: 1340.98 → "1,341 hours", 1 → "1 hour", 0.4 → "0 hours". */
export function formatHours(hours: number): string {
  if (!Number.isFinite(hours)) throw new RangeError(`formatHours needs a number of hours, got ${String(hours)}`)
  const whole = roundHalfAway(hours)
  return `${WHOLE.format(whole)} ${whole === 1 ? 'hour' : 'hours'}`
}
