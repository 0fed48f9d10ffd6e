import type { Kysely } from 'kysely'
import type { DB } from '../../../db/connection'
import type { Database } from '../../../db/schema'
import { ukDate } from '../../domain/dates'
import { clock } from '../../utils/clock'
import { isStripeConfigured } from '../../utils/stripe.server'
import { chargesNotYetInvoiced, lockAndLoad, type BillingRun } from './billing-batch.server'
import { creditCancelledLines } from './cancellation-credits.server'
import { issueInvoices } from './invoice-issuing.server'
import { ordersWithChargesDue } from './orders-due.server'

/**
 * Billing (docs/decisions/0009): `billOrders` works out, with the pure rules
 * of app/domain/invoicing.ts, what each order's lines owe by a day and what
 * cancelled lines must have credited, and issues whatever is not yet issued,
 * in one transaction per batch of orders:
 *
 * - the orders are locked (FOR UPDATE) so that two runs for one order wait
 *   for each other, and every charge and credit has a key with a unique
 *   index, so nothing is ever invoiced or credited twice;
 * - numbers come from the authority's counter row, incremented in the same
 *   transaction (consecutive, no gaps: a rolled-back run gives its numbers
 *   back);
 * - academies' invoices get a `stripe-sync-invoice` job (or are marked
 *   "Stripe not configured"), maintained schools' go in the month's recharge
 *   journal; the school is emailed. The jobs and emails are written in the
 *   same transaction, so they exist if and only if the invoice does.
 *
 * It runs after orders are confirmed or cancelled (a `bill-order` job) and
 * every hour for whatever has fallen due (lines whose period has begun,
 * termly instalments, monthly delivery, anything missed), so an invoice is
 * never lost if a job is. Nothing is invoiced before its line's period
 * starts: a renewal confirmed in December for next year waits for 1 April.
 */

export type BillingResult = { invoiceIds: string[]; creditNoteIds: string[] }

export type BillOptions = {
  /** Only these orders (otherwise the authority's orders with something due by asOf, orders-due.server.ts). */
  orderIds?: readonly string[]
  /** Charges due on or before this UK day ('YYYY-MM-DD') are issued, dated this day; the day of `now` by default. */
  asOf?: string
  /** The moment of issue (the app's clock by default). */
  now?: Date
  /** Email the schools (yes by default). */
  notify?: boolean
  /** Send academies' invoices and credit notes to Stripe (whenever Stripe is configured, by default). */
  stripe?: boolean
}

/** Orders per transaction when billing everything. */
const BATCH = 200

/** Issues everything due for the authority's orders. */
export async function billOrders(db: DB, authorityId: string, options: BillOptions = {}): Promise<BillingResult> {
  const now = options.now ?? clock.now()
  const run: BillingRun = {
    authorityId,
    now,
    asOf: options.asOf ?? ukDate(now),
    notify: options.notify ?? true,
    stripe: options.stripe ?? isStripeConfigured(),
  }
  // Given a transaction (the seed), work inside it.
  const inTransaction = <T>(fn: (trx: Kysely<Database>) => Promise<T>) => (db.isTransaction ? fn(db) : db.transaction().execute(fn))
  const orderIds = options.orderIds ?? (await ordersWithChargesDue(db, authorityId, run.asOf))
  const result: BillingResult = { invoiceIds: [], creditNoteIds: [] }
  for (let i = 0; i < orderIds.length; i += BATCH) {
    const batch = orderIds.slice(i, i + BATCH)
    const r = await inTransaction((trx) => billInTransaction(trx, run, batch))
    result.invoiceIds.push(...r.invoiceIds)
    result.creditNoteIds.push(...r.creditNoteIds)
  }
  return result
}

/** One batch: lock and load its orders, invoice what is due, then credit what was cancelled. */
async function billInTransaction(trx: Kysely<Database>, run: BillingRun, orderIds: readonly string[]): Promise<BillingResult> {
  const batch = await lockAndLoad(trx, run, orderIds)
  if (!batch) return { invoiceIds: [], creditNoteIds: [] }
  const invoiceIds = await issueInvoices(batch, await chargesNotYetInvoiced(batch))
  const creditNoteIds = await creditCancelledLines(batch)
  return { invoiceIds, creditNoteIds }
}
