import type { JobWithMetadata } from 'pg-boss'
import { billOrders } from '../models/billing/billing-run.server'
import { reconcilePayout } from '../models/billing/stripe-payouts.server'
import { syncCreditNoteToStripe, syncInvoiceToStripe } from '../models/billing/stripe-sync.server'
import { getDb } from '../utils/db.server'
import type { BillOrderJobData, StripeCreditNoteJobData, StripeInvoiceJobData, StripePayoutJobData } from './queues'

/**
 * The billing jobs (docs/decisions/0009). Each is safe to run any
 * number of times: billing skips what is already issued, and every Stripe
 * call carries an idempotency key.
 */

/** Issues what an order owes now, after its lines were confirmed or cancelled. */
export async function billOrderJob(job: JobWithMetadata<BillOrderJobData>) {
  const { authorityId, orderId } = job.data
  const result = await billOrders(await getDb(), authorityId, { orderIds: [orderId] })
  return { invoices: result.invoiceIds.length, creditNotes: result.creditNoteIds.length }
}

/**
 * Every hour: whatever has fallen due for every authority (termly
 * instalments on the first day of term, last month's delivery on the 1st,
 * and anything a lost job missed).
 */
export async function billDueJob() {
  const db = await getDb()
  const authorities = await db.selectFrom('authorities').select('id').orderBy('id').execute()
  let invoices = 0
  let creditNotes = 0
  for (const a of authorities) {
    const result = await billOrders(db, a.id)
    invoices += result.invoiceIds.length
    creditNotes += result.creditNoteIds.length
  }
  return { invoices, creditNotes }
}

export async function stripeSyncInvoiceJob(job: JobWithMetadata<StripeInvoiceJobData>) {
  return { outcome: await syncInvoiceToStripe(await getDb(), job.data.authorityId, job.data.invoiceId) }
}

export async function stripeSyncCreditNoteJob(job: JobWithMetadata<StripeCreditNoteJobData>) {
  return { outcome: await syncCreditNoteToStripe(await getDb(), job.data.authorityId, job.data.creditNoteId) }
}

export async function stripeReconcilePayoutJob(job: JobWithMetadata<StripePayoutJobData>) {
  return reconcilePayout(await getDb(), job.data.payoutId)
}
