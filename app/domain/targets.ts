import { capacityHours, toCentiHours } from './capacity'

/**
 * Targets and teams per trading year: copying last year's figures with a
 * percentage, and the floor that lowering a team's capacity meets. Pure
 * rules: money in integer pence, hours in hundredths.
 */

/** A percentage change as hundredths of a percent: "3" → 300, "-2.5" → -250. */
export type BasisPoints = number

/**
 * Pence changed by a percentage given in hundredths of a percent, rounded to
 * the nearest penny (halves away from zero), never below 0.
 * 100000 pence + 3% (300) → 103000; 1001 + 2.5% (250) → 1026 (1026.025).
 */
export function applyPercentage(pence: number, basisPoints: BasisPoints): number {
  if (!Number.isSafeInteger(pence) || !Number.isSafeInteger(basisPoints)) throw new RangeError('applyPercentage needs whole numbers')
  const scaled = pence * (10_000 + basisPoints)
  const rounded = Math.sign(scaled) * Math.round(Math.abs(scaled) / 10_000)
  return Math.max(0, rounded)
}

export type TeamYearFiguresAll = {
  establishmentFte: number
  chargeableHoursPerFte: number
  sessionalHours: number
  costPerFtePence: number
  centralFundingPence: number
}

export type YearFigures = {
  /** Income target per service id, in pence. */
  targets: Record<string, number>
  /** A team's figures per team id. */
  teams: Record<string, TeamYearFiguresAll>
}

/**
 * Next year's figures from last year's: money (income targets, cost per FTE,
 * central funding) changed by the percentage; FTE and hours copied as they are.
 */
export function copyYearFigures(last: YearFigures, basisPoints: BasisPoints): YearFigures {
  const targets: Record<string, number> = {}
  for (const [id, pence] of Object.entries(last.targets)) targets[id] = applyPercentage(pence, basisPoints)
  const teams: Record<string, TeamYearFiguresAll> = {}
  for (const [id, t] of Object.entries(last.teams)) {
    teams[id] = {
      establishmentFte: t.establishmentFte,
      chargeableHoursPerFte: t.chargeableHoursPerFte,
      sessionalHours: t.sessionalHours,
      costPerFtePence: applyPercentage(t.costPerFtePence, basisPoints),
      centralFundingPence: applyPercentage(t.centralFundingPence, basisPoints),
    }
  }
  return { targets, teams }
}

export type CapacityFloor = { ok: true } | { ok: false; bookedHours: number; capacityHours: number }

/**
 * Lowering a team's capacity below the hours already booked for the year
 * needs the administrator's explicit confirmation: never silent. Raising it,
 * leaving it, or lowering it to a figure still at or above what is booked
 * needs nothing. (A team already over-committed may still be raised.)
 */
export function capacityFloor(input: {
  before: Pick<TeamYearFiguresAll, 'establishmentFte' | 'chargeableHoursPerFte' | 'sessionalHours'> | null
  after: Pick<TeamYearFiguresAll, 'establishmentFte' | 'chargeableHoursPerFte' | 'sessionalHours'>
  bookedHours: number
}): CapacityFloor {
  const after = capacityHours(input.after)
  const before = input.before ? capacityHours(input.before) : null
  const lowered = before === null || toCentiHours(after) < toCentiHours(before)
  if (lowered && toCentiHours(after) < toCentiHours(input.bookedHours)) {
    return { ok: false, bookedHours: input.bookedHours, capacityHours: after }
  }
  return { ok: true }
}

/** A recommended FTE change applied to this year's establishment: never below 0, to hundredths. */
export function plannedFte(currentFte: number, change: number): number {
  return Math.max(0, Math.round((currentFte + change) * 100) / 100)
}
