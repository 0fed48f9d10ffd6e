/**
 * Pricing: what a school pays for an offer (a package of a traded service).
 * Pure functions, no I/O. Every amount is integer pence.
 */
import { formatPence } from './money'
import { DEFAULT_START_MONTH, firstDayOfTradingYear, isTradingYear, lastDayOfTradingYear, tradingYearLabel, tradingYearOf } from './trading-year'
import { proRataByTerms, termLabel, TERMS_PER_YEAR, type Term } from './terms'
import { formatCount, plural } from './quantities'

export type SchoolType = 'maintained' | 'academy'
export type VatCategory = 'standard' | 'exempt' | 'outside_scope'
export type PricingModel = 'fixed' | 'per_unit' | 'pupil_banded' | 'per_pupil' | 'per_place'
/** A price for each school type, in integer pence, >= 0. */
export type PricePair = { maintained: number; academy: number }
export type QuantityTier = { minQuantity: number; maxQuantity: number | null; unitPrice: PricePair }
export type PupilBand = { minPupils: number; maxPupils: number | null; price: PricePair }
export type YearPrices = {
  /** 2026 means 2026/27. */
  tradingYear: number
  /** fixed: price per period; per_unit: unit price when there are no tiers; per_place: price per place; per_pupil: base fee; pupil_banded: ignored (0). */
  base: PricePair
  /** per_pupil only: rate per pupil. */
  perPupil: PricePair | null
  /** Minimum net charge in pence for ONE unit/period; a floor on the unit price for any model. */
  minimumCharge: number | null
  /** per_unit only; empty means a flat base price. */
  tiers: QuantityTier[]
  /** pupil_banded only. */
  bands: PupilBand[]
}
/** e.g. {one:'day', other:'days'} */
export type UnitName = { one: string; other: string }
export type PricedOffer = {
  authorityId: string
  pricingModel: PricingModel
  unit: UnitName
  vatCategory: VatCategory
  prices: YearPrices[]
}
export type PricedSchool = { authorityId: string; type: SchoolType; pupilCount: number }
export type Quote = {
  tradingYear: number
  quantity: number
  /** The price of one unit after tiers/bands/per-pupil/minimum. */
  unitPricePence: number
  netPence: number
  /** 2000 = 20%, 0 when none. */
  vatRateBasisPoints: number
  vatPence: number
  grossPence: number
  /** Plain English: the arithmetic and the VAT note. */
  explanation: string
}
/** `reason` is a plain-English sentence a school business manager understands. */
export type QuoteResult = { ok: true; quote: Quote } | { ok: false; reason: string }

/** The largest quantity of one offer a school can buy in one order line. */
export const MAX_QUANTITY = 10_000
/** Standard-rate VAT: 20%. */
export const STANDARD_VAT_BASIS_POINTS = 2000

/** Quotes at or above this net amount are refused so that VAT arithmetic stays exact (about £900m). */
const MAX_NET_PENCE = Math.floor(Number.MAX_SAFE_INTEGER / 10_000)

const PUPIL: UnitName = { one: 'pupil', other: 'pupils' }

// ---------------------------------------------------------------------------
// Small text helpers

/** The unit name that agrees with the count: 1 day, 3 days. */
function unitFor(n: number, unit: UnitName): string {
  return plural(n, unit.one, unit.other)
}

/** "3 days", "1 day", "10,000 days". */
function countOf(n: number, unit: UnitName): string {
  return `${formatCount(n)} ${unitFor(n, unit)}`
}

/** "a" or "an", by the sound of the word: an hour, an instrument, a unit, a day. */
export function indefiniteArticle(word: string): 'a' | 'an' {
  const w = word.trim().toLowerCase()
  if (/^(hour|honou?r|heir|honest)/.test(w)) return 'an'
  if (/^(uni|use|usu|uti|ure|euro?|one|once)/.test(w)) return 'a'
  return /^[aeiou]/.test(w) ? 'an' : 'a'
}

/** "a day", "an hour". */
function perUnit(unit: UnitName): string {
  return `${indefiniteArticle(unit.one)} ${unit.one}`
}

