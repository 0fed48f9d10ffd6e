import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DB } from '../../db/connection'
import { cancelOrderLine, confirmOrderLine } from '~/models/ordering/capacity.server'
import { billOrders } from '~/models/billing/billing-run.server'
import { issueCreditNote } from '~/models/billing/credit-notes.server'
import { getDb } from '~/utils/db.server'
import { clock } from '~/utils/clock'
import { addDays } from '~/domain/dates'
import { monthLabel } from '~/domain/invoicing'
import { setStripeSettingsForTests } from '~/utils/stripe.server'
import { buildOrderFixture, type OrderFixture } from '../support/order-fixture'

/**
 * Issuing invoices and credit notes from confirmed lines, on the
 * shared integration database, with Stripe not configured (the embedded
 * default): academies' invoices are issued here only.
 */

let db: DB
const today = clock.today()

beforeAll(async () => {
  db = await getDb()
  setStripeSettingsForTests(null)
})

afterAll(() => setStripeSettingsForTests(undefined))

/** A confirmed order of one line per quantity. */
async function confirmedOrder(fx: OrderFixture, quantities: number[], schoolId?: string) {
  const order = await fx.order({ status: 'submitted', lines: quantities.map((quantity) => ({ quantity })), schoolId })
  for (const lineId of order.lineIds) expect(await confirmOrderLine(db, fx.authorityId, lineId)).toBe('confirmed')
  return order
}

async function invoicesOf(fx: OrderFixture, orderId: string) {
  return db
    .selectFrom('invoices')
    .selectAll()
    .where('authority_id', '=', fx.authorityId)
    .where('order_id', '=', orderId)
    .orderBy('sequence_number')
    .execute()
}

async function linesOf(invoiceId: string) {
  return db.selectFrom('invoice_lines').selectAll().where('invoice_id', '=', invoiceId).orderBy('charge_key').execute()
}

