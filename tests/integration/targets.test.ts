import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD_HASH } from '../../db/seed/factories'
import { confirmOrderLine } from '~/models/ordering/capacity.server'
import { action as capacityAction, loader as capacityLoader } from '~/routes/la.capacity'
import { action as targetsAction, loader as targetsLoader } from '~/routes/la.admin.targets'
import { loader as tradingLoader } from '~/routes/la.trading'
import { getDb } from '~/utils/db.server'
import { stopJobs } from '~/utils/jobs.server'
import { createSession } from '~/utils/session.server'
import { buildCapacityFixture } from '../support/capacity-fixture'
import { settle } from '../support/answers'

/**
 * Targets and teams per year (/la/admin/targets) on a throwaway authority:
 * saving follows at once on /la/trading and /la/capacity; capacity below the
 * hours already booked is refused without the confirmation; copying last
 * year's figures; taking a recommendation into next year's plan.
 */

const run = randomUUID().slice(0, 8)
const context = { clientIp: '127.0.0.1' }

let authorityId: string
let teamId: string
let serviceId: string
let cookie: string
let leadCookie: string

const get = (fn: (args: any) => unknown, path: string) =>
  settle(fn({ request: new Request(`http://localhost${path}`, { headers: { Cookie: cookie } }), params: {}, context }))

const post = (fn: (args: any) => unknown, path: string, fields: Record<string, string>) =>
  settle(
    fn({
      request: new Request(`http://localhost${path}`, {
        method: 'POST',
        body: new URLSearchParams(fields),
        headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'targets.test' },
      }),
      params: {},
      context,
    }),
  )

function teamFields(values: Partial<Record<string, string>>) {
  const v = { establishmentFte: '0.02', chargeableHoursPerFte: '650', sessionalHours: '0', costPerFte: '60000', centralFunding: '0', ...values }
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [`${k}-${teamId}`, x!]))
}

async function figures() {
  const db = await getDb()
  const [targets, teamYears] = await Promise.all([
    db
      .selectFrom('income_targets')
      .select(['trading_year', 'target_pence'])
      .where('authority_id', '=', authorityId)
      .orderBy('trading_year')
      .execute(),
    db.selectFrom('team_years').selectAll().where('authority_id', '=', authorityId).orderBy('trading_year').execute(),
  ])
  return { targets, teamYears }
}

beforeAll(async () => {
  const db = await getDb()
  const fixture = await buildCapacityFixture(db, { slug: `targets-${run}`, roomForDays: 2, lines: 3 })
  authorityId = fixture.authorityId
  teamId = (await db.selectFrom('teams').select('id').where('authority_id', '=', authorityId).executeTakeFirstOrThrow()).id
  serviceId = (await db.selectFrom('services').select('id').where('authority_id', '=', authorityId).executeTakeFirstOrThrow()).id
  const admin = await db
    .insertInto('users')
    .values({ authority_id: authorityId, email: `admin-${run}@targets.example`, name: 'Targets Admin', password_hash: DEMO_PASSWORD_HASH })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.insertInto('user_roles').values({ authority_id: authorityId, user_id: admin.id, role: 'la_admin' }).execute()
  cookie = (await createSession(db, new Request('http://localhost/'), { id: admin.id, authorityId }, '127.0.0.1')).split(';')[0]!
  for (const id of fixture.lineIds) await confirmOrderLine(db, authorityId, id)
  const lead = await db
    .insertInto('users')
    .values({ authority_id: authorityId, email: `lead-${run}@targets.example`, name: 'Targets Lead', password_hash: DEMO_PASSWORD_HASH })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.insertInto('user_roles').values({ authority_id: authorityId, user_id: lead.id, role: 'service_lead' }).execute()
  await db.insertInto('service_leads').values({ authority_id: authorityId, service_id: serviceId, user_id: lead.id }).execute()
  leadCookie = (await createSession(db, new Request('http://localhost/'), { id: lead.id, authorityId }, '127.0.0.1')).split(';')[0]!
})

afterAll(async () => {
  await stopJobs()
})

