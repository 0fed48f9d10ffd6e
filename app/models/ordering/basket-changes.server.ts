import { clock } from '../../utils/clock'
import { randomUUID } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import type { DB } from '../../../db/connection'
import type { Database } from '../../../db/schema'
import { lineHours } from '../../domain/capacity'
import { quotePeriod, type Quote, type ServicePeriod } from '../../domain/pricing'
import { tradingYearOf } from '../../domain/trading-year'
import { pooledQuote, type PartnershipDiscount } from '../../domain/trusts'
import { loadPricedOffers } from '../catalogue/offers.server'
import { plural, quantityText } from '../../domain/quantities'
import { limitLockWait, startMonthOf } from '../shared/authority.server'
import { dateOf, isoDate } from '../../domain/dates'
import { periodForChoice, periodOfLine, soldByOfRow, type PeriodInput } from './periods.server'
import { closedSchoolMessage, draftOwner, schoolOf, type FieldProblem, type Trx } from './basket.server'
import { duplicateProblem, heldSubscriptions } from './offer-rules.server'
import { priceWithInclusions } from '../../domain/offer-rules'
import type { CapacityChoice } from '../../../db/schema'
import type { SchoolActor } from '../shared/actor.server'
import { forUpdate } from '../../utils/locks.server'

/**
 * Changing the basket: adding a package (re-quoted and frozen on the line,
 * course places checked), changing a quantity, removing a line, the purchase
 * order number. Each change locks the school's draft order.
 */

export async function publishedOffer(trx: Kysely<Database>, authorityId: string, offerId: string) {
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
      'f.sold_by',
      'f.repeatable',
      'f.partnership_from_quantity',
      'f.partnership_percent_off',
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
  return { ok: true, id: course.id, day: isoDate(new Date(course.starts_at)) }
}

export async function quoteFor(
  trx: Kysely<Database>,
  offer: OfferRow,
  school: SchoolRow,
  authorityId: string,
  quantity: number,
  period: ServicePeriod,
  startMonth: number,
  /** A cluster's pooled block: the offer's partnership discount applies (rule pooledQuote). */
  pooled = false,
): Promise<{ ok: true; quote: Quote } | { ok: false; reason: string }> {
  const priced = (await loadPricedOffers(trx as DB, authorityId, [offer])).get(offer.id)
  if (!priced) return { ok: false, reason: `${offer.name} is not on sale` }
  const school_ = { authorityId, type: school.school_type, pupilCount: school.pupil_count }
  const quoted = quotePeriod(priced, school_, quantity, soldByOfRow(offer), period, startMonth)
  if (!quoted.ok) return quoted
  if (pooled) return { ok: true, quote: pooledQuote(quoted.quote, partnershipRule(offer)) }
  // What the school's subscription includes costs nothing.
  const subscriptions = await heldSubscriptions(trx, authorityId, school.id)
  return { ok: true, quote: priceWithInclusions(quoted.quote, offer.id, subscriptions) }
}

/** The offer's partnership discount, when it has one. */
function partnershipRule(offer: Pick<OfferRow, 'partnership_from_quantity' | 'partnership_percent_off'>): PartnershipDiscount | null {
  return offer.partnership_from_quantity !== null && offer.partnership_percent_off !== null
    ? { fromQuantity: Number(offer.partnership_from_quantity), percentOff: Number(offer.partnership_percent_off) }
    : null
}

