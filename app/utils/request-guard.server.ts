import { createRequestHandler, writeReadableStreamToWritable, type ServerBuild } from '@remix-run/node'
import express, { type NextFunction, type Request, type Response } from 'express'
import { getEnv } from './env.server'
import { REQUEST_ID_HEADER, trackRequest, type RequestLog } from './request-log'
import { bodyRuleFor, changesState, crossOriginRefusal, formContentTypeRefusal, tooLarge, type BodyRefusal } from './request-guard'
import { setSecurityHeaders } from './security-headers.server'

/**
 * The Express side of the request rules (app/utils/request-guard.ts,
 * decision 0032): security headers on every response, static files
 * included; cross-origin posts refused; bodies read once, within their
 * route's limit, and checked to be forms before Remix parses them.
 */

/** The security headers, with this response's nonce, on every response (static files and /healthz too). */
export function securityHeaders(req: Request, res: Response, next: NextFunction) {
  const headers = new Headers()
  setSecurityHeaders(headers, res.locals.cspNonce as string | undefined)
  for (const [name, value] of headers) res.setHeader(name, value)
  next()
}

function refuse(res: Response, refusal: BodyRefusal) {
  // A body left unread is drained by Node before the connection takes its next request.
  res.status(refusal.status).type('text/plain; charset=utf-8').set('Cache-Control', 'no-store').send(`${refusal.message}\n`)
}

/** A post from another site (a form there, submitted with this site's cookie) gets 403. */
export function sameOriginPosts(req: Request, res: Response, next: NextFunction) {
  if (!changesState(req.method) || bodyRuleFor(req.path).kind === 'raw') return next()
  const own = [new URL(getEnv().APP_URL).origin, `${req.protocol}://${req.get('host') ?? ''}`]
  const refused = crossOriginRefusal({ origin: req.get('origin'), secFetchSite: req.get('sec-fetch-site'), referer: req.get('referer') }, own)
  if (!refused) return next()
  res
    .status(403)
    .type('text/html; charset=utf-8')
    .set('Cache-Control', 'no-store')
    .send(
      '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>This form was sent from another site – Buyback</title></head>' +
        '<body><main><h1>This form was sent from another site</h1><p>Nothing was changed. Go back to the page on this site and send the form from there.</p></main></body></html>',
    )
}

/**
 * Reads a state-changing request's body into a buffer, no larger than its
 * route allows (413), and for forms checks the type (415) and that it parses
 * (400). Remix then gets the buffer, not the socket.
 */
export function readBody(req: Request, res: Response, next: NextFunction) {
  if (!changesState(req.method)) return next()
  const rule = bodyRuleFor(req.path)
  const length = Number(req.get('content-length') ?? 0)
  if (rule.kind === 'form') {
    const refusal = formContentTypeRefusal(req.get('content-type'), length)
    if (refusal) return refuse(res, refusal)
  }
  express.raw({ type: () => true, limit: rule.limit })(req, res, (error?: unknown) => {
    if (error) {
      const status = (error as { status?: number; type?: string }).type === 'entity.too.large' ? 413 : 400
      return refuse(res, status === 413 ? tooLarge(rule.limit) : { status: 400, message: 'The request’s body could not be read.' })
    }
    if (!Buffer.isBuffer(req.body)) req.body = Buffer.alloc(0)
    if (rule.kind === 'raw' || (req.body as Buffer).length === 0) return next()
    // A form that does not parse (a broken multipart body, say) is refused here, not by a route's 500.
    new globalThis.Response(asBody(req.body), { headers: { 'Content-Type': req.get('content-type')! } }).formData().then(
      (form) => {
        // PostgreSQL's text cannot hold a NUL character: refuse it here rather than fail in a route.
        for (const [, value] of form) {
          if (typeof value === 'string' && value.includes('\u0000')) {
            return refuse(res, { status: 400, message: 'The form holds a character that cannot be saved (NUL). Remove it and send the form again.' })
          }
        }
        next()
      },
      () => refuse(res, { status: 400, message: 'The form’s body could not be read: it is not a well-formed web form.' }),
    )
  })
}

/** Remix's Express handler, fed the body readBody kept rather than the (already read) socket. */
export function remixHandler(build: ServerBuild, getLoadContext: (req: Request, res: Response) => Record<string, unknown>) {
  const handle = createRequestHandler(build, process.env.NODE_ENV)
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const request = remixRequest(req, res)
      const log: RequestLog = {}
      res.locals.requestLog = log
      res.on('close', trackRequest(String(req.id), log))
      await send(res, await handle(request, getLoadContext(req, res)))
    } catch (error) {
      next(error)
    }
  }
}

/** The Fetch request Remix reads: the address as the client used it (behind a proxy too), the body as read. */
function remixRequest(req: Request, res: Response): globalThis.Request {
  const port = /:(\d+)$/.exec(req.get('x-forwarded-host') ?? req.get('host') ?? '')?.[1]
  const url = new URL(req.originalUrl, `${req.protocol}://${req.hostname}${port ? `:${port}` : ''}`)
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    for (const one of [value ?? []].flat()) headers.append(name, one)
  }
  headers.set(REQUEST_ID_HEADER, String(req.id))
  // Loaders and actions stop when the client goes away before the answer is written.
  const controller = new AbortController()
  res.on('close', () => {
    if (!res.writableFinished) controller.abort()
  })
  return new globalThis.Request(url, { method: req.method, headers, signal: controller.signal, body: asBody(req.body) })
}

/** The body readBody kept, for a request that has one. */
function asBody(body: unknown): Uint8Array<ArrayBuffer> | undefined {
  return Buffer.isBuffer(body) && body.length > 0 ? new Uint8Array(body) : undefined
}

/** Writes Remix's response; its headers replace those set earlier (a route may loosen or tighten the defaults). */
async function send(res: Response, response: globalThis.Response) {
  res.statusMessage = response.statusText
  res.status(response.status)
  for (const [name, value] of response.headers) if (name !== 'set-cookie') res.setHeader(name, value)
  const cookies = response.headers.getSetCookie()
  if (cookies.length) res.setHeader('Set-Cookie', cookies)
  if (response.body) await writeReadableStreamToWritable(response.body, res)
  else res.end()
}
