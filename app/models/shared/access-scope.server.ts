import { hasAnyRole, SCHOOL_ROLES, TRUST_ROLES } from '../../domain/roles'
import type { SessionUser } from '../../utils/session.server'

/**
 * What part of an authority's data a person may see, the one shape every
 * room uses: the whole authority, the services they lead, or their own
 * school. Every query is limited to the scope's authority first.
 */
export type AccessScope =
  | { kind: 'authority'; authorityId: string }
  | { kind: 'services'; authorityId: string; serviceIds: readonly string[] }
  | { kind: 'school'; authorityId: string; schoolId: string }
  | { kind: 'schools'; authorityId: string; schoolIds: readonly string[] }

/** A council officer's scope: the whole authority or some of its services. */
export type StaffScope = Exclude<AccessScope, { kind: 'school' } | { kind: 'schools' }>

type ScopedUser = Pick<SessionUser, 'authorityId' | 'roles' | 'schoolId' | 'serviceIds'> & Partial<Pick<SessionUser, 'trustId' | 'trustSchoolIds'>>

/**
 * Orders: finance officers and LA administrators see every order of their
 * authority, a service lead those holding a line of a service they lead, a
 * school's users their own school's, a trust's users its member schools' of
 * today (decision 0035). Null when the user may see none.
 */
export function orderScopeFor(user: ScopedUser): AccessScope | null {
  if (user.roles.includes('finance') || user.roles.includes('la_admin')) return { kind: 'authority', authorityId: user.authorityId }
  if (user.roles.includes('service_lead')) return { kind: 'services', authorityId: user.authorityId, serviceIds: user.serviceIds }
  if (user.schoolId && hasAnyRole({ roles: user.roles, schoolId: user.schoolId, serviceIds: [] }, SCHOOL_ROLES)) {
    return { kind: 'school', authorityId: user.authorityId, schoolId: user.schoolId }
  }
  if (user.trustId && hasAnyRole({ roles: user.roles, schoolId: null, serviceIds: [] }, TRUST_ROLES)) {
    return { kind: 'schools', authorityId: user.authorityId, schoolIds: user.trustSchoolIds ?? [] }
  }
  return null
}

/**
 * Delivery, trading figures and the capacity model: the LA administrator
 * sees every service, a service lead the services they lead. Null otherwise.
 */
export function staffScopeFor(user: Pick<ScopedUser, 'authorityId' | 'roles' | 'serviceIds'>): StaffScope | null {
  if (user.roles.includes('la_admin')) return { kind: 'authority', authorityId: user.authorityId }
  if (user.roles.includes('service_lead')) return { kind: 'services', authorityId: user.authorityId, serviceIds: user.serviceIds }
  return null
}

/** The whole authority as a scope (for the administrator's own lists and reports). */
export function authorityScope(authorityId: string): StaffScope {
  return { kind: 'authority', authorityId }
}

/** The services a staff scope covers: 'all' for the whole authority. */
export function servicesOf(scope: StaffScope): readonly string[] | 'all' {
  return scope.kind === 'authority' ? 'all' : scope.serviceIds
}
