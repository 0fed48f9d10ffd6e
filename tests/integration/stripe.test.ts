import { jobHandlers } from '~/jobs/index.server'
import { setupServer } from 'msw/node'
import Stripe from 'stripe'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { DB } from '../../db/connection'
import { confirmOrderLine } from '~/models/ordering/capacity.server'
import { billOrders } from '~/models/billing/billing-run.server'
import { creditInvoice } from '~/models/billing/corrections.server'
import { action as webhook, loader as webhookLoader } from '~/routes/webhooks.stripe'
import { getDb } from '~/utils/db.server'
import { setJobOptionsForTests, startJobWorkers, stopJobs } from '~/utils/jobs.server'
import { setStripeSettingsForTests } from '~/utils/stripe.server'
import { mockStripe, stripeHandlers } from '../mocks/stripe'
import { buildOrderFixture, type OrderFixture } from '../support/order-fixture'

/**
 * Academies' invoices through Stripe: every call made from a job
 * with an idempotency key, against the msw stand-in for Stripe
 * (tests/mocks/stripe.ts), which checks each call's parameters and fails on
 * any request it does not know. Then Stripe's webhooks, signed, repeated and
 * out of order, and a payout reconciled against the payments it settled.
 */

const WEBHOOK_SECRET = 'whsec_test_buyback_integration'
const server = setupServer(...stripeHandlers)
let db: DB
let fx: OrderFixture

beforeAll(async () => {
  // msw 3's name for onUnhandledRequest: any request to an unknown endpoint fails the test.
  server.listen({ onUnhandledFrame: 'error' })
  setStripeSettingsForTests({ secretKey: 'sk_test_buyback_integration', webhookSecret: WEBHOOK_SECRET, timeoutMs: 400 })
  setJobOptionsForTests({ retryLimit: 30, retryDelay: 1, retryBackoff: false })
  db = await getDb()
  fx = await buildOrderFixture(db, { roomForDays: 400 })
  await db
    .updateTable('schools')
    .set({ school_type: 'academy', finance_route: 'invoice', email: `office.${fx.run}@test.example` })
    .where('id', '=', fx.schoolId)
    .execute()
  // Only Stripe's queues, and no schedules; the queue is this file's own (tests/support/setup-database-env.ts).
  await startJobWorkers(jobHandlers, {
    pollingIntervalSeconds: 0.5,
    queues: ['stripe-sync-invoice', 'stripe-sync-credit-note', 'stripe-reconcile-payout'],
    schedules: false,
  })
})

afterAll(async () => {
  await stopJobs()
  setJobOptionsForTests(undefined)
  setStripeSettingsForTests(undefined)
  server.close()
})

beforeAll(() => mockStripe.reset())
beforeEach(() => {
  mockStripe.violations = []
  mockStripe.faults = { failRate: 0, timeoutRate: 0, timeoutDelayMs: 0 }
})

/** Orders of one line each, confirmed and billed here (as the bill-order job would). */
async function billedOrders(count: number, quantity = 1) {
  const orders = []
  for (let i = 0; i < count; i += 1) {
    const order = await fx.order({ status: 'submitted', lines: [{ quantity }] })
    expect(await confirmOrderLine(db, fx.authorityId, order.lineIds[0]!)).toBe('confirmed')
    orders.push(order)
  }
  const invoiceIds: string[] = []
  for (const order of orders) invoiceIds.push(...(await billOrders(db, fx.authorityId, { orderIds: [order.id] })).invoiceIds)
  return { orders, invoiceIds }
}

