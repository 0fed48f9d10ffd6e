import type { DB } from '../../../db/connection'
import type { Role } from '../../domain/roles'
import { courseRemovalProblem } from '../../domain/offer-editing'
import { describePricing, type YearPrices } from '../../domain/pricing'
import { clock } from '../../utils/clock'
import type { FieldErrors } from '../../schemas/common'
import { EMPTY_COURSE, EMPTY_RANGE, penceInput, type OfferForm, type OfferStatus, type OfferValues } from '../../schemas/offers'
import { recordAudit } from '../admin/audit.server'
import type { Actor } from '../shared/actor.server'
import { limitLockWait } from '../shared/authority.server'
import { loadPricedOffers } from './offers.server'
import { forUpdate } from '../../utils/locks.server'

/**
 * The offer editor's data: a service a person may edit, one offer's fields
 * and one trading year's prices as the form shows them, and saving them in
 * one transaction. Saving never touches order lines, issued invoices or
 * capacity reservations: ordered lines keep their frozen prices, and course
 * places are never set below the places booked.
 */

export type EditableService = { id: string; slug: string; name: string; incomeCode: string | null }

/**
 * The service at `slug` if the person may edit its offers: the LA
 * administrator any of the authority's, a service lead those they lead.
 * 'not-found' for a slug the authority does not have, 'forbidden' otherwise.
 */
export async function editableService(
  db: DB,
  user: { authorityId: string; roles: readonly Role[]; serviceIds: readonly string[] },
  slug: string,
): Promise<EditableService | 'not-found' | 'forbidden'> {
  const service = await db
    .selectFrom('services')
    .select(['id', 'slug', 'name', 'income_code'])
    .where('authority_id', '=', user.authorityId)
    .where('slug', '=', slug.slice(0, 200))
    .executeTakeFirst()
  if (!service) return 'not-found'
  if (!user.roles.includes('la_admin') && !user.serviceIds.includes(service.id)) return 'forbidden'
  return { id: service.id, slug: service.slug, name: service.name, incomeCode: service.income_code }
}

/** Whether the service has this offer (any status). */
export async function isOfferOfService(db: DB, authorityId: string, serviceId: string, offerId: string): Promise<boolean> {
  const row = await db
    .selectFrom('offers')
    .select('id')
    .where('authority_id', '=', authorityId)
    .where('service_id', '=', serviceId)
    .where('id', '=', offerId)
    .executeTakeFirst()
  return row !== undefined
}

export type InclusionChoice = { id: string; name: string }

/** The service's other offers, that a subscription may include. */
export async function inclusionChoices(db: DB, authorityId: string, serviceId: string, offerId: string | null): Promise<InclusionChoice[]> {
  let query = db
    .selectFrom('offers')
    .select(['id', 'name'])
    .where('authority_id', '=', authorityId)
    .where('service_id', '=', serviceId)
    .where('retired_at', 'is', null)
  if (offerId) query = query.where('id', '<>', offerId)
  return query.orderBy('position').orderBy('name').execute()
}

/** Places booked (reservations not released) on each of the offer's courses. */
export async function bookedPlaces(db: DB, authorityId: string, offerId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('capacity_reservations as r')
    .innerJoin('courses as c', (j) => j.onRef('c.authority_id', '=', 'r.authority_id').onRef('c.id', '=', 'r.course_id'))
    .select(['c.id'])
    .select((eb) => eb.fn.sum<number>('r.places').as('places'))
    .where('r.authority_id', '=', authorityId)
    .where('c.offer_id', '=', offerId)
    .where('r.released_at', 'is', null)
    .groupBy('c.id')
    .execute()
  return new Map(rows.map((r) => [r.id, Number(r.places)]))
}

const LOCAL = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
})

