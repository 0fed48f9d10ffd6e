import { likePattern } from '../shared/like-pattern'
import { longDateTime } from '../../domain/dates'
import { clock } from '../../utils/clock'
import { sql } from 'kysely'
import type { DB } from '../../../db/connection'
import { ROLE_NAMES, type Role } from '../../domain/roles'
import { isUuid } from '../../schemas/common'

/**
 * The authority's users as the LA administrator reads them: the list, one
 * user's detail, and the choices for the user forms. Changes are in
 * user-changes.server.ts. Every query is limited to the administrator's own
 * authority.
 */

export const USERS_LIST_LIMIT = 500

export type UserListItem = {
  id: string
  name: string
  email: string
  /** The user's school, or a trust user's trust. */
  schoolName: string | null
  roles: Role[]
  isActive: boolean
  hasPassword: boolean
  lastSignedIn: string | null
}

export async function listUsers(
  db: DB,
  authorityId: string,
  filters: { q?: string; role?: Role },
): Promise<{ users: UserListItem[]; total: number }> {
  let query = db
    .selectFrom('users as u')
    .leftJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'u.authority_id').onRef('s.id', '=', 'u.school_id'))
    .leftJoin('trusts as t', (j) => j.onRef('t.authority_id', '=', 'u.authority_id').onRef('t.id', '=', 'u.trust_id'))
    .where('u.authority_id', '=', authorityId)
  if (filters.q) {
    const pattern = likePattern(filters.q)
    query = query.where((eb) =>
      eb.or([eb('u.name', 'ilike', pattern), eb('u.email', 'ilike', pattern), eb('s.name', 'ilike', pattern), eb('t.name', 'ilike', pattern)]),
    )
  }
  if (filters.role) {
    const role = filters.role
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('user_roles as r')
          .select('r.role')
          .whereRef('r.authority_id', '=', 'u.authority_id')
          .whereRef('r.user_id', '=', 'u.id')
          .where('r.role', '=', role),
      ),
    )
  }
  const [rows, count] = await Promise.all([
    query
      .select([
        'u.id',
        'u.name',
        'u.email',
        'u.is_active',
        'u.last_signed_in_at',
        's.name as school_name',
        't.name as trust_name',
        sql<boolean>`u.password_hash is not null`.as('has_password'),
      ])
      .select((eb) =>
        eb
          .selectFrom('user_roles as r')
          .select(sql<Role[]>`coalesce(array_agg(r.role order by r.role), '{}')`.as('roles'))
          .whereRef('r.authority_id', '=', 'u.authority_id')
          .whereRef('r.user_id', '=', 'u.id')
          .as('roles'),
      )
      .orderBy('u.name')
      .orderBy('u.email')
      .limit(USERS_LIST_LIMIT)
      .execute(),
    query.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ])
  return {
    total: Number(count.n),
    users: rows.map((r) => ({
      id: r.id,
      name: r.name,
      email: r.email,
      schoolName: r.school_name ?? r.trust_name,
      roles: r.roles ?? [],
      isActive: r.is_active,
      hasPassword: r.has_password,
      lastSignedIn: r.last_signed_in_at ? longDateTime(r.last_signed_in_at) : null,
    })),
  }
}

export type UserDetail = {
  id: string
  name: string
  email: string
  schoolId: string | null
  schoolName: string | null
  trustId: string | null
  trustName: string | null
  roles: Role[]
  services: { id: string; name: string }[]
  isActive: boolean
  hasPassword: boolean
  lastSignedIn: string | null
  created: string
  /** The newest invitation, when the user has not set a password yet. */
  invitation: { sent: string; expires: string; expired: boolean } | null
}

