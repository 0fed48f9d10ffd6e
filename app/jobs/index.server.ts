import type { JobWithMetadata } from 'pg-boss'
import { decideSubmittedLinesJob } from './decide-submitted-lines.server'
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
} satisfies Record<string, (job: JobWithMetadata<never>) => Promise<unknown>>

export type QueueName = keyof typeof jobHandlers

/** The data each queue's jobs carry. */
export type JobData = {
  'send-email': SendEmailJobData
  'decide-submitted-lines': Record<string, never>
}

/** Queues run on a timetable (cron, UTC) as well as on demand. */
export const jobSchedules: Partial<Record<QueueName, string>> = {
  'decide-submitted-lines': '*/5 * * * *',
}
