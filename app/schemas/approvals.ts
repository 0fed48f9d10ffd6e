import { z } from 'zod'

/**
 * The headteacher's decision on an order (/approvals), shared by browser and
 * server. Errors are keyed by the id of the field they belong to:
 * `reason-<orderId>` for the reason of one order's reject form.
 */

export const REASON_MAX = 500

const orderId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'No such order')

export const approvalSchema = z.discriminatedUnion('intent', [
  z.object({ intent: z.literal('approve'), orderId }),
  z.object({
    intent: z.literal('reject'),
    orderId,
    reason: z
      .string()
      .transform((v) => v.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim())
      .pipe(z.string().min(1, 'Enter the reason for rejecting the order').max(REASON_MAX, `The reason must be ${REASON_MAX} characters or fewer`)),
  }),
])

export type ApprovalInput = z.infer<typeof approvalSchema>

/** The form's fields as strings, whatever was posted. */
export function approvalFormValues(form: FormData): Record<string, string> {
  const value = (name: string) => {
    const v = form.get(name)
    return typeof v === 'string' ? v : ''
  }
  return { intent: value('intent'), orderId: value('orderId').toLowerCase(), reason: value('reason') }
}