describe('annual in advance', () => {
  let fx: OrderFixture
  beforeAll(async () => {
    fx = await buildOrderFixture(db, { roomForDays: 100 })
  })

  it('a maintained school’s confirmed order is invoiced once, by internal recharge in this month’s journal', async () => {
    const order = await confirmedOrder(fx, [3, 2])
    const first = await billOrders(db, fx.authorityId, { orderIds: [order.id] })
    expect(first.invoiceIds).toHaveLength(1)
    const again = await billOrders(db, fx.authorityId, { orderIds: [order.id] })
    expect(again).toEqual({ invoiceIds: [], creditNoteIds: [] })

    const [invoice, ...more] = await invoicesOf(fx, order.id)
    expect(more).toEqual([])
    expect(invoice!.number).toMatch(/^COV-\d{6}$/)
    expect(invoice).toMatchObject({
      route: 'internal_recharge',
      status: 'open',
      net_pence: 275_000,
      vat_pence: 0,
      gross_pence: 275_000,
      po_number: 'PO-TEST',
      stripe_status: 'not_applicable',
    })
    const lastDay = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)), 0)).toISOString().slice(0, 10)
    expect(invoice!.due_on).toBe(lastDay)
    const journal = await db.selectFrom('recharge_journals').selectAll().where('id', '=', invoice!.journal_id!).executeTakeFirstOrThrow()
    expect(journal).toMatchObject({ month: `${today.slice(0, 7)}-01`, status: 'open' })
    const lines = await linesOf(invoice!.id)
    expect(lines.map((l) => [l.net_pence, l.charge_key])).toEqual([...order.lineIds].sort().map((id) => [expect.any(Number), `line:${id}:annual`]))
    expect(lines.reduce((n, l) => n + l.net_pence, 0)).toBe(275_000)

    const mail = await db
      .selectFrom('email_messages')
      .select(['to_address', 'template', 'subject', 'text'])
      .where('authority_id', '=', fx.authorityId)
      .where('idempotency_key', 'like', `invoice:${invoice!.id}:issued:%`)
      .execute()
    expect(mail).toHaveLength(1)
    expect(mail[0]).toMatchObject({
      to_address: fx.buyer.email,
      template: 'invoice-issued',
      subject: `Internal recharge ${invoice!.number} for £2,750`,
    })
    expect(mail[0]!.text).toContain('by internal recharge in the')
  })

  it('an academy is invoiced (issued here while Stripe is not configured), due in 30 days', async () => {
    await db.updateTable('schools').set({ school_type: 'academy', finance_route: 'invoice' }).where('id', '=', fx.schoolId).execute()
    try {
      const order = await confirmedOrder(fx, [1])
      await billOrders(db, fx.authorityId, { orderIds: [order.id] })
      const [invoice] = await invoicesOf(fx, order.id)
      const due = new Date(Date.parse(`${today}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10)
      expect(invoice).toMatchObject({ route: 'invoice', stripe_status: 'not_configured', journal_id: null, due_on: due })
    } finally {
      await db.updateTable('schools').set({ school_type: 'maintained', finance_route: 'internal_recharge' }).where('id', '=', fx.schoolId).execute()
    }
  })

  it('cancelling an invoiced line credits it in full and invoices the late-cancellation fee', async () => {
    const order = await confirmedOrder(fx, [4])
    await billOrders(db, fx.authorityId, { orderIds: [order.id] })
    const [invoice] = await invoicesOf(fx, order.id)
    await cancelOrderLine(db, fx.authorityId, order.lineIds[0]!, fx.buyer.id, 110_000)
    const result = await billOrders(db, fx.authorityId, { orderIds: [order.id] })
    expect(result.creditNoteIds).toHaveLength(1)
    expect(result.invoiceIds).toHaveLength(1)

    const note = await db.selectFrom('credit_notes').selectAll().where('id', '=', result.creditNoteIds[0]!).executeTakeFirstOrThrow()
    expect(note.number).toMatch(/^COV-CN-\d{6}$/)
    expect(note).toMatchObject({ invoice_id: invoice!.id, gross_pence: 220_000 })
    const credited = await db.selectFrom('invoices').selectAll().where('id', '=', invoice!.id).executeTakeFirstOrThrow()
    // The invoice itself is unchanged but for what has been credited against it.
    expect(credited).toMatchObject({ status: 'credited', amount_credited_pence: 220_000, gross_pence: 220_000, number: invoice!.number })

    const fee = await db.selectFrom('invoices').selectAll().where('id', '=', result.invoiceIds[0]!).executeTakeFirstOrThrow()
    expect(fee).toMatchObject({ gross_pence: 110_000, status: 'open' })
    expect((await linesOf(fee.id)).map((l) => l.charge_key)).toEqual([`line:${order.lineIds[0]}:late-fee`])
    expect(await billOrders(db, fx.authorityId, { orderIds: [order.id] })).toEqual({ invoiceIds: [], creditNoteIds: [] })
  })

  it('credits a cancelled line from the day it was cancelled, dated the day and moment billing is run for', async () => {
    const order = await confirmedOrder(fx, [1])
    const [invoiceId] = (await billOrders(db, fx.authorityId, { orderIds: [order.id] })).invoiceIds
    await cancelOrderLine(db, fx.authorityId, order.lineIds[0]!, fx.buyer.id, 0)
    const yesterday = addDays(today, -1)
    expect(await billOrders(db, fx.authorityId, { orderIds: [order.id], asOf: yesterday })).toEqual({ invoiceIds: [], creditNoteIds: [] })
    const at = new Date(`${today}T09:00:00Z`)
    const { creditNoteIds } = await billOrders(db, fx.authorityId, { orderIds: [order.id], asOf: today, now: at, notify: false })
    expect(creditNoteIds).toHaveLength(1)
    const note = await db.selectFrom('credit_notes').selectAll().where('id', '=', creditNoteIds[0]!).executeTakeFirstOrThrow()
    expect(note).toMatchObject({ invoice_id: invoiceId, gross_pence: 55_000, issued_at: at })
    // Told not to, billing emails nobody.
    const mail = await db.selectFrom('email_messages').select('id').where('idempotency_key', 'like', `credit-note:${note.id}:%`).execute()
    expect(mail).toEqual([])
  })
})

describe('credit notes a finance officer issues', () => {
  let fx: OrderFixture
  let financeOfficer: string
  beforeAll(async () => {
    fx = await buildOrderFixture(db, { roomForDays: 100 })
    const finance = await db
      .selectFrom('users as u')
      .innerJoin('user_roles as r', (j) => j.onRef('r.authority_id', '=', 'u.authority_id').onRef('r.user_id', '=', 'u.id'))
      .select('u.id')
      .where('u.authority_id', '=', fx.authorityId)
      .where('r.role', '=', 'finance')
      .orderBy('u.email')
      .executeTakeFirstOrThrow()
    financeOfficer = finance.id
  })

  async function creditEmails(creditNoteId: string) {
    return db
      .selectFrom('email_messages')
      .select(['to_address', 'template', 'text'])
      .where('authority_id', '=', fx.authorityId)
      .where('idempotency_key', 'like', `credit-note:${creditNoteId}:issued:%`)
      .execute()
  }

  it('credits part of an academy’s invoice with VAT in the invoice’s proportion, then the rest, and never more than is left', async () => {
    await db.updateTable('schools').set({ school_type: 'academy', finance_route: 'invoice' }).where('id', '=', fx.schoolId).execute()
    try {
      const order = await fx.order({ status: 'submitted', lines: [{ quantity: 2 }] })
      // VAT on the line, so that the credit's share of it shows.
      await db
        .updateTable('order_lines')
        .set({ vat_rate_basis_points: 2000, vat_pence: 22_000, gross_pence: 132_000 })
        .where('id', '=', order.lineIds[0]!)
        .execute()
      expect(await confirmOrderLine(db, fx.authorityId, order.lineIds[0]!)).toBe('confirmed')
      const [invoiceId] = (await billOrders(db, fx.authorityId, { orderIds: [order.id] })).invoiceIds
      const [invoice] = await invoicesOf(fx, order.id)
      expect(invoice).toMatchObject({ id: invoiceId, net_pence: 110_000, vat_pence: 22_000, gross_pence: 132_000 })

      const part = await issueCreditNote(db, fx.authorityId, invoiceId!, {
        grossPence: 13_200,
        reason: 'Correction: one visit rescheduled',
        actorUserId: financeOfficer,
      })
      if (!part.ok) throw new Error(`not credited: ${JSON.stringify(part)}`)
      expect(part.number).toMatch(/^COV-CN-\d{6}$/)
      const note = await db.selectFrom('credit_notes').selectAll().where('id', '=', part.creditNoteId).executeTakeFirstOrThrow()
      expect(note).toMatchObject({
        number: part.number,
        invoice_id: invoiceId,
        net_pence: 11_000,
        vat_pence: 2_200,
        gross_pence: 13_200,
        reason: 'Correction: one visit rescheduled',
        issued_by: financeOfficer,
        journal_id: null,
        stripe_status: 'not_configured',
        invoice_line_id: null,
      })
      expect(await db.selectFrom('invoices').selectAll().where('id', '=', invoiceId!).executeTakeFirstOrThrow()).toMatchObject({
        status: 'open',
        amount_credited_pence: 13_200,
      })
      const [mail, ...moreMail] = await creditEmails(part.creditNoteId)
      expect(moreMail).toEqual([])
      expect(mail).toMatchObject({ to_address: fx.buyer.email, template: 'credit-note-issued' })
      expect(mail!.text).toContain(part.number)

      expect(await issueCreditNote(db, fx.authorityId, invoiceId!, { grossPence: 118_801, reason: 'Too much', actorUserId: financeOfficer })).toEqual(
        {
          ok: false,
          tooMuch: true,
          creditablePence: 118_800,
        },
      )
      const rest = await issueCreditNote(db, fx.authorityId, invoiceId!, {
        grossPence: 118_800,
        reason: 'Correction: cancelled by agreement',
        actorUserId: financeOfficer,
      })
      if (!rest.ok) throw new Error(`not credited: ${JSON.stringify(rest)}`)
      expect(Number(rest.number.slice(-6))).toBe(Number(part.number.slice(-6)) + 1)
      expect(await db.selectFrom('invoices').selectAll().where('id', '=', invoiceId!).executeTakeFirstOrThrow()).toMatchObject({
        status: 'credited',
        amount_credited_pence: 132_000,
      })
      expect(await issueCreditNote(db, fx.authorityId, invoiceId!, { grossPence: 1, reason: 'Nothing left', actorUserId: financeOfficer })).toEqual({
        ok: false,
        tooMuch: true,
        creditablePence: 0,
      })
    } finally {
      await db.updateTable('schools').set({ school_type: 'maintained', finance_route: 'internal_recharge' }).where('id', '=', fx.schoolId).execute()
    }
  })

  it('credits a maintained school’s internal recharge in this month’s journal, and finds no invoice of another authority', async () => {
    const order = await confirmedOrder(fx, [1])
    const [invoiceId] = (await billOrders(db, fx.authorityId, { orderIds: [order.id] })).invoiceIds
    const result = await issueCreditNote(db, fx.authorityId, invoiceId!, {
      grossPence: 5_000,
      reason: 'Correction: half a day not given',
      actorUserId: financeOfficer,
    })
    if (!result.ok) throw new Error(`not credited: ${JSON.stringify(result)}`)
    const note = await db.selectFrom('credit_notes').selectAll().where('id', '=', result.creditNoteId).executeTakeFirstOrThrow()
    const journal = await db.selectFrom('recharge_journals').selectAll().where('id', '=', note.journal_id!).executeTakeFirstOrThrow()
    expect(journal).toMatchObject({ month: `${today.slice(0, 7)}-01`, status: 'open' })
    expect(note).toMatchObject({ net_pence: 5_000, vat_pence: 0, stripe_status: 'not_applicable' })
    expect((await creditEmails(result.creditNoteId))[0]!.text).toContain(`internal recharge in the ${monthLabel(journal.month)} journal`)

    const other = await db.selectFrom('authorities').select('id').where('slug', '=', 'northfield').executeTakeFirstOrThrow()
    expect(await issueCreditNote(db, other.id, invoiceId!, { grossPence: 1_000, reason: 'Wrong authority', actorUserId: null })).toEqual({
      ok: false,
      notFound: true,
    })
  })
})

describe('termly and on delivery', () => {
  it('termly: the instalments whose term has begun now, the spring one on 5 January', async () => {
    const fx = await buildOrderFixture(db, { roomForDays: 100, invoiceSchedule: 'termly' })
    const order = await confirmedOrder(fx, [10])
    await billOrders(db, fx.authorityId, { orderIds: [order.id], asOf: '2027-01-04' })
    let invoices = await invoicesOf(fx, order.id)
    expect(invoices).toHaveLength(1)
    expect((await linesOf(invoices[0]!.id)).map((l) => [l.charge_key!.split(':')[2], l.net_pence])).toEqual([
      ['term-1', 183_334],
      ['term-2', 183_333],
    ])
    await billOrders(db, fx.authorityId, { orderIds: [order.id], asOf: '2027-01-05' })
    invoices = await invoicesOf(fx, order.id)
    expect(invoices).toHaveLength(2)
    expect(invoices[1]).toMatchObject({ instalment: 3, net_pence: 183_333, period_label: 'Instalment 3 of 3' })
    expect(invoices.reduce((n, i) => n + i.net_pence, 0)).toBe(550_000)
  })

  it('on delivery: a month’s delivery is invoiced on the 1st of the next month', async () => {
    const fx = await buildOrderFixture(db, { roomForDays: 100, invoiceSchedule: 'on_delivery' })
    const order = await confirmedOrder(fx, [10])
    const lineId = order.lineIds[0]!
    await db
      .insertInto('delivery_records')
      .values([
        { authority_id: fx.authorityId, order_line_id: lineId, delivered_on: '2026-12-03', units: 1, hours: 6.5, practitioner: 'A. Practitioner' },
        { authority_id: fx.authorityId, order_line_id: lineId, delivered_on: '2026-12-17', units: 0.5, hours: 3.25, practitioner: 'A. Practitioner' },
        { authority_id: fx.authorityId, order_line_id: lineId, delivered_on: '2027-01-08', units: 1, hours: 6.5, practitioner: 'A. Practitioner' },
      ])
      .execute()
    await billOrders(db, fx.authorityId, { orderIds: [order.id], asOf: '2026-12-31' })
    expect(await invoicesOf(fx, order.id)).toEqual([])
    await billOrders(db, fx.authorityId, { orderIds: [order.id], asOf: '2027-01-01' })
    const [december] = await invoicesOf(fx, order.id)
    expect(december).toMatchObject({ billing_month: '2026-12-01', net_pence: 82_500, period_label: 'Delivered in December 2026' })
    const [line] = await linesOf(december!.id)
    expect(line).toMatchObject({ quantity: 1.5, unit_price_pence: 55_000, charge_key: `line:${lineId}:delivery:2026-12` })
  })
})

describe('invoice numbers', () => {
  it('100 invoices issued at once get 100 distinct, consecutive numbers', async () => {
    const fx = await buildOrderFixture(db, { roomForDays: 200 })
    const orders = []
    for (let i = 0; i < 100; i += 1) orders.push(await confirmedOrder(fx, [1]))
    const results = await Promise.all(orders.map((o) => billOrders(db, fx.authorityId, { orderIds: [o.id] })))
    expect(results.every((r) => r.invoiceIds.length === 1)).toBe(true)
    const rows = await db
      .selectFrom('invoices')
      .select(['number', 'sequence_number'])
      .where('authority_id', '=', fx.authorityId)
      .where(
        'order_id',
        'in',
        orders.map((o) => o.id),
      )
      .orderBy('sequence_number')
      .execute()
    expect(new Set(rows.map((r) => r.number)).size).toBe(100)
    const first = rows[0]!.sequence_number
    expect(rows.map((r) => r.sequence_number)).toEqual(Array.from({ length: 100 }, (_, i) => first + i))
    expect(rows.map((r) => r.number)).toEqual(rows.map((r) => `COV-${String(r.sequence_number).padStart(6, '0')}`))
  })
})