/** An instant as a datetime-local input shows it, in England's time: '2027-01-12T09:30'. */
function localInput(at: Date): string {
  const parts = Object.fromEntries(LOCAL.formatToParts(at).map((p) => [p.type, p.value]))
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}`
}

export type EditedOffer = {
  id: string
  name: string
  status: OfferStatus
  retiredAt: string | null
  hasPrices: boolean
  /** The price as the catalogue shows it for the year, to a maintained school and to an academy (empty without prices). */
  preview: { maintained: string[]; academy: string[] }
  values: OfferValues
  booked: Record<string, number>
}

function statusOf(offer: { is_published: boolean; retired_at: Date | null }): OfferStatus {
  if (offer.retired_at) return 'retired'
  return offer.is_published ? 'on_sale' : 'draft'
}

/** One offer of the service with the given trading year's prices, as the editor's form shows them; null when the service has no such offer. */
export async function loadOfferForEditor(db: DB, authorityId: string, serviceId: string, offerId: string, year: number): Promise<EditedOffer | null> {
  const offer = await db
    .selectFrom('offers')
    .selectAll()
    .where('authority_id', '=', authorityId)
    .where('service_id', '=', serviceId)
    .where('id', '=', offerId)
    .executeTakeFirst()
  if (!offer) return null
  const [priced, inclusions, courses, booked] = await Promise.all([
    loadPricedOffers(db, authorityId, [offer], { drafts: true }),
    db.selectFrom('offer_inclusions').select('included_offer_id').where('authority_id', '=', authorityId).where('offer_id', '=', offerId).execute(),
    db
      .selectFrom('courses')
      .selectAll()
      .where('authority_id', '=', authorityId)
      .where('offer_id', '=', offerId)
      .where('is_cancelled', '=', false)
      .orderBy('starts_at')
      .execute(),
    bookedPlaces(db, authorityId, offerId),
  ])
  const pricedOffer = priced.get(offerId)
  const prices = pricedOffer?.prices.find((p) => p.tradingYear === year)
  const academy = (m: number, a: number) => (a === m ? '' : penceInput(a))
  const status = statusOf(offer)
  const values: OfferValues = {
    name: offer.name,
    description: offer.description,
    pricingModel: offer.pricing_model,
    unitOne: offer.unit_one,
    unitOther: offer.unit_other,
    hoursPerUnit: String(offer.hours_per_unit),
    vatCategory: offer.vat_category,
    invoiceSchedule: offer.invoice_schedule,
    soldBy: offer.sold_by,
    noticeDays: String(offer.cancellation_notice_days),
    noticeIn: offer.notice_in_school_days ? 'school' : 'calendar',
    lateFeePercent: String(offer.late_cancellation_fee_percent),
    maxQuantity: offer.max_quantity === null ? '' : String(offer.max_quantity),
    partnershipFrom: offer.partnership_from_quantity === null ? '' : String(Number(offer.partnership_from_quantity)),
    partnershipPercent: offer.partnership_percent_off === null ? '' : String(Number(offer.partnership_percent_off)),
    repeatable: offer.repeatable ? 'yes' : '',
    cfrCode: offer.cfr_code ?? '',
    status,
    inclusions: inclusions.map((i) => i.included_offer_id),
    price: prices && offer.pricing_model !== 'pupil_banded' ? penceInput(prices.base.maintained) : '',
    priceAcademy: prices && offer.pricing_model !== 'pupil_banded' ? academy(prices.base.maintained, prices.base.academy) : '',
    perPupil: prices?.perPupil ? penceInput(prices.perPupil.maintained) : '',
    perPupilAcademy: prices?.perPupil ? academy(prices.perPupil.maintained, prices.perPupil.academy) : '',
    minimumCharge: penceInput(prices?.minimumCharge ?? null),
    tiers: rangeValues(prices?.tiers.map((t) => ({ min: t.minQuantity, max: t.maxQuantity, price: t.unitPrice })) ?? []),
    bands: rangeValues(prices?.bands.map((b) => ({ min: b.minPupils, max: b.maxPupils, price: b.price })) ?? []),
    courses: courses.length
      ? courses.map((c) => ({
          id: c.id,
          title: c.title,
          starts: localInput(new Date(c.starts_at)),
          ends: localInput(new Date(c.ends_at)),
          venue: c.venue,
          places: String(c.places),
        }))
      : [EMPTY_COURSE],
  }
  if (offer.pricing_model === 'per_unit' && values.tiers.some((t) => t.from !== '') && values.price === '0') values.price = ''
  return {
    id: offer.id,
    name: offer.name,
    status,
    retiredAt: offer.retired_at ? new Date(offer.retired_at).toISOString() : null,
    hasPrices: Boolean(prices),
    preview: {
      maintained: pricedOffer ? previewOf(() => describePricing(pricedOffer, year, 'maintained')) : [],
      academy: pricedOffer ? previewOf(() => describePricing(pricedOffer, year, 'academy')) : [],
    },
    values,
    booked: Object.fromEntries(booked),
  }
}

/** The catalogue's price lines, or none when the year's prices are not valid (the catalogue then shows none either). */
function previewOf(describe: () => string[]): string[] {
  try {
    return describe()
  } catch {
    return []
  }
}

function rangeValues(ranges: { min: number; max: number | null; price: { maintained: number; academy: number } }[]) {
  if (ranges.length === 0) return [EMPTY_RANGE]
  return ranges.map((r) => ({
    from: String(r.min),
    to: r.max === null ? '' : String(r.max),
    price: penceInput(r.price.maintained),
    priceAcademy: r.price.academy === r.price.maintained ? '' : penceInput(r.price.academy),
  }))
}

/** 'EP days (extra)' → 'ep-days-extra'. */
function slugify(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '')
  return slug || 'offer'
}

export type SaveResult = { ok: true; offerId: string } | { ok: false; errors: FieldErrors } | { ok: false; notFound: true }

/**
 * Saves an offer (a new one when offerId is null), its prices for the form's
 * trading year, its courses and what it includes, in one transaction, with
 * the audit records. A course's places are never set below the places booked
 * on it, and a course with bookings is never removed (both are refused with
 * the booked count). Order lines are never touched: their prices are frozen.
 */
export async function saveOffer(db: DB, actor: Actor, service: EditableService, offerId: string | null, form: OfferForm): Promise<SaveResult> {
  const { fields } = form
  const authorityId = actor.authorityId
  return db
    .transaction()
    .execute(async (trx): Promise<SaveResult> => {
      await limitLockWait(trx)
      const now = clock.now()
      let before: { retired_at: Date | null } | null = null
      if (offerId) {
        before =
          (await trx
            .selectFrom('offers')
            .select(['id', 'retired_at'])
            .where('authority_id', '=', authorityId)
            .where('service_id', '=', service.id)
            .where('id', '=', offerId)
            .$call(forUpdate)
            .executeTakeFirst()) ?? null
        if (!before) return { ok: false, notFound: true }
      }
      if (!(await inclusionsAreTheServices(trx, authorityId, service.id, offerId, fields.inclusions))) {
        return { ok: false, errors: { inclusions: 'Select included offers from the list' } }
      }
      const columns = offerColumns(fields, fields.status === 'retired' ? (before?.retired_at ?? now) : null, now)
      let id: string
      if (offerId) {
        await trx.updateTable('offers').set(columns).where('authority_id', '=', authorityId).where('id', '=', offerId).execute()
        id = offerId
      } else {
        id = await insertOffer(trx, authorityId, service.id, columns)
      }
      if (fields.pricingModel === 'per_place') {
        const problems = await saveCourses(trx, authorityId, id, form)
        // Nothing of this save may stay: throwing rolls the transaction back (caught below).
        if (problems) throw new RefusedSave(problems)
      }
      await replaceYearPrices(trx, authorityId, id, form.prices)
      await replaceInclusions(trx, authorityId, id, fields.inclusions)
      await auditSave(trx, actor, service, id, form, offerId === null, fields.status === 'retired' && !before?.retired_at)
      return { ok: true, offerId: id }
    })
    .catch((error: unknown) => {
      if (error instanceof RefusedSave) return { ok: false as const, errors: error.errors }
      throw error
    })
}

/** The offers row's columns from the form. A retired offer is never published (the catalogue and basket read is_published). */
function offerColumns(fields: OfferForm['fields'], retiredAt: Date | null, now: Date) {
  return {
    name: fields.name,
    description: fields.description,
    pricing_model: fields.pricingModel,
    unit_one: fields.unitOne,
    unit_other: fields.unitOther,
    hours_per_unit: fields.hoursPerUnit,
    vat_category: fields.vatCategory,
    invoice_schedule: fields.invoiceSchedule,
    sold_by: fields.soldBy,
    cancellation_notice_days: fields.noticeDays,
    notice_in_school_days: fields.noticeInSchoolDays,
    late_cancellation_fee_percent: fields.lateFeePercent,
    max_quantity: fields.maxQuantity,
    partnership_from_quantity: fields.partnership?.fromQuantity ?? null,
    partnership_percent_off: fields.partnership?.percentOff ?? null,
    repeatable: fields.repeatable,
    cfr_code: fields.cfrCode,
    is_published: fields.status === 'on_sale',
    retired_at: retiredAt,
    updated_at: now,
  }
}

/** A new offer, with a slug made from its name (unique in the service) and placed after the service's others. */
async function insertOffer(trx: DB, authorityId: string, serviceId: string, columns: ReturnType<typeof offerColumns>): Promise<string> {
  const base = slugify(columns.name)
  const existing = await trx
    .selectFrom('offers')
    .select(['slug', 'position'])
    .where('authority_id', '=', authorityId)
    .where('service_id', '=', serviceId)
    .execute()
  const taken = new Set(existing.map((r) => r.slug))
  let slug = base
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`
  const position = Math.max(0, ...existing.map((r) => r.position)) + 1
  const row = await trx
    .insertInto('offers')
    .values({ ...columns, authority_id: authorityId, service_id: serviceId, slug, position })
    .returning('id')
    .executeTakeFirstOrThrow()
  return row.id
}