/** "1 to 9 days", "10 days or more", "5 days", "1 day". */
function rangeText(min: number, max: number | null, unit: UnitName): string {
  if (max === null) return `${countOf(min, unit)} or more`
  if (min === max) return countOf(min, unit)
  return `${formatCount(min)} to ${formatCount(max)} ${unit.other}`
}

/** A VAT rate in basis points as a percentage: 2000 → "20%", 1750 → "17.5%". */
function percent(basisPoints: number): string {
  return `${basisPoints / 100}%`
}

// ---------------------------------------------------------------------------
// Price data

/** Picks the school type's price from a pair. */
function priceFor(pair: PricePair, type: SchoolType): number {
  return type === 'maintained' ? pair.maintained : pair.academy
}

function isPence(n: unknown): boolean {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0
}

function isPricePair(pair: PricePair | null | undefined): boolean {
  return pair != null && isPence(pair.maintained) && isPence(pair.academy)
}

type Range = { min: number; max: number | null }

/** Sorts ranges (tiers or bands) by their lower bound, without changing the input. */
function sortedBy<T>(items: readonly T[], min: (item: T) => number): T[] {
  return [...items].sort((a, b) => min(a) - min(b))
}

/** Ranges must be whole numbers, min >= lowest, max null or >= min, no overlaps, only the last open-ended. */
function rangesProblem(ranges: Range[], lowest: number, what: string): string | null {
  let previous: Range | undefined
  for (const range of sortedBy(ranges, (r) => r.min)) {
    if (!Number.isSafeInteger(range.min) || range.min < lowest) {
      return `each ${what} must start at a whole number of at least ${lowest}`
    }
    if (range.max !== null && (!Number.isSafeInteger(range.max) || range.max < range.min)) {
      return `each ${what} must end at a whole number no lower than its start, or be open-ended`
    }
    if (previous && (previous.max === null || range.min <= previous.max)) {
      return `${what}s must not overlap`
    }
    previous = range
  }
  return null
}

/** The prices of an offer for one trading year (2026 means 2026/27), if it is on sale that year. */
export function pricesForYear(offer: PricedOffer, tradingYear: number): YearPrices | undefined {
  return offer.prices.find((p) => p.tradingYear === tradingYear)
}

/**
 * Checks that a year's prices make sense for a pricing model, for the admin
 * form and before quoting. Returns null when they do, otherwise a short
 * description of the first problem. Rules: every amount is whole pence >= 0;
 * per_pupil needs a per-pupil rate; pupil_banded needs at least one band;
 * tiers start at 1 or more, bands at 0 or more; tiers and bands do not overlap.
 */
export function checkYearPrices(model: PricingModel, prices: YearPrices): string | null {
  if (!isPricePair(prices.base)) return 'the base price must be whole pence, 0 or more'
  if (prices.minimumCharge !== null && !isPence(prices.minimumCharge)) {
    return 'the minimum charge must be whole pence, 0 or more'
  }
  switch (model) {
    case 'per_pupil':
      return isPricePair(prices.perPupil) ? null : 'the per-pupil rate must be set in whole pence, 0 or more'
    case 'per_unit':
      if (!prices.tiers.every((t) => isPricePair(t.unitPrice))) return 'each tier price must be whole pence, 0 or more'
      return rangesProblem(
        prices.tiers.map((t) => ({ min: t.minQuantity, max: t.maxQuantity })),
        1,
        'tier',
      )
    case 'pupil_banded':
      if (prices.bands.length === 0) return 'a pupil-banded price needs at least one band'
      if (!prices.bands.every((b) => isPricePair(b.price))) return 'each band price must be whole pence, 0 or more'
      return rangesProblem(
        prices.bands.map((b) => ({ min: b.minPupils, max: b.maxPupils })),
        0,
        'band',
      )
    case 'fixed':
    case 'per_place':
      return null
  }
}

// ---------------------------------------------------------------------------
// VAT

/**
 * The VAT rate and a plain-English note explaining it.
 * - standard: 20%, EXCEPT a maintained school buying from its own authority pays none;
 *   academies and maintained schools of another authority pay 20%;
 * - exempt and outside_scope: 0%, each with its own note.
 */
