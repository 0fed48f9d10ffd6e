/**
 * Cancelling an order line (docs/product.md, Order: "Cancel order for lines
 * not yet delivered: inside the notice period free, later with the
 * late-cancellation fee of the offer's terms"). Pure: the order page and the
 * cancel action apply it to each line with today's date.
 *
 * Rules:
 * 1. Only a live line can be cancelled: awaiting approval, submitted,
 *    confirmed or on the waiting list (not cancelled, rejected, completed).
 * 2. A line with any delivery recorded is not cancelled: what was delivered
 *    stays on the order.
 * 3. A line that holds no team time yet (awaiting approval, or on the
 *    waiting list) is cancelled free: nothing was reserved for it.
 * 4. Otherwise it is free when the service starts at least the offer's
 *    notice days from today. The service starts on the course's date for a
 *    course, else on the first day of the line's period.
 * 5. A service already under way (or starting today) is free only when the
 *    offer asks for no notice (0 days).
 * 6. Otherwise the fee is the offer's late-cancellation percentage of the
 *    line's net price, in whole pence, rounded half up.
 */
import { daysBetween } from './dates'

export type CancellableStatus = 'awaiting_approval' | 'submitted' | 'confirmed' | 'waitlisted'

const LIVE: readonly string[] = ['awaiting_approval', 'submitted', 'confirmed', 'waitlisted']
const HOLDS_NOTHING: readonly string[] = ['awaiting_approval', 'waitlisted']

export type CancellationLine = {
  status: string
  /** Units of delivery recorded against the line. */
  deliveredUnits: number
  /** 'YYYY-MM-DD' */
  periodStart: string
  /** The course's start date ('YYYY-MM-DD', UK date), for a course line. */
  courseStartsOn: string | null
  noticeDays: number
  lateFeePercent: number
  netPence: number
}

export type CancellationDecision =
  | { cancellable: false; reason: 'closed' | 'delivered' }
  | { cancellable: true; late: boolean; feePence: number; startsOn: string; daysNotice: number }

/** A percentage of an amount in whole pence, rounded half up: 10% of 55 005p is 5 501p. */
export function percentOfPence(pence: number, percent: number): number {
  if (!Number.isSafeInteger(pence) || pence < 0) throw new RangeError(`percentOfPence needs whole pence, got ${pence}`)
  if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
    throw new RangeError(`percentOfPence needs a whole percentage from 0 to 100, got ${percent}`)
  }
  return Math.floor((pence * percent + 50) / 100)
}

/** Whether a line can be cancelled today, and what it costs. */
export function decideCancellation(line: CancellationLine, today: string): CancellationDecision {
  if (!LIVE.includes(line.status)) return { cancellable: false, reason: 'closed' }
  if (line.deliveredUnits > 0) return { cancellable: false, reason: 'delivered' }
  const startsOn = line.courseStartsOn ?? line.periodStart
  const daysNotice = daysBetween(today, startsOn)
  if (HOLDS_NOTHING.includes(line.status)) return { cancellable: true, late: false, feePence: 0, startsOn, daysNotice }
  const inTime = daysNotice > 0 ? daysNotice >= line.noticeDays : line.noticeDays === 0
  if (inTime) return { cancellable: true, late: false, feePence: 0, startsOn, daysNotice }
  return { cancellable: true, late: true, feePence: percentOfPence(line.netPence, line.lateFeePercent), startsOn, daysNotice }
}
