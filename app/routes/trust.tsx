import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useLoaderData } from '@remix-run/react'
import { formatPence } from '~/domain/money'
import { TRUST_ROLES } from '~/domain/roles'
import { tradingYearLabel } from '~/domain/trading-year'
import { getTrustOverview } from '~/models/trusts/overview.server'
import { ORDER_STATUS_TAGS } from '~/schemas/order-labels'
import { TRUST_INVOICING_NAMES } from '~/schemas/trust-labels'
import { forbidden, requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { formatDate } from '~/utils/format'

/** A trust's own page (SPEC §5 `/trust`): its member schools today, their orders, what they owe and their renewals. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, TRUST_ROLES)
  if (!user.trustId) throw forbidden()
  const overview = await getTrustOverview(await getDb(), user.authorityId, user.trustId)
  if (!overview) throw forbidden()
  return { ...overview, authorityName: user.authorityName }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.trust.name ?? 'Your trust'} – Buyback` }]

const RENEWAL_WORDS = { open: 'Waiting for an answer', accepted: 'Accepted', declined: 'Declined', lapsed: 'Lapsed' } as const

export default function Trust() {
  const { trust, tradingYear, members, recentOrders } = useLoaderData<typeof loader>()
  const year = tradingYearLabel(tradingYear)
  return (
    <>
      <h1 className="govuk-heading-l">{trust.name}</h1>
      <p className="govuk-body">
        Orders of {formatPence(trust.approvalLimitPence)} or more, all schools together, need the trust’s approver. Invoicing:{' '}
        {TRUST_INVOICING_NAMES[trust.invoicing].toLowerCase()}.
      </p>
      <table className="govuk-table">
        <caption className="govuk-table__caption govuk-table__caption--m">Member schools in {year}</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">
              School
            </th>
            <th scope="col" className="govuk-table__header govuk-table__header--numeric">
              Orders
            </th>
            <th scope="col" className="govuk-table__header govuk-table__header--numeric">
              Ordered
            </th>
            <th scope="col" className="govuk-table__header govuk-table__header--numeric">
              Owed on open invoices
            </th>
            <th scope="col" className="govuk-table__header">
              Renewal for {tradingYearLabel(tradingYear + 1)}
            </th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {members.map((m) => (
            <tr key={m.schoolId} className="govuk-table__row">
              <th scope="row" className="govuk-table__header">
                {m.name}
              </th>
              <td className="govuk-table__cell govuk-table__cell--numeric">{m.orders}</td>
              <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(m.orderedPence)}</td>
              <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(m.owedPence)}</td>
              <td className="govuk-table__cell">{m.renewal ? RENEWAL_WORDS[m.renewal] : 'No proposal'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {members.length === 0 ? <p className="govuk-body">The trust has no member schools today.</p> : null}
      <h2 className="govuk-heading-m">Latest orders</h2>
      {recentOrders.length === 0 ? (
        <p className="govuk-body">No orders yet.</p>
      ) : (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-visually-hidden">The member schools’ latest orders</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">
                Order
              </th>
              <th scope="col" className="govuk-table__header">
                School
              </th>
              <th scope="col" className="govuk-table__header">
                Submitted
              </th>
              <th scope="col" className="govuk-table__header">
                Status
              </th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                Total
              </th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {recentOrders.map((o) => {
              const tag = ORDER_STATUS_TAGS[o.status]
              return (
                <tr key={o.reference} className="govuk-table__row">
                  <th scope="row" className="govuk-table__header">
                    {o.reference}
                  </th>
                  <td className="govuk-table__cell">{o.schoolName}</td>
                  <td className="govuk-table__cell">{o.submittedAt ? formatDate(o.submittedAt) : 'Not submitted'}</td>
                  <td className="govuk-table__cell">
                    <strong className={`govuk-tag govuk-tag--${tag.colour}`}>{tag.label}</strong>
                  </td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(o.grossPence)}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </>
  )
}
