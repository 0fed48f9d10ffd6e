import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { getUser } from '~/utils/auth.server'
import { getRequestAuthority } from '~/utils/authority.server'
import { getDb } from '~/utils/db.server'
import { ABSOLUTE_TIMEOUT_HOURS, IDLE_TIMEOUT_MINUTES } from '~/utils/session.server'
import { TableHead } from '~/components/table-head'

/** Cookies: this website sets one essential cookie and nothing else. */
export async function loader({ request }: LoaderFunctionArgs) {
  const db = await getDb()
  const authority = await getRequestAuthority(db, request, await getUser(request))
  return { name: authority.name, idleMinutes: IDLE_TIMEOUT_MINUTES, absoluteHours: ABSOLUTE_TIMEOUT_HOURS }
}

export const meta: MetaFunction = () => [{ title: 'Cookies – Buyback' }]

export default function Cookies() {
  const { name, idleMinutes, absoluteHours } = useLoaderData<typeof loader>()
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-xl">Cookies</h1>
        <p className="govuk-body">
          Cookies are small files saved on your phone, tablet or computer when you visit a website. Buyback, run by {name}, uses one cookie, and only
          when you sign in. It is essential: you could not sign in without it, so we do not ask for your consent to it.
        </p>
        <p className="govuk-body">
          We do not use analytics cookies, advertising cookies or any cookies from other companies, and we do not track you across other websites.
        </p>

        <h2 className="govuk-heading-l">Essential cookies</h2>
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--m">The cookie this website sets</caption>
          <TableHead columns={['Name', 'Purpose', 'Expires']} />
          <tbody className="govuk-table__body">
            <tr className="govuk-table__row">
              <td className="govuk-table__cell">
                <code>buyback_session</code>
              </td>
              <td className="govuk-table__cell">
                Keeps you signed in as you move from page to page. It holds a random identifier of your session, not your name or email address, and
                cannot be read by scripts on the page.
              </td>
              <td className="govuk-table__cell">
                When you sign out, after {idleMinutes} minutes without using the website, or {absoluteHours} hours after you signed in, whichever
                comes first
              </td>
            </tr>
          </tbody>
        </table>

        <h2 className="govuk-heading-l">Change your cookie settings</h2>
        <p className="govuk-body">
          As the only cookie is essential, there are no settings to change here. You can delete it at any time in your browser’s settings, or by
          signing out; you will then need to sign in again.
        </p>
        <p className="govuk-body">
          Read how we use your information in our{' '}
          <Link className="govuk-link" to="/privacy">
            privacy notice
          </Link>
          .
        </p>
      </div>
    </div>
  )
}
