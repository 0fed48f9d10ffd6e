import type { DB } from '../../../db/connection'
import { checkCostRecovery, type CostRecovery } from '../../domain/cost-recovery'
import { describePricing, type PricedOffer } from '../../domain/pricing'
import { priceListStatus, upliftPence, type PriceListStatus } from '../../domain/price-lists'
import { firstDayOfTradingYear, tradingYearOf } from '../../domain/trading-year'
import { dateOf } from '../../domain/dates'
import { fieldErrors, type FieldErrors } from '../../schemas/common'
import { priceListActionSchema, type PriceListValues } from '../../schemas/price-lists'
import { clock } from '../../utils/clock'
import { recordAudit } from '../admin/audit.server'
import type { Actor } from '../shared/actor.server'
import type { StaffScope } from '../shared/access-scope.server'
import { loadPricedOffers } from './offers.server'
import { forUpdate } from '../../utils/locks.server'

/**
 * A service's price lists (docs/decisions/0021): this year's and next year's
 * prices of each offer, drafts included, with the cost-recovery check;
 * publishing next year's drafts on a date; copying this year's prices to
 * next year with an uplift. For the service's leads and the LA admin; every
 * query is limited to the authority. Order lines are never touched: they
 * keep the prices frozen on them.
 */

export type ServiceForPrices = { id: string; slug: string; name: string; teamId: string; teamName: string }

/** The service by its address for this person: 'not_found' (no such service here), 'forbidden' (a lead of other services) or the service. */
export async function serviceForPrices(db: DB, scope: StaffScope, slug: string): Promise<ServiceForPrices | 'not_found' | 'forbidden'> {
  const row = await db
    .selectFrom('services as s')
    .innerJoin('teams as t', (j) => j.onRef('t.authority_id', '=', 's.authority_id').onRef('t.id', '=', 's.team_id'))
    .select(['s.id', 's.slug', 's.name', 't.id as team_id', 't.name as team_name'])
    .where('s.authority_id', '=', scope.authorityId)
    .where('s.slug', '=', slug)
    .executeTakeFirst()
  if (!row) return 'not_found'
  if (scope.kind === 'services' && !scope.serviceIds.includes(row.id)) return 'forbidden'
  return { id: row.id, slug: row.slug, name: row.name, teamId: row.team_id, teamName: row.team_name }
}

export type YearPriceView = {
  tradingYear: number
  status: PriceListStatus
  /** The prices in words, as schools read them (both school types). */
  pricing: string[]
  costRecovery: CostRecovery
  publishedOn: string | null
  publishedBy: string | null
}

export type OfferPricesView = {
  id: string
  name: string
  isPublished: boolean
  thisYear: YearPriceView | null
  nextYear: YearPriceView | null
}

export type ServicePriceLists = {
  currentYear: number
  nextYear: number
  startMonth: number
  today: string
  offers: OfferPricesView[]
  /** Next year's rows not yet on sale (drafts, or published from a later day). */
  toPublish: number
  /** Offers with this year's prices and none for next year. */
  toCopy: number
}

async function yearContext(db: DB, authorityId: string, today: string) {
  const authority = await db.selectFrom('authorities').select('financial_year_start_month').where('id', '=', authorityId).executeTakeFirstOrThrow()
  const startMonth = authority.financial_year_start_month
  const currentYear = tradingYearOf(dateOf(today), startMonth)
  return { startMonth, currentYear, nextYear: currentYear + 1 }
}

function serviceOffers(db: DB, authorityId: string, serviceId: string) {
  return db
    .selectFrom('offers')
    .select(['id', 'authority_id', 'name', 'pricing_model', 'unit_one', 'unit_other', 'vat_category', 'hours_per_unit', 'is_published'])
    .where('authority_id', '=', authorityId)
    .where('service_id', '=', serviceId)
    .orderBy('position')
    .orderBy('name')
    .execute()
}

function describe(offer: PricedOffer, year: number): string[] {
  try {
    return describePricing(offer, year)
  } catch {
    return ['These prices are not set up correctly: change them in the offer before publishing.']
  }
}

