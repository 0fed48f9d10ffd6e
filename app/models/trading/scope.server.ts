import { sql } from 'kysely'
import type { DB } from '../../../db/connection'
import type { Phase } from '../../../db/schema'
import type { StaffScope } from '../shared/access-scope.server'

/**
 * Whose trading figures a person sees: a service lead the services they
 * lead, the LA administrator every service of the authority. Every query
 * filters by authority_id.
 */

export type ServiceInfo = {
  id: string
  slug: string
  name: string
  incomeCode: string | null
  teamId: string
  teamSlug: string
  teamName: string
  phases: Phase[]
  contactName: string
  contactEmail: string
  contactPhone: string | null
}

/** The services a scope covers, by name. */
export async function servicesInScope(db: DB, scope: StaffScope): Promise<ServiceInfo[]> {
  if (scope.kind === 'services' && scope.serviceIds.length === 0) return []
  let query = db
    .selectFrom('services as s')
    .innerJoin('teams as t', (j) => j.onRef('t.authority_id', '=', 's.authority_id').onRef('t.id', '=', 's.team_id'))
    .select([
      's.id',
      's.slug',
      's.name',
      's.income_code',
      's.team_id',
      't.slug as team_slug',
      't.name as team_name',
      's.phases',
      's.contact_name',
      's.contact_email',
      's.contact_phone',
    ])
    .where('s.authority_id', '=', scope.authorityId)
  if (scope.kind === 'services') query = query.where('s.id', 'in', [...scope.serviceIds])
  const rows = await query.orderBy('s.name').orderBy('s.id').execute()
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    name: r.name,
    incomeCode: r.income_code,
    teamId: r.team_id,
    teamSlug: r.team_slug,
    teamName: r.team_name,
    phases: r.phases as Phase[],
    contactName: r.contact_name,
    contactEmail: r.contact_email,
    contactPhone: r.contact_phone,
  }))
}

/**
 * The trading years anyone could ask about: those with targets or orders,
 * the current one, and next year once its renewals are set.
 */
export async function tradingYearsOf(db: DB, authorityId: string, current: number): Promise<number[]> {
  const rows = await sql<{ y: number }>`
    select distinct trading_year as y from income_targets where authority_id = ${authorityId}
    union select distinct trading_year from team_years where authority_id = ${authorityId} and trading_year <= ${current}
    union select trading_year from renewal_windows where authority_id = ${authorityId}
  `.execute(db)
  return [...new Set([current, ...rows.rows.map((r) => r.y)])].filter((y) => y <= current + 1).sort((a, b) => b - a)
}
