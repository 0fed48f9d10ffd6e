import { clock } from '../../utils/clock'
import { createHash, randomBytes } from 'node:crypto'
import { hash, verify } from '@node-rs/argon2'
import type { DB } from '../../../db/connection'
import type { Role } from '../../domain/roles'
import { signInThrottle, THROTTLE_WINDOW_MINUTES } from '../../domain/sign-in-throttle'
import { appUrl, queueEmail } from '../../utils/email.server'
import { advisoryLock } from '../../utils/locks.server'
import { recordAudit } from '../admin/audit.server'

/** argon2id (the library's default algorithm) with its own random salt. */
export async function hashPassword(password: string): Promise<string> {
  return hash(password)
}

// Checked when no account matches, so that the answer takes as long either way.
let dummyHash: Promise<string> | undefined

type Candidate = { id: string; authority_id: string; password_hash: string | null; is_active: boolean }

export type SignInResult =
  { ok: true; user: { id: string; authorityId: string; roles: Role[] } } | { ok: false; reason: 'invalid' | 'throttled'; message: string }

/**
 * Checks an email address and password. Every attempt is recorded; repeated
 * failures are slowed per account and per network address; the answer never
 * says whether the account exists.
 */
export async function signIn(db: DB, input: { email: string; password: string; ip: string; userAgent: string | null }): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase()
  // One attempt at a time per account and per network address: the failures
  // counted below include every attempt that came before, however many
  // arrive at once (locks taken in a fixed order, held to the commit).
  return db.transaction().execute(async (trx) => {
    await lockSignIn(trx, `account:${email}`)
    await lockSignIn(trx, `address:${input.ip}`)
    return attemptSignIn(trx, { ...input, email })
  })
}

function lockSignIn(trx: DB, key: string) {
  return advisoryLock(trx, `sign-in:${key}`)
}

async function attemptSignIn(db: DB, input: { email: string; password: string; ip: string; userAgent: string | null }): Promise<SignInResult> {
  const { email } = input
  const now = clock.now()
  const since = new Date(now.getTime() - THROTTLE_WINDOW_MINUTES * 60_000)
  const accountFailures = await recentFailures(db, 'email', email, since)
  const addressFailures = await recentFailures(db, 'ip_address', input.ip, since)
  const candidates: Candidate[] = await db
    .selectFrom('users')
    .select(['id', 'authority_id', 'password_hash', 'is_active'])
    .where('email', '=', email)
    .execute()

  const throttle = signInThrottle({
    now,
    accountFailures: accountFailures.map((r) => new Date(r.created_at)),
    addressFailures: addressFailures.map((r) => new Date(r.created_at)),
  })
  if (!throttle.allowed) {
    for (const c of candidates) await auditSignIn(db, c, 'sign_in.throttled', input)
    return { ok: false, reason: 'throttled', message: throttle.reason }
  }

  let match: Candidate | undefined
  for (const c of candidates) {
    if (c.is_active && c.password_hash && (await verify(c.password_hash, input.password).catch(() => false))) {
      match = c
      break
    }
  }
  if (candidates.length === 0) {
    dummyHash ??= hashPassword(randomBytes(16).toString('hex'))
    await verify(await dummyHash, input.password).catch(() => false)
  }

  await db
    .deleteFrom('sign_in_attempts')
    .where('created_at', '<', new Date(now.getTime() - 86_400_000))
    .execute()
  await db
    .insertInto('sign_in_attempts')
    .values({ email, ip_address: input.ip, succeeded: Boolean(match), created_at: now })
    .execute()

  if (!match) {
    for (const c of candidates) {
      await auditSignIn(db, c, 'sign_in.failed', input, { reason: c.is_active ? 'wrong password' : 'account deactivated' })
    }
    return { ok: false, reason: 'invalid', message: 'Enter a correct email address and password' }
  }

  await db.updateTable('users').set({ last_signed_in_at: now }).where('authority_id', '=', match.authority_id).where('id', '=', match.id).execute()
  await auditSignIn(db, match, 'sign_in.succeeded', input)
  const roles = await db
    .selectFrom('user_roles')
    .select('role')
    .where('authority_id', '=', match.authority_id)
    .where('user_id', '=', match.id)
    .execute()
  return { ok: true, user: { id: match.id, authorityId: match.authority_id, roles: roles.map((r) => r.role) } }
}

/** Failed sign-ins since a moment, for one email address or from one network address (newest first, at most 50). */
function recentFailures(db: DB, column: 'email' | 'ip_address', value: string, since: Date) {
  return db
    .selectFrom('sign_in_attempts')
    .select('created_at')
    .where(column, '=', value)
    .where('succeeded', '=', false)
    .where('created_at', '>', since)
    .orderBy('created_at', 'desc')
    .limit(50)
    .execute()
}

function auditSignIn(
  db: DB,
  user: Candidate,
  action: 'sign_in.throttled' | 'sign_in.failed' | 'sign_in.succeeded',
  from: { ip: string; userAgent: string | null },
  details?: Record<string, unknown>,
) {
  return recordAudit(db, {
    authorityId: user.authority_id,
    actorUserId: user.id,
    action,
    subjectType: 'user',
    subjectId: user.id,
    ip: from.ip,
    userAgent: from.userAgent,
    details,
  })
}

export const RESET_TOKEN_MINUTES = 60
export const INVITATION_TOKEN_DAYS = 7

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex')
}

/** A new single-use token (only its hash is stored). */
export function newToken(): string {
  return randomBytes(32).toString('base64url')
}

