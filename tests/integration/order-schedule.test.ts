import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD_HASH } from '../../db/seed/factories'
import { addToBasket } from '~/models/ordering/basket-changes.server'
import { getBasket } from '~/models/ordering/basket.server'
import { approveOrder } from '~/models/ordering/approvals.server'
import { getOrderSchedule } from '~/models/ordering/order-schedule.server'
import { submitBasket } from '~/models/ordering/place-order.server'
import { loader as orderLoader } from '~/routes/orders.$orderId'
import { loader as scheduleLoader } from '~/routes/orders.$orderId_.schedule'
import { loader as pdfLoader } from '~/routes/orders.$orderId_.schedule[.pdf]'
import { clock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { pdfText } from '../support/pdf'
import { buildOrderFixture, get, settle, type OrderFixture } from '../support/order-fixture'
import { insertTestSchool } from '../support/schools'

/**
 * Terms accepted, delivery records and the order schedule (issue 15 items 3
 * and 4): acceptance recorded at submission and at approval; the schedule's
 * figures (lines, invoice plan from the invoicing rules, the terms text);
 * the same access as the order page. Throwaway schools and teams only.
 */

const context = { clientIp: '127.0.0.1' }
const run = randomUUID().slice(0, 8)
let authorityId: string
let f: OrderFixture
let other: OrderFixture
const schools: string[] = []
const userIds: string[] = []

beforeAll(async () => {
  const db = await getDb()
  authorityId = (await db.selectFrom('authorities').select('id').where('slug', '=', 'coventry').executeTakeFirstOrThrow()).id
  f = await buildOrderFixture(db, { roomForDays: 10 })
  other = await buildOrderFixture(db, { roomForDays: 5 })
})

afterAll(async () => {
  const db = await getDb()
  if (schools.length) {
    await db.deleteFrom('orders').where('authority_id', '=', authorityId).where('school_id', 'in', schools).execute()
    await db.deleteFrom('email_messages').where('authority_id', '=', authorityId).where('to_address', 'like', `terms-%-${run}@example.org`).execute()
    await db.deleteFrom('audit_events').where('authority_id', '=', authorityId).where('actor_user_id', 'in', userIds).execute()
    await db.deleteFrom('user_roles').where('authority_id', '=', authorityId).where('user_id', 'in', userIds).execute()
    await db.deleteFrom('users').where('authority_id', '=', authorityId).where('id', 'in', userIds).execute()
    await db.deleteFrom('schools').where('authority_id', '=', authorityId).where('id', 'in', schools).execute()
  }
})

/** A throwaway school whose every order waits for approval (a limit of 1p): no seeded capacity is taken. */
async function makeBuyer() {
  const db = await getDb()
  const school = await insertTestSchool(db, {
    authority_id: authorityId,
    name: `Terms Primary ${run}`,
    phase: 'primary',
    school_type: 'maintained',
    pupil_count: 200,
    approval_limit_pence: 1,
    finance_route: 'internal_recharge',
  })
  const user = await db
    .insertInto('users')
    .values({
      authority_id: authorityId,
      email: `terms-${schools.length}-${run}@example.org`,
      name: `Terms buyer ${run}`,
      password_hash: DEMO_PASSWORD_HASH,
      school_id: school.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  schools.push(school.id)
  userIds.push(user.id)
  return { authorityId, schoolId: school.id, userId: user.id }
}

/** Makes `terms` a version of the fixture's service and records it on the order's lines, as submission would. */
async function termsOnLines(fixture: OrderFixture, orderId: string, terms: string, version = 1) {
  const db = await getDb()
  const v = await db
    .insertInto('service_terms_versions')
    .values({ authority_id: fixture.authorityId, service_id: fixture.serviceId, version, terms, created_at: new Date('2026-09-03T09:00:00Z') })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .updateTable('order_lines')
    .set({ terms_version_id: v.id })
    .where('authority_id', '=', fixture.authorityId)
    .where('order_id', '=', orderId)
    .execute()
}

describe('terms accepted', () => {
  it('are recorded at submission: who and when, with the version in force on each line', async () => {
    const db = await getDb()
    const buyer = await makeBuyer()
    const epDays = await db
      .selectFrom('offers')
      .select(['id', 'service_id'])
      .where('authority_id', '=', authorityId)
      .where('slug', '=', 'ep-days')
      .executeTakeFirstOrThrow()
    expect(await addToBasket(db, buyer, { offerId: epDays.id, quantity: 1 })).toMatchObject({ ok: true })
    const basket = (await getBasket(db, buyer))!
    const submitted = await submitBasket(db, buyer, basket.id)
    expect(submitted).toMatchObject({ kind: 'submitted', status: 'awaiting_approval' })
    const order = await db
      .selectFrom('orders')
      .select(['terms_accepted_by', 'terms_accepted_at', 'terms_approved_by', 'terms_approved_at', 'submitted_at'])
      .where('id', '=', basket.id)
      .executeTakeFirstOrThrow()
    expect(order.terms_accepted_by).toBe(buyer.userId)
    expect(order.terms_accepted_at).not.toBeNull()
    expect(order.terms_accepted_at?.toISOString()).toBe(order.submitted_at?.toISOString())
    expect(order.terms_approved_by).toBeNull()
    const inForce = await db
      .selectFrom('service_terms_versions')
      .select(['version', 'terms'])
      .where('authority_id', '=', authorityId)
      .where('service_id', '=', epDays.service_id)
      .orderBy('version', 'desc')
      .executeTakeFirstOrThrow()

    const schedule = (await getOrderSchedule(db, { kind: 'school', authorityId, schoolId: buyer.schoolId }, basket.id))!
    expect(schedule.acceptance).toMatchObject({ acceptedBy: `Terms buyer ${run}`, approvedBy: null })
    expect(schedule.acceptance.services).toEqual([
      expect.objectContaining({ serviceName: 'Educational Psychology', version: inForce.version, terms: inForce.terms }),
    ])
    // Not confirmed yet: nothing dated, and the plan says why.
    expect(schedule.plan.charges).toEqual([])
    expect(schedule.plan.notes[0]!.note).toContain('once the headteacher approves')
  })

  it('are recorded again at approval: the headteacher accepts them for the school', async () => {
    const db = await getDb()
    const order = await f.order({ status: 'awaiting_approval', lines: [{ quantity: 2 }] })
    const result = await approveOrder(db, { authorityId: f.authorityId, schoolId: f.schoolId, userId: f.head.id }, order.id)
    expect(result).toMatchObject({ ok: true, confirmed: [expect.any(String)] })
    const row = await db
      .selectFrom('orders')
      .select(['terms_approved_by', 'terms_approved_at', 'approved_at'])
      .where('id', '=', order.id)
      .executeTakeFirstOrThrow()
    expect(row.terms_approved_by).toBe(f.head.id)
    expect(row.terms_approved_at?.toISOString()).toBe(row.approved_at?.toISOString())
  })
})

describe('the order schedule', () => {
  it('has the lines, the invoice plan from the invoicing rules, the terms text and each delivery', async () => {
    const db = await getDb()
    const order = await f.order({ status: 'awaiting_approval', lines: [{ quantity: 3 }] })
    await termsOnLines(f, order.id, 'Cancel 30 days ahead.\n\nDays are 6.5 hours.')
    await approveOrder(db, { authorityId: f.authorityId, schoolId: f.schoolId, userId: f.head.id }, order.id)
    await db
      .insertInto('delivery_records')
      .values({
        authority_id: f.authorityId,
        order_line_id: order.lineIds[0]!,
        delivered_on: '2026-11-20',
        units: 1,
        hours: 6.5,
        practitioner: `Dr Practitioner ${f.run}`,
        note: 'Consultation with the SENCo',
      })
      .execute()

    const schedule = (await getOrderSchedule(db, { kind: 'school', authorityId: f.authorityId, schoolId: f.schoolId }, order.id))!
    expect(schedule.order).toMatchObject({ reference: order.reference, poNumber: 'PO-TEST', grossPence: 165_000 })
    expect(schedule.order.lines).toEqual([
      expect.objectContaining({ quantity: 3, unitPricePence: 55_000, periodStart: '2026-04-01', periodEnd: '2027-03-31' }),
    ])
    // Annual in advance, confirmed today (22 November 2026), after its period began: invoiced today, whole, by recharge.
    expect(schedule.plan.charges).toEqual([
      expect.objectContaining({ issueOn: clock.today(), grossPence: 165_000, route: 'internal_recharge', invoiceNumber: null, isFee: false }),
    ])
    expect(schedule.plan.totalPence).toBe(schedule.order.grossPence)
    // The order page's "to be invoiced on" reads the same rule.
    expect(schedule.order.lines[0]!.nextInvoiceOn).toBe(schedule.plan.charges[0]!.issueOn)
    expect(schedule.acceptance.services).toEqual([
      expect.objectContaining({ serviceName: `Test service ${f.run}`, version: 1, terms: 'Cancel 30 days ahead.\n\nDays are 6.5 hours.' }),
    ])
    expect(schedule.acceptance).toMatchObject({ acceptedBy: null, approvedBy: `head ${f.run}` })
    expect(schedule.deliveries[order.lineIds[0]!]).toEqual([
      expect.objectContaining({
        deliveredOn: '2026-11-20',
        units: 1,
        hours: 6.5,
        practitioner: `Dr Practitioner ${f.run}`,
        note: 'Consultation with the SENCo',
      }),
    ])

    // The order page shows the same delivery records and terms.
    const buyer = await f.cookieFor(f.buyer.id)
    const page = await settle(orderLoader({ request: get(`/orders/${order.id}`, buyer), params: { orderId: order.id }, context }))
    expect(page.status).toBe(200)
    expect(page.body.deliveries[order.lineIds[0]!]).toHaveLength(1)
    expect(page.body.acceptance.services[0].version).toBe(1)

    // The page and the PDF read the same function.
    const html = await settle(scheduleLoader({ request: get(`/orders/${order.id}/schedule`, buyer), params: { orderId: order.id }, context }))
    expect(html.status).toBe(200)
    expect(html.body.schedule.plan.totalPence).toBe(165_000)
    const started = performance.now()
    const pdf = (await pdfLoader({ request: get(`/orders/${order.id}/schedule.pdf`, buyer), params: { orderId: order.id }, context })) as Response
    const elapsed = performance.now() - started
    expect(pdf.status).toBe(200)
    expect(pdf.headers.get('Content-Type')).toBe('application/pdf')
    expect(pdf.headers.get('Cache-Control')).toBe('private, no-store')
    const text = await pdfText(await pdf.arrayBuffer())
    expect(text).toContain(`Order schedule ${order.reference}`)
    expect(text).toContain('PO-TEST')
    expect(text).toContain('£1,650')
    expect(text).toContain('terms version 1, of 3 September 2026')
    expect(text).toContain('Cancel 30 days ahead.')
    expect(text).toContain('Internal recharge')
    console.info(`order schedule PDF rendered in ${Math.round(elapsed)} ms`)
  })

  it('answers another school’s order, and a missing one, with 404; council staff see it', async () => {
    const order = await f.order({ status: 'submitted', lines: [{ quantity: 1 }] })
    const theirs = await other.cookieFor(other.buyer.id)
    const missing = randomUUID()
    for (const [id, cookie] of [
      [order.id, theirs],
      [missing, await f.cookieFor(f.buyer.id)],
    ] as const) {
      expect((await settle(scheduleLoader({ request: get(`/orders/${id}/schedule`, cookie), params: { orderId: id }, context }))).status).toBe(404)
      expect((await settle(pdfLoader({ request: get(`/orders/${id}/schedule.pdf`, cookie), params: { orderId: id }, context }))).status).toBe(404)
    }
    // The service's lead sees the order (their service's line) and its schedule.
    const lead = await f.cookieFor(f.lead.id)
    expect(
      (await settle(scheduleLoader({ request: get(`/orders/${order.id}/schedule`, lead), params: { orderId: order.id }, context }))).status,
    ).toBe(200)
    // The other fixture's lead does not.
    const otherLead = await other.cookieFor(other.lead.id)
    expect(
      (await settle(pdfLoader({ request: get(`/orders/${order.id}/schedule.pdf`, otherLead), params: { orderId: order.id }, context }))).status,
    ).toBe(404)
  })
})
