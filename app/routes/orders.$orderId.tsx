import { longDate, longDateTime } from '~/domain/dates'
import { INCLUDED_REASON } from '~/domain/offer-rules'
import { ordinal } from '~/domain/capacity'
import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { SuccessBanner } from '~/components/success-banner'
import { SummaryRow } from '~/components/summary-list'
import { TableHead } from '~/components/table-head'
import { clock } from '~/utils/clock'
import { invoiceTag } from '~/domain/finance'
import { financeRouteOn, monthLabel } from '~/domain/invoicing'
import { formatPence } from '~/domain/money'
import { tradingYearLabel } from '~/domain/trading-year'
import { getOrderDetail } from '~/models/ordering/order-detail.server'
import { deliveryRecords, termsAcceptance } from '~/models/ordering/order-schedule.server'
import { DeliveryRecords, ScheduleLinks, TermsAccepted } from '~/components/order-schedule'
import { orderScopeFor } from '~/models/shared/access-scope.server'
import { eventByline } from '~/domain/order-history'
import { eventTitle } from '~/schemas/orders'
import { FINANCE_ROUTE_NAMES, INVOICE_STATUS_TAGS, ORDER_STATUS_TAGS } from '~/schemas/order-labels'
import { getRequestAuthority } from '~/utils/authority.server'
import { notFound, requireUser } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { formatDate } from '~/utils/format'
import { quantityText } from '~/domain/quantities'
import { isUuid } from '~/schemas/common'
import { isStripeConfigured } from '~/utils/stripe.server'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const orderId = params.orderId ?? ''
  // Not an id: no such order, and nothing to ask the database.
  if (!isUuid(orderId)) throw notFound()
  const scope = orderScopeFor(user)
  // Another school's or another authority's order answers exactly as a missing one.
  if (!scope) throw notFound()
  const db = await getDb()
  const order = await getOrderDetail(db, scope, orderId.toLowerCase())
  if (!order) throw notFound()
  const [authority, acceptance, deliveries] = await Promise.all([
    getRequestAuthority(db, request, user),
    termsAcceptance(db, scope.authorityId, order.id),
    deliveryRecords(db, scope.authorityId, order.id),
  ])
  const cancelled = Number(new URL(request.url).searchParams.get('cancelled') ?? '')
  return {
    cancelled: Number.isInteger(cancelled) && cancelled > 0 ? cancelled : 0,
    authority: { name: authority.name },
    view: scope.kind === 'school' ? ('school' as const) : scope.kind === 'schools' ? ('trust' as const) : ('council' as const),
    financeLinks: user.roles.includes('finance') || user.roles.includes('la_admin'),
    stripeConfigured: isStripeConfigured(),
    today: clock.today(),
    order,
    acceptance,
    deliveries,
  }
}

/** A school's orders and money are nobody else's: never kept by shared caches. */
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data ? `Order ${data.order.reference} – ${data.order.school.name} – ${data.authority.name}` : 'Page not found',
  },
]

function isoOf(value: Date | string): string {
  return (typeof value === 'string' ? new Date(value) : value).toISOString()
}

const CANCELLABLE = new Set(['awaiting_approval', 'submitted', 'confirmed', 'waitlisted'])

function Tag({ label, colour }: { label: string; colour: string }) {
  return <strong className={`govuk-tag govuk-tag--${colour}`}>{label}</strong>
}

