import { describe, it, expect } from 'vitest'
import {
  checkYearPrices,
  describePricing,
  indefiniteArticle,
  MAX_QUANTITY,
  pricesForYear,
  quotePrice,
  vatRateFor,
  type PricedOffer,
  type PricedSchool,
  type PricePair,
  type PricingModel,
  type Quote,
  type QuoteResult,
  type UnitName,
  type VatCategory,
  type YearPrices,
} from '../../app/domain/pricing'
import { formatPence } from '../../app/domain/money'

// ---------------------------------------------------------------------------
// Fixtures

const COVENTRY = 'coventry'
const WARWICKSHIRE = 'warwickshire'

const pair = (maintained: number, academy: number = maintained): PricePair => ({ maintained, academy })

const DAY: UnitName = { one: 'day', other: 'days' }
const YEAR: UnitName = { one: 'year', other: 'years' }
const PLACE: UnitName = { one: 'place', other: 'places' }
const HOUR: UnitName = { one: 'hour', other: 'hours' }
const CLASS: UnitName = { one: 'class', other: 'classes' }
const INSTRUMENT: UnitName = { one: 'instrument', other: 'instruments' }

/** A maintained primary of the selling authority (Elm Bank, 420 pupils). */
const elmBank: PricedSchool = { authorityId: COVENTRY, type: 'maintained', pupilCount: 420 }
/** An academy in the selling authority's area (Foleshill Park, 1,150 pupils). */
const foleshill: PricedSchool = { authorityId: COVENTRY, type: 'academy', pupilCount: 1150 }
/** A maintained school of another authority. */
const outOfArea: PricedSchool = { authorityId: WARWICKSHIRE, type: 'maintained', pupilCount: 300 }

/** A date in trading year 2026/27. */
const IN_2026 = new Date('2026-09-01T09:00:00Z')

function yearPrices(overrides: Partial<YearPrices> = {}): YearPrices {
  return { tradingYear: 2026, base: pair(0), perPupil: null, minimumCharge: null, tiers: [], bands: [], ...overrides }
}

function offer(
  pricingModel: PricingModel,
  prices: Partial<YearPrices> | YearPrices[],
  unit: UnitName = YEAR,
  vatCategory: VatCategory = 'standard',
): PricedOffer {
  return {
    authorityId: COVENTRY,
    pricingModel,
    unit,
    vatCategory,
    prices: Array.isArray(prices) ? prices : [yearPrices(prices)],
  }
}

/** Educational Psychology: £550/day for 1–9 days, £500/day for 10+. */
const epOffer = offer(
  'per_unit',
  {
    tiers: [
      { minQuantity: 1, maxQuantity: 9, unitPrice: pair(55000) },
      { minQuantity: 10, maxQuantity: null, unitPrice: pair(50000) },
    ],
  },
  DAY,
)
/** Governor training: £765 for 1–100 pupils, £1,224 for 101+. */
const governorTraining = offer('pupil_banded', {
  bands: [
    { minPupils: 1, maxPupils: 100, price: pair(76500) },
    { minPupils: 101, maxPupils: null, price: pair(122400) },
  ],
})
/** Clerking agreement: £1,734 a year. */
const clerking = offer('fixed', { base: pair(173400) })
/** A per-pupil subscription: £400 plus £2.50 a pupil, at least £900. */
const subscription = offer('per_pupil', { base: pair(40000), perPupil: pair(250), minimumCharge: 90000 })
/** Course places at £95 each. */
const coursePlaces = offer('per_place', { base: pair(9500) }, PLACE)
/** Instrumental lessons at £45 an hour. */
const lessons = offer('per_unit', { base: pair(4500) }, HOUR)

function expectQuote(result: QuoteResult): Quote {
  if (!result.ok) throw new Error(`expected a quote, got: ${result.reason}`)
  return result.quote
}

function expectRefusal(result: QuoteResult): string {
  if (result.ok) throw new Error(`expected a refusal, got: ${result.quote.explanation}`)
  return result.reason
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner)
    Object.freeze(value)
  }
  return value
}

