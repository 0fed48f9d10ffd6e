import { PassThrough } from 'node:stream'
import type { AppLoadContext, EntryContext } from '@remix-run/node'
import { createReadableStreamFromReadable } from '@remix-run/node'
import { RemixServer } from '@remix-run/react'
import { isbot } from 'isbot'
import { renderToPipeableStream } from 'react-dom/server'
import { closeDb, getDb } from './utils/db.server'
import { getEnv } from './utils/env.server'
import { NonceProvider } from './utils/nonce'
import { setSecurityHeaders } from './utils/security-headers.server'
import { getBoss, startJobWorkers, stopJobs } from './utils/jobs.server'

// Validate the configuration and open (or start, migrate and seed) the
// database before the server takes its first request.
getEnv()
if (process.env.NODE_ENV !== 'test') {
  await getDb()
  // The job queue: its workers run here unless RUN_JOBS=false (then `npm run
  // worker` runs them); either way requests can enqueue jobs.
  if (getEnv().RUN_JOBS) await startJobWorkers()
  else await getBoss()
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      // Let running jobs finish, then shut the embedded database down cleanly so nothing is lost.
      void stopJobs()
        .catch((error: unknown) => console.error('Stopping the job queue failed:', error))
        .finally(() => closeDb())
        .finally(() => process.exit(0))
    })
  }
}

export const streamTimeout = 5_000

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce ?? ''
  setSecurityHeaders(responseHeaders, nonce)
  keepPrivatePagesPrivate(request, responseHeaders)
  const callback = isbot(request.headers.get('user-agent') ?? '') ? 'onAllReady' : 'onShellReady'
  return new Promise((resolve, reject) => {
    let shellRendered = false
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={streamTimeout} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        [callback]() {
          shellRendered = true
          const body = new PassThrough()
          const stream = createReadableStreamFromReadable(body)
          responseHeaders.set('Content-Type', 'text/html; charset=utf-8')
          resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }))
          pipe(body)
        },
        onShellError(error: unknown) {
          reject(error)
        },
        onError(error: unknown) {
          responseStatusCode = 500
          if (shellRendered) console.error(error)
        },
      },
    )
    setTimeout(abort, streamTimeout + 1_000)
  })
}

/** Data requests (client-side navigation) carry the same security headers. */
export function handleDataRequest(response: Response, { request }: { request: Request }) {
  setSecurityHeaders(response.headers)
  keepPrivatePagesPrivate(request, response.headers)
  return response
}

/** Pages seen by someone signed in are never stored by shared caches or the browser. */
function keepPrivatePagesPrivate(request: Request, headers: Headers) {
  if (/(?:^|;\s*)buyback_session=/.test(request.headers.get('Cookie') ?? '')) {
    headers.set('Cache-Control', 'private, no-store')
  }
}
