import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { InvoicePlanTable, lineWhen, ScheduleLinks, TermsText, versionText } from '~/components/order-schedule'
import { SummaryRow } from '~/components/summary-list'
import { TableHead } from '~/components/table-head'
import { longDateTime } from '~/domain/dates'
import { formatPence } from '~/domain/money'
import { quantityText } from '~/domain/quantities'
import { tradingYearLabel } from '~/domain/trading-year'
import { getOrderSchedule } from '~/models/ordering/order-schedule.server'
import { orderScopeFor } from '~/models/shared/access-scope.server'
import { isUuid } from '~/schemas/common'
import { notFound, requireUser } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'

/**
 * /orders/:id/schedule: the order schedule, printable (issue 15): the order's
 * lines with their periods and prices, the invoice plan with its dates and
 * the terms accepted, in full. Its PDF (/orders/:id/schedule.pdf) is made
 * from the same model function. Same access as /orders/:id.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const orderId = params.orderId ?? ''
  if (!isUuid(orderId)) throw notFound()
  const scope = orderScopeFor(user)
  if (!scope) throw notFound()
  const schedule = await getOrderSchedule(await getDb(), scope, orderId.toLowerCase())
  if (!schedule) throw notFound()
  return { schedule }
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `Order schedule ${data.schedule.order.reference} – ${data.schedule.order.school.name} – ${data.schedule.authority.name}`
      : 'Page not found',
  },
]

export default function OrderSchedulePage() {
  const { schedule } = useLoaderData<typeof loader>()
  const { order, acceptance, plan, authority } = schedule
  return (
    <>
      <nav className="govuk-breadcrumbs" aria-label="Breadcrumb">
        <ol className="govuk-breadcrumbs__list">
          <li className="govuk-breadcrumbs__list-item">
            <Link className="govuk-breadcrumbs__link" to="/orders">
              Orders
            </Link>
          </li>
          <li className="govuk-breadcrumbs__list-item">
            <Link className="govuk-breadcrumbs__link" to={`/orders/${order.id}`}>
              Order {order.reference}
            </Link>
          </li>
        </ol>
      </nav>
      <span className="govuk-caption-l">
        {authority.name}: {order.school.name}
      </span>
      <h1 className="govuk-heading-xl">Order schedule {order.reference}</h1>
      <ScheduleLinks orderId={order.id} onSchedule />

      <dl className="govuk-summary-list">
        <SummaryRow label="Order reference">{order.reference}</SummaryRow>
        <SummaryRow label="School">{order.school.name}</SummaryRow>
        <SummaryRow label="Purchase order number">{order.poNumber ?? 'None given'}</SummaryRow>
        <SummaryRow label="Ordered by">
          {order.orderedBy ?? 'The council’s traded services team, for the school'}
          {order.orderedAt ? `, ${longDateTime(order.orderedAt)}` : ''}
        </SummaryRow>
        <SummaryRow label="Trading year">{order.tradingYears.map((y) => tradingYearLabel(y)).join(', ')}</SummaryRow>
        <SummaryRow label="Total">
          {formatPence(order.grossPence)} ({formatPence(order.netPence)} plus {formatPence(order.vatPence)} VAT)
        </SummaryRow>
      </dl>

      <h2 className="govuk-heading-l" id="lines-heading">
        Lines
      </h2>
      <div className="app-table-scroll" role="region" aria-labelledby="lines-heading" tabIndex={0}>
        <table className="govuk-table app-table--compact">
          <caption className="govuk-visually-hidden">The order’s lines, with prices fixed when it was placed</caption>
          <TableHead
            columns={[
              'Service',
              'Period',
              { label: 'Quantity', numeric: true },
              { label: 'Unit price', numeric: true },
              { label: 'Net', numeric: true },
              { label: 'VAT', numeric: true },
              { label: 'Total', numeric: true },
            ]}
          />
          <tbody className="govuk-table__body">
            {order.lines.map((line) => (
              <tr key={line.id} className="govuk-table__row">
                <th scope="row" className="govuk-table__header app-table__cell--wide">
                  {line.serviceName}
                  <span className="app-table__secondary">{line.offerName}</span>
                </th>
                <td className="govuk-table__cell">{lineWhen(line)}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{quantityText(line.quantity, line.unitOne, line.unitOther)}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(line.unitPricePence)}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(line.netPence)}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(line.vatPence)}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(line.grossPence)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <InvoicePlanTable plan={plan} />

      <h2 className="govuk-heading-l" id="terms-heading">
        Terms accepted
      </h2>
      <p className="govuk-body">
        {acceptance.acceptedAt
          ? `Accepted by ${acceptance.acceptedBy ?? 'the school'} when ordering, ${longDateTime(acceptance.acceptedAt)}.`
          : 'Who accepted the terms was not recorded: the order was placed before Buyback recorded it.'}
        {acceptance.approvedAt
          ? ` Approved by ${acceptance.approvedBy ?? 'the headteacher'}, accepting the same terms for the school, ${longDateTime(acceptance.approvedAt)}.`
          : ''}
      </p>
      {acceptance.services.map((s) => (
        <section key={`${s.serviceName}-${s.version}`} aria-label={`Terms of ${s.serviceName}`}>
          <h3 className="govuk-heading-m">
            {s.serviceName}: terms {versionText(s)}
          </h3>
          <TermsText text={s.terms} />
        </section>
      ))}
      {acceptance.unversioned.map((name) => (
        <p className="govuk-body" key={name}>
          {name}: no terms version recorded (ordered before terms were versioned).
        </p>
      ))}
    </>
  )
}