/** Every offer of the service with this year's and next year's prices, their standing on `today`, and the cost-recovery check. */
export async function servicePriceLists(
  db: DB,
  service: ServiceForPrices,
  authorityId: string,
  today: string = clock.today(),
): Promise<ServicePriceLists> {
  const { startMonth, currentYear, nextYear } = await yearContext(db, authorityId, today)
  const offers = await serviceOffers(db, authorityId, service.id)
  const offerIds = offers.map((o) => o.id)
  const [priced, rows, teamYears] = await Promise.all([
    loadPricedOffers(db, authorityId, offers, { drafts: true }),
    offerIds.length
      ? db
          .selectFrom('offer_prices as p')
          .leftJoin('users as u', (j) => j.onRef('u.authority_id', '=', 'p.authority_id').onRef('u.id', '=', 'p.published_by'))
          .select(['p.offer_id', 'p.trading_year', 'p.published_on', 'u.name as published_by_name'])
          .where('p.authority_id', '=', authorityId)
          .where('p.offer_id', 'in', offerIds)
          .where('p.trading_year', 'in', [currentYear, nextYear])
          .execute()
      : [],
    db
      .selectFrom('team_years')
      .select(['trading_year', 'cost_per_fte_pence', 'chargeable_hours_per_fte'])
      .where('authority_id', '=', authorityId)
      .where('team_id', '=', service.teamId)
      .where('trading_year', 'in', [currentYear, nextYear])
      .execute(),
  ])
  const view = (offer: (typeof offers)[number], year: number): YearPriceView | null => {
    const row = rows.find((r) => r.offer_id === offer.id && r.trading_year === year)
    const p = priced.get(offer.id)
    if (!row || !p) return null
    const team = teamYears.find((t) => t.trading_year === year)
    return {
      tradingYear: year,
      status: priceListStatus({ tradingYear: year, publishedOn: row.published_on }, today, startMonth),
      pricing: describe(p, year),
      costRecovery: checkCostRecovery({
        offer: p,
        tradingYear: year,
        hoursPerUnit: Number(offer.hours_per_unit),
        team: team ? { costPerFtePence: team.cost_per_fte_pence, chargeableHoursPerFte: Number(team.chargeable_hours_per_fte) } : null,
      }),
      publishedOn: row.published_on,
      publishedBy: row.published_by_name,
    }
  }
  const list = offers.map((o) => ({
    id: o.id,
    name: o.name,
    isPublished: o.is_published,
    thisYear: view(o, currentYear),
    nextYear: view(o, nextYear),
  }))
  return {
    currentYear,
    nextYear,
    startMonth,
    today,
    offers: list,
    toPublish: list.filter((o) => o.nextYear && o.nextYear.status.kind !== 'on_sale').length,
    toCopy: list.filter((o) => o.thisYear && !o.nextYear).length,
  }
}

export type PriceListActionResult =
  | { ok: true; intent: 'publish'; published: number; publishFrom: string }
  | { ok: true; intent: 'copy'; copied: number; uplift: number }
  | { ok: false; errors: FieldErrors }

/** Publishes or copies, as the form asks (one schema for both forms). */
export async function changePriceLists(
  db: DB,
  actor: Actor,
  service: ServiceForPrices,
  values: PriceListValues,
  today: string = clock.today(),
): Promise<PriceListActionResult> {
  const { startMonth, nextYear } = await yearContext(db, actor.authorityId, today)
  const parsed = priceListActionSchema({ today, nextYearStartsOn: firstDayOfTradingYear(nextYear, startMonth) }).safeParse(values)
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues) }
  if (parsed.data.intent === 'publish') {
    const published = await publishPrices(db, actor, service, nextYear, parsed.data.publishFrom, today)
    return { ok: true, intent: 'publish', published, publishFrom: parsed.data.publishFrom }
  }
  const copied = await copyPricesToNextYear(db, actor, service, nextYear, parsed.data.uplift)
  return { ok: true, intent: 'copy', copied, uplift: parsed.data.uplift }
}

/**
 * Sets the publication date of every next-year price row of the service not
 * yet on sale (drafts, and rows published from a later day, whose date moves),
 * in one transaction with its audit entry. Rows already on sale keep theirs.
 * Returns how many rows were published.
 */
