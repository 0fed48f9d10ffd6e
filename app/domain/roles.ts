/**
 * Who may do what (docs/product.md). Pure: the route guards in
 * app/utils/auth.server.ts apply these rules to the signed-in user.
 */
export type Role = 'school_buyer' | 'school_approver' | 'service_lead' | 'finance' | 'la_admin' | 'trust_buyer' | 'trust_approver'

/** The roles the LA administrator gives (invitations, the users import). Trust users are set up with their trust (decision 0035). */
export const ROLES: readonly Role[] = ['school_buyer', 'school_approver', 'service_lead', 'finance', 'la_admin']
export const SCHOOL_ROLES: readonly Role[] = ['school_buyer', 'school_approver']
export const LA_ROLES: readonly Role[] = ['service_lead', 'finance', 'la_admin']
/** A multi-academy trust's business manager and approver: they belong to a trust and see its member schools (SPEC §10). */
export const TRUST_ROLES: readonly Role[] = ['trust_buyer', 'trust_approver']
/** The roles an LA administrator can invite someone to, or change them to: trust users too (the users import keeps to ROLES). */
export const INVITABLE_ROLES: readonly Role[] = [...ROLES, ...TRUST_ROLES]

export const ROLE_NAMES: Record<Role, string> = {
  school_buyer: 'School business manager',
  school_approver: 'Headteacher',
  service_lead: 'Service lead',
  finance: 'Finance officer',
  la_admin: 'LA administrator',
  trust_buyer: 'Trust business manager',
  trust_approver: 'Trust approver',
}

export type RoleHolder = {
  roles: readonly Role[]
  /** The school of a school user; null for council staff. */
  schoolId: string | null
  /** The services a service lead leads. */
  serviceIds: readonly string[]
}

export function hasAnyRole(actor: RoleHolder, roles: readonly Role[]): boolean {
  return actor.roles.some((r) => roles.includes(r))
}

/** A school user sees only their own school; council staff see every school of their authority. */
export function canSeeSchool(actor: RoleHolder, schoolId: string): boolean {
  if (hasAnyRole(actor, LA_ROLES)) return true
  return actor.schoolId !== null && actor.schoolId === schoolId && hasAnyRole(actor, SCHOOL_ROLES)
}

/** A service lead changes only the services they lead; the LA admin changes any. */
export function canManageService(actor: RoleHolder, serviceId: string): boolean {
  if (actor.roles.includes('la_admin')) return true
  return actor.roles.includes('service_lead') && actor.serviceIds.includes(serviceId)
}

/**
 * A role given to a user must suit them: school roles need a school (and no
 * trust), trust roles a trust (and no school), council roles neither.
 */
export function roleFitsUser(role: Role, schoolId: string | null, trustId: string | null = null): boolean {
  if (SCHOOL_ROLES.includes(role)) return schoolId !== null && trustId === null
  if (TRUST_ROLES.includes(role)) return trustId !== null && schoolId === null
  return schoolId === null && trustId === null
}
