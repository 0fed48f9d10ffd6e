import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DB } from '../../db/connection'
import { confirmOrderLine } from '~/models/ordering/capacity.server'
import { waitingListPlaces } from '~/models/ordering/capacity-left.server'
import { buildCapacityFixture } from '../support/capacity-fixture'
import { testServerUrl, withFreshDatabase, type FreshDatabase } from '../support/database'

/**
 * A school that asks for more than the team has left may choose to confirm
 * what fits and wait for the rest: the line splits, under the team-year
 * lock, so that many such confirmations at once still never oversell. A
 * team with room for exactly 30 days receives 20 lines of 4 days at once,
 * every one of them asking to split.
 */
let database: FreshDatabase
let db: DB
let authorityId: string
const lineIds: string[] = []

beforeAll(async () => {
  database = await withFreshDatabase({ max: testServerUrl() ? 20 : 8 })
  db = database.db
  const fixture = await buildCapacityFixture(db, { slug: 'split-test', roomForDays: 30, lines: 0 })
  authorityId = fixture.authorityId
  const offer = await db.selectFrom('offers').select('id').where('authority_id', '=', authorityId).executeTakeFirstOrThrow()
  const school = await db.selectFrom('schools').select('id').where('authority_id', '=', authorityId).executeTakeFirstOrThrow()
  for (let i = 0; i < 20; i++) {
    const order = await db
      .insertInto('orders')
      .values({
        authority_id: authorityId,
        reference: `ORD-S-${String(i + 1).padStart(6, '0')}`,
        school_id: school.id,
        status: 'submitted',
        net_pence: 200_000,
        vat_pence: 40_001,
        gross_pence: 240_001,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const line = await db
      .insertInto('order_lines')
      .values({
        authority_id: authorityId,
        order_id: order.id,
        offer_id: offer.id,
        status: 'submitted',
        trading_year: 2026,
        period_start: '2026-09-01',
        period_end: '2027-03-31',
        quantity: 4,
        hours: 26,
        unit_price_pence: 50_000,
        net_pence: 200_000,
        vat_rate_basis_points: 2000,
        vat_pence: 40_001,
        gross_pence: 240_001,
        price_explanation: '4 days at £500.00 a day.',
        capacity_choice: 'split',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    lineIds.push(line.id)
  }
}, 120_000)

afterAll(async () => {
  await database?.close()
})

describe('splitting a line at confirmation', () => {
  it('20 concurrent confirmations of 4 days, each willing to split, for room for 30: exactly 30 days confirmed, the rest waits', async () => {
    await Promise.all(lineIds.map((id) => confirmOrderLine(db, authorityId, id)))

    const { rows } = await sql<{ reserved: string }>`
      select coalesce(sum(hours), 0)::text as reserved
      from capacity_reservations where authority_id = ${authorityId} and released_at is null`.execute(db)
    expect(Number(rows[0]!.reserved)).toBe(195)

    const lines = await db
      .selectFrom('order_lines')
      .select(['id', 'order_id', 'status', 'quantity', 'hours', 'net_pence', 'vat_pence', 'gross_pence', 'split_from_line_id'])
      .where('authority_id', '=', authorityId)
      .execute()
    const sum = (status: string) => lines.filter((l) => l.status === status).reduce((n, l) => n + l.quantity, 0)
    expect(sum('confirmed')).toBe(30)
    expect(sum('waitlisted')).toBe(50)
    expect(lines.filter((l) => l.status === 'submitted')).toHaveLength(0)
    // 30 is 7 whole lines and 2 of the 8th: one line split, 2 confirmed and 2 waiting.
    const rests = lines.filter((l) => l.split_from_line_id)
    expect(rests).toHaveLength(1)
    expect(rests[0]).toMatchObject({ status: 'waitlisted', quantity: 2, hours: 13 })
    const kept = lines.find((l) => l.id === rests[0]!.split_from_line_id)!
    expect(kept).toMatchObject({ status: 'confirmed', quantity: 2, hours: 13, net_pence: 100_000 })
    // The two parts still add up to what was ordered, to the penny.
    expect(kept.net_pence + rests[0]!.net_pence).toBe(200_000)
    expect(kept.vat_pence + rests[0]!.vat_pence).toBe(40_001)
    expect(kept.gross_pence + rests[0]!.gross_pence).toBe(240_001)

    // Every waiting line has a place in the queue, 1 to 13, each once.
    const waiting = lines.filter((l) => l.status === 'waitlisted').map((l) => l.id)
    const places = await waitingListPlaces(db, authorityId, waiting)
    expect([...places.values()].sort((a, b) => a - b)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1))
  })
})