describe('targets and teams', () => {
  it('shows this year’s service and team, with what is booked', async () => {
    const page = await get(targetsLoader, '/la/admin/targets')
    expect(page.status).toBe(200)
    expect(page.body.year).toBe(2026)
    expect(page.body.page.services).toEqual([{ id: serviceId, name: 'EP', teamName: 'EP', targetPence: null }])
    expect(page.body.page.teams[0]).toMatchObject({ id: teamId, capacityHours: 13, bookedHours: 13 })
    expect(page.body.values.teams[teamId]).toEqual({
      establishmentFte: '0.02',
      chargeableHoursPerFte: '650',
      sessionalHours: '0',
      costPerFte: '60000',
      centralFunding: '0',
    })
    expect((await get(targetsLoader, '/la/admin/targets?year=2030')).status).toBe(404)
  })

  it('reports every wrong figure at once and saves nothing', async () => {
    const before = await figures()
    const answer = await post(targetsAction, '/la/admin/targets?year=2026', {
      [`target-${serviceId}`]: '-5',
      ...teamFields({ costPerFte: 'lots', sessionalHours: '1.5' }),
    })
    expect(answer.status).toBe(400)
    expect(answer.body.errors).toEqual({
      [`target-${serviceId}`]: 'Income target must be £0 or more',
      [`sessionalHours-${teamId}`]: 'Sessional hours must be a whole number, like 120',
      [`costPerFte-${teamId}`]: 'Cost per FTE must be an amount in pounds, like 2500, or pounds and pence, like 2500.50',
    })
    expect(await figures()).toEqual(before)
  })

  it('saves targets and team figures in one go, audited, and /la/trading and /la/capacity follow at once', async () => {
    const answer = await post(targetsAction, '/la/admin/targets?year=2026', {
      [`target-${serviceId}`]: '£123,456.50',
      ...teamFields({ costPerFte: '61,000', centralFunding: '5000' }),
    })
    expect(answer.status).toBe(302)
    expect(answer.location).toBe('/la/admin/targets?year=2026&saved=1&promoted=0')
    const f = await figures()
    expect(f.targets).toEqual([{ trading_year: 2026, target_pence: 12_345_650 }])
    expect(f.teamYears[0]).toMatchObject({ cost_per_fte_pence: 6_100_000, central_funding_pence: 500_000 })

    const db = await getDb()
    const audit = await db
      .selectFrom('audit_events')
      .select(['details'])
      .where('authority_id', '=', authorityId)
      .where('action', '=', 'targets.saved')
      .execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]!.details).toMatchObject({
      tradingYear: 2026,
      targets: [{ serviceId, service: 'EP', from: null, to: 12_345_650 }],
      teams: [{ teamId, changes: { costPerFtePence: { from: 6_000_000, to: 6_100_000 }, centralFundingPence: { from: 0, to: 500_000 } } }],
    })

    const trading = await get(tradingLoader, '/la/trading?year=2026')
    expect(trading.status).toBe(200)
    expect(JSON.stringify(trading.body.page)).toContain('12345650')
    const capacity = await get(capacityLoader, '/la/capacity?year=2026')
    expect(capacity.status).toBe(200)
    expect(capacity.body.teams[0]).toMatchObject({
      costPerFtePence: 6_100_000,
      model: { incomeTargetPence: 12_345_650, centralFundingPence: 500_000 },
    })
  })

  it('saving the same figures again records nothing new', async () => {
    const answer = await post(targetsAction, '/la/admin/targets?year=2026', {
      [`target-${serviceId}`]: '123456.50',
      ...teamFields({ costPerFte: '61000', centralFunding: '5000' }),
    })
    expect(answer.status).toBe(302)
    const db = await getDb()
    const audit = await db
      .selectFrom('audit_events')
      .select('id')
      .where('authority_id', '=', authorityId)
      .where('action', '=', 'targets.saved')
      .execute()
    expect(audit).toHaveLength(1)
  })

  it('refuses capacity below the hours already booked unless confirmed', async () => {
    const before = await figures()
    const refused = await post(
      targetsAction,
      '/la/admin/targets?year=2026',
      teamFields({ establishmentFte: '0.01', costPerFte: '61000', centralFunding: '5000' }),
    )
    expect(refused.status).toBe(400)
    expect(refused.body.errors[`establishmentFte-${teamId}`]).toBe(
      'EP’s capacity of 6.5 hours is below the 13 hours already booked: tick “I understand” to save it anyway',
    )
    expect(refused.body.belowBooked).toEqual({ [teamId]: 13 })
    expect(await figures()).toEqual(before)

    const confirmed = await post(targetsAction, '/la/admin/targets?year=2026', {
      ...teamFields({ establishmentFte: '0.01', costPerFte: '61000', centralFunding: '5000' }),
      confirmBelowBooked: teamId,
    })
    expect(confirmed.status).toBe(302)
    expect((await figures()).teamYears[0]!.establishment_fte).toBe(0.01)
    // Back up again (raising needs no confirmation).
    expect((await post(targetsAction, '/la/admin/targets?year=2026', teamFields({ costPerFte: '61000', centralFunding: '5000' }))).status).toBe(302)
  })

  it('copies last year’s figures into next year’s form, money changed by the percentage, saving nothing', async () => {
    const before = await figures()
    const bad = await post(targetsAction, '/la/admin/targets?year=2027', { intent: 'copy', percent: 'lots' })
    expect(bad.status).toBe(400)
    expect(bad.body.errors.percent).toBe('Percentage change must be a number, like 3 or -2.5')
    const copied = await post(targetsAction, '/la/admin/targets?year=2027', { intent: 'copy', percent: '10' })
    expect(copied.status).toBe(200)
    expect(copied.body.values.targets[serviceId]).toBe('135802.15') // £123,456.50 + 10%
    expect(copied.body.values.teams[teamId]).toEqual({
      establishmentFte: '0.02',
      chargeableHoursPerFte: '650',
      sessionalHours: '0',
      costPerFte: '67100',
      centralFunding: '5500',
    })
    expect(await figures()).toEqual(before)
  })
})

