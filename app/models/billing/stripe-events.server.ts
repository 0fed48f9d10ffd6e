import { createHash } from 'node:crypto'
import { clock } from '../../utils/clock'
import { sql, type Kysely } from 'kysely'
import type Stripe from 'stripe'
import type { DB } from '../../../db/connection'
import type { Database } from '../../../db/schema'
import { ukDate } from '../../domain/dates'
import { nextStripeStatus, outstandingPence, settledStatus, type InvoiceStatus } from '../../domain/invoicing'
import { enqueue } from '../../utils/jobs.server'
import { emailPaymentReceived, invoiceAddressee } from './billing-emails.server'
import { issueCreditNotes } from './credit-notes.server'
import { forUpdate } from '../../utils/locks.server'

/**
 * Stripe's webhook events (docs/decisions/0009), applied exactly
 * once and in any order:
 *
 * - each event is stored by its id in the transaction that applies it: a
 *   repeat (Stripe retries, or sends twice) finds the row and changes nothing;
 * - statuses only move forward (app/domain/invoicing.ts nextStripeStatus): a
 *   paid invoice never goes back to open, whichever event arrives last;
 * - a payment is one row per Stripe invoice, created by whichever of
 *   `invoice.paid` and `invoice_payment.paid` comes first and completed by
 *   the other (the second brings the payment intent, which payouts match on).
 *
 * `payout.paid` needs Stripe's list of the payout's balance transactions, so
 * it queues the `stripe-reconcile-payout` job rather than calling Stripe
 * inside the webhook's request.
 */

type Trx = Kysely<Database>

export type EventOutcome = { duplicate: boolean; outcome: string }

/**
 * Keeps a signed event that is not fit to apply (app/schemas/stripe-events.ts),
 * for finance to inspect; it changes nothing else. Its key is the payload's
 * hash, so that a real event with the same id is still applied.
 */
