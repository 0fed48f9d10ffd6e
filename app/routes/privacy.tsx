import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { getUser } from '~/utils/auth.server'
import { getRequestAuthority } from '~/utils/authority.server'
import { getDb } from '~/utils/db.server'

/** The privacy notice (UK GDPR articles 13 and 14). */
export async function loader({ request }: LoaderFunctionArgs) {
  const db = await getDb()
  const authority = await getRequestAuthority(db, request, await getUser(request))
  return { name: authority.name, email: authority.contactEmail, phone: authority.contactPhone }
}

export const meta: MetaFunction = () => [{ title: 'Privacy notice – Buyback' }]

export default function Privacy() {
  const { name, email, phone } = useLoaderData<typeof loader>()
  const mail = (
    <a className="govuk-link" href={`mailto:${email}`}>
      {email}
    </a>
  )
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-xl">Privacy notice</h1>
        <p className="govuk-body-l">How {name} uses your information when your school buys traded services through Buyback.</p>

        <h2 className="govuk-heading-l">Who we are</h2>
        <p className="govuk-body">
          {name} is the data controller for the personal information in Buyback. This means we decide how it is used and are responsible for keeping
          it safe. You can contact us about this notice at {mail}
          {phone ? ` or on ${phone}` : ''}, and the council’s data protection officer through the same address.
        </p>

        <h2 className="govuk-heading-l">What information we hold</h2>
        <ul className="govuk-list govuk-list--bullet">
          <li>your name, work email address, the school or council team you work for, and your role on Buyback</li>
          <li>a scrambled (hashed) form of your password: we cannot read your password</li>
          <li>what your school ordered, approved, cancelled or renewed, and who did it and when</li>
          <li>delivery records (dates, hours, the practitioner’s name and notes), invoices and payments</li>
          <li>sign-in records: when you signed in, your browser and its internet address, kept to protect your account from misuse</li>
        </ul>
        <p className="govuk-body">
          Buyback is for running the buying and selling of services. Please do not put information about individual pupils in notes or reasons.
        </p>

        <h2 className="govuk-heading-l">Why we use it, and our lawful basis</h2>
        <p className="govuk-body">We use this information to:</p>
        <ul className="govuk-list govuk-list--bullet">
          <li>let you sign in and do what your role allows</li>
          <li>take, approve, confirm, deliver and renew orders, and tell you about them by email</li>
          <li>invoice your school, take payment and keep the council’s accounts</li>
          <li>plan each team’s staffing from what schools buy</li>
        </ul>
        <p className="govuk-body">
          Our lawful basis is <strong>contract</strong> (UK GDPR article 6(1)(b)) for the agreement between the council and your school or academy,
          and <strong>public task</strong> (article 6(1)(e)) for the council’s education duties and the proper management of public money. Keeping
          financial records is also a <strong>legal obligation</strong> (article 6(1)(c)).
        </p>

        <h2 className="govuk-heading-l">Who we share it with</h2>
        <ul className="govuk-list govuk-list--bullet">
          <li>
            <strong>Stripe</strong> (Stripe Payments Europe Ltd and Stripe Payments UK Ltd), which sends academies’ invoices and takes their payments
            for us: the academy’s name, address, the invoice and the email address it goes to
          </li>
          <li>the council’s own finance systems, for maintained schools’ internal recharges</li>
          <li>our email provider, to send you messages about your orders</li>
          <li>auditors and regulators, when the law requires it</li>
        </ul>
        <p className="govuk-body">We do not sell your information or use it for marketing.</p>

        <h2 className="govuk-heading-l">How long we keep it</h2>
        <ul className="govuk-list govuk-list--bullet">
          <li>orders, invoices, payments and their history: 6 years after the end of the financial year they belong to</li>
          <li>your account: while you use Buyback, and for 1 year after it is deactivated</li>
          <li>sign-in records and emails sent: 1 year</li>
        </ul>

        <h2 className="govuk-heading-l">Your rights</h2>
        <p className="govuk-body">You have the right to:</p>
        <ul className="govuk-list govuk-list--bullet">
          <li>ask for a copy of the information we hold about you</li>
          <li>ask us to correct information that is wrong</li>
          <li>ask us to delete or restrict the use of your information, where the law allows</li>
          <li>object to how we use your information</li>
        </ul>
        <p className="govuk-body">To use these rights, email {mail}. We will answer within one month.</p>

        <h2 className="govuk-heading-l">Complaints</h2>
        <p className="govuk-body">
          If you are unhappy with how we have used your information, contact us first. You can also complain to the Information Commissioner’s Office
          (ICO), Wycliffe House, Water Lane, Wilmslow, Cheshire SK9 5AF, telephone 0303 123 1113, or at{' '}
          <a className="govuk-link" href="https://ico.org.uk/make-a-complaint/" rel="noreferrer">
            ico.org.uk/make-a-complaint
          </a>
          .
        </p>

        <h2 className="govuk-heading-l">Cookies</h2>
        <p className="govuk-body">
          Buyback uses one essential cookie to keep you signed in. Read more about{' '}
          <Link className="govuk-link" to="/cookies">
            cookies
          </Link>
          .
        </p>
        <p className="govuk-body">This notice was last updated on 22 November 2026.</p>
      </div>
    </div>
  )
}
