import { createHash } from 'node:crypto'
import { CompiledQuery, type Kysely } from 'kysely'
import { PgBoss, type Db, type JobWithMetadata, type QueueOptions, type SendOptions } from 'pg-boss'
import type { Database } from '../../db/schema'
import { closeMailTransports } from '../jobs/send-email.server'
import { isQueueName, jobConcurrency, jobSchedules, queueNames, type JobData, type QueueName } from '../jobs/queues'
import { getDatabaseUrl } from './db.server'
import { getEnv } from './env.server'

export type { JobData, QueueName } from '../jobs/queues'

/**
 * The job queue: pg-boss 12 on the application's own database (its tables
 * live in the `pgboss` schema, or JOB_QUEUE_SCHEMA's, which pg-boss creates
 * and migrates itself).
 * Work that talks to the outside world (SMTP now, Stripe later) runs here,
 * never inside the request that asked for it. See docs/decisions/0004.
 */

const DAY = 24 * 60 * 60

/**
 * How every queue retries and keeps its jobs. A failing job is tried 7 times
 * in all, waiting about 1, 2, 4, 8, 16 and 32 minutes (with jitter) between
 * tries: about two hours of an SMTP or Stripe outage before it shows failed.
 * Finished jobs, failed ones included, stay visible for 30 days.
 */
export const queuePolicy = {
  retryLimit: 6,
  retryDelay: 60,
  retryBackoff: true,
  retryDelayMax: 60 * 60,
  expireInSeconds: 15 * 60,
  // Completed, cancelled and failed jobs are deleted this long after they finished.
  deleteAfterSeconds: 30 * DAY,
  // Jobs waiting to run (say while the workers are stopped) are kept this long.
  retentionSeconds: 30 * DAY,
} satisfies QueueOptions

type JobsState = {
  ready: Promise<PgBoss>
  boss?: PgBoss
  workers: boolean
}

// On globalThis so that `remix dev` reloading the server bundle keeps one queue.
const globalForJobs = globalThis as typeof globalThis & { __buybackJobs?: JobsState }

/** The schema holding the job queue's tables (`job` among them). */
export function jobQueueSchema(): string {
  return getEnv().JOB_QUEUE_SCHEMA
}

/**
 * The started pg-boss instance, with the application's queues created.
 * Started on first use; the web process starts it at boot (app/entry.server.tsx).
 */
export async function getBoss(): Promise<PgBoss> {
  const state = (globalForJobs.__buybackJobs ??= startBoss())
  return state.ready
}

function startBoss(): JobsState {
  const state: JobsState = { workers: false } as JobsState
  state.ready = (async () => {
    const url = await getDatabaseUrl()
    const embedded = !getEnv().DATABASE_URL
    const boss = new PgBoss({
      connectionString: url,
      schema: jobQueueSchema(),
      application_name: 'buyback-jobs',
      // The embedded database runs one transaction at a time: keep the pool small.
      max: embedded ? 2 : 4,
    })
    boss.on('error', (error) => console.error('Job queue error:', error))
    boss.on('warning', (warning) => console.warn(`Job queue warning: ${warning.message}`))
    await boss.start()
    for (const name of queueNames) {
      // Creating is idempotent; updating makes this file the source of truth
      // for the retry and retention policy of queues made by older versions.
      await boss.createQueue(name, queuePolicy)
      await boss.updateQueue(name, queuePolicy)
    }
    state.boss = boss
    return boss
  })()
  state.ready.catch(() => {
    // A failed start may be tried again.
    if (globalForJobs.__buybackJobs === state) globalForJobs.__buybackJobs = undefined
  })
  return state
}

/** A handler for every queue: the registry in app/jobs/index.server.ts. */
export type JobHandlerRegistry = Record<QueueName, (job: JobWithMetadata<never>) => Promise<unknown>>

/**
 * Registers a worker for every queue, in this process, with the handlers
 * given (the registry, app/jobs/index.server.ts, which only the processes
 * that run workers import). Safe to call more than once.
 */
export async function startJobWorkers(
  handlers: JobHandlerRegistry,
  options: {
    pollingIntervalSeconds?: number
    /** Tests: work only these queues (a test file's own), not every queue of a database other files share. */
    queues?: readonly QueueName[]
    /** Tests: false leaves the schedules (decide-submitted-lines, bill-due, renewals-daily) alone. */
    schedules?: boolean
  } = {},
): Promise<void> {
  const boss = await getBoss()
  const state = globalForJobs.__buybackJobs
  if (!state || state.workers) return
  state.workers = true
  for (const name of options.queues ?? queueNames) {
    const handler = handlers[name]
    await boss.work(
      name,
      {
        includeMetadata: true,
        pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2,
        // The embedded database serves one statement stream at a time (decision 0002): one job at a time there.
        localConcurrency: getEnv().DATABASE_URL ? (jobConcurrency[name] ?? 1) : 1,
      },
      async (jobs: JobWithMetadata<never>[]) => {
        // One job at a time (batchSize 1); a throw fails the job and pg-boss retries it. What the
        // handler returns (say, how many renewal windows it opened) is kept as the job's output.
        let output: unknown
        for (const job of jobs) output = await handler(job)
        return output
      },
    )
  }
  if (options.schedules === false) return
  for (const [name, cron] of Object.entries(jobSchedules)) await boss.schedule(name, cron)
}

/**
 * Stops the workers (letting running jobs finish for up to 10 s), closes
 * pg-boss's pool and the mail server connections.
 */
