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
  | 'school.updated'
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
  | 'targets.saved'
  | 'team_plan.decided'
  | 'invitations.imported'

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
