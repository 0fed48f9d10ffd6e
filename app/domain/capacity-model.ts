/**
 * The team-capacity model (docs/product.md): for one team and trading year, what it
 * can deliver, what is booked and waiting, what staff that demand needs, what
 * staff the income pays for, and whether the team should expand, hold or
 * reduce. Pure: app/models/capacity-model.server.ts gathers the inputs.
 * The rules, their rounding and why are in docs/decisions/0010.
 *
 * Units: hours are counted in hundredths (integers) and money in pence, so
 * every sum is exact. FTE figures come out in tenths of an FTE (staffing is
 * planned in 0.1 FTE steps); the establishment may have hundredths.
 */
import { capacityHours, toCentiHours } from './capacity'

export type TeamYearInputs = {
  establishmentFte: number
  chargeableHoursPerFte: number
  sessionalHours: number
  costPerFtePence: number
  centralFundingPence: number
  /** Hours held by confirmed (and completed) lines. */
  bookedHours: number
  /** Hours of lines on the waiting list: demand the team has not met. */
  waitlistedHours: number
  /** Net income of confirmed and completed lines, plus late-cancellation fees. */
  incomeBookedPence: number
  /** The income targets of the team's services, added up. */
  incomeTargetPence: number
}

export type RecommendationKind = 'expand' | 'hold' | 'reduce'

/** The rule that decided the recommendation, for people and tests. */
export type RecommendationRule =
  | 'income-below-target-and-unaffordable'
  | 'unmet-demand-and-income-supports-it'
  | 'unmet-demand-but-income-does-not-support-it'
  | 'demand-met-and-establishment-affordable'
  | 'establishment-unaffordable-but-target-met'

export type Recommendation = {
  kind: RecommendationKind
  /** FTE to add (positive) or remove (negative); 0 to hold. */
  fteChange: number
  /** The establishment the recommendation leads to. */
  fteAfter: number
  rule: RecommendationRule
}

export type TeamModel = {
  capacityHours: number
  bookedHours: number
  waitlistedHours: number
  /** Booked plus waitlisted hours. */
  demandHours: number
  /** Demand above capacity (0 when the team can meet it). */
  unmetDemandHours: number
  /** Booked ÷ capacity, as a percentage to one decimal place; null when capacity is 0. */
  utilisationPercent: number | null
  establishmentFte: number
  /** Null when a member of staff has no chargeable hours (no FTE can meet the demand). */
  fteNeeded: number | null
  /** Null when staff cost nothing (any number is affordable). */
  fteAffordable: number | null
  incomeBookedPence: number
  incomeTargetPence: number
  /** Booked − target: negative when short of the target. */
  gapPence: number
  centralFundingPence: number
  recommendation: Recommendation
}

/** FTE to whole hundredths (7.4 → 740), like hours. */
export function toCentiFte(fte: number): number {
  return Math.round(fte * 100)
}

/**
 * Rule "capacity hours": establishment FTE × chargeable hours per FTE +
 * sessional hours (app/domain/capacity.ts, the same rule confirmation uses).
 */
export function teamCapacityHours(inputs: Pick<TeamYearInputs, 'establishmentFte' | 'chargeableHoursPerFte' | 'sessionalHours'>): number {
  return capacityHours(inputs)
}

/** Rule "utilisation": booked ÷ capacity, as a percentage rounded to one decimal place; none without capacity. */
export function utilisationPercent(bookedHours: number, capacity: number): number | null {
  const cap = toCentiHours(capacity)
  if (cap <= 0) return null
  return Math.round((toCentiHours(bookedHours) * 1000) / cap) / 10
}

/**
 * Rule "FTE needed": (booked + waitlisted − sessional hours, never below 0)
 * ÷ chargeable hours per FTE, rounded up to the next 0.1 FTE, so that the
 * staff it names can deliver all of the demand. Sessional hours (associates,
 * self-employed tutors) meet demand before employed staff do; for a team
 * without them this is (booked + waitlisted) ÷ chargeable hours.
 * None when a member of staff has no chargeable hours.
 */
export function fteNeeded(
  inputs: Pick<TeamYearInputs, 'bookedHours' | 'waitlistedHours' | 'sessionalHours' | 'chargeableHoursPerFte'>,
): number | null {
  if (inputs.chargeableHoursPerFte <= 0) return null
  const demand = toCentiHours(inputs.bookedHours) + toCentiHours(inputs.waitlistedHours)
  const forStaff = Math.max(0, demand - inputs.sessionalHours * 100)
  // Hundredths of an hour ÷ (chargeable hours × 100) = FTE; in tenths: ÷ (chargeable × 10).
  const tenths = Math.ceil(forStaff / (inputs.chargeableHoursPerFte * 10))
  return tenths / 10
}

