import { clock } from '~/utils/clock'
import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import type { DB } from '../../db/connection'
import { DEMO_PASSWORD_HASH } from '../../db/seed/factories'
import { addDays, ukDate } from '~/domain/dates'
import { tradingYearOf } from '~/domain/trading-year'
import { approveOrder } from '~/models/ordering/approvals.server'
import { lapseOverdueProposals, remindOpenProposals } from '~/models/renewals/daily.server'
import { renewalFollowUp } from '~/models/renewals/follow-up.server'
import { openRenewals } from '~/models/renewals/opening.server'
import { acceptProposal, declineProposal, getSchoolRenewal } from '~/models/renewals/school.server'
import { saveRenewalWindow } from '~/models/renewals/window.server'
import { action as adminAction, loader as adminLoader } from '~/routes/la.admin.renewals'
import { loader as adminProposalLoader } from '~/routes/la.admin.renewals_.$proposalId'
import { loader as tradingLoader } from '~/routes/la.trading'
import { action, loader } from '~/routes/renewals'
import { jobHandlers } from '~/jobs/index.server'
import { getDb } from '~/utils/db.server'
import { enqueue, getBoss, startJobWorkers } from '~/utils/jobs.server'
import { createSession } from '~/utils/session.server'
import { get, post, settle } from '../support/order-fixture'

/**
 * The renewal cycle on an authority of its own, so that opening
 * renewals (which proposes to every school of the authority) touches no
 * demo data: a team with room for 12 days next year, an EP-style day offer
 * (£500 a day this year, £520 next), a subscription (£800, £820), an offer
 * with no price for next year, and a course; five schools.
 */

const context = { clientIp: '127.0.0.1' }
const NOW = clock.now()
const DAY = 86_400_000
const THIS_YEAR = tradingYearOf(NOW)
const NEXT_YEAR = THIS_YEAR + 1
const LAST_DAY = `${NEXT_YEAR}-03-31`
const OPENS_ON = ukDate(new Date(NOW.getTime() - DAY))
const CLOSES_ON = [ukDate(new Date(NOW.getTime() + 20 * DAY)), LAST_DAY].sort()[0]!
const AFTER_CLOSE = new Date(`${CLOSES_ON}T12:00:00Z`).getTime() + 2 * DAY

