import { clock } from '../../utils/clock'
import { randomUUID } from 'node:crypto'
import { sql, type Kysely, type Transaction } from 'kysely'
import type { DB } from '../../../db/connection'
import type { Database, OrderStatus } from '../../../db/schema'
import { capacityHours, hoursLeft, lineHours } from '../../domain/capacity'
import { formatPence } from '../../domain/money'
import { quotePrice, type Quote } from '../../domain/pricing'
import { tradingYearBounds, tradingYearOf } from '../../domain/trading-year'
import { getBoss } from '../../utils/jobs.server'
import { decideSubmittedLines } from './decisions.server'
import { loadPricedOffers } from '../catalogue/offers.server'
import { queueOrderEmails } from './notifications.server'
import { plural, quantityText } from '../../domain/quantities'

/**
 * The basket (SPEC §5 /basket, issue 4): a school's draft order, one per
 * school (the partial unique index orders_one_basket_per_school). Prices
 * come from the pricing module and are frozen on each line; submitting
 * re-quotes every line, allocates the order's reference and, below the
 * school's approval limit, asks the capacity model to confirm each line.
 */

type Trx = Transaction<Database>
export type BasketActor = { authorityId: string; schoolId: string; userId: string }
export type FieldProblem = { ok: false; field: string; message: string }

const LOCK_TIMEOUT = '5s'

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10)
}

/** The last day of a trading year ('YYYY-MM-DD'). */
function lastDayOf(tradingYear: number, startMonth: number): string {
  const { end } = tradingYearBounds(tradingYear, startMonth)
  return isoDay(new Date(end.getTime() - 86_400_000))
}

function dayStart(iso: string): Date {
  return new Date(`${iso}T00:00:00.000Z`)
}

async function authorityStartMonth(db: Kysely<Database>, authorityId: string): Promise<number> {
  const row = await db
    .selectFrom('authorities')
    .select('financial_year_start_month')
    .where('id', '=', authorityId)
    .executeTakeFirstOrThrow()
  return row.financial_year_start_month
}

async function schoolOf(db: Kysely<Database>, actor: BasketActor) {
  return db
    .selectFrom('schools')
    .select(['id', 'name', 'school_type', 'pupil_count', 'approval_limit_pence', 'po_number_required'])
    .where('authority_id', '=', actor.authorityId)
    .where('id', '=', actor.schoolId)
    .executeTakeFirstOrThrow()
}

// ---------------------------------------------------------------------------
// Reading

export type BasketLine = {
  id: string
  offerId: string
  offerName: string
  serviceName: string
  serviceSlug: string
  unitOne: string
  unitOther: string
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

async function draftLines(db: Kysely<Database>, authorityId: string, orderId: string): Promise<BasketLine[]> {
  const rows = await db
    .selectFrom('order_lines as l')
    .innerJoin('offers as f', (j) => j.onRef('f.authority_id', '=', 'l.authority_id').onRef('f.id', '=', 'l.offer_id'))
    .innerJoin('services as s', (j) => j.onRef('s.authority_id', '=', 'f.authority_id').onRef('s.id', '=', 'f.service_id'))
    .leftJoin('courses as c', (j) => j.onRef('c.authority_id', '=', 'l.authority_id').onRef('c.id', '=', 'l.course_id'))
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
      'f.name as offer_name',
      'f.unit_one',
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
  }))
}

