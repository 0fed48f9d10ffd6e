import { z } from 'zod'

/**
 * The shape a Stripe event must have before it is applied (decision 0032).
 * A signed event that does not fit is refused whole, never applied in part.
 * Only the fields the product reads are checked; Stripe's others pass.
 */
const id = z.string().min(1).max(255)
const pence = z.number().int().min(0).max(1e12)
const seconds = z
  .number()
  .int()
  // 2000 to 2100: anything else is not a time Stripe sends.
  .min(946_684_800)
  .max(4_102_444_800)
const metadata = z.record(z.string(), z.string()).nullish()
const transitions = z.looseObject({ paid_at: seconds.nullish() }).nullish()

const invoice = z.looseObject({
  id,
  metadata,
  amount_paid: pence.nullish(),
  number: z.string().nullish(),
  hosted_invoice_url: z.string().nullish(),
  attempt_count: z.number().int().min(0).nullish(),
  status_transitions: transitions,
})

const objects: Record<string, z.ZodType> = {
  'invoice.finalized': invoice,
  'invoice.paid': invoice.extend({ amount_paid: pence }),
  'invoice.payment_failed': invoice,
  'invoice.voided': invoice,
  'invoice.marked_uncollectible': invoice,
  'invoice_payment.paid': z.looseObject({
    invoice: z.union([id, z.looseObject({ id })]),
    amount_paid: pence.nullish(),
    payment: z.looseObject({ payment_intent: z.union([id, z.looseObject({ id })]).nullish() }).nullish(),
    status_transitions: transitions,
  }),
  'credit_note.created': z.looseObject({ id, invoice: z.union([id, z.looseObject({ id })]).nullish(), metadata }),
  'payout.paid': z.looseObject({ id }),
}

const envelope = z.looseObject({
  id,
  type: z.string().min(1).max(100),
  created: seconds,
  data: z.looseObject({ object: z.looseObject({}) }),
})

/** Why a verified event cannot be applied, or null when it can. */
export function malformedStripeEvent(event: unknown): string | null {
  const outer = envelope.safeParse(event)
  if (!outer.success) return describe(outer.error.issues)
  const schema = objects[outer.data.type]
  if (!schema) return null
  const inner = schema.safeParse(outer.data.data.object)
  return inner.success ? null : describe(inner.error.issues.map((i) => ({ ...i, path: ['data', 'object', ...i.path] })))
}

function describe(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || 'event'}: ${i.message}`)
    .join('; ')
}
