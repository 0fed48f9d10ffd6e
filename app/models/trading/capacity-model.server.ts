import { sql } from 'kysely'
import type { DB } from '../../../db/connection'
import { toCentiHours } from '../../domain/capacity'
import {
  isScenario,
  projectScenario,
  teamModel,
  type Scenario,
  type ScenarioResult,
  type TeamModel,
  type TeamYearInputs,
} from '../../domain/capacity-model'
import { incomeByService } from './income.server'
import { servicesInScope, type ServiceInfo } from './scope.server'
import { buyBackOfGroups, type BuyBackFigures } from './trading.server'
import { authorityScope, type StaffScope } from '../shared/access-scope.server'

/**
 * The team-capacity model for /la/capacity: each team's
 * figures for a trading year, gathered here and decided by the pure rules
 * of app/domain/capacity-model.ts, with an optional scenario beside them.
 * A service lead sees the teams that deliver the services they lead (each
 * team whole: capacity belongs to the team); the LA administrator every
 * team. Every query filters by authority_id.
 */

export type TeamInfo = { id: string; slug: string; name: string; services: ServiceInfo[] }

export type TeamCapacity = {
  teamId: string
  teamSlug: string
  teamName: string
  serviceNames: string[]
  inputs: TeamYearInputs
  model: TeamModel
  invoicedPence: number
  paidPence: number
  costPerFtePence: number
  chargeableHoursPerFte: number
  sessionalHours: number
  buyBack: BuyBackFigures
  scenario: ScenarioResult | null
}

/** The teams a scope may see: those delivering any service in it, each with all its services. */
export async function teamsInScope(db: DB, scope: StaffScope): Promise<TeamInfo[]> {
  const mine = await servicesInScope(db, scope)
  if (mine.length === 0) return []
  const teamIds = [...new Set(mine.map((s) => s.teamId))]
  const all = scope.kind === 'authority' ? mine : await servicesInScope(db, authorityScope(scope.authorityId))
  const teams = new Map<string, TeamInfo>()
  for (const s of all) {
    if (!teamIds.includes(s.teamId)) continue
    const team = teams.get(s.teamId) ?? { id: s.teamId, slug: s.teamSlug, name: s.teamName, services: [] }
    team.services.push(s)
    teams.set(s.teamId, team)
  }
  return [...teams.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
}

/** Every figure of the capacity model (docs/product.md) for the teams in a trading year (teams without figures for the year are left out). */
export async function loadCapacityPage(
  db: DB,
  authorityId: string,
  teams: TeamInfo[],
  tradingYear: number,
  scenario: Scenario = {},
): Promise<TeamCapacity[]> {
  if (teams.length === 0) return []
  const teamIds = teams.map((t) => t.id)
  const serviceIds = teams.flatMap((t) => t.services.map((s) => s.id))
  const [teamYears, hoursByService, income, buyBack] = await Promise.all([
    db
      .selectFrom('team_years as ty')
      .select([
        'ty.team_id',
        'ty.establishment_fte',
        'ty.chargeable_hours_per_fte',
        'ty.cost_per_fte_pence',
        'ty.sessional_hours',
        'ty.central_funding_pence',
      ])
      .where('ty.authority_id', '=', authorityId)
      .where('ty.trading_year', '=', tradingYear)
      .where('ty.team_id', 'in', teamIds)
      .execute(),
    // Booked hours are the hours of confirmed and completed lines: exactly what their reservations hold
    // (a confirmed line reserves its hours). Both from the summary the order-line triggers keep.
    db
      .selectFrom('trading_school_services')
      .select([
        'service_id',
        sql<number>`coalesce(sum(booked_hours), 0)::float8`.as('booked'),
        sql<number>`coalesce(sum(waitlisted_hours), 0)::float8`.as('waiting'),
      ])
      .where('authority_id', '=', authorityId)
      .where('trading_year', '=', tradingYear)
      .where('service_id', 'in', serviceIds)
      .groupBy('service_id')
      .execute(),
    incomeByService(db, authorityId, serviceIds, tradingYear),
    buyBackOfGroups(db, authorityId, new Map(teams.map((t) => [t.id, t.services])), tradingYear),
  ])
  const bookedByService = new Map(hoursByService.map((h) => [h.service_id, toCentiHours(Number(h.booked))]))
  const waitingByService = new Map(hoursByService.map((h) => [h.service_id, toCentiHours(Number(h.waiting))]))
  const yearByTeam = new Map(teamYears.map((ty) => [ty.team_id, ty]))
  const result: TeamCapacity[] = []
  for (const team of teams) {
    const ty = yearByTeam.get(team.id)
    if (!ty) continue
    let booked = 0
    let invoiced = 0
    let paid = 0
    let target = 0
    let waitingCenti = 0
    let bookedCenti = 0
    for (const s of team.services) {
      const i = income.get(s.id)
      booked += i?.bookedPence ?? 0
      invoiced += i?.invoicedPence ?? 0
      paid += i?.paidPence ?? 0
      target += i?.targetPence ?? 0
      waitingCenti += waitingByService.get(s.id) ?? 0
      bookedCenti += bookedByService.get(s.id) ?? 0
    }
    const inputs: TeamYearInputs = {
      establishmentFte: Number(ty.establishment_fte),
      chargeableHoursPerFte: ty.chargeable_hours_per_fte,
      sessionalHours: ty.sessional_hours,
      costPerFtePence: ty.cost_per_fte_pence,
      centralFundingPence: ty.central_funding_pence,
      bookedHours: bookedCenti / 100,
      waitlistedHours: waitingCenti / 100,
      incomeBookedPence: booked,
      incomeTargetPence: target,
    }
    const teamBuyBack = buyBack.get(team.id)!
    result.push({
      teamId: team.id,
      teamSlug: team.slug,
      teamName: team.name,
      serviceNames: team.services.map((s) => s.name),
      inputs,
      model: teamModel(inputs),
      invoicedPence: invoiced,
      paidPence: paid,
      costPerFtePence: ty.cost_per_fte_pence,
      chargeableHoursPerFte: ty.chargeable_hours_per_fte,
      sessionalHours: ty.sessional_hours,
      buyBack: teamBuyBack,
      scenario: isScenario(scenario) ? projectScenario(inputs, { buyers: teamBuyBack.buyers, schools: teamBuyBack.eligible }, scenario) : null,
    })
  }
  return result
}
