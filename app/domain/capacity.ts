/**
 * Team capacity (docs/product.md). Pure rules; the repository in
 * app/models/capacity.server.ts applies them under a lock.
 *
 * Hours are counted in hundredths (integers) so that sums of 6.5-hour days
 * and 3.25-hour half-days are exact, like money in pence.
 */

/** Hours to whole hundredths of an hour, the unit every sum uses. */
export function toCentiHours(hours: number): number {
  return Math.round(hours * 100)
}

/** A team-year's capacity: establishment FTE × chargeable hours per FTE + sessional hours. */
export function capacityHours(teamYear: { establishmentFte: number; chargeableHoursPerFte: number; sessionalHours: number }): number {
  return (toCentiHours(teamYear.establishmentFte) * teamYear.chargeableHoursPerFte + teamYear.sessionalHours * 100) / 100
}

/** The hours an order line takes from its team: hours per unit × quantity. */
export function lineHours(hoursPerUnit: number, quantity: number): number {
  return (toCentiHours(hoursPerUnit) * quantity) / 100
}

export type CapacityDecision = 'confirm' | 'waitlist'

/**
 * A line is confirmed only if its hours fit what is left: reserved hours
 * never exceed capacity. What does not fit is waitlisted.
 */
export function decideHours(input: { capacityHours: number; reservedHours: number; requestedHours: number }): CapacityDecision {
  const left = toCentiHours(input.capacityHours) - toCentiHours(input.reservedHours)
  return toCentiHours(input.requestedHours) <= left ? 'confirm' : 'waitlist'
}

/** Places on a dated course: confirmed only if they are all still free. */
export function decidePlaces(input: { places: number; taken: number; requested: number }): CapacityDecision {
  return input.taken + input.requested <= input.places ? 'confirm' : 'waitlist'
}

/** Hours left to sell, never below zero. */
export function hoursLeft(capacity: number, reserved: number): number {
  return Math.max(0, toCentiHours(capacity) - toCentiHours(reserved)) / 100
}

export type WaitingLine = { id: string; waitlistedAt: Date; hours: number }

/**
 * Which waitlisted lines to confirm when hours free up: the oldest first, each
 * one that fits in what is left (a large request that does not fit yet does
 * not hold back smaller, later ones; it stays first in the queue).
 */
export function linesToPromote(lines: readonly WaitingLine[], hoursAvailable: number): string[] {
  let left = toCentiHours(hoursAvailable)
  const promoted: string[] = []
  const queue = [...lines].sort((a, b) => a.waitlistedAt.getTime() - b.waitlistedAt.getTime() || (a.id < b.id ? -1 : 1))
  for (const line of queue) {
    const need = toCentiHours(line.hours)
    if (need <= left) {
      promoted.push(line.id)
      left -= need
    }
  }
  return promoted
}

/**
 * An order's status from its lines: awaiting approval or undecided while any
 * line is; waitlisted while every active line waits; confirmed once any line
 * is confirmed (the lines show which still wait); completed when every active
 * line is; rejected or cancelled when every line is.
 */
export type LineStatus = 'awaiting_approval' | 'submitted' | 'confirmed' | 'waitlisted' | 'cancelled' | 'completed' | 'rejected'

export function orderStatusFromLines(lines: readonly LineStatus[]): LineStatus {
  if (lines.length && lines.every((s) => s === 'rejected')) return 'rejected'
  const active = lines.filter((s) => s !== 'cancelled' && s !== 'rejected')
  if (active.length === 0) return 'cancelled'
  if (active.some((s) => s === 'awaiting_approval')) return 'awaiting_approval'
  if (active.some((s) => s === 'submitted')) return 'submitted'
  if (active.every((s) => s === 'completed')) return 'completed'
  if (active.every((s) => s === 'waitlisted')) return 'waitlisted'
  return 'confirmed'
}