export async function stopJobs(): Promise<void> {
  const state = globalForJobs.__buybackJobs
  if (!state) return
  globalForJobs.__buybackJobs = undefined
  const boss = await state.ready.catch(() => undefined)
  await boss?.stop({ graceful: true, timeout: 10_000 })
  closeMailTransports()
}

/** Whether getBoss() has finished starting in this process. */
export function jobsStarted(): boolean {
  return Boolean(globalForJobs.__buybackJobs?.boss)
}

export type EnqueueOptions = {
  /**
   * The same key on the same queue never makes a second job (while the first
   * is kept, 30 days after it finished): the job's id is derived from it.
   */
  idempotencyKey?: string
  /** pg-boss's singletonKey, for queue policies that use one. */
  singletonKey?: string
  /** Run no earlier than this. */
  startAfter?: Date
}

let testJobOptions: Pick<SendOptions, 'retryLimit' | 'retryDelay' | 'retryBackoff'> | undefined

/**
 * Tests only: retry options added to every job enqueued from now on (for
 * example `{ retryLimit: 1, retryDelay: 1, retryBackoff: false }` to see a
 * job fail for good in seconds). `undefined` goes back to the queue's policy.
 */
export function setJobOptionsForTests(options: typeof testJobOptions): void {
  testJobOptions = options
}

/**
 * Adds a job to a queue through the caller's database handle. Given a Kysely
 * transaction, the job is written inside it: it exists if and only if the
 * transaction commits.
 *
 * The queue must be started first (getBoss(); the web process does it at
 * boot): starting pg-boss needs connections of its own, and the embedded
 * database, which runs one transaction at a time, would wait for ever for
 * them while the caller's transaction is open.
 */
export async function enqueue<Q extends QueueName>(
  trxOrDb: Kysely<Database>,
  queueName: Q,
  data: JobData[Q],
  options?: EnqueueOptions,
): Promise<{ jobId: string; created: boolean }>
/** The same for a queue that is not the application's own (tests). */
export async function enqueue(
  trxOrDb: Kysely<Database>,
  queueName: string,
  data: object,
  options?: EnqueueOptions,
): Promise<{ jobId: string; created: boolean }>
export async function enqueue(
  trxOrDb: Kysely<Database>,
  queueName: string,
  data: object,
  options: EnqueueOptions = {},
): Promise<{ jobId: string; created: boolean }> {
  if (trxOrDb.isTransaction && !jobsStarted()) {
    throw new Error('The job queue is not started: call getBoss() (or startJobWorkers()) before enqueueing inside a transaction')
  }
  const boss = await getBoss()
  const id = options.idempotencyKey ? uuidFromKey(`${queueName}\u0000${options.idempotencyKey}`) : undefined
  const sent = await boss.send(queueName, data, {
    ...testJobOptions,
    id,
    singletonKey: options.singletonKey,
    startAfter: options.startAfter,
    db: kyselyExecutor(trxOrDb),
  })
  const jobId = sent ?? id
  if (!jobId) throw new Error(`pg-boss did not create a job on ${queueName}`)
  return { jobId, created: sent !== null }
}

/** pg-boss's database interface over a Kysely handle (a transaction or the pool). */
export function kyselyExecutor(db: Kysely<Database>): Db {
  return {
    async executeSql(text, values) {
      const result = await db.executeQuery(CompiledQuery.raw(text, values ?? []))
      return { rows: [...result.rows] }
    },
  }
}

export type FailedJob = {
  id: string
  queue: string
  /** `retry` while pg-boss will try again, `failed` once it has given up. */
  state: 'retry' | 'failed'
  data: unknown
  retryCount: number
  retryLimit: number
  error: string | null
  createdOn: Date
  /** When it failed for good (null while retrying). */
  failedOn: Date | null
}

/**
 * Jobs that failed: those pg-boss is still retrying and those it gave up on
 * (kept for 30 days), newest first. For a finance or admin page.
 */
export async function listFailedJobs(options: { queue?: string; limit?: number } = {}): Promise<FailedJob[]> {
  const boss = await getBoss()
  const queues: readonly string[] = options.queue ? [options.queue] : queueNames
  const found: FailedJob[] = []
  for (const queue of queues) {
    const jobs = await boss.findJobs<unknown>(queue, { limit: 100_000 })
    for (const job of jobs) {
      if (job.state !== 'failed' && job.state !== 'retry') continue
      const output = job.output as { message?: unknown } | null
      found.push({
        id: job.id,
        queue,
        state: job.state,
        data: job.data,
        retryCount: job.retryCount,
        retryLimit: job.retryLimit,
        error: typeof output?.message === 'string' ? output.message : null,
        createdOn: job.createdOn,
        failedOn: job.state === 'failed' ? job.completedOn : null,
      })
    }
  }
  found.sort((a, b) => b.createdOn.getTime() - a.createdOn.getTime())
  return found.slice(0, options.limit ?? 100)
}

/** A stable UUID (version 5 layout) for a key, so that the same key always names the same job. */
function uuidFromKey(key: string): string {
  const h = createHash('sha256').update(key).digest('hex')
  const variant = ((Number.parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`
}

/** Whether the application has a queue of this name (app/jobs/queues.ts decides which exist). */
export const hasQueue = isQueueName

/**
 * Tries once more a job that pg-boss gave up on (state `failed`): it goes
 * back to `retry` with one more attempt allowed, and a worker picks it up.
 * False when the queue has no such failed job (already retried, still
 * retrying, or never there).
 */
export async function retryJob(queue: string, id: string): Promise<boolean> {
  if (!hasQueue(queue)) return false
  const boss = await getBoss()
  const result = (await boss.retry(queue, id)) as { affected?: number }
  return (result.affected ?? 0) > 0
}
