import { clock } from '../../utils/clock'
import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../../db/connection'
import type { Database, OrderStatus, PricingModel } from '../../../db/schema'
import { capacityHours, hoursLeft } from '../../domain/capacity'
import { quantityText } from '../../domain/quantities'
import type { SchoolActor } from '../shared/actor.server'

/**
 * The basket: a school's draft order, one per school (the partial unique
 * index orders_one_basket_per_school), as it reads it, and what is left to
 * sell. Prices come from the pricing module and are frozen on each line;
 * changing the basket is in basket-changes.server.ts, placing the order in
 * place-order.server.ts.
 */

export type Trx = Transaction<Database>
export type FieldProblem = { ok: false; field: string; message: string }

export async function schoolOf(db: Kysely<Database>, actor: SchoolActor) {
  return db
    .selectFrom('schools')
    .select(['id', 'name', 'school_type', 'pupil_count', 'approval_limit_pence', 'po_number_required', 'status'])
    .where('authority_id', '=', actor.authorityId)
    .where('id', '=', actor.schoolId)
    .executeTakeFirstOrThrow()
}

/** Why a closed school cannot order (it is closed in the authority's register). */
export function closedSchoolMessage(schoolName: string): string {
  return `${schoolName} is closed in the council’s register of schools, so it cannot order. If it has reopened, ask the council to update its record`
}

export type BasketLine = {
  id: string
  /** A pooled block bought for the school's cluster (decision 0036); null for the school's own. */
  cluster: { id: string; name: string } | null
  offerId: string
  offerName: string
  serviceName: string
  serviceSlug: string
  unitOne: string
  unitOther: string
  pricingModel: PricingModel
  maxQuantity: number | null
  course: { id: string; title: string; startsAt: string; venue: string } | null
  tradingYear: number
  periodStart: string
  periodEnd: string
  quantity: number
  hours: number
  unitPricePence: number
  netPence: number
  vatRateBasisPoints: number
  vatPence: number
  grossPence: number
  priceExplanation: string
  capacityChoice: 'split' | 'wait_all'
}

export type Basket = {
  id: string
  poNumber: string | null
  lines: BasketLine[]
  netPence: number
  vatPence: number
  grossPence: number
}

export type BasketSchool = {
  name: string
  approvalLimitPence: number
  poNumberRequired: boolean
}

export async function draftLines(db: Kysely<Database>, authorityId: string, orderId: string): Promise<BasketLine[]> {
  const rows = await db
    .selectFrom('order_lines as l')
    .innerJoin('offers as f', (j) => j.onRef('f.authority_id', '=', 'l.authority_id').onRef('f.id', '=', 'l.offer_id'))
    .innerJoin('services as s', (j) => j.onRef('s.authority_id', '=', 'f.authority_id').onRef('s.id', '=', 'f.service_id'))
    .leftJoin('courses as c', (j) => j.onRef('c.authority_id', '=', 'l.authority_id').onRef('c.id', '=', 'l.course_id'))
    .leftJoin('clusters as cl', (j) => j.onRef('cl.authority_id', '=', 'l.authority_id').onRef('cl.id', '=', 'l.cluster_id'))
    .select([
      'l.id',
      'l.offer_id',
      'l.trading_year',
      'l.period_start',
      'l.period_end',
      'l.quantity',
      'l.hours',
      'l.unit_price_pence',
      'l.net_pence',
      'l.vat_rate_basis_points',
      'l.vat_pence',
      'l.gross_pence',
      'l.price_explanation',
      'l.capacity_choice',
      'l.cluster_id',
      'cl.name as cluster_name',
      'f.name as offer_name',
      'f.unit_one',
      'f.pricing_model',
      'f.unit_other',
      'f.max_quantity',
      's.name as service_name',
      's.slug as service_slug',
      'c.id as course_id',
      'c.title as course_title',
      'c.starts_at as course_starts_at',
      'c.venue as course_venue',
    ])
    .where('l.authority_id', '=', authorityId)
    .where('l.order_id', '=', orderId)
    .orderBy('l.created_at')
    .orderBy('l.id')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    offerId: r.offer_id,
    offerName: r.offer_name,
    serviceName: r.service_name,
    serviceSlug: r.service_slug,
    unitOne: r.unit_one,
    pricingModel: r.pricing_model,
    unitOther: r.unit_other,
    maxQuantity: r.max_quantity,
    course:
      r.course_id && r.course_title && r.course_starts_at && r.course_venue !== null
        ? { id: r.course_id, title: r.course_title, startsAt: new Date(r.course_starts_at).toISOString(), venue: r.course_venue }
        : null,
    tradingYear: r.trading_year,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    quantity: r.quantity,
    hours: r.hours,
    unitPricePence: r.unit_price_pence,
    netPence: r.net_pence,
    vatRateBasisPoints: r.vat_rate_basis_points,
    vatPence: r.vat_pence,
    grossPence: r.gross_pence,
    priceExplanation: r.price_explanation,
    capacityChoice: r.capacity_choice,
    cluster: r.cluster_id && r.cluster_name ? { id: r.cluster_id, name: r.cluster_name } : null,
  }))
}

