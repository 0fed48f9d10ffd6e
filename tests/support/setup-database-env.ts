import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, inject } from 'vitest'

// Remember which server tests may make fresh databases on, then point the
// application's own database module at the run's seeded database.
process.env.BUYBACK_TEST_SERVER_URL = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || ''
process.env.DATABASE_URL = inject('databaseUrl')
process.env.SEED_DEMO_DATA = 'false'
process.env.DATABASE_POOL_SIZE = '4'
// Each test file has its own job queue (its own pg-boss schema in the shared
// database): the jobs a file's code queues are the only ones its workers can
// run, and no other file's workers take them.
process.env.JOB_QUEUE_SCHEMA = `jobs_${randomUUID().replaceAll('-', '').slice(0, 12)}`

// The job queue is started as the web process starts it (without workers), so
// that code under test can enqueue jobs inside its transactions.
beforeAll(async () => {
  const { getBoss } = await import('../../app/utils/jobs.server')
  await getBoss()
})

afterAll(async () => {
  const { stopJobs } = await import('../../app/utils/jobs.server')
  const { closeDb } = await import('../../app/utils/db.server')
  await stopJobs()
  await closeDb()
})
