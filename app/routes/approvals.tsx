import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useFetcher, useLoaderData, useNavigation } from '@remix-run/react'
import { ErrorMessage, ErrorSummary } from '~/components/forms'
import { SuccessBanner } from '~/components/success-banner'
import { SummaryRow } from '~/components/summary-list'
import { TableHead } from '~/components/table-head'
import { ImportantBanner } from '~/components/important-banner'
import { mayApprove, OWN_ORDER_REASON } from '~/domain/approvals'
import { formatPence } from '~/domain/money'
import { approveOrder, listAwaitingApproval, rejectOrder } from '~/models/ordering/approvals.server'
import { approvalFormValues, approvalSchema, REASON_MAX } from '~/schemas/approvals'
import { forbidden, notFound, requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { formatDate } from '~/utils/format'
import { type FieldErrors, isUuid } from '~/schemas/common'
import { actorFor } from '~/models/shared/actor.server'
import { unitsLeftForLines } from '~/models/ordering/capacity-left.server'
import { CapacityWarning } from '~/components/capacity-choice'
import { sentInPlace, submitInPlace } from '~/components/in-place'

async function requireApprover(request: Request) {
  const user = await requireRole(request, ['school_approver'])
  if (!user.schoolId) throw forbidden()
  return { ...user, schoolId: user.schoolId }
}

/** What the last decision came to, for the banner after the redirect. */
async function decisionOutcome(authorityId: string, schoolId: string, orderId: string | null) {
  if (!isUuid(orderId)) return null
  const db = await getDb()
  const order = await db
    .selectFrom('orders')
    .select(['id', 'reference', 'status'])
    .where('authority_id', '=', authorityId)
    .where('school_id', '=', schoolId)
    .where('id', '=', orderId)
    .executeTakeFirst()
  if (!order) return null
  const lines = await db.selectFrom('order_lines').select('status').where('authority_id', '=', authorityId).where('order_id', '=', order.id).execute()
  return {
    id: order.id,
    reference: order.reference,
    status: order.status,
    confirmed: lines.filter((l) => l.status === 'confirmed').length,
    waitlisted: lines.filter((l) => l.status === 'waitlisted').length,
  }
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireApprover(request)
  const url = new URL(request.url)
  const db = await getDb()
  const [orders, outcome] = await Promise.all([
    listAwaitingApproval(db, user.authorityId, user.schoolId),
    decisionOutcome(user.authorityId, user.schoolId, url.searchParams.get('decided')),
  ])
  const unitsLeft = await unitsLeftForLines(
    db,
    user.authorityId,
    orders.flatMap((o) => o.lines),
  )
  return {
    schoolName: user.schoolName ?? '',
    // Whether this headteacher may approve each order: not one they placed themselves.
    orders: orders.map((o) => ({ ...o, mayApprove: mayApprove({ submittedBy: o.orderedByUserId, createdBy: null }, { userId: user.id }) })),
    outcome,
    unitsLeft,
  }
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

type Outcome = NonNullable<Awaited<ReturnType<typeof decisionOutcome>>>

/** A refusal, or (sent in place, by a fetcher) the decision made, for the banner. */
type ActionData = { errors?: FieldErrors; values?: Record<string, string>; notice?: string; decided?: Outcome | null }

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireApprover(request)
  const form = await request.formData()
  const values = approvalFormValues(form)
  const parsed = approvalSchema.safeParse(values)
  if (!parsed.success) {
    const errors: FieldErrors = {}
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] === 'reason' && isUuid(values.orderId) ? `reason-${values.orderId}` : 'orders'
      errors[field] ??= issue.path[0] === 'intent' ? 'Choose to approve or reject the order' : issue.message
    }
    return data<ActionData>({ errors, values }, { status: 400 })
  }
  const db = await getDb()
  const actor = { ...actorFor(user, request, context), schoolId: user.schoolId }
  const input = parsed.data
  const result = input.intent === 'approve' ? await approveOrder(db, actor, input.orderId) : await rejectOrder(db, actor, input.orderId, input.reason)
  if (!result.ok) {
    if ('notFound' in result) throw notFound()
    if ('ownOrder' in result) {
      return data<ActionData>({ notice: `${OWN_ORDER_REASON}: order ${result.reference} has not been approved.` }, { status: 403 })
    }
    const what = result.status === 'rejected' ? 'rejected' : result.status === 'cancelled' ? 'cancelled' : 'approved'
    return data<ActionData>({ notice: `Order ${result.reference} has already been ${what}: nothing was changed.` }, { status: 409 })
  }
  if (sentInPlace(form)) return data<ActionData>({ decided: await decisionOutcome(user.authorityId, user.schoolId, input.orderId) })
  return redirect(`/approvals?decided=${input.orderId}`)
}

