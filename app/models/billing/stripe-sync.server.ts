import { clock } from '../../utils/clock'
import { sql } from 'kysely'
import type Stripe from 'stripe'
import type { DB } from '../../../db/connection'
import { getStripe } from '../../utils/stripe.server'

/**
 * Sending invoices and credit notes to Stripe (docs/decisions/0009).
 * Run by the `stripe-sync-invoice` and `stripe-sync-credit-note` jobs, which
 * pg-boss retries with backoff when Stripe fails or is slow.
 *
 * Each step has its own idempotency key (`invoice-<id>-create`, …) and its
 * progress is saved as soon as Stripe answers, so a retry resumes where the
 * last attempt stopped, and a step whose answer was lost (a timeout after
 * Stripe did the work) is answered from Stripe's idempotency cache instead
 * of being done twice. One Stripe invoice per invoice, whatever happens.
 */

/** Idempotency keys of every Stripe call, in one place. */
export const stripeKeys = {
  customer: (authorityId: string, schoolId: string) => `school-${authorityId}-${schoolId}-customer`,
  trustCustomer: (authorityId: string, trustId: string) => `trust-${authorityId}-${trustId}-customer`,
  invoiceCreate: (invoiceId: string) => `invoice-${invoiceId}-create`,
  invoiceItem: (invoiceId: string, itemKey: string) => `invoice-${invoiceId}-item-${itemKey}`,
  invoiceFinalize: (invoiceId: string) => `invoice-${invoiceId}-finalize`,
  invoiceSend: (invoiceId: string) => `invoice-${invoiceId}-send`,
  creditNote: (creditNoteId: string) => `credit-note-${creditNoteId}-create`,
}

export type SyncOutcome = 'sent' | 'already-sent' | 'not-found' | 'not-stripe'

/** Creates (or finds) the school's Stripe customer, the invoice and its items, then finalises and sends it. */
export async function syncInvoiceToStripe(db: DB, authorityId: string, invoiceId: string): Promise<SyncOutcome> {
  const stripe = getStripe()
  const invoice = await invoiceForStripe(db, authorityId, invoiceId)
  if (!invoice) return 'not-found'
  if (invoice.route !== 'invoice' || invoice.stripe_status === 'not_applicable') return 'not-stripe'
  if (invoice.stripe_status === 'sent') return 'already-sent'

  // 1. The school's customer, or the trust's for its consolidated invoice (one each; the key makes concurrent jobs agree).
  const customerId = invoice.trust_id ? await trustCustomer(db, stripe, authorityId, invoice) : await schoolCustomer(db, stripe, authorityId, invoice)
  // 2. The invoice, as a draft holding only its own items.
  const stripeInvoiceId = await draftInvoice(db, stripe, authorityId, invoice, customerId)
  // 3. Its items: one per line at the net amount, and the VAT as one item, so
  //    that Stripe's total is exactly ours.
  if (!invoice.stripe_items_added_at) await addItems(db, stripe, authorityId, invoice, customerId, stripeInvoiceId)
  // 4. Finalise (it gets its hosted page), 5. send it to the school.
  if (!invoice.stripe_finalized_at) {
    const finalized = await stripe.invoices.finalizeInvoice(stripeInvoiceId, {}, { idempotencyKey: stripeKeys.invoiceFinalize(invoice.id) })
    await db
      .updateTable('invoices')
      .set({ stripe_finalized_at: clock.now(), stripe_hosted_invoice_url: finalized.hosted_invoice_url ?? null })
      .where('authority_id', '=', authorityId)
      .where('id', '=', invoice.id)
      .execute()
  }
  await stripe.invoices.sendInvoice(stripeInvoiceId, {}, { idempotencyKey: stripeKeys.invoiceSend(invoice.id) })
  await db
    .updateTable('invoices')
    .set({ stripe_sent_at: clock.now(), stripe_status: 'sent' })
    .where('authority_id', '=', authorityId)
    .where('id', '=', invoice.id)
    .execute()
  return 'sent'
}

type InvoiceForStripe = NonNullable<Awaited<ReturnType<typeof invoiceForStripe>>>

