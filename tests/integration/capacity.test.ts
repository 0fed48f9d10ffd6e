import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DB } from '../../db/connection'
import { cancelOrderLine, confirmOrderLine } from '~/models/ordering/capacity.server'
import { buildCapacityFixture } from '../support/capacity-fixture'
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
  const fixture = await buildCapacityFixture(db, { slug: 'capacity-test', roomForDays: 100, lines: 200 })
  authorityId = fixture.authorityId
  lineIds = fixture.lineIds
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
    expect(promoted.sort()).toEqual(
      waiting
        .slice(0, 10)
        .map((w) => w.id)
        .sort(),
    )

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
