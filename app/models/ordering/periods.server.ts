import type { Kysely } from 'kysely'
import type { DB } from '../../../db/connection'
import type { Database, OfferSoldBy } from '../../../db/schema'
import { ukDate } from '../../domain/dates'
import { choosePeriod, soldByOf, startFromChoices, yearsOnSale, type PeriodResult, type StartFromGroup } from '../../domain/periods'
import { startMonthOf } from '../shared/authority.server'
import type { PricedOffer, ServicePeriod, SoldBy } from '../../domain/pricing'
import type { TermName } from '../../domain/terms'
import { termsCovering } from '../../domain/terms'
import { tradingYearOf } from '../../domain/trading-year'
import { clock } from '../../utils/clock'
import { loadPricedOffers } from '../catalogue/offers.server'
import { loadTerms } from '../shared/terms.server'

/**
 * A line's service period as the school chooses it (trading year and
 * "Start from" term) and as a saved line reads it back, for pricing. The
 * rules are in app/domain/periods.ts; this reads the offer's price years
 * and the authority's terms.
 */

type PeriodOffer = {
  id: string
  authority_id: string
  pricing_model: PricedOffer['pricingModel']
  sold_by: OfferSoldBy
  unit_one: string
  unit_other: string
  vat_category: PricedOffer['vatCategory']
}

export type PeriodInput = { tradingYear?: number; startFrom?: { tradingYear: number; term: TermName } }

export function soldByOfRow(offer: Pick<PeriodOffer, 'pricing_model' | 'sold_by'>): SoldBy {
  return soldByOf({ pricingModel: offer.pricing_model, soldBy: offer.sold_by })
}

/** The trading years the offer is on sale for today: this one, and next once its prices are published (app/domain/price-lists.ts). */
export async function offerYearsOnSale(db: Kysely<Database>, authorityId: string, offer: PeriodOffer, startMonth: number, now: Date = clock.now()) {
  const priced = (await loadPricedOffers(db as DB, authorityId, [offer], { today: ukDate(now) })).get(offer.id)
  return priced ? yearsOnSale(priced, ukDate(now), startMonth) : []
}

/**
 * The period a new line of the offer covers, from the school's choice. With
 * no year chosen, the current one; a "Start from" term names its own year.
 */
export async function periodForChoice(
  db: Kysely<Database>,
  authorityId: string,
  offer: PeriodOffer,
  input: PeriodInput,
  startMonth: number,
  now: Date = clock.now(),
): Promise<PeriodResult> {
  const today = ukDate(now)
  const soldBy = soldByOfRow(offer)
  const onSale = await offerYearsOnSale(db, authorityId, offer, startMonth, now)
  const chooses = soldBy === 'year' || soldBy === 'term'
  const tradingYear = (chooses ? input.startFrom?.tradingYear : undefined) ?? input.tradingYear ?? tradingYearOf(now, startMonth)
  const terms = chooses ? await loadTerms(db, authorityId, [tradingYear]) : []
  const result = choosePeriod({ soldBy, tradingYear, startTerm: chooses ? (input.startFrom?.term ?? null) : null }, terms, onSale, today, startMonth)
  // The "Start from" term names its year: a year not on sale is its error.
  return !result.ok && chooses ? { ...result, field: 'startFrom' } : result
}

/** A saved line's period with the terms it is charged for (offers sold by the year or the term). */
export async function periodOfLine(
  db: Kysely<Database>,
  authorityId: string,
  soldBy: SoldBy,
  line: { trading_year: number; period_start: string; period_end: string },
): Promise<ServicePeriod> {
  const base = { tradingYear: line.trading_year, start: line.period_start, end: line.period_end }
  if (soldBy !== 'year' && soldBy !== 'term') return { ...base, terms: [] }
  const terms = await loadTerms(db, authorityId, [line.trading_year])
  return { ...base, terms: termsCovering(terms, line.trading_year, line.period_start, line.period_end) }
}

export type PeriodChoices = { soldBy: SoldBy; years: number[]; startFrom: StartFromGroup[] }

/**
 * For each offer of a page, how its period is chosen: the years on sale and,
 * for offers sold by the year or the term, the "Start from" terms by year.
 */
export async function periodChoicesByOffer(
  db: Kysely<Database>,
  authorityId: string,
  offers: PeriodOffer[],
  startMonth: number,
  now: Date = clock.now(),
): Promise<Record<string, PeriodChoices>> {
  if (offers.length === 0) return {}
  const [priced, terms] = await Promise.all([loadPricedOffers(db as DB, authorityId, offers, { today: ukDate(now) }), loadTerms(db, authorityId)])
  const today = ukDate(now)
  const result: Record<string, PeriodChoices> = {}
  for (const offer of offers) {
    const p = priced.get(offer.id)
    const soldBy = soldByOfRow(offer)
    const years = p ? yearsOnSale(p, today, startMonth) : []
    result[offer.id] = { soldBy, years, startFrom: soldBy === 'year' || soldBy === 'term' ? startFromChoices(terms, years, today) : [] }
  }
  return result
}

/** The period choices for offers by id (the basket's lines), read with the authority's start month. */
export async function periodChoicesForOffers(db: Kysely<Database>, authorityId: string, offerIds: string[], now: Date = clock.now()) {
  if (offerIds.length === 0) return {}
  const [offers, startMonth] = await Promise.all([
    db
      .selectFrom('offers')
      .select(['id', 'authority_id', 'pricing_model', 'sold_by', 'unit_one', 'unit_other', 'vat_category'])
      .where('authority_id', '=', authorityId)
      .where('id', 'in', offerIds)
      .execute(),
    startMonthOf(db, authorityId),
  ])
  return periodChoicesByOffer(db, authorityId, offers, startMonth, now)
}
