import { describe, expect, it } from 'vitest'
import {
  fteAffordable,
  fteNeeded,
  hasUnmetDemand,
  incomeGap,
  isScenario,
  projectScenario,
  recommend,
  teamCapacityHours,
  teamModel,
  utilisationPercent,
  type TeamYearInputs,
} from '~/domain/capacity-model'

/** Educational Psychology in 2026/27, as seeded: nearly full, with a waiting list it can afford to meet. */
const ep: TeamYearInputs = {
  establishmentFte: 7.4,
  chargeableHoursPerFte: 1000,
  sessionalHours: 150,
  costPerFtePence: 76_000_00,
  centralFundingPence: 0,
  bookedHours: 7455.5,
  waitlistedHours: 318.5,
  incomeBookedPence: 587_200_00,
  incomeTargetPence: 650_000_00,
}

/** Outdoor Education in 2026/27: far below target with a large establishment. */
const outdoor: TeamYearInputs = {
  establishmentFte: 12,
  chargeableHoursPerFte: 1000,
  sessionalHours: 1000,
  costPerFtePence: 52_000_00,
  centralFundingPence: 60_000_00,
  bookedHours: 5530.5,
  waitlistedHours: 0,
  incomeBookedPence: 372_089_00,
  incomeTargetPence: 720_000_00,
}

describe('the capacity model: figures', () => {
  it('capacity hours are establishment FTE × chargeable hours per FTE + sessional hours', () => {
    expect(teamCapacityHours(ep)).toBe(7550)
    expect(teamCapacityHours({ establishmentFte: 0.33, chargeableHoursPerFte: 950, sessionalHours: 0 })).toBe(313.5)
  })

  it('utilisation is booked ÷ capacity as a percentage to one decimal place, and none without capacity', () => {
    expect(utilisationPercent(7455.5, 7550)).toBe(98.7)
    expect(utilisationPercent(2, 3)).toBe(66.7)
    expect(utilisationPercent(120, 100)).toBe(120)
    expect(utilisationPercent(5, 0)).toBeNull()
  })

  it('FTE needed is (booked + waitlisted − sessional hours) ÷ chargeable hours per FTE, rounded up to 0.1 FTE', () => {
    // (7455.5 + 318.5 − 150) ÷ 1000 = 7.624 → 7.7
    expect(fteNeeded(ep)).toBe(7.7)
    // Exactly 7.6 stays 7.6 (hundredths of an hour make the sum exact).
    expect(fteNeeded({ bookedHours: 7600, waitlistedHours: 0, sessionalHours: 0, chargeableHoursPerFte: 1000 })).toBe(7.6)
    expect(fteNeeded({ bookedHours: 7600.01, waitlistedHours: 0, sessionalHours: 0, chargeableHoursPerFte: 1000 })).toBe(7.7)
  })

  it('FTE needed counts sessional hours first and is never below 0', () => {
    expect(fteNeeded({ bookedHours: 12_000, waitlistedHours: 0, sessionalHours: 13_000, chargeableHoursPerFte: 900 })).toBe(0)
    expect(fteNeeded({ bookedHours: 16_048, waitlistedHours: 0, sessionalHours: 13_000, chargeableHoursPerFte: 900 })).toBe(3.4)
  })

  it('FTE needed is not known when staff have no chargeable hours', () => {
    expect(fteNeeded({ bookedHours: 10, waitlistedHours: 0, sessionalHours: 0, chargeableHoursPerFte: 0 })).toBeNull()
  })

  it('FTE affordable is (income booked + central funding) ÷ cost per FTE, rounded down to 0.1 FTE', () => {
    // 587,200 ÷ 76,000 = 7.726 → 7.7
    expect(fteAffordable(ep)).toBe(7.7)
    // (372,089 + 60,000) ÷ 52,000 = 8.309 → 8.3
    expect(fteAffordable(outdoor)).toBe(8.3)
    // Exactly 3 FTE is 3 FTE.
    expect(fteAffordable({ incomeBookedPence: 150_000_00, centralFundingPence: 0, costPerFtePence: 50_000_00 })).toBe(3)
    expect(fteAffordable({ incomeBookedPence: 149_999_99, centralFundingPence: 0, costPerFtePence: 50_000_00 })).toBe(2.9)
  })

  it('FTE affordable has no limit when staff cost nothing', () => {
    expect(fteAffordable({ incomeBookedPence: 0, centralFundingPence: 0, costPerFtePence: 0 })).toBeNull()
  })

  it('the gap is income booked − target, negative when short', () => {
    expect(incomeGap(587_200_00, 650_000_00)).toBe(-62_800_00)
    expect(incomeGap(50_000_00, 48_000_00)).toBe(2_000_00)
  })

  it('demand is unmet when booked + waitlisted hours exceed capacity', () => {
    expect(hasUnmetDemand(7455.5, 318.5, 7550)).toBe(true)
    expect(hasUnmetDemand(7455.5, 94.5, 7550)).toBe(false)
    expect(hasUnmetDemand(7550, 0, 7550)).toBe(false)
  })
})

