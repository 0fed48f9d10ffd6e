import type { DB } from '../../../db/connection'
import { renewalEmailKey } from '../../domain/trading'
import { formatPence } from '../../domain/money'
import { tradingYearLabel } from '../../domain/trading-year'
import { appUrl, queueEmail } from '../../utils/email.server'
import { getBoss } from '../../utils/jobs.server'
import { lapsedSchools } from '../trading/trading.server'
import { type ServiceInfo } from '../trading/scope.server'
import { recordAudit } from '../admin/audit.server'
import type { Actor } from '../shared/actor.server'
import { NOT_FOUND, type NotFound } from '../shared/results'

/**
 * "Email about renewing" on /la/trading: asks a school that bought a service
 * last year, and not yet this year, to buy it again.
 */

export type RenewalEmailResult =
  | { ok: true; created: boolean; to: string; schoolName: string; serviceName: string; queuedAt: string }
  | { ok: false; reason: 'not-lapsed' | 'no-email' }
  | NotFound

/**
 * Emails a lapsed school about buying a service again this trading year:
 * one message per school, service and year (the idempotency key; a second
 * click returns the first message and sends nothing), queued through the
 * outbox with its audit event in one transaction. The service must be in
 * the actor's scope (the caller checks) and the school must still be lapsed.
 */
export async function queueRenewalEmail(
  db: DB,
  actor: Pick<Actor, 'userId' | 'name' | 'authorityId' | 'ip' | 'userAgent'>,
  input: { schoolId: string; service: ServiceInfo; tradingYear: number; authorityName: string },
): Promise<RenewalEmailResult> {
  const { service, tradingYear } = input
  const school = await db
    .selectFrom('schools')
    .select(['id', 'name', 'email', 'headteacher_name'])
    .where('authority_id', '=', actor.authorityId)
    .where('id', '=', input.schoolId)
    .executeTakeFirst()
  if (!school) return NOT_FOUND
  const lapsed = (await lapsedSchools(db, actor.authorityId, [service], tradingYear)).find((l) => l.schoolId === school.id)
  if (!lapsed) return { ok: false, reason: 'not-lapsed' }
  if (!school.email) return { ok: false, reason: 'no-email' }
  // The email is queued inside the transaction: the job queue must be started first.
  await getBoss()
  const idempotencyKey = renewalEmailKey(school.id, service.id, tradingYear)
  const to = school.email
  return db.transaction().execute(async (trx) => {
    const { message, created } = await queueEmail(trx, {
      authorityId: actor.authorityId,
      template: 'renewal-reminder',
      to,
      idempotencyKey,
      props: {
        authorityName: input.authorityName,
        schoolName: school.name,
        recipientName: school.headteacher_name ?? undefined,
        serviceName: service.name,
        lastYearLabel: tradingYearLabel(tradingYear - 1),
        thisYearLabel: tradingYearLabel(tradingYear),
        lastYearSpend: formatPence(lapsed.lastYearPence),
        serviceUrl: appUrl(`/services/${service.slug}`),
        senderName: actor.name,
        contactName: service.contactName,
        contactEmail: service.contactEmail,
        contactPhone: service.contactPhone ?? undefined,
      },
    })
    if (created) {
      await recordAudit(trx, {
        authorityId: actor.authorityId,
        actorUserId: actor.userId,
        action: 'renewal_email.queued',
        subjectType: 'school',
        subjectId: school.id,
        ip: actor.ip,
        userAgent: actor.userAgent,
        details: { serviceId: service.id, tradingYear, messageId: message.id, idempotencyKey },
      })
    }
    return {
      ok: true as const,
      created,
      to: message.to_address,
      schoolName: school.name,
      serviceName: service.name,
      queuedAt: new Date(message.created_at).toISOString(),
    }
  })
}
