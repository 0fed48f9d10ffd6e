/**
 * The application's queues and the data their jobs carry. This module imports
 * nothing of the app, so that models can enqueue work without depending on the
 * handlers that do it (the handler registry, app/jobs/index.server.ts, is
 * imported only by the processes that run workers: app/server.ts and
 * app/worker.ts).
 */

export type SendEmailJobData = { authorityId: string; messageId: string }
export type BillOrderJobData = { authorityId: string; orderId: string }
export type StripeInvoiceJobData = { authorityId: string; invoiceId: string }
export type StripeCreditNoteJobData = { authorityId: string; creditNoteId: string }
export type StripePayoutJobData = { payoutId: string }

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

export type QueueName = keyof JobData

export const queueNames = [
  'send-email',
  'decide-submitted-lines',
  'bill-order',
  'bill-due',
  'stripe-sync-invoice',
  'stripe-sync-credit-note',
  'stripe-reconcile-payout',
  'renewals-daily',
] as const satisfies readonly QueueName[]

/** Whether the application has a queue of this name. */
export function isQueueName(name: string): name is QueueName {
  return (queueNames as readonly string[]).includes(name)
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
