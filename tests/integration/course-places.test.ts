import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DB } from '../../db/connection'
import { cancelOrderLine, confirmOrderLine } from '~/models/ordering/capacity.server'
import { buildCapacityFixture } from '../support/capacity-fixture'
import { testServerUrl, withFreshDatabase, type FreshDatabase } from '../support/database'

/**
 * Course places (issue 18, item 12: course lines were never confirmed or
 * waitlisted in any test). A course has its own places as well as the team's
 * hours: a line is confirmed only when both have room, and places taken are
 * held as reservations, never more than the course has, whatever arrives at
 * once.
 */
let database: FreshDatabase
let db: DB
let authorityId: string
let courseId: string
let newCourseLine: (places: number) => Promise<string>

beforeAll(async () => {
  database = await withFreshDatabase({ max: testServerUrl() ? 20 : 8 })
  db = database.db
  const fixture = await buildCapacityFixture(db, { slug: 'course-places-test', roomForDays: 100, lines: 1 })
  authorityId = fixture.authorityId
  const template = await db.selectFrom('order_lines').selectAll().where('id', '=', fixture.lineIds[0]!).executeTakeFirstOrThrow()
  const course = await db
    .insertInto('courses')
    .values({
      authority_id: authorityId,
      offer_id: template.offer_id,
      title: 'Emotion coaching, one day',
      starts_at: new Date('2027-02-10T09:00:00Z'),
      ends_at: new Date('2027-02-10T15:30:00Z'),
      venue: 'The council house',
      places: 3,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  courseId = course.id
  let made = 0
  newCourseLine = async (places) => {
    made += 1
    const order = await db
      .insertInto('orders')
      .values({
        authority_id: authorityId,
        reference: `ORD-C-${String(made).padStart(6, '0')}`,
        school_id: (await db.selectFrom('orders').select('school_id').where('id', '=', template.order_id).executeTakeFirstOrThrow()).school_id,
        status: 'submitted',
        net_pence: 12_000 * places,
        gross_pence: 12_000 * places,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const line = await db
      .insertInto('order_lines')
      .values({
        authority_id: authorityId,
        order_id: order.id,
        offer_id: template.offer_id,
        course_id: courseId,
        status: 'submitted',
        trading_year: 2026,
        period_start: '2027-02-10',
        period_end: '2027-02-10',
        quantity: places,
        hours: 0,
        unit_price_pence: 12_000,
        net_pence: 12_000 * places,
        vat_rate_basis_points: 0,
        vat_pence: 0,
        gross_pence: 12_000 * places,
        price_explanation: `${places} places at £120`,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return line.id
  }
}, 120_000)

afterAll(async () => {
  await database?.close()
})

async function placesTaken(): Promise<number> {
  const { rows } = await sql<{ taken: string }>`
    select coalesce(sum(places), 0)::text as taken from capacity_reservations
    where authority_id = ${authorityId} and course_id = ${courseId} and released_at is null`.execute(db)
  return Number(rows[0]!.taken)
}

/** The course's lines in one status, oldest decision first. */
async function courseLines(status: 'confirmed' | 'waitlisted') {
  return db
    .selectFrom('order_lines')
    .select(['id', 'quantity'])
    .where('authority_id', '=', authorityId)
    .where('course_id', '=', courseId)
    .where('status', '=', status)
    .orderBy(status === 'confirmed' ? 'confirmed_at' : 'waitlisted_at')
    .orderBy('id')
    .execute()
}

async function statusOf(lineId: string) {
  return (await db.selectFrom('order_lines').select('status').where('id', '=', lineId).executeTakeFirstOrThrow()).status
}

describe('course places', () => {
  it('six one-place bookings confirmed at once for a course of 3 places: exactly 3 confirmed, 3 on the waiting list', async () => {
    const lines = await Promise.all([1, 2, 3, 4, 5, 6].map(() => newCourseLine(1)))
    const results = await Promise.all(lines.map((id) => confirmOrderLine(db, authorityId, id)))
    expect(results.filter((r) => r === 'confirmed')).toHaveLength(3)
    expect(results.filter((r) => r === 'waitlisted')).toHaveLength(3)
    expect(await placesTaken()).toBe(3)
    const events = await db
      .selectFrom('order_events')
      .select(['to_status', 'note'])
      .where('authority_id', '=', authorityId)
      .where('order_line_id', 'in', lines)
      .where('to_status', '=', 'waitlisted')
      .execute()
    expect(events.map((e) => e.note)).toEqual(Array(3).fill('The course or the team is fully booked: on the waiting list, oldest first'))
  })

  it('a cancelled place frees one; a waiting booking of two still waits, one of one is then confirmed, and the course stays full', async () => {
    const confirmed = await courseLines('confirmed')
    expect(confirmed).toHaveLength(3)
    expect((await cancelOrderLine(db, authorityId, confirmed[0]!.id, null)).cancelled).toBe(true)
    expect(await placesTaken()).toBe(2)
    const two = await newCourseLine(2)
    expect(await confirmOrderLine(db, authorityId, two)).toBe('waitlisted')
    const waiting = (await courseLines('waitlisted')).filter((l) => l.quantity === 1)
    expect(waiting).toHaveLength(3)
    // Confirming a waiting line again (as the waiting list is offered places) takes the free place, once.
    const again = await Promise.all(waiting.map((w) => confirmOrderLine(db, authorityId, w.id)))
    expect(again.filter((r) => r === 'confirmed')).toHaveLength(1)
    expect(again.filter((r) => r === 'unchanged')).toHaveLength(2)
    expect(await placesTaken()).toBe(3)
    expect(await statusOf(two)).toBe('waitlisted')
  })
})
