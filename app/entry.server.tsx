import { PassThrough } from 'node:stream'
import type { AppLoadContext, EntryContext } from '@remix-run/node'
import { createReadableStreamFromReadable } from '@remix-run/node'
import { RemixServer } from '@remix-run/react'
import { isbot } from 'isbot'
import { renderToPipeableStream } from 'react-dom/server'
import { NonceProvider } from './utils/nonce'

// The process that serves this build (app/server.ts) has already checked the
// configuration, readied the database and started the job queue, and set the
// security headers every response carries (app/utils/request-guard.server.ts).

export const streamTimeout = 5_000

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce ?? ''
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

/** Data requests (client-side navigation) are kept private as their pages are. */
export function handleDataRequest(response: Response, { request }: { request: Request }) {
  keepPrivatePagesPrivate(request, response.headers)
  return response
}

/** Pages seen by someone signed in are never stored by shared caches or the browser. */
function keepPrivatePagesPrivate(request: Request, headers: Headers) {
  if (/(?:^|;\s*)buyback_session=/.test(request.headers.get('Cookie') ?? '')) {
    headers.set('Cache-Control', 'private, no-store')
  }
}