/** The invoice with what Stripe is told about it, and how far an earlier attempt got. */
function invoiceForStripe(db: DB, authorityId: string, invoiceId: string) {
  return db
    .selectFrom('invoices as i')
    .leftJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'i.authority_id').onRef('s.id', '=', 'i.school_id'))
    .leftJoin('trusts as t', (j) => j.onRef('t.authority_id', '=', 'i.authority_id').onRef('t.id', '=', 'i.trust_id'))
    .leftJoin('trust_orders as tro', (j) => j.onRef('tro.authority_id', '=', 'i.authority_id').onRef('tro.id', '=', 'i.trust_order_id'))
    .innerJoin('authorities as a', 'a.id', 'i.authority_id')
    .leftJoin('orders as o', (j) => j.onRef('o.authority_id', '=', 'i.authority_id').onRef('o.id', '=', 'i.order_id'))
    .select([
      'i.id',
      'i.number',
      'i.route',
      'i.stripe_status',
      'i.stripe_invoice_id',
      'i.stripe_items_added_at',
      'i.stripe_finalized_at',
      'i.vat_pence',
      'i.po_number',
      'i.period_label',
      's.id as school_id',
      's.urn',
      's.name as school_name',
      's.email as school_email',
      's.stripe_customer_id',
      't.id as trust_id',
      't.name as trust_name',
      't.finance_email as trust_email',
      't.stripe_customer_id as trust_stripe_customer_id',
      'a.slug as authority_slug',
      'a.name as authority_name',
      'a.days_to_pay',
      sql<string | null>`coalesce(o.reference, tro.reference)`.as('order_reference'),
    ])
    .where('i.authority_id', '=', authorityId)
    .where('i.id', '=', invoiceId)
    .executeTakeFirst()
}

async function schoolCustomer(db: DB, stripe: Stripe, authorityId: string, invoice: InvoiceForStripe): Promise<string> {
  if (invoice.stripe_customer_id) return invoice.stripe_customer_id
  if (!invoice.school_id || !invoice.school_name || !invoice.urn) throw new Error(`Invoice ${invoice.number} has no school`)
  const customer = await stripe.customers.create(
    {
      name: invoice.school_name,
      email: invoice.school_email ?? undefined,
      metadata: { urn: invoice.urn, authority: invoice.authority_slug, authority_id: authorityId, school_id: invoice.school_id },
    },
    { idempotencyKey: stripeKeys.customer(authorityId, invoice.school_id) },
  )
  await db
    .updateTable('schools')
    .set({ stripe_customer_id: customer.id })
    .where('authority_id', '=', authorityId)
    .where('id', '=', invoice.school_id)
    .where('stripe_customer_id', 'is', null)
    .execute()
  return customer.id
}

/** The trust's one Stripe customer, for its consolidated invoices. */
async function trustCustomer(db: DB, stripe: Stripe, authorityId: string, invoice: InvoiceForStripe): Promise<string> {
  if (invoice.trust_stripe_customer_id) return invoice.trust_stripe_customer_id
  const trustId = invoice.trust_id!
  const customer = await stripe.customers.create(
    {
      name: invoice.trust_name!,
      email: invoice.trust_email ?? undefined,
      metadata: { authority: invoice.authority_slug, authority_id: authorityId, trust_id: trustId },
    },
    { idempotencyKey: stripeKeys.trustCustomer(authorityId, trustId) },
  )
  await db
    .updateTable('trusts')
    .set({ stripe_customer_id: customer.id })
    .where('authority_id', '=', authorityId)
    .where('id', '=', trustId)
    .where('stripe_customer_id', 'is', null)
    .execute()
  return customer.id
}

async function draftInvoice(db: DB, stripe: Stripe, authorityId: string, invoice: InvoiceForStripe, customerId: string): Promise<string> {
  if (invoice.stripe_invoice_id) return invoice.stripe_invoice_id
  const created = await stripe.invoices.create(
    {
      customer: customerId,
      collection_method: 'send_invoice',
      // The same terms as the invoice's own due date (dueOn), so that Stripe and we agree.
      days_until_due: invoice.days_to_pay,
      currency: 'gbp',
      auto_advance: false,
      pending_invoice_items_behavior: 'exclude',
      description: [
        `${invoice.authority_name} traded services`,
        invoice.order_reference ? `order ${invoice.order_reference}` : null,
        invoice.period_label,
      ]
        .filter(Boolean)
        .join(', '),
      custom_fields: [
        { name: 'Invoice number', value: invoice.number },
        ...(invoice.po_number ? [{ name: 'Purchase order', value: invoice.po_number.slice(0, 30) }] : []),
      ],
      // Card, or a UK bank transfer to the account Stripe gives the school (customer balance).
      payment_settings: {
        payment_method_types: ['card', 'customer_balance'],
        payment_method_options: { customer_balance: { funding_type: 'bank_transfer', bank_transfer: { type: 'gb_bank_transfer' } } },
      },
      metadata: {
        invoice_id: invoice.id,
        invoice_number: invoice.number,
        authority_id: authorityId,
        ...(invoice.urn ? { school_urn: invoice.urn } : { trust_id: invoice.trust_id! }),
        order_reference: invoice.order_reference ?? '',
      },
    },
    { idempotencyKey: stripeKeys.invoiceCreate(invoice.id) },
  )
  await db
    .updateTable('invoices')
    .set({ stripe_invoice_id: created.id })
    .where('authority_id', '=', authorityId)
    .where('id', '=', invoice.id)
    .execute()
  return created.id
}