export async function keepMalformedStripeEvent(db: DB, payload: string, reason: string): Promise<void> {
  let parsed: unknown
  try {
    parsed = JSON.parse(payload)
  } catch {
    parsed = undefined
  }
  const type = (parsed as { type?: unknown } | undefined)?.type
  await db
    .insertInto('stripe_events')
    .values({
      id: `malformed:${createHash('sha256').update(payload).digest('hex')}`,
      type: typeof type === 'string' ? type.slice(0, 100) : 'unknown',
      stripe_created_at: clock.now(),
      outcome: `refused: ${reason}`.slice(0, 1000),
      payload: JSON.stringify(parsed !== undefined && typeof parsed === 'object' ? parsed : { unparsed: payload.slice(0, 100_000) }),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute()
}

/** Stores and applies one verified event. */
export async function receiveStripeEvent(db: DB, event: Stripe.Event): Promise<EventOutcome> {
  return db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('stripe_events')
      .values({
        id: event.id,
        type: event.type,
        stripe_created_at: new Date(event.created * 1000),
        payload: JSON.stringify(event),
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst()
    if (!inserted) return { duplicate: true, outcome: 'already applied' }
    const { outcome, authorityId } = await applyEvent(trx, event)
    await trx.updateTable('stripe_events').set({ applied_at: clock.now(), outcome, authority_id: authorityId }).where('id', '=', event.id).execute()
    return { duplicate: false, outcome }
  })
}

async function applyEvent(trx: Trx, event: Stripe.Event): Promise<{ outcome: string; authorityId: string | null }> {
  switch (event.type) {
    case 'invoice.finalized':
    case 'invoice.paid':
    case 'invoice.payment_failed':
    case 'invoice.voided':
    case 'invoice.marked_uncollectible':
      return applyInvoiceEvent(trx, event.type, event.data.object, event.created)
    case 'invoice_payment.paid':
      return applyInvoicePayment(trx, event.data.object, event.created)
    case 'credit_note.created':
      return applyCreditNote(trx, event.data.object)
    case 'payout.paid': {
      const payout = event.data.object
      await enqueue(trx, 'stripe-reconcile-payout', { payoutId: payout.id }, { idempotencyKey: payout.id })
      return { outcome: 'payout queued for reconciliation', authorityId: null }
    }
    default:
      return { outcome: 'ignored', authorityId: null }
  }
}

type LocalInvoice = {
  authority_id: string
  id: string
  number: string
  school_id: string | null
  trust_id: string | null
  order_id: string | null
  status: InvoiceStatus
  gross_pence: number
  amount_paid_pence: number
  amount_credited_pence: number
  stripe_invoice_id: string | null
}

const LOCAL_INVOICE_COLUMNS = [
  'authority_id',
  'id',
  'number',
  'school_id',
  'trust_id',
  'order_id',
  'status',
  'gross_pence',
  'amount_paid_pence',
  'amount_credited_pence',
  'stripe_invoice_id',
] as const

/** Our invoice for a Stripe invoice (by the id in its metadata, or by Stripe's id), locked. */
async function findInvoice(trx: Trx, stripeInvoice: { id?: string | null; metadata?: Stripe.Metadata | null }): Promise<LocalInvoice | undefined> {
  const localId = stripeInvoice.metadata?.invoice_id
  const authorityId = stripeInvoice.metadata?.authority_id
  const uuid = /^[0-9a-f-]{36}$/i
  let q = trx.selectFrom('invoices').select(LOCAL_INVOICE_COLUMNS)
  if (localId && authorityId && uuid.test(localId) && uuid.test(authorityId)) {
    q = q.where('authority_id', '=', authorityId).where('id', '=', localId)
  } else if (stripeInvoice.id) {
    q = q.where('stripe_invoice_id', '=', stripeInvoice.id)
  } else {
    return undefined
  }
  const row = await q.$call(forUpdate).executeTakeFirst()
  return row ? { ...row, status: row.status as InvoiceStatus } : undefined
}

async function applyInvoiceEvent(
  trx: Trx,
  type: 'invoice.finalized' | 'invoice.paid' | 'invoice.payment_failed' | 'invoice.voided' | 'invoice.marked_uncollectible',
  object: Stripe.Invoice,
  created: number,
): Promise<{ outcome: string; authorityId: string | null }> {
  const invoice = await findInvoice(trx, object)
  if (!invoice) return { outcome: `no invoice here for ${object.id ?? 'an invoice without id'}`, authorityId: null }
  const where = { authorityId: invoice.authority_id, id: invoice.id }
  const update = trx.updateTable('invoices').where('authority_id', '=', where.authorityId).where('id', '=', where.id)
  switch (type) {
    case 'invoice.finalized':
      await update
        .set({
          stripe_invoice_id: sql<string>`coalesce(stripe_invoice_id, ${object.id ?? null})`,
          stripe_hosted_invoice_url: object.hosted_invoice_url ?? null,
          stripe_finalized_at: sql<Date>`coalesce(stripe_finalized_at, ${clock.now()})`,
        })
        .execute()
      return { outcome: `${invoice.number} finalised`, authorityId: invoice.authority_id }
    case 'invoice.paid': {
      const paidAt = object.status_transitions?.paid_at ?? created
      await recordStripePayment(trx, invoice, {
        stripeInvoiceId: object.id ?? invoice.stripe_invoice_id ?? '',
        amountPence: object.amount_paid,
        paidOn: ukDate(new Date(paidAt * 1000)),
        paymentIntentId: null,
        reference: object.number ?? null,
      })
      const after = await reload(trx, invoice)
      const status = nextStripeStatus(after.status, 'paid')
      await update.set({ status, paid_at: sql<Date>`coalesce(paid_at, ${new Date(paidAt * 1000)})` }).execute()
      return { outcome: `${invoice.number} paid`, authorityId: invoice.authority_id }
    }
    case 'invoice.payment_failed':
      await update
        .set({ last_payment_error: `A payment attempt failed on ${ukDate(new Date(created * 1000))} (attempt ${object.attempt_count ?? 1})` })
        .execute()
      return { outcome: `${invoice.number} payment failed`, authorityId: invoice.authority_id }
    case 'invoice.voided':
    case 'invoice.marked_uncollectible': {
      const status = nextStripeStatus(invoice.status, type === 'invoice.voided' ? 'void' : 'uncollectible')
      await update.set({ status }).execute()
      return { outcome: `${invoice.number} ${status}`, authorityId: invoice.authority_id }
    }
  }
}

async function reload(trx: Trx, invoice: LocalInvoice): Promise<LocalInvoice> {
  const row = await trx
    .selectFrom('invoices')
    .select(LOCAL_INVOICE_COLUMNS)
    .where('authority_id', '=', invoice.authority_id)
    .where('id', '=', invoice.id)
    .executeTakeFirstOrThrow()
  return { ...row, status: row.status as InvoiceStatus }
}

async function applyInvoicePayment(
  trx: Trx,
  object: Stripe.InvoicePayment,
  created: number,
): Promise<{ outcome: string; authorityId: string | null }> {
  const stripeInvoiceId = typeof object.invoice === 'string' ? object.invoice : (object.invoice?.id ?? null)
  if (!stripeInvoiceId) return { outcome: 'invoice payment without an invoice', authorityId: null }
  const invoice = await findInvoice(trx, { id: stripeInvoiceId })
  if (!invoice) return { outcome: `no invoice here for ${stripeInvoiceId}`, authorityId: null }
  const pi = object.payment?.payment_intent
  const paymentIntentId = typeof pi === 'string' ? pi : (pi?.id ?? null)
  const paidAt = object.status_transitions?.paid_at ?? created
  await recordStripePayment(trx, invoice, {
    stripeInvoiceId,
    amountPence: object.amount_paid ?? 0,
    paidOn: ukDate(new Date(paidAt * 1000)),
    paymentIntentId,
    reference: null,
  })
  const after = await reload(trx, invoice)
  const status = settledStatus(after.status, {
    grossPence: after.gross_pence,
    amountPaidPence: after.amount_paid_pence,
    amountCreditedPence: after.amount_credited_pence,
  })
  await trx.updateTable('invoices').set({ status }).where('authority_id', '=', invoice.authority_id).where('id', '=', invoice.id).execute()
  return { outcome: `${invoice.number} payment recorded`, authorityId: invoice.authority_id }
}

/**
 * The payment of a Stripe invoice: one row per Stripe invoice. The first
 * event to arrive creates it (with its allocation and the invoice's paid
 * amount, and emails the school); later ones only add what they know.
 */
async function recordStripePayment(
  trx: Trx,
  invoice: LocalInvoice,
  payment: { stripeInvoiceId: string; amountPence: number; paidOn: string; paymentIntentId: string | null; reference: string | null },
): Promise<void> {
  const existing = await trx
    .selectFrom('payments')
    .select(['id', 'stripe_payment_intent_id', 'reference'])
    .where('authority_id', '=', invoice.authority_id)
    .where('stripe_invoice_id', '=', payment.stripeInvoiceId)
    .executeTakeFirst()
  if (existing) {
    await trx
      .updateTable('payments')
      .set({
        stripe_payment_intent_id: existing.stripe_payment_intent_id ?? payment.paymentIntentId,
        reference: existing.reference ?? payment.reference,
      })
      .where('authority_id', '=', invoice.authority_id)
      .where('id', '=', existing.id)
      .execute()
    return
  }
  if (payment.amountPence <= 0) return
  const row = await trx
    .insertInto('payments')
    .values({
      authority_id: invoice.authority_id,
      school_id: invoice.school_id,
      method: 'stripe',
      amount_pence: payment.amountPence,
      received_on: payment.paidOn,
      reference: payment.reference ?? invoice.number,
      stripe_invoice_id: payment.stripeInvoiceId,
      stripe_payment_intent_id: payment.paymentIntentId,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await trx
    .insertInto('payment_allocations')
    .values({ authority_id: invoice.authority_id, payment_id: row.id, invoice_id: invoice.id, amount_pence: payment.amountPence })
    .execute()
  const paid = invoice.amount_paid_pence + payment.amountPence
  const status = settledStatus(invoice.status, {
    grossPence: invoice.gross_pence,
    amountPaidPence: paid,
    amountCreditedPence: invoice.amount_credited_pence,
  })
  await trx
    .updateTable('invoices')
    .set({ amount_paid_pence: paid, status, paid_at: status === 'paid' ? clock.now() : null })
    .where('authority_id', '=', invoice.authority_id)
    .where('id', '=', invoice.id)
    .execute()
  await emailPaymentReceived(trx, {
    authorityId: invoice.authority_id,
    invoiceId: invoice.id,
    number: invoice.number,
    schoolId: invoice.school_id,
    trustId: invoice.trust_id,
    orderId: invoice.order_id,
    amountPence: payment.amountPence,
    paidOn: payment.paidOn,
    how: 'through Stripe',
    outstandingPence: outstandingPence({
      grossPence: invoice.gross_pence,
      amountPaidPence: paid,
      amountCreditedPence: invoice.amount_credited_pence,
    }),
  })
}

async function applyCreditNote(trx: Trx, object: Stripe.CreditNote): Promise<{ outcome: string; authorityId: string | null }> {
  const localId = object.metadata?.credit_note_id
  const authorityId = object.metadata?.authority_id
  if (localId && authorityId) {
    const updated = await trx
      .updateTable('credit_notes')
      .set({ stripe_credit_note_id: object.id, stripe_status: 'sent' })
      .where('authority_id', '=', authorityId)
      .where('id', '=', localId)
      .returning('number')
      .executeTakeFirst()
    if (updated) return { outcome: `${updated.number} linked`, authorityId }
  }
  const already = await trx.selectFrom('credit_notes').select('number').where('stripe_credit_note_id', '=', object.id).executeTakeFirst()
  if (already) return { outcome: `${already.number} already recorded`, authorityId: null }
  // A credit note made in Stripe's dashboard: record it here too, numbered like ours.
  const stripeInvoiceId = typeof object.invoice === 'string' ? object.invoice : object.invoice.id
  const invoice = await findInvoice(trx, { id: stripeInvoiceId })
  if (!invoice) return { outcome: `no invoice here for ${stripeInvoiceId}`, authorityId: null }
  const parties = await trx
    .selectFrom('invoices as i')
    .innerJoin('authorities as a', 'a.id', 'i.authority_id')
    .select(['i.route', 'i.stripe_status', 'a.invoice_prefix', 'a.name as authority_name', 'a.contact_email'])
    .where('i.authority_id', '=', invoice.authority_id)
    .where('i.id', '=', invoice.id)
    .executeTakeFirstOrThrow()
  const gross = Math.min(object.total, invoice.gross_pence - invoice.amount_credited_pence)
  const vat = Math.max(0, Math.min(gross, object.total - (object.total_excluding_tax ?? object.total)))
  const [note] = await issueCreditNotes(
    trx,
    { id: invoice.authority_id, invoicePrefix: parties.invoice_prefix, name: parties.authority_name, contactEmail: parties.contact_email },
    [
      {
        invoice: { id: invoice.id, number: invoice.number, route: parties.route, stripeStatus: parties.stripe_status, orderId: invoice.order_id },
        school: await invoiceAddressee(trx, invoice.authority_id, { schoolId: invoice.school_id, trustId: invoice.trust_id }),
        reason: object.memo ? `Credited in Stripe: ${object.memo}` : 'Credited in Stripe',
        netPence: gross - vat,
        vatPence: vat,
        grossPence: gross,
        issuedAt: new Date(object.created * 1000),
        journal: null,
        creditKey: `stripe:${object.id}`,
      },
    ],
    // It is in Stripe already, where finance made it: nothing to send, and no email from here.
    { notify: false, stripe: { creditNoteId: object.id } },
  )
  return { outcome: `${note!.number} recorded from Stripe`, authorityId: invoice.authority_id }
}
