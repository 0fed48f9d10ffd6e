/**
 * Who made a request, for its log line (app/utils/logger.server.ts). The
 * HTTP server (its own bundle) registers each request it hands to Remix under
 * its request id, which it also puts in a header that Remix's copies of the
 * request keep; getUser, in the app's bundle, notes the user there. The
 * registry is one per process, shared by both bundles.
 */
export type RequestLog = { userId?: string; authorityId?: string }

/** Set by the server on every request it passes to Remix (a client's own value is replaced). */
export const REQUEST_ID_HEADER = 'x-buyback-request-id'

const KEY = Symbol.for('buyback.request-log')

function registry(): Map<string, RequestLog> {
  const holder = globalThis as { [KEY]?: Map<string, RequestLog> }
  return (holder[KEY] ??= new Map())
}

/** Registers a request's log entry until `done` (the response has been sent or the client has gone). */
export function trackRequest(id: string, log: RequestLog): () => void {
  registry().set(id, log)
  return () => registry().delete(id)
}

export function noteRequestUser(request: Request, user: { id: string; authorityId: string } | null): void {
  const id = request.headers.get(REQUEST_ID_HEADER)
  const log = id ? registry().get(id) : undefined
  if (log && user) Object.assign(log, { userId: user.id, authorityId: user.authorityId })
}
