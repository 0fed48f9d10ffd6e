import { describe, expect, it } from 'vitest'
import {
  courseRemovalProblem,
  coursesFromRows,
  englandDateTime,
  poundsToPence,
  yearPricesFromInput,
  type PriceInput,
  type RangeRow,
} from '../../app/domain/offer-editing'
import { describePricing } from '../../app/domain/pricing'
import { EMPTY_COURSE, NEW_OFFER_VALUES, offerFormSchema, withRowChange } from '../../app/schemas/offers'

const row = (from: string, to: string, price: string, priceAcademy = ''): RangeRow => ({ from, to, price, priceAcademy })
const blank = row('', '', '')
const input = (over: Partial<PriceInput> = {}): PriceInput => ({
  price: '',
  priceAcademy: '',
  perPupil: '',
  perPupilAcademy: '',
  minimumCharge: '',
  tiers: [blank],
  bands: [blank],
  ...over,
})

describe('poundsToPence', () => {
  it('reads pounds, pence, commas and a pound sign as integer pence', () => {
    expect(poundsToPence('600', 'Price')).toBe(60_000)
    expect(poundsToPence('£1,234.5', 'Price')).toBe(123_450)
    expect(poundsToPence('0.07', 'Price')).toBe(7)
  })
  it('refuses negatives, words, three decimals and more than £1,000,000', () => {
    expect(poundsToPence('-5', 'Price')).toEqual({ problem: 'Price must be £0 or more' })
    expect(poundsToPence('six', 'Price')).toHaveProperty('problem')
    expect(poundsToPence('1.005', 'Price')).toHaveProperty('problem')
    expect(poundsToPence('1000000.01', 'Price')).toEqual({ problem: 'Price must be £1,000,000 or less' })
  })
})

describe('yearPricesFromInput', () => {
  it('per_unit with two tiers: 1–4 days £600, 5+ days £560; academy price blank means the same', () => {
    const result = yearPricesFromInput('per_unit', 2026, input({ tiers: [row('1', '4', '600'), row('5', '', '560', '580')] }), 'days')
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.prices.tiers).toEqual([
      { minQuantity: 1, maxQuantity: 4, unitPrice: { maintained: 60_000, academy: 60_000 } },
      { minQuantity: 5, maxQuantity: null, unitPrice: { maintained: 56_000, academy: 58_000 } },
    ])
    const offer = {
      authorityId: 'a',
      pricingModel: 'per_unit' as const,
      unit: { one: 'day', other: 'days' },
      vatCategory: 'standard' as const,
      prices: [result.prices],
    }
    expect(describePricing(offer, 2026, 'maintained')).toEqual(['£600 a day for 1 to 4 days, £560 a day for 5 or more'])
  })

  it('per_unit without tiers needs the flat price', () => {
    expect(yearPricesFromInput('per_unit', 2026, input(), 'days')).toEqual({ ok: false, problems: { price: 'Enter the price' } })
    const flat = yearPricesFromInput('per_unit', 2026, input({ price: '550', priceAcademy: '600' }), 'days')
    expect(flat.ok && flat.prices.base).toEqual({ maintained: 55_000, academy: 60_000 })
  })

  it('names the field of each problem in a tier', () => {
    const result = yearPricesFromInput('per_unit', 2026, input({ tiers: [row('0', 'x', ''), row('5', '3', '10')] }), 'days')
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(Object.keys(result.problems).sort()).toEqual(['tiers-0-from', 'tiers-0-price', 'tiers-0-to', 'tiers-1-to'])
    expect(result.problems['tiers-1-to']).toMatch(/must be 5 or more/)
  })

  it('refuses overlapping tiers and an open-ended tier before another', () => {
    const overlap = yearPricesFromInput('per_unit', 2026, input({ tiers: [row('1', '5', '600'), row('5', '', '560')] }), 'days')
    expect(overlap.ok).toBe(false)
    if (!overlap.ok) expect(overlap.problems['tiers-0-from']).toMatch(/must not overlap/)
    const open = yearPricesFromInput('per_unit', 2026, input({ tiers: [row('1', '', '600'), row('5', '', '560')] }), 'days')
    expect(open.ok).toBe(false)
  })

  it('pupil_banded needs a band; bands start at 0 or more', () => {
    expect(yearPricesFromInput('pupil_banded', 2026, input(), 'years')).toEqual({
      ok: false,
      problems: { 'bands-0-from': 'Enter at least one pupil band' },
    })
    const result = yearPricesFromInput('pupil_banded', 2026, input({ bands: [row('0', '100', '765'), row('101', '', '1,224', '1,300')] }), 'years')
    expect(result.ok && result.prices.bands).toEqual([
      { minPupils: 0, maxPupils: 100, price: { maintained: 76_500, academy: 76_500 } },
      { minPupils: 101, maxPupils: null, price: { maintained: 122_400, academy: 130_000 } },
    ])
    expect(result.ok && result.prices.base).toEqual({ maintained: 0, academy: 0 })
  })

  it('per_pupil: base optional, rate required, minimum charge kept', () => {
    expect(yearPricesFromInput('per_pupil', 2026, input(), 'years')).toEqual({ ok: false, problems: { perPupil: 'Enter the price per pupil' } })
    const result = yearPricesFromInput('per_pupil', 2026, input({ price: '400', perPupil: '2.50', minimumCharge: '500' }), 'years')
    expect(result.ok && result.prices).toMatchObject({
      base: { maintained: 40_000, academy: 40_000 },
      perPupil: { maintained: 250, academy: 250 },
      minimumCharge: 50_000,
      tiers: [],
      bands: [],
    })
  })

  it('fixed and per_place need the price; rows of other models are dropped', () => {
    expect(yearPricesFromInput('fixed', 2026, input({ priceAcademy: '10' }), 'years')).toEqual({
      ok: false,
      problems: { price: 'Enter the price' },
    })
    const result = yearPricesFromInput('per_place', 2027, input({ price: '95', tiers: [row('1', '', '1')] }), 'places')
    expect(result.ok && result.prices).toEqual({
      tradingYear: 2027,
      base: { maintained: 9_500, academy: 9_500 },
      perPupil: null,
      minimumCharge: null,
      tiers: [],
      bands: [],
    })
  })
})

