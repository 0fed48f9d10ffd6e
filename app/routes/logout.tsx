import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form } from '@remix-run/react'
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

/**
 * A GET changes nothing (a link or an image on another site must not sign
 * anyone out): it asks, and the button posts.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getSessionUser(await getDb(), request)
  if (!user) throw redirect('/')
  return null
}

export const meta: MetaFunction = () => [{ title: 'Sign out – Buyback' }]

export default function SignOut() {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">Sign out</h1>
        <p className="govuk-body">You will need your email address and password to sign in again.</p>
        <Form method="post">
          <button type="submit" className="govuk-button" data-module="govuk-button">
            Sign out
          </button>
        </Form>
      </div>
    </div>
  )
}