export default function OrderPage() {
  const { order, view, today, cancelled, financeLinks, stripeConfigured, acceptance, deliveries } = useLoaderData<typeof loader>()
  // Schools open their invoices and credit notes at /invoices/:id and /credit-notes/:id; finance at its own pages.
  const invoiceHref = (id: string) => (view === 'school' ? `/invoices/${id}` : financeLinks ? `/finance/invoices/${id}` : null)
  const creditNoteHref = (id: string) => (view === 'school' || financeLinks ? `/credit-notes/${id}` : null)
  const creditNotes = order.invoices.flatMap((i) => i.creditNotes.map((c) => ({ ...c, invoiceNumber: i.number })))
  // Lines a school user may still cancel: live and not delivered in full (the cancel page shows the charge).
  const canCancel = view === 'school' && order.lines.some((l) => CANCELLABLE.has(l.status) && !(l.delivery && l.delivery.usedUnits >= l.quantity))
  const status = ORDER_STATUS_TAGS[order.status]
  const lineTotals = order.lines.reduce((t, l) => ({ net: t.net + l.netPence, vat: t.vat + l.vatPence, gross: t.gross + l.grossPence }), {
    net: 0,
    vat: 0,
    gross: 0,
  })
  const fees = order.lines.reduce((n, l) => n + l.cancellationFeePence, 0)
  // Confirmed lines not invoiced yet, by the day they will be (never before their period starts).
  const upcoming = [...new Set(order.lines.flatMap((l) => (l.nextInvoiceOn ? [l.nextInvoiceOn] : [])))].sort()
  // A maintained school pays by recharge in that month's journal, unless it has become an academy by then.
  const internal = (on: string) => financeRouteOn(order.school, on) === 'internal_recharge'

  return (
    <>
      <nav className="govuk-breadcrumbs" aria-label="Breadcrumb">
        <ol className="govuk-breadcrumbs__list">
          <li className="govuk-breadcrumbs__list-item">
            <Link className="govuk-breadcrumbs__link" to="/orders">
              {view === 'school' ? 'Your orders' : 'Orders'}
            </Link>
          </li>
        </ol>
      </nav>
      {cancelled > 0 ? (
        <SuccessBanner titleId="cancelled-title" heading={cancelled === 1 ? '1 line cancelled' : `${cancelled} lines cancelled`}>
          <p className="govuk-body">We have emailed you a confirmation. Any cancellation charge is shown against the line below.</p>
        </SuccessBanner>
      ) : null}
      <span className="govuk-caption-l">{order.school.name}</span>
      <h1 className="govuk-heading-xl">Order {order.reference}</h1>
      {canCancel ? (
        <Link to={`/orders/${order.id}/cancel`} className="govuk-button govuk-button--secondary" role="button" draggable="false">
          Cancel order
        </Link>
      ) : null}

      <dl className="govuk-summary-list">
        <SummaryRow label="Status">
          <Tag {...status} />
        </SummaryRow>
        <SummaryRow label="School">{order.school.name}</SummaryRow>
        <SummaryRow label="Purchase order number">{order.poNumber ?? 'None given'}</SummaryRow>
        <SummaryRow label="Ordered by">
          {order.orderedBy ?? 'The council’s traded services team, for the school'}
          {order.orderedAt ? (
            <>
              <br />
              <time dateTime={isoOf(order.orderedAt)}>{longDateTime(order.orderedAt)}</time>
            </>
          ) : null}
        </SummaryRow>
        <SummaryRow label="Approved by">
          {order.approvedAt ? (
            <>
              {order.approvedBy ?? 'The headteacher, on the signed order form'}
              <br />
              <time dateTime={isoOf(order.approvedAt)}>{longDateTime(order.approvedAt)}</time>
            </>
          ) : order.status === 'awaiting_approval' ? (
            'Waiting for the headteacher'
          ) : (
            'Not needed: the order was below the school’s approval limit'
          )}
        </SummaryRow>
        {order.rejectionReason ? <SummaryRow label="Reason for rejection">{order.rejectionReason}</SummaryRow> : null}
        <SummaryRow label="Trading year">{order.tradingYears.map((y) => tradingYearLabel(y)).join(', ')}</SummaryRow>
        <SummaryRow label="Total">
          {formatPence(order.grossPence)}
          {order.vatPence > 0 ? (
            <span className="govuk-body-s">
              {' '}
              ({formatPence(order.netPence)} plus {formatPence(order.vatPence)} VAT)
            </span>
          ) : (
            <span className="govuk-body-s"> (no VAT)</span>
          )}
        </SummaryRow>
      </dl>

      <h2 className="govuk-heading-l" id="lines-heading">
        What was ordered
      </h2>
      <div className="app-table-scroll" role="region" aria-labelledby="lines-heading" tabIndex={0}>
        <table className="govuk-table app-table--compact app-table--stack">
          <caption className="govuk-visually-hidden">
            {order.lines.length === 1 ? '1 line' : `${order.lines.length} lines`}, with prices fixed when the order was placed
          </caption>
          <TableHead
            columns={[
              'Service',
              'When',
              { label: 'Quantity', numeric: true },
              { label: 'Unit price', numeric: true },
              { label: 'Net', numeric: true },
              { label: 'VAT', numeric: true },
              { label: 'Total', numeric: true },
              'Status',
              'Used',
            ]}
          />
          <tbody className="govuk-table__body">
            {order.lines.map((line) => (
              <tr key={line.id} className="govuk-table__row">
                <th scope="row" className="govuk-table__header app-table__cell--wide">
                  <Link className="govuk-link" to={`/services/${line.serviceSlug}`}>
                    {line.serviceName}
                  </Link>
                  <span className="app-table__secondary">{line.offerName}</span>
                </th>
                <td data-label="When" className="govuk-table__cell">
                  {line.course ? (
                    <>
                      {line.course.title}
                      <span className="app-table__secondary">
                        {formatDate(line.course.startsAt)}, {line.course.venue}
                      </span>
                    </>
                  ) : line.periodStart === line.periodEnd ? (
                    formatDate(line.periodStart)
                  ) : (
                    <>
                      {formatDate(line.periodStart)} to {formatDate(line.periodEnd)}
                    </>
                  )}
                </td>
                <td data-label="Quantity" className="govuk-table__cell govuk-table__cell--numeric">
                  {quantityText(line.quantity, line.unitOne, line.unitOther)}
                </td>
                <td data-label="Unit price" className="govuk-table__cell govuk-table__cell--numeric">
                  {formatPence(line.unitPricePence)}
                </td>
                <td data-label="Net" className="govuk-table__cell govuk-table__cell--numeric">
                  {formatPence(line.netPence)}
                  <span className="app-table__secondary">{line.priceExplanation}</span>
                </td>
                <td data-label="VAT" className="govuk-table__cell govuk-table__cell--numeric">
                  {formatPence(line.vatPence)}
                  {line.vatRateBasisPoints > 0 ? <span className="app-table__secondary">at {line.vatRateBasisPoints / 100}%</span> : null}
                </td>
                <td data-label="Total" className="govuk-table__cell govuk-table__cell--numeric">
                  {formatPence(line.grossPence)}
                  {line.grossPence === 0 && line.priceExplanation.startsWith(INCLUDED_REASON) ? (
                    <span className="app-table__secondary">{INCLUDED_REASON}</span>
                  ) : null}
                </td>
                <td data-label="Status" className="govuk-table__cell">
                  <Tag {...ORDER_STATUS_TAGS[line.status]} />
                  {line.queuePlace ? <span className="app-table__secondary">{ordinal(line.queuePlace)} on the waiting list</span> : null}
                  {line.cancellationFeePence > 0 ? (
                    <span className="app-table__secondary">Cancellation charge {formatPence(line.cancellationFeePence)}</span>
                  ) : null}
                  {line.nextInvoiceOn ? <span className="app-table__secondary">To be invoiced on {longDate(line.nextInvoiceOn)}</span> : null}
                </td>
                <td data-label="Used" className="govuk-table__cell">
                  {line.delivery ? line.delivery.text : <span className="app-table__secondary">Not recorded</span>}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr className="govuk-table__row">
              <th scope="row" colSpan={4} className="govuk-table__header">
                Total
              </th>
              <td className="govuk-table__cell govuk-table__cell--numeric app-table__total">{formatPence(lineTotals.net)}</td>
              <td className="govuk-table__cell govuk-table__cell--numeric app-table__total">{formatPence(lineTotals.vat)}</td>
              <td className="govuk-table__cell govuk-table__cell--numeric app-table__total">{formatPence(lineTotals.gross)}</td>
              <td className="govuk-table__cell" colSpan={2}>
                {fees > 0 ? `Cancellation fees ${formatPence(fees)}` : null}
              </td>
            </tr>
          </tfoot>
        </table>
      </div>

      <DeliveryRecords lines={order.lines} deliveries={deliveries} />

      <TermsAccepted acceptance={acceptance} />
      <ScheduleLinks orderId={order.id} />

      <h2 className="govuk-heading-l" id="invoices-heading">
        Invoices
      </h2>
      {order.invoices.length === 0 ? (
        <p className="govuk-body">
          No invoices have been issued for this order yet.{' '}
          {order.school.financeRoute === 'internal_recharge'
            ? 'As a maintained school, you pay by internal recharge: charges appear in the council’s monthly journal.'
            : stripeConfigured
              ? 'Invoices are sent by email and can be paid online.'
              : 'Invoices are sent by email and paid by bank transfer (BACS).'}
        </p>
      ) : null}
      {upcoming.map((on) => (
        <p className="govuk-body" key={on}>
          To be invoiced on {longDate(on)}
          {internal(on) ? `, charged in the ${monthLabel(on)} journal` : ''}:{' '}
          {order.lines
            .filter((l) => l.nextInvoiceOn === on)
            .map((l) => `${l.serviceName} (${l.offerName})`)
            .join(', ')}
          .
        </p>
      ))}
      {order.invoices.length === 0 ? null : (
        <div className="app-table-scroll" role="region" aria-labelledby="invoices-heading" tabIndex={0}>
          <table className="govuk-table app-table--compact app-table--stack">
            <caption className="govuk-visually-hidden">Invoices for this order, oldest first</caption>
            <TableHead columns={['Number', 'Issued', 'Due', { label: 'Amount', numeric: true }, 'Status', 'How to pay']} />
            <tbody className="govuk-table__body">
              {order.invoices.map((invoice) => (
                <tr key={invoice.id} className="govuk-table__row">
                  <th scope="row" className="govuk-table__header app-nowrap">
                    {invoiceHref(invoice.id) ? (
                      <Link className="govuk-link" to={invoiceHref(invoice.id) ?? ''}>
                        {invoice.number}
                      </Link>
                    ) : (
                      invoice.number
                    )}
                    <span className="app-table__secondary">
                      {FINANCE_ROUTE_NAMES[invoice.route]}
                      {invoice.instalment ? `, instalment ${invoice.instalment} of 3` : ''}
                    </span>
                  </th>
                  <td data-label="Issued" className="govuk-table__cell">
                    {formatDate(invoice.issuedAt)}
                  </td>
                  <td data-label="Due" className="govuk-table__cell">
                    {formatDate(invoice.dueOn)}
                  </td>
                  <td data-label="Amount" className="govuk-table__cell govuk-table__cell--numeric">
                    {formatPence(invoice.grossPence)}
                    {invoice.outstandingPence > 0 && invoice.outstandingPence < invoice.grossPence ? (
                      <span className="app-table__secondary">{formatPence(invoice.outstandingPence)} still to pay</span>
                    ) : null}
                  </td>
                  <td data-label="Status" className="govuk-table__cell">
                    <Tag {...INVOICE_STATUS_TAGS[invoiceTag(invoice, today)]} />
                  </td>
                  <td data-label="How to pay" className="govuk-table__cell">
                    {invoice.route === 'internal_recharge' ? (
                      `Charged by internal recharge${invoice.journalMonth ? ` in the ${monthLabel(invoice.journalMonth)} journal` : ''}`
                    ) : stripeConfigured && invoice.stripeHostedInvoiceUrl ? (
                      <a className="govuk-link" href={invoice.stripeHostedInvoiceUrl} rel="noreferrer">
                        Pay or download from Stripe<span className="govuk-visually-hidden"> (invoice {invoice.number})</span>
                      </a>
                    ) : invoice.stripeStatus === 'pending' ? (
                      'A link to pay online will appear here shortly'
                    ) : (
                      'Pay by bank transfer (BACS), quoting the invoice number: the invoice gives the bank details'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {creditNotes.length > 0 ? (
        <>
          <h3 className="govuk-heading-m" id="credit-notes-heading">
            Credit notes
          </h3>
          <div className="app-table-scroll" role="region" aria-labelledby="credit-notes-heading" tabIndex={0}>
            <table className="govuk-table app-table--compact">
              <caption className="govuk-visually-hidden">Credit notes against this order’s invoices</caption>
              <TableHead columns={['Number', 'Issued', 'Against invoice', 'Reason', { label: 'Amount', numeric: true }]} />
              <tbody className="govuk-table__body">
                {creditNotes.map((c) => (
                  <tr key={c.id} className="govuk-table__row">
                    <th scope="row" className="govuk-table__header app-nowrap">
                      {creditNoteHref(c.id) ? (
                        <Link className="govuk-link" to={creditNoteHref(c.id) ?? ''}>
                          {c.number}
                        </Link>
                      ) : (
                        c.number
                      )}
                    </th>
                    <td className="govuk-table__cell">{formatDate(c.issuedAt)}</td>
                    <td className="govuk-table__cell app-nowrap">{c.invoiceNumber}</td>
                    <td className="govuk-table__cell">{c.reason}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(c.grossPence)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}

      <h2 className="govuk-heading-l">History</h2>
      {/* MOJ Frontend's timeline, newest first as the model gives it; an ordered list for screen readers. */}
      <ol className="moj-timeline app-timeline">
        {order.events.map((event) => (
          <li key={event.id} className="moj-timeline__item">
            <div className="moj-timeline__header">
              <h3 className="moj-timeline__title">{eventTitle(event.fromStatus, event.toStatus, event.line !== null)}</h3>{' '}
              <p className="moj-timeline__byline">{eventByline({ ...event, isLine: event.line !== null })}</p>
            </div>
            <p className="moj-timeline__date">
              <time dateTime={isoOf(event.at)}>{longDateTime(event.at)}</time>
            </p>
            {event.line || event.note ? (
              <div className="moj-timeline__description">
                {event.line ? <p className="govuk-body govuk-!-margin-bottom-1">{event.line}</p> : null}
                {event.note ? <p className="govuk-body govuk-!-margin-bottom-0">{event.note}</p> : null}
              </div>
            ) : null}
          </li>
        ))}
      </ol>
    </>
  )
}