/**
 * Rule "FTE affordable": (income booked + central funding) ÷ cost per FTE,
 * rounded down to the 0.1 FTE below, so that the staff it names are paid for
 * in full. None (no limit) when staff cost nothing.
 */
export function fteAffordable(inputs: Pick<TeamYearInputs, 'incomeBookedPence' | 'centralFundingPence' | 'costPerFtePence'>): number | null {
  if (inputs.costPerFtePence <= 0) return null
  const money = Math.max(0, inputs.incomeBookedPence + inputs.centralFundingPence)
  return Math.floor((money * 10) / inputs.costPerFtePence) / 10
}

/** Rule "gap": income booked − income target (negative when short). */
export function incomeGap(incomeBookedPence: number, incomeTargetPence: number): number {
  return incomeBookedPence - incomeTargetPence
}

/** Rule "unmet demand": booked + waitlisted hours exceed capacity. */
export function hasUnmetDemand(bookedHours: number, waitlistedHours: number, capacity: number): boolean {
  return toCentiHours(bookedHours) + toCentiHours(waitlistedHours) > toCentiHours(capacity)
}

/**
 * The recommendation, by the first rule that applies:
 *
 * 1. "income below target and affordable FTE below establishment recommends
 *    reduce by the difference": reduce to the affordable FTE.
 * 2. "unmet demand and income supports it recommends expand": the affordable
 *    FTE is above the establishment; expand to the FTE needed, or to the
 *    affordable FTE if that is lower.
 * 3. otherwise hold: demand is met and the establishment is paid for; or
 *    demand exceeds capacity but income pays for no more staff (the prices
 *    or the target need a look); or the establishment is not paid for but
 *    the target is met (the target needs a look, not the team).
 */
export function recommend(input: {
  establishmentFte: number
  fteNeeded: number | null
  fteAffordable: number | null
  unmetDemand: boolean
  incomeBookedPence: number
  incomeTargetPence: number
}): Recommendation {
  const establishment = toCentiFte(input.establishmentFte)
  const affordable = input.fteAffordable === null ? null : toCentiFte(input.fteAffordable)
  const needed = input.fteNeeded === null ? null : toCentiFte(input.fteNeeded)
  const belowTarget = input.incomeBookedPence < input.incomeTargetPence
  const result = (kind: RecommendationKind, after: number, rule: RecommendationRule): Recommendation => ({
    kind,
    fteChange: (after - establishment) / 100,
    fteAfter: after / 100,
    rule,
  })

  if (belowTarget && affordable !== null && affordable < establishment) {
    return result('reduce', affordable, 'income-below-target-and-unaffordable')
  }
  if (input.unmetDemand && needed !== null) {
    const canAfford = affordable === null || affordable > establishment
    const to = affordable === null ? needed : Math.min(needed, affordable)
    if (canAfford && to > establishment) return result('expand', to, 'unmet-demand-and-income-supports-it')
    return result('hold', establishment, 'unmet-demand-but-income-does-not-support-it')
  }
  if (affordable !== null && affordable < establishment) {
    return result('hold', establishment, 'establishment-unaffordable-but-target-met')
  }
  return result('hold', establishment, 'demand-met-and-establishment-affordable')
}

/** Every figure of the capacity model (docs/product.md) for one team-year. */
export function teamModel(inputs: TeamYearInputs): TeamModel {
  const capacity = teamCapacityHours(inputs)
  const booked = toCentiHours(inputs.bookedHours) / 100
  const waitlisted = toCentiHours(inputs.waitlistedHours) / 100
  const demand = (toCentiHours(booked) + toCentiHours(waitlisted)) / 100
  const needed = fteNeeded(inputs)
  const affordable = fteAffordable(inputs)
  const unmet = hasUnmetDemand(booked, waitlisted, capacity)
  return {
    capacityHours: capacity,
    bookedHours: booked,
    waitlistedHours: waitlisted,
    demandHours: demand,
    unmetDemandHours: Math.max(0, toCentiHours(demand) - toCentiHours(capacity)) / 100,
    utilisationPercent: utilisationPercent(booked, capacity),
    establishmentFte: toCentiFte(inputs.establishmentFte) / 100,
    fteNeeded: needed,
    fteAffordable: affordable,
    incomeBookedPence: inputs.incomeBookedPence,
    incomeTargetPence: inputs.incomeTargetPence,
    gapPence: incomeGap(inputs.incomeBookedPence, inputs.incomeTargetPence),
    centralFundingPence: inputs.centralFundingPence,
    recommendation: recommend({
      establishmentFte: inputs.establishmentFte,
      fteNeeded: needed,
      fteAffordable: affordable,
      unmetDemand: unmet,
      incomeBookedPence: inputs.incomeBookedPence,
      incomeTargetPence: inputs.incomeTargetPence,
    }),
  }
}

