import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { queueOrderEmails } from '~/models/ordering/notifications.server'
import { action, loader } from '~/routes/approvals'
import { getDb } from '~/utils/db.server'
import { jobQueueSchema } from '~/utils/jobs.server'
import { buildOrderFixture, get, post, settle, type OrderFixture } from '../support/order-fixture'

/**
 * The headteacher's approvals, through /approvals' loader and action, on
 * throwaway schools and teams (tests/support/order-fixture.ts).
 */

const context = { clientIp: '127.0.0.1' }
let f: OrderFixture
let other: OrderFixture
let headCookie: string
let buyerCookie: string

beforeAll(async () => {
  const db = await getDb()
  // Room for 5 days.
  f = await buildOrderFixture(db, { roomForDays: 5 })
  other = await buildOrderFixture(db, { roomForDays: 5 })
  headCookie = await f.cookieFor(f.head.id)
  buyerCookie = await f.cookieFor(f.buyer.id)
})

const approve = (orderId: string, cookie = headCookie) =>
  settle(action({ request: post('/approvals', { intent: 'approve', orderId }, cookie), params: {}, context }))
const reject = (orderId: string, reason: string, cookie = headCookie) =>
  settle(action({ request: post('/approvals', { intent: 'reject', orderId, reason }, cookie), params: {}, context }))

async function statuses(orderId: string) {
  const db = await getDb()
  const order = await db
    .selectFrom('orders')
    .select(['status', 'approved_by', 'approved_at', 'rejection_reason'])
    .where('id', '=', orderId)
    .executeTakeFirstOrThrow()
  const lines = await db.selectFrom('order_lines').select(['id', 'status']).where('order_id', '=', orderId).orderBy('hours').execute()
  return { order, lines: lines.map((l) => l.status) }
}

