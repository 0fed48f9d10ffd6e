import type { TrustInvoicing, TrustOrderStatus } from '../../db/schema'
import { ORDER_STATUS_TAGS, type Tag } from './order-labels'

/** How a trust is invoiced, in words. No zod here: pages that only show it do not load it (docs/decisions/0028). */
export const TRUST_INVOICING_NAMES: Record<TrustInvoicing, string> = {
  per_school: 'Each member school separately',
  consolidated: 'One invoice to the trust per order',
}

/** A trust order's status as a tag: "Approved" once its approver approved it. */
export function trustOrderTag(status: TrustOrderStatus, approved: boolean): Tag {
  if (status === 'submitted') return approved ? { label: 'Approved', colour: 'green' } : ORDER_STATUS_TAGS.submitted
  return ORDER_STATUS_TAGS[status]
}