/** A small seeded random generator (mulberry32) so the property tests are repeatable. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

// ---------------------------------------------------------------------------

describe('quotePrice: the date picks the trading year', () => {
  const twoYears = offer('fixed', [yearPrices({ tradingYear: 2025, base: pair(160000) }), yearPrices({ tradingYear: 2026, base: pair(173400) })])

  it('the date picks the trading year and so the prices', () => {
    const march = expectQuote(quotePrice(twoYears, elmBank, 1, new Date('2026-03-31T23:59:59Z')))
    expect(march.tradingYear).toBe(2025)
    expect(march.netPence).toBe(160000)
    const april = expectQuote(quotePrice(twoYears, elmBank, 1, new Date('2026-04-01T00:00:00Z')))
    expect(april.tradingYear).toBe(2026)
    expect(april.netPence).toBe(173400)
    const nextMarch = expectQuote(quotePrice(twoYears, elmBank, 1, new Date('2027-03-31T12:00:00Z')))
    expect(nextMarch.tradingYear).toBe(2026)
  })

  it('no prices for the year: not on sale for that year', () => {
    expect(expectRefusal(quotePrice(twoYears, elmBank, 1, new Date('2028-06-01T00:00:00Z')))).toBe('This package is not on sale for 2028/29.')
    expect(expectRefusal(quotePrice(twoYears, elmBank, 1, new Date('2025-03-31T00:00:00Z')))).toBe('This package is not on sale for 2024/25.')
  })

  it("the authority's financial year start month picks the year", () => {
    // With a September start, 1 June 2026 is still in 2025/26.
    const june = expectQuote(quotePrice(twoYears, elmBank, 1, new Date('2026-06-01T00:00:00Z'), 9))
    expect(june.tradingYear).toBe(2025)
    expect(june.netPence).toBe(160000)
  })

  it('an invalid date is refused', () => {
    expect(expectRefusal(quotePrice(twoYears, elmBank, 1, new Date('nonsense')))).toBe('The date is not valid.')
  })
})

describe('quotePrice: quantity must be a positive whole number up to 10,000', () => {
  const bad = [0, -1, -10, 1.5, 0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 10_001, Number.MAX_SAFE_INTEGER + 1]
  for (const quantity of bad) {
    it(`quantity ${String(quantity)} is refused`, () => {
      expect(expectRefusal(quotePrice(epOffer, elmBank, quantity, IN_2026))).toBe('Quantity must be a whole number from 1 to 10,000.')
    })
  }

  it('quantities 1 and 10,000 are accepted', () => {
    expect(MAX_QUANTITY).toBe(10_000)
    expect(expectQuote(quotePrice(epOffer, elmBank, 1, IN_2026)).quantity).toBe(1)
    const most = expectQuote(quotePrice(epOffer, elmBank, 10_000, IN_2026))
    expect(most.netPence).toBe(500_000_000)
    expect(most.explanation).toContain('10,000 days')
  })
})

describe('quotePrice: school type picks the maintained or academy price', () => {
  const cases: Array<[string, PricedOffer, number]> = [
    ['fixed', offer('fixed', { base: pair(100000, 120000) }), 1],
    ['per_place', offer('per_place', { base: pair(9500, 11000) }, PLACE), 1],
    ['per_unit flat', offer('per_unit', { base: pair(4500, 5000) }, HOUR), 1],
    ['per_unit tiers', offer('per_unit', { tiers: [{ minQuantity: 1, maxQuantity: null, unitPrice: pair(55000, 60000) }] }, DAY), 1],
    ['pupil_banded', offer('pupil_banded', { bands: [{ minPupils: 0, maxPupils: null, price: pair(76500, 80000) }] }), 1],
    ['per_pupil', offer('per_pupil', { base: pair(10000, 20000), perPupil: pair(100, 200) }), 1],
  ]
  for (const [name, o] of cases) {
    it(`${name}: a maintained school pays the maintained price and an academy the academy price`, () => {
      const school = { authorityId: WARWICKSHIRE, pupilCount: 100 } // both pay VAT, so only the price differs
      const m = expectQuote(quotePrice(o, { ...school, type: 'maintained' }, 1, IN_2026))
      const a = expectQuote(quotePrice(o, { ...school, type: 'academy' }, 1, IN_2026))
      const p = o.prices[0]!
      const expected =
        name === 'per_unit tiers'
          ? p.tiers[0]!.unitPrice
          : name === 'pupil_banded'
            ? p.bands[0]!.price
            : name === 'per_pupil'
              ? pair(p.base.maintained + 100 * p.perPupil!.maintained, p.base.academy + 100 * p.perPupil!.academy)
              : p.base
      expect(m.unitPricePence).toBe(expected.maintained)
      expect(a.unitPricePence).toBe(expected.academy)
    })
  }
})

describe('quotePrice: fixed', () => {
  it('fixed: the unit price is the base price and net is base × number of periods', () => {
    const one = expectQuote(quotePrice(clerking, elmBank, 1, IN_2026))
    expect(one.unitPricePence).toBe(173400)
    expect(one.netPence).toBe(173400)
    const two = expectQuote(quotePrice(clerking, elmBank, 2, IN_2026))
    expect(two.unitPricePence).toBe(173400)
    expect(two.netPence).toBe(346800)
  })

  it('fixed: the explanation names the period', () => {
    expect(expectQuote(quotePrice(clerking, elmBank, 1, IN_2026)).explanation).toBe(
      '1 year at £1,734 a year = £1,734. No VAT: maintained schools buying from their own council pay no VAT.',
    )
  })
})

describe('quotePrice: per_unit', () => {
  it('per_unit with tiers: all units are charged at the rate of the tier containing the total quantity (not graduated)', () => {
    expect(expectQuote(quotePrice(epOffer, elmBank, 3, IN_2026)).netPence).toBe(165000)
    expect(expectQuote(quotePrice(epOffer, elmBank, 9, IN_2026)).netPence).toBe(495000)
    const ten = expectQuote(quotePrice(epOffer, elmBank, 10, IN_2026))
    expect(ten.unitPricePence).toBe(50000)
    expect(ten.netPence).toBe(500000) // not 9 × £550 + 1 × £500
    expect(expectQuote(quotePrice(epOffer, elmBank, 25, IN_2026)).netPence).toBe(1250000)
  })

  it('per_unit with tiers: tier bounds are inclusive', () => {
    const tiers = offer(
      'per_unit',
      {
        tiers: [
          { minQuantity: 1, maxQuantity: 4, unitPrice: pair(300) },
          { minQuantity: 5, maxQuantity: 9, unitPrice: pair(200) },
          { minQuantity: 10, maxQuantity: 10, unitPrice: pair(100) },
        ],
      },
      DAY,
    )
    const unit = (q: number) => expectQuote(quotePrice(tiers, elmBank, q, IN_2026)).unitPricePence
    expect([1, 4, 5, 9, 10].map(unit)).toEqual([300, 300, 200, 200, 100])
  })

  it('per_unit with tiers: a quantity in no tier is refused, saying which quantities are sold', () => {
    const capped = offer(
      'per_unit',
      {
        tiers: [
          { minQuantity: 1, maxQuantity: 9, unitPrice: pair(55000) },
          { minQuantity: 10, maxQuantity: 20, unitPrice: pair(50000) },
        ],
      },
      DAY,
    )
    expect(expectRefusal(quotePrice(capped, elmBank, 21, IN_2026))).toBe(
      'There is no price for 21 days: this package is sold in quantities of 1 to 20 days.',
    )
    const gappy = offer(
      'per_unit',
      {
        tiers: [
          { minQuantity: 10, maxQuantity: null, unitPrice: pair(50000) },
          { minQuantity: 2, maxQuantity: 5, unitPrice: pair(55000) },
        ],
      },
      DAY,
    )
    expect(expectRefusal(quotePrice(gappy, elmBank, 1, IN_2026))).toBe(
      'There is no price for 1 day: this package is sold in quantities of 2 to 5 days or 10 days or more.',
    )
    expect(expectRefusal(quotePrice(gappy, elmBank, 7, IN_2026))).toContain('7 days')
  })

  it('per_unit with tiers: tiers stored out of order still pick the tier containing the quantity', () => {
    const reversed = offer('per_unit', { tiers: [...epOffer.prices[0]!.tiers].reverse() }, DAY)
    expect(expectQuote(quotePrice(reversed, elmBank, 3, IN_2026)).unitPricePence).toBe(55000)
    expect(expectQuote(quotePrice(reversed, elmBank, 12, IN_2026)).unitPricePence).toBe(50000)
  })

  it('per_unit without tiers: net is base × quantity', () => {
    const q = expectQuote(quotePrice(lessons, elmBank, 12, IN_2026))
    expect(q.unitPricePence).toBe(4500)
    expect(q.netPence).toBe(54000)
  })

  it('per_unit: the base price is ignored when there are tiers', () => {
    const withBase = offer('per_unit', { ...epOffer.prices[0]!, base: pair(99999) }, DAY)
    expect(expectQuote(quotePrice(withBase, elmBank, 3, IN_2026)).unitPricePence).toBe(55000)
  })
})

describe('quotePrice: pupil_banded', () => {
  const price = (pupilCount: number) => expectQuote(quotePrice(governorTraining, { ...elmBank, pupilCount }, 1, IN_2026)).unitPricePence

  it('pupil_banded: the band containing the pupil count gives the price per period (inclusive bounds)', () => {
    expect(price(1)).toBe(76500)
    expect(price(100)).toBe(76500)
    expect(price(101)).toBe(122400)
  })

  it('pupil_banded: a band with no upper bound covers any larger school', () => {
    expect(price(1150)).toBe(122400)
    expect(price(1_000_000)).toBe(122400)
  })

  it('pupil_banded: net is the band price × number of periods', () => {
    expect(expectQuote(quotePrice(governorTraining, elmBank, 2, IN_2026)).netPence).toBe(244800)
  })

  it('pupil_banded: no band for the pupil count is refused, naming the pupil count', () => {
    expect(expectRefusal(quotePrice(governorTraining, { ...elmBank, pupilCount: 0 }, 1, IN_2026))).toBe(
      'This package has no price for a school with 0 pupils.',
    )
    const capped = offer('pupil_banded', { bands: [{ minPupils: 1, maxPupils: 200, price: pair(76500) }] })
    expect(expectRefusal(quotePrice(capped, { ...elmBank, pupilCount: 1250 }, 1, IN_2026))).toBe(
      'This package has no price for a school with 1,250 pupils.',
    )
  })

  it('pupil_banded: the base price is ignored', () => {
    const withBase = offer('pupil_banded', { ...governorTraining.prices[0]!, base: pair(1) })
    expect(expectQuote(quotePrice(withBase, elmBank, 1, IN_2026)).unitPricePence).toBe(122400)
  })

  it('pupil_banded: the explanation names the band', () => {
    expect(expectQuote(quotePrice(governorTraining, foleshill, 1, IN_2026)).explanation).toBe(
      '1 year at £1,224 a year (the price for schools with 101 pupils or more) = £1,224, plus £244.80 VAT = £1,468.80. ' +
        'VAT at 20% applies: academies pay VAT on council services.',
    )
  })
})

describe('quotePrice: per_pupil', () => {
  it('per_pupil: the unit price is base + rate × pupil count', () => {
    const q = expectQuote(quotePrice(subscription, elmBank, 1, IN_2026))
    expect(q.unitPricePence).toBe(40000 + 250 * 420)
    expect(q.netPence).toBe(145000)
    expect(q.explanation).toBe(
      '1 year at £1,450 a year (£400 plus £2.50 a pupil for 420 pupils) = £1,450. ' +
        'No VAT: maintained schools buying from their own council pay no VAT.',
    )
  })

  it('per_pupil: the minimum charge is a floor on the unit price', () => {
    const q = expectQuote(quotePrice(subscription, { ...elmBank, pupilCount: 100 }, 1, IN_2026))
    expect(q.unitPricePence).toBe(90000)
    expect(q.explanation).toBe(
      '1 year at £900 a year (the minimum charge; £400 plus £2.50 a pupil for 100 pupils would be £650) = £900. ' +
        'No VAT: maintained schools buying from their own council pay no VAT.',
    )
  })

  it('per_pupil: a price exactly at the minimum charge is not described as the minimum', () => {
    const q = expectQuote(quotePrice(subscription, { ...elmBank, pupilCount: 200 }, 1, IN_2026))
    expect(q.unitPricePence).toBe(90000)
    expect(q.explanation).not.toContain('minimum')
  })

  it('per_pupil: without a minimum charge the floor is 0', () => {
    const noMinimum = offer('per_pupil', { base: pair(40000), perPupil: pair(250), minimumCharge: null })
    expect(expectQuote(quotePrice(noMinimum, { ...elmBank, pupilCount: 0 }, 1, IN_2026)).unitPricePence).toBe(40000)
    const rateOnly = offer('per_pupil', { base: pair(0), perPupil: pair(250) })
    const q = expectQuote(quotePrice(rateOnly, { ...elmBank, pupilCount: 1 }, 1, IN_2026))
    expect(q.unitPricePence).toBe(250)
    expect(q.explanation).toContain('(£2.50 a pupil for 1 pupil)')
  })

  it('per_pupil: a per-pupil offer with no per-pupil rate is refused as not set up', () => {
    const broken = offer('per_pupil', { base: pair(40000), perPupil: null })
    expect(expectRefusal(quotePrice(broken, elmBank, 1, IN_2026))).toBe(
      'The prices for this package are not set up correctly. Please contact the service.',
    )
  })
})

describe('quotePrice: pupil count', () => {
  it('pupil-based models refuse a pupil count that is not a whole number of 0 or more', () => {
    for (const pupilCount of [Number.NaN, -1, 12.5, Number.POSITIVE_INFINITY]) {
      for (const o of [governorTraining, subscription]) {
        expect(expectRefusal(quotePrice(o, { ...elmBank, pupilCount }, 1, IN_2026))).toBe(
          "This package is priced by number of pupils, and the school's pupil count is missing or not a whole number.",
        )
      }
    }
  })

  it('other models do not need the pupil count', () => {
    for (const o of [clerking, epOffer, coursePlaces, lessons]) {
      expect(quotePrice(o, { ...elmBank, pupilCount: Number.NaN }, 1, IN_2026).ok).toBe(true)
    }
  })
})

describe('quotePrice: per_place', () => {
  it('per_place: the unit price is the base per place and net is base × places', () => {
    const q = expectQuote(quotePrice(coursePlaces, elmBank, 3, IN_2026))
    expect(q.unitPricePence).toBe(9500)
    expect(q.netPence).toBe(28500)
    expect(q.explanation).toBe('3 places at £95 a place = £285. No VAT: maintained schools buying from their own council pay no VAT.')
  })
})

describe('quotePrice: minimum charge', () => {
  it('the minimum charge, when set, is a floor on the unit price for any model', () => {
    const floorOf = (o: PricedOffer) => expectQuote(quotePrice(o, elmBank, 2, IN_2026))
    const fixed = floorOf(offer('fixed', { base: pair(1000), minimumCharge: 5000 }))
    expect([fixed.unitPricePence, fixed.netPence]).toEqual([5000, 10000])
    const place = floorOf(offer('per_place', { base: pair(1000), minimumCharge: 5000 }, PLACE))
    expect([place.unitPricePence, place.netPence]).toEqual([5000, 10000])
    const flat = floorOf(offer('per_unit', { base: pair(1000), minimumCharge: 5000 }, HOUR))
    expect([flat.unitPricePence, flat.netPence]).toEqual([5000, 10000])
    const tiered = floorOf(offer('per_unit', { minimumCharge: 5000, tiers: [{ minQuantity: 1, maxQuantity: null, unitPrice: pair(1000) }] }, DAY))
    expect([tiered.unitPricePence, tiered.netPence]).toEqual([5000, 10000])
    const banded = floorOf(offer('pupil_banded', { minimumCharge: 5000, bands: [{ minPupils: 0, maxPupils: null, price: pair(1000) }] }))
    expect([banded.unitPricePence, banded.netPence]).toEqual([5000, 10000])
  })

  it('the minimum charge is explained with the price it replaced', () => {
    const flat = offer('per_unit', { base: pair(1000), minimumCharge: 5000 }, HOUR)
    expect(expectQuote(quotePrice(flat, elmBank, 2, IN_2026)).explanation).toBe(
      '2 hours at £50 an hour (the minimum charge; the usual price would be £10) = £100. ' +
        'No VAT: maintained schools buying from their own council pay no VAT.',
    )
    const tiered = offer('per_unit', { minimumCharge: 5000, tiers: [{ minQuantity: 1, maxQuantity: 9, unitPrice: pair(1000) }] }, DAY)
    expect(expectQuote(quotePrice(tiered, elmBank, 2, IN_2026)).explanation).toContain('(the minimum charge; the rate for 1 to 9 days would be £10)')
  })

  it('a minimum charge below the price changes nothing', () => {
    const o = offer('fixed', { base: pair(173400), minimumCharge: 100 })
    const q = expectQuote(quotePrice(o, elmBank, 1, IN_2026))
    expect(q.unitPricePence).toBe(173400)
    expect(q.explanation).not.toContain('minimum')
  })
})

describe('vatRateFor', () => {
  it('standard: a maintained school buying from its own authority pays no VAT', () => {
    expect(vatRateFor({ authorityId: COVENTRY, vatCategory: 'standard' }, elmBank)).toEqual({
      basisPoints: 0,
      note: 'No VAT: maintained schools buying from their own council pay no VAT.',
    })
  })

  it('standard: an academy pays 20%', () => {
    expect(vatRateFor({ authorityId: COVENTRY, vatCategory: 'standard' }, foleshill)).toEqual({
      basisPoints: 2000,
      note: 'VAT at 20% applies: academies pay VAT on council services.',
    })
    const elsewhere = vatRateFor({ authorityId: COVENTRY, vatCategory: 'standard' }, { authorityId: WARWICKSHIRE, type: 'academy' })
    expect(elsewhere.basisPoints).toBe(2000)
  })

  it('standard: a maintained school of another authority pays 20%', () => {
    expect(vatRateFor({ authorityId: COVENTRY, vatCategory: 'standard' }, outOfArea)).toEqual({
      basisPoints: 2000,
      note: 'VAT at 20% applies: the school is maintained by another council.',
    })
  })

  it('exempt: no VAT for anyone, with an "exempt from VAT" note', () => {
    for (const school of [elmBank, foleshill, outOfArea]) {
      expect(vatRateFor({ authorityId: COVENTRY, vatCategory: 'exempt' }, school)).toEqual({
        basisPoints: 0,
        note: 'No VAT: this service is exempt from VAT.',
      })
    }
  })

  it('outside_scope: no VAT for anyone, with an "outside the scope of VAT" note', () => {
    for (const school of [elmBank, foleshill, outOfArea]) {
      expect(vatRateFor({ authorityId: COVENTRY, vatCategory: 'outside_scope' }, school)).toEqual({
        basisPoints: 0,
        note: 'No VAT: this service is outside the scope of VAT.',
      })
    }
  })
})

describe('quotePrice: VAT', () => {
  it('the quote applies the VAT rate from vatRateFor to the net price', () => {
    expect(expectQuote(quotePrice(epOffer, elmBank, 3, IN_2026))).toMatchObject({ vatRateBasisPoints: 0, vatPence: 0, grossPence: 165000 })
    expect(expectQuote(quotePrice(epOffer, foleshill, 3, IN_2026))).toMatchObject({ vatRateBasisPoints: 2000, vatPence: 33000, grossPence: 198000 })
    expect(expectQuote(quotePrice(epOffer, outOfArea, 3, IN_2026))).toMatchObject({ vatRateBasisPoints: 2000, vatPence: 33000, grossPence: 198000 })
    const exempt = { ...epOffer, vatCategory: 'exempt' as const }
    expect(expectQuote(quotePrice(exempt, foleshill, 3, IN_2026))).toMatchObject({ vatRateBasisPoints: 0, vatPence: 0, grossPence: 165000 })
  })

  it('VAT in pence is net × rate rounded to the nearest penny, and gross is net + VAT', () => {
    // At 20%, VAT is net / 5: 1p → 0.2 → 0p, 3p → 0.6 → 1p, 12p → 2.4 → 2p, 13p → 2.6 → 3p, 24,999p → 4,999.8 → 5,000p.
    const cases: Array<[number, number]> = [
      [0, 0],
      [1, 0],
      [2, 0],
      [3, 1],
      [12, 2],
      [13, 3],
      [24_999, 5_000],
      [12_345, 2_469],
    ]
    for (const [net, vat] of cases) {
      const q = expectQuote(quotePrice(offer('fixed', { base: pair(net) }), foleshill, 1, IN_2026))
      expect(q.vatPence).toBe(vat)
      expect(q.grossPence).toBe(net + vat)
    }
  })
})

describe('quotePrice: explanation', () => {
  it('the explanation gives the arithmetic and the VAT note in plain English', () => {
    expect(expectQuote(quotePrice(epOffer, elmBank, 3, IN_2026)).explanation).toBe(
      '3 days at £550 a day (the rate for 1 to 9 days) = £1,650. No VAT: maintained schools buying from their own council pay no VAT.',
    )
  })

  it('the explanation shows the VAT and the total when VAT applies', () => {
    expect(expectQuote(quotePrice(epOffer, foleshill, 10, IN_2026)).explanation).toBe(
      '10 days at £500 a day (the rate for 10 days or more) = £5,000, plus £1,000 VAT = £6,000. ' +
        'VAT at 20% applies: academies pay VAT on council services.',
    )
  })

  it('the explanation uses the singular unit name for 1 and the plural otherwise', () => {
    expect(expectQuote(quotePrice(epOffer, elmBank, 1, IN_2026)).explanation).toMatch(/^1 day at £550 a day /)
    expect(expectQuote(quotePrice(epOffer, elmBank, 2, IN_2026)).explanation).toMatch(/^2 days at £550 a day /)
    const music = offer('per_unit', { base: pair(145000) }, CLASS)
    expect(expectQuote(quotePrice(music, elmBank, 1, IN_2026)).explanation).toMatch(/^1 class at £1,450 a class = £1,450\./)
    expect(expectQuote(quotePrice(music, elmBank, 3, IN_2026)).explanation).toMatch(/^3 classes at £1,450 a class = £4,350\./)
  })

  it('the explanation uses "an" before vowel sounds and "a" otherwise', () => {
    expect(expectQuote(quotePrice(lessons, elmBank, 2, IN_2026)).explanation).toMatch(/^2 hours at £45 an hour = £90\./)
    const hire = offer('per_unit', { base: pair(3000) }, INSTRUMENT)
    expect(expectQuote(quotePrice(hire, elmBank, 1, IN_2026)).explanation).toMatch(/^1 instrument at £30 an instrument = £30\./)
  })

  it('the explanation says the VAT note for exempt and outside-scope services', () => {
    const exempt = { ...clerking, vatCategory: 'exempt' as const }
    expect(expectQuote(quotePrice(exempt, foleshill, 1, IN_2026)).explanation).toBe(
      '1 year at £1,734 a year = £1,734. No VAT: this service is exempt from VAT.',
    )
    const outside = { ...clerking, vatCategory: 'outside_scope' as const }
    expect(expectQuote(quotePrice(outside, foleshill, 1, IN_2026)).explanation).toBe(
      '1 year at £1,734 a year = £1,734. No VAT: this service is outside the scope of VAT.',
    )
  })
})

describe('quotePrice: prices that are not set up correctly', () => {
  const notSetUp = 'The prices for this package are not set up correctly. Please contact the service.'
  const cases: Array<[string, PricedOffer]> = [
    ['a fractional price', offer('fixed', { base: pair(100.5) })],
    ['a negative price', offer('fixed', { base: pair(-100) })],
    ['a NaN academy price', offer('per_place', { base: pair(100, Number.NaN) }, PLACE)],
    ['a fractional minimum charge', offer('fixed', { base: pair(100), minimumCharge: 0.5 })],
    ['a fractional per-pupil rate', offer('per_pupil', { base: pair(100), perPupil: pair(2.5) })],
    ['a fractional tier price', offer('per_unit', { tiers: [{ minQuantity: 1, maxQuantity: null, unitPrice: pair(1.1) }] }, DAY)],
    [
      'overlapping tiers',
      offer(
        'per_unit',
        {
          tiers: [
            { minQuantity: 1, maxQuantity: 10, unitPrice: pair(55000) },
            { minQuantity: 10, maxQuantity: null, unitPrice: pair(50000) },
          ],
        },
        DAY,
      ),
    ],
    ['a tier starting at 0', offer('per_unit', { tiers: [{ minQuantity: 0, maxQuantity: 9, unitPrice: pair(1) }] }, DAY)],
    ['a tier ending before it starts', offer('per_unit', { tiers: [{ minQuantity: 5, maxQuantity: 4, unitPrice: pair(1) }] }, DAY)],
    ['a pupil-banded offer with no bands', offer('pupil_banded', { bands: [] })],
    [
      'overlapping bands',
      offer('pupil_banded', {
        bands: [
          { minPupils: 1, maxPupils: null, price: pair(76500) },
          { minPupils: 101, maxPupils: null, price: pair(122400) },
        ],
      }),
    ],
    ['a fractional band bound', offer('pupil_banded', { bands: [{ minPupils: 0.5, maxPupils: null, price: pair(1) }] })],
  ]
  for (const [name, o] of cases) {
    it(`${name} is refused with a plain reason rather than a wrong price`, () => {
      expect(expectRefusal(quotePrice(o, elmBank, 1, IN_2026))).toBe(notSetUp)
      expect(checkYearPrices(o.pricingModel, o.prices[0]!)).toEqual(expect.any(String))
    })
  }

  it('an impossibly large total is refused', () => {
    const huge = offer('fixed', { base: pair(Number.MAX_SAFE_INTEGER) })
    expect(expectRefusal(quotePrice(huge, elmBank, 1, IN_2026))).toBe('The total is too large to price. Please contact the service.')
    const hugePerPupil = offer('per_pupil', { base: pair(0), perPupil: pair(Number.MAX_SAFE_INTEGER) })
    expect(expectRefusal(quotePrice(hugePerPupil, elmBank, 1, IN_2026))).toBe('The total is too large to price. Please contact the service.')
  })
})

describe('checkYearPrices', () => {
  it('accepts valid prices for every model', () => {
    for (const o of [epOffer, governorTraining, clerking, subscription, coursePlaces, lessons]) {
      expect(checkYearPrices(o.pricingModel, o.prices[0]!)).toBeNull()
    }
  })

  it('only checks tiers for per_unit and bands for pupil_banded', () => {
    const junkTiers = yearPrices({ base: pair(100), tiers: [{ minQuantity: 5, maxQuantity: 1, unitPrice: pair(-1) }] })
    expect(checkYearPrices('fixed', junkTiers)).toBeNull()
    expect(checkYearPrices('per_unit', junkTiers)).not.toBeNull()
    expect(checkYearPrices('fixed', yearPrices({ bands: [] }))).toBeNull()
  })

  it('allows touching but not overlapping ranges, and only the last open-ended', () => {
    const tiers = (ranges: Array<[number, number | null]>) =>
      yearPrices({ tiers: ranges.map(([minQuantity, maxQuantity]) => ({ minQuantity, maxQuantity, unitPrice: pair(1) })) })
    expect(
      checkYearPrices(
        'per_unit',
        tiers([
          [1, 9],
          [10, null],
        ]),
      ),
    ).toBeNull()
    expect(
      checkYearPrices(
        'per_unit',
        tiers([
          [10, null],
          [1, 9],
        ]),
      ),
    ).toBeNull()
    expect(
      checkYearPrices(
        'per_unit',
        tiers([
          [1, 5],
          [10, 20],
        ]),
      ),
    ).toBeNull()
    expect(
      checkYearPrices(
        'per_unit',
        tiers([
          [1, 9],
          [9, null],
        ]),
      ),
    ).toBe('tiers must not overlap')
    expect(
      checkYearPrices(
        'per_unit',
        tiers([
          [1, null],
          [10, null],
        ]),
      ),
    ).toBe('tiers must not overlap')
  })
})

describe('pricesForYear', () => {
  it('returns the prices for the trading year, or undefined when not on sale', () => {
    const o = offer('fixed', [yearPrices({ tradingYear: 2025, base: pair(1) }), yearPrices({ tradingYear: 2026, base: pair(2) })])
    expect(pricesForYear(o, 2025)?.base.maintained).toBe(1)
    expect(pricesForYear(o, 2026)?.base.maintained).toBe(2)
    expect(pricesForYear(o, 2027)).toBeUndefined()
  })
})

describe('describePricing', () => {
  it('per_unit with tiers: "£550 a day for 1 to 9 days, £500 a day for 10 or more"', () => {
    expect(describePricing(epOffer, 2026)).toEqual(['£550 a day for 1 to 9 days, £500 a day for 10 or more'])
  })

  it('per_unit with tiers: tiers are described in order however they are stored', () => {
    const reversed = offer('per_unit', { tiers: [...epOffer.prices[0]!.tiers].reverse() }, DAY)
    expect(describePricing(reversed, 2026)).toEqual(['£550 a day for 1 to 9 days, £500 a day for 10 or more'])
  })

  it('per_unit with tiers: bounded and single-quantity tiers', () => {
    const o = offer(
      'per_unit',
      {
        tiers: [
          { minQuantity: 1, maxQuantity: 1, unitPrice: pair(60000) },
          { minQuantity: 2, maxQuantity: 9, unitPrice: pair(55000) },
          { minQuantity: 10, maxQuantity: 20, unitPrice: pair(50000) },
        ],
      },
      DAY,
    )
    expect(describePricing(o, 2026)).toEqual(['£600 a day for 1 day, £550 a day for 2 to 9 days, £500 a day for 10 to 20 days'])
  })

  it('pupil_banded: "£765 for schools with 1 to 100 pupils, £1,224 for 101 pupils or more"', () => {
    expect(describePricing(governorTraining, 2026)).toEqual(['£765 for schools with 1 to 100 pupils, £1,224 for 101 pupils or more'])
  })

  it('per_pupil: "£400 plus £2.50 a pupil, at least £900"', () => {
    expect(describePricing(subscription, 2026)).toEqual(['£400 plus £2.50 a pupil, at least £900'])
  })

  it('per_pupil: without a base fee or minimum, just the rate', () => {
    expect(describePricing(offer('per_pupil', { perPupil: pair(250) }), 2026)).toEqual(['£2.50 a pupil'])
  })

  it('fixed: just the price, "£1,734"', () => {
    expect(describePricing(clerking, 2026)).toEqual(['£1,734'])
  })

  it('per_place: "£95 a place"', () => {
    expect(describePricing(coursePlaces, 2026)).toEqual(['£95 a place'])
  })

  it('per_unit flat: "£45 an hour"', () => {
    expect(describePricing(lessons, 2026)).toEqual(['£45 an hour'])
  })

  it('uses "an" before vowel sounds and "a" otherwise', () => {
    expect(describePricing(offer('per_unit', { base: pair(3000) }, INSTRUMENT), 2026)).toEqual(['£30 an instrument'])
    expect(describePricing(offer('per_unit', { base: pair(145000) }, CLASS), 2026)).toEqual(['£1,450 a class'])
    expect(describePricing(offer('per_unit', { base: pair(1000) }, { one: 'unit', other: 'units' }), 2026)).toEqual(['£10 a unit'])
    expect(describePricing(offer('per_unit', { base: pair(1000) }, { one: 'half-day', other: 'half-days' }), 2026)).toEqual(['£10 a half-day'])
  })

  it('a minimum charge is shown only when it can apply', () => {
    expect(describePricing(offer('per_unit', { base: pair(1000), minimumCharge: 5000 }, HOUR), 2026)).toEqual(['£10 an hour, at least £50'])
    expect(describePricing(offer('per_unit', { base: pair(1000), minimumCharge: 500 }, HOUR), 2026)).toEqual(['£10 an hour'])
    expect(describePricing(offer('per_pupil', { base: pair(100000), perPupil: pair(250), minimumCharge: 90000 }), 2026)).toEqual([
      '£1,000 plus £2.50 a pupil',
    ])
  })

  it("with a school type, describes only that type's prices", () => {
    const o = offer('fixed', { base: pair(173400, 208000) })
    expect(describePricing(o, 2026, 'maintained')).toEqual(['£1,734'])
    expect(describePricing(o, 2026, 'academy')).toEqual(['£2,080'])
  })

  it('without a school type, different maintained and academy prices give two prefixed lines', () => {
    const o = offer(
      'per_unit',
      {
        tiers: [
          { minQuantity: 1, maxQuantity: 9, unitPrice: pair(55000) },
          { minQuantity: 10, maxQuantity: null, unitPrice: pair(50000, 52000) },
        ],
      },
      DAY,
    )
    expect(describePricing(o, 2026)).toEqual([
      'Maintained schools: £550 a day for 1 to 9 days, £500 a day for 10 or more',
      'Academies: £550 a day for 1 to 9 days, £520 a day for 10 or more',
    ])
    const subs = offer('per_pupil', { base: pair(40000), perPupil: pair(250, 300), minimumCharge: 90000 })
    expect(describePricing(subs, 2026)).toEqual([
      'Maintained schools: £400 plus £2.50 a pupil, at least £900',
      'Academies: £400 plus £3 a pupil, at least £900',
    ])
  })

  it('without a school type, the same prices for both give one line', () => {
    expect(describePricing(epOffer, 2026)).toHaveLength(1)
    // A difference only in a field the model ignores does not count.
    expect(describePricing(offer('pupil_banded', { ...governorTraining.prices[0]!, base: pair(0, 5) }), 2026)).toEqual([
      '£765 for schools with 1 to 100 pupils, £1,224 for 101 pupils or more',
    ])
  })

  it('no prices for the year gives no lines', () => {
    expect(describePricing(epOffer, 2028)).toEqual([])
    expect(describePricing(epOffer, 2028, 'academy')).toEqual([])
  })

  it('throws on prices that are not set up correctly, so a catalogue never shows a wrong price', () => {
    expect(() => describePricing(offer('fixed', { base: pair(1.5) }), 2026)).toThrow(/Invalid prices/)
  })
})

describe('indefiniteArticle', () => {
  it('uses "an" before vowel sounds and "a" otherwise', () => {
    const cases: Array<[string, 'a' | 'an']> = [
      ['hour', 'an'],
      ['instrument', 'an'],
      ['assessment', 'an'],
      ['evening', 'an'],
      ['observation', 'an'],
      ['day', 'a'],
      ['class', 'a'],
      ['place', 'a'],
      ['year', 'a'],
      ['session', 'a'],
      ['term', 'a'],
      ['unit', 'a'],
      ['user', 'a'],
      ['one-to-one session', 'a'],
      ['half-day', 'a'],
      ['honour', 'an'],
    ]
    for (const [word, article] of cases) expect(indefiniteArticle(word), word).toBe(article)
  })
})

describe('purity', () => {
  it('quoting and describing never change the offer', () => {
    const frozen = deepFreeze(structuredClone(epOffer))
    expect(quotePrice(frozen, elmBank, 3, IN_2026).ok).toBe(true)
    expect(quotePrice(frozen, elmBank, 30_000, IN_2026).ok).toBe(false)
    expect(describePricing(frozen, 2026)).toHaveLength(1)
    expect(frozen).toEqual(epOffer)
  })
})

describe('property: every amount is integer pence', () => {
  /** Random offers of every model with valid prices, quoted for random schools and quantities. */
  it('every quote is whole pence and adds up, for many random offers, schools and quantities (seed 20260401)', () => {
    const random = seededRandom(20260401)
    const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1))
    const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!
    const pence = () => (random() < 0.3 ? int(0, 100) * 100 : int(0, 500_000))
    const randomPair = () => (random() < 0.5 ? pair(pence()) : pair(pence(), pence()))
    const models: PricingModel[] = ['fixed', 'per_unit', 'pupil_banded', 'per_pupil', 'per_place']
    const units = [DAY, YEAR, PLACE, HOUR, CLASS, INSTRUMENT]
    const vatCategories: VatCategory[] = ['standard', 'exempt', 'outside_scope']
    let quotes = 0

    for (let i = 0; i < 3000; i++) {
      const model = pick(models)
      // Contiguous tiers or bands starting at 1 (tiers) or 0 (bands), the last one usually open-ended.
      const ranges = (first: number) => {
        const out: Array<{ min: number; max: number | null }> = []
        let min = first
        const count = int(1, 4)
        for (let k = 0; k < count; k++) {
          const max = k === count - 1 && random() < 0.8 ? null : min + int(0, 400)
          out.push({ min, max })
          if (max === null) break
          min = max + 1
        }
        return out
      }
      const prices = yearPrices({
        base: randomPair(),
        perPupil: model === 'per_pupil' ? randomPair() : null,
        minimumCharge: random() < 0.4 ? pence() : null,
        tiers:
          model === 'per_unit' && random() < 0.7 ? ranges(1).map((r) => ({ minQuantity: r.min, maxQuantity: r.max, unitPrice: randomPair() })) : [],
        bands: model === 'pupil_banded' ? ranges(0).map((r) => ({ minPupils: r.min, maxPupils: r.max, price: randomPair() })) : [],
      })
      const o = offer(model, prices, pick(units), pick(vatCategories))
      const school: PricedSchool = {
        authorityId: random() < 0.7 ? COVENTRY : WARWICKSHIRE,
        type: random() < 0.5 ? 'maintained' : 'academy',
        pupilCount: int(0, 2000),
      }
      const quantity = random() < 0.8 ? int(1, 30) : int(1, MAX_QUANTITY)
      const date = new Date(Date.UTC(2026, 3, 1) + int(0, 364) * 86_400_000 + int(0, 86_399_999))

      expect(checkYearPrices(model, prices)).toBeNull()
      const result = quotePrice(o, school, quantity, date)
      if (!result.ok) {
        expect(result.reason).toMatch(/^[A-Z].*\.$/)
        continue
      }
      quotes++
      const q = result.quote
      for (const value of [q.unitPricePence, q.netPence, q.vatRateBasisPoints, q.vatPence, q.grossPence]) {
        expect(Number.isInteger(value)).toBe(true)
        expect(value).toBeGreaterThanOrEqual(0)
      }
      const vat = vatRateFor(o, school)
      expect(q.tradingYear).toBe(2026)
      expect(q.quantity).toBe(quantity)
      expect(q.netPence).toBe(q.unitPricePence * quantity)
      expect(q.unitPricePence).toBeGreaterThanOrEqual(prices.minimumCharge ?? 0)
      expect(q.vatRateBasisPoints).toBe(vat.basisPoints)
      expect(q.vatPence).toBe(Math.round((q.netPence * vat.basisPoints) / 10_000))
      expect(q.grossPence).toBe(q.netPence + q.vatPence)
      expect(q.explanation).toContain(`= ${formatPence(q.netPence)}`)
      expect(q.explanation.endsWith(vat.note)).toBe(true)
      expect(q.explanation.split(/(?<=\.) (?=[A-Z])/)).toHaveLength(2)
      const lines = describePricing(o, 2026)
      expect(lines.length === 1 || lines.length === 2).toBe(true)
      expect(describePricing(o, 2026, school.type)).toHaveLength(1)
    }
    expect(quotes).toBeGreaterThan(2000)
  })
})