describe('/approvals', () => {
  it('lists the school’s orders awaiting approval, with reference, lines, total and PO number', async () => {
    const order = await f.order({ status: 'awaiting_approval', lines: [{ quantity: 1 }] })
    const answer = await settle(loader({ request: get('/approvals', headCookie), params: {}, context }))
    expect(answer.status).toBe(200)
    const listed = answer.body.orders.find((o: { id: string }) => o.id === order.id)
    expect(listed).toMatchObject({ reference: order.reference, poNumber: 'PO-TEST', grossPence: 55_000, orderedBy: `buyer ${f.run}` })
    expect(listed.lines).toHaveLength(1)
    // Another school's orders are not listed.
    const theirs = await other.order({ status: 'awaiting_approval', lines: [{ quantity: 1 }] })
    const again = await settle(loader({ request: get('/approvals', headCookie), params: {}, context }))
    expect(again.body.orders.map((o: { id: string }) => o.id)).not.toContain(theirs.id)
  })

  it('approving decides each line by capacity: what fits is confirmed, the rest waitlisted', async () => {
    // 3 days fit in the 5 left; then 4 days do not (only the first approval's lines reserve).
    const fits = await f.order({ status: 'awaiting_approval', lines: [{ quantity: 3 }] })
    const answer = await approve(fits.id)
    expect(answer.status).toBe(302)
    expect(answer.location).toBe(`/approvals?decided=${fits.id}`)
    const after = await statuses(fits.id)
    expect(after.order.status).toBe('confirmed')
    expect(after.order.approved_by).toBe(f.head.id)
    expect(after.lines).toEqual(['confirmed'])

    const tooBig = await f.order({ status: 'awaiting_approval', lines: [{ quantity: 1 }, { quantity: 4 }] })
    await approve(tooBig.id)
    const mixed = await statuses(tooBig.id)
    expect(mixed.lines).toEqual(['confirmed', 'waitlisted'])

    // The page says what happened.
    const page = await settle(loader({ request: get(`/approvals?decided=${tooBig.id}`, headCookie), params: {}, context }))
    expect(page.body.outcome).toMatchObject({ reference: tooBig.reference, confirmed: 1, waitlisted: 1 })

    // Both sides were told of the approval; the business manager of each decision.
    const emails = await f.emails(tooBig.id)
    const approved = emails
      .filter((e) => e.template === 'order-approved')
      .map((e) => e.to_address)
      .sort()
    expect(approved).toEqual([f.buyer.email, f.head.email].sort())
    expect(emails.filter((e) => e.template === 'order-confirmed').map((e) => e.to_address)).toEqual([f.buyer.email])
    expect(emails.filter((e) => e.template === 'order-waitlisted').map((e) => e.to_address)).toEqual([f.buyer.email])
    const confirmedMail = emails.find((e) => e.template === 'order-confirmed')!
    expect(confirmedMail.subject).toBe(`Order ${tooBig.reference} confirmed`)
    expect(confirmedMail.text).toContain(`/orders/${tooBig.id}`)
    expect(confirmedMail.text).toContain('What happens next')
  })

  it('six approvals at once (two tabs, double clicks) approve the order once', async () => {
    const order = await f.order({ status: 'awaiting_approval', lines: [{ quantity: 1 }] })
    const second = await f.cookieFor(f.head.id)
    const answers = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => (i % 2 ? approve(order.id, second) : approve(order.id))))
    expect(answers.map((a) => a.status).sort()).toEqual([302, 409, 409, 409, 409, 409])
    for (const refused of answers.filter((a) => a.status === 409)) expect(refused.body.notice).toContain('has already been approved')
    const db = await getDb()
    const events = await db
      .selectFrom('order_events')
      .select('to_status')
      .where('order_id', '=', order.id)
      .where('to_status', '=', 'submitted')
      .execute()
    expect(events).toHaveLength(1)
    const reservations = await db.selectFrom('capacity_reservations').select('id').where('order_line_id', '=', order.lineIds[0]!).execute()
    expect(reservations).toHaveLength(1)
    expect((await f.emails(order.id)).filter((e) => e.template === 'order-approved')).toHaveLength(2)
    // Confirming hands the order to billing once: one bill-order job, in the same transaction.
    const billing = await sql<{
      n: number
    }>`select count(*)::int as n from ${sql.table(`${jobQueueSchema()}.job`)} where name = 'bill-order' and data->>'orderId' = ${order.id}`.execute(
      db,
    )
    expect(billing.rows[0]!.n).toBe(1)
  })

  it('rejecting needs a reason of at most 500 characters, and nothing changes without one', async () => {
    const order = await f.order({ status: 'awaiting_approval', lines: [{ quantity: 1 }] })
    const empty = await reject(order.id, '   ')
    expect(empty.status).toBe(400)
    expect(empty.body.errors[`reason-${order.id}`]).toBe('Enter the reason for rejecting the order')
    const long = await reject(order.id, 'x'.repeat(501))
    expect(long.status).toBe(400)
    expect(long.body.errors[`reason-${order.id}`]).toBe('The reason must be 500 characters or fewer')
    expect((await statuses(order.id)).order.status).toBe('awaiting_approval')

    const done = await reject(order.id, 'We already have this from another provider')
    expect(done.status).toBe(302)
    const after = await statuses(order.id)
    expect(after.order).toMatchObject({ status: 'rejected', rejection_reason: 'We already have this from another provider' })
    expect(after.lines).toEqual(['rejected'])
    const emails = await f.emails(order.id)
    const rejected = emails.filter((e) => e.template === 'order-rejected')
    expect(rejected.map((e) => e.to_address).sort()).toEqual([f.buyer.email, f.head.email].sort())
    expect(rejected[0]!.text).toContain('We already have this from another provider')
    // Decided: approving now changes nothing.
    const late = await approve(order.id)
    expect(late.status).toBe(409)
    expect(late.body.notice).toContain('has already been rejected')
  })

  it('a headteacher may not approve an order they placed: nothing changes, the page says why and offers no approve button', async () => {
    const own = await f.order({ status: 'awaiting_approval', createdBy: f.head.id, lines: [{ quantity: 1 }] })
    const theirs = await f.order({ status: 'awaiting_approval', lines: [{ quantity: 1 }] })
    const page = await settle(loader({ request: get('/approvals', headCookie), params: {}, context }))
    const listed = (id: string) => page.body.orders.find((o: { id: string }) => o.id === id)
    expect(listed(own.id)).toMatchObject({ mayApprove: false })
    expect(listed(theirs.id)).toMatchObject({ mayApprove: true })

    const before = await statuses(own.id)
    const answer = await approve(own.id)
    expect(answer.status).toBe(403)
    expect(answer.body).toEqual({
      notice: `You placed this order, so another approver at your school must approve it: order ${own.reference} has not been approved.`,
    })
    expect(await statuses(own.id)).toEqual(before)
    expect(before.order).toMatchObject({ status: 'awaiting_approval', approved_by: null })
    expect((await f.emails(own.id)).filter((e) => e.template === 'order-approved')).toEqual([])

    // Rejecting it is allowed: it only withdraws the order.
    expect((await reject(own.id, 'Ordered by mistake')).status).toBe(302)
    expect((await statuses(own.id)).order.status).toBe('rejected')
  })

  it('another school’s order is not found, and the business manager may not approve', async () => {
    const theirs = await other.order({ status: 'awaiting_approval', lines: [{ quantity: 1 }] })
    expect((await approve(theirs.id)).status).toBe(404)
    expect((await reject(theirs.id, 'No')).status).toBe(404)
    expect((await statuses(theirs.id)).order.status).toBe('awaiting_approval')
    const mine = await f.order({ status: 'awaiting_approval', lines: [{ quantity: 1 }] })
    expect((await approve(mine.id, buyerCookie)).status).toBe(403)
    expect((await settle(loader({ request: get('/approvals', buyerCookie), params: {}, context }))).status).toBe(403)
  })

  it('order emails are idempotent: announcing the same thing twice queues once', async () => {
    const order = await f.order({ status: 'awaiting_approval', lines: [{ quantity: 1 }] })
    const db = await getDb()
    for (let i = 0; i < 2; i++) {
      await db.transaction().execute((trx) => queueOrderEmails(trx, { authorityId: f.authorityId, orderId: order.id, event: 'awaiting_approval' }))
    }
    const emails = await f.emails(order.id)
    expect(emails.map((e) => [e.template, e.to_address])).toEqual([['order-awaiting-approval', f.head.email]])
    expect(emails[0]!.idempotency_key).toBe(`order:${order.id}:awaiting_approval:${f.head.id}`)
    expect(emails[0]!.text).toContain('/approvals')
  })

  it('with nobody who ordered, the school’s active business managers are told', async () => {
    const order = await f.order({ status: 'submitted', lines: [{ quantity: 1 }], createdBy: null })
    const db = await getDb()
    await queueOrderEmails(db, { authorityId: f.authorityId, orderId: order.id, event: 'received' })
    expect((await f.emails(order.id)).map((e) => e.to_address)).toEqual([f.buyer.email])
  })
})
