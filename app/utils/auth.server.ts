import type { AppLoadContext } from '@remix-run/node'
import { redirect } from '@remix-run/node'
import { LA_ROLES, SCHOOL_ROLES, type Role } from '../domain/roles'
import { getDb } from './db.server'
import { noteRequestUser } from './request-log'
import { getSessionUser, type SessionUser } from './session.server'

declare module '@remix-run/node' {
  interface AppLoadContext {
    clientIp?: string
    cspNonce?: string
  }
}

export type { SessionUser }

/** The client's network address, as the HTTP server saw it. */
export function clientIp(context: AppLoadContext | undefined): string {
  return context?.clientIp ?? 'unknown'
}

/**
 * Only addresses on this site may be returned to after signing in:
 * "/orders/1?x" yes; "//evil.example", "https://…", "/\\evil" no.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = '/'): string {
  if (typeof to !== 'string' || !to.startsWith('/') || to.startsWith('//') || to.startsWith('/\\')) return fallback
  if (/[\u0000-\u001f\u007f]/.test(to) || to.length > 2000) return fallback
  // Resolved against a placeholder origin: a path that leaves it is not ours.
  // The result is percent-encoded, so any character can go in a Location header.
  const url = new URL(to, 'http://buyback.invalid')
  if (url.origin !== 'http://buyback.invalid') return fallback
  return `${url.pathname}${url.search}${url.hash}`
}

/**
 * Where a user lands after signing in when they were not going anywhere in
 * particular: the home page, which says what needs doing for their roles.
 */
export const HOME = '/'

// Root and route loaders of one page share the request: look the user up once.
const usersByRequest = new WeakMap<Request, Promise<SessionUser | null>>()

export function getUser(request: Request): Promise<SessionUser | null> {
  let user = usersByRequest.get(request)
  if (!user) {
    user = getDb()
      .then((db) => getSessionUser(db, request))
      .then((found) => {
        noteRequestUser(request, found)
        return found
      })
    usersByRequest.set(request, user)
  }
  return user
}

/** The signed-in user; anyone else is sent to sign in, and brought back afterwards. */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getUser(request)
  if (!user) {
    const url = new URL(request.url)
    const back = `${url.pathname}${url.search}`
    throw redirect(`/login?${new URLSearchParams({ redirectTo: back })}`)
  }
  return user
}

export function forbidden(): Response {
  return new Response('You do not have permission to see this page', { status: 403 })
}

export function notFound(): Response {
  return new Response('Not found', { status: 404 })
}

/** The signed-in user holding one of the roles; 403 for anyone else signed in. */
export async function requireRole(request: Request, roles: readonly Role[]): Promise<SessionUser> {
  const user = await requireUser(request)
  if (!user.roles.some((r) => roles.includes(r))) throw forbidden()
  return user
}

/** A school business manager or headteacher, with their school. */
export async function requireSchoolUser(request: Request): Promise<SessionUser & { schoolId: string }> {
  const user = await requireRole(request, SCHOOL_ROLES)
  if (!user.schoolId) throw forbidden()
  return user as SessionUser & { schoolId: string }
}

/** A member of the council's staff (service lead, finance officer or LA administrator). */
export async function requireLaUser(request: Request): Promise<SessionUser> {
  return requireRole(request, LA_ROLES)
}
