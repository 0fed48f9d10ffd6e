import type { JobWithMetadata } from 'pg-boss'
import { billDueJob, billOrderJob, stripeReconcilePayoutJob, stripeSyncCreditNoteJob, stripeSyncInvoiceJob } from './billing.server'
import { decideSubmittedLinesJob } from './decide-submitted-lines.server'
import type { QueueName } from './queues'
import { renewalsDailyJob } from './renewals.server'
import { sendEmailJob } from './send-email.server'

/**
 * The handler registry: every queue (app/jobs/queues.ts) with the handler
 * that works it. Imported only by the processes that run workers
 * (app/server.ts, app/worker.ts) and by tests. A
 * handler that throws fails the job, and pg-boss tries it again later
 * (app/utils/jobs.server.ts has the retry policy), so handlers must be safe
 * to run more than once.
 */
export const jobHandlers = {
  'send-email': sendEmailJob,
  'decide-submitted-lines': decideSubmittedLinesJob,
  'bill-order': billOrderJob,
  'bill-due': billDueJob,
  'stripe-sync-invoice': stripeSyncInvoiceJob,
  'stripe-sync-credit-note': stripeSyncCreditNoteJob,
  'stripe-reconcile-payout': stripeReconcilePayoutJob,
  'renewals-daily': renewalsDailyJob,
} satisfies Record<QueueName, (job: JobWithMetadata<never>) => Promise<unknown>>

export type JobHandlers = typeof jobHandlers
