/**
 * Turns a catalogue spec (categories, teams, services, offers, prices) into
 * rows, and each offer into the pricing module's PricedOffer so that order
 * lines are priced exactly as the application prices them.
 */
import type { PricedOffer, PricePair, YearPrices } from '../../app/domain/pricing'
import { buildCategory, buildCourse, buildOffer, buildOfferPrice, buildOfferPriceBand, buildService, buildTeam, buildTeamYear } from './factories'
import { at } from './dates'
import { tradingYearOfDay } from './calendar'
import { addDays } from '../../app/domain/dates'
import { idFor } from './random'
import type {
  CatalogueSpec,
  CategoryRow,
  CourseRow,
  IncomeTargetRow,
  OfferInclusionRow,
  OfferPriceBandRow,
  OfferPriceRow,
  OfferRow,
  OfferSpec,
  Pence,
  PriceSpec,
  ServiceRow,
  ServiceSpec,
  TeamRow,
  TeamYearRow,
} from './types'

/** Prices are seeded for last year, this year and next year. */
export const PRICE_YEARS = [2025, 2026, 2027] as const
/** The year the catalogue's prices are written for. */
export const REFERENCE_YEAR = 2026
/** Last year about 3% cheaper, next year about 3% dearer. */
const YEAR_FACTOR: Record<number, number> = { 2025: 0.97, 2026: 1, 2027: 1.03 }

/** A price in pence scaled and rounded to whole pounds. */
export function scaleToPounds(pence: number, factor: number): number {
  return Math.round((pence * factor) / 100) * 100
}

function pair(p: Pence): PricePair {
  return typeof p === 'number' ? { maintained: p, academy: p } : { ...p }
}

function scalePair(p: Pence | undefined, factor: number, exactPence = false): PricePair | null {
  if (p === undefined) return null
  const { maintained, academy } = pair(p)
  const scale = (v: number) => (exactPence ? Math.round(v * factor) : scaleToPounds(v, factor))
  return { maintained: scale(maintained), academy: scale(academy) }
}

/** The prices of an offer for a year: as written for 2026, scaled for other years unless given. */
export function yearPricesFor(offer: OfferSpec, year: number): YearPrices {
  const explicit = offer.pricesByYear?.[year]
  const spec: PriceSpec = explicit ?? offer.prices
  const factor = explicit ? 1 : (YEAR_FACTOR[year] ?? 1)
  return {
    tradingYear: year,
    base: scalePair(spec.base, factor) ?? { maintained: 0, academy: 0 },
    // Per-pupil rates are pence, so they are rounded to whole pence, not pounds.
    perPupil: scalePair(spec.perPupil, factor, true),
    minimumCharge: spec.minimumCharge === undefined ? null : scaleToPounds(spec.minimumCharge, factor),
    tiers: (spec.tiers ?? []).map((t) => ({
      minQuantity: t.min,
      maxQuantity: t.max,
      unitPrice: scalePair(t.price, factor) as PricePair,
    })),
    bands: (spec.bands ?? []).map((b) => ({
      minPupils: b.min,
      maxPupils: b.max,
      price: scalePair(b.price, factor) as PricePair,
    })),
  }
}

/**
 * An offer as the pricing module sees it, from its rows (the same shape the
 * application loads from the database).
 */
type PricingOfferFields = Pick<OfferRow, 'id' | 'authority_id' | 'pricing_model' | 'unit_one' | 'unit_other' | 'vat_category'>
type PricingPriceFields = Pick<
  OfferPriceRow,
  | 'id'
  | 'offer_id'
  | 'trading_year'
  | 'base_maintained_pence'
  | 'base_academy_pence'
  | 'per_pupil_maintained_pence'
  | 'per_pupil_academy_pence'
  | 'minimum_charge_pence'
>
type PricingBandFields = Pick<OfferPriceBandRow, 'offer_price_id' | 'kind' | 'lower_bound' | 'upper_bound' | 'maintained_pence' | 'academy_pence'>

export function toPricedOffer(offer: PricingOfferFields, prices: readonly PricingPriceFields[], bands: readonly PricingBandFields[]): PricedOffer {
  return {
    authorityId: offer.authority_id,
    pricingModel: offer.pricing_model,
    unit: { one: offer.unit_one, other: offer.unit_other },
    vatCategory: offer.vat_category,
    prices: prices
      .filter((p) => p.offer_id === offer.id)
      .sort((a, b) => a.trading_year - b.trading_year)
      .map((p) => {
        const own = bands.filter((b) => b.offer_price_id === p.id).sort((a, b) => a.lower_bound - b.lower_bound)
        return {
          tradingYear: p.trading_year,
          base: { maintained: p.base_maintained_pence, academy: p.base_academy_pence },
          perPupil:
            p.per_pupil_maintained_pence == null || p.per_pupil_academy_pence == null
              ? null
              : { maintained: p.per_pupil_maintained_pence, academy: p.per_pupil_academy_pence },
          minimumCharge: p.minimum_charge_pence ?? null,
          tiers: own
            .filter((b) => b.kind === 'quantity')
            .map((b) => ({
              minQuantity: b.lower_bound,
              maxQuantity: b.upper_bound ?? null,
              unitPrice: { maintained: b.maintained_pence, academy: b.academy_pence },
            })),
          bands: own
            .filter((b) => b.kind === 'pupils')
            .map((b) => ({
              minPupils: b.lower_bound,
              maxPupils: b.upper_bound ?? null,
              price: { maintained: b.maintained_pence, academy: b.academy_pence },
            })),
        }
      }),
  }
}

