import type { MetaFunction } from '@remix-run/node'
import { Link } from '@remix-run/react'
import { useRootData } from '~/root'

export const meta: MetaFunction = ({ matches }) => {
  const root = matches.find((m) => m.id === 'root')?.data as { authority?: { name: string } } | undefined
  return [{ title: `Buyback: traded services for schools – ${root?.authority?.name ?? 'your council'}` }]
}

export default function Index() {
  const council = useRootData()?.authority.name ?? 'your council'
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
