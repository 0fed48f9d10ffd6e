import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DB } from '../../db/connection'
import { cancelOrderLine, confirmOrderLine } from '~/models/capacity.server'
import { testServerUrl, withFreshDatabase, type FreshDatabase } from '../support/database'

/**
 * The heart of the demand-led model: a team's hours are never oversold,
 * whatever arrives at once. A team with room for exactly 100 EP days (650
 * hours) receives 200 one-day lines, all confirmed at the same moment.
 */
let database: FreshDatabase
let db: DB
let authorityId: string
let lineIds: string[] = []

beforeAll(async () => {
  database = await withFreshDatabase({ max: testServerUrl() ? 20 : 8 })
  db = database.db
  const [authority] = await db
    .insertInto('authorities')
    .values({ slug: 'capacity-test', name: 'Capacity Test Council', invoice_prefix: 'CAP', contact_email: 'cap@test.example' })
    .returning('id')
    .execute()
  authorityId = authority!.id
  const a = authorityId
  const [category] = await db.insertInto('categories').values({ authority_id: a, slug: 'send', name: 'SEND' }).returning('id').execute()
  const [team] = await db.insertInto('teams').values({ authority_id: a, slug: 'ep', name: 'EP' }).returning('id').execute()
  await db
    .insertInto('team_years')
    .values({ authority_id: a, team_id: team!.id, trading_year: 2026, establishment_fte: 0.65, chargeable_hours_per_fte: 1000, cost_per_fte_pence: 6_000_000 })
    .execute()
  const [service] = await db
    .insertInto('services')
    .values({
      authority_id: a,
      slug: 'ep',
      name: 'EP',
      category_id: category!.id,
      team_id: team!.id,
      summary: 's',
      description: 'd',
      contact_name: 'c',
      contact_email: 'c@test.example',
    })
    .returning('id')
    .execute()
  const [offer] = await db
    .insertInto('offers')
    .values({
      authority_id: a,
      service_id: service!.id,
      slug: 'day',
      name: 'Day',
      pricing_model: 'per_unit',
      unit_one: 'day',
      unit_other: 'days',
      hours_per_unit: 6.5,
      vat_category: 'standard',
      invoice_schedule: 'on_delivery',
    })
    .returning('id')
    .execute()
  const [school] = await db
    .insertInto('schools')
    .values({ authority_id: a, urn: '999001', name: 'Test School', phase: 'primary', school_type: 'maintained', pupil_count: 300, approval_limit_pence: 250000, finance_route: 'internal_recharge' })
    .returning('id')
    .execute()
  const orders = await db
    .insertInto('orders')
    .values(
      Array.from({ length: 200 }, (_, i) => ({
        authority_id: a,
        reference: `ORD-T-${String(i + 1).padStart(4, '0')}`,
        school_id: school!.id,
        status: 'submitted' as const,
        net_pence: 55000,
        gross_pence: 55000,
      })),
    )
    .returning('id')
    .execute()
  const lines = await db
    .insertInto('order_lines')
    .values(
      orders.map((o) => ({
        authority_id: a,
        order_id: o.id,
        offer_id: offer!.id,
        status: 'submitted' as const,
        trading_year: 2026,
        period_start: '2026-09-01',
        period_end: '2027-03-31',
        quantity: 1,
        hours: 6.5,
        unit_price_pence: 55000,
        net_pence: 55000,
        vat_rate_basis_points: 0,
        vat_pence: 0,
        gross_pence: 55000,
        price_explanation: '1 day at £550',
      })),
    )
    .returning('id')
    .execute()
  lineIds = lines.map((l) => l.id)
}, 120_000)

afterAll(async () => {
  await database?.close()
})

describe(`capacity under contention`, () => {
  it('200 concurrent confirmations for room for 100 end with exactly 100 confirmed and 100 waitlisted', async () => {
    const results = await Promise.all(lineIds.map((id) => confirmOrderLine(db, authorityId, id)))
    expect(results.filter((r) => r === 'confirmed')).toHaveLength(100)
    expect(results.filter((r) => r === 'waitlisted')).toHaveLength(100)

    const { rows } = await sql<{ reserved: string; held: string }>`
      select coalesce(sum(hours), 0)::text as reserved, count(*)::text as held
      from capacity_reservations where authority_id = ${authorityId} and released_at is null`.execute(db)
    expect(Number(rows[0]!.reserved)).toBe(650)
    expect(Number(rows[0]!.held)).toBe(100)

    const statuses = await db
      .selectFrom('orders')
      .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
      .where('authority_id', '=', authorityId)
      .groupBy('status')
      .orderBy('status')
      .execute()
    expect(statuses.map((s) => [s.status, Number(s.n)])).toEqual([
      ['confirmed', 100],
      ['waitlisted', 100],
    ])
  })

  it('confirming again changes nothing', async () => {
    const again = await Promise.all(lineIds.slice(0, 20).map((id) => confirmOrderLine(db, authorityId, id)))
    expect(again.filter((r) => r === 'confirmed')).toHaveLength(0)
    const held = await db
      .selectFrom('capacity_reservations')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('authority_id', '=', authorityId)
      .where('released_at', 'is', null)
      .executeTakeFirstOrThrow()
    expect(Number(held.n)).toBe(100)
  })

  it('cancelling 10 confirmed lines promotes the 10 oldest waitlisted lines, and never oversells', async () => {
    const waiting = await db
      .selectFrom('order_lines')
      .select(['id', 'waitlisted_at'])
      .where('authority_id', '=', authorityId)
      .where('status', '=', 'waitlisted')
      .orderBy('waitlisted_at')
      .orderBy('id')
      .execute()
    expect(waiting).toHaveLength(100)
    const confirmed = await db
      .selectFrom('order_lines')
      .select('id')
      .where('authority_id', '=', authorityId)
      .where('status', '=', 'confirmed')
      .limit(10)
      .execute()
    const results = await Promise.all(confirmed.map((c) => cancelOrderLine(db, authorityId, c.id, null)))
    expect(results.every((r) => r.cancelled)).toBe(true)
    const promoted = results.flatMap((r) => r.promoted)
    expect(promoted.sort()).toEqual(waiting.slice(0, 10).map((w) => w.id).sort())

    const counts = await db
      .selectFrom('order_lines')
      .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
      .where('authority_id', '=', authorityId)
      .groupBy('status')
      .orderBy('status')
      .execute()
    expect(counts.map((c) => [c.status, Number(c.n)])).toEqual([
      ['cancelled', 10],
      ['confirmed', 100],
      ['waitlisted', 90],
    ])
    const { rows } = await sql<{ reserved: string }>`
      select coalesce(sum(hours), 0)::text as reserved
      from capacity_reservations where authority_id = ${authorityId} and released_at is null`.execute(db)
    expect(Number(rows[0]!.reserved)).toBe(650)
    const history = await db
      .selectFrom('order_events')
      .select('note')
      .where('authority_id', '=', authorityId)
      .where('order_line_id', 'in', promoted)
      .where('to_status', '=', 'confirmed')
      .execute()
    expect(history).toHaveLength(10)
    expect(history.every((h) => h.note === 'Confirmed from the waiting list: hours became free')).toBe(true)
  })
})
