import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { PgBoss } from 'pg-boss'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { getDb } from '../../app/utils/db.server'
import { enqueue, getBoss, jobQueueSchema, kyselyExecutor, listFailedJobs, stopJobs } from '../../app/utils/jobs.server'

// The job queue (pg-boss) on the database under test. Each test works a queue
// of its own, so nothing here touches the application's queues' jobs.

const run = randomUUID().slice(0, 8)
let boss: PgBoss

beforeAll(async () => {
  boss = await getBoss()
})

afterAll(async () => {
  await stopJobs()
})

async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

async function jobState(queue: string, id: string) {
  const [job] = await boss.findJobs(queue, { id })
  return job
}

async function whenState(queue: string, id: string, state: string) {
  return eventually(`job ${id} to be ${state}`, async () => {
    const job = await jobState(queue, id)
    return job?.state === state ? job : undefined
  })
}

describe('the job queue', () => {
  it('runs on the application’s database and completes a job', async () => {
    const queue = `test-complete-${run}`
    await boss.createQueue(queue)
    const seen: unknown[] = []
    await boss.work(queue, { pollingIntervalSeconds: 0.5 }, async ([job]) => {
      seen.push(job?.data)
    })
    const db = await getDb()
    const { jobId, created } = await enqueue(db, queue, { hello: 'world' })
    expect(created).toBe(true)
    await whenState(queue, jobId, 'completed')
    expect(seen).toEqual([{ hello: 'world' }])
    // The job is a row of the database the app itself uses.
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(`${jobQueueSchema()}.job`)} where id = ${jobId}`.execute(db)
    expect(rows[0]?.n).toBe(1)
  })

  it('keeps this test file’s jobs in its own queue: no other file’s workers can take them', async () => {
    const db = await getDb()
    const { jobId } = await enqueue(db, 'send-email', { authorityId: randomUUID(), messageId: randomUUID() })
    expect(jobQueueSchema()).toMatch(/^jobs_[0-9a-f]{12}$/)
    // Every job queue in the run's database (each file's, and the default one if anything made it).
    const { rows: schemas } = await sql<{ name: string }>`
      select table_schema as name from information_schema.tables where table_name = 'job' and table_schema not in ('public')`.execute(db)
    const holding: string[] = []
    for (const { name } of schemas) {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(`${name}.job`)} where id = ${jobId}::uuid`.execute(db)
      if (rows[0]?.n) holding.push(name)
    }
    expect(holding).toEqual([jobQueueSchema()])
    await boss.cancel('send-email', jobId)
  })

  it('never runs a job enqueued in a transaction that rolled back, and runs the committed one', async () => {
    const queue = `test-rollback-${run}`
    await boss.createQueue(queue)
    const seen: unknown[] = []
    await boss.work(queue, { pollingIntervalSeconds: 0.5 }, async ([job]) => {
      seen.push(job?.data)
    })
    const db = await getDb()
    let rolledBackId = ''
    await expect(
      db.transaction().execute(async (trx) => {
        rolledBackId = (await enqueue(trx, queue, { which: 'rolled back' })).jobId
        // Inside the transaction the job is there...
        expect(await boss.findJobs(queue, { id: rolledBackId, db: kyselyExecutor(trx) })).toHaveLength(1)
        throw new Error('the order failed')
      }),
    ).rejects.toThrow('the order failed')
    // ...and after the rollback it never was.
    expect(await jobState(queue, rolledBackId)).toBeUndefined()

    const committed = await db.transaction().execute((trx) => enqueue(trx, queue, { which: 'committed' }))
    await whenState(queue, committed.jobId, 'completed')
    await new Promise((r) => setTimeout(r, 1_000))
    expect(seen).toEqual([{ which: 'committed' }])
  })

  it('makes one job for one idempotency key', async () => {
    const queue = `test-idempotent-${run}`
    await boss.createQueue(queue)
    const db = await getDb()
    const first = await enqueue(db, queue, { n: 1 }, { idempotencyKey: 'invoice:42' })
    const second = await db.transaction().execute((trx) => enqueue(trx, queue, { n: 2 }, { idempotencyKey: 'invoice:42' }))
    const other = await enqueue(db, queue, { n: 3 }, { idempotencyKey: 'invoice:43' })
    expect(first.created).toBe(true)
    expect(second).toEqual({ jobId: first.jobId, created: false })
    expect(other.jobId).not.toBe(first.jobId)
    const jobs = await boss.findJobs(queue)
    expect(jobs.map((j) => j.data).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([{ n: 1 }, { n: 3 }])
  })

  it('retries a failing handler until it succeeds', async () => {
    const queue = `test-retry-${run}`
    await boss.createQueue(queue, { retryLimit: 3, retryDelay: 0 })
    let tries = 0
    await boss.work(queue, { pollingIntervalSeconds: 0.5 }, async () => {
      tries += 1
      if (tries < 3) throw new Error(`try ${tries} failed`)
    })
    const db = await getDb()
    const { jobId } = await enqueue(db, queue, { flaky: true })
    const job = await whenState(queue, jobId, 'completed')
    expect(tries).toBe(3)
    expect(job.retryCount).toBe(2)
  })

  it('keeps a job that keeps failing, visible as failed with its error', async () => {
    const queue = `test-fail-${run}`
    await boss.createQueue(queue, { retryLimit: 1, retryDelay: 0 })
    let tries = 0
    await boss.work(queue, { pollingIntervalSeconds: 0.5 }, async () => {
      tries += 1
      throw new Error('the payment provider is down')
    })
    const db = await getDb()
    const { jobId } = await enqueue(db, queue, { doomed: true })
    await whenState(queue, jobId, 'failed')
    expect(tries).toBe(2)
    const [failed] = await listFailedJobs({ queue })
    expect(failed).toMatchObject({ id: jobId, queue, state: 'failed', data: { doomed: true }, retryCount: 1 })
    expect(failed?.error).toBe('the payment provider is down')
    expect(failed?.failedOn).toBeInstanceOf(Date)
  })

  it('gives the application’s queues exponential retries and keeps finished jobs for at least 14 days', async () => {
    const queue = await boss.getQueue('send-email')
    expect(queue).toMatchObject({ retryBackoff: true })
    expect(queue?.retryLimit).toBeGreaterThanOrEqual(5)
    expect(queue?.deleteAfterSeconds).toBeGreaterThanOrEqual(14 * 24 * 60 * 60)
    expect(queue?.retentionSeconds).toBeGreaterThanOrEqual(14 * 24 * 60 * 60)
  })

  it('refuses, with a clear message, to enqueue in a transaction before the queue is started', async () => {
    await stopJobs()
    try {
      const db = await getDb()
      await expect(
        db.transaction().execute((trx) => enqueue(trx, 'send-email', { authorityId: randomUUID(), messageId: randomUUID() })),
      ).rejects.toThrow(/job queue is not started/)
    } finally {
      boss = await getBoss()
    }
  })
})