export function vatRateFor(
  offer: Pick<PricedOffer, 'authorityId' | 'vatCategory'>,
  school: Pick<PricedSchool, 'authorityId' | 'type'>,
): { basisPoints: number; note: string } {
  switch (offer.vatCategory) {
    case 'exempt':
      return { basisPoints: 0, note: 'No VAT: this service is exempt from VAT.' }
    case 'outside_scope':
      return { basisPoints: 0, note: 'No VAT: this service is outside the scope of VAT.' }
    case 'standard': {
      const rate = percent(STANDARD_VAT_BASIS_POINTS)
      if (school.type === 'academy') {
        return { basisPoints: STANDARD_VAT_BASIS_POINTS, note: `VAT at ${rate} applies: academies pay VAT on council services.` }
      }
      if (school.authorityId === offer.authorityId) {
        return { basisPoints: 0, note: 'No VAT: maintained schools buying from their own council pay no VAT.' }
      }
      return {
        basisPoints: STANDARD_VAT_BASIS_POINTS,
        note: `VAT at ${rate} applies: the school is maintained by another council.`,
      }
    }
  }
}

/** VAT in pence: net × rate, rounded to the nearest penny, halves up. */
export function vatOn(netPence: number, basisPoints: number): number {
  return Math.round((netPence * basisPoints) / 10_000)
}

// ---------------------------------------------------------------------------
// Quoting

function fail(reason: string): { ok: false; reason: string } {
  return { ok: false, reason }
}

/** The unit price before any minimum charge, with a phrase saying where it came from. */
type RawPrice = { ok: true; pence: number; basis: string | null } | { ok: false; reason: string }

/**
 * The price of one unit under each model, before the minimum charge:
 * - fixed: the base price per period;
 * - per_place: the base price per place;
 * - per_unit: the rate of the tier containing the TOTAL quantity (all units at
 *   that rate, not graduated), or the base price when there are no tiers;
 * - pupil_banded: the price of the band containing the pupil count (inclusive bounds);
 * - per_pupil: base + rate per pupil × pupil count.
 */
function rawUnitPrice(offer: PricedOffer, prices: YearPrices, school: PricedSchool, quantity: number): RawPrice {
  const type = school.type
  switch (offer.pricingModel) {
    case 'fixed':
    case 'per_place':
      return { ok: true, pence: priceFor(prices.base, type), basis: null }
    case 'per_unit': {
      if (prices.tiers.length === 0) return { ok: true, pence: priceFor(prices.base, type), basis: null }
      const tier = prices.tiers.find((t) => quantity >= t.minQuantity && (t.maxQuantity === null || quantity <= t.maxQuantity))
      if (!tier) {
        return {
          ok: false,
          reason: `There is no price for ${countOf(quantity, offer.unit)}: this package is sold in quantities of ${coveredQuantities(prices.tiers, offer.unit)}.`,
        }
      }
      return {
        ok: true,
        pence: priceFor(tier.unitPrice, type),
        basis: `the rate for ${rangeText(tier.minQuantity, tier.maxQuantity, offer.unit)}`,
      }
    }
    case 'pupil_banded': {
      const pupils = school.pupilCount
      const band = prices.bands.find((b) => pupils >= b.minPupils && (b.maxPupils === null || pupils <= b.maxPupils))
      if (!band) {
        return { ok: false, reason: `This package has no price for a school with ${countOf(pupils, PUPIL)}.` }
      }
      return {
        ok: true,
        pence: priceFor(band.price, type),
        basis: `the price for schools with ${rangeText(band.minPupils, band.maxPupils, PUPIL)}`,
      }
    }
    case 'per_pupil': {
      const base = priceFor(prices.base, type)
      // checkYearPrices guarantees perPupil is set for per_pupil.
      const rate = prices.perPupil ? priceFor(prices.perPupil, type) : 0
      const pupils = school.pupilCount
      return { ok: true, pence: base + rate * pupils, basis: `${perPupilText(base, rate)} for ${countOf(pupils, PUPIL)}` }
    }
  }
}

