import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'

export type AuditAction =
  | 'sign_in.succeeded'
  | 'sign_in.failed'
  | 'sign_in.throttled'
  | 'sign_out'
  | 'password_reset.requested'
  | 'password_reset.completed'
  | 'invitation.sent'
  | 'invitation.accepted'
  | 'user.role_changed'
  | 'user.deactivated'
  | 'user.reactivated'
  | 'school.created'
  | 'school.updated'
  | 'schools.imported'
  | 'team_year.updated'
  | 'term_dates.updated'
  | 'journal.posted'
  | 'payment.recorded'
  | 'job.retried'
  | 'renewal_email.queued'
  | 'renewal.window_saved'
  | 'renewal.opened'
  | 'renewal.accepted'
  | 'renewal.declined'
  | 'invoice.credited'
  | 'invoice.written_off'
  | 'invoice.voided'
  | 'payment.allocated'
  | 'payment.refunded'
  | 'invoice_settings.updated'
  | 'offer.created'
  | 'offer.updated'
  | 'offer.retired'
  | 'offer.prices_saved'
  | 'service.updated'
  | 'service.terms_versioned'
  | 'prices.published'
  | 'prices.copied'
  | 'targets.saved'
  | 'team_plan.decided'
  | 'invitations.imported'
  | 'trust.created'
  | 'trust.updated'
  | 'trust.member_added'
  | 'trust.member_left'

/** Records who did what, when and from where. */
export async function recordAudit(
  db: Kysely<Database>,
  event: {
    authorityId: string
    actorUserId: string | null
    action: AuditAction
    subjectType?: string
    subjectId?: string
    ip: string
    userAgent?: string | null
    details?: Record<string, unknown>
  },
): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      authority_id: event.authorityId,
      actor_user_id: event.actorUserId,
      action: event.action,
      subject_type: event.subjectType ?? null,
      subject_id: event.subjectId ?? null,
      ip_address: event.ip,
      user_agent: event.userAgent?.slice(0, 500) ?? null,
      details: JSON.stringify(event.details ?? {}),
    })
    .execute()
}

type AuditEvent = Parameters<typeof recordAudit>[1]

/**
 * Records many events at once (an import's one per school), in batches of
 * one insert each: the same rows recordAudit writes, in the caller's transaction.
 */
export async function recordAudits(db: Kysely<Database>, events: readonly AuditEvent[]): Promise<void> {
  const BATCH = 2_000
  for (let i = 0; i < events.length; i += BATCH) {
    await db
      .insertInto('audit_events')
      .values(
        events.slice(i, i + BATCH).map((event) => ({
          authority_id: event.authorityId,
          actor_user_id: event.actorUserId,
          action: event.action,
          subject_type: event.subjectType ?? null,
          subject_id: event.subjectId ?? null,
          ip_address: event.ip,
          user_agent: event.userAgent?.slice(0, 500) ?? null,
          details: JSON.stringify(event.details ?? {}),
        })),
      )
      .execute()
  }
}