export type BuiltOffer = {
  key: string
  spec: OfferSpec
  row: OfferRow
  service: ServiceRow
  serviceSpec: ServiceSpec
  team: TeamRow
  priced: PricedOffer
  courses: (CourseRow & { key: string; tradingYear: number })[]
}

export type BuiltCatalogue = {
  categories: CategoryRow[]
  teams: TeamRow[]
  teamYears: TeamYearRow[]
  services: ServiceRow[]
  offers: OfferRow[]
  offerPrices: OfferPriceRow[]
  offerPriceBands: OfferPriceBandRow[]
  offerInclusions: OfferInclusionRow[]
  courses: CourseRow[]
  incomeTargets: IncomeTargetRow[]
  /** By 'service-slug/offer-slug'. */
  offerByKey: Map<string, BuiltOffer>
  teamBySlug: Map<string, TeamRow>
  serviceBySlug: Map<string, ServiceRow>
}

function pounds(n: number): number {
  return Math.round(n * 100)
}

/**
 * When the seed's price lists were published (docs/decisions/0021): this
 * year's and last year's long ago; next year's on the day the renewal window
 * opened (20 days before `today`, see renewals.ts), except the offers listed
 * as drafts ('service-slug/offer-slug'), whose next-year prices are left
 * unpublished for a service lead to publish.
 */
export type PriceListPublication = { today: string; drafts?: readonly string[] }

function publication(year: number, offerKey: string, p: PriceListPublication | undefined) {
  if (!p) return {}
  const current = tradingYearOfDay(p.today)
  if (year > current && p.drafts?.includes(offerKey)) return { published_on: null, published_by: null, published_at: null }
  const on = year > current ? addDays(p.today, -20) : `${year - 1}-11-01`
  return { published_on: on, published_by: null, published_at: `${on}T09:00:00.000Z` }
}

