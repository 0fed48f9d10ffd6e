import { describe, expect, it } from 'vitest'
import {
  describeSchoolPrice,
  lowestUnitPrice,
  withVat,
  type PricedOffer,
  type PricedSchool,
  type PricePair,
  type PricingModel,
  type UnitName,
  type VatCategory,
  type YearPrices,
} from '~/domain/pricing'

const pair = (maintained: number, academy: number = maintained): PricePair => ({ maintained, academy })
const DAY: UnitName = { one: 'day', other: 'days' }
const YEAR: UnitName = { one: 'year', other: 'years' }

function offer(pricingModel: PricingModel, prices: Partial<YearPrices>, unit: UnitName = YEAR, vat: VatCategory = 'standard'): PricedOffer {
  return {
    authorityId: 'coventry',
    pricingModel,
    unit,
    vatCategory: vat,
    prices: [{ tradingYear: 2026, base: pair(0), perPupil: null, minimumCharge: null, tiers: [], bands: [], ...prices }],
  }
}

const maintained: PricedSchool = { authorityId: 'coventry', type: 'maintained', pupilCount: 412 }
const academy: PricedSchool = { authorityId: 'coventry', type: 'academy', pupilCount: 412 }
const small: PricedSchool = { authorityId: 'coventry', type: 'maintained', pupilCount: 60 }

const epDays = offer(
  'per_unit',
  {
    tiers: [
      { minQuantity: 1, maxQuantity: 9, unitPrice: pair(55_000) },
      { minQuantity: 10, maxQuantity: null, unitPrice: pair(50_000) },
    ],
  },
  DAY,
)
const banded = offer(
  'pupil_banded',
  {
    bands: [
      { minPupils: 0, maxPupils: 200, price: pair(76_500, 80_000) },
      { minPupils: 201, maxPupils: null, price: pair(122_400, 130_000) },
    ],
  },
  YEAR,
  'exempt',
)
const perPupil = offer('per_pupil', { base: pair(45_000), perPupil: pair(220, 235), minimumCharge: 80_000 })

describe('lowestUnitPrice: the "from" price of an offer', () => {
  it('is the cheapest tier or band, the lower school type, before VAT, for any school', () => {
    expect(lowestUnitPrice(epDays, 2026)).toBe(50_000)
    expect(lowestUnitPrice(banded, 2026)).toBe(76_500)
    expect(lowestUnitPrice(offer('fixed', { base: pair(173_400, 180_000) }), 2026)).toBe(173_400)
  })

  it('is a per-pupil price’s base fee, raised to the minimum charge', () => {
    expect(lowestUnitPrice(perPupil, 2026)).toBe(80_000)
    expect(lowestUnitPrice(offer('per_pupil', { base: pair(95_000), perPupil: pair(100) }), 2026)).toBe(95_000)
  })

  it('for a school is its own price: its type, its band, its pupils', () => {
    expect(lowestUnitPrice(epDays, 2026, academy)).toBe(50_000)
    expect(lowestUnitPrice(banded, 2026, academy)).toBe(130_000)
    expect(lowestUnitPrice(banded, 2026, small)).toBe(76_500)
    expect(lowestUnitPrice(perPupil, 2026, maintained)).toBe(45_000 + 220 * 412)
    expect(lowestUnitPrice(perPupil, 2026, small)).toBe(80_000)
  })

  it('is null when the offer is not on sale that year', () => {
    expect(lowestUnitPrice(epDays, 2030)).toBeNull()
    expect(lowestUnitPrice(epDays, 2030, academy)).toBeNull()
  })
})

describe('withVat', () => {
  it('adds VAT at 20% for an academy, none for a maintained school of the council', () => {
    expect(withVat(epDays, academy, 55_000)).toEqual({ netPence: 55_000, vatPence: 11_000, grossPence: 66_000 })
    expect(withVat(epDays, maintained, 55_000)).toEqual({ netPence: 55_000, vatPence: 0, grossPence: 55_000 })
  })
})

describe('describeSchoolPrice: an offer’s price for the signed-in school', () => {
  it('gives each tier with VAT included where the school pays it', () => {
    expect(describeSchoolPrice(epDays, 2026, academy)).toEqual([
      '£660 a day for 1 to 9 days including VAT (£550 + £110 VAT)',
      '£600 a day for 10 days or more including VAT (£500 + £100 VAT)',
    ])
    expect(describeSchoolPrice(epDays, 2026, maintained)).toEqual(['£550 a day for 1 to 9 days', '£500 a day for 10 days or more'])
  })

  it('gives the school’s own figure for banded and per-pupil prices, with its pupil count', () => {
    expect(describeSchoolPrice(banded, 2026, academy)).toEqual(['£1,300 a year for your school (412 pupils)'])
    expect(describeSchoolPrice(perPupil, 2026, maintained)).toEqual(['£1,356.40 a year for your school (412 pupils)'])
    expect(describeSchoolPrice(perPupil, 2026, academy)).toEqual([
      '£1,701.84 a year for your school (412 pupils) including VAT (£1,418.20 + £283.64 VAT)',
    ])
    // A small school pays the minimum charge.
    expect(describeSchoolPrice(perPupil, 2026, small)).toEqual(['£800 a year for your school (60 pupils)'])
  })

  it('says nothing when the offer is not on sale that year', () => {
    expect(describeSchoolPrice(epDays, 2030, academy)).toEqual([])
  })
})
