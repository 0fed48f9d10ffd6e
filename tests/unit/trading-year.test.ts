import { describe, it, expect } from 'vitest'
import { isTradingYear, parseTradingYearLabel, tradingYearBounds, tradingYearLabel, tradingYearOf } from '../../app/domain/trading-year'

const utc = (y: number, m: number, d: number, h = 0, min = 0, s = 0, ms = 0) => new Date(Date.UTC(y, m - 1, d, h, min, s, ms))

describe('tradingYearOf', () => {
  it('a trading year runs from 1 April to 31 March and is named by its starting year', () => {
    expect(tradingYearOf(utc(2026, 4, 1))).toBe(2026)
    expect(tradingYearOf(utc(2026, 12, 31))).toBe(2026)
    expect(tradingYearOf(utc(2027, 1, 1))).toBe(2026)
    expect(tradingYearOf(utc(2027, 3, 31, 23, 59, 59, 999))).toBe(2026)
    expect(tradingYearOf(utc(2027, 4, 1))).toBe(2027)
  })

  it('31 March belongs to the previous trading year and 1 April to the new one', () => {
    expect(tradingYearOf(utc(2026, 3, 31, 23, 59, 59, 999))).toBe(2025)
    expect(tradingYearOf(utc(2026, 4, 1, 0, 0, 0, 0))).toBe(2026)
  })

  it('every day from 1 Apr 2026 to 31 Mar 2027 is in trading year 2026', () => {
    for (let t = Date.UTC(2026, 3, 1); t < Date.UTC(2027, 3, 1); t += 86_400_000) {
      expect(tradingYearOf(new Date(t))).toBe(2026)
    }
  })

  it('uses UTC date parts, not the local time zone', () => {
    // 23:30 on 31 March UTC is 00:30 on 1 April in British Summer Time, but still 2025/26.
    expect(tradingYearOf(new Date('2026-03-31T23:30:00Z'))).toBe(2025)
    // 00:30 on 1 April in BST is still 31 March UTC.
    expect(tradingYearOf(new Date('2026-04-01T00:30:00+01:00'))).toBe(2025)
    expect(tradingYearOf(new Date('2026-04-01T00:00:00Z'))).toBe(2026)
  })

  it('the authority start month can be changed', () => {
    expect(tradingYearOf(utc(2026, 8, 31), 9)).toBe(2025)
    expect(tradingYearOf(utc(2026, 9, 1), 9)).toBe(2026)
    expect(tradingYearOf(utc(2026, 1, 1), 1)).toBe(2026)
    expect(tradingYearOf(utc(2026, 12, 31), 1)).toBe(2026)
    expect(tradingYearOf(utc(2026, 11, 30), 12)).toBe(2025)
    expect(tradingYearOf(utc(2026, 12, 1), 12)).toBe(2026)
  })

  it('the start month defaults to April', () => {
    expect(tradingYearOf(utc(2026, 3, 15))).toBe(tradingYearOf(utc(2026, 3, 15), 4))
  })

  it('throws on an invalid date or start month', () => {
    expect(() => tradingYearOf(new Date('not a date'))).toThrow(RangeError)
    expect(() => tradingYearOf(utc(2026, 4, 1), 0)).toThrow(RangeError)
    expect(() => tradingYearOf(utc(2026, 4, 1), 13)).toThrow(RangeError)
    expect(() => tradingYearOf(utc(2026, 4, 1), 4.5)).toThrow(RangeError)
  })
})

describe('tradingYearLabel', () => {
  it('labels a trading year as "YYYY/YY"', () => {
    expect(tradingYearLabel(2026)).toBe('2026/27')
    expect(tradingYearLabel(2000)).toBe('2000/01')
    expect(tradingYearLabel(2009)).toBe('2009/10')
  })

  it('wraps the second part at the end of a century', () => {
    expect(tradingYearLabel(2099)).toBe('2099/00')
    expect(tradingYearLabel(1999)).toBe('1999/00')
  })

  it('throws unless the year is a four-digit whole number', () => {
    expect(() => tradingYearLabel(999)).toThrow(RangeError)
    expect(() => tradingYearLabel(10000)).toThrow(RangeError)
    expect(() => tradingYearLabel(2026.5)).toThrow(RangeError)
    expect(() => tradingYearLabel(Number.NaN)).toThrow(RangeError)
  })
})

describe('tradingYearBounds', () => {
  it('starts on 1 April (inclusive) and ends on 1 April next year (exclusive), in UTC', () => {
    const { start, end } = tradingYearBounds(2026)
    expect(start.toISOString()).toBe('2026-04-01T00:00:00.000Z')
    expect(end.toISOString()).toBe('2027-04-01T00:00:00.000Z')
  })

  it('agrees with tradingYearOf at both edges', () => {
    for (const year of [1999, 2024, 2026, 2099]) {
      const { start, end } = tradingYearBounds(year)
      expect(tradingYearOf(start)).toBe(year)
      expect(tradingYearOf(new Date(end.getTime() - 1))).toBe(year)
      expect(tradingYearOf(end)).toBe(year + 1)
    }
  })

  it('follows the authority start month', () => {
    const { start, end } = tradingYearBounds(2026, 9)
    expect(start.toISOString()).toBe('2026-09-01T00:00:00.000Z')
    expect(end.toISOString()).toBe('2027-09-01T00:00:00.000Z')
    expect(tradingYearOf(start, 9)).toBe(2026)
    expect(tradingYearOf(new Date(end.getTime() - 1), 9)).toBe(2026)
  })

  it('throws on an invalid year or start month', () => {
    expect(() => tradingYearBounds(26)).toThrow(RangeError)
    expect(() => tradingYearBounds(2026, 0)).toThrow(RangeError)
  })
})

describe('parseTradingYearLabel', () => {
  it('parses a label back to its starting year', () => {
    expect(parseTradingYearLabel('2026/27')).toBe(2026)
    expect(parseTradingYearLabel('2099/00')).toBe(2099)
    expect(parseTradingYearLabel('2009/10')).toBe(2009)
  })

  it('is the inverse of tradingYearLabel', () => {
    for (let year = 1000; year <= 9999; year += 7) {
      expect(parseTradingYearLabel(tradingYearLabel(year))).toBe(year)
    }
  })

  it('returns null when the second part is not the following year', () => {
    expect(parseTradingYearLabel('2026/28')).toBeNull()
    expect(parseTradingYearLabel('2026/26')).toBeNull()
    expect(parseTradingYearLabel('2099/99')).toBeNull()
    expect(parseTradingYearLabel('2099/100')).toBeNull()
  })

  it('returns null for junk', () => {
    for (const junk of [
      '',
      '2026',
      '2026/2027',
      '2026-27',
      ' 2026/27',
      '2026/27 ',
      '26/27',
      'abcd/ef',
      '2026/2',
      '0999/00',
      '2026/27/28',
      '２０２６/27',
    ]) {
      expect(parseTradingYearLabel(junk)).toBeNull()
    }
  })
})

describe('isTradingYear', () => {
  it('accepts four-digit whole years only', () => {
    expect(isTradingYear(2026)).toBe(true)
    expect(isTradingYear(1000)).toBe(true)
    expect(isTradingYear(9999)).toBe(true)
    expect(isTradingYear(999)).toBe(false)
    expect(isTradingYear(10000)).toBe(false)
    expect(isTradingYear(2026.5)).toBe(false)
  })
})
