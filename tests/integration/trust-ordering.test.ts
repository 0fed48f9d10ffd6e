import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD_HASH } from '../../db/seed/factories'
import { idFor } from '../../db/seed/random'
import type { Role } from '~/domain/roles'
import { billOrders } from '~/models/billing/billing-run.server'
import { approveOrder, listAwaitingApproval } from '~/models/ordering/approvals.server'
import { addToBasket } from '~/models/ordering/basket-changes.server'
import { getBasket } from '~/models/ordering/basket.server'
import type { TrustBasket } from '~/models/trusts/ordering.server'
import * as basketRoute from '~/routes/trust_.basket'
import * as orderRoute from '~/routes/trust_.orders.$trustOrderId'
import * as schoolOrderRoute from '~/routes/orders.$orderId'
import * as renewalsRoute from '~/routes/renewals'
import * as invoicesRoute from '~/routes/invoices._index'
import * as invoiceRoute from '~/routes/invoices.$invoiceId'
import * as statementRoute from '~/routes/statement'
import * as spendRoute from '~/routes/spend'
import { clock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { createSession } from '~/utils/session.server'
import { settle } from '../support/answers'
import { insertTestSchool } from '../support/schools'

/**
 * A trust buying for its member schools (issue 16, docs/decisions/0035): one
 * basket for several schools at each school's own price, one trust order of
 * one order per school, the trust's approver at the trust's limit, and two
 * buyers submitting at once placing it once. The trust and its academies are
 * this file's own, so that other files' orders do not move its figures.
 */

const context = { clientIp: '127.0.0.1' }
const EP_DAYS = idFor('coventry/offer/educational-psychology/ep-days')
const run = randomUUID().slice(0, 8)
let authorityId = ''
let trustId = ''
const schools = { a: '', b: '', outsider: '' }
const users = { buyer: '', buyer2: '', approver: '', headA: '', buyerA: '', otherTrustBuyer: '' }
const cookies: Record<keyof typeof users, string> = { buyer: '', buyer2: '', approver: '', headA: '', buyerA: '', otherTrustBuyer: '' }

async function addUser(key: keyof typeof users, role: Role, link: { school_id: string } | { trust_id: string }) {
  const db = await getDb()
  const user = await db
    .insertInto('users')
    .values({
      authority_id: authorityId,
      email: `trust-ordering-${key.toLowerCase()}-${run}@example.org`,
      name: `Trust ordering ${key}`,
      password_hash: DEMO_PASSWORD_HASH,
      ...link,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.insertInto('user_roles').values({ authority_id: authorityId, user_id: user.id, role }).execute()
  users[key] = user.id
  cookies[key] = (await createSession(db, new Request('http://localhost/'), { id: user.id, authorityId }, '127.0.0.1')).split(';')[0]!
}

function post(
  route: { action: (args: any) => unknown },
  path: string,
  cookie: string,
  fields: Record<string, string>,
  params: Record<string, string> = {},
) {
  const request = new Request(`http://localhost${path}`, {
    method: 'POST',
    headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  })
  return settle(route.action({ request, params, context }))
}

// A whole year's membership, invoiced in advance once confirmed; its team has room all year, unlike the EP team in the demo.
const SENCO_NETWORK = idFor('coventry/offer/sen-early-years/early-years-senco-network')

const addFor = (schoolId: string, quantity: number, cookie = cookies.buyer, offerId = EP_DAYS, more: Record<string, string> = {}) =>
  post(basketRoute, '/trust/basket', cookie, { intent: 'add', offerId, schoolId, quantity: String(quantity), ...more })

async function basket(cookie = cookies.buyer) {
  const answer = await settle(
    basketRoute.loader({ request: new Request('http://localhost/trust/basket', { headers: { Cookie: cookie } }), params: {}, context }),
  )
  expect(answer.status).toBe(200)
  return answer.body.basket as TrustBasket
}

const submit = async (cookie = cookies.buyer) => {
  const current = await basket()
  return post(basketRoute, '/trust/basket', cookie, {
    intent: 'submit',
    poNumber: `PO-${run}`,
    basketIds: current.parts.map((p) => p.orderId).join(','),
  })
}

async function setLimit(pence: number) {
  const db = await getDb()
  await db.updateTable('trusts').set({ approval_limit_pence: pence }).where('authority_id', '=', authorityId).where('id', '=', trustId).execute()
}

async function groupOf(trustOrderId: string) {
  const db = await getDb()
  return db
    .selectFrom('orders')
    .select(['id', 'school_id', 'status', 'gross_pence', 'po_number'])
    .where('authority_id', '=', authorityId)
    .where('trust_order_id', '=', trustOrderId)
    .orderBy('school_id')
    .execute()
}

const trustOrderIdOf = (location: string | null) => /^\/trust\/orders\/([0-9a-f-]{36})/.exec(location ?? '')?.[1] ?? ''

beforeAll(async () => {
  const db = await getDb()
  authorityId = (await db.selectFrom('authorities').select('id').where('slug', '=', 'coventry').executeTakeFirstOrThrow()).id
  const academy = (name: string) =>
    insertTestSchool(db, {
      authority_id: authorityId,
      name: `${name} ${run}`,
      phase: 'primary',
      school_type: 'academy',
      pupil_count: 300,
      approval_limit_pence: 100_000_000,
      finance_route: 'invoice',
    }).then((s) => s.id)
  schools.a = await academy('Trust Ordering Alpha Academy')
  schools.b = await academy('Trust Ordering Beta Academy')
  schools.outsider = await academy('Trust Ordering Outsider Academy')
  trustId = (
    await db
      .insertInto('trusts')
      .values({ authority_id: authorityId, name: `Trust Ordering Trust ${run}`, approval_limit_pence: 100_000_000, invoicing: 'per_school' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id
  await db
    .insertInto('trust_memberships')
    .values([schools.a, schools.b].map((school_id) => ({ authority_id: authorityId, trust_id: trustId, school_id, joined_on: '2020-09-01' })))
    .execute()
  await addUser('buyer', 'trust_buyer', { trust_id: trustId })
  await addUser('buyer2', 'trust_buyer', { trust_id: trustId })
  await addUser('approver', 'trust_approver', { trust_id: trustId })
  await addUser('headA', 'school_approver', { school_id: schools.a })
  await addUser('buyerA', 'school_buyer', { school_id: schools.a })
  const threeSpiresBuyer = await db.selectFrom('users').select('id').where('email', '=', 'buyer@three-spires.example').executeTakeFirstOrThrow()
  users.otherTrustBuyer = threeSpiresBuyer.id
  cookies.otherTrustBuyer = (await createSession(db, new Request('http://localhost/'), { id: threeSpiresBuyer.id, authorityId }, '127.0.0.1')).split(
    ';',
  )[0]!
})

describe('a trust’s basket', () => {
  it('holds lines for two member schools, each at the school’s own price, beside the school’s own basket, and refuses a school outside the trust', async () => {
    expect((await addFor(schools.a, 2)).status).toBe(303)
    expect((await addFor(schools.b, 10)).status).toBe(303)
    const refused = await addFor(schools.outsider, 1)
    expect(refused.status).toBe(400)
    expect(refused.body.errors.schoolId).toBe('Choose one of the trust’s schools')
    const chooseNone = await addFor('', 1)
    expect(chooseNone.status).toBe(400)
    expect(chooseNone.body.errors.schoolId).toBeTruthy()

    const current = await basket()
    expect(current.parts.map((p) => p.schoolName)).toEqual([`Trust Ordering Alpha Academy ${run}`, `Trust Ordering Beta Academy ${run}`])
    const [a, b] = current.parts.map((p) => p.lines[0]!)
    // The volume tier is each school's own: 2 days at £550, 10 days at £500 (not 12 pooled days), with VAT for academies.
    expect([a!.unitPricePence, a!.netPence, a!.grossPence]).toEqual([55_000, 110_000, 132_000])
    expect([b!.unitPricePence, b!.netPence, b!.grossPence]).toEqual([50_000, 500_000, 600_000])
    expect(current.grossPence).toBe(732_000)

    // Alpha's own business manager, buying the same for Alpha, is quoted the same price, in Alpha's own basket.
    const db = await getDb()
    const own = await addToBasket(db, { authorityId, schoolId: schools.a, userId: users.buyerA }, { offerId: EP_DAYS, quantity: 2 })
    expect(own.ok).toBe(true)
    const ownBasket = await getBasket(db, { authorityId, schoolId: schools.a })
    expect(ownBasket!.lines.map((l) => [l.unitPricePence, l.grossPence])).toEqual([[55_000, 132_000]])
    expect(ownBasket!.id).not.toBe(current.parts[0]!.orderId)
    await db.deleteFrom('order_lines').where('authority_id', '=', authorityId).where('order_id', '=', ownBasket!.id).execute()

    // A quantity changed, then back; a line that is not in the trust's basket is not there.
    expect((await post(basketRoute, '/trust/basket', cookies.buyer, { intent: 'update', lineId: a!.id, quantity: '3' })).status).toBe(303)
    expect((await basket()).parts[0]!.lines[0]!.grossPence).toBe(198_000)
    expect((await post(basketRoute, '/trust/basket', cookies.buyer, { intent: 'update', lineId: a!.id, quantity: '2' })).status).toBe(303)
    expect((await post(basketRoute, '/trust/basket', cookies.otherTrustBuyer, { intent: 'remove', lineId: a!.id })).status).toBe(404)
    expect((await post(basketRoute, '/trust/basket', cookies.buyerA, { intent: 'remove', lineId: a!.id })).status).toBe(403)
  })

  it('below the trust’s limit is placed as one order per school, grouped as one trust order; submitting again finds it', async () => {
    const current = await basket()
    await setLimit(current.grossPence + 1)
    const placed = await submit()
    expect(placed.status).toBe(303)
    const trustOrderId = trustOrderIdOf(placed.location)
    expect(placed.location).toBe(`/trust/orders/${trustOrderId}?placed=1`)
    const db = await getDb()
    const trustOrder = await db
      .selectFrom('trust_orders')
      .selectAll()
      .where('authority_id', '=', authorityId)
      .where('id', '=', trustOrderId)
      .executeTakeFirstOrThrow()
    expect(trustOrder).toMatchObject({
      trust_id: trustId,
      status: 'submitted',
      gross_pence: 732_000,
      net_pence: 610_000,
      po_number: `PO-${run}`,
      submitted_by: users.buyer,
    })
    expect(trustOrder.reference).toMatch(/^TRO-\d{4}-\d{5}$/)
    const group = await groupOf(trustOrderId)
    expect(group.map((o) => o.school_id).sort()).toEqual([schools.a, schools.b].sort())
    expect(group.map((o) => o.gross_pence).sort()).toEqual([132_000, 600_000])
    for (const o of group) {
      expect(['submitted', 'confirmed', 'waitlisted']).toContain(o.status)
      expect(o.po_number).toBe(`PO-${run}`)
    }
    // The basket is empty again, and the same submit again is sent to the order it placed.
    expect((await basket()).parts).toEqual([])
    const again = await post(basketRoute, '/trust/basket', cookies.buyer, {
      intent: 'submit',
      poNumber: '',
      basketIds: group.map((o) => o.id).join(','),
    })
    expect(again.location).toBe(`/trust/orders/${trustOrderId}`)

    // The trust order's page: both schools' lines at their own prices; another trust's buyer gets 404.
    const page = await settle(
      orderRoute.loader({
        request: new Request(`http://localhost/trust/orders/${trustOrderId}`, { headers: { Cookie: cookies.buyer } }),
        params: { trustOrderId },
        context,
      }),
    )
    expect(
      page.body.order.parts.map((p: { schoolName: string; lines: { unitPricePence: number }[] }) => [p.schoolName, p.lines[0]!.unitPricePence]),
    ).toEqual([
      [`Trust Ordering Alpha Academy ${run}`, 55_000],
      [`Trust Ordering Beta Academy ${run}`, 50_000],
    ])
    const other = await settle(
      orderRoute.loader({
        request: new Request(`http://localhost/trust/orders/${trustOrderId}`, { headers: { Cookie: cookies.otherTrustBuyer } }),
        params: { trustOrderId },
        context,
      }),
    )
    expect(other.status).toBe(404)

    // Billing it twice at once issues each school's invoice once: EP days are invoiced once confirmed.
    const ids = group.map((o) => o.id)
    await Promise.all([
      billOrders(db, authorityId, { orderIds: ids, notify: false, stripe: false }),
      billOrders(db, authorityId, { orderIds: ids, notify: false, stripe: false }),
    ])
    for (const o of await groupOf(trustOrderId)) {
      const { rows } = await sql<{
        n: number
      }>`select count(*)::int as n from invoices where authority_id = ${authorityId} and order_id = ${o.id}`.execute(db)
      expect(rows[0]!.n, o.status).toBe(o.status === 'confirmed' ? 1 : 0)
    }
  })

  it('at or above the trust’s limit waits for the trust’s approver, not the school’s headteacher, and is approved as one', async () => {
    expect((await addFor(schools.a, 1)).status).toBe(303)
    expect((await addFor(schools.b, 1)).status).toBe(303)
    const current = await basket()
    expect(current.grossPence).toBe(132_000)
    expect(current.needsApproval).toBe(false)
    await setLimit(132_000)
    expect((await basket()).needsApproval).toBe(true)
    const placed = await submit()
    const trustOrderId = trustOrderIdOf(placed.location)
    const db = await getDb()
    const group = await groupOf(trustOrderId)
    expect(group.map((o) => o.status)).toEqual(['awaiting_approval', 'awaiting_approval'])

    // The headteacher neither sees nor approves the trust's order.
    expect((await listAwaitingApproval(db, authorityId, schools.a)).map((o) => o.id)).not.toContain(group.find((o) => o.school_id === schools.a)!.id)
    const byHead = await approveOrder(db, { authorityId, schoolId: schools.a, userId: users.headA }, group.find((o) => o.school_id === schools.a)!.id)
    expect(byHead).toEqual({ ok: false, notFound: true })
    // The trust's approvers are emailed, once per school's part.
    const { rows: mail } = await sql<{ n: number }>`
      select count(*)::int as n from email_messages
      where authority_id = ${authorityId} and to_address = ${`trust-ordering-approver-${run}@example.org`} and idempotency_key like ${'%awaiting_approval%'}`.execute(
      db,
    )
    expect(mail[0]!.n).toBe(2)

    // The buyer cannot approve; the approver can, once.
    const path = `/trust/orders/${trustOrderId}`
    expect((await post(orderRoute, path, cookies.buyer, { intent: 'approve' }, { trustOrderId })).status).toBe(403)
    const rejectWithout = await post(orderRoute, path, cookies.approver, { intent: 'reject', reason: '' }, { trustOrderId })
    expect(rejectWithout.status).toBe(400)
    expect(rejectWithout.body.errors.reason).toBe('Enter the reason for rejecting the order')
    expect((await post(orderRoute, path, cookies.approver, { intent: 'approve' }, { trustOrderId })).status).toBe(303)
    expect((await post(orderRoute, path, cookies.approver, { intent: 'approve' }, { trustOrderId })).status).toBe(409)
    const approved = await db
      .selectFrom('trust_orders')
      .select(['status', 'approved_by'])
      .where('authority_id', '=', authorityId)
      .where('id', '=', trustOrderId)
      .executeTakeFirstOrThrow()
    expect(approved).toEqual({ status: 'submitted', approved_by: users.approver })
    for (const o of await groupOf(trustOrderId)) {
      expect(['submitted', 'confirmed', 'waitlisted']).toContain(o.status)
      const event = await db
        .selectFrom('order_events')
        .select('note')
        .where('authority_id', '=', authorityId)
        .where('order_id', '=', o.id)
        .where('to_status', '=', 'submitted')
        .where('from_status', '=', 'awaiting_approval')
        .executeTakeFirstOrThrow()
      expect(event.note).toContain('Approved by the trust’s approver')
    }
  })

  it('submitted by two of the trust’s buyers at once is placed once, and capacity is never oversold', async () => {
    expect((await addFor(schools.a, 1)).status).toBe(303)
    expect((await addFor(schools.b, 2, cookies.buyer2)).status).toBe(303)
    await setLimit(100_000_000)
    const db = await getDb()
    const before = await db
      .selectFrom('trust_orders')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('trust_id', '=', trustId)
      .executeTakeFirstOrThrow()
    const ids = (await basket()).parts.map((p) => p.orderId).join(',')
    const both = await Promise.all(
      [cookies.buyer, cookies.buyer2].map((cookie) => post(basketRoute, '/trust/basket', cookie, { intent: 'submit', poNumber: '', basketIds: ids })),
    )
    const placedIds = both.map((a) => trustOrderIdOf(a.location))
    expect(placedIds[0]).toBe(placedIds[1])
    const after = await db
      .selectFrom('trust_orders')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('trust_id', '=', trustId)
      .executeTakeFirstOrThrow()
    expect(Number(after.n)).toBe(Number(before.n) + 1)
    expect((await groupOf(placedIds[0]!)).length).toBe(2)
    // The EP team's year: what is reserved never exceeds its capacity.
    const { rows } = await sql<{ reserved: number; capacity: number }>`
      select coalesce(sum(r.hours), 0)::float as reserved,
             (ty.establishment_fte * ty.chargeable_hours_per_fte + ty.sessional_hours)::float as capacity
      from team_years ty
      join services s on s.authority_id = ty.authority_id and s.team_id = ty.team_id and s.slug = 'educational-psychology'
      left join capacity_reservations r on r.authority_id = ty.authority_id and r.team_id = ty.team_id and r.trading_year = ty.trading_year and r.released_at is null
      where ty.authority_id = ${authorityId}
      group by ty.trading_year, ty.establishment_fte, ty.chargeable_hours_per_fte, ty.sessional_hours`.execute(db)
    expect(rows.length).toBeGreaterThan(0)
    for (const r of rows) expect(r.reserved).toBeLessThanOrEqual(r.capacity + 1e-6)
  })
  it('with consolidated invoicing, one invoice to the trust holds both schools’ lines, however its orders are billed, and only the trust reads it', async () => {
    const db = await getDb()
    await db.updateTable('trusts').set({ invoicing: 'consolidated' }).where('authority_id', '=', authorityId).where('id', '=', trustId).execute()
    await setLimit(100_000_000)
    const fromAutumn = { tradingYear: '2026', startFrom: '2026-autumn' }
    expect((await addFor(schools.a, 1, cookies.buyer, SENCO_NETWORK, fromAutumn)).status).toBe(303)
    expect((await addFor(schools.b, 1, cookies.buyer, SENCO_NETWORK, fromAutumn)).status).toBe(303)
    const quoted = (await basket()).parts.map((p) => p.lines[0]!)
    const placed = await submit()
    const trustOrderId = trustOrderIdOf(placed.location)
    const group = await groupOf(trustOrderId)
    expect(group.map((o) => o.status)).toEqual(['confirmed', 'confirmed'])

    // Each school's order billed on its own, both at once: still one invoice, to the trust.
    await Promise.all(group.map((o) => billOrders(db, authorityId, { orderIds: [o.id], stripe: false })))
    await billOrders(db, authorityId, { orderIds: group.map((o) => o.id), stripe: false })
    const invoices = await db
      .selectFrom('invoices')
      .selectAll()
      .where('authority_id', '=', authorityId)
      .where((eb) =>
        eb.or([
          eb('trust_order_id', '=', trustOrderId),
          eb(
            'order_id',
            'in',
            group.map((o) => o.id),
          ),
        ]),
      )
      .execute()
    expect(invoices).toHaveLength(1)
    const invoice = invoices[0]!
    expect(invoice).toMatchObject({ trust_id: trustId, school_id: null, order_id: null, route: 'invoice', po_number: `PO-${run}` })
    const lines = await db
      .selectFrom('invoice_lines')
      .select(['school_id', 'description', 'unit_price_pence', 'gross_pence'])
      .where('authority_id', '=', authorityId)
      .where('invoice_id', '=', invoice.id)
      .orderBy('description')
      .execute()
    // Each at the price its school was quoted in the basket (no VAT on this offer).
    expect(quoted.map((l) => l.grossPence)).toEqual([quoted[0]!.netPence, quoted[1]!.netPence])
    expect(lines.map((l) => [l.school_id, l.unit_price_pence, l.gross_pence])).toEqual([
      [schools.a, quoted[0]!.unitPricePence, quoted[0]!.grossPence],
      [schools.b, quoted[1]!.unitPricePence, quoted[1]!.grossPence],
    ])
    expect(quoted[0]!.grossPence).toBeGreaterThan(0)
    expect(lines[0]!.description).toMatch(new RegExp(`^Trust Ordering Alpha Academy ${run}: `))
    expect(lines[1]!.description).toMatch(new RegExp(`^Trust Ordering Beta Academy ${run}: `))
    expect(invoice.gross_pence).toBe(lines.reduce((n, l) => n + l.gross_pence, 0))

    // The trust's business managers are emailed, not the schools'.
    const { rows: mail } = await sql<{ to_address: string }>`
      select to_address from email_messages
      where authority_id = ${authorityId} and idempotency_key like ${`invoice:${invoice.id}:issued:%`} order by to_address`.execute(db)
    expect(mail.map((m) => m.to_address)).toEqual([`trust-ordering-buyer-${run}@example.org`, `trust-ordering-buyer2-${run}@example.org`])

    // The trust reads it (page and the trust's list); the school's own users, and another trust, get 404.
    const read = (cookie: string) =>
      settle(
        invoiceRoute.loader({
          request: new Request(`http://localhost/invoices/${invoice.id}`, { headers: { Cookie: cookie } }),
          params: { invoiceId: invoice.id },
          context,
        }),
      )
    const asTrust = await read(cookies.approver)
    expect(asTrust.status).toBe(200)
    expect(asTrust.body.invoice.school).toMatchObject({ id: trustId, name: `Trust Ordering Trust ${run}`, trust: true, urn: null })
    expect(asTrust.body.invoice.trustOrder.id).toBe(trustOrderId)
    expect(asTrust.body.invoice.lines).toHaveLength(2)
    expect((await read(cookies.buyerA)).status).toBe(404)
    expect((await read(cookies.otherTrustBuyer)).status).toBe(404)
    const page = await settle(
      orderRoute.loader({
        request: new Request(`http://localhost/trust/orders/${trustOrderId}`, { headers: { Cookie: cookies.buyer } }),
        params: { trustOrderId },
        context,
      }),
    )
    expect(page.body.invoices.map((i: { number: string }) => i.number)).toEqual([invoice.number])
    await db.updateTable('trusts').set({ invoicing: 'per_school' }).where('authority_id', '=', authorityId).where('id', '=', trustId).execute()
  })

  it('answers a member school’s renewal proposal for it (the business manager; the approver reads it), and not another school’s', async () => {
    const db = await getDb()
    const window = await db
      .selectFrom('renewal_windows')
      .select(['id', 'trading_year'])
      .where('authority_id', '=', authorityId)
      .where('opens_on', '<=', clock.today())
      .where('closes_on', '>=', clock.today())
      .executeTakeFirstOrThrow()
    const proposal = await db
      .insertInto('renewal_proposals')
      .values({ authority_id: authorityId, window_id: window.id, school_id: schools.b, trading_year: window.trading_year })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db
      .insertInto('renewal_proposal_lines')
      .values({
        authority_id: authorityId,
        proposal_id: proposal.id,
        offer_id: EP_DAYS,
        quantity: 10,
        last_year_quantity: 10,
        last_year_used_units: 4,
      })
      .execute()
    const path = `/renewals?school=${schools.b}`
    const read = (cookie: string, at = path) =>
      settle(renewalsRoute.loader({ request: new Request(`http://localhost${at}`, { headers: { Cookie: cookie } }), params: {}, context }))
    const asBuyer = await read(cookies.buyer)
    expect(asBuyer.status).toBe(200)
    expect(asBuyer.body.schoolName).toBe(`Trust Ordering Beta Academy ${run}`)
    expect(asBuyer.body.canAct).toBe(true)
    expect(asBuyer.body.renewal.proposal.id).toBe(proposal.id)
    expect((await read(cookies.approver)).body.canAct).toBe(false)
    // Not a member, or no school named: not found.
    expect((await read(cookies.buyer, `/renewals?school=${schools.outsider}`)).status).toBe(404)
    expect((await read(cookies.buyer, '/renewals')).status).toBe(404)
    expect((await read(cookies.otherTrustBuyer)).status).toBe(404)

    expect((await post(renewalsRoute, path, cookies.approver, { intent: 'decline', proposalId: proposal.id, reason: 'No' })).status).toBe(403)
    const declined = await post(renewalsRoute, path, cookies.buyer, {
      intent: 'decline',
      proposalId: proposal.id,
      reason: 'The trust is buying educational psychology centrally next year.',
    })
    expect(declined.location).toBe(`/renewals?school=${schools.b}&done=declined`)
    const row = await db
      .selectFrom('renewal_proposals')
      .select(['status', 'decided_by'])
      .where('authority_id', '=', authorityId)
      .where('id', '=', proposal.id)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ status: 'declined', decided_by: users.buyer })
  })

  it('shows the trust’s users a member school’s invoices, statement and spend, one school at a time, and no other school’s', async () => {
    const db = await getDb()
    const invoices = await db
      .selectFrom('invoices')
      .select(['id', 'school_id'])
      .where('authority_id', '=', authorityId)
      .where('school_id', 'in', [schools.a, schools.b])
      .execute()
    const open = (route: { loader: (args: any) => unknown }, path: string, params: Record<string, string> = {}, cookie = cookies.approver) =>
      settle(route.loader({ request: new Request(`http://localhost${path}`, { headers: { Cookie: cookie } }), params, context }))
    const list = await open(invoicesRoute, `/invoices?school=${schools.b}`)
    expect(list.status).toBe(200)
    expect(list.body.schoolId).toBe(schools.b)
    expect(list.body.members.map((m: { id: string }) => m.id).sort()).toEqual([schools.a, schools.b].sort())
    expect(list.body.documents.map((d: { id: string }) => d.id).sort()).toEqual(
      invoices
        .filter((i) => i.school_id === schools.b)
        .map((i) => i.id)
        .sort(),
    )
    // A school outside the trust named in the address: the first member's instead.
    expect((await open(invoicesRoute, `/invoices?school=${schools.outsider}`)).body.schoolId).toBe(schools.a)
    for (const invoice of invoices) {
      expect((await open(invoiceRoute, `/invoices/${invoice.id}`, { invoiceId: invoice.id })).status).toBe(200)
      // Another trust's users find nothing.
      expect((await open(invoiceRoute, `/invoices/${invoice.id}`, { invoiceId: invoice.id }, cookies.otherTrustBuyer)).status).toBe(404)
    }
    const statement = await open(statementRoute, `/statement?school=${schools.b}`)
    expect(statement.status).toBe(200)
    expect(statement.body.statement.school.name).toBe(`Trust Ordering Beta Academy ${run}`)
    const spend = await open(spendRoute, `/spend?school=${schools.b}`)
    expect(spend.status).toBe(200)
    expect(spend.body.spend.school.name).toBe(`Trust Ordering Beta Academy ${run}`)
  })

  it('lets the trust’s users read a member school’s order until the school leaves, when its history stays with the school', async () => {
    const db = await getDb()
    const order = await db
      .selectFrom('orders')
      .select('id')
      .where('authority_id', '=', authorityId)
      .where('school_id', '=', schools.a)
      .where('trust_order_id', 'is not', null)
      .executeTakeFirstOrThrow()
    const read = (cookie: string) =>
      settle(
        schoolOrderRoute.loader({
          request: new Request(`http://localhost/orders/${order.id}`, { headers: { Cookie: cookie } }),
          params: { orderId: order.id },
          context,
        }),
      )
    const before = await read(cookies.approver)
    expect(before.status).toBe(200)
    expect(before.body.view).toBe('trust')
    // Alpha leaves the trust today: from today the trust sees nothing of it; its own users keep everything.
    await db
      .updateTable('trust_memberships')
      .set({ left_on: clock.today() })
      .where('authority_id', '=', authorityId)
      .where('school_id', '=', schools.a)
      .execute()
    expect((await read(cookies.approver)).status).toBe(404)
    expect((await read(cookies.buyer)).status).toBe(404)
    expect((await read(cookies.buyerA)).status).toBe(200)
    expect((await addFor(schools.a, 1)).body.errors.schoolId).toBe('Choose one of the trust’s schools')
  })
})
