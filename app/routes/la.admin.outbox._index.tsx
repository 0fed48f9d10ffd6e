import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { longDateTime } from '~/domain/dates'
import { EMAIL_STATUS_TAGS, EMAIL_TEMPLATE_NAMES } from '~/schemas/admin-labels'
import { requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { listOutbox } from '~/utils/email.server'
import { getEnv } from '~/utils/env.server'
import { TableHead } from '~/components/table-head'

const OUTBOX_LIMIT = 100

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const messages = await listOutbox(await getDb(), user.authorityId, { limit: OUTBOX_LIMIT })
  return {
    authorityName: user.authorityName,
    smtpConfigured: Boolean(getEnv().SMTP_URL),
    messages: messages.map((m) => ({
      id: m.id,
      to: m.to_address,
      subject: m.subject,
      template: m.template,
      status: m.status,
      created: longDateTime(m.created_at),
      sent: m.sent_at ? longDateTime(m.sent_at) : null,
    })),
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Outbox – ${data?.authorityName ?? 'Buyback'} – Buyback` }]

export default function Outbox() {
  const { messages, smtpConfigured } = useLoaderData<typeof loader>()
  return (
    <>
      <h1 className="govuk-heading-xl">Outbox</h1>
      <p className="govuk-body-l">Email Buyback has sent, or is holding, for your council: the newest first.</p>
      <p className="govuk-body">
        Buyback sends email through the mail server set in <code className="app-code">SMTP_URL</code>. When no mail server is configured, messages are
        held here instead, so that you can read them and pass on their links yourself. Messages that could not be sent are tried again for about two
        hours before they show as failed.
      </p>
      <div className="govuk-inset-text">
        {smtpConfigured
          ? 'A mail server is configured: messages are sent as soon as they are written.'
          : 'No mail server is configured: new messages are held here and not sent.'}
      </div>

      {messages.length ? (
        <div className="app-table-wrapper">
          <table className="govuk-table govuk-table--small-text-until-tablet">
            <caption className="govuk-table__caption govuk-table__caption--m">
              {messages.length === OUTBOX_LIMIT ? `The ${OUTBOX_LIMIT} newest messages` : 'Messages'}
            </caption>
            <TableHead columns={['To', 'Subject', 'Kind', 'Status', 'Created', 'Sent']} />
            <tbody className="govuk-table__body">
              {messages.map((m) => {
                const tag = EMAIL_STATUS_TAGS[m.status] ?? { label: m.status, colour: 'grey' }
                return (
                  <tr key={m.id} className="govuk-table__row">
                    <td className="govuk-table__cell app-table-text">{m.to}</td>
                    <td className="govuk-table__cell">
                      <Link className="govuk-link" to={`/la/admin/outbox/${m.id}`}>
                        {m.subject}
                        <span className="govuk-visually-hidden">
                          {' '}
                          (to {m.to}, {m.created})
                        </span>
                      </Link>
                    </td>
                    <td className="govuk-table__cell">{EMAIL_TEMPLATE_NAMES[m.template] ?? m.template}</td>
                    <td className="govuk-table__cell">
                      <strong className={`govuk-tag govuk-tag--${tag.colour}`}>{tag.label}</strong>
                    </td>
                    <td className="govuk-table__cell">{m.created}</td>
                    <td className="govuk-table__cell">{m.sent ?? 'Not sent'}</td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="govuk-body">No email yet.</p>
      )}
    </>
  )
}