/** The quantities the tiers cover, touching tiers merged: "1 to 20 days", "1 to 5 days or 10 days or more". */
function coveredQuantities(tiers: QuantityTier[], unit: UnitName): string {
  const merged: Range[] = []
  for (const tier of sortedBy(tiers, (t) => t.minQuantity)) {
    const last = merged[merged.length - 1]
    if (last && last.max !== null && tier.minQuantity === last.max + 1) {
      last.max = tier.maxQuantity
    } else {
      merged.push({ min: tier.minQuantity, max: tier.maxQuantity })
    }
  }
  return merged.map((r) => rangeText(r.min, r.max, unit)).join(' or ')
}

/** "£400 plus £2.50 a pupil", "£2.50 a pupil" (no base fee), "£400" (no rate). */
function perPupilText(base: number, rate: number): string {
  if (rate === 0) return formatPence(base)
  if (base === 0) return `${formatPence(rate)} a pupil`
  return `${formatPence(base)} plus ${formatPence(rate)} a pupil`
}

/** A year's price worked out, before the explanation is written. */
type YearPrice =
  | {
      ok: true
      tradingYear: number
      quantity: number
      unitPricePence: number
      netPence: number
      vat: { basisPoints: number; note: string }
      /** " (the rate for 10 days or more)", or "". */
      detail: string
    }
  | { ok: false; reason: string }

/** The price of `quantity` units for a whole trading year (see quotePrice for the rules). */
function priceForYear(offer: PricedOffer, school: PricedSchool, quantity: number, tradingYear: number): YearPrice {
  const prices = pricesForYear(offer, tradingYear)
  if (!prices) return fail(`This package is not on sale for ${tradingYearLabel(tradingYear)}.`)

  if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
    return fail(`Quantity must be a whole number from 1 to ${formatCount(MAX_QUANTITY)}.`)
  }
  const needsPupils = offer.pricingModel === 'pupil_banded' || offer.pricingModel === 'per_pupil'
  if (needsPupils && !(Number.isSafeInteger(school.pupilCount) && school.pupilCount >= 0)) {
    return fail("This package is priced by number of pupils, and the school's pupil count is missing or not a whole number.")
  }
  if (checkYearPrices(offer.pricingModel, prices) !== null) {
    return fail('The prices for this package are not set up correctly. Please contact the service.')
  }

  const raw = rawUnitPrice(offer, prices, school, quantity)
  if (!raw.ok) return fail(raw.reason)

  const minimum = prices.minimumCharge
  const floored = minimum !== null && minimum > raw.pence
  const unitPricePence = floored ? minimum : raw.pence
  const netPence = unitPricePence * quantity
  if (!Number.isSafeInteger(raw.pence) || netPence > MAX_NET_PENCE) {
    return fail('The total is too large to price. Please contact the service.')
  }
  const detail = floored
    ? ` (the minimum charge; ${raw.basis ?? 'the usual price'} would be ${formatPence(raw.pence)})`
    : raw.basis
      ? ` (${raw.basis})`
      : ''
  return { ok: true, tradingYear, quantity, unitPricePence, netPence, vat: vatRateFor(offer, school), detail }
}

/** The quote for a net amount, its explanation the arithmetic given, then the VAT. */
function quoteOf(price: Extract<YearPrice, { ok: true }>, netPence: number, arithmetic: string): QuoteResult {
  const vatPence = vatOn(netPence, price.vat.basisPoints)
  const grossPence = netPence + vatPence
  const vatSum = price.vat.basisPoints > 0 ? `, plus ${formatPence(vatPence)} VAT = ${formatPence(grossPence)}` : ''
  return {
    ok: true,
    quote: {
      tradingYear: price.tradingYear,
      quantity: price.quantity,
      unitPricePence: price.unitPricePence,
      netPence,
      vatRateBasisPoints: price.vat.basisPoints,
      vatPence,
      grossPence,
      explanation: `${arithmetic} = ${formatPence(netPence)}${vatSum}. ${price.vat.note}`,
    },
  }
}

/** "3 days at £500 a day (the rate for 1 to 9 days)". */
function unitsArithmetic(offer: PricedOffer, price: Extract<YearPrice, { ok: true }>): string {
  return `${countOf(price.quantity, offer.unit)} at ${formatPence(price.unitPricePence)} ${perUnit(offer.unit)}${price.detail}`
}

