import { z } from 'zod'
import { parsePoundsToPence } from './admin'
import type { FieldErrors } from './common'

/**
 * Finance's corrections (credit note, write-off, void on an invoice's page;
 * allocate or refund an unallocated payment). Each error is keyed by the id
 * of its field, for the GOV.UK error summary.
 */

export const MAX_REASON = 500

const reason = (field: string, missing: string) =>
  z
    .string()
    .transform((v) => v.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ').trim())
    .pipe(z.string().min(1, missing).max(MAX_REASON, `The reason must be ${MAX_REASON} characters or fewer`))
    .describe(field)

export const CorrectionIntent = z.enum(['credit', 'write-off', 'void'])

function str(form: FormData, name: string): string {
  const v = form.get(name)
  return typeof v === 'string' ? v : ''
}

/** An amount typed in pounds ("250", "£1,250.50") as pence, or the message to show. */
export function poundsField(raw: string, missing: string): number | { error: string } {
  if (raw.trim() === '') return { error: missing }
  const pence = parsePoundsToPence(raw)
  if (pence === 'format') return { error: 'Enter an amount in pounds, like 250 or 250.50' }
  if (pence === 'negative' || pence === 0) return { error: 'Enter an amount above £0' }
  if (pence === 'too-large') return { error: 'Enter a smaller amount' }
  return pence
}

export type CreditValues = { creditWhole: string; creditAmount: string; creditReason: string }

export function parseCredit(
  form: FormData,
): { ok: true; amountPence: number | 'whole'; reason: string } | { ok: false; errors: FieldErrors; values: CreditValues } {
  const values = { creditWhole: str(form, 'creditWhole'), creditAmount: str(form, 'creditAmount'), creditReason: str(form, 'creditReason') }
  const errors: FieldErrors = {}
  let amount: number | 'whole' = 'whole'
  if (values.creditWhole !== 'whole' && values.creditWhole !== 'part') errors.creditWhole = 'Select whether to credit all that is left or part of it'
  if (values.creditWhole === 'part') {
    const parsed = poundsField(values.creditAmount, 'Enter the amount to credit')
    if (typeof parsed === 'number') amount = parsed
    else errors.creditAmount = parsed.error
  }
  const r = reason('creditReason', 'Enter the reason for the credit note').safeParse(values.creditReason)
  if (!r.success) errors.creditReason = r.error.issues[0]!.message
  if (Object.keys(errors).length > 0 || !r.success) return { ok: false, errors, values }
  return { ok: true, amountPence: amount, reason: r.data }
}

export function parseReason(
  form: FormData,
  field: 'writeOffReason' | 'voidReason',
): { ok: true; reason: string } | { ok: false; errors: FieldErrors } {
  const missing = field === 'writeOffReason' ? 'Enter the reason for writing the invoice off' : 'Enter the reason for voiding the invoice'
  const r = reason(field, missing).safeParse(str(form, field))
  return r.success ? { ok: true, reason: r.data } : { ok: false, errors: { [field]: r.error.issues[0]!.message } }
}

/** Allocation amounts: `amount-<invoice id>` per invoice; blank ones are left out. */
export function parseAllocations(
  form: FormData,
  invoiceIds: readonly string[],
): { ok: true; requests: { invoiceId: string; amountPence: number }[] } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {}
  const requests: { invoiceId: string; amountPence: number }[] = []
  for (const id of invoiceIds) {
    const raw = str(form, `amount-${id}`)
    if (raw.trim() === '') continue
    const parsed = poundsField(raw, '')
    if (typeof parsed === 'number') requests.push({ invoiceId: id, amountPence: parsed })
    else errors[`amount-${id}`] = parsed.error
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors }
  if (requests.length === 0) return { ok: false, errors: { allocations: 'Enter an amount for at least one invoice' } }
  return { ok: true, requests }
}

export function parseRefund(form: FormData): { ok: true; amountPence: number; reason: string } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {}
  const amount = poundsField(str(form, 'refundAmount'), 'Enter the amount refunded')
  if (typeof amount !== 'number') errors.refundAmount = amount.error
  const r = reason('refundReason', 'Enter the reason for the refund').safeParse(str(form, 'refundReason'))
  if (!r.success) errors.refundReason = r.error.issues[0]!.message
  if (typeof amount !== 'number' || !r.success) return { ok: false, errors }
  return { ok: true, amountPence: amount, reason: r.data }
}
