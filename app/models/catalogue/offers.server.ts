import type { DB } from '../../../db/connection'
import type { PricedOffer, YearPrices } from '../../domain/pricing'
import { isOnSale } from '../../domain/price-lists'
import { clock } from '../../utils/clock'

type OfferRow = {
  id: string
  authority_id: string
  pricing_model: PricedOffer['pricingModel']
  unit_one: string
  unit_other: string
  vat_category: PricedOffer['vatCategory']
}

/**
 * Which price lists to load: what schools may see and buy on a day (the
 * default: on sale today, see app/domain/price-lists.ts), or every year's,
 * drafts included, for the authority's own pages.
 */
export type PriceListView = { drafts: true } | { drafts?: false; today?: string }

/**
 * Loads the prices of the given offers (every trading year on sale to
 * schools on the day, or with `{ drafts: true }` every year they have) and
 * turns each offer into the pricing module's PricedOffer.
 */
export async function loadPricedOffers<T extends OfferRow>(
  db: DB,
  authorityId: string,
  offers: T[],
  view: PriceListView = {},
): Promise<Map<string, PricedOffer>> {
  const result = new Map<string, PricedOffer>()
  if (offers.length === 0) return result
  const offerIds = offers.map((o) => o.id)
  const rows = await db
    .selectFrom('offer_prices as p')
    .innerJoin('authorities as a', 'a.id', 'p.authority_id')
    .selectAll('p')
    .select('a.financial_year_start_month as start_month')
    .where('p.authority_id', '=', authorityId)
    .where('p.offer_id', 'in', offerIds)
    .orderBy('p.trading_year')
    .execute()
  const today = view.drafts ? null : (view.today ?? clock.today())
  const prices =
    today === null ? rows : rows.filter((p) => isOnSale({ tradingYear: p.trading_year, publishedOn: p.published_on }, today, p.start_month))
  const bands = prices.length
    ? await db
        .selectFrom('offer_price_bands')
        .selectAll()
        .where('authority_id', '=', authorityId)
        .where(
          'offer_price_id',
          'in',
          prices.map((p) => p.id),
        )
        .orderBy('lower_bound')
        .execute()
    : []

  for (const offer of offers) {
    const years: YearPrices[] = prices
      .filter((p) => p.offer_id === offer.id)
      .map((p) => {
        const own = bands.filter((b) => b.offer_price_id === p.id)
        return {
          tradingYear: p.trading_year,
          base: { maintained: p.base_maintained_pence, academy: p.base_academy_pence },
          perPupil:
            p.per_pupil_maintained_pence === null || p.per_pupil_academy_pence === null
              ? null
              : { maintained: p.per_pupil_maintained_pence, academy: p.per_pupil_academy_pence },
          minimumCharge: p.minimum_charge_pence,
          tiers: own
            .filter((b) => b.kind === 'quantity')
            .map((b) => ({
              minQuantity: b.lower_bound,
              maxQuantity: b.upper_bound,
              unitPrice: { maintained: b.maintained_pence, academy: b.academy_pence },
            })),
          bands: own
            .filter((b) => b.kind === 'pupils')
            .map((b) => ({
              minPupils: b.lower_bound,
              maxPupils: b.upper_bound,
              price: { maintained: b.maintained_pence, academy: b.academy_pence },
            })),
        }
      })
    result.set(offer.id, {
      authorityId: offer.authority_id,
      pricingModel: offer.pricing_model,
      unit: { one: offer.unit_one, other: offer.unit_other },
      vatCategory: offer.vat_category,
      prices: years,
    })
  }
  return result
}
