/**
 * The offer editor's rules, pure: the rows a service lead types (prices,
 * volume tiers, pupil bands, courses) turned into the pricing module's
 * YearPrices and into course rows, each problem keyed by the id of the input
 * it belongs to ('tiers-1-price'), so that the GOV.UK error summary links to it.
 */
import { ukStartOfDay, isIsoDate } from './dates'
import { checkYearPrices, type PricePair, type PricingModel, type YearPrices } from './pricing'

/** Rows of one kind a form may hold: enough for any real price list, few enough to stay small. */
export const MAX_ROWS = 20
/** The largest price the editor takes: £1,000,000. */
export const MAX_PRICE_PENCE = 100_000_000
/** The largest bound of a tier or band, and the most places on a course. */
export const MAX_BOUND = 100_000

/** A tier (quantities) or a band (pupils) as typed: from, to (blank: no upper limit), price, price for academies (blank: the same). */
export type RangeRow = { from: string; to: string; price: string; priceAcademy: string }
/** A course as typed; id is set for a course already saved. Times are 'YYYY-MM-DDTHH:MM' in England. */
export type CourseRow = { id: string; title: string; starts: string; ends: string; venue: string; places: string }

export type PriceInput = {
  price: string
  priceAcademy: string
  perPupil: string
  perPupilAcademy: string
  minimumCharge: string
  tiers: RangeRow[]
  bands: RangeRow[]
}

export type Problems = Record<string, string>

export type CourseValue = { id: string | null; title: string; startsAt: Date; endsAt: Date; venue: string; places: number }

