import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { formatPence } from '~/domain/money'
import { getSubmittedOrder } from '~/models/ordering/basket.server'
import { ORDER_STATUS_TAGS } from '~/schemas/order-labels'
import { notFound, requireSchoolUser } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { TableHead } from '~/components/table-head'
import { isUuid } from '~/schemas/common'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireSchoolUser(request)
  const orderId = params.orderId ?? ''
  if (!isUuid(orderId)) throw notFound()
  const db = await getDb()
  // Another school's order answers exactly as a missing one.
  const order = await getSubmittedOrder(db, { authorityId: user.authorityId, schoolId: user.schoolId }, orderId.toLowerCase())
  if (!order) throw notFound()
  return { order }
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Order submitted: ${data.order.reference} – Buyback` : 'Page not found' },
]

export default function ConfirmationPage() {
  const { order } = useLoaderData<typeof loader>()
  const waiting = order.lines.filter((l) => l.status === 'waitlisted')
  const confirmed = order.lines.filter((l) => l.status === 'confirmed')
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <div className="govuk-panel govuk-panel--confirmation">
          <h1 className="govuk-panel__title">Order submitted</h1>
          <div className="govuk-panel__body">
            Your reference number
            <br />
            <strong>{order.reference}</strong>
          </div>
        </div>

        <p className="govuk-body">Total {formatPence(order.grossPence)}. We have sent you an email with the details of your order.</p>

        <h2 className="govuk-heading-m">What happens next</h2>
        {order.status === 'awaiting_approval' ? (
          <p className="govuk-body" id="next-step">
            Your order is <strong>awaiting approval</strong>: it is at or above your school’s approval limit, so your headteacher must approve it. We
            have emailed them. The team reserves its time once it is approved.
          </p>
        ) : order.status === 'confirmed' && waiting.length === 0 ? (
          <p className="govuk-body" id="next-step">
            Your order is <strong>confirmed</strong>: the team has reserved its time for you. They will contact you to arrange the work.
          </p>
        ) : order.status === 'confirmed' ? (
          <p className="govuk-body" id="next-step">
            Your order is <strong>confirmed</strong> in part: {confirmed.length === 1 ? 'one line is' : `${confirmed.length} lines are`} confirmed and{' '}
            {waiting.length === 1 ? 'one is' : `${waiting.length} are`} on the waiting list. We will email you as soon as time becomes free, oldest
            requests first.
          </p>
        ) : order.status === 'waitlisted' ? (
          <p className="govuk-body" id="next-step">
            The team is fully booked, so your order is on the <strong>waiting list</strong>. We will confirm it and email you as soon as time becomes
            free, oldest requests first.
          </p>
        ) : (
          <p className="govuk-body" id="next-step">
            Your order is with the team, who will confirm it shortly.
          </p>
        )}

        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--s">What you ordered</caption>
          <TableHead columns={['Package', 'Status']} />
          <tbody className="govuk-table__body">
            {order.lines.map((line) => {
              const tag = ORDER_STATUS_TAGS[line.status]
              return (
                <tr className="govuk-table__row" key={line.id}>
                  <td className="govuk-table__cell">{line.description}</td>
                  <td className="govuk-table__cell">
                    <strong className={`govuk-tag govuk-tag--${tag.colour}`}>{tag.label}</strong>
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>

        <p className="govuk-body">
          <Link className="govuk-link" to={`/orders/${order.id}`}>
            View your order
          </Link>
        </p>
        <p className="govuk-body">
          <Link className="govuk-link" to="/services">
            Buy another service
          </Link>
        </p>
      </div>
    </div>
  )
}
