import { clock } from '../../utils/clock'
import { sql, type Transaction } from 'kysely'
import type { DB } from '../../../db/connection'
import type { Database, OrderStatus } from '../../../db/schema'
import {
  capacityHours,
  decideHours,
  decidePlaces,
  hoursLeft,
  lineHours,
  linesToPromote,
  orderStatusFromLines,
  splitByCapacity,
  splitPrice,
  unitsInHours,
  type LineStatus,
} from '../../domain/capacity'
import { limitLockWait } from '../shared/authority.server'
import { forUpdate } from '../../utils/locks.server'

type Trx = Transaction<Database>

/**
 * Capacity that never oversells, whatever arrives at once (pretix's rule):
 * in one transaction, lock what the line makes scarcer (the team-year row,
 * then the course row), recount what is reserved, then decide. A lock that
 * cannot be had within 5 seconds fails the transaction with a clear error
 * instead of hanging.
 */

export type ConfirmResult = 'confirmed' | 'waitlisted' | 'unchanged'

type LockedTeamYear = { capacity: number; reserved: number }

async function lockTeamYear(trx: Trx, authorityId: string, teamId: string, tradingYear: number): Promise<LockedTeamYear | null> {
  const teamYear = await trx
    .selectFrom('team_years')
    .select(['establishment_fte', 'chargeable_hours_per_fte', 'sessional_hours'])
    .where('authority_id', '=', authorityId)
    .where('team_id', '=', teamId)
    .where('trading_year', '=', tradingYear)
    .$call(forUpdate)
    .executeTakeFirst()
  if (!teamYear) return null
  const { reserved } = await trx
    .selectFrom('capacity_reservations')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('hours'), sql<number>`0`).as('reserved'))
    .where('authority_id', '=', authorityId)
    .where('team_id', '=', teamId)
    .where('trading_year', '=', tradingYear)
    .where('released_at', 'is', null)
    .executeTakeFirstOrThrow()
  return {
    capacity: capacityHours({
      establishmentFte: teamYear.establishment_fte,
      chargeableHoursPerFte: teamYear.chargeable_hours_per_fte,
      sessionalHours: teamYear.sessional_hours,
    }),
    reserved: Number(reserved),
  }
}

async function lockCourse(trx: Trx, authorityId: string, courseId: string): Promise<{ places: number; taken: number }> {
  const course = await trx
    .selectFrom('courses')
    .select('places')
    .where('authority_id', '=', authorityId)
    .where('id', '=', courseId)
    .$call(forUpdate)
    .executeTakeFirstOrThrow()
  const { taken } = await trx
    .selectFrom('capacity_reservations')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('places'), sql<number>`0`).as('taken'))
    .where('authority_id', '=', authorityId)
    .where('course_id', '=', courseId)
    .where('released_at', 'is', null)
    .executeTakeFirstOrThrow()
  return { places: course.places, taken: Number(taken) }
}

/** The order's status follows its lines: Buyback's change, unless it is the person's own cancelling of all of it. */
async function refreshOrderStatus(trx: Trx, authorityId: string, orderId: string, cancelledBy: string | null, note: string) {
  const [order, lines] = await Promise.all([
    trx.selectFrom('orders').select('status').where('authority_id', '=', authorityId).where('id', '=', orderId).executeTakeFirstOrThrow(),
    trx.selectFrom('order_lines').select('status').where('authority_id', '=', authorityId).where('order_id', '=', orderId).execute(),
  ])
  const next = orderStatusFromLines(lines.map((l) => l.status as LineStatus))
  if (next === order.status) return
  await trx
    .updateTable('orders')
    .set({ status: next, updated_at: clock.now() })
    .where('authority_id', '=', authorityId)
    .where('id', '=', orderId)
    .execute()
  await trx
    .insertInto('order_events')
    .values({
      authority_id: authorityId,
      order_id: orderId,
      from_status: order.status,
      to_status: next,
      actor_user_id: next === 'cancelled' ? cancelledBy : null,
      note,
    })
    .execute()
}

