/**
 * Rules that keep a school from paying twice by accident (SPEC §7 "No
 * accidental duplicates"). Pure functions, no I/O.
 */
import { tradingYearLabel } from './trading-year'
import type { Quote } from './pricing'

/** A line the school already holds: in its basket, awaiting approval, or ordered (not cancelled or rejected). */
export type HeldLine = {
  offerId: string
  tradingYear: number
  /** 'basket' when the line is in the school's own basket. */
  where: 'basket' | 'order'
  /** The order's reference, when ordered. */
  reference: string | null
}

/**
 * A second yearly agreement for the same offer and trading year is refused
 * unless the offer may be bought more than once. Returns the sentence to
 * show the school, naming the offer and the year, or null when it may buy.
 */
export function duplicateAgreement(input: {
  offer: { id: string; name: string; repeatable: boolean }
  tradingYear: number
  held: readonly HeldLine[]
}): string | null {
  if (input.offer.repeatable) return null
  const same = input.held.filter((h) => h.offerId === input.offer.id && h.tradingYear === input.tradingYear)
  if (same.length === 0) return null
  const year = tradingYearLabel(input.tradingYear)
  const ordered = same.find((h) => h.where === 'order')
  if (ordered) {
    return `Your school already has ${input.offer.name} for ${year}${ordered.reference ? ` (order ${ordered.reference})` : ''}: it can be bought only once a year`
  }
  return `Your basket already has ${input.offer.name} for ${year}: it can be bought only once a year`
}

/** A subscription the school holds for a year, and the offers it includes. */
export type HeldSubscription = { offerId: string; name: string; tradingYear: number; includes: readonly string[] }

/** The reason shown beside a price of £0 for what a subscription includes. */
export const INCLUDED_REASON = 'Included in your subscription'

/** The subscription that includes an offer for a trading year, if the school holds one. */
export function includingSubscription(offerId: string, tradingYear: number, subscriptions: readonly HeldSubscription[]): HeldSubscription | null {
  return subscriptions.find((s) => s.tradingYear === tradingYear && s.offerId !== offerId && s.includes.includes(offerId)) ?? null
}

/**
 * What a school pays for an offer its subscription includes: nothing. The
 * quantity and year stay; every amount is 0 and the explanation says why.
 * Without such a subscription the quote is unchanged.
 */
export function priceWithInclusions(quote: Quote, offerId: string, subscriptions: readonly HeldSubscription[]): Quote {
  const subscription = includingSubscription(offerId, quote.tradingYear, subscriptions)
  if (!subscription) return quote
  return {
    ...quote,
    unitPricePence: 0,
    netPence: 0,
    vatPence: 0,
    grossPence: 0,
    explanation: `${INCLUDED_REASON}: ${subscription.name} for ${tradingYearLabel(quote.tradingYear)} includes it, so there is nothing to pay.`,
  }
}
