/**
 * Price lists per trading year (docs/decisions/0021). Pure rules, no I/O.
 *
 * An offer's prices belong to a trading year. Prices for the current trading
 * year or an earlier one are on sale whatever their publication date says
 * (a saved offer is on sale at once). A later year's prices are drafted
 * beside this year's and reach schools only once published: published_on
 * set and on or before today.
 */
import { dateOf, isIsoDate } from './dates'
import { DEFAULT_START_MONTH, tradingYearOf } from './trading-year'

export type PriceListYear = { tradingYear: number; publishedOn: string | null }

/** How a year's prices stand on a day: on sale, published from a later day, or a draft. */
export type PriceListStatus = { kind: 'on_sale' } | { kind: 'scheduled'; from: string } | { kind: 'draft' }

/** The trading year a day ('YYYY-MM-DD') falls in. */
export function tradingYearOfDay(today: string, startMonth: number = DEFAULT_START_MONTH): number {
  return tradingYearOf(dateOf(today), startMonth)
}

/** Where a year's prices stand on `today`. */
export function priceListStatus(year: PriceListYear, today: string, startMonth: number = DEFAULT_START_MONTH): PriceListStatus {
  if (year.tradingYear <= tradingYearOfDay(today, startMonth)) return { kind: 'on_sale' }
  if (year.publishedOn === null || !isIsoDate(year.publishedOn)) return { kind: 'draft' }
  return year.publishedOn <= today ? { kind: 'on_sale' } : { kind: 'scheduled', from: year.publishedOn }
}

/** True when schools see and buy at this year's prices on `today`. */
export function isOnSale(year: PriceListYear, today: string, startMonth: number = DEFAULT_START_MONTH): boolean {
  return priceListStatus(year, today, startMonth).kind === 'on_sale'
}

/** The price-list years schools may see on `today` (the selection by date), in their order. */
export function onSaleYears<T extends PriceListYear>(years: readonly T[], today: string, startMonth: number = DEFAULT_START_MONTH): T[] {
  return years.filter((y) => isOnSale(y, today, startMonth))
}

/** A later year's prices that are not on sale yet and so may still be changed or (re)published. */
export function isDraftOrScheduled(year: PriceListYear, today: string, startMonth: number = DEFAULT_START_MONTH): boolean {
  return !isOnSale(year, today, startMonth)
}

/**
 * A price raised by a percentage uplift (2.5 = 2.5%; at most two decimal
 * places count), rounded to whole pence, halves up; never below 0. Works in
 * basis points so that 1.1% is exact.
 */
export function upliftPence(pence: number, percent: number): number {
  const basisPoints = Math.round(percent * 100)
  return Math.max(0, Math.round((pence * (10_000 + basisPoints)) / 10_000))
}
