import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { SummaryRow } from '~/components/summary-list'
import { longDateTime } from '~/domain/dates'
import { EMAIL_STATUS_TAGS, EMAIL_TEMPLATE_NAMES, linksIn } from '~/schemas/admin-labels'
import { notFound, requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { getOutboxMessage } from '~/utils/email.server'
import { isUuid } from '~/schemas/common'
import { hasSecretLinks, redactText } from '~/domain/email-secrets'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const messageId = params.messageId ?? ''
  if (!isUuid(messageId)) throw notFound()
  const message = await getOutboxMessage(await getDb(), user.authorityId, messageId)
  if (!message) throw notFound()
  // Secrets never leave the server (docs/decisions/0027): every token link is
  // hidden from the text and the list of links before they are put into the
  // page or its data (and from the HTML preview, served by …/preview).
  const text = redactText(message.text)
  return {
    message: {
      id: message.id,
      to: message.to_address,
      subject: message.subject,
      template: message.template,
      status: message.status,
      attempts: message.attempts,
      lastError: message.last_error,
      created: longDateTime(message.created_at),
      sent: message.sent_at ? longDateTime(message.sent_at) : null,
      secret: hasSecretLinks(message.template),
      text,
      links: linksIn(text),
    },
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.message.subject} – Outbox – Buyback` : 'Page not found – Buyback' },
]

export default function OutboxMessage() {
  const { message } = useLoaderData<typeof loader>()
  const tag = EMAIL_STATUS_TAGS[message.status] ?? { label: message.status, colour: 'grey' }
  return (
    <>
      <Link to="/la/admin/outbox" className="govuk-back-link">
        Back to the outbox
      </Link>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <span className="govuk-caption-l">Email</span>
          <h1 className="govuk-heading-l">{message.subject}</h1>
          <dl className="govuk-summary-list">
            <SummaryRow label="To">
              <span className="app-break-anywhere">{message.to}</span>
            </SummaryRow>
            <SummaryRow label="Subject">{message.subject}</SummaryRow>
            <SummaryRow label="Kind">{EMAIL_TEMPLATE_NAMES[message.template] ?? message.template}</SummaryRow>
            <SummaryRow label="Status">
              <strong className={`govuk-tag govuk-tag--${tag.colour}`}>{tag.label}</strong>
            </SummaryRow>
            <SummaryRow label="Created">{message.created}</SummaryRow>
            <SummaryRow label="Sent">{message.sent ?? 'Not sent'}</SummaryRow>
            {message.attempts > 0 ? <SummaryRow label="Attempts to send">{String(message.attempts)}</SummaryRow> : null}
            {message.lastError ? (
              <SummaryRow label="Last error">
                <span className="app-break-anywhere">{message.lastError}</span>
              </SummaryRow>
            ) : null}
          </dl>

          {message.status === 'held' ? (
            <div className="govuk-warning-text">
              <span className="govuk-warning-text__icon" aria-hidden="true">
                !
              </span>
              <strong className="govuk-warning-text__text">
                <span className="govuk-visually-hidden">Warning</span>
                {message.secret
                  ? 'This message was not sent, because no mail server is configured. Its link is for the recipient alone, so it is not shown here: set up a mail server, then send the person a new one.'
                  : 'This message was not sent, because no mail server is configured. If the person needs it, pass the link on to them yourself.'}
              </strong>
            </div>
          ) : null}

          {message.secret ? (
            <div className="govuk-inset-text" data-testid="secret-note">
              This email holds a one-time link that signs its holder in. Only the recipient can see it: here you can see that it was sent, to whom and
              when, but not the link.
            </div>
          ) : null}

          <h2 className="govuk-heading-m">Links in this message</h2>
          {message.links.length ? (
            <ul className="govuk-list">
              {message.links.map((href) => (
                <li key={href}>
                  <a className="govuk-link app-break-anywhere" href={href} rel="noreferrer noopener">
                    {href}
                  </a>
                </li>
              ))}
            </ul>
          ) : (
            <p className="govuk-body">There are no links in this message.</p>
          )}

          <h2 className="govuk-heading-m">The email as sent</h2>
          {/* The email's HTML in a frame of its own, whose policy runs no script and fetches nothing (…/preview). */}
          <iframe className="app-email-preview" title={`The email as sent: ${message.subject}`} src={`/la/admin/outbox/${message.id}/preview`} />

          <h2 className="govuk-heading-m govuk-!-margin-top-6">Message</h2>
          <div className="govuk-inset-text">
            <pre className="app-email-text">{message.text}</pre>
          </div>
        </div>
      </div>
    </>
  )
}