export function buildCatalogue(
  authorityId: string,
  authoritySlug: string,
  spec: CatalogueSpec,
  pricesPublished?: PriceListPublication,
): BuiltCatalogue {
  const key = (s: string) => `${authoritySlug}/${s}`
  const built: BuiltCatalogue = {
    categories: [],
    teams: [],
    teamYears: [],
    services: [],
    offers: [],
    offerPrices: [],
    offerPriceBands: [],
    offerInclusions: [],
    courses: [],
    incomeTargets: [],
    offerByKey: new Map(),
    teamBySlug: new Map(),
    serviceBySlug: new Map(),
  }

  const categoryBySlug = new Map<string, CategoryRow>()
  spec.categories.forEach((c, i) => {
    const row = buildCategory({
      authority_id: authorityId,
      id: idFor(key(`category/${c.slug}`)),
      slug: c.slug,
      name: c.name,
      description: c.description,
      position: i + 1,
    })
    categoryBySlug.set(c.slug, row)
    built.categories.push(row)
  })

  for (const t of spec.teams) {
    const row = buildTeam({ authority_id: authorityId, id: idFor(key(`team/${t.slug}`)), slug: t.slug, name: t.name })
    built.teamBySlug.set(t.slug, row)
    built.teams.push(row)
    for (const [year, y] of Object.entries(t.years).sort(([a], [b]) => Number(a) - Number(b))) {
      built.teamYears.push(
        buildTeamYear({
          authority_id: authorityId,
          team_id: row.id,
          trading_year: Number(year),
          establishment_fte: y.fte,
          chargeable_hours_per_fte: y.chargeableHoursPerFte,
          cost_per_fte_pence: pounds(y.costPerFtePounds),
          sessional_hours: y.sessionalHours,
          central_funding_pence: pounds(y.centralFundingPounds),
        }),
      )
    }
  }

  for (const s of spec.services) {
    const category = categoryBySlug.get(s.category)
    const team = built.teamBySlug.get(s.team)
    if (!category || !team) throw new Error(`Service ${s.slug}: unknown category or team`)
    const service = buildService({
      authority_id: authorityId,
      id: idFor(key(`service/${s.slug}`)),
      slug: s.slug,
      name: s.name,
      category_id: category.id,
      team_id: team.id,
      summary: s.summary,
      description: s.description,
      included: s.included,
      excluded: s.excluded,
      terms: s.terms,
      phases: s.phases,
      contact_name: s.contact.name,
      contact_email: s.contact.email,
      contact_phone: s.contact.phone,
      income_code: s.incomeCode,
      statutory_core: s.statutoryCore?.freeToAll ?? '',
      charges_begin: s.statutoryCore?.chargesBegin ?? '',
      search_terms: s.keywords ?? [],
    })
    built.services.push(service)
    built.serviceBySlug.set(s.slug, service)
    for (const [year, target] of Object.entries(s.targetsPounds)) {
      built.incomeTargets.push({
        authority_id: authorityId,
        service_id: service.id,
        trading_year: Number(year),
        target_pence: pounds(target),
      })
    }

    s.offers.forEach((o, position) => {
      const offerKey = `${s.slug}/${o.slug}`
      const row = buildOffer({
        authority_id: authorityId,
        id: idFor(key(`offer/${offerKey}`)),
        service_id: service.id,
        slug: o.slug,
        name: o.name,
        description: o.description,
        pricing_model: o.pricingModel,
        unit_one: o.unit[0],
        unit_other: o.unit[1],
        hours_per_unit: o.hoursPerUnit,
        vat_category: o.vat,
        invoice_schedule: o.schedule,
        sold_by: o.soldBy ?? (o.unit[0] === 'year' && o.pricingModel !== 'per_place' ? 'year' : 'quantity'),
        cancellation_notice_days: o.noticeDays,
        late_cancellation_fee_percent: o.lateFeePercent,
        // The service's terms speak of "school days’ notice": the notice is counted in school days.
        notice_in_school_days: /school days[’']? notice/.test(s.terms),
        max_quantity: o.maxQuantity ?? null,
        partnership_from_quantity: o.partnership?.fromQuantity ?? null,
        partnership_percent_off: o.partnership?.percentOff ?? null,
        repeatable: o.repeatable ?? (o.pricingModel === 'per_unit' || o.pricingModel === 'per_place'),
        position: position + 1,
      })
      built.offers.push(row)
      const prices: OfferPriceRow[] = []
      const bands: OfferPriceBandRow[] = []
      for (const year of PRICE_YEARS) {
        const yp = yearPricesFor(o, year)
        const price = buildOfferPrice({
          authority_id: authorityId,
          id: idFor(key(`offer-price/${offerKey}/${year}`)),
          offer_id: row.id,
          trading_year: year,
          base_maintained_pence: yp.base.maintained,
          base_academy_pence: yp.base.academy,
          per_pupil_maintained_pence: yp.perPupil?.maintained ?? null,
          per_pupil_academy_pence: yp.perPupil?.academy ?? null,
          minimum_charge_pence: yp.minimumCharge,
          ...publication(year, offerKey, pricesPublished),
        })
        prices.push(price)
        for (const t of yp.tiers) {
          bands.push(
            buildOfferPriceBand({
              authority_id: authorityId,
              id: idFor(key(`offer-price-band/${offerKey}/${year}/quantity/${t.minQuantity}`)),
              offer_price_id: price.id,
              kind: 'quantity',
              lower_bound: t.minQuantity,
              upper_bound: t.maxQuantity,
              maintained_pence: t.unitPrice.maintained,
              academy_pence: t.unitPrice.academy,
            }),
          )
        }
        for (const b of yp.bands) {
          bands.push(
            buildOfferPriceBand({
              authority_id: authorityId,
              id: idFor(key(`offer-price-band/${offerKey}/${year}/pupils/${b.minPupils}`)),
              offer_price_id: price.id,
              kind: 'pupils',
              lower_bound: b.minPupils,
              upper_bound: b.maxPupils,
              maintained_pence: b.price.maintained,
              academy_pence: b.price.academy,
            }),
          )
        }
      }
      built.offerPrices.push(...prices)
      built.offerPriceBands.push(...bands)

      const courses = (o.courses ?? []).map((c) => {
        const startHour = Math.floor(c.startHour)
        const startsAt = at(c.date, startHour, Math.round((c.startHour - startHour) * 60))
        const endsAt = new Date(startsAt.getTime() + c.lengthHours * 3_600_000)
        const course = buildCourse({
          authority_id: authorityId,
          id: idFor(key(`course/${c.key}`)),
          offer_id: row.id,
          title: c.title,
          starts_at: startsAt,
          ends_at: endsAt,
          venue: c.venue,
          places: c.places,
        })
        const month = Number(c.date.slice(5, 7))
        const tradingYear = month >= 4 ? Number(c.date.slice(0, 4)) : Number(c.date.slice(0, 4)) - 1
        return { ...course, key: c.key, tradingYear }
      })
      built.courses.push(...courses.map(({ key: _key, tradingYear: _year, ...course }) => course))

      built.offerByKey.set(offerKey, {
        key: offerKey,
        spec: o,
        row,
        service,
        serviceSpec: s,
        team,
        priced: toPricedOffer(row, prices, bands),
        courses,
      })
    })
    // What a subscription includes, once every offer of the service has its id.
    for (const o of s.offers) {
      for (const included of o.includes ?? []) {
        const offer = built.offerByKey.get(`${s.slug}/${o.slug}`)
        const inner = built.offerByKey.get(`${s.slug}/${included}`)
        if (!offer || !inner) throw new Error(`${s.slug}/${o.slug} includes ${included}, which is not an offer of the service`)
        built.offerInclusions.push({
          authority_id: authorityId,
          offer_id: offer.row.id,
          included_offer_id: inner.row.id,
          created_at: offer.row.created_at,
        })
      }
    }
  }
  return built
}
