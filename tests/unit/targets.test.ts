import { describe, expect, it } from 'vitest'
import { applyPercentage, capacityFloor, copyYearFigures, plannedFte } from '~/domain/targets'
import { PercentageSchema } from '~/schemas/targets'

const team = { establishmentFte: 4, chargeableHoursPerFte: 650, sessionalHours: 100 } // 2,700 hours

describe('applyPercentage', () => {
  it.each([
    [100_000, 300, 103_000],
    [100_000, 0, 100_000],
    [100_000, -250, 97_500],
    [1_001, 250, 1_026], // 1026.025 → 1026
    [1_000, 5, 1_001], // 1000.5 → 1001 (halves away from zero)
    [999, -5_000, 500], // 499.5 → 500
    [0, 1_000, 0],
    [12_345_678_901, 10_000, 24_691_357_802],
  ])('%i pence changed by %i hundredths of a percent is %i', (pence, bp, expected) => {
    expect(applyPercentage(pence, bp)).toBe(expected)
  })

  it('refuses fractions of a penny', () => {
    expect(() => applyPercentage(1.5, 100)).toThrow(RangeError)
  })
})

describe('copyYearFigures', () => {
  it('changes money by the percentage and copies FTE and hours as they are', () => {
    const last = {
      targets: { ep: 45_000_000, music: 1_234_567 },
      teams: { t1: { ...team, establishmentFte: 4.25, costPerFtePence: 5_200_000, centralFundingPence: 1_000_001 } },
    }
    expect(copyYearFigures(last, 300)).toEqual({
      targets: { ep: 46_350_000, music: 1_271_604 },
      teams: { t1: { ...team, establishmentFte: 4.25, costPerFtePence: 5_356_000, centralFundingPence: 1_030_001 } },
    })
  })

  it('copies nothing when last year had nothing', () => {
    expect(copyYearFigures({ targets: {}, teams: {} }, 500)).toEqual({ targets: {}, teams: {} })
  })
})

describe('capacityFloor', () => {
  it('lets capacity be lowered to exactly what is booked', () => {
    expect(capacityFloor({ before: team, after: { ...team, sessionalHours: 0 }, bookedHours: 2_600 })).toEqual({ ok: true })
  })

  it('needs confirmation to lower capacity below what is booked', () => {
    expect(capacityFloor({ before: team, after: { ...team, establishmentFte: 3 }, bookedHours: 2_500.5 })).toEqual({
      ok: false,
      bookedHours: 2_500.5,
      capacityHours: 2_050,
    })
  })

  it('lets an over-committed team be raised, even if still below what is booked', () => {
    expect(capacityFloor({ before: team, after: { ...team, sessionalHours: 200 }, bookedHours: 5_000 })).toEqual({ ok: true })
  })

  it('lets an unchanged capacity be saved again', () => {
    expect(capacityFloor({ before: team, after: team, bookedHours: 5_000 })).toEqual({ ok: true })
  })

  it('treats a new team-year as lowered from nothing booked', () => {
    expect(capacityFloor({ before: null, after: team, bookedHours: 0 })).toEqual({ ok: true })
    expect(capacityFloor({ before: null, after: { ...team, establishmentFte: 0, sessionalHours: 0 }, bookedHours: 6.5 }).ok).toBe(false)
  })

  it('counts hundredths of hours exactly', () => {
    const quarter = { establishmentFte: 0.01, chargeableHoursPerFte: 650, sessionalHours: 0 } // 6.5 hours
    expect(capacityFloor({ before: team, after: quarter, bookedHours: 6.5 }).ok).toBe(true)
    expect(capacityFloor({ before: team, after: quarter, bookedHours: 6.51 }).ok).toBe(false)
  })
})

describe('plannedFte', () => {
  it('adds the change to this year’s establishment, never below 0', () => {
    expect(plannedFte(4.25, 1.5)).toBe(5.75)
    expect(plannedFte(0.1, 0.2)).toBe(0.3)
    expect(plannedFte(1, -2)).toBe(0)
  })
})

describe('the percentage of a copy', () => {
  it.each([
    ['3', 300],
    ['-2.5', -250],
    ['+10', 1_000],
    ['0', 0],
    [' 4.75 % ', 475],
    ['100', 10_000],
    ['-50', -5_000],
  ])('reads %j as %i hundredths', (raw, bp) => {
    expect(PercentageSchema.parse(raw)).toBe(bp)
  })

  it.each(['', 'ten', '1.234', '100.01', '-50.5', '1e2'])('refuses %j', (raw) => {
    expect(PercentageSchema.safeParse(raw).success).toBe(false)
  })
})
