import type { FinanceRoute, SchoolType } from '../../db/schema'
import { INVITABLE_ROLES, ROLE_NAMES } from '../domain/roles'

/**
 * The words the administration pages show (roles, school types, the
 * outbox's templates and statuses). No zod here: pages that only show these
 * do not load it (docs/decisions/0028); app/schemas/admin.ts re-exports them.
 */

export const ROLE_OPTIONS = INVITABLE_ROLES.map((role) => ({ value: role, label: ROLE_NAMES[role] }))

export const SCHOOL_TYPE_NAMES: Record<SchoolType, string> = { maintained: 'Maintained', academy: 'Academy' }

/** How a school pays, as the school pages name it (orders and invoices use order-labels.ts's shorter words). */
export const FINANCE_ROUTE_NAMES: Record<FinanceRoute, string> = {
  internal_recharge: 'Internal recharge journal',
  invoice: 'Invoice',
}

export const EMAIL_TEMPLATE_NAMES: Partial<Record<string, string>> = {
  invitation: 'Invitation',
  'password-reset': 'Password reset',
}

export const EMAIL_STATUS_TAGS: Partial<Record<string, { label: string; colour: string }>> = {
  queued: { label: 'Waiting to send', colour: 'blue' },
  sent: { label: 'Sent', colour: 'green' },
  held: { label: 'Held', colour: 'yellow' },
  failed: { label: 'Failed', colour: 'red' },
}

/**
 * The web addresses in a plain-text email, in order, each once. Only http
 * and https addresses: nothing else becomes a link.
 */
export function linksIn(text: string): string[] {
  const found = text.match(/https?:\/\/[^\s<>"'()[\]]+/g) ?? []
  return [...new Set(found.map((url) => url.replace(/[.,;:!?]+$/, '')))]
}