/**
 * Decides one submitted (or waitlisted) order line: confirmed with its hours
 * (and places) reserved if they fit, otherwise waitlisted. Safe to call at
 * once from many requests, and again for the same line. The decision is
 * Buyback's, never the person's whose request led to it (decision 0031).
 */
export async function confirmOrderLine(db: DB, authorityId: string, lineId: string): Promise<ConfirmResult> {
  return db.transaction().execute(async (trx) => {
    await limitLockWait(trx)
    const line = await trx
      .selectFrom('order_lines as l')
      .innerJoin('offers as o', (j) => j.onRef('o.authority_id', '=', 'l.authority_id').onRef('o.id', '=', 'l.offer_id'))
      .innerJoin('services as s', (j) => j.onRef('s.authority_id', '=', 'o.authority_id').onRef('s.id', '=', 'o.service_id'))
      .select(['l.id', 'l.order_id', 'l.status', 'l.hours', 'l.quantity', 'l.course_id', 'l.trading_year', 'l.waitlisted_at', 's.team_id'])
      .select(['l.capacity_choice', 'o.hours_per_unit'])
      .where('l.authority_id', '=', authorityId)
      .where('l.id', '=', lineId)
      .$call((q) => forUpdate(q, 'l'))
      .executeTakeFirst()
    if (!line || (line.status !== 'submitted' && line.status !== 'waitlisted')) return 'unchanged'

    const teamYear = await lockTeamYear(trx, authorityId, line.team_id, line.trading_year)
    const course = line.course_id ? await lockCourse(trx, authorityId, line.course_id) : null
    if (teamYear && !course && line.status === 'submitted' && line.capacity_choice === 'split') {
      // The school chose to confirm what fits: the rest waits on a line of its own.
      const split = splitByCapacity(line.quantity, unitsInHours(hoursLeft(teamYear.capacity, teamYear.reserved), line.hours_per_unit))
      if (split.confirm > 0 && split.wait > 0) {
        const hours = lineHours(line.hours_per_unit, split.confirm)
        await splitLine(trx, authorityId, line.id, split, hours)
        line.quantity = split.confirm
        line.hours = hours
      }
    }
    const fits =
      teamYear !== null &&
      decideHours({ capacityHours: teamYear.capacity, reservedHours: teamYear.reserved, requestedHours: line.hours }) === 'confirm' &&
      (!course || decidePlaces({ places: course.places, taken: course.taken, requested: line.quantity }) === 'confirm')

    const now = clock.now()
    const from = line.status as OrderStatus
    if (fits) {
      await trx
        .insertInto('capacity_reservations')
        .values({
          authority_id: authorityId,
          order_line_id: line.id,
          team_id: line.team_id,
          trading_year: line.trading_year,
          course_id: line.course_id,
          hours: line.hours,
          places: line.course_id ? line.quantity : 0,
        })
        .execute()
      await trx
        .updateTable('order_lines')
        .set({ status: 'confirmed', confirmed_at: now, updated_at: now })
        .where('authority_id', '=', authorityId)
        .where('id', '=', line.id)
        .execute()
    } else if (from === 'submitted') {
      await trx
        .updateTable('order_lines')
        .set({ status: 'waitlisted', waitlisted_at: now, updated_at: now })
        .where('authority_id', '=', authorityId)
        .where('id', '=', line.id)
        .execute()
    } else {
      return 'unchanged'
    }
    const to: OrderStatus = fits ? 'confirmed' : 'waitlisted'
    await trx
      .insertInto('order_events')
      .values({
        authority_id: authorityId,
        order_id: line.order_id,
        order_line_id: line.id,
        from_status: from,
        to_status: to,
        actor_user_id: null,
        note: fits
          ? from === 'waitlisted'
            ? 'Confirmed from the waiting list: hours became free'
            : 'Capacity reserved'
          : course && teamYear
            ? 'The course or the team is fully booked: on the waiting list, oldest first'
            : 'The team is fully booked for the year: on the waiting list, oldest first',
      })
      .execute()
    await refreshOrderStatus(trx, authorityId, line.order_id, null, fits ? 'Capacity reserved' : 'On the waiting list')
    return to
  })
}

