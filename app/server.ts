/**
 * The HTTP server: Express in front of the Remix build. Compiled to
 * build/server.js by `npm run build` and started by `npm start`.
 *
 * Before it listens it checks the configuration, starts (or connects to) and
 * migrates the database, loads the demo data into an empty one, and starts
 * the job queue, with its workers unless RUN_JOBS=false.
 */
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'
import { hasDemoData, seedDemoData } from '../db/seed/index'
import { jobHandlers } from './jobs/index.server'
import { clock } from './utils/clock'
import { closeDb, getDb } from './utils/db.server'
import { getEnv } from './utils/env.server'
import { getBoss, startJobWorkers, stopJobs } from './utils/jobs.server'
import { logger, requestLogger, sendConsoleToLogger } from './utils/logger.server'
import { readBody, remixHandler, sameOriginPosts, securityHeaders } from './utils/request-guard.server'

sendConsoleToLogger()
const here = path.dirname(fileURLToPath(import.meta.url))
// Development: Stripe's API answered by the tests' msw handlers (README, "Stripe").
if (process.env.MOCKS === 'true') (await import(path.join(here, 'mocks.js'))).startMocks()

const env = getEnv()
const db = await getDb()
if (env.SEED_DEMO_DATA && !(await hasDemoData(db))) {
  const started = performance.now()
  const summary = await seedDemoData(db, clock.today())
  logger.info({ summary, ms: Math.round(performance.now() - started) }, `Demo data for ${clock.today()} loaded`)
}
// Requests enqueue jobs inside their transactions, so the queue is started
// either way; its workers run here unless `npm run worker` runs them.
if (env.RUN_JOBS) await startJobWorkers(jobHandlers)
else await getBoss()

const build = (await import(path.join(here, 'index.js'))) as ServerBuild
const port = Number(process.env.PORT ?? 3000)

const app = express()
app.disable('x-powered-by')
// Behind a proxy (TRUST_PROXY=1 or a list of addresses), take the client's
// address from X-Forwarded-For; otherwise from the socket.
if (process.env.TRUST_PROXY) app.set('trust proxy', process.env.TRUST_PROXY)
app.use(requestLogger)
app.use(compression())

// A fresh nonce for each response's inline scripts (Content Security Policy).
app.use((_req, res, next) => {
  res.locals.cspNonce = randomBytes(16).toString('base64')
  next()
})
app.use(securityHeaders)

app.use('/build', express.static(path.join(here, '../public/build'), { immutable: true, maxAge: '1y' }))
// govuk-frontend's and MOJ Frontend's images, which the stylesheet names under /assets.
const packages = path.join(here, '../node_modules')
for (const assets of ['govuk-frontend/dist/govuk/assets', '@ministryofjustice/frontend/moj/assets']) {
  app.use('/assets', express.static(path.join(packages, assets), { maxAge: '1d' }))
}
app.use(express.static(path.join(here, '../public'), { maxAge: '1h' }))

app.all(
  '*',
  sameOriginPosts,
  readBody,
  remixHandler(build, (req, res) => ({
    clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown',
    cspNonce: res.locals.cspNonce as string,
  })),
)

const server = app.listen(port, () => {
  logger.info({ port }, `Buyback is serving http://localhost:${port}`)
})

/**
 * Graceful shutdown: stop taking connections, let requests in progress
 * finish (for up to 10 s), then stop the job queue (letting running jobs
 * finish) and close the database, so that nothing is lost.
 */
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'Stopping: finishing the requests in progress')
    const force = setTimeout(() => server.closeAllConnections(), 10_000)
    force.unref()
    server.close(() => {
      void stopJobs()
        .catch((error: unknown) => logger.error({ err: error }, 'Stopping the job queue failed'))
        .finally(() => closeDb())
        .finally(() => {
          logger.info('Stopped')
          process.exit(0)
        })
    })
    server.closeIdleConnections()
  })
}