/**
 * Prices `quantity` units of an offer for a school on a date.
 *
 * Rules:
 * - the date picks the trading year, and so the year's prices; none → not on sale;
 * - quantity must be a whole number from 1 to 10,000;
 * - the school type picks the maintained or academy price;
 * - the unit price comes from the pricing model (see rawUnitPrice), then the
 *   minimum charge, when set, is a floor on it;
 * - net = unit price × quantity; VAT = round(net × rate); gross = net + VAT;
 * - every amount is integer pence.
 * Never throws for bad data: it returns ok:false with a plain-English reason.
 * (An invalid financialYearStartMonth is a programming error and does throw.)
 */
export function quotePrice(
  offer: PricedOffer,
  school: PricedSchool,
  quantity: number,
  date: Date,
  financialYearStartMonth: number = DEFAULT_START_MONTH,
): QuoteResult {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) return fail('The date is not valid.')
  const tradingYear = tradingYearOf(date, financialYearStartMonth)
  if (!isTradingYear(tradingYear)) return fail('The date is not valid.')
  const price = priceForYear(offer, school, quantity, tradingYear)
  if (!price.ok) return price
  return quoteOf(price, price.netPence, unitsArithmetic(offer, price))
}

// ---------------------------------------------------------------------------
// Service periods

/**
 * What an offer's price buys: 'year' (a class a year, a membership: bought
 * from a chosen term to the end of the year), 'term' (lessons, instrument
 * hire: bought for a chosen term), 'quantity' (days, hours, sessions: valid
 * for the year) or 'course' (places on a dated course).
 */
export type SoldBy = 'year' | 'term' | 'quantity' | 'course'

/**
 * The period an order line covers, inside one trading year, and the terms
 * it is charged for (none for quantities and courses).
 */
export type ServicePeriod = { tradingYear: number; start: string; end: string; terms: Term[] }

/** "Spring term 2027" as it reads inside a sentence: "spring term 2027". */
function termInSentence(term: Term): string {
  const label = termLabel(term)
  return label.charAt(0).toLowerCase() + label.slice(1)
}

/** What is wrong with a period for an offer sold this way, or null. */
function periodProblem(soldBy: SoldBy, period: ServicePeriod, startMonth: number): string | null {
  if (!isTradingYear(period.tradingYear)) return 'The trading year is not valid.'
  const year = tradingYearLabel(period.tradingYear)
  if (!(period.start <= period.end)) return 'The period must start on or before the day it ends.'
  if (period.start < firstDayOfTradingYear(period.tradingYear, startMonth) || period.end > lastDayOfTradingYear(period.tradingYear, startMonth)) {
    return `The period must fall inside ${year}.`
  }
  const outside = period.terms.find((t) => t.tradingYear !== period.tradingYear)
  if (outside) return `The ${termInSentence(outside)} is not a term of ${year}.`
  if (soldBy === 'year' && (period.terms.length < 1 || period.terms.length > TERMS_PER_YEAR)) {
    return `A yearly package covers 1 to ${TERMS_PER_YEAR} terms of ${year}.`
  }
  if (soldBy === 'term' && period.terms.length !== 1) return 'This package is bought for one term at a time.'
  return null
}

/**
 * Prices `quantity` units of an offer for a school for a service period.
 * - 'year': the year's price, pro-rated by the whole terms covered (rounded
 *   to the penny), explained "£1,450 a class a year × 1 of 3 terms = £483.33";
 *   all three terms cost the year's price, explained as quotePrice does;
 * - 'term': the price is for one term, the term named in the explanation;
 * - 'quantity' and 'course': the year's price, as quotePrice.
 * A period outside its trading year, ending before it starts, or holding a
 * term of another year is refused with a plain-English reason.
 */