/**
 * Splits a submitted line in two, under the team-year lock its caller holds:
 * the line keeps what fits (confirmed next by the caller) and a new line,
 * waitlisted now, takes the rest. The two prices add up to the line's.
 */
async function splitLine(
  trx: Trx,
  authorityId: string,
  lineId: string,
  split: { confirm: number; wait: number },
  confirmHours: number,
): Promise<string> {
  const line = await trx
    .selectFrom('order_lines')
    .selectAll()
    .where('authority_id', '=', authorityId)
    .where('id', '=', lineId)
    .executeTakeFirstOrThrow()
  const parts = splitPrice(
    {
      quantity: line.quantity,
      unitPricePence: line.unit_price_pence,
      netPence: line.net_pence,
      vatPence: line.vat_pence,
      vatRateBasisPoints: line.vat_rate_basis_points,
    },
    split.confirm,
  )
  const now = clock.now()
  const note = (n: number) => `${n} of ${line.quantity} ordered together at this price. ${line.price_explanation}`
  const { id, created_at: _created, updated_at: _updated, ...copy } = line
  const rest = await trx
    .insertInto('order_lines')
    .values({
      ...copy,
      status: 'waitlisted',
      quantity: split.wait,
      hours: Math.round((line.hours - confirmHours) * 100) / 100,
      net_pence: parts.waiting.net,
      vat_pence: parts.waiting.vat,
      gross_pence: parts.waiting.net + parts.waiting.vat,
      price_explanation: note(split.wait),
      waitlisted_at: now,
      confirmed_at: null,
      split_from_line_id: id,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await trx
    .updateTable('order_lines')
    .set({
      quantity: split.confirm,
      hours: confirmHours,
      net_pence: parts.confirmed.net,
      vat_pence: parts.confirmed.vat,
      gross_pence: parts.confirmed.net + parts.confirmed.vat,
      price_explanation: note(split.confirm),
      updated_at: now,
    })
    .where('authority_id', '=', authorityId)
    .where('id', '=', id)
    .execute()
  await trx
    .insertInto('order_events')
    .values({
      authority_id: authorityId,
      order_id: line.order_id,
      order_line_id: rest.id,
      from_status: 'submitted',
      to_status: 'waitlisted',
      actor_user_id: null,
      note: `Split: ${split.confirm} confirmed now as the team had room for them, ${split.wait} on the waiting list, oldest first`,
    })
    .execute()
  return rest.id
}

/**
 * Cancels one line in its own transaction (see cancelOrderLineIn). The fee
 * is what cancelling charges (app/domain/cancellation.ts).
 */
export async function cancelOrderLine(
  db: DB,
  authorityId: string,
  lineId: string,
  actorUserId: string | null,
  cancellationFeePence = 0,
): Promise<{ cancelled: boolean; promoted: string[] }> {
  return db.transaction().execute((trx) => cancelOrderLineIn(trx, authorityId, lineId, actorUserId, cancellationFeePence))
}

/**
 * Cancels what is left of one line inside the caller's transaction, under
 * the line's lock: a line already closed, or delivered in full, is left as
 * it is. The undelivered hours are freed (a line delivered in part keeps
 * the hours of what was delivered) and offered to the waiting list, oldest
 * first.
 */
export async function cancelOrderLineIn(
  trx: Transaction<Database>,
  authorityId: string,
  lineId: string,
  actorUserId: string | null,
  cancellationFeePence = 0,
): Promise<{ cancelled: boolean; promoted: string[] }> {
  await limitLockWait(trx)
  const line = await trx
    .selectFrom('order_lines as l')
    .innerJoin('offers as o', (j) => j.onRef('o.authority_id', '=', 'l.authority_id').onRef('o.id', '=', 'l.offer_id'))
    .innerJoin('services as s', (j) => j.onRef('s.authority_id', '=', 'o.authority_id').onRef('s.id', '=', 'o.service_id'))
    .select(['l.id', 'l.order_id', 'l.status', 'l.trading_year', 'l.quantity', 's.team_id'])
    .where('l.authority_id', '=', authorityId)
    .where('l.id', '=', lineId)
    .$call((q) => forUpdate(q, 'l'))
    .executeTakeFirst()
  if (!line || !['submitted', 'awaiting_approval', 'confirmed', 'waitlisted'].includes(line.status)) {
    return { cancelled: false, promoted: [] }
  }
  // What was delivered stays charged (checked under the line's lock, which recording a delivery also takes).
  const delivered = await trx
    .selectFrom('delivery_records')
    .select(sql<number>`coalesce(sum(units), 0)::float8`.as('units'))
    .where('authority_id', '=', authorityId)
    .where('order_line_id', '=', line.id)
    .executeTakeFirstOrThrow()
  const deliveredUnits = Number(delivered.units)
  if (deliveredUnits >= line.quantity) return { cancelled: false, promoted: [] }
  // Lock the team-year before freeing its hours, as confirmation does.
  const teamYear = await lockTeamYear(trx, authorityId, line.team_id, line.trading_year)
  const now = clock.now()
  if (deliveredUnits > 0) {
    // The delivered share of the hours stays used; the rest is freed.
    await trx
      .updateTable('capacity_reservations')
      .set({ hours: sql`round(hours * ${deliveredUnits / line.quantity}::numeric, 2)` })
      .where('authority_id', '=', authorityId)
      .where('order_line_id', '=', line.id)
      .where('released_at', 'is', null)
      .execute()
  } else {
    await trx
      .updateTable('capacity_reservations')
      .set({ released_at: now })
      .where('authority_id', '=', authorityId)
      .where('order_line_id', '=', line.id)
      .where('released_at', 'is', null)
      .execute()
  }
  await trx
    .updateTable('order_lines')
    .set({ status: 'cancelled', cancelled_at: now, updated_at: now, cancellation_fee_pence: cancellationFeePence })
    .where('authority_id', '=', authorityId)
    .where('id', '=', line.id)
    .execute()
  await trx
    .insertInto('order_events')
    .values({
      authority_id: authorityId,
      order_id: line.order_id,
      order_line_id: line.id,
      from_status: line.status,
      to_status: 'cancelled',
      actor_user_id: actorUserId,
      note: deliveredUnits > 0 ? 'Cancelled: the undelivered rest' : 'Cancelled',
    })
    .execute()
  await refreshOrderStatus(trx, authorityId, line.order_id, actorUserId, 'Cancelled')
  const promoted = teamYear ? await promoteWaitlist(trx, authorityId, line.team_id, line.trading_year) : []
  return { cancelled: true, promoted: promoted.map((p) => p.lineId) }
}

/**
 * Offers free hours to the team-year's waiting list, oldest first, inside a
 * transaction that already holds the team-year lock. Course lines are left
 * to their own course's places and are not promoted here.
 */
async function promoteWaitlist(trx: Trx, authorityId: string, teamId: string, tradingYear: number): Promise<PromotedLine[]> {
  const locked = await lockTeamYear(trx, authorityId, teamId, tradingYear)
  if (!locked) return []
  const waiting = await trx
    .selectFrom('order_lines as l')
    .innerJoin('offers as o', (j) => j.onRef('o.authority_id', '=', 'l.authority_id').onRef('o.id', '=', 'l.offer_id'))
    .innerJoin('services as s', (j) => j.onRef('s.authority_id', '=', 'o.authority_id').onRef('s.id', '=', 'o.service_id'))
    .select(['l.id', 'l.order_id', 'l.hours', 'l.waitlisted_at'])
    .where('l.authority_id', '=', authorityId)
    .where('s.team_id', '=', teamId)
    .where('l.trading_year', '=', tradingYear)
    .where('l.status', '=', 'waitlisted')
    .where('l.course_id', 'is', null)
    .orderBy('l.waitlisted_at')
    .orderBy('l.id')
    .$call((q) => forUpdate(q, 'l'))
    .execute()
  const ids = linesToPromote(
    waiting.map((w) => ({ id: w.id, waitlistedAt: new Date(w.waitlisted_at ?? 0), hours: w.hours })),
    hoursLeft(locked.capacity, locked.reserved),
  )
  const now = clock.now()
  for (const id of ids) {
    const line = waiting.find((w) => w.id === id)!
    await trx
      .insertInto('capacity_reservations')
      .values({ authority_id: authorityId, order_line_id: id, team_id: teamId, trading_year: tradingYear, hours: line.hours })
      .execute()
    await trx
      .updateTable('order_lines')
      .set({ status: 'confirmed', confirmed_at: now, updated_at: now })
      .where('authority_id', '=', authorityId)
      .where('id', '=', id)
      .execute()
    await trx
      .insertInto('order_events')
      .values({
        authority_id: authorityId,
        order_id: line.order_id,
        order_line_id: id,
        from_status: 'waitlisted',
        to_status: 'confirmed',
        actor_user_id: null,
        note: 'Confirmed from the waiting list: hours became free',
      })
      .execute()
    await refreshOrderStatus(trx, authorityId, line.order_id, null, 'Confirmed from the waiting list')
  }
  return ids.map((id) => ({ orderId: waiting.find((w) => w.id === id)!.order_id, lineId: id }))
}

export type PromotedLine = { orderId: string; lineId: string }

export type TeamYearFigures = { establishmentFte: number; chargeableHoursPerFte: number; sessionalHours: number }

/** Every figure of a team-year: its capacity and its money. */
export type TeamYearAllFigures = TeamYearFigures & { costPerFtePence: number; centralFundingPence: number }

/**
 * Locks a team-year row (as confirming a line does) and counts what is
 * reserved, in the caller's transaction: its figures, or null when the
 * authority has no figures for the team that year.
 */
export async function lockTeamYearFigures(
  trx: Trx,
  authorityId: string,
  teamId: string,
  tradingYear: number,
): Promise<{ figures: TeamYearAllFigures | null; reservedHours: number }> {
  const locked = await lockTeamYear(trx, authorityId, teamId, tradingYear)
  // No row: nothing can have been confirmed against it (confirming needs the row).
  if (!locked) return { figures: null, reservedHours: 0 }
  const row = await trx
    .selectFrom('team_years')
    .select(['establishment_fte', 'chargeable_hours_per_fte', 'sessional_hours', 'cost_per_fte_pence', 'central_funding_pence'])
    .where('authority_id', '=', authorityId)
    .where('team_id', '=', teamId)
    .where('trading_year', '=', tradingYear)
    .executeTakeFirstOrThrow()
  const figures = {
    establishmentFte: Number(row.establishment_fte),
    chargeableHoursPerFte: row.chargeable_hours_per_fte,
    sessionalHours: row.sessional_hours,
    costPerFtePence: row.cost_per_fte_pence,
    centralFundingPence: row.central_funding_pence,
  }
  return { figures, reservedHours: locked.reserved }
}

/**
 * Writes a team-year's figures (creating the row when the year has none)
 * in the caller's transaction, which must already hold the row's lock
 * (lockTeamYearFigures), then offers whatever is now free to the waiting
 * list, oldest first (Buyback's doing, not the person's who changed the
 * figures). Nothing confirmed is ever taken away: whether capacity
 * may go below what is booked is the caller's rule (domain/targets
 * capacityFloor).
 */
export async function writeTeamYearFigures(
  trx: Trx,
  authorityId: string,
  teamId: string,
  tradingYear: number,
  figures: TeamYearAllFigures,
): Promise<{ promoted: PromotedLine[]; capacityHours: number; reservedHours: number }> {
  const set = {
    establishment_fte: figures.establishmentFte,
    chargeable_hours_per_fte: figures.chargeableHoursPerFte,
    sessional_hours: figures.sessionalHours,
    cost_per_fte_pence: figures.costPerFtePence,
    central_funding_pence: figures.centralFundingPence,
  }
  await trx
    .insertInto('team_years')
    .values({ authority_id: authorityId, team_id: teamId, trading_year: tradingYear, ...set })
    .onConflict((oc) => oc.columns(['authority_id', 'team_id', 'trading_year']).doUpdateSet(set))
    .execute()
  const promoted = await promoteWaitlist(trx, authorityId, teamId, tradingYear)
  const after = (await lockTeamYear(trx, authorityId, teamId, tradingYear))!
  return { promoted, capacityHours: after.capacity, reservedHours: after.reserved }
}
