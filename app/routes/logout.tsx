import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { recordAudit } from '~/models/admin/audit.server'
import { clientIp } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { destroySession, getSessionUser } from '~/utils/session.server'

async function signOut(request: Request, ip: string) {
  const db = await getDb()
  const user = await getSessionUser(db, request)
  if (user) {
    await recordAudit(db, {
      authorityId: user.authorityId,
      actorUserId: user.id,
      action: 'sign_out',
      subjectType: 'user',
      subjectId: user.id,
      ip,
      userAgent: request.headers.get('User-Agent'),
    })
  }
  return redirect('/', { headers: { 'Set-Cookie': await destroySession(db, request) } })
}

/** Sign out is a form (POST) in the header. */
export async function action({ request, context }: ActionFunctionArgs) {
  return signOut(request, clientIp(context))
}

/** A plain link to /logout also works: signing out is harmless to repeat. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  return signOut(request, clientIp(context))
}
