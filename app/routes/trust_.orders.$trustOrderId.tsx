import { TableHead } from '~/components/table-head'
import { TrustInvoices } from '~/components/trust-invoices'
import { trustInvoices } from '~/models/trusts/overview.server'
import { clock } from '~/utils/clock'
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { BasketTotals } from '~/components/basket'
import { ErrorMessage, ErrorSummary } from '~/components/forms'
import { SuccessBanner } from '~/components/success-banner'
import { SummaryRow } from '~/components/summary-list'
import { formatPence } from '~/domain/money'
import { TRUST_ROLES } from '~/domain/roles'
import { decideTrustOrder } from '~/models/trusts/ordering.server'
import { getTrustOrder } from '~/models/trusts/trust-orders.server'
import { approvalFormValues, approvalSchema, REASON_MAX } from '~/schemas/approvals'
import { fieldErrors, type FieldErrors } from '~/schemas/common'
import { ORDER_STATUS_TAGS } from '~/schemas/order-labels'
import { trustOrderTag } from '~/schemas/trust-labels'
import { forbidden, notFound, requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { formatDate } from '~/utils/format'

/** One of the trust's orders (issue 16): every member school's part, and the trust approver's "Approve order". */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, TRUST_ROLES)
  if (!user.trustId) throw forbidden()
  const db = await getDb()
  const order = await getTrustOrder(db, { authorityId: user.authorityId, trustId: user.trustId }, params.trustOrderId ?? '')
  if (!order) throw notFound()
  const placed = new URL(request.url).searchParams.get('placed') === '1'
  const invoices = await trustInvoices(db, user.authorityId, user.trustId, order.id)
  return { order, placed, invoices, today: clock.today(), mayDecide: user.roles.includes('trust_approver') && order.submittedByUserId !== user.id }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? `Trust order ${data.order.reference}` : 'Trust order'} – Buyback` },
]

type ActionData = { errors?: FieldErrors; notice?: string; values?: Record<string, string> }

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, ['trust_approver'])
  if (!user.trustId) throw forbidden()
  const trustOrderId = params.trustOrderId ?? ''
  const values = approvalFormValues(await request.formData())
  const parsed = approvalSchema.safeParse({ ...values, orderId: trustOrderId })
  if (!parsed.success) {
    const errors = fieldErrors(parsed.error.issues)
    if (errors.orderId) throw notFound()
    return data<ActionData>(
      { errors: { reason: errors.reason ?? errors.intent ?? 'Choose to approve or reject the order' }, values },
      { status: 400 },
    )
  }
  const input = parsed.data
  const actor = { userId: user.id, name: user.name, authorityId: user.authorityId, trustId: user.trustId }
  const result = await decideTrustOrder(
    await getDb(),
    actor,
    trustOrderId,
    input.intent === 'approve' ? { approve: true } : { approve: false, reason: input.reason },
  )
  if (!result.ok) {
    if ('notFound' in result) throw notFound()
    if ('ownOrder' in result)
      return data<ActionData>(
        { notice: `You submitted order ${result.reference}, so another of the trust’s approvers must approve it.` },
        { status: 403 },
      )
    return data<ActionData>({ notice: `Order ${result.reference} has already been decided.` }, { status: 409 })
  }
  return redirect(`/trust/orders/${trustOrderId}`, 303)
}

export default function TrustOrderPage() {
  const { order, placed, mayDecide, invoices, today } = useLoaderData<typeof loader>()
  const sent = useActionData<typeof action>()
  const errors = sent?.errors
  const status = trustOrderTag(order.status, order.approvedBy !== null)
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        <ErrorSummary errors={errors} />
        {placed ? (
          <SuccessBanner
            titleId="placed-title"
            heading={
              order.status === 'awaiting_approval'
                ? `Order ${order.reference} is waiting for the trust’s approver`
                : `Order ${order.reference} submitted`
            }
          />
        ) : null}
        {sent?.notice ? (
          <div className="govuk-inset-text" role="status">
            {sent.notice}
          </div>
        ) : null}
        <span className="govuk-caption-l">Trust order</span>
        <h1 className="govuk-heading-xl">{order.reference}</h1>
        <dl className="govuk-summary-list">
          <SummaryRow label="Status">
            <strong className={`govuk-tag govuk-tag--${status.colour}`}>{status.label}</strong>
          </SummaryRow>
          <SummaryRow label="Submitted">
            {formatDate(order.submittedAt)} by {order.submittedBy}
          </SummaryRow>
          {order.approvedBy && order.approvedAt ? (
            <SummaryRow label="Approved">
              {formatDate(order.approvedAt)} by {order.approvedBy}
            </SummaryRow>
          ) : null}
          {order.rejectionReason ? <SummaryRow label="Reason for rejecting">{order.rejectionReason}</SummaryRow> : null}
          <SummaryRow label="Purchase order number">{order.poNumber ?? 'None'}</SummaryRow>
        </dl>
        {order.parts.map((part) => {
          const tag = ORDER_STATUS_TAGS[part.status]
          return (
            <table key={part.orderId} className="govuk-table">
              <caption className="govuk-table__caption govuk-table__caption--m">
                {part.schoolName}: order {part.reference} <strong className={`govuk-tag govuk-tag--${tag.colour}`}>{tag.label}</strong>
              </caption>
              <TableHead columns={['Package', 'Status', { label: 'Unit price', numeric: true }, { label: 'Total', numeric: true }]} />
              <tbody className="govuk-table__body">
                {part.lines.map((line) => (
                  <tr key={line.id} className="govuk-table__row">
                    <td className="govuk-table__cell">{line.description}</td>
                    <td className="govuk-table__cell">{ORDER_STATUS_TAGS[line.status].label}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(line.unitPricePence)}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(line.grossPence)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        })}
        <h2 className="govuk-heading-m">Total for all schools</h2>
        <BasketTotals netPence={order.netPence} vatPence={order.vatPence} grossPence={order.grossPence} />
        {invoices.length > 0 ? (
          <>
            <h2 className="govuk-heading-m">Invoiced to the trust</h2>
            <TrustInvoices invoices={invoices} today={today} caption={`Invoices to the trust for order ${order.reference}`} />
          </>
        ) : null}
        {order.status === 'awaiting_approval' && mayDecide ? (
          <>
            <Form method="post">
              <input type="hidden" name="intent" value="approve" />
              <button type="submit" className="govuk-button" data-module="govuk-button">
                Approve order<span className="govuk-visually-hidden"> {order.reference}</span>
              </button>
            </Form>
            <Form method="post" noValidate>
              <input type="hidden" name="intent" value="reject" />
              <div className={`govuk-form-group${errors?.reason ? ' govuk-form-group--error' : ''}`}>
                <label className="govuk-label govuk-label--s" htmlFor="reason">
                  Reason for rejecting
                </label>
                <ErrorMessage id="reason-error" error={errors?.reason} />
                <textarea
                  className={`govuk-textarea${errors?.reason ? ' govuk-textarea--error' : ''}`}
                  id="reason"
                  name="reason"
                  rows={3}
                  maxLength={REASON_MAX}
                  defaultValue={sent?.values?.reason ?? ''}
                  aria-describedby={errors?.reason ? 'reason-error' : undefined}
                />
              </div>
              <button type="submit" className="govuk-button govuk-button--warning" data-module="govuk-button">
                Reject order<span className="govuk-visually-hidden"> {order.reference}</span>
              </button>
            </Form>
          </>
        ) : null}
        <p className="govuk-body">
          <Link className="govuk-link" to="/trust">
            Back to the trust
          </Link>
        </p>
      </div>
    </div>
  )
}