/** Whose draft: the school's own basket, or (for a trust buyer) the trust's basket for the school. */
export function draftOwner(actor: Pick<SchoolActor, 'trustId'>) {
  return (eb: ExpressionBuilder<Database, 'orders'>) =>
    actor.trustId ? eb('orders.trust_id', '=', actor.trustId) : eb('orders.trust_id', 'is', null)
}

/** The school's basket with its lines, or null when it has none. */
export async function getBasket(db: DB, actor: Pick<SchoolActor, 'authorityId' | 'schoolId' | 'trustId'>): Promise<Basket | null> {
  const order = await db
    .selectFrom('orders')
    .select(['id', 'po_number', 'net_pence', 'vat_pence', 'gross_pence'])
    .where('authority_id', '=', actor.authorityId)
    .where('school_id', '=', actor.schoolId)
    .where('status', '=', 'draft')
    .where(draftOwner(actor))
    .executeTakeFirst()
  if (!order) return null
  return {
    id: order.id,
    poNumber: order.po_number,
    lines: await draftLines(db, actor.authorityId, order.id),
    netPence: order.net_pence,
    vatPence: order.vat_pence,
    grossPence: order.gross_pence,
  }
}

export async function getBasketSchool(db: DB, actor: Pick<SchoolActor, 'authorityId' | 'schoolId'>): Promise<BasketSchool> {
  const school = await schoolOf(db, { ...actor, userId: '' })
  return {
    name: school.name,
    approvalLimitPence: school.approval_limit_pence,
    poNumberRequired: school.po_number_required,
  }
}

// ---------------------------------------------------------------------------
// What is left to sell (a plain read: the lock is taken only when confirming)

/**
 * For each offer of a service, how many units are left in the trading year:
 * the team-year's capacity less the hours held by reservations, divided by
 * the offer's hours per unit and rounded down. Offers that take no team
 * time, or are sold as course places, are left out.
 */
export async function unitsLeftByOffer(db: DB, authorityId: string, serviceSlug: string, tradingYear: number): Promise<Record<string, number>> {
  const service = await db
    .selectFrom('services')
    .select(['id', 'team_id'])
    .where('authority_id', '=', authorityId)
    .where('slug', '=', serviceSlug)
    .executeTakeFirst()
  if (!service) return {}
  const [teamYear, reserved, offers] = await Promise.all([
    db
      .selectFrom('team_years')
      .select(['establishment_fte', 'chargeable_hours_per_fte', 'sessional_hours'])
      .where('authority_id', '=', authorityId)
      .where('team_id', '=', service.team_id)
      .where('trading_year', '=', tradingYear)
      .executeTakeFirst(),
    db
      .selectFrom('capacity_reservations')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('hours'), sql<number>`0`).as('hours'))
      .where('authority_id', '=', authorityId)
      .where('team_id', '=', service.team_id)
      .where('trading_year', '=', tradingYear)
      .where('released_at', 'is', null)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('offers')
      .select(['id', 'hours_per_unit', 'pricing_model'])
      .where('authority_id', '=', authorityId)
      .where('service_id', '=', service.id)
      .where('is_published', '=', true)
      .execute(),
  ])
  if (!teamYear) return {}
  const left = hoursLeft(
    capacityHours({
      establishmentFte: teamYear.establishment_fte,
      chargeableHoursPerFte: teamYear.chargeable_hours_per_fte,
      sessionalHours: teamYear.sessional_hours,
    }),
    Number(reserved.hours),
  )
  const result: Record<string, number> = {}
  for (const offer of offers) {
    if (offer.pricing_model === 'per_place' || !(offer.hours_per_unit > 0)) continue
    result[offer.id] = Math.floor(Math.round(left * 100) / Math.round(offer.hours_per_unit * 100))
  }
  return result
}

