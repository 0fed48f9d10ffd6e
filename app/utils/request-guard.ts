/**
 * What the server accepts before a route sees a request (decision 0032).
 * Pure rules, used by the Express middleware in request-guard.server.ts and
 * tested on their own.
 */

/** Bytes a form may send; more only where a route takes a file. */
export const FORM_BODY_LIMIT = 1024 * 1024
/** The GIAS extract (30 MB at most, app/schemas/schools.ts) and its form fields. */
export const UPLOAD_BODY_LIMIT = 31 * 1024 * 1024
/** Stripe's events are a few kilobytes. */
export const WEBHOOK_BODY_LIMIT = 512 * 1024

const UPLOAD_PATHS = new Set(['/la/admin/schools/import', '/la/admin/users/import'])
export const WEBHOOK_PATH = '/webhooks/stripe'

export type BodyRule = { limit: number; kind: 'form' | 'raw' }

/** How much a request to `pathname` may send, and whether it must be a form. */
export function bodyRuleFor(pathname: string): BodyRule {
  if (pathname === WEBHOOK_PATH) return { limit: WEBHOOK_BODY_LIMIT, kind: 'raw' }
  return { limit: UPLOAD_PATHS.has(pathname) ? UPLOAD_BODY_LIMIT : FORM_BODY_LIMIT, kind: 'form' }
}

/** Methods that carry a body a route may act on. */
export function changesState(method: string): boolean {
  return !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase())
}

export type BodyRefusal = { status: 400 | 413 | 415; message: string }

/**
 * The body types forms send. Anything else (JSON, plain text, XML, a
 * multipart body without its boundary) is refused before any route reads it.
 */
export function formContentTypeRefusal(contentType: string | undefined, length: number): BodyRefusal | null {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase()
  if (type === 'application/x-www-form-urlencoded') return null
  if (type === 'multipart/form-data') {
    return /;\s*boundary=("?)[^";]+\1/i.test(contentType ?? '') ? null : { status: 400, message: 'The form’s multipart body has no boundary.' }
  }
  if (!type && length === 0) return null
  return {
    status: 415,
    message: 'This address takes web forms only (application/x-www-form-urlencoded or multipart/form-data).',
  }
}

/** The message for a body over its route's limit. */
export function tooLarge(limit: number): BodyRefusal {
  const size = limit >= 1024 * 1024 ? `${Math.round(limit / (1024 * 1024))} MB` : `${Math.round(limit / 1024)} KB`
  return { status: 413, message: `What was sent is too large: this address takes at most ${size}.` }
}

/**
 * A state-changing request's origin, checked against the site's own: a form
 * on another site cannot post here with the visitor's session. Browsers send
 * Origin with every POST; without it, Sec-Fetch-Site (or, failing that,
 * Referer) decides; a request with none of them is not from a browser form
 * and is let through to the route's own checks (session, roles).
 */
export function crossOriginRefusal(headers: { origin?: string; secFetchSite?: string; referer?: string }, ownOrigins: readonly string[]): boolean {
  const same = (value: string) => {
    try {
      return ownOrigins.includes(new URL(value).origin)
    } catch {
      return false
    }
  }
  if (headers.origin !== undefined) return headers.origin === 'null' || !same(headers.origin)
  if (headers.secFetchSite) return !['same-origin', 'none'].includes(headers.secFetchSite)
  if (headers.referer) return !same(headers.referer)
  return false
}