export function frozen(quote: Quote, hoursPerUnit: number) {
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
async function lockOrCreateDraft(trx: Trx, actor: SchoolActor): Promise<{ id: string }> {
  await trx
    .insertInto('orders')
    .values({
      authority_id: actor.authorityId,
      school_id: actor.schoolId,
      trust_id: actor.trustId ?? null,
      reference: `BASKET-${randomUUID()}`,
      status: 'draft',
      created_by: actor.userId,
    })
    .onConflict((oc) =>
      actor.trustId
        ? oc.columns(['authority_id', 'trust_id', 'school_id']).where('status', '=', 'draft').where('trust_id', 'is not', null).doNothing()
        : oc.columns(['authority_id', 'school_id']).where('status', '=', 'draft').where('trust_id', 'is', null).doNothing(),
    )
    .execute()
  return lockDraft(trx, actor).then((d) => {
    if (!d) throw new Error('The basket could not be created')
    return d
  })
}

export async function lockDraft(trx: Trx, actor: Pick<SchoolActor, 'authorityId' | 'schoolId' | 'trustId'>, orderId?: string) {
  let query = trx
    .selectFrom('orders')
    .select(['id', 'po_number'])
    .where('authority_id', '=', actor.authorityId)
    .where('school_id', '=', actor.schoolId)
    .where('status', '=', 'draft')
    .where(draftOwner(actor))
  if (orderId) query = query.where('id', '=', orderId)
  return query.$call(forUpdate).executeTakeFirst()
}

/** Sets the order's totals to the sum of its lines. */
export async function refreshTotals(trx: Trx, authorityId: string, orderId: string): Promise<{ net: number; vat: number; gross: number }> {
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

/**
 * Why the offer cannot be bought as a pooled block for the cluster, or null:
 * only the school that leads the cluster buys its blocks (its own users, not
 * a trust for it), and course places are each one school's.
 */
async function poolingProblem(trx: Trx, actor: SchoolActor, clusterId: string, offer: OfferRow): Promise<FieldProblem | null> {
  const led = actor.trustId
    ? undefined
    : await trx
        .selectFrom('clusters')
        .select('id')
        .where('authority_id', '=', actor.authorityId)
        .where('id', '=', clusterId)
        .where('lead_school_id', '=', actor.schoolId)
        .executeTakeFirst()
  if (!led) return { ok: false, field: 'clusterId', message: 'Choose your school or a cluster your school leads' }
  if (offer.pricing_model === 'per_place') return { ok: false, field: 'clusterId', message: 'Course places are booked for one school, not pooled' }
  return null
}

export type AddResult =
  { ok: true; lineId: string; offerName: string } | FieldProblem | { ok: false; field: 'offerId'; notFound: true; message: string }

/**
 * Adds an offer to the school's basket (creating the basket), priced for this
 * school and frozen on the line. The same offer for the same period or course
 * already in the basket is one line: the quantities are added and re-priced
 * (volume tiers apply to the total). Nothing is saved when anything is wrong.
 */
export async function addToBasket(
  db: DB,
  actor: SchoolActor,
  input: { offerId: string; quantity: number; courseId?: string; clusterId?: string } & PeriodInput,
  now: Date = clock.now(),
): Promise<AddResult> {
  return db.transaction().execute(async (trx) => {
    await limitLockWait(trx)
    const [offer, school, startMonth] = await Promise.all([
      publishedOffer(trx, actor.authorityId, input.offerId),
      schoolOf(trx, actor),
      startMonthOf(trx, actor.authorityId),
    ])
    if (school.status === 'closed') return { ok: false as const, field: 'quantity', message: closedSchoolMessage(school.name) }
    if (!offer) return { ok: false as const, field: 'offerId' as const, notFound: true as const, message: 'That package is not on sale' }
    const clusterId = input.clusterId ?? null
    const notPooled = clusterId === null ? null : await poolingProblem(trx, actor, clusterId, offer)
    if (notPooled) return notPooled

    let courseId: string | null = null
    let period: ServicePeriod
    if (offer.pricing_model === 'per_place') {
      const course = await bookableCourse(trx, actor.authorityId, offer, input.courseId, input.quantity, now)
      if (!course.ok) return course
      courseId = course.id
      period = { tradingYear: tradingYearOf(dateOf(course.day), startMonth), start: course.day, end: course.day, terms: [] }
    } else {
      const chosen = await periodForChoice(trx, actor.authorityId, offer, input, startMonth, now)
      if (!chosen.ok) return { ok: false as const, field: chosen.field, message: chosen.reason }
      period = chosen.period
    }
    const soldBy = soldByOfRow(offer)

    // The basket is locked if it exists; it is created only once the line is known to be good.
    const current = await lockDraft(trx, actor)
    const same = current
      ? await (
          courseId
            ? sameLine(trx, actor, current.id, offer.id).where('course_id', '=', courseId)
            : sameLine(trx, actor, current.id, offer.id).where('course_id', 'is', null)
        )
          .where('trading_year', '=', period.tradingYear)
          // A cluster's pooled block is another line than the school's own.
          .where('cluster_id', clusterId === null ? 'is' : '=', clusterId)
          // The same offer from another term is another line.
          .$if(soldBy === 'year' || soldBy === 'term', (q) => q.where('period_start', '=', period.start).where('period_end', '=', period.end))
          .executeTakeFirst()
      : undefined
    const duplicate = await duplicateProblem(trx, actor, offer, period.tradingYear)
    if (duplicate) return { ok: false as const, field: 'quantity', message: duplicate }
    const quantity = (same?.quantity ?? 0) + input.quantity
    const problem = tooMany(offer, quantity)
    if (problem) {
      return {
        ok: false as const,
        field: 'quantity',
        message: same ? `${problem} (you already have ${unitsText(same.quantity, offer)} in your basket)` : problem,
      }
    }
    if (same && courseId) {
      const course = await bookableCourse(trx, actor.authorityId, offer, courseId, quantity, now)
      if (!course.ok) return course
    }
    const linePeriod = same ? await periodOfLine(trx, actor.authorityId, soldBy, same) : period
    const quoted = await quoteFor(trx, offer, school, actor.authorityId, quantity, linePeriod, startMonth, clusterId !== null)
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
          cluster_id: clusterId,
          status: 'draft',
          period_start: period.start,
          period_end: period.end,
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

function sameLine(trx: Trx, actor: SchoolActor, orderId: string, offerId: string) {
  return trx
    .selectFrom('order_lines')
    .select(['id', 'quantity', 'trading_year', 'period_start', 'period_end'])
    .where('authority_id', '=', actor.authorityId)
    .where('order_id', '=', orderId)
    .where('offer_id', '=', offerId)
}

async function lineOfDraft(trx: Trx, actor: SchoolActor, lineId: string) {
  const draft = await lockDraft(trx, actor)
  if (!draft) return null
  const line = await trx
    .selectFrom('order_lines')
    .select(['id', 'offer_id', 'course_id', 'cluster_id', 'trading_year', 'period_start', 'period_end', 'quantity'])
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
  actor: SchoolActor,
  input: { lineId: string; quantity: number },
  now: Date = clock.now(),
): Promise<LineResult> {
  return db.transaction().execute(async (trx): Promise<LineResult> => {
    await limitLockWait(trx)
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
    const [school, startMonth] = await Promise.all([schoolOf(trx, actor), startMonthOf(trx, actor.authorityId)])
    const period = await periodOfLine(trx, actor.authorityId, soldByOfRow(offer), line)
    const quoted = await quoteFor(trx, offer, school, actor.authorityId, input.quantity, period, startMonth, line.cluster_id !== null)
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

/**
 * Moves a basket line sold by the year or the term to another "Start from"
 * term (of the same or the other year on sale), re-priced for its new period.
 */
export async function changeLineStart(
  db: DB,
  actor: SchoolActor,
  input: { lineId: string; startFrom: NonNullable<PeriodInput['startFrom']> },
  now: Date = clock.now(),
): Promise<LineResult> {
  return db.transaction().execute(async (trx): Promise<LineResult> => {
    await limitLockWait(trx)
    const found = await lineOfDraft(trx, actor, input.lineId)
    if (!found) return { ok: false, notFound: true }
    const { draft, line } = found
    const field = `startFrom-${line.id}`
    const offer = await publishedOffer(trx, actor.authorityId, line.offer_id)
    if (!offer) return { ok: false, field, message: 'That package is no longer on sale: remove it from your basket' }
    const soldBy = soldByOfRow(offer)
    if (soldBy !== 'year' && soldBy !== 'term') return { ok: false, field, message: 'This package has no term to choose' }
    const [school, startMonth] = await Promise.all([schoolOf(trx, actor), startMonthOf(trx, actor.authorityId)])
    const chosen = await periodForChoice(trx, actor.authorityId, offer, { startFrom: input.startFrom }, startMonth, now)
    if (!chosen.ok) return { ok: false, field, message: chosen.reason }
    const quoted = await quoteFor(trx, offer, school, actor.authorityId, line.quantity, chosen.period, startMonth, line.cluster_id !== null)
    if (!quoted.ok) return { ok: false, field, message: quoted.reason }
    await trx
      .updateTable('order_lines')
      .set({
        ...frozen(quoted.quote, offer.hours_per_unit),
        period_start: chosen.period.start,
        period_end: chosen.period.end,
        updated_at: clock.now(),
      })
      .where('authority_id', '=', actor.authorityId)
      .where('id', '=', line.id)
      .execute()
    await refreshTotals(trx, actor.authorityId, draft.id)
    return { ok: true }
  })
}

/** Takes a line out of the school's basket. */
export async function removeBasketLine(db: DB, actor: SchoolActor, lineId: string): Promise<LineResult> {
  return db.transaction().execute(async (trx): Promise<LineResult> => {
    const found = await lineOfDraft(trx, actor, lineId)
    if (!found) return { ok: false, notFound: true }
    await trx.deleteFrom('order_lines').where('authority_id', '=', actor.authorityId).where('id', '=', found.line.id).execute()
    await refreshTotals(trx, actor.authorityId, found.draft.id)
    return { ok: true }
  })
}

/** Keeps the purchase order number on the basket. Returns false when there is no basket. */
export async function setBasketPoNumber(db: DB, actor: SchoolActor, poNumber: string | null): Promise<boolean> {
  const result = await db
    .updateTable('orders')
    .set({ po_number: poNumber, updated_at: clock.now() })
    .where('authority_id', '=', actor.authorityId)
    .where('school_id', '=', actor.schoolId)
    .where('status', '=', 'draft')
    .where(draftOwner(actor))
    .executeTakeFirst()
  return Number(result.numUpdatedRows) > 0
}

/** Keeps the school's choice for a line the team cannot wholly fit: confirm what fits and wait for the rest, or wait for all of it. */
export async function setCapacityChoice(db: DB, actor: SchoolActor, input: { lineId: string; choice: CapacityChoice }): Promise<LineResult> {
  return db.transaction().execute(async (trx): Promise<LineResult> => {
    const found = await lineOfDraft(trx, actor, input.lineId)
    if (!found) return { ok: false, notFound: true }
    await trx
      .updateTable('order_lines')
      .set({ capacity_choice: input.choice, updated_at: clock.now() })
      .where('authority_id', '=', actor.authorityId)
      .where('id', '=', found.line.id)
      .execute()
    return { ok: true }
  })
}
