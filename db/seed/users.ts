/**
 * Coventry's demo accounts. All share the demo password (see
 * DEMO_PASSWORD_HASH in factories.ts).
 */
import type { Role } from '../schema'
import { buildUser, buildUserRole } from './factories'
import { idFor } from './random'
import { ELM_BANK, FOLESHILL_PARK, type SchoolPlan } from './schools'
import type { SchoolRow, UserRoleRow, UserRow } from './types'

export type StaffPlan = { email: string; name: string; role: Role; services: string[] }

/** Council staff: the demo accounts (README) and a lead for every other service. */
export const COVENTRY_STAFF: StaffPlan[] = [
  { email: 'lead.ep@coventry.example', name: 'Dr Miriam Achebe', role: 'service_lead', services: ['educational-psychology'] },
  { email: 'lead.music@coventry.example', name: 'Owen Prichard', role: 'service_lead', services: ['coventry-music', 'instrument-hire'] },
  { email: 'finance@coventry.example', name: 'Gurpreet Lall', role: 'finance', services: [] },
  { email: 'admin@coventry.example', name: 'Joanna Ferris', role: 'la_admin', services: [] },
  {
    email: 'lead.send@coventry.example',
    name: 'Bethan Rowlands',
    role: 'service_lead',
    services: ['semh-support', 'complex-communication-and-learning', 'sensory-support', 'sen-early-years'],
  },
  { email: 'lead.ema@coventry.example', name: 'Farah Qureshi', role: 'service_lead', services: ['ethnic-minority-achievement'] },
  { email: 'lead.governors@coventry.example', name: 'Alan Whitlock', role: 'service_lead', services: ['governor-support'] },
  { email: 'lead.outdoor@coventry.example', name: 'Cerys Evans', role: 'service_lead', services: ['outdoor-education'] },
  {
    email: 'lead.inclusion@coventry.example',
    name: 'Marcus Bailey',
    role: 'service_lead',
    services: ['work-related-learning', 'school-attendance'],
  },
]

/** Schools with a business manager (buyer) and headteacher (approver) account. */
export const SCHOOLS_WITH_ACCOUNTS = [
  ELM_BANK,
  FOLESHILL_PARK,
  'alderbrook',
  'kingfisher',
  'ribbon-weavers',
  'watermead',
  'spire-view',
  'meridian',
  'harbour',
  'sunflower',
  'northgate',
  'skylark',
] as const

const BUYER_NAMES: Record<string, string> = {
  [ELM_BANK]: 'Sam Whitaker',
  [FOLESHILL_PARK]: 'Nadia Rahman',
  alderbrook: 'Chris Doyle',
  kingfisher: 'Parminder Johal',
  'ribbon-weavers': 'Lorraine Fisher',
  watermead: 'Tariq Aziz',
  'spire-view': 'Debbie Lawson',
  meridian: 'Kofi Boateng',
  harbour: 'Angela Moss',
  sunflower: 'Ewa Zielinska',
  northgate: 'Gary Prescott',
  skylark: 'Hannah Cole',
}

export type SchoolAccounts = { buyer: UserRow; head: UserRow }

function withoutTitle(name: string): string {
  return name.replace(/^Dr\s+/, '')
}

export function buildCoventryUsers(
  authorityId: string,
  schools: Map<string, { plan: SchoolPlan; row: SchoolRow }>,
): { users: UserRow[]; roles: UserRoleRow[]; staff: Map<string, UserRow>; accounts: Map<string, SchoolAccounts> } {
  const users: UserRow[] = []
  const roles: UserRoleRow[] = []
  const staff = new Map<string, UserRow>()
  const accounts = new Map<string, SchoolAccounts>()
  for (const s of COVENTRY_STAFF) {
    const user = buildUser({ authority_id: authorityId, id: idFor(`coventry/user/${s.email}`), email: s.email, name: s.name })
    users.push(user)
    roles.push(buildUserRole(user, s.role))
    staff.set(s.email, user)
  }
  for (const slug of SCHOOLS_WITH_ACCOUNTS) {
    const school = schools.get(slug)
    if (!school) throw new Error(`No school ${slug} for demo accounts`)
    const buyer = buildUser({
      authority_id: authorityId,
      id: idFor(`coventry/user/buyer@${slug}.example`),
      email: `buyer@${slug}.example`,
      name: BUYER_NAMES[slug] ?? 'School Business Manager',
      school_id: school.row.id,
    })
    const head = buildUser({
      authority_id: authorityId,
      id: idFor(`coventry/user/head@${slug}.example`),
      email: `head@${slug}.example`,
      name: withoutTitle(school.plan.headteacher),
      school_id: school.row.id,
    })
    users.push(buyer, head)
    roles.push(buildUserRole(buyer, 'school_buyer'), buildUserRole(head, 'school_approver'))
    accounts.set(slug, { buyer, head })
  }
  return { users, roles, staff, accounts }
}
