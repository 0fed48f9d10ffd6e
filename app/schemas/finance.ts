import { z } from 'zod'
import type { FinanceRoute } from '../../db/schema'
import { parsePoundsToPence, penceToPoundsInput } from './admin'
import { FINANCE_ROUTES, ROUTE_ERROR } from './orders'

/**
 * Finance's forms (record a BACS remittance, post a journal, retry a Stripe
 * job), shared by the browser and the server. Each error is keyed by the id
 * of the field it belongs to, so that the GOV.UK error summary links to it.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Control characters never belong in a reference. */
function clean(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f]/g, ' ').trim()
}

// ---------------------------------------------------------------------------
// Dates typed into a GOV.UK date input

export type DateParts = { day: string; month: string; year: string }
export type DateField = 'Day' | 'Month' | 'Year'
export type DateInputResult = { ok: true; date: string } | { ok: false; field: DateField; message: string }

/**
 * A GOV.UK date input read as 'YYYY-MM-DD', with the Design System's
 * messages: required, each part present, a real date, not after `latest`
 * and not before `earliest`.
 */
export function parseDateParts(parts: DateParts, options: { label: string; missing: string; latest: string; earliest: string }): DateInputResult {
  const day = parts.day.trim()
  const month = parts.month.trim()
  const year = parts.year.trim()
  const { label } = options
  if (!day && !month && !year) return { ok: false, field: 'Day', message: options.missing }
  const missing = (['Day', 'Month', 'Year'] as const).filter((_, i) => ![day, month, year][i])
  if (missing.length) {
    const names = missing.map((m) => m.toLowerCase())
    const list = names.length === 1 ? `a ${names[0]}` : `a ${names[0]} and ${names[1]}`
    return { ok: false, field: missing[0]!, message: `${label} must include ${list}` }
  }
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d+$/.test(year)) {
    const field = !/^\d{1,2}$/.test(day) ? 'Day' : !/^\d{1,2}$/.test(month) ? 'Month' : 'Year'
    return { ok: false, field, message: `${label} must be a real date` }
  }
  if (year.length !== 4) return { ok: false, field: 'Year', message: 'Year must include 4 numbers' }
  const d = Number(day)
  const m = Number(month)
  const y = Number(year)
  const probe = new Date(Date.UTC(y, m - 1, d))
  if (m < 1 || m > 12 || d < 1 || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) {
    return { ok: false, field: m < 1 || m > 12 ? 'Month' : 'Day', message: `${label} must be a real date` }
  }
  const date = `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
  if (date > options.latest) return { ok: false, field: 'Day', message: `${label} must be today or in the past` }
  if (date < options.earliest) {
    return { ok: false, field: 'Year', message: `${label} must be on or after ${options.earliest.slice(0, 4)}` }
  }
  return { ok: true, date }
}

// ---------------------------------------------------------------------------
// Record a BACS remittance

export const REMITTANCE_FIELDS = ['school', 'amount', 'receivedOnDay', 'receivedOnMonth', 'receivedOnYear', 'reference', 'invoices'] as const

/** What the form holds, as typed (shown again, unchanged, when something is wrong). */
export type RemittanceValues = {
  school: string
  amount: string
  receivedOnDay: string
  receivedOnMonth: string
  receivedOnYear: string
  reference: string
  invoices: string[]
  /** The invoices in the order they were ticked (kept by the page's script; empty without JavaScript). */
  tickOrder: string
}

export type Remittance = {
  schoolId: string
  amountPence: number
  receivedOn: string
  reference: string
  invoiceIds: string[]
  tickOrder: string[]
}

export const EMPTY_REMITTANCE: RemittanceValues = {
  school: '',
  amount: '',
  receivedOnDay: '',
  receivedOnMonth: '',
  receivedOnYear: '',
  reference: '',
  invoices: [],
  tickOrder: '',
}

function text(form: FormData | URLSearchParams, name: string, max = 200): string {
  const value = form.get(name)
  return typeof value === 'string' ? value.slice(0, max) : ''
}

/** The remittance form's fields, as typed. */
export function remittanceValuesFrom(form: FormData | URLSearchParams): RemittanceValues {
  return {
    school: text(form, 'school').trim(),
    amount: text(form, 'amount', 50),
    receivedOnDay: text(form, 'receivedOnDay', 10),
    receivedOnMonth: text(form, 'receivedOnMonth', 10),
    receivedOnYear: text(form, 'receivedOnYear', 10),
    reference: text(form, 'reference', 200),
    invoices: form
      .getAll('invoices')
      .filter((v): v is string => typeof v === 'string')
      .slice(0, 200),
    tickOrder: text(form, 'tickOrder', 200 * 37),
  }
}

export const MAX_REFERENCE = 100
const EARLIEST_PAYMENT = '2000-01-01'

/**
 * The remittance form: the school that paid, the amount in pounds (read as
 * integer pence without floating point), the day it reached the bank, the
 * remittance reference, and the school's invoices it pays (none is allowed:
 * the whole amount is then listed as unallocated for finance to resolve).
 * `today` is the UK date: a payment cannot be received in the future.
 */
export function remittanceSchema(today: string) {
  const field = z.string().max(200)
  return z
    .object({
      school: field,
      amount: field,
      receivedOnDay: field,
      receivedOnMonth: field,
      receivedOnYear: field,
      reference: field,
      invoices: z.array(z.string()).max(200),
      tickOrder: z.string(),
    })
    .transform((v, ctx): Remittance => {
      const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
      if (!UUID.test(v.school)) issue('school', 'Select the school that paid')

      let amountPence = 0
      if (v.amount.trim() === '') issue('amount', 'Enter the amount received')
      else {
        const pence = parsePoundsToPence(v.amount)
        if (pence === 'negative') issue('amount', 'Amount received must be more than £0')
        else if (pence === 'format') issue('amount', 'Amount received must be an amount in pounds, like 1250 or 1250.50')
        else if (pence === 'too-large') issue('amount', 'Amount received must be £1,000,000 or less')
        else if (pence === 0) issue('amount', 'Amount received must be more than £0')
        else amountPence = pence
      }

      const date = parseDateParts(
        { day: v.receivedOnDay, month: v.receivedOnMonth, year: v.receivedOnYear },
        { label: 'Date received', missing: 'Enter the date the payment reached the bank', latest: today, earliest: EARLIEST_PAYMENT },
      )
      if (!date.ok) issue(`receivedOn${date.field}`, date.message)

      const reference = clean(v.reference)
      if (reference === '') issue('reference', 'Enter the remittance reference')
      else if (reference.length > MAX_REFERENCE) issue('reference', `Remittance reference must be ${MAX_REFERENCE} characters or fewer`)

      const invoiceIds = [...new Set(v.invoices)]
      if (invoiceIds.some((id) => !UUID.test(id))) issue('invoices', 'Select invoices from the list')

      return {
        schoolId: v.school,
        amountPence,
        receivedOn: date.ok ? date.date : '',
        reference,
        invoiceIds,
        tickOrder: v.tickOrder.split(',').filter((id) => UUID.test(id)),
      }
    })
}

/** A remittance's amount as the form shows it again. */
export function amountInput(pence: number): string {
  return penceToPoundsInput(pence)
}

// ---------------------------------------------------------------------------
// Retry a Stripe job

/** The Stripe queues finance can see and retry (app/jobs/index.server.ts says which exist). */
export const STRIPE_QUEUES = ['stripe-sync-invoice', 'stripe-sync-credit-note', 'stripe-reconcile-payout'] as const
export type StripeQueue = (typeof STRIPE_QUEUES)[number]

export const STRIPE_QUEUE_NAMES: Record<StripeQueue, string> = {
  'stripe-sync-invoice': 'Send an invoice to Stripe',
  'stripe-sync-credit-note': 'Send a credit note to Stripe',
  'stripe-reconcile-payout': 'Match a Stripe payout',
}

export const RetryJobSchema = z.object({
  intent: z.literal('retry'),
  queue: z.enum(STRIPE_QUEUES),
  jobId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i),
})

// ---------------------------------------------------------------------------
// Post a journal

export const PostJournalSchema = z.object({ intent: z.literal('post') })

// ---------------------------------------------------------------------------
// Aged debt

/** ?route=invoice|internal_recharge; anything else is reported and ignored. */
export function parseAgedDebtFilters(params: URLSearchParams): { route?: FinanceRoute; value: string; error?: string } {
  const raw = (params.get('route') ?? '').trim()
  if (raw === '') return { value: '' }
  if ((FINANCE_ROUTES as readonly string[]).includes(raw)) return { route: raw as FinanceRoute, value: raw }
  return { value: '', error: ROUTE_ERROR }
}
