import { sql, type Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { capacityHours, hoursLeft, queuePlaces, unitsInHours } from '../../domain/capacity'

/**
 * What is left of a team's time, in the units a school buys, for lines of a
 * basket or of an order awaiting approval (a plain read: the lock is taken
 * only when confirming). Lines that take no team time or are places on a
 * dated course are left out.
 */

export type LineForCapacity = { id: string; offerId: string; tradingYear: number; courseId?: string | null }

/** Units left by line id, for lines of capacity-limited offers. */
export async function unitsLeftForLines(
  db: Kysely<Database>,
  authorityId: string,
  lines: readonly LineForCapacity[],
): Promise<Record<string, number>> {
  const wanted = lines.filter((l) => !l.courseId)
  if (wanted.length === 0) return {}
  const offers = await db
    .selectFrom('offers as f')
    .innerJoin('services as s', (j) => j.onRef('s.authority_id', '=', 'f.authority_id').onRef('s.id', '=', 'f.service_id'))
    .select(['f.id', 'f.hours_per_unit', 'f.pricing_model', 's.team_id'])
    .where('f.authority_id', '=', authorityId)
    .where('f.id', 'in', [...new Set(wanted.map((l) => l.offerId))])
    .execute()
  const offerById = new Map(offers.filter((o) => o.pricing_model !== 'per_place' && Number(o.hours_per_unit) > 0).map((o) => [o.id, o]))
  const teamYears = [...new Set(wanted.flatMap((l) => (offerById.has(l.offerId) ? [`${offerById.get(l.offerId)!.team_id}|${l.tradingYear}`] : [])))]
  const hoursByTeamYear = new Map<string, number>()
  for (const key of teamYears) {
    const [teamId, year] = key.split('|') as [string, string]
    const [teamYear, reserved] = await Promise.all([
      db
        .selectFrom('team_years')
        .select(['establishment_fte', 'chargeable_hours_per_fte', 'sessional_hours'])
        .where('authority_id', '=', authorityId)
        .where('team_id', '=', teamId)
        .where('trading_year', '=', Number(year))
        .executeTakeFirst(),
      db
        .selectFrom('capacity_reservations')
        .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('hours'), sql<number>`0`).as('hours'))
        .where('authority_id', '=', authorityId)
        .where('team_id', '=', teamId)
        .where('trading_year', '=', Number(year))
        .where('released_at', 'is', null)
        .executeTakeFirstOrThrow(),
    ])
    if (!teamYear) continue
    const capacity = capacityHours({
      establishmentFte: teamYear.establishment_fte,
      chargeableHoursPerFte: teamYear.chargeable_hours_per_fte,
      sessionalHours: teamYear.sessional_hours,
    })
    hoursByTeamYear.set(key, hoursLeft(capacity, Number(reserved.hours)))
  }
  const result: Record<string, number> = {}
  for (const line of wanted) {
    const offer = offerById.get(line.offerId)
    const left = offer ? hoursByTeamYear.get(`${offer.team_id}|${line.tradingYear}`) : undefined
    if (offer && left !== undefined) result[line.id] = unitsInHours(left, Number(offer.hours_per_unit))
  }
  return result
}

/**
 * Each waitlisted line's place on its team's waiting list for the year
 * (oldest waitlisted first, as the waiting list is promoted), by line id.
 * Course places wait for their own course and have no place here.
 */
export async function waitingListPlaces(db: Kysely<Database>, authorityId: string, lineIds: readonly string[]): Promise<Map<string, number>> {
  if (lineIds.length === 0) return new Map()
  const teamLine = () =>
    db
      .selectFrom('order_lines as l')
      .innerJoin('offers as f', (j) => j.onRef('f.authority_id', '=', 'l.authority_id').onRef('f.id', '=', 'l.offer_id'))
      .innerJoin('services as s', (j) => j.onRef('s.authority_id', '=', 'f.authority_id').onRef('s.id', '=', 'f.service_id'))
      .where('l.authority_id', '=', authorityId)
      .where('l.status', '=', 'waitlisted')
      .where('l.course_id', 'is', null)
  const mine = await teamLine().select(['s.team_id', 'l.trading_year']).where('l.id', 'in', lineIds).execute()
  const places = new Map<string, number>()
  const queues = new Set(mine.map((m) => `${m.team_id}|${m.trading_year}`))
  for (const key of queues) {
    const [teamId, year] = key.split('|') as [string, string]
    const queue = await teamLine()
      .select(['l.id', 'l.waitlisted_at'])
      .where('s.team_id', '=', teamId)
      .where('l.trading_year', '=', Number(year))
      .execute()
    const ranked = queuePlaces(queue.map((q) => ({ id: q.id, waitlistedAt: new Date(q.waitlisted_at ?? 0) })))
    for (const id of lineIds) if (ranked.has(id)) places.set(id, ranked.get(id)!)
  }
  return places
}
