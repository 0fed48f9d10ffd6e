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

/** Whole units of an offer that fit in the hours left (none when the offer takes no time). */
export function unitsInHours(hoursAvailable: number, hoursPerUnit: number): number {
  const per = toCentiHours(hoursPerUnit)
  if (per <= 0) return 0
  return Math.floor(Math.max(0, toCentiHours(hoursAvailable)) / per)
}

/**
 * Splitting a line the team cannot wholly fit, when the school chose to
 * confirm what fits and wait for the rest: `confirm` units now, `wait` on
 * the waiting list. Nothing fits: all of it waits; everything fits: nothing
 * waits.
 */
export function splitByCapacity(quantity: number, unitsLeft: number): { confirm: number; wait: number } {
  const confirm = Math.max(0, Math.min(quantity, Math.floor(unitsLeft)))
  return { confirm, wait: quantity - confirm }
}

/**
 * The parts of a line's frozen price when it splits: the confirmed part at
 * the line's unit price (its VAT rounded as any line's), the waiting part
 * whatever is left, so that the two always add up to the line.
 */
export function splitPrice(
  line: { quantity: number; unitPricePence: number; netPence: number; vatPence: number; vatRateBasisPoints: number },
  confirm: number,
): { confirmed: { net: number; vat: number }; waiting: { net: number; vat: number } } {
  const net = Math.min(line.netPence, line.unitPricePence * confirm)
  const vat = Math.min(line.vatPence, Math.round((net * line.vatRateBasisPoints) / 10_000))
  return { confirmed: { net, vat }, waiting: { net: line.netPence - net, vat: line.vatPence - vat } }
}

/** "1st", "2nd", "3rd", "11th", "22nd": a place in a queue. */
export function ordinal(n: number): string {
  const mod100 = n % 100
  if (mod100 >= 11 && mod100 <= 13) return `${n}th`
  return `${n}${{ 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th'}`
}

/**
 * Places on the waiting list: the oldest waitlisted first (then by id), as
 * the waiting list is promoted. Returns each line's place, from 1.
 */
export function queuePlaces(lines: readonly { id: string; waitlistedAt: Date }[]): Map<string, number> {
  const queue = [...lines].sort((a, b) => a.waitlistedAt.getTime() - b.waitlistedAt.getTime() || (a.id < b.id ? -1 : 1))
  return new Map(queue.map((l, i) => [l.id, i + 1]))
}
