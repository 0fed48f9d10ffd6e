import { sql } from 'kysely'
import type { DB } from '../../../db/connection'
import type { Phase } from '../../../db/schema'
import {
  describePricing,
  describeSchoolPrice,
  lowestUnitPrice,
  withVat,
  type PricedOffer,
  type PricedSchool,
  type PriceWithVat,
  type SchoolType,
} from '../../domain/pricing'
import { searchServices } from '../../domain/search'
import { loadPricedOffers } from './offers.server'
import { longDate } from '../../domain/dates'
import { DEFAULT_START_MONTH, firstDayOfTradingYear } from '../../domain/trading-year'

export type CatalogueFilters = { q?: string; phase?: Phase; category?: string }

export type ServiceSummary = {
  slug: string
  name: string
  summary: string
  phases: Phase[]
  category: { slug: string; name: string }
  /** The least any school pays for one unit of the cheapest offer on sale this trading year, before VAT; null when none is on sale. */
  fromPence: number | null
  /** The same for the signed-in school, at its own price, with the VAT it pays; null without a school or an offer on sale. */
  yourPrice: PriceWithVat | null
}

export type CategoryWithServices = {
  slug: string
  name: string
  description: string
  services: ServiceSummary[]
}

export type Catalogue = {
  /** The authority's categories, in their order, for the filter. */
  categoryOptions: { slug: string; name: string }[]
  /** Without words: every service that passes the filters, grouped by category. */
  categories: CategoryWithServices[]
  /** With words: the services that match, best first (app/domain/search.ts); null without words. */
  results: ServiceSummary[] | null
}

/** The authority's categories in their order. */
export async function listCategories(db: DB, authorityId: string): Promise<{ slug: string; name: string; description: string }[]> {
  return db
    .selectFrom('categories')
    .select(['slug', 'name', 'description'])
    .where('authority_id', '=', authorityId)
    .orderBy('position')
    .orderBy('name')
    .execute()
}

/** A school as the pricing module sees it, or null when it is not the authority's. */
export async function loadPricedSchool(db: DB, authorityId: string, schoolId: string): Promise<PricedSchool | null> {
  const row = await db
    .selectFrom('schools')
    .select(['school_type', 'pupil_count'])
    .where('authority_id', '=', authorityId)
    .where('id', '=', schoolId)
    .executeTakeFirst()
  return row ? { authorityId, type: row.school_type, pupilCount: row.pupil_count } : null
}

/**
 * The published services of an authority with "from" prices: grouped by
 * category in the category's order without words, or, with words, ranked by
 * the catalogue search (names, the services' own search terms, synonyms,
 * stems and one-letter misspellings; docs/decisions/0030). The services and
 * their offers are loaded once (an authority has a few dozen) and ranked in
 * memory; phase and category filter before the ranking.
 */
export async function listCatalogue(
  db: DB,
  authorityId: string,
  filters: CatalogueFilters,
  prices: { tradingYear: number; school?: PricedSchool | null },
): Promise<Catalogue> {
  const [categories, rows, offers] = await Promise.all([
    listCategories(db, authorityId),
    db
      .selectFrom('services as s')
      .innerJoin('categories as c', (j) => j.onRef('c.authority_id', '=', 's.authority_id').onRef('c.id', '=', 's.category_id'))
      .select([
        's.id',
        's.slug',
        's.name',
        's.summary',
        's.description',
        's.search_terms',
        's.phases',
        'c.slug as category_slug',
        'c.name as category_name',
      ])
      .where('s.authority_id', '=', authorityId)
      .where('s.is_published', '=', true)
      .orderBy('c.position')
      .orderBy('c.name')
      .orderBy('s.name')
      .execute(),
    db
      .selectFrom('offers as o')
      .innerJoin('services as s', (j) => j.onRef('s.authority_id', '=', 'o.authority_id').onRef('s.id', '=', 'o.service_id'))
      .select(['o.id', 'o.authority_id', 'o.service_id', 'o.name', 'o.pricing_model', 'o.unit_one', 'o.unit_other', 'o.vat_category'])
      .where('o.authority_id', '=', authorityId)
      .where('o.is_published', '=', true)
      .where('s.is_published', '=', true)
      .orderBy('o.position')
      .orderBy('o.name')
      .execute(),
  ])
  const priced = await loadPricedOffers(db, authorityId, offers)
  const offersOf = new Map<string, typeof offers>()
  for (const offer of offers) offersOf.set(offer.service_id, [...(offersOf.get(offer.service_id) ?? []), offer])

  const summaries = new Map<string, ServiceSummary>()
  for (const row of rows) {
    const own = offersOf.get(row.id) ?? []
    summaries.set(row.id, {
      slug: row.slug,
      name: row.name,
      summary: row.summary,
      phases: row.phases,
      category: { slug: row.category_slug, name: row.category_name },
      ...fromPrices(
        own.flatMap((o) => priced.get(o.id) ?? []),
        prices.tradingYear,
        prices.school ?? null,
      ),
    })
  }

  const passes = (row: (typeof rows)[number]) =>
    (!filters.phase || row.phases.includes(filters.phase)) && (!filters.category || row.category_slug === filters.category)
  const filtered = rows.filter(passes)

  const q = filters.q?.trim()
  if (q) {
    const hits = searchServices(
      filtered.map((row) => ({
        // The id, so that the hit finds its summary.
        slug: row.id,
        name: row.name,
        summary: row.summary,
        description: row.description,
        keywords: row.search_terms,
        offerNames: (offersOf.get(row.id) ?? []).map((o) => o.name),
        categoryName: row.category_name,
      })),
      q,
    )
    return { categoryOptions: categoryOptions(categories), categories: [], results: hits.map((hit) => summaries.get(hit.slug)!) }
  }

  const grouped: CategoryWithServices[] = []
  for (const category of categories) {
    const services = filtered.filter((row) => row.category_slug === category.slug).map((row) => summaries.get(row.id)!)
    if (services.length) grouped.push({ ...category, services })
  }
  return { categoryOptions: categoryOptions(categories), categories: grouped, results: null }
}

function categoryOptions(categories: { slug: string; name: string }[]): Catalogue['categoryOptions'] {
  return categories.map(({ slug, name }) => ({ slug, name }))
}

/** The lowest "from" price of a service's offers, for any school and for the signed-in school. */
function fromPrices(offers: PricedOffer[], tradingYear: number, school: PricedSchool | null): Pick<ServiceSummary, 'fromPence' | 'yourPrice'> {
  const lowest = (prices: (number | null)[]) => {
    const known = prices.filter((p): p is number => p !== null)
    return known.length ? Math.min(...known) : null
  }
  const fromPence = lowest(offers.map((o) => lowestUnitPrice(o, tradingYear)))
  if (!school) return { fromPence, yourPrice: null }
  let yourPrice: PriceWithVat | null = null
  for (const offer of offers) {
    const net = lowestUnitPrice(offer, tradingYear, school)
    if (net === null) continue
    const price = withVat(offer, school, net)
    if (!yourPrice || price.grossPence < yourPrice.grossPence) yourPrice = price
  }
  return { fromPence, yourPrice }
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
  /** The signed-in school's own price this year, VAT included where it pays it ("£2,340 a year for your school (412 pupils)"); empty without a school. */
  yourPrice: string[]
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
  school: PricedSchool | null = null,
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
        yourPrice: pricedOffer && school ? describeSchoolPrice(pricedOffer, tradingYear, school) : [],
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