/** Every offer ticked as included is another offer of the same service. */
async function inclusionsAreTheServices(trx: DB, authorityId: string, serviceId: string, offerId: string | null, ids: string[]): Promise<boolean> {
  if (ids.length === 0) return true
  if (offerId && ids.includes(offerId)) return false
  const found = await trx
    .selectFrom('offers')
    .select('id')
    .where('authority_id', '=', authorityId)
    .where('service_id', '=', serviceId)
    .where('id', 'in', ids)
    .execute()
  return found.length === ids.length
}

async function replaceInclusions(trx: DB, authorityId: string, offerId: string, ids: string[]): Promise<void> {
  await trx.deleteFrom('offer_inclusions').where('authority_id', '=', authorityId).where('offer_id', '=', offerId).execute()
  if (ids.length === 0) return
  await trx
    .insertInto('offer_inclusions')
    .values(ids.map((included) => ({ authority_id: authorityId, offer_id: offerId, included_offer_id: included })))
    .execute()
}

/** offer.created or offer.updated, offer.retired when it was retired now, and offer.prices_saved with the year's prices. */
async function auditSave(trx: DB, actor: Actor, service: EditableService, id: string, form: OfferForm, created: boolean, retired: boolean) {
  const { fields, prices } = form
  const audit = {
    authorityId: actor.authorityId,
    actorUserId: actor.userId,
    subjectType: 'offer',
    subjectId: id,
    ip: actor.ip,
    userAgent: actor.userAgent,
  }
  await recordAudit(trx, {
    ...audit,
    action: created ? 'offer.created' : 'offer.updated',
    details: { service: service.slug, name: fields.name, pricingModel: fields.pricingModel, status: fields.status, courses: form.courses.length },
  })
  if (retired) await recordAudit(trx, { ...audit, action: 'offer.retired', details: { service: service.slug, name: fields.name } })
  await recordAudit(trx, { ...audit, action: 'offer.prices_saved', details: { tradingYear: prices.tradingYear, prices } })
}

