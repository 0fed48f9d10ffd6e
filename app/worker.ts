/**
 * `npm run worker`: runs the job workers (email now, Stripe later) in a
 * process of their own, beside web processes started with RUN_JOBS=false.
 */
import { closeDb, getDb } from './utils/db.server'
import { getEnv } from './utils/env.server'
import { jobHandlers } from './jobs/index.server'
import { sendConsoleToLogger } from './utils/logger.server'
import { startJobWorkers, stopJobs } from './utils/jobs.server'

// One JSON line per message, as the web process writes (app/utils/logger.server.ts).
sendConsoleToLogger()

const env = getEnv()
if (!env.DATABASE_URL) {
  console.error(
    [
      'npm run worker needs DATABASE_URL.',
      'Without it the app uses the embedded database (PGlite), whose data folder only one process can open,',
      'so the web app runs the jobs itself: start it with `npm start` (RUN_JOBS is true by default).',
    ].join('\n'),
  )
  process.exit(1)
}

if (env.MOCKS) (await import('../tests/mocks/server')).startMocks()
await getDb()
await startJobWorkers(jobHandlers)
console.info('Job workers running. Stop with Ctrl+C (SIGINT) or SIGTERM.')

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    console.info(`${signal}: letting running jobs finish, then stopping`)
    void stopJobs()
      .then(() => closeDb())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error('Stopping the workers failed:', error)
          process.exit(1)
        },
      )
  })
}
