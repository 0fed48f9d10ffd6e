import { likePattern } from '../shared/like-pattern'
import { sql } from 'kysely'
import type { DB } from '../../../db/connection'
import type { Phase } from '../../../db/schema'
import { describePricing, type PricedOffer, type SchoolType } from '../../domain/pricing'
import { loadPricedOffers } from './offers.server'
import { longDate } from '../../domain/dates'
import { DEFAULT_START_MONTH, firstDayOfTradingYear } from '../../domain/trading-year'

export type CatalogueFilters = { q?: string; phase?: Phase }

export type ServiceSummary = {
  slug: string
  name: string
  summary: string
  phases: Phase[]
}

export type CategoryWithServices = {
  slug: string
  name: string
  description: string
  services: ServiceSummary[]
}

/**
 * Published services of an authority, grouped by category in the category's
 * order. Words search the name, summary, description and offer names
 * (stemmed full-text search, plus a plain match so part-words find names).
 */
export async function listCatalogue(db: DB, authorityId: string, filters: CatalogueFilters): Promise<CategoryWithServices[]> {
  let query = db
    .selectFrom('services as s')
    .innerJoin('categories as c', (j) => j.onRef('c.authority_id', '=', 's.authority_id').onRef('c.id', '=', 's.category_id'))
    .select([
      's.slug',
      's.name',
      's.summary',
      's.phases',
      'c.slug as category_slug',
      'c.name as category_name',
      'c.description as category_description',
    ])
    .where('s.authority_id', '=', authorityId)
    .where('s.is_published', '=', true)

  const q = filters.q?.trim()
  if (q) {
    const pattern = likePattern(q)
    query = query.where((eb) =>
      eb.or([
        sql<boolean>`s.search_vector @@ websearch_to_tsquery('english', ${q})`,
        eb('s.name', 'ilike', pattern),
        eb('s.summary', 'ilike', pattern),
        eb.exists(
          eb
            .selectFrom('offers as o')
            .select(sql`1`.as('one'))
            .whereRef('o.authority_id', '=', 's.authority_id')
            .whereRef('o.service_id', '=', 's.id')
            .where('o.is_published', '=', true)
            .where('o.name', 'ilike', pattern),
        ),
      ]),
    )
  }
  if (filters.phase) {
    query = query.where(sql<boolean>`${filters.phase} = any(s.phases)`)
  }

  const rows = await query.orderBy('c.position').orderBy('c.name').orderBy('s.name').execute()
  const categories: CategoryWithServices[] = []
  for (const row of rows) {
    let category = categories.at(-1)
    if (category?.slug !== row.category_slug) {
      category = {
        slug: row.category_slug,
        name: row.category_name,
        description: row.category_description,
        services: [],
      }
      categories.push(category)
    }
    category.services.push({ slug: row.slug, name: row.name, summary: row.summary, phases: row.phases })
  }
  return categories
}

export type OfferDetail = {
  id: string
  slug: string
  name: string
  description: string
  pricingModel: string
  unitOne: string
  unitOther: string
  hoursPerUnit: number
  vatCategory: string
  invoiceSchedule: string
  cancellationNoticeDays: number
  lateCancellationFeePercent: number
  pricing: string[]
  /** Next year's prices once published to schools: "From 1 April 2027: £575 a day"; empty until then. */
  nextPricing: string[]
  courses: { id: string; title: string; startsAt: string; venue: string; places: number; placesLeft: number }[]
}

export type ServiceDetail = {
  slug: string
  name: string
  summary: string
  description: string
  included: string[]
  excluded: string[]
  terms: string
  /** What every school receives without charge, and where charges begin ('' when not said). */
  statutoryCore: string
  chargesBegin: string
  phases: Phase[]
  contactName: string
  contactEmail: string
  contactPhone: string | null
  category: { slug: string; name: string }
  offers: OfferDetail[]
}

/**
 * The offer's prices in words. Prices that are not set up correctly are never
 * shown (the page says the package is not on sale) and are logged for the
 * service to mend.
 */
function explainPrices(slug: string, offer: PricedOffer, tradingYear: number, schoolType?: SchoolType): string[] {
  try {
    return describePricing(offer, tradingYear, schoolType)
  } catch (error) {
    console.warn(`The prices of offer ${slug} for ${tradingYear} are not set up correctly:`, error)
    return []
  }
}