async function waitUntil<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 90_000): Promise<T> {
  const started = Date.now()
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

async function allSent(invoiceIds: string[], timeoutMs = 50_000) {
  return waitUntil(
    `${invoiceIds.length} invoices sent to Stripe`,
    async () => {
      const rows = await db.selectFrom('invoices').selectAll().where('id', 'in', invoiceIds).execute()
      return rows.every((r) => r.stripe_status === 'sent') && rows
    },
    timeoutMs,
  )
}

function signed(event: object, secret = WEBHOOK_SECRET): Request {
  const payload = JSON.stringify(event)
  const header = Stripe.webhooks.generateTestHeaderString({ payload, secret })
  return new Request('http://localhost/webhooks/stripe', {
    method: 'POST',
    body: payload,
    headers: { 'Content-Type': 'application/json', 'Stripe-Signature': header },
  })
}

async function deliver(event: object, secret?: string) {
  const response = await webhook({ request: signed(event, secret), params: {}, context: {} })
  return { status: response.status, body: response.status === 200 ? await response.json() : await response.text() }
}

let eventCounter = 0
function event(type: string, object: object, created = Math.floor(Date.now() / 1000)) {
  eventCounter += 1
  return { id: `evt_${fx.run}_${eventCounter}`, object: 'event', type, created, api_version: '2026-10-28.endive', data: { object } }
}

describe('sending academies’ invoices to Stripe', () => {
  it('makes the customer, the invoice with its items, finalises and sends it, with the number in metadata', async () => {
    const { invoiceIds } = await billedOrders(1, 3)
    const [invoice] = await allSent(invoiceIds)
    expect(mockStripe.violations).toEqual([])
    const [stripeInvoice, ...others] = mockStripe.invoicesFor(invoice!.id)
    expect(others).toEqual([])
    expect(stripeInvoice).toMatchObject({
      status: 'open',
      sent: true,
      collection_method: 'send_invoice',
      days_until_due: 30,
      total: invoice!.gross_pence,
      metadata: { invoice_number: invoice!.number, invoice_id: invoice!.id, authority_id: fx.authorityId },
    })
    expect(invoice).toMatchObject({ stripe_invoice_id: stripeInvoice!.id, stripe_hosted_invoice_url: stripeInvoice!.hosted_invoice_url })
    const school = await db.selectFrom('schools').select(['stripe_customer_id', 'urn']).where('id', '=', fx.schoolId).executeTakeFirstOrThrow()
    expect(mockStripe.customers.get(school.stripe_customer_id!)?.metadata).toMatchObject({ urn: school.urn, authority: 'coventry' })
    expect(mockStripe.requests.map((r) => `${r.path} ${r.idempotencyKey}`)).toEqual(
      expect.arrayContaining([
        `/v1/invoices ${`invoice-${invoice!.id}-create`}`,
        `/v1/invoices/${stripeInvoice!.id}/send invoice-${invoice!.id}-send`,
      ]),
    )
  })

  it('with Stripe failing or timing out on 30% of calls, 50 orders end with exactly one Stripe invoice each, none lost', async () => {
    mockStripe.faults = { failRate: 0.15, timeoutRate: 0.15, timeoutDelayMs: 1_000 }
    const { invoiceIds } = await billedOrders(50)
    expect(invoiceIds).toHaveLength(50)
    const started = Date.now()
    const invoices = await allSent(invoiceIds, 180_000)
    console.info(`50 invoices through a faulty Stripe in ${Date.now() - started} ms: ${JSON.stringify(mockStripe.faultCounts)}`)
    expect(mockStripe.faultCounts.failed).toBeGreaterThan(0)
    expect(mockStripe.faultCounts.timedOut).toBeGreaterThan(0)
    expect(mockStripe.violations).toEqual([])
    for (const invoice of invoices) {
      const made = mockStripe.invoicesFor(invoice.id)
      expect(made, invoice.number).toHaveLength(1)
      expect(made[0]).toMatchObject({ id: invoice.stripe_invoice_id, total: invoice.gross_pence, sent: true, status: 'open' })
    }
    expect(new Set(invoices.map((i) => i.stripe_invoice_id)).size).toBe(50)
  }, 200_000)
})

describe('credit notes through Stripe', () => {
  it('crediting part of an invoice sent to Stripe makes one credit note there, for that amount, linked both ways', async () => {
    const { invoiceIds } = await billedOrders(1, 2)
    const [invoice] = await allSent(invoiceIds)
    const part = Math.floor(invoice!.gross_pence / 2)
    const who = { authorityId: fx.authorityId, userId: fx.lead.id, ip: '127.0.0.1', userAgent: null }
    const result = await creditInvoice(db, who, invoice!.id, { amountPence: part, reason: 'One visit was not needed' })
    expect(result.ok).toBe(true)
    const note = await waitUntil('the credit note sent to Stripe', async () => {
      const row = await db.selectFrom('credit_notes').selectAll().where('invoice_id', '=', invoice!.id).executeTakeFirst()
      return row?.stripe_status === 'sent' && row
    })
    const inStripe = [...mockStripe.creditNotes.values()].filter((n) => n.metadata.credit_note_id === note.id)
    expect(inStripe).toHaveLength(1)
    expect(inStripe[0]).toMatchObject({ invoice: invoice!.stripe_invoice_id, amount: part })
    expect(note).toMatchObject({ gross_pence: part, stripe_credit_note_id: inStripe[0]!.id })
    expect(mockStripe.requests.filter((r) => r.path === '/v1/credit_notes').map((r) => r.idempotencyKey)).toEqual([`credit-note-${note.id}-create`])
    expect(mockStripe.violations).toEqual([])
  })
})

describe('Stripe webhooks', () => {
  it('refuses a bad signature with 400 and changes nothing', async () => {
    const bad = await deliver(event('invoice.paid', { id: 'in_nothing', object: 'invoice' }), 'whsec_someone_else')
    expect(bad.status).toBe(400)
    const missing = await webhook({
      request: new Request('http://localhost/webhooks/stripe', { method: 'POST', body: '{}' }),
      params: {},
      context: {},
    })
    expect(missing.status).toBe(400)
  })

  it('a signed but malformed event is refused with 400, kept for inspection, and changes nothing', async () => {
    const { invoiceIds } = await billedOrders(1, 1)
    const [invoice] = await allSent(invoiceIds)
    const good = {
      id: invoice!.stripe_invoice_id,
      object: 'invoice',
      amount_paid: invoice!.gross_pence,
      metadata: { invoice_id: invoice!.id, authority_id: fx.authorityId },
    }
    const malformed = [
      { ...event('invoice.paid', good), created: 1e15 },
      { ...event('invoice.paid', good), created: 'yesterday' },
      event('invoice.paid', { ...good, amount_paid: '12.50' }),
      event('invoice.paid', { ...good, id: undefined }),
      event('invoice.paid', { ...good, metadata: 'nope' }),
      event('invoice_payment.paid', { amount_paid: 5 }),
      { ...event('invoice.paid', good), id: 42 },
      { ...event('invoice.paid', good), data: null },
    ]
    for (const bad of malformed) {
      const answer = await deliver(bad)
      expect(answer.status, JSON.stringify(bad)).toBe(400)
      expect(answer.body).toContain('malformed')
    }
    const notJson = 'this is not json'
    const header = Stripe.webhooks.generateTestHeaderString({ payload: notJson, secret: WEBHOOK_SECRET })
    const text = await webhook({
      request: new Request('http://localhost/webhooks/stripe', { method: 'POST', body: notJson, headers: { 'Stripe-Signature': header } }),
      params: {},
      context: {},
    })
    expect(text.status).toBe(400)
    const after = await db.selectFrom('invoices').selectAll().where('id', '=', invoice!.id).executeTakeFirstOrThrow()
    expect(after.status).toBe(invoice!.status)
    expect(after.amount_paid_pence).toBe(invoice!.amount_paid_pence)
    const kept = await db
      .selectFrom('stripe_events')
      .select(['id', 'outcome', 'applied_at'])
      .where('id', 'like', 'malformed:%')
      .where('payload', '@>', JSON.stringify({ data: { object: { metadata: { invoice_id: invoice!.id } } } }))
      .execute()
    // Those that still carry the invoice's metadata: all but the bad metadata, the payment without it and data: null.
    expect(kept).toHaveLength(5)
    for (const row of kept) {
      expect(row.applied_at).toBeNull()
      expect(row.outcome).toMatch(/^refused: /)
    }
    // The well-formed event is then applied as usual.
    const paid = await deliver(event('invoice.paid', good))
    expect(paid.status).toBe(200)
  })

  it('a GET is answered 405', async () => {
    const response = webhookLoader()
    expect(response.status).toBe(405)
    expect(response.headers.get('Allow')).toBe('POST')
  })

  it('an event delivered three times is applied once', async () => {
    const { invoiceIds } = await billedOrders(1, 2)
    const [invoice] = await allSent(invoiceIds)
    const paid = event('invoice.paid', {
      id: invoice!.stripe_invoice_id,
      object: 'invoice',
      status: 'paid',
      amount_paid: invoice!.gross_pence,
      number: 'MOCK-PAID',
      metadata: { invoice_id: invoice!.id, authority_id: fx.authorityId },
      status_transitions: { paid_at: Math.floor(Date.now() / 1000) },
    })
    const answers = [await deliver(paid), await deliver(paid), await deliver(paid)]
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200])
    expect(answers.map((a) => (a.body as { duplicate: boolean }).duplicate)).toEqual([false, true, true])
    const payments = await db.selectFrom('payments').selectAll().where('stripe_invoice_id', '=', invoice!.stripe_invoice_id).execute()
    expect(payments).toHaveLength(1)
    expect(payments[0]).toMatchObject({ method: 'stripe', amount_pence: invoice!.gross_pence })
    const after = await db.selectFrom('invoices').selectAll().where('id', '=', invoice!.id).executeTakeFirstOrThrow()
    expect(after).toMatchObject({ status: 'paid', amount_paid_pence: invoice!.gross_pence })
    const mails = await db.selectFrom('email_messages').select('template').where('idempotency_key', 'like', `payment:${invoice!.id}:%`).execute()
    expect(mails.map((m) => m.template)).toEqual(['payment-received'])
  })

  it('events shuffled out of order leave a paid invoice paid, with its payment intent', async () => {
    const { invoiceIds } = await billedOrders(1, 1)
    const [invoice] = await allSent(invoiceIds)
    const stripeId = invoice!.stripe_invoice_id!
    const meta = { invoice_id: invoice!.id, authority_id: fx.authorityId }
    const t = Math.floor(Date.now() / 1000)
    const events = [
      event(
        'invoice.finalized',
        { id: stripeId, object: 'invoice', status: 'open', hosted_invoice_url: 'https://invoice.stripe.com/i/late', metadata: meta },
        t,
      ),
      event('invoice.payment_failed', { id: stripeId, object: 'invoice', status: 'open', attempt_count: 1, metadata: meta }, t + 1),
      event(
        'invoice_payment.paid',
        {
          id: 'inpay_1',
          object: 'invoice_payment',
          invoice: stripeId,
          amount_paid: invoice!.gross_pence,
          payment: { type: 'payment_intent', payment_intent: `pi_${fx.run}` },
          status_transitions: { paid_at: t + 2 },
        },
        t + 2,
      ),
      event(
        'invoice.paid',
        {
          id: stripeId,
          object: 'invoice',
          status: 'paid',
          amount_paid: invoice!.gross_pence,
          metadata: meta,
          status_transitions: { paid_at: t + 2 },
        },
        t + 3,
      ),
      event('invoice.voided', { id: stripeId, object: 'invoice', status: 'void', metadata: meta }, t + 4),
      event('invoice.marked_uncollectible', { id: stripeId, object: 'invoice', status: 'uncollectible', metadata: meta }, t + 5),
    ]
    // Paid first, then everything else in reverse, some twice.
    const shuffled = [events[3]!, events[5]!, events[4]!, events[2]!, events[1]!, events[0]!, events[3]!, events[2]!]
    for (const e of shuffled) expect((await deliver(e)).status).toBe(200)
    const after = await db.selectFrom('invoices').selectAll().where('id', '=', invoice!.id).executeTakeFirstOrThrow()
    expect(after).toMatchObject({ status: 'paid', amount_paid_pence: invoice!.gross_pence })
    const payments = await db.selectFrom('payments').selectAll().where('stripe_invoice_id', '=', stripeId).execute()
    expect(payments).toHaveLength(1)
    expect(payments[0]!.stripe_payment_intent_id).toBe(`pi_${fx.run}`)
  })

  it('a voided invoice stays void when a late "uncollectible" arrives', async () => {
    const { invoiceIds } = await billedOrders(1, 1)
    const [invoice] = await allSent(invoiceIds)
    const meta = { invoice_id: invoice!.id, authority_id: fx.authorityId }
    await deliver(event('invoice.voided', { id: invoice!.stripe_invoice_id, object: 'invoice', metadata: meta }))
    await deliver(event('invoice.marked_uncollectible', { id: invoice!.stripe_invoice_id, object: 'invoice', metadata: meta }))
    const after = await db.selectFrom('invoices').select('status').where('id', '=', invoice!.id).executeTakeFirstOrThrow()
    expect(after.status).toBe('void')
  })

  it('a credit note made in Stripe’s dashboard is recorded here, numbered like ours, once', async () => {
    const { invoiceIds } = await billedOrders(1, 1)
    const [invoice] = await allSent(invoiceIds)
    const created = Math.floor(Date.now() / 1000)
    const creditNote = {
      id: `cn_${fx.run}`,
      object: 'credit_note',
      invoice: invoice!.stripe_invoice_id,
      total: 1_200,
      total_excluding_tax: 1_000,
      memo: 'Goodwill',
      created,
      metadata: {},
    }
    const first = await deliver(event('credit_note.created', creditNote))
    expect(first.body).toMatchObject({ duplicate: false, outcome: expect.stringMatching(/^COV-CN-\d{6} recorded from Stripe$/) })
    const notes = await db.selectFrom('credit_notes').selectAll().where('invoice_id', '=', invoice!.id).execute()
    expect(notes).toHaveLength(1)
    expect(notes[0]).toMatchObject({
      number: (first.body as { outcome: string }).outcome.split(' ')[0],
      reason: 'Credited in Stripe: Goodwill',
      net_pence: 1_000,
      vat_pence: 200,
      gross_pence: 1_200,
      issued_at: new Date(created * 1000),
      credit_key: `stripe:cn_${fx.run}`,
      stripe_credit_note_id: `cn_${fx.run}`,
      stripe_status: 'sent',
      journal_id: null,
    })
    const after = await db.selectFrom('invoices').selectAll().where('id', '=', invoice!.id).executeTakeFirstOrThrow()
    expect(after).toMatchObject({ status: 'open', amount_credited_pence: 1_200 })
    // The same credit note in another event (Stripe sends several kinds) is not recorded again.
    const again = await deliver(event('credit_note.created', creditNote))
    expect(again.body).toMatchObject({ duplicate: false, outcome: `${notes[0]!.number} already recorded` })
    expect(await db.selectFrom('credit_notes').select('id').where('invoice_id', '=', invoice!.id).execute()).toHaveLength(1)
  })

  it('payout.paid: fetches the payout’s balance transactions and records which invoices it settled', async () => {
    const { invoiceIds } = await billedOrders(2, 1)
    const invoices = await allSent(invoiceIds)
    for (const [i, invoice] of invoices.entries()) {
      await deliver(
        event('invoice_payment.paid', {
          id: `inpay_${fx.run}_${i}`,
          object: 'invoice_payment',
          invoice: invoice.stripe_invoice_id,
          amount_paid: invoice.gross_pence,
          payment: { type: 'payment_intent', payment_intent: `pi_${fx.run}_${i}` },
        }),
      )
    }
    const payoutId = `po_${fx.run}`
    mockStripe.addPayout({
      id: payoutId,
      amount: invoices.reduce((n, i) => n + i.gross_pence, 0) - 50,
      arrivalDate: new Date(),
      transactions: [
        ...invoices.map((invoice, i) => ({
          id: `txn_${fx.run}_${i}`,
          type: 'charge',
          amount: invoice.gross_pence,
          fee: 25,
          paymentIntent: `pi_${fx.run}_${i}`,
        })),
        { id: `txn_${fx.run}_unknown`, type: 'charge', amount: 1_234, paymentIntent: `pi_${fx.run}_someone_else` },
        { id: `txn_${fx.run}_payout`, type: 'payout', amount: -(invoices.reduce((n, i) => n + i.gross_pence, 0) - 50) },
      ],
    })
    expect((await deliver(event('payout.paid', { id: payoutId, object: 'payout', amount: 0, arrival_date: 0, status: 'paid' }))).status).toBe(200)
    const payout = await waitUntil('the payout reconciled', () =>
      db.selectFrom('stripe_payouts').selectAll().where('stripe_payout_id', '=', payoutId).executeTakeFirst(),
    )
    expect(payout.authority_id).toBe(fx.authorityId)
    const txns = await db
      .selectFrom('stripe_payout_transactions')
      .selectAll()
      .where('payout_id', '=', payout.id)
      .orderBy('balance_transaction_id')
      .execute()
    expect(txns).toHaveLength(4)
    const matched = txns.filter((t) => t.payment_id !== null)
    expect(matched).toHaveLength(2)
    const settled = await db
      .selectFrom('payment_allocations as pa')
      .innerJoin('payments as p', 'p.id', 'pa.payment_id')
      .select(['pa.invoice_id', 'p.stripe_payout_id'])
      .where(
        'pa.payment_id',
        'in',
        matched.map((t) => t.payment_id!),
      )
      .execute()
    expect(settled.map((s) => s.invoice_id).sort()).toEqual(invoices.map((i) => i.id).sort())
    expect(settled.every((s) => s.stripe_payout_id === payoutId)).toBe(true)
    expect(mockStripe.violations).toEqual([])
  })
})