class RefusedSave extends Error {
  constructor(readonly errors: FieldErrors) {
    super('The offer was not saved')
  }
}

/**
 * Replaces one trading year's prices of an offer: the year's offer_prices
 * row is updated in place (or added) and its bands replaced. Updating in
 * place keeps the row's other columns (a publication date) as they were.
 */
async function replaceYearPrices(trx: DB, authorityId: string, offerId: string, prices: YearPrices): Promise<void> {
  const columns = {
    base_maintained_pence: prices.base.maintained,
    base_academy_pence: prices.base.academy,
    per_pupil_maintained_pence: prices.perPupil?.maintained ?? null,
    per_pupil_academy_pence: prices.perPupil?.academy ?? null,
    minimum_charge_pence: prices.minimumCharge,
  }
  const existing = await trx
    .selectFrom('offer_prices')
    .select('id')
    .where('authority_id', '=', authorityId)
    .where('offer_id', '=', offerId)
    .where('trading_year', '=', prices.tradingYear)
    .$call(forUpdate)
    .executeTakeFirst()
  let priceId: string
  if (existing) {
    await trx.updateTable('offer_prices').set(columns).where('authority_id', '=', authorityId).where('id', '=', existing.id).execute()
    await trx.deleteFrom('offer_price_bands').where('authority_id', '=', authorityId).where('offer_price_id', '=', existing.id).execute()
    priceId = existing.id
  } else {
    const row = await trx
      .insertInto('offer_prices')
      .values({ ...columns, authority_id: authorityId, offer_id: offerId, trading_year: prices.tradingYear })
      .returning('id')
      .executeTakeFirstOrThrow()
    priceId = row.id
  }
  const bands = [
    ...prices.tiers.map((t) => ({ kind: 'quantity' as const, lower_bound: t.minQuantity, upper_bound: t.maxQuantity, pair: t.unitPrice })),
    ...prices.bands.map((b) => ({ kind: 'pupils' as const, lower_bound: b.minPupils, upper_bound: b.maxPupils, pair: b.price })),
  ]
  if (bands.length) {
    await trx
      .insertInto('offer_price_bands')
      .values(
        bands.map((b) => ({
          authority_id: authorityId,
          offer_price_id: priceId,
          kind: b.kind,
          lower_bound: b.lower_bound,
          upper_bound: b.upper_bound,
          maintained_pence: b.pair.maintained,
          academy_pence: b.pair.academy,
        })),
      )
      .execute()
  }
}

