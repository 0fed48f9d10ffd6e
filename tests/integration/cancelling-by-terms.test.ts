import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { confirmOrderLine } from '~/models/ordering/capacity.server'
import { billOrders } from '~/models/billing/billing-run.server'
import { action, loader } from '~/routes/orders.$orderId_.cancel'
import { getDb } from '~/utils/db.server'
import { getBoss, jobQueueSchema } from '~/utils/jobs.server'
import { buildOrderFixture, get, post, settle, type OrderFixture } from '../support/order-fixture'

/**
 * Cancelling one line or a whole order by SPEC §7's rules, on throwaway
 * schools and teams, with the clock at 22 November 2026 (summer and autumn
 * terms of 2026/27 begun): a yearly line is charged for the terms begun,
 * notice in school days, one line at a time, and two cancellations at once
 * never charge or credit twice.
 */

const context = { clientIp: '127.0.0.1' }
/** A class for the year, £550, termly, 30 days' notice, no late fee. */
let yearly: OrderFixture
/** Days on delivery, 5 school days' notice, half the price if late. */
let visits: OrderFixture
/** Days in advance, 30 days' notice, half the price if late. */
let days: OrderFixture

beforeAll(async () => {
  const db = await getDb()
  await getBoss()
  yearly = await buildOrderFixture(db, { roomForDays: 20, invoiceSchedule: 'termly', noticeDays: 30, lateFeePercent: 0 })
  await db.updateTable('offers').set({ unit_one: 'class', unit_other: 'classes', sold_by: 'year' }).where('id', '=', yearly.offerId).execute()
  visits = await buildOrderFixture(db, { roomForDays: 20, invoiceSchedule: 'on_delivery', noticeDays: 5, lateFeePercent: 50 })
  await db.updateTable('offers').set({ notice_in_school_days: true }).where('id', '=', visits.offerId).execute()
  days = await buildOrderFixture(db, { roomForDays: 20, noticeDays: 30, lateFeePercent: 50 })
})

async function confirmed(f: OrderFixture, input: Parameters<OrderFixture['order']>[0]) {
  const order = await f.order(input)
  const db = await getDb()
  for (const id of order.lineIds) await confirmOrderLine(db, f.authorityId, id)
  return order
}

const preview = async (f: OrderFixture, orderId: string) =>
  settle(loader({ request: get(`/orders/${orderId}/cancel`, await f.cookieFor(f.buyer.id)), params: { orderId }, context }))
const cancel = async (f: OrderFixture, orderId: string, fields: Record<string, string>) =>
  settle(action({ request: post(`/orders/${orderId}/cancel`, fields, await f.cookieFor(f.buyer.id)), params: { orderId }, context }))

async function lineRows(orderId: string) {
  const db = await getDb()
  return db
    .selectFrom('order_lines')
    .select(['id', 'status', 'cancellation_fee_pence'])
    .where('order_id', '=', orderId)
    .orderBy('period_start')
    .orderBy('id')
    .execute()
}

const words = (line: { decision: { parts: { words: string }[] } }) => line.decision.parts.map((p) => p.words)

