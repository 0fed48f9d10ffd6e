import type { JobWithMetadata } from 'pg-boss'
import {
  billDueJob,
  billOrderJob,
  stripeReconcilePayoutJob,
  stripeSyncCreditNoteJob,
  stripeSyncInvoiceJob,
  type BillOrderJobData,
  type StripeCreditNoteJobData,
  type StripeInvoiceJobData,
  type StripePayoutJobData,
} from './billing.server'
import { decideSubmittedLinesJob } from './decide-submitted-lines.server'
import { renewalsDailyJob } from './renewals.server'
import { sendEmailJob, type SendEmailJobData } from './send-email.server'

/**
 * Every queue the application uses, with the handler that works it. A
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
} satisfies Record<string, (job: JobWithMetadata<never>) => Promise<unknown>>

export type QueueName = keyof typeof jobHandlers

/** The data each queue's jobs carry. */
export type JobData = {
  'send-email': SendEmailJobData
  'decide-submitted-lines': Record<string, never>
  'bill-order': BillOrderJobData
  'bill-due': Record<string, never>
  'stripe-sync-invoice': StripeInvoiceJobData
  'stripe-sync-credit-note': StripeCreditNoteJobData
  'stripe-reconcile-payout': StripePayoutJobData
  'renewals-daily': Record<string, never>
}

/**
 * Jobs worked at once per process (one unless given): Stripe calls spend
 * most of their time waiting, so a few run side by side.
 */
export const jobConcurrency: Partial<Record<QueueName, number>> = {
  'stripe-sync-invoice': 4,
  'stripe-sync-credit-note': 2,
}

/** Queues run on a timetable (cron, UTC) as well as on demand. */
export const jobSchedules: Partial<Record<QueueName, string>> = {
  'decide-submitted-lines': '*/5 * * * *',
  'bill-due': '7 * * * *',
  // 00:20 UTC: after midnight in the UK, summer or winter.
  'renewals-daily': '20 0 * * *',
}
