/**
 * Segregation of duties (SPEC §7): an order at or above the school's
 * approval limit is approved by someone other than the person who
 * submitted it (or, for an order never submitted by anyone in particular,
 * who created it). Pure: app/models/ordering/approvals.server.ts refuses,
 * and /approvals offers no "Approve order" button, when this says no.
 * Rejecting one's own order is allowed: it only withdraws it.
 */

export type OrderParties = {
  /** Who submitted the order, if anyone did. */
  submittedBy: string | null
  /** Who created it (null for an order the council placed). */
  createdBy: string | null
}

/** Who placed the order: whoever submitted it, else whoever created it. */
export function orderedBy(order: OrderParties): string | null {
  return order.submittedBy ?? order.createdBy
}

/** Nobody approves an order they placed themselves. */
export function mayApprove(order: OrderParties, actor: { userId: string }): boolean {
  const placedBy = orderedBy(order)
  return placedBy === null || placedBy !== actor.userId
}

/** What the headteacher is told about their own order. */
export const OWN_ORDER_REASON = 'You placed this order, so another approver at your school must approve it'