/**
 * The user a reset or invitation token belongs to, if the token is real,
 * unused and unexpired.
 */
export async function findUsableToken(db: DB, token: string, purpose: 'reset' | 'invitation') {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null
  const row = await db
    .selectFrom('password_reset_tokens as t')
    .innerJoin('users as u', (j) => j.onRef('u.authority_id', '=', 't.authority_id').onRef('u.id', '=', 't.user_id'))
    .select(['t.id', 't.authority_id', 't.user_id', 't.purpose', 't.expires_at', 't.used_at', 'u.email', 'u.name', 'u.is_active'])
    .where('t.token_hash', '=', hashToken(token))
    .where('t.purpose', '=', purpose)
    .executeTakeFirst()
  if (!row || row.used_at || !row.is_active || new Date(row.expires_at).getTime() <= clock.now().getTime()) return null
  return row
}

/** At most this many reset emails an hour for one account, whatever is asked. */
export const MAX_RESETS_PER_HOUR = 3

/**
 * Emails a single-use reset link to every active account with this address.
 * Says nothing about whether there is one: the caller shows the same answer
 * either way.
 */
export async function requestPasswordReset(db: DB, input: { email: string; ip: string; userAgent: string | null }): Promise<void> {
  const users = await db
    .selectFrom('users as u')
    .innerJoin('authorities as a', 'a.id', 'u.authority_id')
    .select(['u.id', 'u.authority_id', 'u.name', 'u.email', 'a.name as authority_name', 'a.contact_email'])
    .where('u.email', '=', input.email.trim().toLowerCase())
    .where('u.is_active', '=', true)
    .execute()
  for (const user of users) {
    // Counted and written under a lock per account, so a burst of requests sends at most the limit.
    await db.transaction().execute(async (trx) => {
      await lockSignIn(trx, `reset:${user.id}`)
      const recent = await trx
        .selectFrom('password_reset_tokens')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('authority_id', '=', user.authority_id)
        .where('user_id', '=', user.id)
        .where('purpose', '=', 'reset')
        .where('created_at', '>', new Date(clock.now().getTime() - 3600_000))
        .executeTakeFirstOrThrow()
      if (Number(recent.n) >= MAX_RESETS_PER_HOUR) return
      const token = newToken()
      const row = await trx
        .insertInto('password_reset_tokens')
        .values({
          authority_id: user.authority_id,
          user_id: user.id,
          token_hash: hashToken(token),
          purpose: 'reset',
          created_at: clock.now(),
          expires_at: new Date(clock.now().getTime() + RESET_TOKEN_MINUTES * 60_000),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await queueEmail(trx, {
        authorityId: user.authority_id,
        template: 'password-reset',
        to: user.email,
        props: {
          authorityName: user.authority_name,
          recipientName: user.name,
          resetUrl: appUrl(`/reset-password?token=${token}`),
          validForMinutes: RESET_TOKEN_MINUTES,
          contactEmail: user.contact_email,
        },
        idempotencyKey: `password-reset:${row.id}`,
      })
      await recordAudit(trx, {
        authorityId: user.authority_id,
        actorUserId: user.id,
        action: 'password_reset.requested',
        subjectType: 'user',
        subjectId: user.id,
        ip: input.ip,
        userAgent: input.userAgent,
      })
    })
  }
}

/**
 * Sets a new password with a reset or invitation token, once: the token and
 * every other unused token of the account stop working, and every session of
 * the account ends.
 */
export async function setPasswordWithToken(
  db: DB,
  input: { token: string; purpose: 'reset' | 'invitation'; password: string; ip: string; userAgent: string | null },
): Promise<{ ok: true; user: { id: string; authorityId: string; roles: Role[] }; purpose: 'reset' | 'invitation' } | { ok: false }> {
  const found = await findUsableToken(db, input.token, input.purpose)
  if (!found) return { ok: false }
  const passwordHash = await hashPassword(input.password)
  return db.transaction().execute(async (trx) => {
    // Used once, even when two requests race: only one update finds it unused.
    const claimed = await trx
      .updateTable('password_reset_tokens')
      .set({ used_at: clock.now() })
      .where('authority_id', '=', found.authority_id)
      .where('id', '=', found.id)
      .where('used_at', 'is', null)
      .returning('id')
      .executeTakeFirst()
    if (!claimed) return { ok: false as const }
    await trx
      .updateTable('password_reset_tokens')
      .set({ used_at: clock.now() })
      .where('authority_id', '=', found.authority_id)
      .where('user_id', '=', found.user_id)
      .where('used_at', 'is', null)
      .execute()
    await trx
      .updateTable('users')
      .set({ password_hash: passwordHash, updated_at: clock.now() })
      .where('authority_id', '=', found.authority_id)
      .where('id', '=', found.user_id)
      .execute()
    await trx.deleteFrom('sessions').where('authority_id', '=', found.authority_id).where('user_id', '=', found.user_id).execute()
    await recordAudit(trx, {
      authorityId: found.authority_id,
      actorUserId: found.user_id,
      action: found.purpose === 'invitation' ? 'invitation.accepted' : 'password_reset.completed',
      subjectType: 'user',
      subjectId: found.user_id,
      ip: input.ip,
      userAgent: input.userAgent,
    })
    const roles = await trx
      .selectFrom('user_roles')
      .select('role')
      .where('authority_id', '=', found.authority_id)
      .where('user_id', '=', found.user_id)
      .execute()
    return {
      ok: true as const,
      purpose: found.purpose,
      user: { id: found.user_id, authorityId: found.authority_id, roles: roles.map((r) => r.role) },
    }
  })
}