describe('taking a recommendation into next year’s plan', () => {
  const take = (fields: Record<string, string>) => post(capacityAction, '/la/capacity?year=2026', { teamId, year: '2026', ...fields })

  it('is the LA administrator’s alone: the service lead sees the team but no form, and is refused', async () => {
    const asLead = (init: RequestInit = {}) =>
      new Request('http://localhost/la/capacity?year=2026', {
        ...init,
        headers: { Cookie: leadCookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      })
    const page = await settle(capacityLoader({ request: asLead(), params: {}, context }))
    expect(page.status).toBe(200)
    expect(page.body.teams).toHaveLength(1)
    expect(page.body.canPlan).toBe(false)
    const body = new URLSearchParams({ teamId, year: '2026', [`toFte-${teamId}`]: '1', reason: 'r' })
    const refused = await settle(capacityAction({ request: asLead({ method: 'POST', body }), params: {}, context }))
    expect(refused.status).toBe(403)
    const targets = await settle(targetsLoader({ request: asLead(), params: {}, context }))
    expect(targets.status).toBe(403)
  })

  it('needs a reason and a valid FTE, and saves nothing without them', async () => {
    const before = await figures()
    const answer = await take({ [`toFte-${teamId}`]: 'x', reason: ' ' })
    expect(answer.status).toBe(400)
    expect(answer.body.errors).toEqual({
      [`toFte-${teamId}`]: 'Establishment FTE must be a number, like 4 or 4.25',
      [`reason-${teamId}`]: 'Enter why you are taking this into next year’s plan',
    })
    expect(await figures()).toEqual(before)
    expect((await take({ year: '2025', [`toFte-${teamId}`]: '1', reason: 'r' })).status).toBe(400)
    expect(
      (await post(capacityAction, '/la/capacity', { teamId: randomUUID(), year: '2026', [`toFte-${randomUUID()}`]: '1', reason: 'r' })).status,
    ).toBe(404)
  })

  it('creates next year from this year, sets the establishment, and keeps who decided, when and why', async () => {
    const capacity = await get(capacityLoader, '/la/capacity?year=2026')
    expect(capacity.body.canPlan).toBe(true)
    const recommendation = capacity.body.teams[0].model.recommendation
    const answer = await take({ [`toFte-${teamId}`]: '0.05', reason: 'Waiting list is long; income supports it' })
    expect(answer.status).toBe(302)
    expect(answer.location).toBe(`/la/capacity?year=2026&planned=${teamId}`)

    const f = await figures()
    expect(f.teamYears.map((t) => t.trading_year)).toEqual([2026, 2027])
    expect(f.teamYears[1]).toMatchObject({
      establishment_fte: 0.05,
      chargeable_hours_per_fte: 650,
      cost_per_fte_pence: 6_100_000,
      central_funding_pence: 500_000,
    })
    expect(f.teamYears[0]!.establishment_fte).toBe(0.02)

    const db = await getDb()
    const decisions = await db.selectFrom('team_plan_decisions').selectAll().where('authority_id', '=', authorityId).execute()
    expect(decisions).toHaveLength(1)
    expect(decisions[0]).toMatchObject({
      team_id: teamId,
      trading_year: 2027,
      recommendation_kind: recommendation.kind,
      recommended_fte_change: recommendation.fteChange,
      from_fte: 0.02,
      to_fte: 0.05,
      reason: 'Waiting list is long; income supports it',
    })
    const audit = await db
      .selectFrom('audit_events')
      .select('details')
      .where('authority_id', '=', authorityId)
      .where('action', '=', 'team_plan.decided')
      .execute()
    expect(audit[0]!.details).toMatchObject({ tradingYear: 2027, fromFte: 0.02, toFte: 0.05, createdYear: true })

    const after = await get(capacityLoader, `/la/capacity?year=2026&planned=${teamId}`)
    expect(after.body.planned).toBe('EP')
    expect(after.body.decisions).toEqual([
      expect.objectContaining({
        teamId,
        tradingYear: 2027,
        fromFte: 0.02,
        toFte: 0.05,
        decidedBy: 'Targets Admin',
        reason: 'Waiting list is long; income supports it',
      }),
    ])
  })

  it('a second decision changes next year from what it is now', async () => {
    expect((await take({ [`toFte-${teamId}`]: '0.04', reason: 'Second thoughts' })).status).toBe(302)
    const f = await figures()
    expect(f.teamYears[1]!.establishment_fte).toBe(0.04)
    const db = await getDb()
    const decisions = await db
      .selectFrom('team_plan_decisions')
      .select(['from_fte', 'to_fte'])
      .where('authority_id', '=', authorityId)
      .orderBy('decided_at')
      .execute()
    expect(decisions).toEqual([
      { from_fte: 0.02, to_fte: 0.05 },
      { from_fte: 0.05, to_fte: 0.04 },
    ])
  })
})
