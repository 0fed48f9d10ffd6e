import { clock } from '../../utils/clock'
import type { Scenario } from '../../domain/capacity-model'
import { tradingYearOf } from '../../domain/trading-year'
import { teamsInScope, type TeamInfo } from './capacity-model.server'
import { servicesInScope, tradingYearsOf, type ServiceInfo } from './scope.server'
import { parseCapacityQuery, parseTradingQuery, TEAM_ERROR, YEAR_ERROR } from '../../schemas/trading'
import { getRequestAuthority, type CurrentAuthority } from '../../utils/authority.server'
import { forbidden, notFound, requireRole, type SessionUser } from '../../utils/auth.server'
import { getDb } from '../../utils/db.server'
import type { DB } from '../../../db/connection'
import { authorityScope, staffScopeFor, type StaffScope } from '../shared/access-scope.server'

/**
 * What /la/trading and /la/capacity (and their CSV exports) share: who may
 * look (service leads, their own services; the LA administrator, all), the
 * trading year and the filters, read from the query string with zod. A
 * filter naming a service or team outside the person's scope is refused
 * (403); one naming nothing in the authority is not found (404); a badly
 * written one is reported in the page's error summary and ignored.
 */

type Base = {
  db: DB
  user: SessionUser
  authority: CurrentAuthority
  scope: StaffScope
  currentYear: number
  years: number[]
  tradingYear: number
}

async function base(request: Request, requestedYear: number | undefined, errors: { year?: string }): Promise<Base> {
  const user = await requireRole(request, ['service_lead', 'la_admin'])
  const scope = staffScopeFor(user)
  if (!scope) throw forbidden()
  const db = await getDb()
  const authority = await getRequestAuthority(db, request, user)
  const currentYear = tradingYearOf(clock.now(), authority.financialYearStartMonth)
  const years = await tradingYearsOf(db, authority.id, currentYear)
  let tradingYear = requestedYear ?? currentYear
  if (!years.includes(tradingYear)) {
    errors.year = YEAR_ERROR
    tradingYear = currentYear
  }
  return { db, user, authority, scope, currentYear, years, tradingYear }
}

export type TradingRequest = Base & {
  services: ServiceInfo[]
  selected: ServiceInfo[]
  values: { year: string; service: string }
  errors: { year?: string; service?: string }
}

export async function tradingRequest(request: Request): Promise<TradingRequest> {
  const parsed = parseTradingQuery(new URL(request.url).searchParams)
  const errors = { ...parsed.errors }
  const b = await base(request, parsed.query.year, errors)
  const services = await servicesInScope(b.db, b.scope)
  let selected = services
  if (parsed.query.service) {
    const service = services.find((s) => s.slug === parsed.query.service)
    if (!service) {
      const all = await servicesInScope(b.db, authorityScope(b.authority.id))
      throw all.some((s) => s.slug === parsed.query.service) ? forbidden() : notFound()
    }
    selected = [service]
  }
  return {
    ...b,
    services,
    selected,
    values: { year: String(b.tradingYear), service: errors.service ? '' : (parsed.query.service ?? '') },
    errors,
  }
}

export type CapacityRequest = Base & {
  teams: TeamInfo[]
  selected: TeamInfo[]
  scenario: Scenario
  values: { year: string; team: string; buyBack: string; priceChange: string }
  errors: { year?: string; team?: string; buyBack?: string; priceChange?: string }
}

export async function capacityRequest(request: Request): Promise<CapacityRequest> {
  const parsed = parseCapacityQuery(new URL(request.url).searchParams)
  const errors = { ...parsed.errors }
  const b = await base(request, parsed.query.year, errors)
  const teams = await teamsInScope(b.db, b.scope)
  let selected = teams
  if (parsed.query.team) {
    const team = teams.find((t) => t.slug === parsed.query.team)
    if (!team) {
      const all = await teamsInScope(b.db, authorityScope(b.authority.id))
      if (all.some((t) => t.slug === parsed.query.team)) throw forbidden()
      // A team with no services sells nothing: nothing to show either way.
      throw notFound()
    }
    selected = [team]
  }
  if (errors.team) errors.team = TEAM_ERROR
  return {
    ...b,
    teams,
    selected,
    scenario: {
      buyBackPercent: parsed.query.buyBack,
      priceChangePercent: parsed.query.priceChange,
    },
    values: {
      year: String(b.tradingYear),
      team: errors.team ? '' : (parsed.query.team ?? ''),
      buyBack: parsed.values.buyBack,
      priceChange: parsed.values.priceChange,
    },
    errors,
  }
}