/** The school's basket with its lines, or null when it has none. */
export async function getBasket(db: DB, actor: Pick<BasketActor, 'authorityId' | 'schoolId'>): Promise<Basket | null> {
  const order = await db
    .selectFrom('orders')
    .select(['id', 'po_number', 'net_pence', 'vat_pence', 'gross_pence'])
    .where('authority_id', '=', actor.authorityId)
    .where('school_id', '=', actor.schoolId)
    .where('status', '=', 'draft')
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

export async function getBasketSchool(db: DB, actor: Pick<BasketActor, 'authorityId' | 'schoolId'>): Promise<BasketSchool> {
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
export async function unitsLeftByOffer(
  db: DB,
  authorityId: string,
  serviceSlug: string,
  tradingYear: number,
): Promise<Record<string, number>> {
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
// Changing the basket

async function publishedOffer(trx: Kysely<Database>, authorityId: string, offerId: string) {
  return trx
    .selectFrom('offers as f')
    .innerJoin('services as s', (j) => j.onRef('s.authority_id', '=', 'f.authority_id').onRef('s.id', '=', 'f.service_id'))
    .select([
      'f.id',
      'f.authority_id',
      'f.name',
      'f.pricing_model',
      'f.unit_one',
      'f.unit_other',
      'f.vat_category',
      'f.hours_per_unit',
      'f.max_quantity',
    ])
    .where('f.authority_id', '=', authorityId)
    .where('f.id', '=', offerId)
    .where('f.is_published', '=', true)
    .where('s.is_published', '=', true)
    .executeTakeFirst()
}

type OfferRow = NonNullable<Awaited<ReturnType<typeof publishedOffer>>>
type SchoolRow = Awaited<ReturnType<typeof schoolOf>>

function unitsText(n: number, offer: { unit_one: string; unit_other: string }): string {
  return quantityText(n, offer.unit_one, offer.unit_other)
}

function tooMany(offer: OfferRow, quantity: number): string | null {
  if (offer.max_quantity !== null && quantity > offer.max_quantity) {
    return `You can order up to ${unitsText(offer.max_quantity, offer)} of ${offer.name} in one order`
  }
  return null
}

/** Places still free on a course (a plain read; confirming locks the course). */
async function placesLeft(trx: Kysely<Database>, authorityId: string, courseId: string, places: number): Promise<number> {
  const { taken } = await trx
    .selectFrom('capacity_reservations')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('places'), sql<number>`0`).as('taken'))
    .where('authority_id', '=', authorityId)
    .where('course_id', '=', courseId)
    .where('released_at', 'is', null)
    .executeTakeFirstOrThrow()
  return Math.max(0, places - Number(taken))
}

/** A course of the offer that can still be booked for the quantity, or the problem. */
async function bookableCourse(
  trx: Kysely<Database>,
  authorityId: string,
  offer: OfferRow,
  courseId: string | undefined,
  quantity: number,
  now: Date,
): Promise<{ ok: true; id: string; day: string } | FieldProblem> {
  if (!courseId) return { ok: false, field: 'courseId', message: 'Choose a course' }
  const course = await trx
    .selectFrom('courses')
    .select(['id', 'starts_at', 'places', 'is_cancelled'])
    .where('authority_id', '=', authorityId)
    .where('id', '=', courseId)
    .where('offer_id', '=', offer.id)
    .executeTakeFirst()
  if (!course || course.is_cancelled) return { ok: false, field: 'courseId', message: 'Choose a course from the list' }
  if (new Date(course.starts_at).getTime() <= now.getTime()) {
    return { ok: false, field: 'courseId', message: 'That course has already started: choose a later one' }
  }
  const left = await placesLeft(trx, authorityId, course.id, course.places)
  if (left === 0) return { ok: false, field: 'courseId', message: 'That course is full: choose another' }
  if (quantity > left) {
    return { ok: false, field: 'quantity', message: `There ${plural(left, 'is', 'are')} only ${unitsText(left, offer)} left on that course` }
  }
  return { ok: true, id: course.id, day: isoDay(new Date(course.starts_at)) }
}

async function quoteFor(
  trx: Kysely<Database>,
  offer: OfferRow,
  school: SchoolRow,
  authorityId: string,
  quantity: number,
  periodStart: string,
  startMonth: number,
): Promise<{ ok: true; quote: Quote } | { ok: false; reason: string }> {
  const priced = (await loadPricedOffers(trx as DB, authorityId, [offer])).get(offer.id)
  if (!priced) return { ok: false, reason: `${offer.name} is not on sale` }
  return quotePrice(
    priced,
    { authorityId, type: school.school_type, pupilCount: school.pupil_count },
    quantity,
    dayStart(periodStart),
    startMonth,
  )
}

function frozen(quote: Quote, hoursPerUnit: number) {
  return {
    quantity: quote.quantity,
    hours: lineHours(hoursPerUnit, quote.quantity),
    trading_year: quote.tradingYear,
    unit_price_pence: quote.unitPricePence,
    net_pence: quote.netPence,
    vat_rate_basis_points: quote.vatRateBasisPoints,
    vat_pence: quote.vatPence,
    gross_pence: quote.grossPence,
    price_explanation: quote.explanation,
  }
}

/** The school's draft order, created if it has none, locked for this transaction. */
async function lockOrCreateDraft(trx: Trx, actor: BasketActor): Promise<{ id: string }> {
  await trx
    .insertInto('orders')
    .values({
      authority_id: actor.authorityId,
      school_id: actor.schoolId,
      reference: `BASKET-${randomUUID()}`,
      status: 'draft',
      created_by: actor.userId,
    })
    .onConflict((oc) => oc.columns(['authority_id', 'school_id']).where('status', '=', 'draft').doNothing())
    .execute()
  return lockDraft(trx, actor).then((d) => {
    if (!d) throw new Error('The basket could not be created')
    return d
  })
}

async function lockDraft(trx: Trx, actor: Pick<BasketActor, 'authorityId' | 'schoolId'>, orderId?: string) {
  let query = trx
    .selectFrom('orders')
    .select(['id', 'po_number'])
    .where('authority_id', '=', actor.authorityId)
    .where('school_id', '=', actor.schoolId)
    .where('status', '=', 'draft')
  if (orderId) query = query.where('id', '=', orderId)
  return query.forUpdate().executeTakeFirst()
}

/** Sets the order's totals to the sum of its lines. */
async function refreshTotals(trx: Trx, authorityId: string, orderId: string): Promise<{ net: number; vat: number; gross: number }> {
  const sums = await trx
    .selectFrom('order_lines')
    .select((eb) => [
      eb.fn.coalesce(eb.fn.sum<number>('net_pence'), sql<number>`0`).as('net'),
      eb.fn.coalesce(eb.fn.sum<number>('vat_pence'), sql<number>`0`).as('vat'),
    ])
    .where('authority_id', '=', authorityId)
    .where('order_id', '=', orderId)
    .executeTakeFirstOrThrow()
  const net = Number(sums.net)
  const vat = Number(sums.vat)
  await trx
    .updateTable('orders')
    .set({ net_pence: net, vat_pence: vat, gross_pence: net + vat, updated_at: clock.now() })
    .where('authority_id', '=', authorityId)
    .where('id', '=', orderId)
    .execute()
  return { net, vat, gross: net + vat }
}

export type AddResult = { ok: true; lineId: string; offerName: string } | FieldProblem | { ok: false; field: 'offerId'; notFound: true; message: string }

/**
 * Adds an offer to the school's basket (creating the basket), priced for this
 * school and frozen on the line. The same offer for the same period or course
 * already in the basket is one line: the quantities are added and re-priced
 * (volume tiers apply to the total). Nothing is saved when anything is wrong.
 */
export async function addToBasket(
  db: DB,
  actor: BasketActor,
  input: { offerId: string; quantity: number; courseId?: string },
  now: Date = clock.now(),
): Promise<AddResult> {
  return db.transaction().execute(async (trx) => {
    await sql`set local lock_timeout = ${sql.lit(LOCK_TIMEOUT)}`.execute(trx)
    const offer = await publishedOffer(trx, actor.authorityId, input.offerId)
    if (!offer) return { ok: false as const, field: 'offerId' as const, notFound: true as const, message: 'That package is not on sale' }
    const [school, startMonth] = await Promise.all([schoolOf(trx, actor), authorityStartMonth(trx, actor.authorityId)])

    let courseId: string | null = null
    let periodStart: string
    let periodEnd: string
    if (offer.pricing_model === 'per_place') {
      const course = await bookableCourse(trx, actor.authorityId, offer, input.courseId, input.quantity, now)
      if (!course.ok) return course
      courseId = course.id
      periodStart = periodEnd = course.day
    } else {
      periodStart = isoDay(now)
      periodEnd = lastDayOf(tradingYearOf(now, startMonth), startMonth)
    }

    // The basket is locked if it exists; it is created only once the line is known to be good.
    const current = await lockDraft(trx, actor)
    const same = current
      ? await (courseId ? sameLine(trx, actor, current.id, offer.id).where('course_id', '=', courseId) : sameLine(trx, actor, current.id, offer.id).where('course_id', 'is', null))
          .where('trading_year', '=', tradingYearOf(dayStart(periodStart), startMonth))
          .executeTakeFirst()
      : undefined
    const quantity = (same?.quantity ?? 0) + input.quantity
    const problem = tooMany(offer, quantity)
    if (problem) {
      return { ok: false as const, field: 'quantity', message: same ? `${problem} (you already have ${unitsText(same.quantity, offer)} in your basket)` : problem }
    }
    if (same && courseId) {
      const course = await bookableCourse(trx, actor.authorityId, offer, courseId, quantity, now)
      if (!course.ok) return course
    }
    const quoted = await quoteFor(trx, offer, school, actor.authorityId, quantity, same?.period_start ?? periodStart, startMonth)
    if (!quoted.ok) return { ok: false as const, field: 'quantity', message: quoted.reason }
    const draft = current ?? (await lockOrCreateDraft(trx, actor))
    const values = frozen(quoted.quote, offer.hours_per_unit)
    let lineId: string
    if (same) {
      await trx
        .updateTable('order_lines')
        .set({ ...values, updated_at: clock.now() })
        .where('authority_id', '=', actor.authorityId)
        .where('id', '=', same.id)
        .execute()
      lineId = same.id
    } else {
      const row = await trx
        .insertInto('order_lines')
        .values({
          authority_id: actor.authorityId,
          order_id: draft.id,
          offer_id: offer.id,
          course_id: courseId,
          status: 'draft',
          period_start: periodStart,
          period_end: periodEnd,
          ...values,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      lineId = row.id
    }
    await refreshTotals(trx, actor.authorityId, draft.id)
    return { ok: true as const, lineId, offerName: offer.name }
  })
}

function sameLine(trx: Trx, actor: BasketActor, orderId: string, offerId: string) {
  return trx
    .selectFrom('order_lines')
    .select(['id', 'quantity', 'period_start'])
    .where('authority_id', '=', actor.authorityId)
    .where('order_id', '=', orderId)
    .where('offer_id', '=', offerId)
}

async function lineOfDraft(trx: Trx, actor: BasketActor, lineId: string) {
  const draft = await lockDraft(trx, actor)
  if (!draft) return null
  const line = await trx
    .selectFrom('order_lines')
    .select(['id', 'offer_id', 'course_id', 'period_start', 'quantity'])
    .where('authority_id', '=', actor.authorityId)
    .where('order_id', '=', draft.id)
    .where('id', '=', lineId)
    .executeTakeFirst()
  return line ? { draft, line } : null
}

export type LineResult = { ok: true } | FieldProblem | { ok: false; notFound: true }

/** Changes the quantity of a line of the school's basket, re-priced and frozen again. */
export async function updateBasketLine(
  db: DB,
  actor: BasketActor,
  input: { lineId: string; quantity: number },
  now: Date = clock.now(),
): Promise<LineResult> {
  return db.transaction().execute(async (trx): Promise<LineResult> => {
    await sql`set local lock_timeout = ${sql.lit(LOCK_TIMEOUT)}`.execute(trx)
    const found = await lineOfDraft(trx, actor, input.lineId)
    if (!found) return { ok: false, notFound: true }
    const { draft, line } = found
    const offer = await publishedOffer(trx, actor.authorityId, line.offer_id)
    if (!offer) return { ok: false, field: `quantity-${line.id}`, message: 'That package is no longer on sale: remove it from your basket' }
    const problem = tooMany(offer, input.quantity)
    if (problem) return { ok: false, field: `quantity-${line.id}`, message: problem }
    if (line.course_id) {
      const course = await bookableCourse(trx, actor.authorityId, offer, line.course_id, input.quantity, now)
      if (!course.ok) return { ok: false, field: `quantity-${line.id}`, message: course.message }
    }
    const [school, startMonth] = await Promise.all([schoolOf(trx, actor), authorityStartMonth(trx, actor.authorityId)])
    const quoted = await quoteFor(trx, offer, school, actor.authorityId, input.quantity, line.period_start, startMonth)
    if (!quoted.ok) return { ok: false, field: `quantity-${line.id}`, message: quoted.reason }
    await trx
      .updateTable('order_lines')
      .set({ ...frozen(quoted.quote, offer.hours_per_unit), updated_at: clock.now() })
      .where('authority_id', '=', actor.authorityId)
      .where('id', '=', line.id)
      .execute()
    await refreshTotals(trx, actor.authorityId, draft.id)
    return { ok: true }
  })
}

/** Takes a line out of the school's basket. */
export async function removeBasketLine(db: DB, actor: BasketActor, lineId: string): Promise<LineResult> {
  return db.transaction().execute(async (trx): Promise<LineResult> => {
    const found = await lineOfDraft(trx, actor, lineId)
    if (!found) return { ok: false, notFound: true }
    await trx.deleteFrom('order_lines').where('authority_id', '=', actor.authorityId).where('id', '=', found.line.id).execute()
    await refreshTotals(trx, actor.authorityId, found.draft.id)
    return { ok: true }
  })
}

/** Keeps the purchase order number on the basket. Returns false when there is no basket. */
export async function setBasketPoNumber(db: DB, actor: BasketActor, poNumber: string | null): Promise<boolean> {
  const result = await db
    .updateTable('orders')
    .set({ po_number: poNumber, updated_at: clock.now() })
    .where('authority_id', '=', actor.authorityId)
    .where('school_id', '=', actor.schoolId)
    .where('status', '=', 'draft')
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

// ---------------------------------------------------------------------------
// Submitting

export type PriceChange = { lineId: string; description: string; fromPence: number; toPence: number }

export type SubmitResult =
  | { kind: 'submitted'; orderId: string; reference: string; status: 'submitted' | 'awaiting_approval' }
  | { kind: 'already_submitted'; orderId: string }
  | { kind: 'prices_changed'; changes: PriceChange[] }
  | { kind: 'problem'; field: string; message: string }
  | { kind: 'not_found' }

/**
 * The next order reference of the authority, from its counter, locked and
 * incremented in the caller's transaction (so a reference is never used
 * twice, and one that rolls back is never seen). A counter that does not
 * exist yet starts above the highest reference already used.
 */
async function allocateReference(trx: Trx, authorityId: string, tradingYear: number): Promise<string> {
  const next = () =>
    trx
      .updateTable('document_counters')
      .set((eb) => ({ last_number: eb('last_number', '+', 1) }))
      .where('authority_id', '=', authorityId)
      .where('kind', '=', 'order')
      .returning('last_number')
      .executeTakeFirst()
  let row = await next()
  if (!row) {
    await sql`
      insert into document_counters (authority_id, kind, last_number)
      select ${authorityId}, 'order', coalesce(max((substring(reference from '^ORD-[0-9]{4}-([0-9]+)$'))::integer), 0)
      from orders where authority_id = ${authorityId}
      on conflict (authority_id, kind) do nothing`.execute(trx)
    row = await next()
  }
  if (!row) throw new Error('No order counter')
  return `ORD-${tradingYear}-${String(row.last_number).padStart(5, '0')}`
}

function lineDescription(line: BasketLine): string {
  const units = quantityText(line.quantity, line.unitOne, line.unitOther)
  return `${line.serviceName}: ${line.offerName} (${units})`
}

/**
 * Places an order whose lines are written (the basket's, or an accepted
 * renewal's), in the caller's transaction: totals from its lines; at or
 * above the school's approval limit it waits for the headteacher, otherwise
 * it is submitted; the reference is allocated; the order's history and
 * emails are written. The caller then offers a submitted order's lines to
 * capacity (decideSubmittedLines) once the transaction has committed.
 */
export async function placeOrder(
  trx: Trx,
  input: {
    authorityId: string
    orderId: string
    userId: string
    approvalLimitPence: number
    startMonth: number
    fromStatus: OrderStatus | null
    now: Date
    /** Said first in the order's history, e.g. "Renewal for 2027/28 accepted". */
    notePrefix?: string
  },
): Promise<{ reference: string; status: 'submitted' | 'awaiting_approval'; grossPence: number }> {
  const { authorityId, orderId, now } = input
  const totals = await refreshTotals(trx, authorityId, orderId)
  const status: 'submitted' | 'awaiting_approval' = totals.gross >= input.approvalLimitPence ? 'awaiting_approval' : 'submitted'
  const reference = await allocateReference(trx, authorityId, tradingYearOf(now, input.startMonth))
  await trx
    .updateTable('orders')
    .set({
      status,
      reference,
      submitted_by: input.userId,
      submitted_at: now,
      submission_key: orderId,
      updated_at: now,
    })
    .where('authority_id', '=', authorityId)
    .where('id', '=', orderId)
    .execute()
  await trx
    .updateTable('order_lines')
    .set({ status, updated_at: now })
    .where('authority_id', '=', authorityId)
    .where('order_id', '=', orderId)
    .execute()
  const note =
    status === 'awaiting_approval'
      ? `Order submitted: ${formatPence(totals.gross)} is at or above the school’s approval limit of ${formatPence(input.approvalLimitPence)}`
      : 'Order submitted'
  await trx
    .insertInto('order_events')
    .values({
      authority_id: authorityId,
      order_id: orderId,
      from_status: input.fromStatus,
      to_status: status,
      actor_user_id: input.userId,
      note: input.notePrefix ? `${input.notePrefix}. ${note}` : note,
    })
    .execute()
  await queueOrderEmails(trx, { authorityId, orderId, event: 'received' })
  if (status === 'awaiting_approval') {
    await queueOrderEmails(trx, { authorityId, orderId, event: 'awaiting_approval' })
  }
  return { reference, status, grossPence: totals.gross }
}

/**
 * Submits the school's basket as an order, in one transaction:
 * - the basket is locked (`FOR UPDATE`) while still a draft: a second submit
 *   (double click, another tab) waits, then finds it submitted and is sent
 *   to that order, so one basket is one order;
 * - every line is priced again: if any price changed since it was added,
 *   the lines are updated and the order is NOT submitted, so that the school
 *   sees the new prices first;
 * - the reference is allocated; at or above the school's approval limit the
 *   order waits for the headteacher, otherwise it is submitted;
 * - its history and emails are written in the same transaction.
 * Then, for a submitted order, each line is offered to its team's capacity
 * (in team order) and the school is told what was confirmed or waitlisted.
 */
export async function submitBasket(db: DB, actor: BasketActor, basketId: string, now: Date = clock.now()): Promise<SubmitResult> {
  // Emails are queued inside the transaction: the queue must be running first.
  await getBoss()
  const result = await db.transaction().execute(async (trx): Promise<SubmitResult> => {
    await sql`set local lock_timeout = ${sql.lit(LOCK_TIMEOUT)}`.execute(trx)
    const draft = await lockDraft(trx, actor, basketId)
    if (!draft) {
      const order = await trx
        .selectFrom('orders')
        .select(['id', 'status'])
        .where('authority_id', '=', actor.authorityId)
        .where('school_id', '=', actor.schoolId)
        .where('id', '=', basketId)
        .executeTakeFirst()
      if (order && order.status !== 'draft') return { kind: 'already_submitted', orderId: order.id }
      return { kind: 'not_found' }
    }
    const [school, startMonth, lines] = await Promise.all([
      schoolOf(trx, actor),
      authorityStartMonth(trx, actor.authorityId),
      draftLines(trx, actor.authorityId, draft.id),
    ])
    if (lines.length === 0) return { kind: 'problem', field: 'basket', message: 'Your basket is empty: add something to it first' }
    if (school.po_number_required && !draft.po_number) {
      return { kind: 'problem', field: 'poNumber', message: 'Enter your school’s purchase order number' }
    }

    // Price every line again, as it would be priced now.
    const changes: PriceChange[] = []
    for (const line of lines) {
      const offer = await publishedOffer(trx, actor.authorityId, line.offerId)
      const quoted = offer
        ? await quoteFor(trx, offer, school, actor.authorityId, line.quantity, line.periodStart, startMonth)
        : { ok: false as const, reason: '' }
      if (!offer || !quoted.ok) {
        return {
          kind: 'problem',
          field: `quantity-${line.id}`,
          message: `${line.serviceName}: ${line.offerName} is no longer on sale${quoted.ok || !quoted.reason ? '' : ` (${quoted.reason.replace(/\.$/, '')})`}: remove it from your basket`,
        }
      }
      const q = quoted.quote
      const same =
        q.unitPricePence === line.unitPricePence &&
        q.netPence === line.netPence &&
        q.vatPence === line.vatPence &&
        q.grossPence === line.grossPence &&
        q.tradingYear === line.tradingYear
      if (!same) {
        changes.push({ lineId: line.id, description: lineDescription(line), fromPence: line.grossPence, toPence: q.grossPence })
        await trx
          .updateTable('order_lines')
          .set({ ...frozen(q, offer.hours_per_unit), updated_at: now })
          .where('authority_id', '=', actor.authorityId)
          .where('id', '=', line.id)
          .execute()
      }
    }
    if (changes.length) {
      await refreshTotals(trx, actor.authorityId, draft.id)
      return { kind: 'prices_changed', changes }
    }

    const { reference, status } = await placeOrder(trx, {
      authorityId: actor.authorityId,
      orderId: draft.id,
      userId: actor.userId,
      approvalLimitPence: school.approval_limit_pence,
      startMonth,
      fromStatus: 'draft',
      now,
    })
    return { kind: 'submitted', orderId: draft.id, reference, status }
  })

  if (result.kind === 'submitted' && result.status === 'submitted') {
    await decideSubmittedLines(db, actor.authorityId, result.orderId, actor.userId)
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
  actor: Pick<BasketActor, 'authorityId' | 'schoolId'>,
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