async function buildAuthority(db: DB) {
  const run = randomUUID().slice(0, 8)
  const authority = await db
    .insertInto('authorities')
    .values({ slug: `renewals-${run}`, name: `Renewals Test Council ${run}`, invoice_prefix: 'RNW', contact_email: `renewals-${run}@test.example` })
    .returning('id')
    .executeTakeFirstOrThrow()
  const a = authority.id
  const category = await db
    .insertInto('categories')
    .values({ authority_id: a, slug: 'send', name: 'SEND support' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const team = await db
    .insertInto('teams')
    .values({ authority_id: a, slug: 'ep', name: 'Educational Psychology' })
    .returning('id')
    .executeTakeFirstOrThrow()
  for (const [year, days] of [
    [THIS_YEAR, 100],
    [NEXT_YEAR, 12],
  ] as const) {
    await db
      .insertInto('team_years')
      .values({
        authority_id: a,
        team_id: team.id,
        trading_year: year,
        establishment_fte: (days * 6.5) / 650,
        chargeable_hours_per_fte: 650,
        sessional_hours: 0,
        cost_per_fte_pence: 6_000_000,
      })
      .execute()
  }
  const service = await db
    .insertInto('services')
    .values({
      authority_id: a,
      slug: 'ep',
      name: 'Educational Psychology',
      category_id: category.id,
      team_id: team.id,
      summary: 'EP',
      description: 'EP',
      contact_name: 'EP',
      contact_email: 'ep@test.example',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const offer = async (
    slug: string,
    name: string,
    model: 'per_unit' | 'fixed' | 'per_place',
    unit: [string, string],
    hours: number,
    prices: Record<number, number>,
  ) => {
    const row = await db
      .insertInto('offers')
      .values({
        authority_id: a,
        service_id: service.id,
        slug,
        name,
        pricing_model: model,
        unit_one: unit[0],
        unit_other: unit[1],
        hours_per_unit: hours,
        vat_category: 'exempt',
        invoice_schedule: 'annual_in_advance',
        max_quantity: model === 'per_unit' ? 20 : null,
        repeatable: model === 'per_unit',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    for (const [year, pence] of Object.entries(prices)) {
      await db
        .insertInto('offer_prices')
        // Next year's prices are published (docs/decisions/0021): on sale to schools since before the window opened.
        .values({
          authority_id: a,
          offer_id: row.id,
          trading_year: Number(year),
          base_maintained_pence: pence,
          base_academy_pence: pence,
          published_on: `${THIS_YEAR}-04-01`,
        })
        .execute()
    }
    return row.id
  }
  const offers = {
    days: await offer('days', 'EP days', 'per_unit', ['day', 'days'], 6.5, { [THIS_YEAR]: 50_000, [NEXT_YEAR]: 52_000 }),
    subscription: await offer('subscription', 'Consultation line', 'fixed', ['year', 'years'], 0, { [THIS_YEAR]: 80_000, [NEXT_YEAR]: 82_000 }),
    legacy: await offer('legacy', 'Old package', 'per_unit', ['visit', 'visits'], 1, { [THIS_YEAR]: 10_000 }),
    extra: await offer('extra', 'Twilight training', 'fixed', ['session', 'sessions'], 0, { [THIS_YEAR]: 30_000, [NEXT_YEAR]: 31_000 }),
    course: await offer('course', 'Conference place', 'per_place', ['place', 'places'], 0, { [THIS_YEAR]: 9_000, [NEXT_YEAR]: 9_500 }),
  }
  let urn = 100000 + Math.floor(Math.random() * 800000)
  const school = async (name: string, limitPence: number) =>
    (
      await db
        .insertInto('schools')
        .values({
          authority_id: a,
          urn: String(urn++),
          name: `${name} ${run}`,
          phase: 'primary',
          school_type: 'maintained',
          pupil_count: 300,
          approval_limit_pence: limitPence,
          finance_route: 'internal_recharge',
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
  const schools = {
    ash: await school('Ash', 250_000),
    birch: await school('Birch', 250_000),
    cedar: await school('Cedar', 250_000),
    damson: await school('Damson', 250_000),
    elder: await school('Elder', 250_000),
  }
  const user = async (label: string, role: 'school_buyer' | 'school_approver' | 'la_admin', schoolId: string | null) => {
    const row = await db
      .insertInto('users')
      .values({
        authority_id: a,
        email: `${label}.${run}@test.example`,
        name: `${label} ${run}`,
        password_hash: DEMO_PASSWORD_HASH,
        school_id: schoolId,
      })
      .returning(['id', 'email'])
      .executeTakeFirstOrThrow()
    await db.insertInto('user_roles').values({ authority_id: a, user_id: row.id, role }).execute()
    return row
  }
  const users = {
    ashBuyer: await user('ash.buyer', 'school_buyer', schools.ash),
    ashHead: await user('ash.head', 'school_approver', schools.ash),
    birchBuyer: await user('birch.buyer', 'school_buyer', schools.birch),
    damsonBuyer: await user('damson.buyer', 'school_buyer', schools.damson),
    elderBuyer: await user('elder.buyer', 'school_buyer', schools.elder),
    admin: await user('admin', 'la_admin', null),
  }
  let n = 0
  /** An order of this year with lines in the given states. */
  const order = async (schoolId: string, lines: { offer: string; quantity: number; status?: string; used?: number }[]) => {
    n += 1
    const o = await db
      .insertInto('orders')
      .values({ authority_id: a, reference: `R-${run}-${n}`, school_id: schoolId, status: 'confirmed', submitted_at: NOW })
      .returning('id')
      .executeTakeFirstOrThrow()
    for (const l of lines) {
      const line = await db
        .insertInto('order_lines')
        .values({
          authority_id: a,
          order_id: o.id,
          offer_id: l.offer,
          status: (l.status ?? 'confirmed') as 'confirmed',
          trading_year: THIS_YEAR,
          period_start: `${THIS_YEAR}-04-01`,
          period_end: `${THIS_YEAR + 1}-03-31`,
          quantity: l.quantity,
          hours: 0,
          unit_price_pence: 0,
          net_pence: 0,
          vat_rate_basis_points: 0,
          vat_pence: 0,
          gross_pence: 0,
          price_explanation: 'test',
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      if (l.used !== undefined) {
        await db
          .insertInto('delivery_records')
          .values({
            authority_id: a,
            order_line_id: line.id,
            delivered_on: `${THIS_YEAR}-06-01`,
            units: l.used,
            hours: l.used * 6.5,
            practitioner: 'Dr Test',
          })
          .execute()
      }
    }
  }
  // Ash: 10 days (8 used), the subscription, the old package, a course place, and a cancelled line.
  await order(schools.ash, [
    { offer: offers.days, quantity: 10, used: 8 },
    { offer: offers.subscription, quantity: 1 },
    { offer: offers.legacy, quantity: 3 },
    { offer: offers.course, quantity: 2 },
    { offer: offers.extra, quantity: 1, status: 'cancelled' },
  ])
  // Birch: 2 days, under its limit. Damson: 2 days. Elder: the subscription. Cedar bought nothing.
  await order(schools.birch, [{ offer: offers.days, quantity: 2 }])
  await order(schools.damson, [{ offer: offers.days, quantity: 2 }])
  await order(schools.elder, [{ offer: offers.subscription, quantity: 1 }])

  const cookieFor = async (userId: string) =>
    (await createSession(db, new Request('http://localhost/'), { id: userId, authorityId: a }, '127.0.0.1')).split(';')[0]!
  const actor = (schoolId: string, userId: string) => ({ authorityId: a, schoolId, userId })
  return { run, authorityId: a, offers, schools, users, cookieFor, actor }
}

let f: Awaited<ReturnType<typeof buildAuthority>>
let db: DB

beforeAll(async () => {
  db = await getDb()
  f = await buildAuthority(db)
})

const renewalAudit = () =>
  db
    .selectFrom('audit_events')
    .select(['action', 'actor_user_id', 'subject_id', 'ip_address', 'details'])
    .where('authority_id', '=', f.authorityId)
    .where('action', 'like', 'renewal.%')
    .orderBy('created_at')
    .execute()

const proposalFor = (schoolId: string) =>
  db.selectFrom('renewal_proposals').selectAll().where('authority_id', '=', f.authorityId).where('school_id', '=', schoolId).executeTakeFirst()

describe('the renewal window', () => {
  it('is refused when it closes before it opens, or after next year has started', async () => {
    const admin = { authorityId: f.authorityId, userId: f.users.admin.id, ip: '127.0.0.1', userAgent: null }
    const early = await saveRenewalWindow(db, admin, { tradingYear: NEXT_YEAR, opensOn: OPENS_ON, closesOn: OPENS_ON, open: false }, NOW)
    expect(early).toEqual({ ok: false, problems: [{ field: 'closesOn', message: 'The closing date must be after the opening date' }] })
    const late = await saveRenewalWindow(db, admin, { tradingYear: NEXT_YEAR, opensOn: OPENS_ON, closesOn: `${NEXT_YEAR}-04-01`, open: false }, NOW)
    expect(late.ok).toBe(false)
    expect(await db.selectFrom('renewal_windows').select('id').where('authority_id', '=', f.authorityId).execute()).toEqual([])
  })

  it('shows the administrator a GOV.UK error for an impossible date, and saves nothing', async () => {
    const cookie = await f.cookieFor(f.users.admin.id)
    const answer = await settle(
      adminAction({
        request: post(
          '/la/admin/renewals',
          {
            intent: 'save',
            opensOnDay: '31',
            opensOnMonth: '2',
            opensOnYear: String(THIS_YEAR),
            closesOnDay: '',
            closesOnMonth: '',
            closesOnYear: '',
          },
          cookie,
        ),
        params: {},
        context,
      }),
    )
    expect(answer.status).toBe(400)
    expect(answer.body.errors).toEqual({ opensOnDay: expect.stringContaining('real date'), closesOnDay: 'Enter the closing date' })
  })

  it('"Open renewals" makes one proposal per school that bought this year, and emails its business managers', async () => {
    const cookie = await f.cookieFor(f.users.admin.id)
    const [oy, om, od] = OPENS_ON.split('-')
    const [cy, cm, cd] = CLOSES_ON.split('-')
    const answer = await settle(
      adminAction({
        request: post(
          '/la/admin/renewals',
          { intent: 'open', opensOnDay: od!, opensOnMonth: om!, opensOnYear: oy!, closesOnDay: cd!, closesOnMonth: cm!, closesOnYear: cy! },
          cookie,
        ),
        params: {},
        context,
      }),
    )
    expect(answer).toMatchObject({ status: 303, location: '/la/admin/renewals?opened=4' })
    const proposals = await db
      .selectFrom('renewal_proposals')
      .select(['school_id', 'status', 'trading_year'])
      .where('authority_id', '=', f.authorityId)
      .execute()
    expect(proposals.map((p) => p.school_id).sort()).toEqual([f.schools.ash, f.schools.birch, f.schools.damson, f.schools.elder].sort())
    expect(proposals.every((p) => p.status === 'open' && p.trading_year === NEXT_YEAR)).toBe(true)

    const emails = await db
      .selectFrom('email_messages')
      .select(['to_address', 'template', 'subject', 'text'])
      .where('authority_id', '=', f.authorityId)
      .where('template', '=', 'renewal-proposal')
      .orderBy('to_address')
      .execute()
    expect(emails.map((e) => e.to_address)).toEqual(
      [f.users.ashBuyer.email, f.users.birchBuyer.email, f.users.damsonBuyer.email, f.users.elderBuyer.email].sort(),
    )
    const ash = emails.find((e) => e.to_address === f.users.ashBuyer.email)!
    expect(ash.subject).toContain(`Renew your traded services for ${NEXT_YEAR}/`)
    expect(ash.text).toContain('Educational Psychology: EP days, 10 days, £5,200 (you used 8 of 10 days)')
    expect(ash.text).toContain('Next year’s price is not published yet for: Educational Psychology: Old package')

    // Opening is in the audit log: who, from where, and what it made.
    expect(await renewalAudit()).toEqual([
      {
        action: 'renewal.opened',
        actor_user_id: f.users.admin.id,
        subject_id: expect.any(String),
        ip_address: '127.0.0.1',
        details: { tradingYear: NEXT_YEAR, opensOn: OPENS_ON, closesOn: CLOSES_ON, proposalsMade: 4, emailsQueued: 4 },
      },
    ])

    const page = await settle(adminLoader({ request: get('/la/admin/renewals', cookie), params: {}, context }))
    expect(page.body.counts).toMatchObject({ total: 4, open: 4 })
    expect(page.body.window).toMatchObject({ opensOn: OPENS_ON, closesOn: CLOSES_ON, state: 'open' })
  })

  it('opening again makes no second proposal and sends no second email', async () => {
    const before = await db.selectFrom('email_messages').select('id').where('authority_id', '=', f.authorityId).execute()
    const again = await openRenewals(db, { authorityId: f.authorityId, tradingYear: NEXT_YEAR, actorUserId: f.users.admin.id, now: NOW })
    const atOnce = await Promise.all([
      openRenewals(db, { authorityId: f.authorityId, tradingYear: NEXT_YEAR, actorUserId: null, now: NOW }),
      openRenewals(db, { authorityId: f.authorityId, tradingYear: NEXT_YEAR, actorUserId: null, now: NOW }),
    ])
    expect(again).toEqual({ created: 0, proposals: 4, emails: 0 })
    expect(atOnce.map((r) => r.created)).toEqual([0, 0])
    const after = await db.selectFrom('email_messages').select('id').where('authority_id', '=', f.authorityId).execute()
    expect(after.length).toBe(before.length)
  })

  it('while schools can still answer, none is listed as lapsed for next year on /la/trading', async () => {
    const cookie = await f.cookieFor(f.users.admin.id)
    const page = await settle(tradingLoader({ request: get(`/la/trading?year=${NEXT_YEAR}`, cookie), params: {}, context }))
    expect(page.status).toBe(200)
    expect(page.body.renewals.counts).toMatchObject({ total: 4, open: 4 })
    expect(page.body.page.lapsed).toEqual([])
  })
})

describe('a school’s proposal', () => {
  it('is made from this year’s confirmed lines at next year’s prices, with this year’s use beside each line', async () => {
    const cookie = await f.cookieFor(f.users.ashBuyer.id)
    const page = await settle(loader({ request: get('/renewals', cookie), params: {}, context }))
    expect(page.status).toBe(200)
    const { proposal, canAnswer } = page.body.renewal
    expect(canAnswer).toBe(true)
    expect(page.body.canAct).toBe(true)
    expect(proposal.lines.map((l: any) => [l.offerName, l.quantity, l.lastYear, l.quote.grossPence])).toEqual([
      ['Consultation line', 1, 'You bought 1 year this year', 82_000],
      ['EP days', 10, 'You used 8 of 10 days', 520_000],
    ])
    // The course place and the cancelled line are not renewed; the old package has no price for next year.
    expect(proposal.notPriced.map((l: any) => l.offerName)).toEqual(['Old package'])
    expect(proposal.grossPence).toBe(602_000)
    expect(page.body.renewal.addable.map((o: any) => o.label)).toEqual(['Educational Psychology: Twilight training (£310 for 1 session)'])
  })

  it('the headteacher sees it but cannot answer it', async () => {
    const cookie = await f.cookieFor(f.users.ashHead.id)
    const page = await settle(loader({ request: get('/renewals', cookie), params: {}, context }))
    expect(page.body.canAct).toBe(false)
    expect(page.body.renewal.proposal.lines).toHaveLength(2)
    const answer = await settle(
      action({
        request: post('/renewals', { intent: 'decline', proposalId: page.body.renewal.proposal.id, reason: 'No' }, cookie),
        params: {},
        context,
      }),
    )
    expect(answer.status).toBe(403)
    expect((await proposalFor(f.schools.ash))!.status).toBe('open')
  })

  it('can be changed: quantities, removing and adding lines, each checked', async () => {
    const cookie = await f.cookieFor(f.users.ashBuyer.id)
    const view = async () => (await settle(loader({ request: get('/renewals', cookie), params: {}, context }))).body.renewal.proposal
    const ep = (await view()).lines.find((l: any) => l.offerName === 'EP days')
    const sub = (await view()).lines.find((l: any) => l.offerName === 'Consultation line')

    const bad = await settle(action({ request: post('/renewals', { intent: 'update', lineId: ep.id, quantity: '0' }, cookie), params: {}, context }))
    expect(bad).toMatchObject({ status: 400, body: { errors: { [`quantity-${ep.id}`]: 'Quantity must be 1 or more' } } })
    const tooMany = await settle(
      action({ request: post('/renewals', { intent: 'update', lineId: ep.id, quantity: '21' }, cookie), params: {}, context }),
    )
    expect(tooMany).toMatchObject({ status: 400, body: { errors: { [`quantity-${ep.id}`]: 'You can have up to 20 days of EP days' } } })

    const updated = await settle(
      action({ request: post('/renewals', { intent: 'update', lineId: ep.id, quantity: '11' }, cookie), params: {}, context }),
    )
    expect(updated).toMatchObject({ status: 303, location: '/renewals?done=updated' })
    const removed = await settle(action({ request: post('/renewals', { intent: 'remove', lineId: sub.id }, cookie), params: {}, context }))
    expect(removed.status).toBe(303)
    const noOffer = await settle(
      action({ request: post('/renewals', { intent: 'add', offerId: '', addQuantity: '1' }, cookie), params: {}, context }),
    )
    expect(noOffer).toMatchObject({ status: 400, body: { errors: { offerId: 'Choose a package to add' } } })
    const course = await settle(
      action({ request: post('/renewals', { intent: 'add', offerId: f.offers.course, addQuantity: '1' }, cookie), params: {}, context }),
    )
    expect(course).toMatchObject({ status: 400, body: { errors: { offerId: 'Choose a package from the list' } } })
    const added = await settle(
      action({ request: post('/renewals', { intent: 'add', offerId: f.offers.extra, addQuantity: '2' }, cookie), params: {}, context }),
    )
    expect(added).toMatchObject({ status: 303, location: '/renewals?done=added' })

    const after = await view()
    expect(after.lines.map((l: any) => [l.offerName, l.quantity, l.lastYear, l.quote.grossPence])).toEqual([
      ['EP days', 11, 'You used 8 of 10 days', 572_000],
      ['Twilight training', 2, null, 62_000],
    ])
    expect(after.grossPence).toBe(634_000)
  })

  it('another school’s business manager finds nothing of it', async () => {
    const ash = (await proposalFor(f.schools.ash))!
    const line = await db
      .selectFrom('renewal_proposal_lines')
      .select('id')
      .where('authority_id', '=', f.authorityId)
      .where('proposal_id', '=', ash.id)
      .executeTakeFirstOrThrow()
    const birch = await f.cookieFor(f.users.birchBuyer.id)
    const page = await settle(loader({ request: get('/renewals', birch), params: {}, context }))
    expect(page.body.renewal.proposal.id).not.toBe(ash.id)
    expect(page.body.renewal.proposal.schoolId).toBe(f.schools.birch)
    const forms: Record<string, string>[] = [
      { intent: 'update', lineId: line.id, quantity: '1' },
      { intent: 'remove', lineId: line.id },
      { intent: 'accept', proposalId: ash.id, poNumber: '' },
      { intent: 'decline', proposalId: ash.id, reason: 'Not ours' },
    ]
    for (const form of forms) {
      const answer = await settle(action({ request: post('/renewals', form, birch), params: {}, context }))
      expect(answer.status, form.intent).toBe(404)
    }
    expect((await proposalFor(f.schools.ash))!.status).toBe('open')
    expect(await db.selectFrom('renewal_proposal_lines').select('quantity').where('id', '=', line.id).executeTakeFirstOrThrow()).toBeTruthy()
  })

  it('declining needs a reason, and keeps it', async () => {
    const cookie = await f.cookieFor(f.users.elderBuyer.id)
    const elder = (await proposalFor(f.schools.elder))!
    const blank = await settle(
      action({ request: post('/renewals', { intent: 'decline', proposalId: elder.id, reason: '   ' }, cookie), params: {}, context }),
    )
    expect(blank).toMatchObject({ status: 400, body: { errors: { reason: 'Enter why you are not renewing' } } })
    expect((await proposalFor(f.schools.elder))!.status).toBe('open')
    const declined = await settle(
      action({
        request: post('/renewals', { intent: 'decline', proposalId: elder.id, reason: 'We have our own consultant now' }, cookie),
        params: {},
        context,
      }),
    )
    expect(declined).toMatchObject({ status: 303, location: '/renewals?done=declined' })
    expect(await proposalFor(f.schools.elder)).toMatchObject({
      status: 'declined',
      decline_reason: 'We have our own consultant now',
      decided_by: f.users.elderBuyer.id,
    })
    expect((await renewalAudit()).at(-1)).toEqual({
      action: 'renewal.declined',
      actor_user_id: f.users.elderBuyer.id,
      subject_id: elder.id,
      ip_address: '127.0.0.1',
      details: { schoolId: f.schools.elder, reason: 'We have our own consultant now' },
    })
    // Answered: it can no longer be accepted.
    const accept = await settle(
      action({ request: post('/renewals', { intent: 'accept', proposalId: elder.id, poNumber: '' }, cookie), params: {}, context }),
    )
    expect(accept.status).toBe(409)
  })
})

describe('accepting', () => {
  it('at or above the approval limit: an order for next year waits for the headteacher, then goes through capacity', async () => {
    const cookie = await f.cookieFor(f.users.ashBuyer.id)
    const ash = (await proposalFor(f.schools.ash))!
    const answer = await settle(
      action({ request: post('/renewals', { intent: 'accept', proposalId: ash.id, poNumber: 'PO-RENEW-1' }, cookie), params: {}, context }),
    )
    expect(answer).toMatchObject({ status: 303, location: '/renewals?done=accepted' })
    const accepted = (await proposalFor(f.schools.ash))!
    expect(accepted).toMatchObject({ status: 'accepted', decided_by: f.users.ashBuyer.id })
    expect((await renewalAudit()).at(-1)).toMatchObject({
      action: 'renewal.accepted',
      actor_user_id: f.users.ashBuyer.id,
      subject_id: ash.id,
      ip_address: '127.0.0.1',
      details: { schoolId: f.schools.ash, orderId: accepted.order_id, grossPence: 634_000 },
    })
    const order = await db
      .selectFrom('orders')
      .selectAll()
      .where('authority_id', '=', f.authorityId)
      .where('id', '=', accepted.order_id!)
      .executeTakeFirstOrThrow()
    expect(order).toMatchObject({ status: 'awaiting_approval', po_number: 'PO-RENEW-1', gross_pence: 634_000, school_id: f.schools.ash })
    expect(order.reference).toMatch(/^ORD-\d{4}-\d{5}$/)
    const lines = await db.selectFrom('order_lines').selectAll().where('order_id', '=', order.id).orderBy('gross_pence', 'desc').execute()
    expect(lines.map((l) => [l.quantity, l.trading_year, l.period_start, l.period_end, l.status, l.gross_pence, l.hours])).toEqual([
      [11, NEXT_YEAR, `${NEXT_YEAR}-04-01`, `${NEXT_YEAR + 1}-03-31`, 'awaiting_approval', 572_000, 71.5],
      [2, NEXT_YEAR, `${NEXT_YEAR}-04-01`, `${NEXT_YEAR + 1}-03-31`, 'awaiting_approval', 62_000, 0],
    ])
    const events = await db.selectFrom('order_events').select(['to_status', 'note']).where('order_id', '=', order.id).execute()
    expect(events[0]!.note).toMatch(/^Renewal for \d{4}\/\d{2} accepted\. Order submitted: £6,340 is at or above/)
    const mail = await db
      .selectFrom('email_messages')
      .select('template')
      .where('authority_id', '=', f.authorityId)
      .where('idempotency_key', 'like', `order:${order.id}:%`)
      .execute()
    expect(mail.map((m) => m.template).sort()).toEqual(['order-awaiting-approval', 'order-received'])

    // Accepting twice makes no second order.
    const again = await acceptProposal(db, f.actor(f.schools.ash, f.users.ashBuyer.id), { proposalId: ash.id, poNumber: null })
    expect(again).toEqual({ kind: 'already', status: 'accepted', orderId: order.id })

    // The headteacher approves: 11 days fit the team's 12 days next year.
    const approved = await approveOrder(db, { userId: f.users.ashHead.id, authorityId: f.authorityId, schoolId: f.schools.ash }, order.id)
    expect(approved.ok).toBe(true)
    const decided = await db.selectFrom('order_lines').select('status').where('order_id', '=', order.id).execute()
    expect(decided.map((l) => l.status)).toEqual(['confirmed', 'confirmed'])
  })

  it('below the limit: submitted straight away and offered to capacity, waitlisted when the team is full next year', async () => {
    // Birch's 2 days do not fit the 1 day left: waiting list.
    const birch = (await proposalFor(f.schools.birch))!
    const result = await acceptProposal(db, f.actor(f.schools.birch, f.users.birchBuyer.id), { proposalId: birch.id, poNumber: null })
    expect(result).toMatchObject({ kind: 'accepted', status: 'submitted' })
    if (result.kind !== 'accepted') throw new Error('not accepted')
    const lines = await db.selectFrom('order_lines').select(['status', 'trading_year']).where('order_id', '=', result.orderId).execute()
    expect(lines).toEqual([{ status: 'waitlisted', trading_year: NEXT_YEAR }])
    const cookie = await f.cookieFor(f.users.birchBuyer.id)
    const page = await settle(loader({ request: get('/renewals?done=accepted', cookie), params: {}, context }))
    expect(page.body.renewal.proposal).toMatchObject({ status: 'accepted', order: { id: result.orderId, status: 'waitlisted' } })
    expect(page.body.renewal.canAnswer).toBe(false)
  })
})

describe('reminders before the window closes', () => {
  it('schools that have not answered are reminded two weeks and three days before it closes, once each', async () => {
    const at = (daysBeforeClose: number) => new Date(Date.parse(`${CLOSES_ON}T12:00:00Z`) - daysBeforeClose * DAY)
    // The test's window leaves room for both reminders after the proposals went out today.
    expect(at(14).getTime()).toBeGreaterThan(NOW.getTime() + 3 * DAY)
    expect(await remindOpenProposals(db, at(15), f.authorityId)).toBe(0)
    expect(await remindOpenProposals(db, at(14), f.authorityId)).toBe(1)
    expect(await remindOpenProposals(db, at(13), f.authorityId)).toBe(0)
    expect(await remindOpenProposals(db, at(2), f.authorityId)).toBe(1)
    // The daily job running twice, or at once, sends nothing more.
    expect(await Promise.all([remindOpenProposals(db, at(2), f.authorityId), remindOpenProposals(db, at(1), f.authorityId)])).toEqual([0, 0])
    const sent = await db
      .selectFrom('email_messages')
      .select(['to_address', 'template', 'subject', 'text'])
      .where('authority_id', '=', f.authorityId)
      .where('idempotency_key', 'like', 'renewal:%:reminder-%')
      .orderBy('created_at')
      .execute()
    // Only Damson has not answered: Ash and Birch accepted, Elder declined.
    expect(sent.map((e) => [e.to_address, e.template])).toEqual([
      [f.users.damsonBuyer.email, 'renewal-proposal'],
      [f.users.damsonBuyer.email, 'renewal-proposal'],
    ])
    expect(sent[0]!.subject).toMatch(/^Reminder: .+'s renewal for \d{4}\/\d{2} closes on .+ \(14 days left to answer\)$/)
    expect(sent[1]!.subject).toContain('(2 days left to answer)')
    expect(sent[1]!.text).toContain('This is a reminder')
    expect(sent[1]!.text).toContain('2 days, £1,040')
  })
})

describe('after the window closes', () => {
  it('unanswered proposals lapse (job and read), can no longer be answered, and are listed for follow-up', async () => {
    const later = new Date(AFTER_CLOSE)
    const damson = f.actor(f.schools.damson, f.users.damsonBuyer.id)
    // Read first: it reads as lapsed from the day after closing, and reading writes nothing.
    const read = await getSchoolRenewal(db, damson, later)
    expect(read.proposal).toMatchObject({ status: 'lapsed' })
    // Lapsed at midnight in England at the end of the closing day.
    const lapsedAt = read.proposal!.lapsedAt!
    expect(ukDate(lapsedAt)).toBe(addDays(CLOSES_ON, 1))
    expect(ukDate(new Date(lapsedAt.getTime() - 60_000))).toBe(CLOSES_ON)
    expect(read.canAnswer).toBe(false)
    expect(read.window?.state).toBe('closed')
    const unread = (await proposalFor(f.schools.damson))!
    expect(unread.status).toBe('open')
    expect(unread.lapsed_at).toBeNull()
    const followUpBeforeJob = await renewalFollowUp(db, f.authorityId, NEXT_YEAR, 'all', later)
    expect(followUpBeforeJob!.counts).toEqual({ total: 4, open: 0, accepted: 2, declined: 1, lapsed: 1 })
    expect((await proposalFor(f.schools.damson))!.status).toBe('open')
    // The daily job records it; answered proposals keep their answers; running the job again changes nothing.
    expect(await lapseOverdueProposals(db, later, f.authorityId)).toBe(1)
    const row = (await proposalFor(f.schools.damson))!
    expect(row.status).toBe('lapsed')
    expect(row.lapsed_at).toEqual(later)
    expect(await lapseOverdueProposals(db, later, f.authorityId)).toBe(0)
    expect((await proposalFor(f.schools.elder))!.status).toBe('declined')
    expect((await proposalFor(f.schools.ash))!.status).toBe('accepted')
    expect(await acceptProposal(db, damson, { proposalId: row.id, poNumber: null }, later)).toEqual({
      kind: 'already',
      status: 'lapsed',
      orderId: null,
    })
    expect(await declineProposal(db, damson, { proposalId: row.id, reason: 'Too late' }, later)).toEqual({ ok: false, already: 'lapsed' })
    // The administrator reads each school's proposal and answer; another authority's administrator finds nothing.
    const adminCookie = await f.cookieFor(f.users.admin.id)
    const elder = (await proposalFor(f.schools.elder))!
    const shown = await settle(
      adminProposalLoader({ request: get(`/la/admin/renewals/${elder.id}`, adminCookie), params: { proposalId: elder.id }, context }),
    )
    expect(shown.status).toBe(200)
    expect(shown.body.proposal).toMatchObject({ status: 'declined', declineReason: 'We have our own consultant now', schoolId: f.schools.elder })
    expect(shown.body.proposal.lines.map((l: any) => [l.offerName, l.quantityText, l.lastYear])).toEqual([
      ['Consultation line', '1 year', 'You bought 1 year this year'],
    ])
    const missing = await settle(
      adminProposalLoader({ request: get(`/la/admin/renewals/${randomUUID()}`, adminCookie), params: { proposalId: randomUUID() }, context }),
    )
    expect(missing.status).toBe(404)

    const followUp = await renewalFollowUp(db, f.authorityId, NEXT_YEAR, 'all', later)
    expect(followUp!.counts).toEqual({ total: 4, open: 0, accepted: 2, declined: 1, lapsed: 1 })
    expect(followUp!.schools.map((s) => [s.schoolId, s.status, s.reason, s.services])).toEqual([
      [f.schools.damson, 'lapsed', null, ['Educational Psychology']],
      [f.schools.elder, 'declined', 'We have our own consultant now', ['Educational Psychology']],
    ])
    // A service lead of other services follows up none of them.
    expect((await renewalFollowUp(db, f.authorityId, NEXT_YEAR, [randomUUID()], later))!.counts.total).toBe(0)
  })

  it('/la/trading lists the lapsed and declined schools for next year, and links to them from this year', async () => {
    const cookie = await f.cookieFor(f.users.admin.id)
    const next = await settle(tradingLoader({ request: get(`/la/trading?year=${NEXT_YEAR}`, cookie), params: {}, context }))
    expect(next.status).toBe(200)
    expect(next.body.values.year).toBe(String(NEXT_YEAR))
    expect(next.body.renewals.schools.map((s: any) => [s.schoolId, s.status])).toEqual([
      [f.schools.damson, 'lapsed'],
      [f.schools.elder, 'declined'],
    ])
    // Per service, the schools that bought this year and hold nothing for next year: Damson (lapsed) and Elder (declined);
    // Ash's order is confirmed and Birch's waitlisted.
    expect(next.body.page.lapsed.map((l: any) => l.schoolId).sort()).toEqual([f.schools.damson, f.schools.elder].sort())
    const now = await settle(tradingLoader({ request: get(`/la/trading?year=${THIS_YEAR}`, cookie), params: {}, context }))
    expect(now.body.renewals).toBeNull()
    expect(now.body.nextRenewals).toMatchObject({ year: String(NEXT_YEAR), counts: { accepted: 2, declined: 1, lapsed: 1 } })
  })
})

describe('the renewals daily job, run by the job queue', () => {
  it('opens a window whose opening day has come and emails its schools, once however often it runs', async () => {
    // An authority of its own whose window opens today, saved without opening it.
    const g = await buildAuthority(db)
    const admin = { authorityId: g.authorityId, userId: g.users.admin.id, ip: '127.0.0.1', userAgent: null }
    const saved = await saveRenewalWindow(db, admin, { tradingYear: NEXT_YEAR, opensOn: ukDate(NOW), closesOn: CLOSES_ON, open: false }, NOW)
    expect(saved.ok).toBe(true)
    const window = () =>
      db
        .selectFrom('renewal_windows')
        .select('opened_at')
        .where('authority_id', '=', g.authorityId)
        .where('trading_year', '=', NEXT_YEAR)
        .executeTakeFirstOrThrow()
    expect((await window()).opened_at).toBeNull()

    // The schedule's job, as the worker runs it (this file's own queue: tests/support/setup-database-env.ts).
    await startJobWorkers(jobHandlers, { pollingIntervalSeconds: 0.5, queues: ['renewals-daily'], schedules: false })
    const boss = await getBoss()
    const runJob = async () => {
      const { jobId } = await enqueue(db, 'renewals-daily', {})
      for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
        const job = await boss.getJobById('renewals-daily', jobId)
        if (job?.state === 'completed') return job.output as { opened: number; reminded: number; lapsed: number }
        if (job?.state === 'failed') throw new Error(`The renewals job failed: ${JSON.stringify(job.output)}`)
      }
      throw new Error('The renewals job did not finish in 30 s')
    }
    const first = await runJob()
    expect(first.opened).toBeGreaterThanOrEqual(1)
    expect((await window()).opened_at).not.toBeNull()
    const proposals = () =>
      db
        .selectFrom('renewal_proposals as p')
        .innerJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'p.authority_id').onRef('s.id', '=', 'p.school_id'))
        .select(['s.name', 'p.status'])
        .where('p.authority_id', '=', g.authorityId)
        .orderBy('s.name')
        .execute()
    const emails = () =>
      db.selectFrom('email_messages').select(['to_address', 'template']).where('authority_id', '=', g.authorityId).orderBy('to_address').execute()
    // A proposal for each school that bought this year (Cedar bought nothing), emailed to its business manager.
    expect(await proposals()).toEqual(['Ash', 'Birch', 'Damson', 'Elder'].map((name) => ({ name: `${name} ${g.run}`, status: 'open' })))
    expect(await emails()).toEqual(
      [g.users.ashBuyer, g.users.birchBuyer, g.users.damsonBuyer, g.users.elderBuyer]
        .map((u) => ({ to_address: u.email, template: 'renewal-proposal' }))
        .sort((a, b) => a.to_address.localeCompare(b.to_address)),
    )

    // Tomorrow's run (or a second run today) makes no second proposal and sends no second email.
    const second = await runJob()
    expect(second).toMatchObject({ reminded: 0 })
    expect(await proposals()).toHaveLength(4)
    expect(await emails()).toHaveLength(4)
  })
})
