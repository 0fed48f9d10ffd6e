import { describe, expect, it } from 'vitest'
import { formatGap } from '../../app/components/figures'
import { formatPence } from '../../app/domain/money'
import { leftUnit, unitsLeftText } from '../../app/domain/quantities'
import { formatHours, formatPoundsRounded } from '../../app/utils/format'

// docs/decisions/0031-figures-people-read.md

describe('formatPoundsRounded: a summary figure reads in whole pounds', () => {
  it('rounds to the nearest pound, with thousands separated', () => {
    expect(formatPoundsRounded(65_444_396)).toBe('£654,444')
    expect(formatPoundsRounded(65_444_349)).toBe('£654,443')
    expect(formatPoundsRounded(415_800_000)).toBe('£4,158,000')
  })

  it('rounds half a pound up, and a shortfall half a pound away from zero', () => {
    expect(formatPoundsRounded(150)).toBe('£2')
    expect(formatPoundsRounded(-150)).toBe('-£2')
    expect(formatPoundsRounded(-1_250)).toBe('-£13')
  })

  it('shows under 50p as £0, never "-£0"', () => {
    expect(formatPoundsRounded(0)).toBe('£0')
    expect(formatPoundsRounded(49)).toBe('£0')
    expect(formatPoundsRounded(-49)).toBe('£0')
  })

  it('leaves exact pence to what a school pays: the same amount keeps its pence with formatPence', () => {
    expect(formatPence(65_444_396)).toBe('£654,443.96')
  })

  it('refuses what is not a number', () => {
    expect(() => formatPoundsRounded(Number.NaN)).toThrow(RangeError)
  })
})

describe('formatHours: hours read as whole hours with their word', () => {
  it('rounds to the nearest hour', () => {
    expect(formatHours(1_340.98)).toBe('1,341 hours')
    expect(formatHours(6.5)).toBe('7 hours')
    expect(formatHours(6.49)).toBe('6 hours')
  })

  it('says "hour" for one and "hours" for anything else', () => {
    expect(formatHours(1)).toBe('1 hour')
    expect(formatHours(0.6)).toBe('1 hour')
    expect(formatHours(0)).toBe('0 hours')
    expect(formatHours(0.4)).toBe('0 hours')
  })
})

describe('formatGap: the gap against a target in whole pounds', () => {
  it('signs a shortfall and a surplus, and reads £0 when the gap rounds to nothing', () => {
    expect(formatGap(-1_230_049)).toBe('−£12,300')
    expect(formatGap(400_000)).toBe('+£4,000')
    expect(formatGap(0)).toBe('£0')
    expect(formatGap(-40)).toBe('£0')
  })
})

describe('what is left of an offer is counted in the unit it is sold in', () => {
  const days = { pricingModel: 'per_unit', unitOne: 'day', unitOther: 'days' }
  const hours = { pricingModel: 'per_unit', unitOne: 'hour', unitOther: 'hours' }
  const audit = { pricingModel: 'fixed', unitOne: 'audit', unitOther: 'audits' }
  const course = { pricingModel: 'per_place', unitOne: 'place', unitOther: 'places' }
  const yearly = { pricingModel: 'fixed', unitOne: 'year', unitOther: 'years' }
  const membership = { pricingModel: 'per_pupil', unitOne: 'year', unitOther: 'years' }
  const banded = { pricingModel: 'pupil_banded', unitOne: 'year', unitOther: 'years' }

  it('work bought by the day, hour or visit counts what is left in that unit', () => {
    expect(unitsLeftText(12, days, '2026/27')).toBe('12 days left in 2026/27')
    expect(unitsLeftText(1, days, '2026/27')).toBe('1 day left in 2026/27')
    expect(unitsLeftText(30, hours, '2026/27')).toBe('30 hours left in 2026/27')
    expect(unitsLeftText(1_200, hours, '2026/27')).toBe('1,200 hours left in 2026/27')
    expect(unitsLeftText(3, audit, '2026/27')).toBe('3 audits left in 2026/27')
  })

  it('an offer sold by the place counts places, whatever its unit is called', () => {
    expect(unitsLeftText(50, course, '2026/27')).toBe('50 places left in 2026/27')
    expect(unitsLeftText(50, { ...course, unitOne: 'delegate', unitOther: 'delegates' }, '2026/27')).toBe('50 places left in 2026/27')
  })

  it('a yearly subscription says it is available, never "50 years left"', () => {
    expect(unitsLeftText(50, yearly, '2026/27')).toBe('Available in 2026/27')
    expect(unitsLeftText(50, membership, '2026/27')).toBe('Available in 2026/27')
    expect(unitsLeftText(7, banded, '2026/27')).toBe('Available in 2026/27')
    expect(unitsLeftText(50, { ...yearly, unitOne: 'Term', unitOther: 'Terms' }, '2026/27')).toBe('Available in 2026/27')
    expect(leftUnit(yearly)).toBeNull()
  })

  it('any offer with nothing left is fully booked, and new orders wait', () => {
    for (const offer of [days, course, yearly, membership]) {
      expect(unitsLeftText(0, offer, '2026/27')).toBe('Fully booked for 2026/27: new orders go on the waiting list')
    }
  })
})
