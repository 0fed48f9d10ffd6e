import type { LoaderFunctionArgs } from '@remix-run/node'
import { redactHtml } from '~/domain/email-secrets'
import { isUuid } from '~/schemas/common'
import { notFound, requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { getOutboxMessage } from '~/utils/email.server'

/**
 * One outbox message's HTML part, as sent, for the frame on its page
 * (docs/decisions/0027): secret links hidden, run in a policy that lets the
 * email's own inline styles apply but no script, no form, no request
 * anywhere, and only this site may frame it.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const messageId = params.messageId ?? ''
  if (!isUuid(messageId)) throw notFound()
  const message = await getOutboxMessage(await getDb(), user.authorityId, messageId)
  if (!message) throw notFound()
  return new Response(redactHtml(message.html), {
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': [
        "default-src 'none'",
        "script-src 'none'",
        "style-src 'unsafe-inline'",
        'img-src data:',
        "form-action 'none'",
        "base-uri 'none'",
        "frame-ancestors 'self'",
      ].join('; '),
      'X-Frame-Options': 'SAMEORIGIN',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'private, no-store',
    },
  })
}
