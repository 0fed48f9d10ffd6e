import { describe, expect, it } from 'vitest'
import { decideCancellation, percentOfPence, type CancellationLine } from '../../app/domain/cancellation'
import { deliveredCharge, isLate, isYearlyLine, noticeGiven, termsBegunCharge, termsBegunWords } from '../../app/domain/cancellation'
import { daysBetween, ukDate } from '../../app/domain/dates'
import type { Term } from '../../app/domain/terms'

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

  it('rule 1: a line delivered in full has nothing left to cancel', () => {
    expect(decideCancellation(line({ deliveredUnits: 4, quantity: 4, unitPricePence: 68_750 }), '2027-01-01')).toEqual({
      cancellable: false,
      reason: 'delivered',
    })
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

/** Coventry's 2026/27 terms (SPEC §7). */
const TERMS: Term[] = [
  { tradingYear: 2026, name: 'summer', startsOn: '2026-04-13', endsOn: '2026-07-22' },
  { tradingYear: 2026, name: 'autumn', startsOn: '2026-09-02', endsOn: '2026-12-18' },
  { tradingYear: 2026, name: 'spring', startsOn: '2027-01-05', endsOn: '2027-03-26' },
]

/** A class of whole-class ensemble tuition for 2026/27: £1,450 a year, termly, 30 days' notice, no fee. */
const ensemble = (overrides: Partial<CancellationLine> = {}): CancellationLine => ({
  status: 'confirmed',
  deliveredUnits: 0,
  periodStart: '2026-04-01',
  periodEnd: '2027-03-31',
  tradingYear: 2026,
  courseStartsOn: null,
  noticeDays: 30,
  lateFeePercent: 0,
  netPence: 145_000,
  quantity: 1,
  unitPricePence: 145_000,
  unitOne: 'class',
  unitOther: 'classes',
  soldBy: 'year',
  schedule: 'termly',
  ...overrides,
})

/** Attendance casework days: on delivery, 5 school days' notice, half the price if late. */
const casework = (overrides: Partial<CancellationLine> = {}): CancellationLine => ({
  status: 'confirmed',
  deliveredUnits: 0,
  periodStart: '2026-11-30',
  periodEnd: '2027-03-31',
  tradingYear: 2026,
  courseStartsOn: null,
  noticeDays: 5,
  lateFeePercent: 50,
  netPence: 4 * 30_000,
  quantity: 4,
  unitPricePence: 30_000,
  unitOne: 'day',
  unitOther: 'days',
  soldBy: 'quantity',
  schedule: 'on_delivery',
  noticeInSchoolDays: true,
  ...overrides,
})

describe('cancelling by terms, deliveries and school days', () => {
  it('what was delivered is always charged, at the unit price: the undelivered rest is cancelled', () => {
    expect(deliveredCharge({ deliveredUnits: 1.5, quantity: 4, unitPricePence: 30_000, netPence: 120_000 })).toBe(45_000)
    expect(deliveredCharge({ deliveredUnits: 0, quantity: 4, unitPricePence: 30_000, netPence: 120_000 })).toBe(0)
    const d = decideCancellation(casework({ deliveredUnits: 1, periodStart: '2026-04-01' }), '2026-11-22', TERMS)
    expect(d).toMatchObject({ cancellable: true, chargePence: 30_000 + 45_000, late: true })
    if (!d.cancellable) throw new Error('cancellable')
    expect(d.parts.map((p) => p.words)).toEqual(['1 day delivered: £300 charged', 'Less than 5 school days’ notice: fee £450'])
    // Delivered days on a line invoiced on delivery are charged by their monthly invoice: only the fee is the cancellation charge.
    expect(d.feePence).toBe(45_000)
    const annual = decideCancellation(
      casework({ deliveredUnits: 1, periodStart: '2026-04-01', schedule: 'annual_in_advance', lateFeePercent: 0 }),
      '2026-11-22',
      TERMS,
    )
    expect(annual).toMatchObject({ chargePence: 30_000, feePence: 30_000 })
  })

  it('only yearly lines (a year or a class for the year, invoiced in advance or termly) are charged by terms', () => {
    expect(isYearlyLine({ soldBy: 'year', schedule: 'termly' })).toBe(true)
    expect(isYearlyLine({ soldBy: 'year', schedule: 'annual_in_advance' })).toBe(true)
    expect(isYearlyLine({ soldBy: 'term', schedule: 'termly' })).toBe(true)
    expect(isYearlyLine({ soldBy: 'quantity', schedule: 'annual_in_advance' })).toBe(false)
    expect(isYearlyLine({ soldBy: 'year', schedule: 'on_delivery' })).toBe(false)
  })

  it('a yearly line under way is charged for the terms begun, pro rata by whole terms, the rest credited', () => {
    const begun = termsBegunCharge(ensemble(), TERMS, '2026-11-22')
    expect(begun.begun.map((t) => t.name)).toEqual(['summer', 'autumn'])
    expect(begun.pence).toBe(96_667)
    const d = decideCancellation(ensemble(), '2026-11-22', TERMS)
    expect(d).toMatchObject({ cancellable: true, chargePence: 96_667, feePence: 96_667 })
    if (!d.cancellable) throw new Error('cancellable')
    expect(d.parts.map((p) => p.words)).toEqual(['Autumn and summer terms begun: £966.67 of £1,450 charged'])
    expect(termsBegunWords(TERMS.slice(0, 1))).toBe('Summer term begun')
    // Before the period starts nothing is begun; in the spring term, all three.
    expect(termsBegunCharge(ensemble({ periodStart: '2027-01-05' }), TERMS, '2026-11-22').pence).toBe(0)
    expect(termsBegunCharge(ensemble(), TERMS, '2027-01-05').pence).toBe(145_000)
  })

  it('a yearly line bought for fewer terms is charged by the terms it covers that have begun', () => {
    const twoTerms = ensemble({ periodStart: '2026-09-02', netPence: 96_667 })
    expect(termsBegunCharge(twoTerms, TERMS, '2026-11-22')).toMatchObject({ pence: 48_334 })
  })

  it('clerking with 90 days’ notice cancelled on its start day is not free: the first term counts as begun', () => {
    const clerking = ensemble({ unitOne: 'year', unitOther: 'years', schedule: 'annual_in_advance', noticeDays: 90, netPence: 173_400 })
    const d = decideCancellation(clerking, '2026-04-01', TERMS)
    expect(d).toMatchObject({ cancellable: true, late: true, chargePence: 57_800 })
    if (!d.cancellable) throw new Error('cancellable')
    expect(d.parts.map((p) => p.words)).toEqual(['Summer term begun: £578 of £1,734 charged'])
    // With a late fee, the fee is on what is left to cancel.
    const withFee = decideCancellation({ ...clerking, lateFeePercent: 10 }, '2026-04-01', TERMS)
    expect(withFee).toMatchObject({ chargePence: 57_800 + 11_560 })
  })

  it('the notice is counted in school days when the offer says so: weekends, holidays and bank holidays do not count', () => {
    // Monday 16 to Monday 23 November 2026: five school days.
    expect(noticeGiven({ noticeInSchoolDays: true }, TERMS, '2026-11-16', '2026-11-23')).toEqual({ days: 5, unit: 'school days' })
    expect(noticeGiven({}, TERMS, '2026-11-16', '2026-11-23')).toEqual({ days: 7, unit: 'days' })
    // Over Christmas: 14 December 2026 to 7 January 2027 is 5 + 3 school days, not 24 days.
    expect(noticeGiven({ noticeInSchoolDays: true }, TERMS, '2026-12-14', '2027-01-07').days).toBe(7)
    const visit = casework({ periodStart: '2026-11-30' })
    // 22 November (Sunday) to 30 November: 5 school days (23–27 November): in time.
    expect(decideCancellation(visit, '2026-11-22', TERMS)).toMatchObject({ late: false, chargePence: 0, noticeUnit: 'school days' })
    // Tuesday 24 November: 4 school days left, late; counted in calendar days it would be 6 and in time.
    expect(decideCancellation(visit, '2026-11-24', TERMS)).toMatchObject({ late: true, chargePence: 60_000, daysNotice: 4 })
    expect(decideCancellation({ ...visit, noticeInSchoolDays: false }, '2026-11-24', TERMS)).toMatchObject({ late: false, chargePence: 0 })
  })

  it('inside the notice is late; a start already reached is late unless no notice is asked', () => {
    expect(isLate(5, 4, '2026-11-24', '2026-11-30')).toBe(true)
    expect(isLate(5, 5, '2026-11-23', '2026-11-30')).toBe(false)
    expect(isLate(0, 0, '2026-11-30', '2026-11-30')).toBe(false)
    expect(isLate(1, 0, '2026-11-30', '2026-11-30')).toBe(true)
  })

  it('free only where nothing is delivered, no term begun and the notice given', () => {
    expect(decideCancellation(ensemble({ periodStart: '2027-01-05' }), '2026-11-22', TERMS)).toMatchObject({ chargePence: 0, parts: [] })
    expect(decideCancellation(ensemble({ status: 'waitlisted' }), '2026-11-22', TERMS)).toMatchObject({ chargePence: 0 })
  })
})
