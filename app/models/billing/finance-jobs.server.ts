import type { DB } from '../../../db/connection'
import { STRIPE_QUEUES, type StripeQueue } from '../../schemas/finance'
import { hasQueue, listFailedJobs, retryJob, type FailedJob } from '../../utils/jobs.server'
import { recordAudit } from '../admin/audit.server'
import type { Actor } from '../shared/actor.server'

/**
 * Stripe work that failed (docs/product.md: work that talks to the outside goes
 * through a job queue with retries): the jobs finance sees on the
 * reconciliation page, and retrying one. Jobs are the deployment's, so only
 * those whose data names the user's authority (`authorityId`), and payout
 * jobs of the authority's payouts (or of payouts not yet stored), are shown
 * or retried.
 */

export type StripeJobProblem = {
  id: string
  queue: StripeQueue
  state: FailedJob['state']
  retryCount: number
  retryLimit: number
  error: string | null
  createdOn: Date
  failedOn: Date | null
  /** What the job was about, in words ("Invoice COV-000123"). */
  subject: string
  /** The invoice page it concerns, if any. */
  invoiceId: string | null
}

function field(data: unknown, name: string): string | null {
  if (!data || typeof data !== 'object') return null
  const value = (data as Record<string, unknown>)[name]
  return typeof value === 'string' ? value : null
}

/** The Stripe queues this version of the application has (others are not asked about). */
export function stripeQueuesPresent(): StripeQueue[] {
  return STRIPE_QUEUES.filter((q) => hasQueue(q))
}

/** Failed and retrying Stripe jobs of the authority, newest first. */
export async function listStripeJobProblems(db: DB, authorityId: string): Promise<StripeJobProblem[]> {
  const found: (FailedJob & { queue: StripeQueue })[] = []
  const payoutJobs: (FailedJob & { queue: StripeQueue; payoutId: string })[] = []
  for (const queue of stripeQueuesPresent()) {
    for (const job of await listFailedJobs({ queue, limit: 200 })) {
      const owner = field(job.data, 'authorityId')
      const payoutId = field(job.data, 'payoutId')
      if (owner === authorityId) found.push({ ...job, queue })
      else if (owner === null && payoutId) payoutJobs.push({ ...job, queue, payoutId })
    }
  }
  // A payout job names only Stripe's payout (one Stripe account serves the
  // deployment): it is the authority's when the payout is stored as theirs,
  // or when it never got as far as being stored (nobody's yet).
  if (payoutJobs.length > 0) {
    const stored = await db
      .selectFrom('stripe_payouts')
      .select(['stripe_payout_id', 'authority_id'])
      .where(
        'stripe_payout_id',
        'in',
        payoutJobs.map((j) => j.payoutId),
      )
      .execute()
    const ownerOf = new Map(stored.map((p) => [p.stripe_payout_id, p.authority_id]))
    for (const job of payoutJobs) {
      const owner = ownerOf.get(job.payoutId)
      if (owner === undefined || owner === authorityId) found.push(job)
    }
  }
  found.sort((a, b) => b.createdOn.getTime() - a.createdOn.getTime())

  const invoiceIds = found.map((j) => field(j.data, 'invoiceId')).filter((id): id is string => id !== null)
  const creditNoteIds = found.map((j) => field(j.data, 'creditNoteId')).filter((id): id is string => id !== null)
  const uuid = (id: string) => /^[0-9a-f-]{36}$/i.test(id)
  const [invoices, creditNotes] = await Promise.all([
    invoiceIds.filter(uuid).length
      ? db
          .selectFrom('invoices')
          .select(['id', 'number'])
          .where('authority_id', '=', authorityId)
          .where('id', 'in', invoiceIds.filter(uuid))
          .execute()
      : [],
    creditNoteIds.filter(uuid).length
      ? db
          .selectFrom('credit_notes')
          .select(['id', 'number', 'invoice_id'])
          .where('authority_id', '=', authorityId)
          .where('id', 'in', creditNoteIds.filter(uuid))
          .execute()
      : [],
  ])
  const invoiceById = new Map(invoices.map((i) => [i.id, i]))
  const creditById = new Map(creditNotes.map((c) => [c.id, c]))

  return found.map((job) => {
    const invoice = invoiceById.get(field(job.data, 'invoiceId') ?? '')
    const credit = creditById.get(field(job.data, 'creditNoteId') ?? '')
    const payout = field(job.data, 'stripePayoutId') ?? field(job.data, 'payoutId')
    const subject = invoice ? `Invoice ${invoice.number}` : credit ? `Credit note ${credit.number}` : payout ? `Payout ${payout}` : 'Not known'
    return {
      id: job.id,
      queue: job.queue,
      state: job.state,
      retryCount: job.retryCount,
      retryLimit: job.retryLimit,
      error: job.error,
      createdOn: job.createdOn,
      failedOn: job.failedOn,
      subject,
      invoiceId: invoice?.id ?? credit?.invoice_id ?? null,
    }
  })
}

/**
 * Retries a Stripe job that failed for good, if it is one of the authority's
 * (audited). Jobs are idempotent (every Stripe call has an idempotency key),
 * so a retry never charges or sends twice.
 */
export async function retryStripeJob(
  db: DB,
  actor: Pick<Actor, 'userId' | 'authorityId' | 'ip' | 'userAgent'>,
  queue: StripeQueue,
  jobId: string,
): Promise<'retried' | 'not_failed' | 'not_found'> {
  if (!hasQueue(queue)) return 'not_found'
  const jobs = await listStripeJobProblems(db, actor.authorityId)
  const job = jobs.find((j) => j.id === jobId && j.queue === queue)
  if (!job) return 'not_found'
  if (job.state !== 'failed') return 'not_failed'
  if (!(await retryJob(queue, jobId))) return 'not_failed'
  await recordAudit(db, {
    authorityId: actor.authorityId,
    actorUserId: actor.userId,
    action: 'job.retried',
    subjectType: 'job',
    subjectId: jobId,
    ip: actor.ip,
    userAgent: actor.userAgent,
    details: { queue, subject: job.subject, retryCount: job.retryCount },
  })
  return 'retried'
}
