import { clock } from '../../utils/clock'
import { type Kysely } from 'kysely'
import type { DB } from '../../../db/connection'
import type { Database } from '../../../db/schema'
import { type Role } from '../../domain/roles'
import { describeRole } from '../../../emails/invitation'
import type { ChangeRoleInput, InviteUserInput } from '../../schemas/admin'
import { appUrl, queueEmail } from '../../utils/email.server'
import { getBoss } from '../../utils/jobs.server'
import { destroyUserSessions } from '../../utils/session.server'
import { hashToken, INVITATION_TOKEN_DAYS, newToken } from '../accounts/accounts.server'
import { recordAudit } from './audit.server'
import { type FieldErrors, isUuid } from '../../schemas/common'
import type { Actor } from '../shared/actor.server'
import { forUpdate } from '../../utils/locks.server'

/**
 * Changes the LA administrator makes to the authority's users: inviting
 * (with the invitation email), changing a role, deactivating and
 * reactivating, resending an invitation. Each is checked against the
 * administrator's own authority and written with its audit event.
 */

/**
 * Field errors when the chosen school or services are not the authority's
 * (a tampered form, or something deleted meanwhile), and the school's name.
 */
async function checkAssignmentTargets(
  db: Kysely<Database>,
  authorityId: string,
  input: { schoolId: string | null; trustId: string | null; serviceIds: string[] },
): Promise<{ errors: FieldErrors; schoolName: string | null }> {
  const errors: FieldErrors = {}
  let schoolName: string | null = null
  if (input.trustId) {
    const trust = await db
      .selectFrom('trusts')
      .select('name')
      .where('authority_id', '=', authorityId)
      .where('id', '=', input.trustId)
      .executeTakeFirst()
    if (!trust) errors.trustId = 'Select a trust from the list'
    schoolName = trust?.name ?? null
  }
  if (input.schoolId) {
    const school = await db
      .selectFrom('schools')
      .select('name')
      .where('authority_id', '=', authorityId)
      .where('id', '=', input.schoolId)
      .executeTakeFirst()
    if (!school) errors.schoolId = 'Select a school from the list'
    schoolName = school?.name ?? null
  }
  if (input.serviceIds.length) {
    const found = await db.selectFrom('services').select('id').where('authority_id', '=', authorityId).where('id', 'in', input.serviceIds).execute()
    if (found.length !== input.serviceIds.length) errors.serviceIds = 'Select services from the list'
  }
  return { errors, schoolName }
}

export const DUPLICATE_EMAIL = 'A user with this email address already exists'