describe('the capacity model: recommendations', () => {
  const base = { establishmentFte: 5, fteNeeded: 4, fteAffordable: 5, unmetDemand: false, incomeBookedPence: 100, incomeTargetPence: 100 }

  it('income below target and affordable FTE below establishment recommends reduce by the difference', () => {
    const r = recommend({ ...base, fteAffordable: 4.3, incomeBookedPence: 99, incomeTargetPence: 100 })
    expect(r).toEqual({ kind: 'reduce', fteChange: -0.7, fteAfter: 4.3, rule: 'income-below-target-and-unaffordable' })
    expect(teamModel(outdoor).recommendation).toEqual({
      kind: 'reduce',
      fteChange: -3.7,
      fteAfter: 8.3,
      rule: 'income-below-target-and-unaffordable',
    })
  })

  it('reduce wins over unmet demand: money the team does not have cannot pay for staff', () => {
    const r = recommend({ ...base, unmetDemand: true, fteNeeded: 6, fteAffordable: 4.5, incomeBookedPence: 90, incomeTargetPence: 100 })
    expect(r.kind).toBe('reduce')
    expect(r.fteChange).toBe(-0.5)
  })

  it('unmet demand and income that supports it recommends expand to the FTE needed', () => {
    const r = recommend({ ...base, unmetDemand: true, fteNeeded: 5.6, fteAffordable: 6.2 })
    expect(r).toEqual({ kind: 'expand', fteChange: 0.6, fteAfter: 5.6, rule: 'unmet-demand-and-income-supports-it' })
    // EP, seeded: needs 7.7 FTE, affords 7.7, has 7.4.
    expect(teamModel(ep).recommendation).toEqual({ kind: 'expand', fteChange: 0.3, fteAfter: 7.7, rule: 'unmet-demand-and-income-supports-it' })
  })

  it('expansion stops at what income affords when demand needs more', () => {
    const r = recommend({ ...base, unmetDemand: true, fteNeeded: 7, fteAffordable: 5.4 })
    expect(r).toMatchObject({ kind: 'expand', fteAfter: 5.4 })
    expect(r.fteChange).toBeCloseTo(0.4, 10)
  })

  it('unmet demand expands even below target, as long as income pays for more staff than the establishment', () => {
    const r = recommend({ ...base, unmetDemand: true, fteNeeded: 5.5, fteAffordable: 5.2, incomeBookedPence: 80, incomeTargetPence: 100 })
    expect(r).toMatchObject({ kind: 'expand', fteAfter: 5.2 })
  })

  it('unmet demand that income does not pay for recommends hold', () => {
    const r = recommend({ ...base, unmetDemand: true, fteNeeded: 6, fteAffordable: 5 })
    expect(r).toEqual({ kind: 'hold', fteChange: 0, fteAfter: 5, rule: 'unmet-demand-but-income-does-not-support-it' })
  })

  it('demand met and the establishment paid for recommends hold, even with spare capacity', () => {
    expect(recommend({ ...base, fteNeeded: 2, fteAffordable: 9 })).toEqual({
      kind: 'hold',
      fteChange: 0,
      fteAfter: 5,
      rule: 'demand-met-and-establishment-affordable',
    })
  })

  it('income at or above target never recommends reduce, even when the establishment is not paid for', () => {
    const r = recommend({ ...base, fteAffordable: 3, incomeBookedPence: 100, incomeTargetPence: 100 })
    expect(r).toMatchObject({ kind: 'hold', rule: 'establishment-unaffordable-but-target-met' })
  })

  it('affordable FTE equal to the establishment is not below it: hold', () => {
    expect(recommend({ ...base, fteAffordable: 5, incomeBookedPence: 1, incomeTargetPence: 100 }).kind).toBe('hold')
  })

  it('an establishment with hundredths is compared exactly, and the change keeps them', () => {
    const r = recommend({ ...base, establishmentFte: 4.25, fteAffordable: 4.2, incomeBookedPence: 1, incomeTargetPence: 2 })
    expect(r).toMatchObject({ kind: 'reduce', fteAfter: 4.2 })
    expect(r.fteChange).toBe(-0.05)
  })

  it('with no limit on affordable FTE (staff cost nothing), unmet demand expands to the FTE needed', () => {
    expect(recommend({ ...base, unmetDemand: true, fteNeeded: 6.3, fteAffordable: null })).toMatchObject({ kind: 'expand', fteAfter: 6.3 })
  })

  it('without chargeable hours no FTE can meet demand: hold', () => {
    expect(recommend({ ...base, unmetDemand: true, fteNeeded: null }).kind).toBe('hold')
  })
})

describe('the capacity model: every figure at once', () => {
  it('gives the capacity model’s figures for a team-year', () => {
    expect(teamModel(ep)).toEqual({
      capacityHours: 7550,
      bookedHours: 7455.5,
      waitlistedHours: 318.5,
      demandHours: 7774,
      unmetDemandHours: 224,
      utilisationPercent: 98.7,
      establishmentFte: 7.4,
      fteNeeded: 7.7,
      fteAffordable: 7.7,
      incomeBookedPence: 587_200_00,
      incomeTargetPence: 650_000_00,
      gapPence: -62_800_00,
      centralFundingPence: 0,
      recommendation: { kind: 'expand', fteChange: 0.3, fteAfter: 7.7, rule: 'unmet-demand-and-income-supports-it' },
    })
  })
})