async function addItems(
  db: DB,
  stripe: Stripe,
  authorityId: string,
  invoice: InvoiceForStripe,
  customerId: string,
  stripeInvoiceId: string,
): Promise<void> {
  const lines = await db
    .selectFrom('invoice_lines')
    .select(['id', 'description', 'net_pence'])
    .where('authority_id', '=', authorityId)
    .where('invoice_id', '=', invoice.id)
    .orderBy('id')
    .execute()
  const items = [
    ...lines.map((l) => ({ key: l.id, amount: l.net_pence, description: l.description })),
    ...(invoice.vat_pence > 0 ? [{ key: 'vat', amount: invoice.vat_pence, description: 'VAT at 20%' }] : []),
  ]
  for (const item of items) {
    await stripe.invoiceItems.create(
      {
        customer: customerId,
        invoice: stripeInvoiceId,
        amount: item.amount,
        currency: 'gbp',
        description: item.description,
        metadata: { invoice_id: invoice.id, line: item.key },
      },
      { idempotencyKey: stripeKeys.invoiceItem(invoice.id, item.key) },
    )
  }
  await db
    .updateTable('invoices')
    .set({ stripe_items_added_at: clock.now() })
    .where('authority_id', '=', authorityId)
    .where('id', '=', invoice.id)
    .execute()
}

export class StripeNotReadyError extends Error {}

/**
 * Sends a credit note to Stripe against its invoice. An invoice that is not
 * in Stripe yet makes the job fail and try again later. Paid invoices are
 * credited "out of band": finance refunds the school by bank transfer.
 */
export async function syncCreditNoteToStripe(db: DB, authorityId: string, creditNoteId: string): Promise<SyncOutcome> {
  const stripe = getStripe()
  const note = await db
    .selectFrom('credit_notes as c')
    .innerJoin('invoices as i', (j) => j.onRef('i.authority_id', '=', 'c.authority_id').onRef('i.id', '=', 'c.invoice_id'))
    .select([
      'c.id',
      'c.number',
      'c.reason',
      'c.gross_pence',
      'c.stripe_status',
      'c.stripe_credit_note_id',
      'i.id as invoice_id',
      'i.number as invoice_number',
      'i.stripe_invoice_id',
      'i.stripe_status as invoice_stripe_status',
      'i.amount_paid_pence',
    ])
    .where('c.authority_id', '=', authorityId)
    .where('c.id', '=', creditNoteId)
    .executeTakeFirst()
  if (!note) return 'not-found'
  if (note.stripe_status === 'not_applicable' || note.stripe_status === 'not_configured') return 'not-stripe'
  if (note.stripe_status === 'sent') return 'already-sent'
  if (!note.stripe_invoice_id || note.invoice_stripe_status !== 'sent') {
    throw new StripeNotReadyError(`Invoice ${note.invoice_number} is not in Stripe yet: credit note ${note.number} waits for it`)
  }
  const params: Stripe.CreditNoteCreateParams = {
    invoice: note.stripe_invoice_id,
    amount: note.gross_pence,
    memo: note.reason.slice(0, 500),
    metadata: { credit_note_id: note.id, credit_note_number: note.number, invoice_id: note.invoice_id, authority_id: authorityId },
  }
  if (note.amount_paid_pence > 0) params.out_of_band_amount = note.gross_pence
  const created = await stripe.creditNotes.create(params, { idempotencyKey: stripeKeys.creditNote(note.id) })
  await db
    .updateTable('credit_notes')
    .set({ stripe_credit_note_id: created.id, stripe_status: 'sent' })
    .where('authority_id', '=', authorityId)
    .where('id', '=', note.id)
    .execute()
  return 'sent'
}
