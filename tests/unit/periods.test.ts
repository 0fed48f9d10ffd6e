import { describe, expect, it } from 'vitest'
import { quotePeriod, type PricedOffer, type PricedSchool, type ServicePeriod } from '~/domain/pricing'
import { choosePeriod, parseStartFrom, renewalPeriod, soldByOf, startFromChoices, yearsOnSale } from '~/domain/periods'
import type { Term } from '~/domain/terms'

// Coventry's demo terms for 2026/27 and 2027/28.
const terms: Term[] = [
  { tradingYear: 2026, name: 'summer', startsOn: '2026-04-13', endsOn: '2026-07-22' },
  { tradingYear: 2026, name: 'autumn', startsOn: '2026-09-02', endsOn: '2026-12-18' },
  { tradingYear: 2026, name: 'spring', startsOn: '2027-01-05', endsOn: '2027-03-26' },
  { tradingYear: 2027, name: 'summer', startsOn: '2027-04-12', endsOn: '2027-07-21' },
  { tradingYear: 2027, name: 'autumn', startsOn: '2027-09-01', endsOn: '2027-12-17' },
  { tradingYear: 2027, name: 'spring', startsOn: '2028-01-05', endsOn: '2028-03-24' },
]
const spring2027 = terms[2]!
const autumn2026 = terms[1]!

const prices = (tradingYear: number, base: number) => ({
  tradingYear,
  base: { maintained: base, academy: base },
  perPupil: null,
  minimumCharge: null,
  tiers: [],
  bands: [],
})
const classes: PricedOffer = {
  authorityId: 'cov',
  pricingModel: 'per_unit',
  unit: { one: 'class', other: 'classes' },
  vatCategory: 'standard',
  prices: [prices(2026, 145_000), prices(2027, 149_400)],
}
const hire: PricedOffer = { ...classes, unit: { one: 'instrument', other: 'instruments' }, prices: [prices(2026, 3_000)] }
const clerking: PricedOffer = { ...classes, pricingModel: 'fixed', unit: { one: 'year', other: 'years' }, prices: [prices(2026, 300_000)] }
const maintained: PricedSchool = { authorityId: 'cov', type: 'maintained', pupilCount: 300 }
const academy: PricedSchool = { ...maintained, type: 'academy' }

const period = (start: string, end: string, covered: Term[], tradingYear = 2026): ServicePeriod => ({ tradingYear, start, end, terms: covered })

describe('service periods: pricing a period', () => {
  it('a yearly price bought for one of three terms is a third, rounded to the penny, and says so', () => {
    const q = quotePeriod(classes, maintained, 1, 'year', period('2027-01-05', '2027-03-31', [spring2027]))
    expect(q.ok && q.quote.netPence).toBe(48_333)
    expect(q.ok && q.quote.explanation).toContain('£1,450 a class a year × 1 of 3 terms = £483.33')
  })

  it('two of three terms of a yearly price are two thirds, VAT on the pro-rated amount', () => {
    const q = quotePeriod(classes, academy, 2, 'year', period('2026-09-02', '2027-03-31', [autumn2026, spring2027]))
    if (!q.ok) throw new Error(q.reason)
    expect(q.quote.netPence).toBe(193_333)
    expect(q.quote.vatPence).toBe(38_667)
    expect(q.quote.explanation).toContain('2 classes at £1,450 a class a year × 2 of 3 terms = £1,933.33')
  })

  it('a yearly price for the whole year is the year’s price', () => {
    const q = quotePeriod(classes, maintained, 1, 'year', period('2026-04-01', '2027-03-31', terms.slice(0, 3)))
    expect(q.ok && q.quote.netPence).toBe(145_000)
  })

  it('a price by the year whose unit is a year does not say “a year” twice', () => {
    const q = quotePeriod(clerking, maintained, 1, 'year', period('2027-01-05', '2027-03-31', [spring2027]))
    expect(q.ok && q.quote.explanation).toContain('£3,000 a year × 1 of 3 terms = £1,000')
  })

  it('a per-term price is charged once for the term chosen, which the explanation names', () => {
    const q = quotePeriod(hire, maintained, 3, 'term', period('2027-01-05', '2027-03-26', [spring2027]))
    expect(q.ok && q.quote.netPence).toBe(9_000)
    expect(q.ok && q.quote.explanation).toContain('3 instruments at £30 an instrument for the spring term 2027 = £90')
  })

  it('a start term outside the year is refused', () => {
    const q = quotePeriod(classes, maintained, 1, 'year', period('2027-01-05', '2027-03-31', [terms[5]!]))
    expect(q).toEqual({ ok: false, reason: 'The spring term 2028 is not a term of 2026/27.' })
  })

  it('a period that starts after it ends, or leaves its year, is refused', () => {
    expect(quotePeriod(classes, maintained, 1, 'year', period('2027-03-31', '2027-01-05', [spring2027])).ok).toBe(false)
    expect(quotePeriod(classes, maintained, 1, 'quantity', period('2026-11-22', '2027-04-30', [])).ok).toBe(false)
  })

  it('a per-term offer covers exactly one term', () => {
    expect(quotePeriod(hire, maintained, 1, 'term', period('2026-09-02', '2027-03-26', [autumn2026, spring2027])).ok).toBe(false)
  })
})

