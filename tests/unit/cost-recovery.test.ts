import { describe, expect, it } from 'vitest'
import { checkCostRecovery, costPerChargeableHourPence } from '../../app/domain/cost-recovery'
import type { PricedOffer, YearPrices } from '../../app/domain/pricing'

const year = (overrides: Partial<YearPrices>): YearPrices => ({
  tradingYear: 2026,
  base: { maintained: 0, academy: 0 },
  perPupil: null,
  minimumCharge: null,
  tiers: [],
  bands: [],
  ...overrides,
})
const offer = (pricingModel: PricedOffer['pricingModel'], prices: YearPrices, unit = { one: 'day', other: 'days' }): PricedOffer => ({
  authorityId: 'coventry',
  pricingModel,
  unit,
  vatCategory: 'standard',
  prices: [prices],
})
// An EP team: £65,000 an FTE, 800 chargeable hours: £81.25 an hour.
const team = { costPerFtePence: 6_500_000, chargeableHoursPerFte: 800 }

describe('cost recovery', () => {
  it('the cost per chargeable hour is the cost per FTE over the chargeable hours per FTE', () => {
    expect(costPerChargeableHourPence(team)).toBe(8_125)
    expect(costPerChargeableHourPence({ costPerFtePence: 100_000, chargeableHoursPerFte: 3 })).toBe(33_333)
    expect(costPerChargeableHourPence({ costPerFtePence: 100_000, chargeableHoursPerFte: 0 })).toBeNull()
    expect(costPerChargeableHourPence(null)).toBeNull()
  })

  it('every tier for both school types is checked; the lowest below cost gives the warning', () => {
    const ep = offer(
      'per_unit',
      year({
        tiers: [
          { minQuantity: 1, maxQuantity: 9, unitPrice: { maintained: 55_000, academy: 55_000 } },
          { minQuantity: 10, maxQuantity: null, unitPrice: { maintained: 50_000, academy: 52_000 } },
        ],
      }),
    )
    // 6.5 hours a day: £550 → £84.62 an hour, £500 → £76.92, £520 → £80.
    const result = checkCostRecovery({ offer: ep, tradingYear: 2026, hoursPerUnit: 6.5, team })
    expect(result.kind).toBe('checked')
    if (result.kind !== 'checked') return
    expect(result.points.map((p) => [p.label, p.pencePerHour, p.belowCost])).toEqual([
      ['Maintained schools, 1 to 9 days', 8_462, false],
      ['Academies, 1 to 9 days', 8_462, false],
      ['Maintained schools, 10 days or more', 7_692, true],
      ['Academies, 10 days or more', 8_000, true],
    ])
    expect(result.warning).toBe('Below cost: £76.92 an hour against £81.25')
  })

  it('no warning when every price point covers the cost', () => {
    const result = checkCostRecovery({
      offer: offer('per_unit', year({ base: { maintained: 60_000, academy: 62_000 } })),
      tradingYear: 2026,
      hoursPerUnit: 6.5,
      team,
    })
    expect(result).toMatchObject({ kind: 'checked', warning: null, costPerHourPence: 8_125, lowestPerHourPence: 9_231 })
  })

  it('an exact match is not below cost', () => {
    const result = checkCostRecovery({
      offer: offer('fixed', year({ base: { maintained: 8_125, academy: 8_125 } })),
      tradingYear: 2026,
      hoursPerUnit: 1,
      team,
    })
    expect(result).toMatchObject({ kind: 'checked', warning: null })
  })

  it('bands: each band for each school type', () => {
    const banded = offer(
      'pupil_banded',
      year({
        bands: [
          { minPupils: 1, maxPupils: 100, price: { maintained: 76_500, academy: 80_000 } },
          { minPupils: 101, maxPupils: null, price: { maintained: 122_400, academy: 130_000 } },
        ],
      }),
      { one: 'year', other: 'years' },
    )
    const result = checkCostRecovery({ offer: banded, tradingYear: 2026, hoursPerUnit: 10, team })
    if (result.kind !== 'checked') throw new Error(result.kind)
    expect(result.points.map((p) => p.label)).toEqual([
      'Maintained schools, 1 to 100 pupils',
      'Academies, 1 to 100 pupils',
      'Maintained schools, 101 pupils or more',
      'Academies, 101 pupils or more',
    ])
    expect(result.warning).toBe('Below cost: £76.50 an hour against £81.25')
  })

  it('per pupil: worked out for a school of typical size, and says so; the minimum charge is a floor', () => {
    const perPupil = offer('per_pupil', year({ base: { maintained: 20_000, academy: 20_000 }, perPupil: { maintained: 300, academy: 350 } }), {
      one: 'year',
      other: 'years',
    })
    // 250 pupils: £200 + £750 = £950 maintained, £200 + £875 = £1,075 academy; 12 hours.
    const result = checkCostRecovery({ offer: perPupil, tradingYear: 2026, hoursPerUnit: 12, team })
    if (result.kind !== 'checked') throw new Error(result.kind)
    expect(result.points.map((p) => [p.label, p.pencePerUnit])).toEqual([
      ['Maintained schools, a school of 250 pupils', 95_000],
      ['Academies, a school of 250 pupils', 107_500],
    ])
    expect(result.warning).toBe('Below cost: £79.17 an hour against £81.25')
    expect(result.note).toContain('a school of 250 pupils')
    const floored = offer('per_pupil', { ...perPupil.prices[0]!, minimumCharge: 100_000 })
    const withMinimum = checkCostRecovery({ offer: floored, tradingYear: 2026, hoursPerUnit: 12, team })
    expect(withMinimum).toMatchObject({ kind: 'checked', warning: null })
  })

  it('says why it cannot check: no prices for the year, no hours per unit, no team figures', () => {
    const fixed = offer('fixed', year({ base: { maintained: 10_000, academy: 10_000 } }))
    expect(checkCostRecovery({ offer: fixed, tradingYear: 2027, hoursPerUnit: 1, team }).kind).toBe('no_prices')
    expect(checkCostRecovery({ offer: fixed, tradingYear: 2026, hoursPerUnit: 0, team }).kind).toBe('no_hours')
    expect(checkCostRecovery({ offer: fixed, tradingYear: 2026, hoursPerUnit: 1, team: null }).kind).toBe('no_team_costs')
  })
})
