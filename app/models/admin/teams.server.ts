import { clock } from '../../utils/clock'
import { sql } from 'kysely'
import type { DB } from '../../../db/connection'
import { capacityHours, toCentiHours } from '../../domain/capacity'
import { DEFAULT_START_MONTH, tradingYearOf } from '../../domain/trading-year'
import { TeamYearSchema, type TeamYearValues } from '../../schemas/admin'
import { type PromotedLine } from '../ordering/capacity.server'
import { fieldErrors, type FieldErrors, isUuid } from '../../schemas/common'
import { saveTargets } from './targets.server'
import type { Actor } from '../shared/actor.server'

/**
 * The LA administrator's view of the teams' capacity: each
 * team-year's establishment, what it can sell, what is reserved and what
 * waits. Raising capacity confirms waiting lines, oldest first, with an email.
 * Every query is limited to the administrator's own authority.
 */

export type TeamYearSummary = {
  teamId: string
  teamName: string
  tradingYear: number
  establishmentFte: number
  chargeableHoursPerFte: number
  sessionalHours: number
  costPerFtePence: number
  centralFundingPence: number
  capacityHours: number
  reservedHours: number
  waitlistedHours: number
}

/** Hundredths of an hour summed by the database, back to hours. */
const hours = (value: unknown) => toCentiHours(Number(value ?? 0)) / 100

async function summaries(db: DB, authorityId: string, filter: { years: number[]; teamId?: string }): Promise<TeamYearSummary[]> {
  if (filter.years.length === 0) return []
  let query = db
    .selectFrom('team_years as ty')
    .innerJoin('teams as t', (j) => j.onRef('t.authority_id', '=', 'ty.authority_id').onRef('t.id', '=', 'ty.team_id'))
    .select((eb) => [
      't.id as team_id',
      't.name as team_name',
      'ty.trading_year',
      'ty.establishment_fte',
      'ty.chargeable_hours_per_fte',
      'ty.sessional_hours',
      'ty.cost_per_fte_pence',
      'ty.central_funding_pence',
      eb
        .selectFrom('capacity_reservations as r')
        .select(sql<number>`coalesce(sum(r.hours), 0)::float8`.as('h'))
        .whereRef('r.authority_id', '=', 'ty.authority_id')
        .whereRef('r.team_id', '=', 'ty.team_id')
        .whereRef('r.trading_year', '=', 'ty.trading_year')
        .where('r.released_at', 'is', null)
        .as('reserved_hours'),
      eb
        .selectFrom('order_lines as l')
        .innerJoin('offers as f', (j) => j.onRef('f.authority_id', '=', 'l.authority_id').onRef('f.id', '=', 'l.offer_id'))
        .innerJoin('services as s', (j) => j.onRef('s.authority_id', '=', 'f.authority_id').onRef('s.id', '=', 'f.service_id'))
        .select(sql<number>`coalesce(sum(l.hours), 0)::float8`.as('h'))
        .whereRef('l.authority_id', '=', 'ty.authority_id')
        .whereRef('s.team_id', '=', 'ty.team_id')
        .whereRef('l.trading_year', '=', 'ty.trading_year')
        .where('l.status', '=', 'waitlisted')
        .as('waitlisted_hours'),
    ])
    .where('ty.authority_id', '=', authorityId)
    .where('ty.trading_year', 'in', filter.years)
  if (filter.teamId) query = query.where('ty.team_id', '=', filter.teamId)
  const rows = await query.orderBy('t.name').orderBy('t.id').orderBy('ty.trading_year').execute()
  return rows.map((r) => {
    const figures = {
      establishmentFte: Number(r.establishment_fte),
      chargeableHoursPerFte: r.chargeable_hours_per_fte,
      sessionalHours: r.sessional_hours,
    }
    return {
      teamId: r.team_id,
      teamName: r.team_name,
      tradingYear: r.trading_year,
      ...figures,
      costPerFtePence: Number(r.cost_per_fte_pence),
      centralFundingPence: Number(r.central_funding_pence),
      capacityHours: capacityHours(figures),
      reservedHours: hours(r.reserved_hours),
      waitlistedHours: hours(r.waitlisted_hours),
    }
  })
}

/** The trading year now and the next one, by the authority's financial year. */
export async function currentTradingYears(db: DB, authorityId: string, now = clock.now()): Promise<[number, number]> {
  const authority = await db.selectFrom('authorities').select('financial_year_start_month').where('id', '=', authorityId).executeTakeFirst()
  const year = tradingYearOf(now, authority?.financial_year_start_month ?? DEFAULT_START_MONTH)
  return [year, year + 1]
}

/** Every team's current and next trading year that has figures. */
export async function listTeamYears(db: DB, authorityId: string, now = clock.now()): Promise<TeamYearSummary[]> {
  return summaries(db, authorityId, { years: await currentTradingYears(db, authorityId, now) })
}

/** One team-year of the authority, or undefined (unknown team, another authority's, or no figures for that year). */
export async function getTeamYear(db: DB, authorityId: string, teamId: string, tradingYear: number): Promise<TeamYearSummary | undefined> {
  if (!isUuid(teamId)) return undefined
  const [row] = await summaries(db, authorityId, { years: [tradingYear], teamId })
  return row
}

export type SaveTeamYearResult =
  { ok: true; promoted: PromotedLine[] } | { ok: false; notFound: true } | { ok: false; errors: FieldErrors; belowBooked: number | null }

/**
 * Saves one team-year's figures through saveTargets, the one save of the
 * targets page (same schema, same floor, same audit): nothing is saved when
 * any figure is wrong, or when capacity would go below what is booked
 * without `confirmBelowBooked`.
 */
export async function saveTeamYear(
  db: DB,
  actor: Actor,
  teamId: string,
  tradingYear: number,
  values: TeamYearValues,
  confirmBelowBooked = false,
): Promise<SaveTeamYearResult> {
  if (!(await getTeamYear(db, actor.authorityId, teamId, tradingYear))) return { ok: false, notFound: true }
  // Every figure is required here (the targets page may leave a whole team empty).
  const parsed = TeamYearSchema.safeParse(values)
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues), belowBooked: null }
  const result = await saveTargets(db, actor, tradingYear, {
    targets: {},
    teams: { [teamId]: values },
    confirmed: confirmBelowBooked ? [teamId] : [],
  })
  if (result.ok) return { ok: true, promoted: result.promoted }
  if ('notFound' in result) return result
  const suffix = `-${teamId}`
  const errors: FieldErrors = {}
  for (const [key, message] of Object.entries(result.errors)) errors[key.endsWith(suffix) ? key.slice(0, -suffix.length) : key] = message
  return { ok: false, errors, belowBooked: result.belowBooked[teamId] ?? null }
}
