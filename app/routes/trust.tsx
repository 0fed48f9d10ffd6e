import { TableHead } from '~/components/table-head'
import { TrustInvoices } from '~/components/trust-invoices'
import { clock } from '~/utils/clock'
import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { formatPence } from '~/domain/money'
import { TRUST_ROLES } from '~/domain/roles'
import { tradingYearLabel } from '~/domain/trading-year'
import { getTrustOverview } from '~/models/trusts/overview.server'
import { getTrustBasket } from '~/models/trusts/ordering.server'
import { listTrustOrders } from '~/models/trusts/trust-orders.server'
import { ORDER_STATUS_TAGS } from '~/schemas/order-labels'
import { TRUST_INVOICING_NAMES, trustOrderTag } from '~/schemas/trust-labels'
import { forbidden, requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { formatDate } from '~/utils/format'

/** A trust's own page (SPEC §5 `/trust`): its member schools today, their orders, what they owe and their renewals. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, TRUST_ROLES)
  if (!user.trustId) throw forbidden()
  const db = await getDb()
  const scope = { authorityId: user.authorityId, trustId: user.trustId }
  const [overview, trustOrders, basket] = await Promise.all([
    getTrustOverview(db, user.authorityId, user.trustId),
    listTrustOrders(db, scope),
    user.roles.includes('trust_buyer') ? getTrustBasket(db, scope) : null,
  ])
  if (!overview) throw forbidden()
  const basketLines = basket ? basket.parts.reduce((n, p) => n + p.lines.length, 0) : null
  return { ...overview, trustOrders, basketLines, authorityName: user.authorityName, today: clock.today() }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.trust.name ?? 'Your trust'} – Buyback` }]

const RENEWAL_WORDS = { open: 'Waiting for an answer', accepted: 'Accepted', declined: 'Declined', lapsed: 'Lapsed' } as const

export default function Trust() {
  const { trust, tradingYear, members, recentOrders, trustOrders, basketLines, invoices, today } = useLoaderData<typeof loader>()
  const waiting = trustOrders.filter((o) => o.status === 'awaiting_approval')
  const year = tradingYearLabel(tradingYear)
  return (
    <>
      <h1 className="govuk-heading-l">{trust.name}</h1>
      <p className="govuk-body">
        Orders of {formatPence(trust.approvalLimitPence)} or more, all schools together, need the trust’s approver. Invoicing:{' '}
        {TRUST_INVOICING_NAMES[trust.invoicing].toLowerCase()}.
      </p>
      {basketLines !== null ? (
        <p className="govuk-body">
          <Link className="govuk-link" to="/trust/basket">
            The trust’s basket
          </Link>{' '}
          ({basketLines === 1 ? '1 line' : `${basketLines} lines`}). To order for a member school, choose a service and its “School”.
        </p>
      ) : null}
      {waiting.length > 0 ? (
        <div className="govuk-inset-text">
          <h2 className="govuk-heading-s">Waiting for the trust’s approver</h2>
          <ul className="govuk-list">
            {waiting.map((o) => (
              <li key={o.id}>
                <Link className="govuk-link" to={`/trust/orders/${o.id}`}>
                  {o.reference}
                </Link>
                , {formatPence(o.grossPence)} for {o.schools === 1 ? '1 school' : `${o.schools} schools`}, submitted by {o.submittedBy}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <table className="govuk-table">
        <caption className="govuk-table__caption govuk-table__caption--m">Member schools in {year}</caption>
        <TableHead
          columns={[
            'School',
            { label: 'Orders', numeric: true },
            { label: 'Ordered', numeric: true },
            { label: 'Owed on open invoices', numeric: true },
            `Renewal for ${tradingYearLabel(tradingYear + 1)}`,
          ]}
        />
        <tbody className="govuk-table__body">
          {members.map((m) => (
            <tr key={m.schoolId} className="govuk-table__row">
              <th scope="row" className="govuk-table__header">
                {m.name}
              </th>
              <td className="govuk-table__cell govuk-table__cell--numeric">{m.orders}</td>
              <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(m.orderedPence)}</td>
              <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(m.owedPence)}</td>
              <td className="govuk-table__cell">
                {m.renewal ? (
                  <Link className="govuk-link" to={`/renewals?school=${m.schoolId}`}>
                    {RENEWAL_WORDS[m.renewal]}
                    <span className="govuk-visually-hidden">: {m.name}’s renewal proposal</span>
                  </Link>
                ) : (
                  'No proposal'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {members.length === 0 ? <p className="govuk-body">The trust has no member schools today.</p> : null}
      <h2 className="govuk-heading-m">Trust orders</h2>
      {trustOrders.length === 0 ? (
        <p className="govuk-body">The trust has not ordered for its schools together yet.</p>
      ) : (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-visually-hidden">Orders placed by the trust for its schools</caption>
          <TableHead columns={['Trust order', 'Submitted', { label: 'Schools', numeric: true }, 'Status', { label: 'Total', numeric: true }]} />
          <tbody className="govuk-table__body">
            {trustOrders.map((o) => {
              const tag = trustOrderTag(o.status, o.approved)
              return (
                <tr key={o.id} className="govuk-table__row">
                  <th scope="row" className="govuk-table__header">
                    <Link className="govuk-link" to={`/trust/orders/${o.id}`}>
                      {o.reference}
                    </Link>
                  </th>
                  <td className="govuk-table__cell">
                    {formatDate(o.submittedAt)} by {o.submittedBy}
                  </td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{o.schools}</td>
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
      {trust.invoicing === 'consolidated' || invoices.length > 0 ? (
        <>
          <h2 className="govuk-heading-m">The trust’s invoices</h2>
          {invoices.length === 0 ? (
            <p className="govuk-body">
              No invoices to the trust yet. Each trust order is invoiced to the trust once its schools’ orders are confirmed.
            </p>
          ) : (
            <TrustInvoices invoices={invoices} today={today} caption="Invoices to the trust, one for each of its orders" />
          )}
        </>
      ) : null}
      <h2 className="govuk-heading-m">Latest orders</h2>
      {recentOrders.length === 0 ? (
        <p className="govuk-body">No orders yet.</p>
      ) : (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-visually-hidden">The member schools’ latest orders</caption>
          <TableHead columns={['Order', 'School', 'Submitted', 'Status', { label: 'Total', numeric: true }]} />
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