export const meta: MetaFunction = () => [{ title: 'Orders awaiting approval – Buyback' }]

function quantityText(quantity: number, one: string, other: string) {
  return `${quantity} ${quantity === 1 ? one : other}`
}

export default function Approvals() {
  const { orders, outcome, schoolName, unitsLeft } = useLoaderData<typeof loader>()
  const navigation = useNavigation()
  // With JavaScript, every decision goes through this one fetcher: the page stays, the decided order leaves the list.
  const fetcher = useFetcher<typeof action>({ key: 'approval' })
  const deciding = fetcher.state === 'submitting' ? { orderId: fetcher.formData?.get('orderId'), intent: fetcher.formData?.get('intent') } : null
  const busy = navigation.state === 'submitting' || deciding !== null
  const posted = useActionData<typeof action>()
  const actionData: ActionData | undefined = (fetcher.state === 'idle' ? fetcher.data : undefined) ?? posted
  const errors = actionData?.errors
  const values = actionData?.values
  const decided = actionData ? actionData.decided : outcome
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        {actionData?.notice ? <ImportantBanner titleId="notice-title">{actionData.notice}</ImportantBanner> : null}
        {decided ? (
          <SuccessBanner
            key={decided.id}
            titleId="decided-title"
            heading={decided.status === 'rejected' ? `Order ${decided.reference} rejected` : `Order ${decided.reference} approved`}
          >
            <p className="govuk-body">
              {decided.status === 'rejected'
                ? 'The business manager has been told, with your reason. Nothing is booked or charged.'
                : decided.waitlisted === 0
                  ? `Confirmed: the team has time for ${decided.confirmed === 1 ? 'it' : 'every line'}.`
                  : decided.confirmed === 0
                    ? 'Waitlisted: the team is fully booked. It will be confirmed automatically, oldest first, when hours become free.'
                    : `${decided.confirmed} confirmed and ${decided.waitlisted} waitlisted: waiting lines are confirmed automatically, oldest first, when hours become free.`}{' '}
              <Link className="govuk-link" to={`/orders/${decided.id}`}>
                View order {decided.reference}
              </Link>
            </p>
          </SuccessBanner>
        ) : null}
        <span className="govuk-caption-l">{schoolName}</span>
        <h1 className="govuk-heading-l">Orders awaiting approval</h1>
        <p className="govuk-visually-hidden" role="status">
          {deciding ? `${deciding.intent === 'approve' ? 'Approving' : 'Rejecting'} the order…` : ''}
        </p>
        {orders.length === 0 ? (
          <p className="govuk-body" id="orders">
            There are no orders waiting for your approval.
          </p>
        ) : (
          <p className="govuk-body" id="orders">
            These orders are at or above the school’s approval limit. Nothing is booked or charged until you approve them.
          </p>
        )}
        {orders.map((order) => {
          const reasonId = `reason-${order.id}`
          const reasonError = errors?.[reasonId]
          return (
            <section key={order.id} className="app-approval govuk-!-margin-bottom-9" aria-labelledby={`order-${order.id}`}>
              <h2 className="govuk-heading-m" id={`order-${order.id}`}>
                Order {order.reference}
              </h2>
              <dl className="govuk-summary-list">
                <SummaryRow label="Ordered by">{order.orderedBy ?? 'The council’s traded services team'}</SummaryRow>
                <SummaryRow label="Ordered on">{formatDate(order.orderedAt)}</SummaryRow>
                <SummaryRow label="Purchase order number">{order.poNumber ?? 'None given'}</SummaryRow>
                <SummaryRow label="Total">
                  {formatPence(order.grossPence)}
                  {order.vatPence > 0 ? ` (${formatPence(order.netPence)} plus ${formatPence(order.vatPence)} VAT)` : ' (no VAT)'}
                </SummaryRow>
              </dl>
              <table className="govuk-table app-table--stack">
                <caption className="govuk-table__caption govuk-table__caption--s">What was ordered</caption>
                <TableHead columns={['Service', 'Quantity', { label: 'Total', numeric: true }]} />
                <tbody className="govuk-table__body">
                  {order.lines.map((line) => (
                    <tr key={line.id} className="govuk-table__row">
                      <th scope="row" className="govuk-table__header">
                        {line.serviceName}
                        <span className="app-table__secondary">
                          {line.offerName}
                          {line.courseTitle ? `: ${line.courseTitle}` : ''}
                        </span>
                      </th>
                      <td data-label="Quantity" className="govuk-table__cell">
                        {quantityText(line.quantity, line.unitOne, line.unitOther)}
                      </td>
                      <td data-label="Total" className="govuk-table__cell govuk-table__cell--numeric">
                        {formatPence(line.grossPence)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {order.lines.map((line) =>
                unitsLeft[line.id] !== undefined ? <CapacityWarning key={line.id} line={line} left={unitsLeft[line.id]!} /> : null,
              )}
              {order.mayApprove ? (
                <fetcher.Form method="post" className="govuk-!-margin-bottom-6" onSubmit={submitInPlace(fetcher)}>
                  <input type="hidden" name="orderId" value={order.id} />
                  <button
                    type="submit"
                    name="intent"
                    value="approve"
                    className="govuk-button"
                    data-module="govuk-button"
                    data-prevent-double-click="true"
                    disabled={busy}
                    aria-describedby={`order-${order.id}`}
                  >
                    {deciding?.orderId === order.id && deciding.intent === 'approve' ? 'Approving…' : 'Approve order'}
                  </button>
                </fetcher.Form>
              ) : (
                <div className="govuk-inset-text">{OWN_ORDER_REASON}. You can still reject it, which withdraws it.</div>
              )}
              <fetcher.Form method="post" noValidate onSubmit={submitInPlace(fetcher)}>
                <input type="hidden" name="orderId" value={order.id} />
                <div className={`govuk-form-group${reasonError ? ' govuk-form-group--error' : ''}`}>
                  <label className="govuk-label govuk-label--s" htmlFor={reasonId}>
                    Reason for rejecting
                  </label>
                  <div className="govuk-hint" id={`${reasonId}-hint`}>
                    The business manager will see this. Up to {REASON_MAX} characters.
                  </div>
                  <ErrorMessage id={`${reasonId}-error`} error={reasonError} />
                  <textarea
                    className={`govuk-textarea${reasonError ? ' govuk-textarea--error' : ''}`}
                    id={reasonId}
                    name="reason"
                    rows={3}
                    maxLength={REASON_MAX}
                    defaultValue={values?.orderId === order.id ? values.reason : ''}
                    aria-describedby={[`${reasonId}-hint`, reasonError ? `${reasonId}-error` : ''].filter(Boolean).join(' ')}
                  />
                </div>
                <button
                  type="submit"
                  name="intent"
                  value="reject"
                  className="govuk-button govuk-button--warning"
                  data-module="govuk-button"
                  disabled={busy}
                  aria-describedby={`order-${order.id}`}
                >
                  {deciding?.orderId === order.id && deciding.intent === 'reject' ? 'Rejecting…' : 'Reject order'}
                </button>
              </fetcher.Form>
            </section>
          )
        })}
      </div>
    </div>
  )
}