class Refused extends Error {
  constructor(readonly errors: FieldErrors) {
    super('refused')
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505'
}

/**
 * Writes a new invitation for a user who has not set a password: a
 * single-use token (only its hash is kept) that works for
 * INVITATION_TOKEN_DAYS, the email with its link, and the audit event. Any
 * earlier invitation of the user stops working. Runs in the caller's
 * transaction.
 */
async function writeInvitation(
  trx: Kysely<Database>,
  actor: Actor,
  user: { id: string; name: string; email: string; role: Role; organisationName: string | null },
  details: Record<string, unknown>,
): Promise<{ tokenId: string; messageId: string }> {
  const authority = await trx
    .selectFrom('authorities')
    .select(['name', 'contact_email'])
    .where('id', '=', actor.authorityId)
    .executeTakeFirstOrThrow()
  await trx
    .updateTable('password_reset_tokens')
    .set({ expires_at: clock.now() })
    .where('authority_id', '=', actor.authorityId)
    .where('user_id', '=', user.id)
    .where('purpose', '=', 'invitation')
    .where('used_at', 'is', null)
    .where('expires_at', '>', clock.now())
    .execute()
  const token = newToken()
  const row = await trx
    .insertInto('password_reset_tokens')
    .values({
      authority_id: actor.authorityId,
      user_id: user.id,
      token_hash: hashToken(token),
      purpose: 'invitation',
      expires_at: new Date(clock.now().getTime() + INVITATION_TOKEN_DAYS * 86_400_000),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const { message } = await queueEmail(trx, {
    authorityId: actor.authorityId,
    template: 'invitation',
    to: user.email,
    props: {
      authorityName: authority.name,
      inviterName: actor.name,
      recipientName: user.name,
      roleDescription: describeRole(user.role),
      organisationName: user.organisationName ?? authority.name,
      setPasswordUrl: appUrl(`/set-password?token=${token}`),
      expiresInDays: INVITATION_TOKEN_DAYS,
      contactEmail: authority.contact_email,
    },
    idempotencyKey: `invitation:${row.id}`,
  })
  await recordAudit(trx, {
    authorityId: actor.authorityId,
    actorUserId: actor.userId,
    action: 'invitation.sent',
    subjectType: 'user',
    subjectId: user.id,
    ip: actor.ip,
    userAgent: actor.userAgent,
    details: { email: user.email, role: user.role, tokenId: row.id, messageId: message.id, ...details },
  })
  return { tokenId: row.id, messageId: message.id }
}

/**
 * Invites a new user, in one transaction: the user (without a password), the
 * role, the services a service lead leads, the invitation token, the email and
 * the audit event. Refused, with nothing saved, when the email address is
 * already a user of the authority or the school or services are not its own.
 */
export async function inviteUser(
  db: DB,
  actor: Actor,
  input: InviteUserInput,
): Promise<{ ok: true; userId: string; email: string } | { ok: false; errors: FieldErrors }> {
  // queueEmail enqueues the sending job inside the transaction: the queue must be running first.
  await getBoss()
  try {
    const userId = await db.transaction().execute(async (trx) => {
      const existing = await trx
        .selectFrom('users')
        .select('id')
        .where('authority_id', '=', actor.authorityId)
        .where('email', '=', input.email)
        .executeTakeFirst()
      if (existing) throw new Refused({ email: DUPLICATE_EMAIL })
      const { errors, schoolName } = await checkAssignmentTargets(trx, actor.authorityId, input)
      if (Object.keys(errors).length) throw new Refused(errors)

      const user = await trx
        .insertInto('users')
        .values({
          authority_id: actor.authorityId,
          email: input.email,
          name: input.name,
          school_id: input.schoolId,
          trust_id: input.trustId,
          password_hash: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await trx.insertInto('user_roles').values({ authority_id: actor.authorityId, user_id: user.id, role: input.role }).execute()
      if (input.serviceIds.length) {
        await trx
          .insertInto('service_leads')
          .values(input.serviceIds.map((serviceId) => ({ authority_id: actor.authorityId, service_id: serviceId, user_id: user.id })))
          .execute()
      }
      await writeInvitation(
        trx,
        actor,
        { id: user.id, name: input.name, email: input.email, role: input.role, organisationName: schoolName },
        { schoolId: input.schoolId, trustId: input.trustId, serviceIds: input.serviceIds },
      )
      return user.id
    })
    return { ok: true, userId, email: input.email }
  } catch (error) {
    if (error instanceof Refused) return { ok: false, errors: error.errors }
    // Two invitations for the same address at the same moment: the second loses.
    if (isUniqueViolation(error)) return { ok: false, errors: { email: DUPLICATE_EMAIL } }
    throw error
  }
}

export type UserActionResult = { ok: true } | { ok: false; notFound: true } | { ok: false; errors: FieldErrors }

const OWN_ADMIN_ROLE = 'You cannot remove your own LA administrator role: ask another administrator to do it'
export const CANNOT_DEACTIVATE_SELF = 'You cannot deactivate your own account: ask another administrator to do it'

/**
 * Gives a user a new role (replacing the ones they had), with the school that
 * role needs and, for a service lead, the services they lead. An
 * administrator cannot take away their own administrator role.
 */
export async function changeUserRole(db: DB, actor: Actor, userId: string, input: ChangeRoleInput): Promise<UserActionResult> {
  if (!isUuid(userId)) return { ok: false, notFound: true }
  if (userId === actor.userId && input.role !== 'la_admin') return { ok: false, errors: { role: OWN_ADMIN_ROLE } }
  try {
    return await db.transaction().execute(async (trx) => {
      const user = await trx
        .selectFrom('users')
        .select(['id', 'school_id', 'trust_id'])
        .where('authority_id', '=', actor.authorityId)
        .where('id', '=', userId)
        .$call(forUpdate)
        .executeTakeFirst()
      if (!user) return { ok: false as const, notFound: true as const }
      const { errors } = await checkAssignmentTargets(trx, actor.authorityId, input)
      if (Object.keys(errors).length) throw new Refused(errors)

      const [oldRoles, oldServices] = await Promise.all([
        trx
          .selectFrom('user_roles')
          .select('role')
          .where('authority_id', '=', actor.authorityId)
          .where('user_id', '=', userId)
          .orderBy('role')
          .execute(),
        trx
          .selectFrom('service_leads')
          .select('service_id')
          .where('authority_id', '=', actor.authorityId)
          .where('user_id', '=', userId)
          .orderBy('service_id')
          .execute(),
      ])
      const from = oldRoles.map((r) => r.role)
      const servicesFrom = oldServices.map((s) => s.service_id)
      const servicesTo = [...input.serviceIds].sort()
      const unchanged =
        from.length === 1 &&
        from[0] === input.role &&
        user.school_id === input.schoolId &&
        user.trust_id === input.trustId &&
        servicesFrom.join() === servicesTo.join()
      if (unchanged) return { ok: true as const }

      await trx.deleteFrom('user_roles').where('authority_id', '=', actor.authorityId).where('user_id', '=', userId).execute()
      await trx.insertInto('user_roles').values({ authority_id: actor.authorityId, user_id: userId, role: input.role }).execute()
      await trx.deleteFrom('service_leads').where('authority_id', '=', actor.authorityId).where('user_id', '=', userId).execute()
      if (input.serviceIds.length) {
        await trx
          .insertInto('service_leads')
          .values(input.serviceIds.map((serviceId) => ({ authority_id: actor.authorityId, service_id: serviceId, user_id: userId })))
          .execute()
      }
      if (user.school_id !== input.schoolId || user.trust_id !== input.trustId) {
        await trx
          .updateTable('users')
          .set({ school_id: input.schoolId, trust_id: input.trustId, updated_at: clock.now() })
          .where('authority_id', '=', actor.authorityId)
          .where('id', '=', userId)
          .execute()
      }
      await recordAudit(trx, {
        authorityId: actor.authorityId,
        actorUserId: actor.userId,
        action: 'user.role_changed',
        subjectType: 'user',
        subjectId: userId,
        ip: actor.ip,
        userAgent: actor.userAgent,
        details: {
          from,
          to: [input.role],
          schoolFrom: user.school_id,
          schoolTo: input.schoolId,
          trustFrom: user.trust_id,
          trustTo: input.trustId,
          servicesFrom,
          servicesTo,
        },
      })
      return { ok: true as const }
    })
  } catch (error) {
    if (error instanceof Refused) return { ok: false, errors: error.errors }
    throw error
  }
}

/**
 * Deactivates or reactivates an account. Deactivating ends every session of
 * the user at once and voids their unused reset and invitation links, so that
 * a link sent earlier does not work after a later reactivation. An
 * administrator cannot deactivate themself.
 */
export async function setUserActive(db: DB, actor: Actor, userId: string, active: boolean): Promise<UserActionResult> {
  if (!isUuid(userId)) return { ok: false, notFound: true }
  if (!active && userId === actor.userId) return { ok: false, errors: { deactivate: CANNOT_DEACTIVATE_SELF } }
  return db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('users')
      .select(['id', 'is_active', 'email'])
      .where('authority_id', '=', actor.authorityId)
      .where('id', '=', userId)
      .$call(forUpdate)
      .executeTakeFirst()
    if (!user) return { ok: false as const, notFound: true as const }
    if (user.is_active === active) return { ok: true as const }
    await trx
      .updateTable('users')
      .set({ is_active: active, updated_at: clock.now() })
      .where('authority_id', '=', actor.authorityId)
      .where('id', '=', userId)
      .execute()
    if (!active) {
      await destroyUserSessions(trx, actor.authorityId, userId)
      await trx
        .updateTable('password_reset_tokens')
        .set({ expires_at: clock.now() })
        .where('authority_id', '=', actor.authorityId)
        .where('user_id', '=', userId)
        .where('used_at', 'is', null)
        .where('expires_at', '>', clock.now())
        .execute()
    }
    await recordAudit(trx, {
      authorityId: actor.authorityId,
      actorUserId: actor.userId,
      action: active ? 'user.reactivated' : 'user.deactivated',
      subjectType: 'user',
      subjectId: userId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      details: { email: user.email },
    })
    return { ok: true as const }
  })
}

/** Sends a new invitation to an active user who has never set a password; the old link stops working. */
export async function resendInvitation(db: DB, actor: Actor, userId: string): Promise<UserActionResult> {
  if (!isUuid(userId)) return { ok: false, notFound: true }
  await getBoss()
  return db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('users as u')
      .leftJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'u.authority_id').onRef('s.id', '=', 'u.school_id'))
      .select(['u.id', 'u.name', 'u.email', 'u.is_active', 'u.password_hash', 's.name as school_name'])
      .where('u.authority_id', '=', actor.authorityId)
      .where('u.id', '=', userId)
      .$call((q) => forUpdate(q, 'u'))
      .executeTakeFirst()
    if (!user) return { ok: false as const, notFound: true as const }
    if (user.password_hash) {
      return { ok: false as const, errors: { resend: 'This user has already set a password: there is no invitation to send' } }
    }
    if (!user.is_active) {
      return { ok: false as const, errors: { resend: 'Reactivate the account before sending a new invitation' } }
    }
    const roles = await trx
      .selectFrom('user_roles')
      .select('role')
      .where('authority_id', '=', actor.authorityId)
      .where('user_id', '=', userId)
      .orderBy('role')
      .execute()
    const role = roles[0]?.role
    if (!role) return { ok: false as const, errors: { resend: 'Give the user a role before sending an invitation' } }
    await writeInvitation(trx, actor, { id: user.id, name: user.name, email: user.email, role, organisationName: user.school_name }, { resent: true })
    return { ok: true as const }
  })
}
