import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD_HASH } from '../../db/seed/factories'
import { confirmOrderLine } from '~/models/ordering/capacity.server'
import { action as teamYearAction, loader as teamYearLoader } from '~/routes/la.admin.teams.$teamId.$year'
import { loader as teamsLoader } from '~/routes/la.admin.teams._index'
import { getDb } from '~/utils/db.server'
import { stopJobs } from '~/utils/jobs.server'
import { createSession } from '~/utils/session.server'
import { buildCapacityFixture } from '../support/capacity-fixture'
import { settle } from '../support/answers'

/**
 * Raising a team's capacity confirms its waiting list, oldest first,
 * through the LA administrator's team-year page, on a throwaway authority.
 */

const run = randomUUID().slice(0, 8)
const context = { clientIp: '127.0.0.1' }

let authorityId: string
let lineIds: string[]
let teamId: string
let cookie: string

function save(fields: Record<string, string>) {
  const path = `/la/admin/teams/${teamId}/2026`
  return settle(
    teamYearAction({
      request: new Request(`http://localhost${path}`, {
        method: 'POST',
        body: new URLSearchParams({ costPerFte: '60000', centralFunding: '0', ...fields }),
        headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'team-capacity.test' },
      }),
      params: { teamId, year: '2026' },
      context,
    }),
  )
}

async function state() {
  const db = await getDb()
  const [lines, reserved, teamYear] = await Promise.all([
    db
      .selectFrom('order_lines')
      .select(['id', 'status', 'waitlisted_at'])
      .where('authority_id', '=', authorityId)
      .orderBy('waitlisted_at')
      .orderBy('id')
      .execute(),
    db.selectFrom('capacity_reservations').select('hours').where('authority_id', '=', authorityId).where('released_at', 'is', null).execute(),
    db
      .selectFrom('team_years')
      .select(['establishment_fte', 'chargeable_hours_per_fte', 'sessional_hours'])
      .where('authority_id', '=', authorityId)
      .executeTakeFirstOrThrow(),
  ])
  const capacity = Number(teamYear.establishment_fte) * teamYear.chargeable_hours_per_fte + teamYear.sessional_hours
  return {
    lines,
    confirmed: lines.filter((l) => l.status === 'confirmed').map((l) => l.id),
    waitlisted: lines.filter((l) => l.status === 'waitlisted').map((l) => l.id),
    reservedHours: reserved.reduce((n, r) => n + Number(r.hours), 0),
    capacityHours: Math.round(capacity * 100) / 100,
    teamYear,
  }
}