// ---------------------------------------------------------------------------
// Scenarios: "what if buy-back reaches X%", "what if prices change by Y%".

export type Scenario = {
  /** The share of eligible schools buying from the team, 0 to 100. */
  buyBackPercent?: number
  /** A change to every price of the team's services, in per cent (−10 is a 10% cut). */
  priceChangePercent?: number
}

export type BuyBack = { buyers: number; schools: number }

export type ScenarioResult =
  | {
      ok: true
      /** How many times today's buying schools the scenario has. */
      buyerFactor: number
      inputs: TeamYearInputs
      model: TeamModel
    }
  | { ok: false; reason: 'no-buyers' | 'no-schools' }

/** True when the scenario asks for anything. */
export function isScenario(s: Scenario): boolean {
  return s.buyBackPercent !== undefined || s.priceChangePercent !== undefined
}

/**
 * A scenario's projection, by these rules (nothing is saved):
 *
 * - "buy-back scales demand": with X% of the eligible schools buying instead
 *   of today's buyers, each extra school buys what today's average buying
 *   school does, so booked and waitlisted hours scale by
 *   (X% × eligible schools) ÷ today's buyers. Without X, buyers stay as they are.
 * - "booked hours never exceed capacity": booked hours above capacity join
 *   the waiting list, as confirmation would put them there (hours already
 *   confirmed above a since-lowered capacity stay booked).
 * - "income follows booked hours": income scales with booked hours (by the
 *   buyer factor for a team whose sales take no hours), then by the price
 *   change. Demand does not react to price: the lead says what buy-back to
 *   expect at that price.
 * - the model's rules then apply to the projected figures as to the actuals.
 *
 * Hours round to the hundredth, money to the penny.
 */
export function projectScenario(actual: TeamYearInputs, buyBack: BuyBack, scenario: Scenario): ScenarioResult {
  let factorNumerator = 1
  let factorDenominator = 1
  if (scenario.buyBackPercent !== undefined) {
    if (buyBack.schools <= 0) return { ok: false, reason: 'no-schools' }
    if (buyBack.buyers <= 0) return { ok: false, reason: 'no-buyers' }
    // (X / 100 × schools) ÷ buyers, kept as a fraction of integers where X has up to 1 decimal.
    factorNumerator = Math.round(scenario.buyBackPercent * 10) * buyBack.schools
    factorDenominator = 1000 * buyBack.buyers
  }
  const scale = (centi: number) => Math.round((centi * factorNumerator) / factorDenominator)
  const capacity = toCentiHours(teamCapacityHours(actual))
  const bookedBefore = toCentiHours(actual.bookedHours)
  const scaledBooked = scale(bookedBefore)
  const scaledWaiting = scale(toCentiHours(actual.waitlistedHours))
  // Hours already confirmed above capacity (capacity lowered since) are kept, as they are in reality.
  const booked = Math.min(scaledBooked, Math.max(capacity, bookedBefore))
  const waiting = scaledWaiting + (scaledBooked - booked)
  const priceFactor = 100 + (scenario.priceChangePercent ?? 0)
  const incomeAtTodaysPrices =
    bookedBefore > 0
      ? Math.round((actual.incomeBookedPence * booked) / bookedBefore)
      : Math.round((actual.incomeBookedPence * factorNumerator) / factorDenominator)
  const income = Math.round((incomeAtTodaysPrices * priceFactor) / 100)
  const inputs: TeamYearInputs = {
    ...actual,
    bookedHours: booked / 100,
    waitlistedHours: waiting / 100,
    incomeBookedPence: income,
  }
  return { ok: true, buyerFactor: factorNumerator / factorDenominator, inputs, model: teamModel(inputs) }
}