export async function publishPrices(
  db: DB,
  actor: Actor,
  service: ServiceForPrices,
  tradingYear: number,
  publishFrom: string,
  today: string = clock.today(),
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const rows = await trx
      .updateTable('offer_prices')
      .set({ published_on: publishFrom, published_by: actor.userId, published_at: clock.now() })
      .where('authority_id', '=', actor.authorityId)
      .where('trading_year', '=', tradingYear)
      .where('offer_id', 'in', (eb) =>
        eb.selectFrom('offers').select('id').where('authority_id', '=', actor.authorityId).where('service_id', '=', service.id),
      )
      .where((eb) => eb.or([eb('published_on', 'is', null), eb('published_on', '>', today)]))
      .returning(['id', 'offer_id'])
      .execute()
    await recordAudit(trx, {
      authorityId: actor.authorityId,
      actorUserId: actor.userId,
      action: 'prices.published',
      subjectType: 'service',
      subjectId: service.id,
      ip: actor.ip,
      userAgent: actor.userAgent,
      details: { service: service.slug, tradingYear, publishFrom, offerIds: rows.map((r) => r.offer_id) },
    })
    return rows.length
  })
}

/**
 * Copies this year's prices (and tiers and bands) of each offer of the
 * service that has none for next year, raised by `upliftPercent` and rounded
 * to whole pence, as next year's drafts; one transaction with its audit
 * entry. Offers that already have next year's prices are left as they are.
 */
export async function copyPricesToNextYear(
  db: DB,
  actor: Actor,
  service: ServiceForPrices,
  nextYear: number,
  upliftPercent: number,
): Promise<number> {
  const up = (pence: number | null) => (pence === null ? null : upliftPence(pence, upliftPercent))
  return db.transaction().execute(async (trx) => {
    const offers = await trx
      .selectFrom('offers')
      .select('id')
      .where('authority_id', '=', actor.authorityId)
      .where('service_id', '=', service.id)
      .$call(forUpdate)
      .execute()
    if (offers.length === 0) return 0
    const prices = await trx
      .selectFrom('offer_prices')
      .selectAll()
      .where('authority_id', '=', actor.authorityId)
      .where(
        'offer_id',
        'in',
        offers.map((o) => o.id),
      )
      .where('trading_year', 'in', [nextYear - 1, nextYear])
      .execute()
    const sources = prices.filter(
      (p) => p.trading_year === nextYear - 1 && !prices.some((q) => q.offer_id === p.offer_id && q.trading_year === nextYear),
    )
    const copied: string[] = []
    for (const source of sources) {
      const inserted = await trx
        .insertInto('offer_prices')
        .values({
          authority_id: actor.authorityId,
          offer_id: source.offer_id,
          trading_year: nextYear,
          base_maintained_pence: upliftPence(source.base_maintained_pence, upliftPercent),
          base_academy_pence: upliftPence(source.base_academy_pence, upliftPercent),
          per_pupil_maintained_pence: up(source.per_pupil_maintained_pence),
          per_pupil_academy_pence: up(source.per_pupil_academy_pence),
          minimum_charge_pence: up(source.minimum_charge_pence),
          published_on: null,
          published_by: null,
          published_at: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      const bands = await trx
        .selectFrom('offer_price_bands')
        .selectAll()
        .where('authority_id', '=', actor.authorityId)
        .where('offer_price_id', '=', source.id)
        .execute()
      if (bands.length) {
        await trx
          .insertInto('offer_price_bands')
          .values(
            bands.map((b) => ({
              authority_id: actor.authorityId,
              offer_price_id: inserted.id,
              kind: b.kind,
              lower_bound: b.lower_bound,
              upper_bound: b.upper_bound,
              maintained_pence: upliftPence(b.maintained_pence, upliftPercent),
              academy_pence: upliftPence(b.academy_pence, upliftPercent),
            })),
          )
          .execute()
      }
      copied.push(source.offer_id)
    }
    await recordAudit(trx, {
      authorityId: actor.authorityId,
      actorUserId: actor.userId,
      action: 'prices.copied',
      subjectType: 'service',
      subjectId: service.id,
      ip: actor.ip,
      userAgent: actor.userAgent,
      details: { service: service.slug, fromYear: nextYear - 1, toYear: nextYear, upliftPercent, offerIds: copied },
    })
    return copied.length
  })
}

/** One offer's prices for one trading year (this year or next), with its cost-recovery check; null when it has none. */
export async function offerYearPrices(
  db: DB,
  service: ServiceForPrices,
  authorityId: string,
  offerId: string,
  year: number,
): Promise<YearPriceView | null> {
  const lists = await servicePriceLists(db, service, authorityId)
  const offer = lists.offers.find((o) => o.id === offerId)
  if (!offer) return null
  return year === lists.currentYear ? offer.thisYear : year === lists.nextYear ? offer.nextYear : null
}