/**
 * Next year's prices, once published (loadPricedOffers gives only the years
 * on sale to schools), each line starting with the day they apply from:
 * "From 1 April 2027: £575 a day"; for both school types
 * "From 1 April 2027, maintained schools: …".
 */
function nextYearPrices(slug: string, offer: PricedOffer, nextYear: number, startMonth: number, schoolType?: SchoolType): string[] {
  const lines = explainPrices(slug, offer, nextYear, schoolType)
  const from = `From ${longDate(firstDayOfTradingYear(nextYear, startMonth))}`
  if (lines.length === 1) return [`${from}: ${lines[0]}`]
  return lines.map((line) => `${from}, ${line.charAt(0).toLowerCase()}${line.slice(1)}`)
}

/**
 * A published service with its offers, each offer's pricing for the trading
 * year explained in words, and the places left on its courses.
 */
export async function getServiceDetail(
  db: DB,
  authorityId: string,
  slug: string,
  tradingYear: number,
  schoolType?: SchoolType,
  startMonth: number = DEFAULT_START_MONTH,
): Promise<ServiceDetail | null> {
  const service = await db
    .selectFrom('services as s')
    .innerJoin('categories as c', (j) => j.onRef('c.authority_id', '=', 's.authority_id').onRef('c.id', '=', 's.category_id'))
    .selectAll('s')
    .select(['c.slug as category_slug', 'c.name as category_name'])
    .where('s.authority_id', '=', authorityId)
    .where('s.slug', '=', slug)
    .where('s.is_published', '=', true)
    .executeTakeFirst()
  if (!service) return null

  const offers = await db
    .selectFrom('offers')
    .selectAll()
    .where('authority_id', '=', authorityId)
    .where('service_id', '=', service.id)
    .where('is_published', '=', true)
    .orderBy('position')
    .orderBy('name')
    .execute()
  const priced = await loadPricedOffers(db, authorityId, offers)

  const courses = offers.some((o) => o.pricing_model === 'per_place')
    ? await db
        .selectFrom('courses as co')
        .leftJoin('capacity_reservations as r', (j) =>
          j.onRef('r.authority_id', '=', 'co.authority_id').onRef('r.course_id', '=', 'co.id').on('r.released_at', 'is', null),
        )
        .select(['co.id', 'co.offer_id', 'co.title', 'co.starts_at', 'co.venue', 'co.places'])
        .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('r.places'), sql<number>`0`).as('taken'))
        .where('co.authority_id', '=', authorityId)
        .where(
          'co.offer_id',
          'in',
          offers.map((o) => o.id),
        )
        .where('co.is_cancelled', '=', false)
        .groupBy(['co.id', 'co.offer_id', 'co.title', 'co.starts_at', 'co.venue', 'co.places'])
        .orderBy('co.starts_at')
        .execute()
    : []

  return {
    slug: service.slug,
    name: service.name,
    summary: service.summary,
    description: service.description,
    included: service.included,
    excluded: service.excluded,
    terms: service.terms,
    statutoryCore: service.statutory_core,
    chargesBegin: service.charges_begin,
    phases: service.phases,
    contactName: service.contact_name,
    contactEmail: service.contact_email,
    contactPhone: service.contact_phone,
    category: { slug: service.category_slug, name: service.category_name },
    offers: offers.map((o) => {
      const pricedOffer = priced.get(o.id)
      return {
        id: o.id,
        slug: o.slug,
        name: o.name,
        description: o.description,
        pricingModel: o.pricing_model,
        unitOne: o.unit_one,
        unitOther: o.unit_other,
        hoursPerUnit: o.hours_per_unit,
        vatCategory: o.vat_category,
        invoiceSchedule: o.invoice_schedule,
        cancellationNoticeDays: o.cancellation_notice_days,
        lateCancellationFeePercent: o.late_cancellation_fee_percent,
        pricing: pricedOffer ? explainPrices(o.slug, pricedOffer, tradingYear, schoolType) : [],
        nextPricing: pricedOffer ? nextYearPrices(o.slug, pricedOffer, tradingYear + 1, startMonth, schoolType) : [],
        courses: courses
          .filter((c) => c.offer_id === o.id)
          .map((c) => ({
            id: c.id,
            title: c.title,
            startsAt: new Date(c.starts_at).toISOString(),
            venue: c.venue,
            places: c.places,
            placesLeft: Math.max(0, c.places - Number(c.taken)),
          })),
      }
    }),
  }
}
