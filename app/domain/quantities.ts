/**
 * Counts in words, the one way the product writes them: "1 day",
 * "1,200 pupils", "0.5 days", "3 lines".
 */

const COUNT = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 })

/** A count as people write it: thousands separated, at most two decimal places (10000 → "10,000", 0.333 → "0.33"). */
export function formatCount(n: number): string {
  return COUNT.format(n)
}

/** The word that agrees with a count: plural(1, 'day', 'days') is "day"; 0, 0.5 and 2 take "days". */
export function plural(n: number, one: string, other: string): string {
  return n === 1 ? one : other
}

/** A count with the word that agrees with it: "1 day", "1,200 pupils", "0.5 days". */
export function quantityText(n: number, one: string, other: string): string {
  return `${formatCount(n)} ${plural(n, one, other)}`
}

/** An offer as far as counting what is left of it goes. */
export type CountedOffer = { pricingModel: string; unitOne: string; unitOther: string }

/** Units that name the period a subscription runs for: "3 years left" of a yearly membership means nothing. */
const PERIOD_UNITS = new Set(['year', 'academic year', 'term', 'month'])

/**
 * The unit what is left of an offer is counted in: course places for an
 * offer sold by the place, the offer's own unit for work bought by the
 * day, hour, session or visit, and nothing (null) for a subscription
 * (a whole-school offer priced by its pupils, or bought by the year),
 * where a count of what is left would not mean anything to a school.
 */
export function leftUnit(offer: CountedOffer): { one: string; other: string } | null {
  if (offer.pricingModel === 'per_place') return { one: 'place', other: 'places' }
  if (offer.pricingModel === 'per_pupil' || offer.pricingModel === 'pupil_banded') return null
  if (PERIOD_UNITS.has(offer.unitOne.trim().toLowerCase())) return null
  return { one: offer.unitOne, other: offer.unitOther }
}

/**
 * What is left of an offer in a trading year, in words: "12 days left in
 * 2026/27", "50 places left in 2026/27", "Available in 2026/27" for a
 * subscription, and that it is fully booked when nothing is left.
 */
export function unitsLeftText(left: number, offer: CountedOffer, yearLabel: string): string {
  if (left <= 0) return `Fully booked for ${yearLabel}: new orders go on the waiting list`
  const unit = leftUnit(offer)
  return unit ? `${quantityText(left, unit.one, unit.other)} left in ${yearLabel}` : `Available in ${yearLabel}`
}