const POUNDS = /^(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$/
const WHOLE = /^(\d{1,3}(,\d{3})+|\d+)$/

/** "£1,234.50", "600", "600.5" → pence; a sentence naming `what` when it is not an amount. */
export function poundsToPence(raw: string, what: string): number | { problem: string } {
  const v = raw.trim().replace(/^£\s*/, '')
  if (/^-/.test(v)) return { problem: `${what} must be £0 or more` }
  if (!POUNDS.test(v)) return { problem: `${what} must be an amount in pounds, like 600 or 600.50` }
  const [poundsText = '0', penceText = ''] = v.replaceAll(',', '').split('.')
  const pounds = poundsText.replace(/^0+(?=\d)/, '')
  if (pounds.length > 9) return { problem: `${what} must be £1,000,000 or less` }
  const pence = Number(pounds) * 100 + Number(penceText.padEnd(2, '0'))
  return pence > MAX_PRICE_PENCE ? { problem: `${what} must be £1,000,000 or less` } : pence
}

/** A whole number from `min` to MAX_BOUND, commas allowed; a sentence naming `what` otherwise. */
export function wholeNumber(raw: string, what: string, min: number): number | { problem: string } {
  const v = raw.trim()
  if (!WHOLE.test(v)) return { problem: `${what} must be a whole number, like ${Math.max(min, 1) * 5}` }
  const n = Number(v.replaceAll(',', ''))
  if (n < min) return { problem: `${what} must be ${min} or more` }
  if (n > MAX_BOUND) return { problem: `${what} must be ${MAX_BOUND.toLocaleString('en-GB')} or less` }
  return n
}

function isProblem<T>(value: T | { problem: string }): value is { problem: string } {
  return typeof value === 'object' && value !== null && 'problem' in value
}

/** A price for maintained schools and, optionally, a different one for academies. */
function pricePair(maintained: string, academy: string, field: string, what: string, problems: Problems, required: boolean): PricePair | null {
  if (maintained.trim() === '') {
    if (required) problems[field] = `Enter ${what.toLowerCase()}`
    else if (academy.trim() !== '') problems[field] = `Enter ${what.toLowerCase()} for maintained schools as well`
    return null
  }
  const m = poundsToPence(maintained, what)
  if (isProblem(m)) {
    problems[field] = m.problem
    return null
  }
  if (academy.trim() === '') return { maintained: m, academy: m }
  const a = poundsToPence(academy, `${what} for academies`)
  if (isProblem(a)) {
    problems[`${field}Academy`] = a.problem
    return null
  }
  return { maintained: m, academy: a }
}

/** A row is blank when nothing was typed in it: blank rows are ignored. */
export function isBlankRow(row: Record<string, string>, ignore: string[] = ['id']): boolean {
  return Object.entries(row).every(([k, v]) => ignore.includes(k) || v.trim() === '')
}

type Range = { min: number; max: number | null; price: PricePair }

function rangeRows(rows: RangeRow[], prefix: 'tiers' | 'bands', lowest: number, unitWord: string, problems: Problems): Range[] {
  const out: Range[] = []
  rows.forEach((row, i) => {
    if (isBlankRow(row)) return
    const n = i + 1
    const name = prefix === 'tiers' ? `Tier ${n}` : `Band ${n}`
    const from = wholeNumber(row.from, `${name}: from`, lowest)
    if (isProblem(from)) problems[`${prefix}-${i}-from`] = row.from.trim() === '' ? `${name}: enter the first number of ${unitWord}` : from.problem
    const to = row.to.trim() === '' ? null : wholeNumber(row.to, `${name}: to`, lowest)
    if (isProblem(to)) problems[`${prefix}-${i}-to`] = to.problem
    const price = pricePair(row.price, row.priceAcademy, `${prefix}-${i}-price`, `${name}: the price`, problems, true)
    if (isProblem(from) || isProblem(to) || !price) return
    if (to !== null && to < from) {
      problems[`${prefix}-${i}-to`] = `${name}: “to” must be ${from} or more, or blank for no upper limit`
      return
    }
    out.push({ min: from, max: to, price })
  })
  return out
}

/** Tiers or bands must not overlap, and only the last may be open-ended: the first clash is named. */
function overlapProblem(ranges: Range[], name: string): string | null {
  const sorted = [...ranges].sort((a, b) => a.min - b.min)
  for (let i = 1; i < sorted.length; i++) {
    const previous = sorted[i - 1]!
    if (previous.max === null || sorted[i]!.min <= previous.max) {
      return `${name}s must not overlap: the ${name.toLowerCase()} from ${sorted[i]!.min} starts inside the one from ${previous.min}`
    }
  }
  return null
}

/**
 * Turns the typed prices of one trading year into the pricing module's
 * YearPrices for the model, and checks them with checkYearPrices.
 * - fixed, per_place: "Price" is required (the price per period or place);
 * - per_unit: tiers, or else "Price" (a flat price a unit);
 * - pupil_banded: at least one band; "Price" is not used;
 * - per_pupil: "Price" is the base (blank: none), the rate per pupil is
 *   required, the minimum charge optional;
 * - a blank academy price means the same as the maintained one;
 * - rows left wholly blank are ignored; rows of other models are dropped.
 */
export function yearPricesFromInput(
  model: PricingModel,
  tradingYear: number,
  input: PriceInput,
  unitOther: string,
): { ok: true; prices: YearPrices } | { ok: false; problems: Problems } {
  const problems: Problems = {}
  const zero: PricePair = { maintained: 0, academy: 0 }
  let base: PricePair | null = zero
  let perPupil: PricePair | null = null
  let minimumCharge: number | null = null
  let tiers: Range[] = []
  let bands: Range[] = []

  switch (model) {
    case 'fixed':
    case 'per_place':
      base = pricePair(input.price, input.priceAcademy, 'price', 'The price', problems, true)
      break
    case 'per_unit': {
      tiers = rangeRows(input.tiers, 'tiers', 1, unitOther || 'units', problems)
      const anyTier = input.tiers.some((r) => !isBlankRow(r))
      base = anyTier && input.price.trim() === '' ? zero : pricePair(input.price, input.priceAcademy, 'price', 'The price', problems, !anyTier)
      const overlap = overlapProblem(tiers, 'Tier')
      if (overlap) problems['tiers-0-from'] ??= overlap
      break
    }
    case 'pupil_banded': {
      bands = rangeRows(input.bands, 'bands', 0, 'pupils', problems)
      if (!input.bands.some((r) => !isBlankRow(r))) problems['bands-0-from'] = 'Enter at least one pupil band'
      const overlap = overlapProblem(bands, 'Band')
      if (overlap) problems['bands-0-from'] ??= overlap
      break
    }
    case 'per_pupil': {
      base =
        input.price.trim() === '' && input.priceAcademy.trim() === ''
          ? zero
          : pricePair(input.price, input.priceAcademy, 'price', 'The base price', problems, true)
      perPupil = pricePair(input.perPupil, input.perPupilAcademy, 'perPupil', 'The price per pupil', problems, true)
      break
    }
  }
  if (input.minimumCharge.trim() !== '') {
    const min = poundsToPence(input.minimumCharge, 'The minimum charge')
    if (isProblem(min)) problems.minimumCharge = min.problem
    else minimumCharge = min
  }
  if (Object.keys(problems).length > 0 || !base) return { ok: false, problems }

  const prices: YearPrices = {
    tradingYear,
    base,
    perPupil,
    minimumCharge,
    tiers: tiers.map((t) => ({ minQuantity: t.min, maxQuantity: t.max, unitPrice: t.price })),
    bands: bands.map((b) => ({ minPupils: b.min, maxPupils: b.max, price: b.price })),
  }
  const problem = checkYearPrices(model, prices)
  if (problem) return { ok: false, problems: { price: `The prices are not valid: ${problem}` } }
  return { ok: true, prices }
}

const LOCAL_DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})$/