/**
 * Saves the courses of a per_place offer, with the courses locked so that no
 * booking slips in between the count and the change. Returns the problems
 * (places below booked, a booked course removed, a course of another offer)
 * or null when saved.
 */
async function saveCourses(trx: DB, authorityId: string, offerId: string, form: OfferForm): Promise<FieldErrors | null> {
  const existing = await trx
    .selectFrom('courses')
    .select(['id'])
    .where('authority_id', '=', authorityId)
    .where('offer_id', '=', offerId)
    .where('is_cancelled', '=', false)
    .orderBy('id')
    .$call(forUpdate)
    .execute()
  const booked = await bookedPlaces(trx, authorityId, offerId)
  const existingIds = new Set(existing.map((c) => c.id))
  const posted = form.courses
  const problems: FieldErrors = {}
  posted.forEach((c, i) => {
    if (c.id && !existingIds.has(c.id)) problems[`courses-${i}-title`] = `Course ${i + 1} is not a course of this offer`
  })
  // Places are checked again against what is booked now (the schema checked the form alone).
  posted.forEach((c, i) => {
    const taken = c.id ? (booked.get(c.id) ?? 0) : 0
    if (c.places < taken) {
      problems[`courses-${i}-places`] ??=
        `Course ${i + 1}: ${taken} ${taken === 1 ? 'place is' : 'places are'} already booked, so it needs at least ${taken} places`
    }
  })
  const keptIds = new Set(posted.map((c) => c.id).filter((v): v is string => Boolean(v)))
  const removed = existing.filter((c) => !keptIds.has(c.id))
  for (const course of removed) {
    const problem = courseRemovalProblem(existing.indexOf(course), booked.get(course.id) ?? 0)
    if (problem) problems.courses ??= problem.replace(/^Course \d+/, 'A course you removed')
  }
  if (Object.keys(problems).length) return problems

  for (const course of removed) {
    await trx.updateTable('courses').set({ is_cancelled: true }).where('authority_id', '=', authorityId).where('id', '=', course.id).execute()
  }
  for (const c of posted) {
    const columns = { title: c.title, starts_at: c.startsAt, ends_at: c.endsAt, venue: c.venue, places: c.places }
    if (c.id) {
      await trx.updateTable('courses').set(columns).where('authority_id', '=', authorityId).where('id', '=', c.id).execute()
    } else {
      await trx
        .insertInto('courses')
        .values({ ...columns, authority_id: authorityId, offer_id: offerId })
        .execute()
    }
  }
  return null
}