export function quotePeriod(
  offer: PricedOffer,
  school: PricedSchool,
  quantity: number,
  soldBy: SoldBy,
  period: ServicePeriod,
  startMonth: number = DEFAULT_START_MONTH,
): QuoteResult {
  const problem = periodProblem(soldBy, period, startMonth)
  if (problem) return fail(problem)
  const price = priceForYear(offer, school, quantity, period.tradingYear)
  if (!price.ok) return price
  const covered = period.terms.length
  if (soldBy === 'year' && covered < TERMS_PER_YEAR) {
    const per = offer.unit.one === 'year' ? 'a year' : `${perUnit(offer.unit)} a year`
    const units = price.quantity === 1 ? '' : `${countOf(price.quantity, offer.unit)} at `
    const arithmetic = `${units}${formatPence(price.unitPricePence)} ${per}${price.detail} × ${covered} of ${TERMS_PER_YEAR} terms`
    return quoteOf(price, proRataByTerms(price.netPence, covered), arithmetic)
  }
  if (soldBy === 'term') {
    return quoteOf(price, price.netPence, `${unitsArithmetic(offer, price)} for the ${termInSentence(period.terms[0]!)}`)
  }
  return quoteOf(price, price.netPence, unitsArithmetic(offer, price))
}

// ---------------------------------------------------------------------------
// Catalogue text

/** The lowest unit price the model can produce for a school type, before the minimum charge. */
function lowestPrice(offer: PricedOffer, prices: YearPrices, type: SchoolType): number {
  switch (offer.pricingModel) {
    case 'per_unit':
      return prices.tiers.length === 0 ? priceFor(prices.base, type) : Math.min(...prices.tiers.map((t) => priceFor(t.unitPrice, type)))
    case 'pupil_banded':
      return Math.min(...prices.bands.map((b) => priceFor(b.price, type)))
    case 'fixed':
    case 'per_place':
    case 'per_pupil':
      return priceFor(prices.base, type)
  }
}

/** One catalogue line for one school type (see describePricing). */
function describeFor(offer: PricedOffer, prices: YearPrices, type: SchoolType): string {
  const unit = offer.unit
  let text: string
  switch (offer.pricingModel) {
    case 'fixed':
      text = formatPence(priceFor(prices.base, type))
      break
    case 'per_place':
      text = `${formatPence(priceFor(prices.base, type))} ${perUnit(unit)}`
      break
    case 'per_unit':
      text =
        prices.tiers.length === 0
          ? `${formatPence(priceFor(prices.base, type))} ${perUnit(unit)}`
          : sortedBy(prices.tiers, (t) => t.minQuantity)
              .map((t, i) => {
                // After the first tier the unit is already named: "£500 a day for 10 or more".
                const range =
                  t.maxQuantity === null && i > 0 ? `${formatCount(t.minQuantity)} or more` : rangeText(t.minQuantity, t.maxQuantity, unit)
                return `${formatPence(priceFor(t.unitPrice, type))} ${perUnit(unit)} for ${range}`
              })
              .join(', ')
      break
    case 'pupil_banded':
      text = sortedBy(prices.bands, (b) => b.minPupils)
        .map((b, i) => {
          const range = rangeText(b.minPupils, b.maxPupils, PUPIL)
          return `${formatPence(priceFor(b.price, type))} for ${i === 0 ? 'schools with ' : ''}${range}`
        })
        .join(', ')
      break
    case 'per_pupil':
      text = perPupilText(priceFor(prices.base, type), prices.perPupil ? priceFor(prices.perPupil, type) : 0)
      break
  }
  const minimum = prices.minimumCharge
  if (minimum !== null && minimum > lowestPrice(offer, prices, type)) {
    text += `, at least ${formatPence(minimum)}`
  }
  return text
}

/**
 * Plain-English price lines for a catalogue page, for one trading year.
 * - no prices for the year → [];
 * - with a school type → one line with that type's prices;
 * - without one → one line when maintained and academy prices read the same,
 *   otherwise two lines, "Maintained schools: …" and "Academies: …";
 * - a minimum charge that can apply is shown as ", at least £X".
 * Throws when the year's prices are not valid (see checkYearPrices): a
 * catalogue must never show a wrong price.
 */
