import { describe, expect, it } from 'vitest'
import { isOnSale, onSaleYears, priceListStatus, upliftPence } from '../../app/domain/price-lists'
import { priceListActionSchema } from '../../app/schemas/price-lists'

// Today is 22 November 2026: trading year 2026 (2026/27); next year is 2027/28.
const TODAY = '2026-11-22'

describe('price-list selection by date', () => {
  it('this year’s and earlier years’ prices are on sale whatever their publication date says', () => {
    expect(isOnSale({ tradingYear: 2026, publishedOn: null }, TODAY)).toBe(true)
    expect(isOnSale({ tradingYear: 2026, publishedOn: '2027-01-01' }, TODAY)).toBe(true)
    expect(isOnSale({ tradingYear: 2025, publishedOn: null }, TODAY)).toBe(true)
  })

  it('next year’s prices are a draft until published', () => {
    expect(priceListStatus({ tradingYear: 2027, publishedOn: null }, TODAY)).toEqual({ kind: 'draft' })
    expect(isOnSale({ tradingYear: 2027, publishedOn: null }, TODAY)).toBe(false)
  })

  it('published from today or earlier: on sale; from a later day: not yet', () => {
    expect(isOnSale({ tradingYear: 2027, publishedOn: TODAY }, TODAY)).toBe(true)
    expect(isOnSale({ tradingYear: 2027, publishedOn: '2026-11-02' }, TODAY)).toBe(true)
    expect(priceListStatus({ tradingYear: 2027, publishedOn: '2026-11-23' }, TODAY)).toEqual({ kind: 'scheduled', from: '2026-11-23' })
    expect(isOnSale({ tradingYear: 2027, publishedOn: '2026-11-23' }, '2026-11-23')).toBe(true)
  })

  it('a year that has begun is on sale even if its prices were never published', () => {
    expect(isOnSale({ tradingYear: 2027, publishedOn: null }, '2027-03-31')).toBe(false)
    expect(isOnSale({ tradingYear: 2027, publishedOn: null }, '2027-04-01')).toBe(true)
  })

  it('follows the authority’s year start (a September year)', () => {
    // 22 November 2026 with a 1 September start is in 2026 (2026/27); 1 August 2027 is still 2026.
    expect(isOnSale({ tradingYear: 2027, publishedOn: null }, '2027-08-31', 9)).toBe(false)
    expect(isOnSale({ tradingYear: 2027, publishedOn: null }, '2027-09-01', 9)).toBe(true)
  })

  it('selects the years a school may see, keeping their order', () => {
    const years = [
      { tradingYear: 2025, publishedOn: null },
      { tradingYear: 2026, publishedOn: '2025-11-01' },
      { tradingYear: 2027, publishedOn: '2027-02-01' },
      { tradingYear: 2028, publishedOn: '2026-11-01' },
    ]
    expect(onSaleYears(years, TODAY).map((y) => y.tradingYear)).toEqual([2025, 2026, 2028])
    expect(onSaleYears(years, '2027-02-01').map((y) => y.tradingYear)).toEqual([2025, 2026, 2027, 2028])
  })
})

describe('uplift', () => {
  it('raises by a percentage, rounded to whole pence, halves up', () => {
    expect(upliftPence(55_000, 3)).toBe(56_650)
    expect(upliftPence(29_500, 2.5)).toBe(30_238) // 30,237.5
    expect(upliftPence(1_000, 1.1)).toBe(1_011)
    expect(upliftPence(333, 10)).toBe(366) // 366.3
    expect(upliftPence(55_000, 0)).toBe(55_000)
    expect(upliftPence(55_000, -10)).toBe(49_500)
  })
})

describe('the prices page’s form', () => {
  const schema = priceListActionSchema({ today: TODAY, nextYearStartsOn: '2027-04-01' })
  it('publishes from today or a later day before next year starts', () => {
    expect(schema.safeParse({ intent: 'publish', publishFrom: TODAY }).success).toBe(true)
    expect(schema.safeParse({ intent: 'publish', publishFrom: '2027-03-31' }).success).toBe(true)
    for (const bad of ['', '2026-11-21', '2027-04-01', '2027-02-30', 'soon']) {
      expect(schema.safeParse({ intent: 'publish', publishFrom: bad }).success, bad).toBe(false)
    }
  })
  it('copies with an uplift from -50% to 100%, at most two decimal places', () => {
    expect(schema.parse({ intent: 'copy', uplift: '3' })).toEqual({ intent: 'copy', uplift: 3 })
    expect(schema.parse({ intent: 'copy', uplift: ' 2.5% ' })).toEqual({ intent: 'copy', uplift: 2.5 })
    for (const bad of ['', 'three', '101', '-51', '2.555']) {
      expect(schema.safeParse({ intent: 'copy', uplift: bad }).success, bad).toBe(false)
    }
  })
})