describe('scenarios', () => {
  const team: TeamYearInputs = {
    establishmentFte: 5,
    chargeableHoursPerFte: 1000,
    sessionalHours: 0,
    costPerFtePence: 50_000_00,
    centralFundingPence: 0,
    bookedHours: 4000,
    waitlistedHours: 0,
    incomeBookedPence: 240_000_00,
    incomeTargetPence: 260_000_00,
  }
  const buyBack = { buyers: 80, schools: 100 }

  it('asks for nothing without a buy-back rate or a price change', () => {
    expect(isScenario({})).toBe(false)
    expect(isScenario({ priceChangePercent: 0 })).toBe(true)
  })

  it('today’s buy-back and prices reproduce the actual figures', () => {
    const result = projectScenario(team, buyBack, { buyBackPercent: 80, priceChangePercent: 0 })
    expect(result.ok && result.model).toEqual(teamModel(team))
  })

  it('buy-back scales demand and income by (X% × eligible schools) ÷ today’s buyers', () => {
    const result = projectScenario(team, buyBack, { buyBackPercent: 90 })
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.buyerFactor).toBe(1.125)
    expect(result.inputs.bookedHours).toBe(4500)
    expect(result.inputs.incomeBookedPence).toBe(270_000_00)
    expect(result.model.recommendation.kind).toBe('hold')
  })

  it('booked hours never exceed capacity: the rest joins the waiting list and earns nothing yet', () => {
    const result = projectScenario(team, buyBack, { buyBackPercent: 100 })
    if (!result.ok) throw new Error('no projection')
    // 4000 × 1.25 = 5000 hours wanted, 5000 capacity: all booked.
    expect(result.inputs).toMatchObject({ bookedHours: 5000, waitlistedHours: 0, incomeBookedPence: 300_000_00 })
    const busier = projectScenario({ ...team, waitlistedHours: 400 }, buyBack, { buyBackPercent: 100 })
    if (!busier.ok) throw new Error('no projection')
    // Wanted: 5000 booked + 500 waiting; capacity 5000.
    expect(busier.inputs).toMatchObject({ bookedHours: 5000, waitlistedHours: 500, incomeBookedPence: 300_000_00 })
    // 5500 hours need 5.5 FTE; £300,000 pays for 6: expand by 0.5.
    expect(busier.model.recommendation).toMatchObject({ kind: 'expand', fteChange: 0.5 })
  })

  it('a price change changes income, not demand', () => {
    const result = projectScenario(team, buyBack, { priceChangePercent: -10 })
    if (!result.ok) throw new Error('no projection')
    expect(result.inputs.bookedHours).toBe(4000)
    expect(result.inputs.incomeBookedPence).toBe(216_000_00)
    // £216,000 pays for 4.3 FTE, below target and establishment: reduce by 0.7.
    expect(result.model.recommendation).toMatchObject({ kind: 'reduce', fteAfter: 4.3 })
  })

  it('a team whose sales take no hours scales income by the buyer factor', () => {
    const hire = { ...team, bookedHours: 0, incomeBookedPence: 10_000_00 }
    const result = projectScenario(hire, { buyers: 10, schools: 40 }, { buyBackPercent: 50 })
    expect(result.ok && result.inputs.incomeBookedPence).toBe(20_000_00)
  })

  it('hours already confirmed above a lowered capacity stay booked', () => {
    const over = { ...team, establishmentFte: 3 } // capacity 3000, 4000 booked
    const result = projectScenario(over, buyBack, { buyBackPercent: 80 })
    expect(result.ok && result.inputs.bookedHours).toBe(4000)
  })

  it('a buy-back rate cannot be projected from no buyers or no schools', () => {
    expect(projectScenario(team, { buyers: 0, schools: 100 }, { buyBackPercent: 50 })).toEqual({ ok: false, reason: 'no-buyers' })
    expect(projectScenario(team, { buyers: 0, schools: 0 }, { buyBackPercent: 50 })).toEqual({ ok: false, reason: 'no-schools' })
    // A price change alone needs no buyers.
    expect(projectScenario(team, { buyers: 0, schools: 0 }, { priceChangePercent: 5 }).ok).toBe(true)
  })

  it('rounds projected hours to the hundredth and money to the penny', () => {
    const result = projectScenario({ ...team, bookedHours: 100, incomeBookedPence: 1001 }, { buyers: 3, schools: 10 }, { buyBackPercent: 10 })
    // Factor 1/3: 33.333… hours → 33.33; income follows them: 1001 × 33.33 ÷ 100 = 333.63… → 334 pence.
    expect(result.ok && result.inputs.bookedHours).toBe(33.33)
    expect(result.ok && result.inputs.incomeBookedPence).toBe(334)
  })
})
