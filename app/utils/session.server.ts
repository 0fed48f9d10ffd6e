import { memberSchoolIds } from '../domain/trusts'
import { clock } from './clock'
import { createCookie } from '@remix-run/node'
import type { DB } from '../../db/connection'
import type { Role } from '../domain/roles'
import { getEnv } from './env.server'

/** Signed-in sessions end after 30 minutes without a request, and 12 hours after sign-in whatever happens. */
export const IDLE_TIMEOUT_MINUTES = 30
export const ABSOLUTE_TIMEOUT_HOURS = 12

let cookie: ReturnType<typeof createCookie> | undefined
function sessionCookie() {
  cookie ??= createCookie('buyback_session', {
    httpOnly: true,
    sameSite: 'lax',
    secure: getEnv().COOKIE_SECURE,
    path: '/',
    maxAge: ABSOLUTE_TIMEOUT_HOURS * 3600,
  })
  return cookie
}

export type SessionUser = {
  sessionId: string
  id: string
  authorityId: string
  authorityName: string
  email: string
  name: string
  roles: Role[]
  schoolId: string | null
  schoolName: string | null
  schoolType: 'maintained' | 'academy' | null
  serviceIds: string[]
  /** A trust user's trust (decision 0035); null for everyone else. */
  trustId: string | null
  /** A trust user's member schools today (what the trust sees of; empty for everyone else). */
  trustSchoolIds: string[]
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

type SessionKey = { authorityId: string; sessionId: string }

/**
 * The cookie names the session as "<authority id>.<session id>", so that every
 * query on sessions filters by authority like every other tenant query.
 */
async function sessionKeyFrom(request: Request): Promise<SessionKey | null> {
  const value: unknown = await sessionCookie().parse(request.headers.get('Cookie'))
  if (typeof value !== 'string') return null
  const [authorityId, sessionId, ...rest] = value.split('.')
  if (rest.length || !authorityId || !sessionId || !UUID.test(authorityId) || !UUID.test(sessionId)) return null
  return { authorityId, sessionId }
}

/**
 * The signed-in user, or null. Expired sessions (idle or absolute) are
 * deleted. last_seen_at is written at most once a minute.
 */
export async function getSessionUser(db: DB, request: Request): Promise<SessionUser | null> {
  const key = await sessionKeyFrom(request)
  if (!key) return null
  const { sessionId } = key
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', (j) => j.onRef('u.authority_id', '=', 's.authority_id').onRef('u.id', '=', 's.user_id'))
    .innerJoin('authorities as a', 'a.id', 's.authority_id')
    .leftJoin('schools as sc', (j) => j.onRef('sc.authority_id', '=', 'u.authority_id').onRef('sc.id', '=', 'u.school_id'))
    .select([
      's.id as session_id',
      's.expires_at',
      's.last_seen_at',
      'u.id',
      'u.authority_id',
      'u.email',
      'u.name',
      'u.is_active',
      'u.school_id',
      'u.trust_id',
      'a.name as authority_name',
      'sc.name as school_name',
      'sc.school_type',
    ])
    .where('s.authority_id', '=', key.authorityId)
    .where('s.id', '=', sessionId)
    .executeTakeFirst()
  if (!row) return null
  const now = clock.now().getTime()
  const idleExpired = now - new Date(row.last_seen_at).getTime() > IDLE_TIMEOUT_MINUTES * 60_000
  if (!row.is_active || idleExpired || now >= new Date(row.expires_at).getTime()) {
    await db.deleteFrom('sessions').where('authority_id', '=', row.authority_id).where('id', '=', sessionId).execute()
    return null
  }
  if (now - new Date(row.last_seen_at).getTime() > 60_000) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: clock.now() })
      .where('authority_id', '=', row.authority_id)
      .where('id', '=', sessionId)
      .execute()
  }
  const [roles, services, memberships] = await Promise.all([
    db.selectFrom('user_roles').select('role').where('authority_id', '=', row.authority_id).where('user_id', '=', row.id).execute(),
    db.selectFrom('service_leads').select('service_id').where('authority_id', '=', row.authority_id).where('user_id', '=', row.id).execute(),
    row.trust_id
      ? db
          .selectFrom('trust_memberships')
          .select(['school_id', 'joined_on', 'left_on'])
          .where('authority_id', '=', row.authority_id)
          .where('trust_id', '=', row.trust_id)
          .execute()
      : [],
  ])
  return {
    sessionId,
    id: row.id,
    authorityId: row.authority_id,
    authorityName: row.authority_name,
    email: row.email,
    name: row.name,
    roles: roles.map((r) => r.role),
    schoolId: row.school_id,
    schoolName: row.school_name,
    schoolType: row.school_type,
    serviceIds: services.map((s) => s.service_id),
    trustId: row.trust_id,
    trustSchoolIds: memberSchoolIds(
      memberships.map((m) => ({ schoolId: m.school_id, joinedOn: m.joined_on, leftOn: m.left_on })),
      clock.today(),
    ),
  }
}

/**
 * Starts a new session (always a new id, so a session id planted before
 * sign-in is worthless) and returns its Set-Cookie header. Any session the
 * request already carried is ended.
 */
export async function createSession(db: DB, request: Request, user: { id: string; authorityId: string }, clientIp: string): Promise<string> {
  const previous = await sessionKeyFrom(request)
  if (previous) {
    await db.deleteFrom('sessions').where('authority_id', '=', previous.authorityId).where('id', '=', previous.sessionId).execute()
  }
  // Times come from the app's clock, which the idle and absolute timeouts are read against.
  const now = clock.now()
  const session = await db
    .insertInto('sessions')
    .values({
      authority_id: user.authorityId,
      user_id: user.id,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + ABSOLUTE_TIMEOUT_HOURS * 3600_000),
      ip_address: clientIp,
      user_agent: request.headers.get('User-Agent')?.slice(0, 500) ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return sessionCookie().serialize(`${user.authorityId}.${session.id}`)
}

/** Ends the request's session; returns the Set-Cookie header that clears the cookie. */
export async function destroySession(db: DB, request: Request): Promise<string> {
  const key = await sessionKeyFrom(request)
  if (key) {
    await db.deleteFrom('sessions').where('authority_id', '=', key.authorityId).where('id', '=', key.sessionId).execute()
  }
  return sessionCookie().serialize('', { maxAge: 0 })
}

/** Ends every session of a user (deactivation, password change). */
export async function destroyUserSessions(db: DB, authorityId: string, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('authority_id', '=', authorityId).where('user_id', '=', userId).execute()
}
