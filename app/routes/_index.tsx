import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { homeSections, type HomeSection } from '~/models/shared/home.server'
import { useRootData } from '~/root'
import { getUser } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'

/** Anonymous visitors: what Buyback is. Signed-in users: what needs doing, for each of their roles (issue 15). */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request)
  if (!user) return { signedIn: null }
  const sections = await homeSections(await getDb(), user)
  return { signedIn: { name: user.name, schoolName: user.schoolName, sections } }
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction = ({ matches }) => {
  const root = matches.find((m) => m.id === 'root')?.data as { authority?: { name: string } } | undefined
  return [{ title: `Buyback: traded services for schools – ${root?.authority?.name ?? 'your council'}` }]
}

function Section({ section }: { section: HomeSection }) {
  return (
    <section aria-labelledby={`home-${section.id}`} className="govuk-!-margin-bottom-8">
      <h2 className="govuk-heading-m" id={`home-${section.id}`}>
        {section.heading}
      </h2>
      {section.items.length ? (
        <ul className="govuk-list app-home-list">
          {section.items.map((item) => (
            <li key={item.key} className="govuk-!-margin-bottom-4" data-home-item={item.key}>
              <p className="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">{item.text}</p>
              {item.detail ? <p className="govuk-body govuk-!-margin-bottom-1">{item.detail}</p> : null}
              <Link className="govuk-link" to={item.href}>
                {item.linkText}
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        <p className="govuk-body">{section.nothing}</p>
      )}
    </section>
  )
}

export default function Index() {
  const { signedIn } = useLoaderData<typeof loader>()
  const council = useRootData()?.authority.name ?? 'your council'
  if (signedIn) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          {signedIn.schoolName ? <span className="govuk-caption-l">{signedIn.schoolName}</span> : null}
          <h1 className="govuk-heading-xl">What needs doing</h1>
          {signedIn.sections.length ? (
            signedIn.sections.map((section) => <Section key={section.id} section={section} />)
          ) : (
            <p className="govuk-body">Nothing needs doing.</p>
          )}
          <p className="govuk-body">
            <Link className="govuk-link" to="/services">
              Browse services
            </Link>
          </p>
        </div>
      </div>
    )
  }
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-xl">Buy council services for your school</h1>
        <p className="govuk-body-l">
          Choose and buy exactly the support your school needs from {council}: special educational needs support, music tuition, help for pupils
          learning English, governor support and more.
        </p>
        <p className="govuk-body">You can:</p>
        <ul className="govuk-list govuk-list--bullet">
          <li>see the full description and the full price of every package before you buy</li>
          <li>buy a few days or a whole year, when you need them</li>
          <li>follow how much of what you bought has been used</li>
          <li>see your school's invoices in one place</li>
        </ul>
        <Link to="/services" role="button" draggable="false" className="govuk-button govuk-button--start">
          Browse services
          <svg
            className="govuk-button__start-icon"
            xmlns="http://www.w3.org/2000/svg"
            width="17.5"
            height="19"
            viewBox="0 0 33 40"
            aria-hidden="true"
            focusable="false"
          >
            <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z" />
          </svg>
        </Link>
        <h2 className="govuk-heading-m">Before you start</h2>
        <p className="govuk-body">
          Anyone can browse services and prices. School business managers and headteachers sign in to see their own school's prices, to order and to
          approve orders. Council staff sign in to manage services, delivery and invoices.
        </p>
      </div>
    </div>
  )
}