export function describePricing(offer: PricedOffer, tradingYear: number, schoolType?: SchoolType): string[] {
  const prices = pricesForYear(offer, tradingYear)
  if (!prices) return []
  const problem = checkYearPrices(offer.pricingModel, prices)
  if (problem !== null) throw new Error(`Invalid prices for trading year ${tradingYear}: ${problem}`)
  if (schoolType) return [describeFor(offer, prices, schoolType)]
  const maintained = describeFor(offer, prices, 'maintained')
  const academy = describeFor(offer, prices, 'academy')
  return maintained === academy ? [maintained] : [`Maintained schools: ${maintained}`, `Academies: ${academy}`]
}

// ---------------------------------------------------------------------------
// Prices in the catalogue list and for a signed-in school (issue 20)

/**
 * The least one unit of an offer costs in a trading year, net of VAT, or
 * null when it is not on sale that year or cannot be priced:
 * - for a school: its own price (its type, its pupil count, the minimum
 *   charge), at the cheapest quantity tier of a volume price;
 * - without a school: the least any school pays: the lower of the
 *   maintained and academy prices, the cheapest tier or band, and for a
 *   per-pupil price its base fee, each raised to the minimum charge.
 */
export function lowestUnitPrice(offer: PricedOffer, tradingYear: number, school?: PricedSchool): number | null {
  const prices = pricesForYear(offer, tradingYear)
  if (!prices || checkYearPrices(offer.pricingModel, prices) !== null) return null
  if (!school) {
    const floor = prices.minimumCharge ?? 0
    return Math.min(...(['maintained', 'academy'] as const).map((type) => Math.max(lowestPrice(offer, prices, type), floor)))
  }
  const quantities = offer.pricingModel === 'per_unit' && prices.tiers.length ? prices.tiers.map((t) => t.minQuantity) : [1]
  const units = quantities.map((q) => priceForYear(offer, school, q, tradingYear)).flatMap((p) => (p.ok ? [p.unitPricePence] : []))
  return units.length ? Math.min(...units) : null
}

/** A net price with the VAT a school pays on it. */
export type PriceWithVat = { netPence: number; vatPence: number; grossPence: number }

/** The VAT the school pays on a net price of the offer. */
export function withVat(offer: Pick<PricedOffer, 'authorityId' | 'vatCategory'>, school: PricedSchool, netPence: number): PriceWithVat {
  const vatPence = vatOn(netPence, vatRateFor(offer, school).basisPoints)
  return { netPence, vatPence, grossPence: netPence + vatPence }
}

/**
 * The offer's price for one school in words, VAT included where the school
 * pays it, or [] when it is not on sale that year or cannot be priced:
 * - priced by pupils (bands or per pupil): the school's own figure,
 *   "£2,340 a year for your school (412 pupils)";
 * - volume tiers: one line per tier, "£550 a day for 1 to 9 days";
 * - otherwise the price of one unit, "£295 a visit";
 * - with VAT: "£660 a day for 1 to 9 days including VAT (£550 + £110 VAT)".
 */
export function describeSchoolPrice(offer: PricedOffer, tradingYear: number, school: PricedSchool): string[] {
  const prices = pricesForYear(offer, tradingYear)
  if (!prices || checkYearPrices(offer.pricingModel, prices) !== null) return []
  const line = (quantity: number, what: string): string[] => {
    const price = priceForYear(offer, school, quantity, tradingYear)
    if (!price.ok) return []
    const { netPence, vatPence, grossPence } = withVat(offer, school, price.unitPricePence)
    const vat = vatPence === 0 ? '' : ` including VAT (${formatPence(netPence)} + ${formatPence(vatPence)} VAT)`
    return [`${formatPence(grossPence)} ${perUnit(offer.unit)}${what}${vat}`]
  }
  if (offer.pricingModel === 'per_unit' && prices.tiers.length) {
    return sortedBy(prices.tiers, (t) => t.minQuantity).flatMap((t) =>
      line(t.minQuantity, ` for ${rangeText(t.minQuantity, t.maxQuantity, offer.unit)}`),
    )
  }
  if (offer.pricingModel === 'pupil_banded' || offer.pricingModel === 'per_pupil') {
    return line(1, ` for your school (${countOf(school.pupilCount, PUPIL)})`)
  }
  return line(1, '')
}
