/**
 * The cost-recovery check (SPEC §8, docs/decisions/0021): does each price an
 * offer charges cover the team's cost of the time it takes? Pure, no I/O.
 *
 * Price per team hour = the price of one unit / the team hours one unit
 * takes (hours_per_unit). Cost per chargeable hour = the team's cost per FTE
 * / its chargeable hours per FTE, for the same trading year. Every price
 * point is checked: the base price, each tier and each band, for maintained
 * schools and academies, never below the minimum charge; a per-pupil price
 * is worked out for a school of typical size (TYPICAL_PUPILS unless given).
 */
import { formatPence } from './money'
import { pricesForYear, type PricedOffer, type PricePair, type SchoolType } from './pricing'
import { formatCount } from './quantities'

/** The school size a per-pupil price is checked at. */
export const TYPICAL_PUPILS = 250

export type TeamYearCost = { costPerFtePence: number; chargeableHoursPerFte: number }

export type PricePoint = {
  /** "Maintained schools, 1 to 9 days", "Academies". */
  label: string
  schoolType: SchoolType
  pencePerUnit: number
  /** Rounded to whole pence, for showing. */
  pencePerHour: number
  belowCost: boolean
}

export type CostRecovery =
  | { kind: 'no_prices' }
  | { kind: 'no_hours'; message: string }
  | { kind: 'no_team_costs'; message: string }
  | {
      kind: 'checked'
      costPerHourPence: number
      points: PricePoint[]
      /** The lowest price per team hour of any price point. */
      lowestPerHourPence: number
      /** "Below cost: £X an hour against £Y", or null when every price point covers the cost. */
      warning: string | null
      /** Plain English: how the figures were reached. */
      note: string
    }

/** The team's cost of one chargeable hour, in whole pence; null when the team's figures cannot give one. */
export function costPerChargeableHourPence(team: TeamYearCost | null | undefined): number | null {
  if (!team || !(team.chargeableHoursPerFte > 0) || !Number.isFinite(team.costPerFtePence) || team.costPerFtePence < 0) return null
  return Math.round(team.costPerFtePence / team.chargeableHoursPerFte)
}

const TYPES: { type: SchoolType; label: string }[] = [
  { type: 'maintained', label: 'Maintained schools' },
  { type: 'academy', label: 'Academies' },
]

function rangeLabel(min: number, max: number | null, one: string, other: string): string {
  if (max === null) return `${formatCount(min)} ${min === 1 ? one : other} or more`
  if (min === max) return `${formatCount(min)} ${min === 1 ? one : other}`
  return `${formatCount(min)} to ${formatCount(max)} ${other}`
}

/** Every price of one unit the offer charges in the year, by school type, before hours. */
function unitPrices(offer: PricedOffer, tradingYear: number, typicalPupils: number): { label: string; schoolType: SchoolType; pence: number }[] {
  const prices = pricesForYear(offer, tradingYear)
  if (!prices) return []
  const points: { label: string; schoolType: SchoolType; pence: number }[] = []
  const add = (suffix: string | null, pair: PricePair, extra: (type: SchoolType) => number = () => 0) => {
    for (const { type, label } of TYPES) {
      const pence = Math.max(pair[type] + extra(type), prices.minimumCharge ?? 0)
      points.push({ label: suffix ? `${label}, ${suffix}` : label, schoolType: type, pence })
    }
  }
  switch (offer.pricingModel) {
    case 'fixed':
    case 'per_place':
      add(null, prices.base)
      break
    case 'per_unit':
      if (prices.tiers.length === 0) add(null, prices.base)
      for (const t of [...prices.tiers].sort((a, b) => a.minQuantity - b.minQuantity)) {
        add(rangeLabel(t.minQuantity, t.maxQuantity, offer.unit.one, offer.unit.other), t.unitPrice)
      }
      break
    case 'pupil_banded':
      for (const b of [...prices.bands].sort((a, b) => a.minPupils - b.minPupils)) {
        add(rangeLabel(b.minPupils, b.maxPupils, 'pupil', 'pupils'), b.price)
      }
      break
    case 'per_pupil':
      add(`a school of ${formatCount(typicalPupils)} pupils`, prices.base, (type) => (prices.perPupil ? prices.perPupil[type] * typicalPupils : 0))
      break
  }
  return points
}

/**
 * The cost-recovery check of an offer's prices for one trading year. The
 * offer editor can call it with the prices being edited (a PricedOffer with
 * that year's prices), the offer's hours per unit and the team's figures.
 */
export function checkCostRecovery(input: {
  offer: PricedOffer
  tradingYear: number
  hoursPerUnit: number
  team: TeamYearCost | null | undefined
  typicalPupils?: number
}): CostRecovery {
  const typicalPupils = input.typicalPupils ?? TYPICAL_PUPILS
  const prices = unitPrices(input.offer, input.tradingYear, typicalPupils)
  if (prices.length === 0) return { kind: 'no_prices' }
  if (!(input.hoursPerUnit > 0)) {
    return { kind: 'no_hours', message: 'No team hours are set for each unit, so the price per hour cannot be checked.' }
  }
  const cost = costPerChargeableHourPence(input.team)
  if (cost === null) {
    return { kind: 'no_team_costs', message: 'The team’s cost per FTE and chargeable hours are not set for this year.' }
  }
  const exactCost = input.team!.costPerFtePence / input.team!.chargeableHoursPerFte
  const points: PricePoint[] = prices.map((p) => ({
    label: p.label,
    schoolType: p.schoolType,
    pencePerUnit: p.pence,
    pencePerHour: Math.round(p.pence / input.hoursPerUnit),
    belowCost: p.pence / input.hoursPerUnit < exactCost,
  }))
  const lowest = points.reduce((a, b) => (b.pencePerUnit / input.hoursPerUnit < a.pencePerUnit / input.hoursPerUnit ? b : a))
  const hours = Number.isInteger(input.hoursPerUnit) ? String(input.hoursPerUnit) : String(Number(input.hoursPerUnit.toFixed(2)))
  const note =
    `Price of one ${input.offer.unit.one} divided by its ${hours} team ${input.hoursPerUnit === 1 ? 'hour' : 'hours'}, ` +
    `against the team’s cost per FTE divided by its chargeable hours per FTE (${formatPence(cost)} an hour)` +
    (input.offer.pricingModel === 'per_pupil' ? `; per-pupil prices are worked out for a school of ${formatCount(typicalPupils)} pupils.` : '.')
  return {
    kind: 'checked',
    costPerHourPence: cost,
    points,
    lowestPerHourPence: lowest.pencePerHour,
    warning: points.some((p) => p.belowCost) ? `Below cost: ${formatPence(lowest.pencePerHour)} an hour against ${formatPence(cost)}` : null,
    note,
  }
}