beforeAll(async () => {
  const db = await getDb()
  const fixture = await buildCapacityFixture(db, { slug: `teams-${run}`, roomForDays: 2, lines: 5 })
  authorityId = fixture.authorityId
  lineIds = fixture.lineIds
  teamId = (await db.selectFrom('teams').select('id').where('authority_id', '=', authorityId).executeTakeFirstOrThrow()).id
  const school = await db.selectFrom('schools').select('id').where('authority_id', '=', authorityId).executeTakeFirstOrThrow()

  const admin = await db
    .insertInto('users')
    .values({ authority_id: authorityId, email: `admin-${run}@teams.example`, name: 'Team Admin', password_hash: DEMO_PASSWORD_HASH })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.insertInto('user_roles').values({ authority_id: authorityId, user_id: admin.id, role: 'la_admin' }).execute()
  // A business manager at the school, who is told when lines are confirmed.
  const buyer = await db
    .insertInto('users')
    .values({
      authority_id: authorityId,
      email: `buyer-${run}@teams.example`,
      name: 'Team Buyer',
      password_hash: DEMO_PASSWORD_HASH,
      school_id: school.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.insertInto('user_roles').values({ authority_id: authorityId, user_id: buyer.id, role: 'school_buyer' }).execute()

  const setCookie = await createSession(db, new Request('http://localhost/'), { id: admin.id, authorityId }, '127.0.0.1')
  cookie = setCookie.split(';')[0]!

  // Oldest first: one at a time, a moment apart, so the waiting list's order is the lines' order.
  for (const id of lineIds) {
    await confirmOrderLine(db, authorityId, id)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
})

afterAll(async () => {
  await stopJobs()
})

describe('a team-year’s capacity', () => {
  it('starts with 2 lines confirmed and 3 waiting, oldest first', async () => {
    const s = await state()
    expect([...s.confirmed].sort()).toEqual(lineIds.slice(0, 2).sort())
    expect(s.waitlisted).toEqual(lineIds.slice(2))
    expect(s.reservedHours).toBe(13)
    expect(s.capacityHours).toBe(13)
  })

  it('lists the team-year with its capacity, reserved and waiting hours', async () => {
    const list = await settle(
      teamsLoader({ request: new Request('http://localhost/la/admin/teams', { headers: { Cookie: cookie } }), params: {}, context }),
    )
    expect(list.status).toBe(200)
    const page = await settle(
      teamYearLoader({
        request: new Request(`http://localhost/la/admin/teams/${teamId}/2026`, { headers: { Cookie: cookie } }),
        params: { teamId, year: '2026' },
        context,
      }),
    )
    expect(page.status).toBe(200)
    expect(page.body.teamYear).toMatchObject({ capacityHours: 13, reservedHours: 13, waitlistedHours: 19.5 })
    expect(page.body.values).toEqual({
      establishmentFte: '0.02',
      chargeableHoursPerFte: '650',
      sessionalHours: '0',
      costPerFte: '60000',
      centralFunding: '0',
    })
  })

  it.each([
    ['abc', 'Establishment FTE must be a number, like 4 or 4.25'],
    ['-1', 'Establishment FTE must be 0 or more'],
    ['1.234', 'Establishment FTE must have 2 decimal places or fewer, like 4.25'],
    ['500.01', 'Establishment FTE must be 500 or fewer'],
  ])('saves nothing when the FTE is %s', async (fte, message) => {
    const before = await state()
    const answer = await save({ establishmentFte: fte, chargeableHoursPerFte: '650', sessionalHours: '0' })
    expect(answer.status).toBe(400)
    expect(answer.body.errors.establishmentFte).toBe(message)
    expect(await state()).toEqual(before)
  })

  it('reports every wrong figure at once and saves nothing', async () => {
    const before = await state()
    const answer = await save({ establishmentFte: '1', chargeableHoursPerFte: '2001', sessionalHours: '1.5' })
    expect(answer.status).toBe(400)
    expect(answer.body.errors).toEqual({
      chargeableHoursPerFte: 'Chargeable hours per FTE must be 2,000 or fewer',
      sessionalHours: 'Sessional hours must be a whole number, like 120',
    })
    expect(await state()).toEqual(before)
  })

  it('raising capacity by 2 days confirms exactly the 2 oldest waiting lines, emails the school and records who did it', async () => {
    const answer = await save({ establishmentFte: '0.04', chargeableHoursPerFte: '650', sessionalHours: '0' })
    expect(answer.status).toBe(302)
    expect(answer.location).toBe(`/la/admin/teams?updated=${teamId}&year=2026&promoted=2`)

    const s = await state()
    expect([...s.confirmed].sort()).toEqual(lineIds.slice(0, 4).sort())
    expect(s.waitlisted).toEqual(lineIds.slice(4))
    expect(s.capacityHours).toBe(26)
    expect(s.reservedHours).toBe(26)
    expect(s.reservedHours).toBeLessThanOrEqual(s.capacityHours)

    const db = await getDb()
    const emails = await db
      .selectFrom('email_messages')
      .select(['idempotency_key', 'to_address'])
      .where('authority_id', '=', authorityId)
      .where('idempotency_key', 'like', 'order:%:promoted:%')
      .execute()
    expect(emails).toHaveLength(2)
    expect(emails.every((e) => e.to_address === `buyer-${run}@teams.example`)).toBe(true)

    const audit = await db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('authority_id', '=', authorityId)
      .where('action', '=', 'targets.saved')
      .execute()
    expect(audit).toHaveLength(1)
    const details = typeof audit[0]!.details === 'string' ? JSON.parse(audit[0]!.details) : audit[0]!.details
    expect(details).toMatchObject({
      tradingYear: 2026,
      targets: [],
      teams: [{ teamId, changes: { establishmentFte: { from: 0.02, to: 0.04 } } }],
      promotedLineIds: lineIds.slice(2, 4),
    })

    const list = await settle(
      teamsLoader({
        request: new Request(`http://localhost${answer.location}`, { headers: { Cookie: cookie } }),
        params: {},
        context,
      }),
    )
    expect(list.body.updated).toMatchObject({ promoted: 2, overCommitted: false })
  })

  it('lowering capacity below what is booked is refused without the confirmation', async () => {
    const before = await state()
    const answer = await save({ establishmentFte: '0.01', chargeableHoursPerFte: '650', sessionalHours: '0' })
    expect(answer.status).toBe(400)
    expect(answer.body.errors.establishmentFte).toMatch(/capacity of 6\.5 hours is below the 26 hours already booked/)
    expect(answer.body.belowBooked).toBe(26)
    expect(await state()).toEqual(before)
  })

  it('lowering capacity below what is reserved, confirmed, takes nothing away, and warns', async () => {
    const answer = await save({ establishmentFte: '0.01', chargeableHoursPerFte: '650', sessionalHours: '0', confirmBelowBooked: teamId })
    expect(answer.status).toBe(302)
    expect(answer.location).toContain('promoted=0')
    const s = await state()
    expect([...s.confirmed].sort()).toEqual(lineIds.slice(0, 4).sort())
    expect(s.capacityHours).toBe(6.5)
    const list = await settle(
      teamsLoader({ request: new Request(`http://localhost${answer.location}`, { headers: { Cookie: cookie } }), params: {}, context }),
    )
    expect(list.body.updated).toMatchObject({ promoted: 0, overCommitted: true })
  })

  it('finds nothing for a year without figures, or a malformed team', async () => {
    const page = (params: Record<string, string>) =>
      settle(
        teamYearLoader({
          request: new Request(`http://localhost/la/admin/teams/${params.teamId}/${params.year}`, { headers: { Cookie: cookie } }),
          params,
          context,
        }),
      )
    expect((await page({ teamId, year: '2027' })).status).toBe(404)
    expect((await page({ teamId, year: '26' })).status).toBe(404)
    expect((await page({ teamId: 'nope', year: '2026' })).status).toBe(404)
    expect((await page({ teamId: randomUUID(), year: '2026' })).status).toBe(404)
  })
})
