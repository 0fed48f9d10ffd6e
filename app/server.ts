/**
 * The HTTP server: Express in front of the Remix build. Compiled to
 * build/server.js by `npm run build` and started by `npm start`.
 *
 * Importing build/index.js runs app/entry.server.tsx, which starts (or
 * connects to), migrates and seeds the database before we listen.
 */
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { createRequestHandler } from '@remix-run/express'
import type { ServerBuild } from '@remix-run/node'
import compression from 'compression'
import express from 'express'

const here = path.dirname(fileURLToPath(import.meta.url))
// Development: Stripe's API answered by the tests' msw handlers (README, "Stripe").
if (process.env.MOCKS === 'true') (await import(path.join(here, 'mocks.js'))).startMocks()
const build = (await import(path.join(here, 'index.js'))) as ServerBuild
const port = Number(process.env.PORT ?? 3000)

const app = express()
app.disable('x-powered-by')
// Behind a proxy (TRUST_PROXY=1 or a list of addresses), take the client's
// address from X-Forwarded-For; otherwise from the socket.
if (process.env.TRUST_PROXY) app.set('trust proxy', process.env.TRUST_PROXY)
app.use(compression())

// A fresh nonce for each response's inline scripts (Content Security Policy).
app.use((_req, res, next) => {
  res.locals.cspNonce = randomBytes(16).toString('base64')
  next()
})

app.use('/build', express.static(path.join(here, '../public/build'), { immutable: true, maxAge: '1y' }))
app.use(express.static(path.join(here, '../public'), { maxAge: '1h' }))

app.all(
  '*',
  createRequestHandler({
    build,
    mode: process.env.NODE_ENV,
    getLoadContext: (req, res) => ({
      clientIp: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      cspNonce: res.locals.cspNonce as string,
    }),
  }),
)

const server = app.listen(port, () => {
  console.info(`Buyback is serving http://localhost:${port}`)
})

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close()
    // entry.server.tsx shuts the database down on the same signals.
  })
}