/** 'YYYY-MM-DDTHH:MM' read as a time in England; null when it is not one. */
export function englandDateTime(raw: string): Date | null {
  const m = LOCAL_DATE_TIME.exec(raw.trim())
  if (!m || !isIsoDate(m[1]!)) return null
  const hours = Number(m[2])
  const minutes = Number(m[3])
  if (hours > 23 || minutes > 59) return null
  return new Date(ukStartOfDay(m[1]!).getTime() + (hours * 60 + minutes) * 60_000)
}

/**
 * Reads the course rows of a per_place offer. Each non-blank row needs a
 * title, a start and an end (end after start), a venue and a number of places
 * of at least 1 and at least the places already booked on it (`booked`, by
 * course id): places are never reduced below what schools have booked.
 */
export function coursesFromRows(
  rows: CourseRow[],
  booked: ReadonlyMap<string, number>,
): { ok: true; courses: CourseValue[] } | { ok: false; problems: Problems } {
  const problems: Problems = {}
  const courses: CourseValue[] = []
  rows.forEach((row, i) => {
    if (isBlankRow(row)) return
    const name = `Course ${i + 1}`
    const at = (field: string) => `courses-${i}-${field}`
    const title = row.title.trim()
    if (!title) problems[at('title')] = `${name}: enter the title`
    else if (title.length > 200) problems[at('title')] = `${name}: the title must be 200 characters or fewer`
    const startsAt = englandDateTime(row.starts)
    const endsAt = englandDateTime(row.ends)
    if (!startsAt) problems[at('starts')] = `${name}: enter the start as a date and time, like 2027-01-12 09:30`
    if (!endsAt) problems[at('ends')] = `${name}: enter the end as a date and time, like 2027-01-12 15:30`
    else if (startsAt && endsAt <= startsAt) problems[at('ends')] = `${name}: the end must be after the start`
    const venue = row.venue.trim()
    if (!venue) problems[at('venue')] = `${name}: enter the venue`
    else if (venue.length > 200) problems[at('venue')] = `${name}: the venue must be 200 characters or fewer`
    const places = wholeNumber(row.places, `${name}: places`, 1)
    const taken = row.id ? (booked.get(row.id) ?? 0) : 0
    if (isProblem(places)) problems[at('places')] = row.places.trim() === '' ? `${name}: enter the number of places` : places.problem
    else if (places < taken) {
      problems[at('places')] = `${name}: ${taken} ${taken === 1 ? 'place is' : 'places are'} already booked, so it needs at least ${taken} places`
    }
    if (
      title &&
      startsAt &&
      endsAt &&
      venue &&
      !isProblem(places) &&
      !problems[at('places')] &&
      !problems[at('ends')] &&
      !problems[at('title')] &&
      !problems[at('venue')]
    ) {
      courses.push({ id: row.id || null, title, startsAt, endsAt, venue, places })
    }
  })
  return Object.keys(problems).length > 0 ? { ok: false, problems } : { ok: true, courses }
}

/** Why a saved course cannot be taken off the offer (it has bookings), or null when it can. */
export function courseRemovalProblem(index: number, bookedPlaces: number): string | null {
  if (bookedPlaces <= 0) return null
  return `Course ${index + 1} cannot be removed: ${bookedPlaces} ${bookedPlaces === 1 ? 'place is' : 'places are'} booked on it`
}
