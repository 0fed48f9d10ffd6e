import { beforeAll, describe, expect, it } from 'vitest'
import { clock } from '~/utils/clock'
import { confirmOrderLine } from '~/models/ordering/capacity.server'
import { action, loader } from '~/routes/orders.$orderId_.cancel'
import { getDb } from '~/utils/db.server'
import { buildOrderFixture, get, post, settle, type OrderFixture } from '../support/order-fixture'

/**
 * "Cancel order" (/orders/:id/cancel) on throwaway schools and a throwaway
 * team with room for 5 days; the offer asks 30 days' notice, else 50%.
 */

const context = { clientIp: '127.0.0.1' }
let f: OrderFixture
let other: OrderFixture
let buyerCookie: string

function daysFromToday(n: number): string {
  const d = new Date(`${clock.today()}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

beforeAll(async () => {
  const db = await getDb()
  f = await buildOrderFixture(db, { roomForDays: 5, noticeDays: 30, lateFeePercent: 50 })
  other = await buildOrderFixture(db, { roomForDays: 5 })
  buyerCookie = await f.cookieFor(f.buyer.id)
})

async function confirmed(input: Parameters<OrderFixture['order']>[0]) {
  const order = await f.order(input)
  const db = await getDb()
  for (const id of order.lineIds) await confirmOrderLine(db, f.authorityId, id)
  return order
}

const preview = (orderId: string, cookie = buyerCookie) =>
  settle(loader({ request: get(`/orders/${orderId}/cancel`, cookie), params: { orderId }, context }))
const cancel = (orderId: string, fields: Record<string, string>, cookie = buyerCookie) =>
  settle(action({ request: post(`/orders/${orderId}/cancel`, fields, cookie), params: { orderId }, context }))

async function lines(orderId: string) {
  const db = await getDb()
  return db.selectFrom('order_lines').select(['id', 'status', 'cancellation_fee_pence']).where('order_id', '=', orderId).orderBy('quantity').execute()
}

describe('cancelling an order', () => {
  it('is free with the notice period, and frees the team’s hours for the waiting list, oldest first', async () => {
    const mine = await confirmed({ status: 'submitted', lines: [{ quantity: 5, periodStart: daysFromToday(40) }] })
    // Another school's 2 days wait: the team is full.
    const theirs = await f.order({ status: 'submitted', lines: [{ quantity: 2 }], schoolId: other.schoolId, createdBy: other.buyer.id })
    const db = await getDb()
    expect(await confirmOrderLine(db, f.authorityId, theirs.lineIds[0]!)).toBe('waitlisted')

    const page = await preview(mine.id)
    expect(page.status).toBe(200)
    expect(page.body.order.feePence).toBe(0)
    expect(page.body.order.cancellable).toHaveLength(1)

    // Without the confirmation nothing happens.
    expect((await cancel(mine.id, {})).status).toBe(400)
    expect((await lines(mine.id))[0]!.status).toBe('confirmed')

    const done = await cancel(mine.id, { confirm: 'yes', feePence: '0' })
    expect(done.status).toBe(302)
    expect(done.location).toBe(`/orders/${mine.id}?cancelled=1`)
    expect(await lines(mine.id)).toMatchObject([{ status: 'cancelled', cancellation_fee_pence: 0 }])
    const released = await db
      .selectFrom('capacity_reservations')
      .select('released_at')
      .where('order_line_id', '=', mine.lineIds[0]!)
      .executeTakeFirstOrThrow()
    expect(released.released_at).not.toBeNull()
    expect(await lines(theirs.id)).toMatchObject([{ status: 'confirmed' }])

    expect((await f.emails(mine.id)).map((e) => [e.template, e.to_address])).toEqual([['order-cancelled', f.buyer.email]])
    const promoted = await f.emails(theirs.id)
    expect(promoted.map((e) => [e.template, e.to_address])).toEqual([['order-promoted', other.buyer.email]])
    expect(promoted[0]!.subject).toContain('confirmed from the waiting list')

    // Again: nothing left to cancel, nothing sent twice.
    const again = await cancel(mine.id, { confirm: 'yes' })
    expect(again.status).toBe(409)
    expect(await f.emails(mine.id)).toHaveLength(1)
  })

  it('inside the notice period costs the late-cancellation fee, shown before confirming', async () => {
    const mine = await confirmed({ status: 'submitted', lines: [{ quantity: 2, periodStart: daysFromToday(5) }] })
    const page = await preview(mine.id)
    expect(page.body.order.feePence).toBe(55_000)
    // A stale figure is refused and the new one shown.
    const stale = await cancel(mine.id, { confirm: 'yes', feePence: '0' })
    expect(stale.status).toBe(409)
    expect(stale.body.notice).toContain('£550')
    expect((await lines(mine.id))[0]!.status).toBe('confirmed')

    expect((await cancel(mine.id, { confirm: 'yes', feePence: '55000' })).status).toBe(302)
    expect(await lines(mine.id)).toMatchObject([{ status: 'cancelled', cancellation_fee_pence: 55_000 }])
    const [mail] = await f.emails(mine.id)
    expect(mail!.text).toContain('Cancelling charges £550')
  })

  it('cancels the undelivered rest of a line delivered in part: what was delivered is charged, its hours stay used', async () => {
    const mine = await confirmed({
      status: 'submitted',
      lines: [
        { quantity: 1, periodStart: daysFromToday(60) },
        { quantity: 2, periodStart: '2026-09-01' },
      ],
    })
    const db = await getDb()
    const deliveredLine = (await lines(mine.id))[1]!.id
    await db
      .insertInto('delivery_records')
      .values({
        authority_id: f.authorityId,
        order_line_id: deliveredLine,
        delivered_on: '2026-10-01',
        units: 1,
        hours: 6.5,
        practitioner: 'Test',
        recorded_by: f.lead.id,
      })
      .execute()
    const page = await preview(mine.id)
    expect(page.body.order.cancellable).toHaveLength(2)
    const partly = page.body.order.cancellable.find((l: { id: string }) => l.id === deliveredLine)
    // 1 day delivered at £550; the day left is under way and inside 30 days' notice: half of £550.
    expect(partly.decision.parts.map((p: { words: string }) => p.words)).toEqual([
      '1 day delivered: £550 charged',
      'Less than 30 days’ notice: fee £275',
    ])
    expect(page.body.order.feePence).toBe(82_500)
    expect((await cancel(mine.id, { confirm: 'yes', feePence: '82500' })).status).toBe(302)
    expect((await lines(mine.id)).map((l) => [l.status, l.cancellation_fee_pence])).toEqual([
      ['cancelled', 0],
      ['cancelled', 82_500],
    ])
    const reservation = await db
      .selectFrom('capacity_reservations')
      .select(['hours', 'released_at'])
      .where('order_line_id', '=', deliveredLine)
      .executeTakeFirstOrThrow()
    expect({ hours: Number(reservation.hours), released: reservation.released_at !== null }).toEqual({ hours: 6.5, released: false })
  })

  it('another school’s order is not found; council staff may not cancel', async () => {
    const theirs = await other.order({ status: 'submitted', lines: [{ quantity: 1 }] })
    expect((await preview(theirs.id)).status).toBe(404)
    expect((await cancel(theirs.id, { confirm: 'yes' })).status).toBe(404)
    expect((await lines(theirs.id))[0]!.status).toBe('submitted')
    const leadCookie = await f.cookieFor(f.lead.id)
    const mine = await f.order({ status: 'submitted', lines: [{ quantity: 1 }] })
    expect((await cancel(mine.id, { confirm: 'yes' }, leadCookie)).status).toBe(403)
  })
})