describe('cancelling by SPEC §7', () => {
  it('a yearly line under way is charged for the terms begun: the invoices are credited and the charge invoiced, once', async () => {
    const db = await getDb()
    const order = await confirmed(yearly, { status: 'submitted', lines: [{ quantity: 1 }] })
    const billed = await billOrders(db, yearly.authorityId, { orderIds: [order.id] })
    expect(billed.invoiceIds.length).toBeGreaterThan(0)
    const page = await preview(yearly, order.id)
    expect(page.status).toBe(200)
    expect(page.body.order.feePence).toBe(36_667)
    expect(words(page.body.order.cancellable[0])).toEqual(['Autumn and summer terms begun: £366.67 of £550 charged'])

    // Two cancellations at once: one cancels, the other finds nothing left.
    const answers = await Promise.all([0, 1, 2].map(() => cancel(yearly, order.id, { confirm: 'yes', feePence: '36667' })))
    expect(answers.map((a) => a.status).sort()).toEqual([302, 409, 409])
    expect(await lineRows(order.id)).toMatchObject([{ status: 'cancelled', cancellation_fee_pence: 36_667 }])

    // Billing, run twice at once and again: what was invoiced is credited once, the charge invoiced once.
    await Promise.allSettled([0, 1].map(() => billOrders(db, yearly.authorityId, { orderIds: [order.id] })))
    await billOrders(db, yearly.authorityId, { orderIds: [order.id] })
    const invoiced = await db
      .selectFrom('invoice_lines as il')
      .innerJoin('invoices as i', 'i.id', 'il.invoice_id')
      .select(['il.id', 'il.gross_pence', 'il.charge_key'])
      .where('il.order_line_id', '=', order.lineIds[0]!)
      .where('i.status', '!=', 'void')
      .execute()
    const credits = await db
      .selectFrom('credit_notes')
      .select(['gross_pence', 'invoice_line_id'])
      .where(
        'invoice_line_id',
        'in',
        invoiced.map((l) => l.id),
      )
      .execute()
    const invoicedTotal = invoiced.reduce((n, l) => n + Number(l.gross_pence), 0)
    const creditedTotal = credits.reduce((n, c) => n + Number(c.gross_pence), 0)
    expect(new Set(credits.map((c) => c.invoice_line_id)).size).toBe(credits.length)
    expect(invoiced.filter((l) => l.charge_key?.endsWith(':late-fee')).map((l) => Number(l.gross_pence))).toEqual([36_667])
    // What the school owes for the line in the end: the terms begun.
    expect(invoicedTotal - creditedTotal).toBe(36_667)
  })

  it('cancels one line of an order and leaves the others, with the charge for that line only', async () => {
    const order = await confirmed(days, {
      status: 'submitted',
      lines: [
        { quantity: 1, periodStart: '2027-02-01' },
        { quantity: 2, periodStart: '2026-12-01' },
      ],
    })
    const page = await preview(days, order.id)
    expect(page.body.order.cancellable).toHaveLength(2)
    const soon = page.body.order.cancellable.find((l: { id: string }) => l.id === order.lineIds[1])
    // 2 days starting 1 December: 9 days' notice of 30, half of £1,100.
    expect(words(soon)).toEqual(['Less than 30 days’ notice: fee £550'])
    const done = await cancel(days, order.id, { confirm: 'yes', lineId: order.lineIds[1]!, feePence: '55000' })
    expect(done.status).toBe(302)
    expect((await lineRows(order.id)).map((l) => [l.id, l.status, l.cancellation_fee_pence])).toEqual([
      [order.lineIds[1], 'cancelled', 55_000],
      [order.lineIds[0], 'confirmed', 0],
    ])
    // A line of another order, or a line already cancelled, is refused and changes nothing.
    expect((await cancel(days, order.id, { confirm: 'yes', lineId: order.lineIds[1]! })).status).toBe(409)
    const other = await confirmed(days, { status: 'submitted', lines: [{ quantity: 1, periodStart: '2027-02-01' }] })
    expect((await cancel(days, order.id, { confirm: 'yes', lineId: other.lineIds[0]! })).status).toBe(404)
    expect((await lineRows(other.id))[0]!.status).toBe('confirmed')
    // The whole order: what is left.
    expect((await cancel(days, order.id, { confirm: 'yes', feePence: '0' })).status).toBe(302)
    expect((await lineRows(order.id)).map((l) => l.status)).toEqual(['cancelled', 'cancelled'])
  })

  it('one line and the whole order cancelled at once: each line is cancelled and charged exactly once', async () => {
    const order = await confirmed(days, {
      status: 'submitted',
      lines: [
        { quantity: 1, periodStart: '2026-12-01' },
        { quantity: 2, periodStart: '2027-02-01' },
      ],
    })
    const [soon] = order.lineIds
    const answers = await Promise.all(
      [soon, undefined, soon, undefined, soon, undefined].map((lineId) =>
        cancel(days, order.id, lineId ? { confirm: 'yes', lineId } : { confirm: 'yes' }),
      ),
    )
    // The first to go through cancels the line or the whole order; after a line, the whole order's
    // cancellation still finds the other line; everything else finds nothing left.
    expect([1, 2]).toContain(answers.filter((a) => a.status === 302).length)
    expect(answers.every((a) => a.status === 302 || a.status === 409)).toBe(true)
    const db = await getDb()
    const events = await db
      .selectFrom('order_events')
      .select('order_line_id')
      .where('order_id', '=', order.id)
      .where('to_status', '=', 'cancelled')
      .where('order_line_id', 'is not', null)
      .execute()
    expect(events.map((e) => e.order_line_id).sort()).toEqual([...order.lineIds].sort())
    const rows = await lineRows(order.id)
    expect(rows.map((l) => [l.id, l.status, l.cancellation_fee_pence])).toEqual([
      [soon, 'cancelled', 27_500],
      [order.lineIds[1], 'cancelled', 0],
    ])
    // Billing is told once for each cancellation that went through (it charges the fee or credits the rest).
    const billing = await sql<{
      n: number
    }>`select count(*)::int as n from ${sql.table(`${jobQueueSchema()}.job`)} where name = 'bill-order' and data->>'orderId' = ${order.id}`.execute(
      db,
    )
    expect(billing.rows[0]!.n).toBe(answers.filter((a) => a.status === 302).length)
    // One email for each cancellation that went through, none for those that found nothing left.
    expect((await days.emails(order.id)).filter((e) => e.template === 'order-cancelled')).toHaveLength(answers.filter((a) => a.status === 302).length)
  })

  it('counts the notice in school days when the offer says so', async () => {
    // Sunday 22 November to Friday 27 November: 4 school days (5 calendar days) of the 5 asked.
    const order = await confirmed(visits, { status: 'submitted', lines: [{ quantity: 2, periodStart: '2026-11-27' }] })
    const page = await preview(visits, order.id)
    expect(page.body.order.feePence).toBe(55_000)
    expect(words(page.body.order.cancellable[0])).toEqual(['Less than 5 school days’ notice: fee £550'])
    const db = await getDb()
    await db.updateTable('offers').set({ notice_in_school_days: false }).where('id', '=', visits.offerId).execute()
    try {
      expect((await preview(visits, order.id)).body.order.feePence).toBe(0)
    } finally {
      await db.updateTable('offers').set({ notice_in_school_days: true }).where('id', '=', visits.offerId).execute()
    }
  })

  it('the demo counts notice in school days where the offer’s terms say so (attendance casework), else in calendar days (clerking)', async () => {
    const db = await getDb()
    const rows = await db
      .selectFrom('offers as o')
      .innerJoin('authorities as a', 'a.id', 'o.authority_id')
      .select(['o.slug', 'o.notice_in_school_days'])
      .where('a.slug', '=', 'coventry')
      .where('o.slug', 'in', ['attendance-casework-days', 'clerking-agreement', 'whole-class-ensemble'])
      .orderBy('o.slug')
      .execute()
    expect(rows.map((r) => [r.slug, r.notice_in_school_days])).toEqual([
      ['attendance-casework-days', true],
      ['clerking-agreement', false],
      ['whole-class-ensemble', false],
    ])
  })
})
