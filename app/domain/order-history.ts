/**
 * Who an order's history credits with each change (docs/decisions/0031).
 * A person is named only for what they did themselves: submitting,
 * approving, rejecting, cancelling. What Buyback decides on its own
 * (confirming against the team's time, putting on the waiting list,
 * confirming from the waiting list when time frees up, closing a delivered
 * order) is recorded with no person and credited to Buyback.
 */

export type HistoryEvent = {
  /** Order statuses ('submitted', 'confirmed', 'waitlisted', …). */
  fromStatus: string | null
  toStatus: string
  actorName: string | null
  /** Whether the event is about one line of the order rather than the whole order. */
  isLine: boolean
}

/** Changes Buyback makes itself. */
const BUYBACK_MAKES: ReadonlySet<string> = new Set(['confirmed', 'waitlisted', 'completed'])

/** "by Sam Whitaker", "by Buyback", "by Buyback, from the waiting list", or the council's team for what staff entered for a school. */
export function eventByline(event: HistoryEvent): string {
  if (event.actorName) return `by ${event.actorName}`
  if (event.isLine && event.fromStatus === 'waitlisted' && event.toStatus === 'confirmed') return 'by Buyback, from the waiting list'
  if (BUYBACK_MAKES.has(event.toStatus)) return 'by Buyback'
  return 'by the council’s traded services team'
}
