import { describe, it, expect } from 'vitest'
import { formatPence } from '../../app/domain/money'

describe('formatPence', () => {
  it('shows whole pounds without pence', () => {
    expect(formatPence(55000)).toBe('£550')
    expect(formatPence(100)).toBe('£1')
  })

  it('shows zero as £0', () => {
    expect(formatPence(0)).toBe('£0')
    expect(formatPence(-0)).toBe('£0')
  })

  it('shows two decimals when there are pence', () => {
    expect(formatPence(123450)).toBe('£1,234.50')
    expect(formatPence(250)).toBe('£2.50')
    expect(formatPence(1)).toBe('£0.01')
    expect(formatPence(99)).toBe('£0.99')
    expect(formatPence(105)).toBe('£1.05')
  })

  it('separates thousands with commas', () => {
    expect(formatPence(165000)).toBe('£1,650')
    expect(formatPence(100000)).toBe('£1,000')
    expect(formatPence(99999)).toBe('£999.99')
    expect(formatPence(123456789)).toBe('£1,234,567.89')
    expect(formatPence(100000000000)).toBe('£1,000,000,000')
  })

  it('puts the minus sign before the pound sign for negative amounts', () => {
    expect(formatPence(-1230)).toBe('-£12.30')
    expect(formatPence(-165000)).toBe('-£1,650')
    expect(formatPence(-1)).toBe('-£0.01')
  })

  it('throws on non-integer input', () => {
    expect(() => formatPence(1.5)).toThrow(RangeError)
    expect(() => formatPence(0.1 + 0.2)).toThrow(RangeError)
    expect(() => formatPence(Number.NaN)).toThrow(RangeError)
    expect(() => formatPence(Number.POSITIVE_INFINITY)).toThrow(RangeError)
    expect(() => formatPence(Number.NEGATIVE_INFINITY)).toThrow(RangeError)
    expect(() => formatPence(Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError)
  })

  it('round-trips every amount from 0 to 10,000 pence back to the same pence', () => {
    for (let pence = 0; pence <= 10_000; pence++) {
      const text = formatPence(pence)
      const pounds = Number(text.replace('£', '').replaceAll(',', ''))
      expect(Math.round(pounds * 100)).toBe(pence)
      expect(text).toMatch(/^£\d{1,3}(,\d{3})*(\.\d{2})?$/)
    }
  })
})
