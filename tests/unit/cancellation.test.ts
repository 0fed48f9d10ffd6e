import { describe, expect, it } from 'vitest'
import { decideCancellation, percentOfPence, type CancellationLine } from '../../app/domain/cancellation'
import { daysBetween, ukDate } from '../../app/domain/dates'

const line = (overrides: Partial<CancellationLine> = {}): CancellationLine => ({
  status: 'confirmed',
  deliveredUnits: 0,
  periodStart: '2026-09-01',
  courseStartsOn: null,
  noticeDays: 30,
  lateFeePercent: 50,
  netPence: 275_000,
  ...overrides,
})

describe('cancelling an order line', () => {
  it('rule 1: only a live line can be cancelled', () => {
    for (const status of ['cancelled', 'rejected', 'completed', 'draft']) {
      expect(decideCancellation(line({ status }), '2026-06-01')).toEqual({ cancellable: false, reason: 'closed' })
    }
    for (const status of ['awaiting_approval', 'submitted', 'confirmed', 'waitlisted']) {
      expect(decideCancellation(line({ status }), '2026-06-01').cancellable).toBe(true)
    }
  })

  it('rule 2: a line with delivery recorded is kept, even half a day', () => {
    expect(decideCancellation(line({ deliveredUnits: 0.5 }), '2026-06-01')).toEqual({ cancellable: false, reason: 'delivered' })
    expect(decideCancellation(line({ deliveredUnits: 4 }), '2027-01-01')).toEqual({ cancellable: false, reason: 'delivered' })
  })

  it('rule 3: a line holding no team time (awaiting approval, waiting list) is free, even late', () => {
    for (const status of ['awaiting_approval', 'waitlisted']) {
      const d = decideCancellation(line({ status }), '2026-12-01')
      expect(d).toMatchObject({ cancellable: true, late: false, feePence: 0 })
    }
  })

  it('rule 4: free when the period starts at least the notice days away', () => {
    // 1 September is 30 days after 2 August.
    expect(decideCancellation(line(), '2026-08-02')).toMatchObject({ late: false, feePence: 0, daysNotice: 30 })
    expect(decideCancellation(line(), '2026-06-01')).toMatchObject({ late: false, feePence: 0 })
  })

  it('rule 4: one day short of the notice is late', () => {
    expect(decideCancellation(line(), '2026-08-03')).toMatchObject({ late: true, feePence: 137_500, daysNotice: 29 })
  })

  it('rule 4: a course counts from the course date, not the period', () => {
    const course = line({ periodStart: '2026-04-01', courseStartsOn: '2026-11-10', noticeDays: 14 })
    expect(decideCancellation(course, '2026-10-27')).toMatchObject({ late: false, startsOn: '2026-11-10' })
    expect(decideCancellation(course, '2026-10-28')).toMatchObject({ late: true, startsOn: '2026-11-10' })
  })

  it('rule 5: a period already under way is free only with no notice asked', () => {
    expect(decideCancellation(line({ noticeDays: 0 }), '2026-10-01')).toMatchObject({ late: false, feePence: 0 })
    expect(decideCancellation(line({ noticeDays: 1 }), '2026-10-01')).toMatchObject({ late: true, feePence: 137_500 })
  })

  it('rule 5: starting today counts as under way', () => {
    expect(decideCancellation(line({ noticeDays: 0 }), '2026-09-01')).toMatchObject({ late: false })
    expect(decideCancellation(line({ noticeDays: 1 }), '2026-09-01')).toMatchObject({ late: true })
  })

  it('rule 6: the fee is the percentage of the net price, rounded half up to whole pence', () => {
    expect(decideCancellation(line({ netPence: 55_005, lateFeePercent: 10 }), '2026-08-31')).toMatchObject({ feePence: 5_501 })
    expect(decideCancellation(line({ netPence: 55_004, lateFeePercent: 10 }), '2026-08-31')).toMatchObject({ feePence: 5_500 })
    expect(decideCancellation(line({ netPence: 1, lateFeePercent: 50 }), '2026-08-31')).toMatchObject({ feePence: 1 })
    expect(decideCancellation(line({ lateFeePercent: 100 }), '2026-08-31')).toMatchObject({ feePence: 275_000 })
  })

  it('rule 6: a late line of an offer with no fee costs nothing but is still late', () => {
    expect(decideCancellation(line({ lateFeePercent: 0 }), '2026-08-31')).toMatchObject({ late: true, feePence: 0 })
  })

  it('percentOfPence refuses fractions and out-of-range percentages', () => {
    expect(() => percentOfPence(10.5, 10)).toThrow(RangeError)
    expect(() => percentOfPence(-1, 10)).toThrow(RangeError)
    expect(() => percentOfPence(100, 101)).toThrow(RangeError)
    expect(percentOfPence(0, 50)).toBe(0)
  })

  it('counts days across the clock change and leap years', () => {
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2)
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2)
    expect(daysBetween('2026-09-02', '2026-09-01')).toBe(-1)
  })

  it('the UK date of a moment: late evening in summer is already the next day', () => {
    expect(ukDate(new Date('2026-07-01T23:30:00Z'))).toBe('2026-07-02')
    expect(ukDate(new Date('2026-12-01T23:30:00Z'))).toBe('2026-12-01')
  })
})