// ---------------------------------------------------------------------------
// After submitting

export type SubmittedOrder = {
  id: string
  reference: string
  status: OrderStatus
  grossPence: number
  lines: { id: string; description: string; status: OrderStatus }[]
}

/** A submitted order of the school, for the confirmation page. */
export async function getSubmittedOrder(
  db: DB,
  actor: Pick<SchoolActor, 'authorityId' | 'schoolId'>,
  orderId: string,
): Promise<SubmittedOrder | null> {
  const order = await db
    .selectFrom('orders')
    .select(['id', 'reference', 'status', 'gross_pence'])
    .where('authority_id', '=', actor.authorityId)
    .where('school_id', '=', actor.schoolId)
    .where('id', '=', orderId)
    .where('status', '!=', 'draft')
    .executeTakeFirst()
  if (!order) return null
  const lines = await db
    .selectFrom('order_lines as l')
    .innerJoin('offers as f', (j) => j.onRef('f.authority_id', '=', 'l.authority_id').onRef('f.id', '=', 'l.offer_id'))
    .innerJoin('services as s', (j) => j.onRef('s.authority_id', '=', 'f.authority_id').onRef('s.id', '=', 'f.service_id'))
    .select(['l.id', 'l.status', 'l.quantity', 'f.name as offer_name', 'f.unit_one', 'f.unit_other', 's.name as service_name'])
    .where('l.authority_id', '=', actor.authorityId)
    .where('l.order_id', '=', orderId)
    .orderBy('l.created_at')
    .orderBy('l.id')
    .execute()
  return {
    id: order.id,
    reference: order.reference,
    status: order.status,
    grossPence: order.gross_pence,
    lines: lines.map((l) => ({
      id: l.id,
      status: l.status,
      description: `${l.service_name}: ${l.offer_name}, ${quantityText(l.quantity, l.unit_one, l.unit_other)}`,
    })),
  }
}

export type OrderableOffer = {
  id: string
  name: string
  serviceName: string
  serviceSlug: string
  unitOne: string
  unitOther: string
  pricingModel: string
  courses: { id: string; title: string; startsAt: string; placesLeft: number }[]
}

/**
 * A published offer of the authority with the courses that can still be
 * booked (not started, places left), for the "Add to basket" form; null for
 * anything else (another authority's, unpublished, no such offer).
 */
export async function getOrderableOffer(db: DB, authorityId: string, offerId: string, now: Date = clock.now()): Promise<OrderableOffer | null> {
  const offer = await db
    .selectFrom('offers as f')
    .innerJoin('services as s', (j) => j.onRef('s.authority_id', '=', 'f.authority_id').onRef('s.id', '=', 'f.service_id'))
    .select(['f.id', 'f.name', 'f.unit_one', 'f.unit_other', 'f.pricing_model', 's.name as service_name', 's.slug as service_slug'])
    .where('f.authority_id', '=', authorityId)
    .where('f.id', '=', offerId)
    .where('f.is_published', '=', true)
    .where('s.is_published', '=', true)
    .executeTakeFirst()
  if (!offer) return null
  const courses =
    offer.pricing_model === 'per_place'
      ? await db
          .selectFrom('courses as c')
          .leftJoin('capacity_reservations as r', (j) =>
            j.onRef('r.authority_id', '=', 'c.authority_id').onRef('r.course_id', '=', 'c.id').on('r.released_at', 'is', null),
          )
          .select(['c.id', 'c.title', 'c.starts_at', 'c.places'])
          .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('r.places'), sql<number>`0`).as('taken'))
          .where('c.authority_id', '=', authorityId)
          .where('c.offer_id', '=', offer.id)
          .where('c.is_cancelled', '=', false)
          .where('c.starts_at', '>', now)
          .groupBy(['c.id', 'c.title', 'c.starts_at', 'c.places'])
          .orderBy('c.starts_at')
          .execute()
      : []
  return {
    id: offer.id,
    name: offer.name,
    serviceName: offer.service_name,
    serviceSlug: offer.service_slug,
    unitOne: offer.unit_one,
    unitOther: offer.unit_other,
    pricingModel: offer.pricing_model,
    courses: courses
      .map((c) => ({ id: c.id, title: c.title, startsAt: new Date(c.starts_at).toISOString(), placesLeft: Math.max(0, c.places - Number(c.taken)) }))
      .filter((c) => c.placesLeft > 0),
  }
}
