import type { FinanceRoute, InvoiceStatus, OrderStatus } from '../../db/schema'

/**
 * The words and GOV.UK tag colours of order and invoice statuses and of how
 * a school pays. No zod here: pages that only show these do not load it
 * (docs/decisions/0028); app/schemas/orders.ts re-exports them.
 */

export const INVOICE_STATUSES = ['open', 'paid', 'credited', 'void', 'uncollectible'] as const satisfies readonly InvoiceStatus[]
export const FINANCE_ROUTES = ['invoice', 'internal_recharge'] as const satisfies readonly FinanceRoute[]

export type Tag = { label: string; colour: string }

/** GOV.UK tag for each order (and order line) status. */
export const ORDER_STATUS_TAGS: Record<OrderStatus, Tag> = {
  draft: { label: 'Basket', colour: 'grey' },
  awaiting_approval: { label: 'Awaiting approval', colour: 'yellow' },
  submitted: { label: 'Submitted', colour: 'blue' },
  confirmed: { label: 'Confirmed', colour: 'green' },
  waitlisted: { label: 'Waiting list', colour: 'orange' },
  cancelled: { label: 'Cancelled', colour: 'red' },
  completed: { label: 'Completed', colour: 'grey' },
  rejected: { label: 'Rejected', colour: 'red' },
}

export const INVOICE_STATUS_TAGS: Record<InvoiceStatus | 'overdue', Tag> = {
  open: { label: 'Open', colour: 'blue' },
  overdue: { label: 'Overdue', colour: 'red' },
  paid: { label: 'Paid', colour: 'green' },
  credited: { label: 'Credited', colour: 'grey' },
  void: { label: 'Void', colour: 'grey' },
  uncollectible: { label: 'Written off', colour: 'magenta' },
}

export const FINANCE_ROUTE_NAMES: Record<FinanceRoute, string> = {
  invoice: 'Invoice',
  internal_recharge: 'Internal recharge',
}