describe('service periods: choosing a period', () => {
  const today = '2026-11-22'

  it('a yearly offer from the spring term runs from its first day to the end of the year, for one term', () => {
    const r = choosePeriod({ soldBy: 'year', tradingYear: 2026, startTerm: 'spring' }, terms, [2026, 2027], today)
    expect(r).toEqual({ ok: true, period: { tradingYear: 2026, start: '2027-01-05', end: '2027-03-31', terms: [spring2027] } })
  })

  it('a term under way starts today and is charged whole', () => {
    const r = choosePeriod({ soldBy: 'year', tradingYear: 2026, startTerm: 'autumn' }, terms, [2026], today)
    expect(r.ok && r.period).toMatchObject({ start: '2026-11-22', end: '2027-03-31', terms: [autumn2026, spring2027] })
  })

  it('next year from its summer term is the whole year, 1 April to 31 March', () => {
    const r = choosePeriod({ soldBy: 'year', tradingYear: 2027, startTerm: 'summer' }, terms, [2026, 2027], today)
    expect(r.ok && r.period).toMatchObject({ start: '2027-04-01', end: '2028-03-31' })
    expect(r.ok && r.period.terms).toHaveLength(3)
  })

  it('a per-term offer covers only the chosen term', () => {
    const r = choosePeriod({ soldBy: 'term', tradingYear: 2026, startTerm: 'spring' }, terms, [2026], today)
    expect(r).toEqual({ ok: true, period: { tradingYear: 2026, start: '2027-01-05', end: '2027-03-26', terms: [spring2027] } })
  })

  it('days and hours are valid from today to the end of the year, with no term', () => {
    const r = choosePeriod({ soldBy: 'quantity', tradingYear: 2026, startTerm: null }, terms, [2026], today)
    expect(r).toEqual({ ok: true, period: { tradingYear: 2026, start: today, end: '2027-03-31', terms: [] } })
  })

  it('a term that has ended, a missing term and a year not on sale are refused', () => {
    expect(choosePeriod({ soldBy: 'year', tradingYear: 2026, startTerm: 'summer' }, terms, [2026], today)).toMatchObject({
      ok: false,
      field: 'startFrom',
      reason: 'The summer term 2026 has ended: choose a later term',
    })
    expect(choosePeriod({ soldBy: 'term', tradingYear: 2026, startTerm: null }, terms, [2026], today)).toMatchObject({
      ok: false,
      field: 'startFrom',
    })
    expect(choosePeriod({ soldBy: 'year', tradingYear: 2028, startTerm: 'summer' }, terms, [2026, 2027], today)).toMatchObject({
      ok: false,
      field: 'tradingYear',
    })
  })

  it('a year without its term dates cannot be bought by the term', () => {
    expect(choosePeriod({ soldBy: 'year', tradingYear: 2026, startTerm: 'spring' }, [], [2026], today)).toMatchObject({
      ok: false,
      field: 'startFrom',
    })
  })
})

describe('service periods: years, choices and renewals', () => {
  it('next year is on sale once the offer has its prices', () => {
    expect(yearsOnSale(classes, '2026-11-22')).toEqual([2026, 2027])
    expect(yearsOnSale(hire, '2026-11-22')).toEqual([2026])
  })

  it('“Start from” lists the terms not yet ended, by year, with their dates', () => {
    const groups = startFromChoices(terms, [2026, 2027], '2026-11-22')
    expect(groups.map((g) => g.label)).toEqual(['2026/27', '2027/28'])
    expect(groups[0]!.options).toEqual([
      { value: '2026-autumn', label: 'Autumn term 2026 (2 September to 18 December 2026)' },
      { value: '2026-spring', label: 'Spring term 2027 (5 January to 26 March 2027)' },
    ])
    expect(parseStartFrom('2026-spring')).toEqual({ tradingYear: 2026, term: 'spring' })
    expect(parseStartFrom('2026-winter')).toBeNull()
  })

  it('courses run on their date; other offers as they are sold', () => {
    expect(soldByOf({ pricingModel: 'per_place', soldBy: 'quantity' })).toBe('course')
    expect(soldByOf({ pricingModel: 'per_unit', soldBy: 'term' })).toBe('term')
  })

  it('a renewal covers the whole of next year from its summer term; a per-term offer renews for that term', () => {
    expect(renewalPeriod('year', terms, 2027)).toMatchObject({ start: '2027-04-01', end: '2028-03-31' })
    expect(renewalPeriod('quantity', terms, 2027)).toMatchObject({ start: '2027-04-01', end: '2028-03-31' })
    expect(renewalPeriod('term', terms, 2027)).toMatchObject({ start: '2027-04-12', end: '2027-07-21' })
    expect(renewalPeriod('year', [], 2027)).toBeNull()
  })
})
