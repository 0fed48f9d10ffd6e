import type { AppLoadContext } from '@remix-run/node'
import { clientIp } from '../../utils/auth.server'
import type { SessionUser } from '../../utils/session.server'

/**
 * Who is acting, and from where: what every change records in the audit
 * trail and the order history. The one shape all rooms take; a model asks
 * for the part it uses (`Pick<Actor, ...>`, or SchoolActor).
 */
export type Actor = {
  userId: string
  name: string
  authorityId: string
  /** A school user's school; null for council staff. */
  schoolId: string | null
  ip: string
  userAgent: string | null
}

/**
 * Someone acting for a school: its business manager or headteacher, or a
 * trust's buyer acting for a member school in the trust's basket (`trustId`:
 * the trust's drafts, not the school's own).
 */
export type SchoolActor = Pick<Actor, 'userId' | 'authorityId'> &
  Partial<Pick<Actor, 'name' | 'ip' | 'userAgent'>> & { schoolId: string; trustId?: string | null }

/** The signed-in user acting through this request. */
export function actorFor(user: SessionUser, request: Request, context: AppLoadContext | undefined): Actor {
  return {
    userId: user.id,
    name: user.name,
    authorityId: user.authorityId,
    schoolId: user.schoolId,
    ip: clientIp(context),
    userAgent: request.headers.get('User-Agent'),
  }
}