export async function getUserDetail(db: DB, authorityId: string, userId: string): Promise<UserDetail | undefined> {
  if (!isUuid(userId)) return undefined
  const row = await db
    .selectFrom('users as u')
    .leftJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'u.authority_id').onRef('s.id', '=', 'u.school_id'))
    .leftJoin('trusts as t', (j) => j.onRef('t.authority_id', '=', 'u.authority_id').onRef('t.id', '=', 'u.trust_id'))
    .select([
      'u.id',
      'u.name',
      'u.email',
      'u.school_id',
      'u.trust_id',
      't.name as trust_name',
      'u.is_active',
      'u.last_signed_in_at',
      'u.created_at',
      's.name as school_name',
      sql<boolean>`u.password_hash is not null`.as('has_password'),
    ])
    .where('u.authority_id', '=', authorityId)
    .where('u.id', '=', userId)
    .executeTakeFirst()
  if (!row) return undefined
  const [roles, services, invitation] = await Promise.all([
    db.selectFrom('user_roles').select('role').where('authority_id', '=', authorityId).where('user_id', '=', userId).orderBy('role').execute(),
    db
      .selectFrom('service_leads as l')
      .innerJoin('services as sv', (j) => j.onRef('sv.authority_id', '=', 'l.authority_id').onRef('sv.id', '=', 'l.service_id'))
      .select(['sv.id', 'sv.name'])
      .where('l.authority_id', '=', authorityId)
      .where('l.user_id', '=', userId)
      .orderBy('sv.name')
      .execute(),
    db
      .selectFrom('password_reset_tokens')
      .select(['created_at', 'expires_at'])
      .where('authority_id', '=', authorityId)
      .where('user_id', '=', userId)
      .where('purpose', '=', 'invitation')
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst(),
  ])
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    schoolId: row.school_id,
    schoolName: row.school_name,
    trustId: row.trust_id,
    trustName: row.trust_name,
    roles: roles.map((r) => r.role),
    services,
    isActive: row.is_active,
    hasPassword: row.has_password,
    lastSignedIn: row.last_signed_in_at ? longDateTime(row.last_signed_in_at) : null,
    created: longDateTime(row.created_at),
    invitation:
      !row.has_password && invitation
        ? {
            sent: longDateTime(invitation.created_at),
            expires: longDateTime(invitation.expires_at),
            expired: new Date(invitation.expires_at).getTime() <= clock.now().getTime(),
          }
        : null,
  }
}

/** Whether the id is one of the authority's users. */
export async function userExists(db: DB, authorityId: string, userId: string): Promise<boolean> {
  if (!isUuid(userId)) return false
  const row = await db.selectFrom('users').select('id').where('authority_id', '=', authorityId).where('id', '=', userId).executeTakeFirst()
  return Boolean(row)
}

/** The user with this email address in the authority, if any (for the "invitation sent" banner). */
export async function findUserByEmail(db: DB, authorityId: string, email: string) {
  if (!email || email.length > 254) return undefined
  return db
    .selectFrom('users')
    .select(['id', 'name', 'email'])
    .where('authority_id', '=', authorityId)
    .where('email', '=', email.trim().toLowerCase())
    .executeTakeFirst()
}

export type Option = { id: string; name: string }

/** The authority's schools, for the school select. */
export async function listSchoolOptions(db: DB, authorityId: string): Promise<Option[]> {
  return db.selectFrom('schools').select(['id', 'name']).where('authority_id', '=', authorityId).orderBy('name').orderBy('id').execute()
}

/** The authority's trusts, for the "Trust" of a trust's users. */
export async function listTrustOptions(db: DB, authorityId: string): Promise<Option[]> {
  return db.selectFrom('trusts').select(['id', 'name']).where('authority_id', '=', authorityId).orderBy('name').orderBy('id').execute()
}

/** The authority's services, for the "services led" checkboxes. */
export async function listServiceOptions(db: DB, authorityId: string): Promise<Option[]> {
  return db.selectFrom('services').select(['id', 'name']).where('authority_id', '=', authorityId).orderBy('name').orderBy('id').execute()
}

/** "School business manager, Headteacher" */
export function roleNames(roles: readonly Role[]): string {
  return roles.map((r) => ROLE_NAMES[r]).join(', ')
}