describe('courses', () => {
  const course = { id: '', title: 'Team Teach', starts: '2027-01-12T09:30', ends: '2027-01-12T15:30', venue: 'Council House', places: '20' }

  it('reads times in England (GMT in winter, BST in summer)', () => {
    expect(englandDateTime('2027-01-12T09:30')?.toISOString()).toBe('2027-01-12T09:30:00.000Z')
    expect(englandDateTime('2027-06-12T09:30')?.toISOString()).toBe('2027-06-12T08:30:00.000Z')
    expect(englandDateTime('2027-02-30T09:30')).toBeNull()
    expect(englandDateTime('2027-01-12T25:00')).toBeNull()
  })

  it('reads a course row and skips blank rows', () => {
    const result = coursesFromRows([course, EMPTY_COURSE], new Map())
    expect(result.ok && result.courses).toEqual([
      {
        id: null,
        title: 'Team Teach',
        startsAt: new Date('2027-01-12T09:30:00Z'),
        endsAt: new Date('2027-01-12T15:30:00Z'),
        venue: 'Council House',
        places: 20,
      },
    ])
  })

  it('refuses an end before the start and missing fields, each on its input', () => {
    const result = coursesFromRows([{ ...course, ends: '2027-01-12T08:00', venue: '', places: '0' }], new Map())
    expect(result.ok).toBe(false)
    if (result.ok) return
    expect(result.problems).toEqual({
      'courses-0-ends': 'Course 1: the end must be after the start',
      'courses-0-venue': 'Course 1: enter the venue',
      'courses-0-places': 'Course 1: places must be 1 or more',
    })
  })

  it('never lets places fall below the places booked, and names the count', () => {
    const booked = new Map([['c1', 12]])
    const result = coursesFromRows([{ ...course, id: 'c1', places: '10' }], booked)
    expect(result).toEqual({ ok: false, problems: { 'courses-0-places': 'Course 1: 12 places are already booked, so it needs at least 12 places' } })
    expect(coursesFromRows([{ ...course, id: 'c1', places: '12' }], booked).ok).toBe(true)
  })

  it('a course with bookings cannot be removed', () => {
    expect(courseRemovalProblem(1, 3)).toBe('Course 2 cannot be removed: 3 places are booked on it')
    expect(courseRemovalProblem(0, 0)).toBeNull()
  })
})

describe('the form schema and its rows', () => {
  const valid = {
    ...NEW_OFFER_VALUES,
    name: 'EP days (extra)',
    pricingModel: 'per_unit',
    unitOne: 'day',
    unitOther: 'days',
    hoursPerUnit: '6.5',
    vatCategory: 'exempt',
    invoiceSchedule: 'on_delivery',
    tiers: [row('1', '4', '600'), row('5', '', '560')],
  }

  it('turns a valid form into the offer, the year’s prices and no courses', () => {
    const parsed = offerFormSchema(2026).safeParse(valid)
    expect(parsed.success).toBe(true)
    if (!parsed.success) return
    expect(parsed.data.fields).toMatchObject({
      name: 'EP days (extra)',
      pricingModel: 'per_unit',
      hoursPerUnit: 6.5,
      status: 'on_sale',
      cfrCode: null,
    })
    expect(parsed.data.prices.tiers).toHaveLength(2)
    expect(parsed.data.courses).toEqual([])
  })

  it('reports the missing fields, each by its input', () => {
    const parsed = offerFormSchema(2026).safeParse(NEW_OFFER_VALUES)
    expect(parsed.success).toBe(false)
    const paths = parsed.error!.issues.map((i) => String(i.path[0]))
    expect(paths).toEqual(expect.arrayContaining(['name', 'pricingModel', 'unitOne', 'unitOther', 'hoursPerUnit', 'vatCategory', 'invoiceSchedule']))
  })

  it('adds and removes rows, always keeping one', () => {
    const added = withRowChange(valid, { kind: 'add', rows: 'tiers' })
    expect(added.tiers).toHaveLength(3)
    const removed = withRowChange(valid, { kind: 'remove', rows: 'tiers', index: 0 })
    expect(removed.tiers).toEqual([row('5', '', '560')])
    expect(withRowChange(removed, { kind: 'remove', rows: 'tiers', index: 0 }).tiers).toEqual([blank])
  })
})
