import type { TrustInvoicing } from '../../db/schema'

/** How a trust is invoiced, in words. No zod here: pages that only show it do not load it (docs/decisions/0028). */
export const TRUST_INVOICING_NAMES: Record<TrustInvoicing, string> = {
  per_school: 'Each member school separately',
  consolidated: 'One invoice to the trust per order',
}
