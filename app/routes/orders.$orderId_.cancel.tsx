import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { z } from 'zod'
import { ErrorSummary } from '~/components/forms'
import { TableHead } from '~/components/table-head'
import { ImportantBanner } from '~/components/important-banner'
import { clock } from '~/utils/clock'
import { formatPence } from '~/domain/money'
import { cancellationPreview, cancelOrder } from '~/models/ordering/cancellation.server'
import { ORDER_STATUS_TAGS } from '~/schemas/order-labels'
import { notFound, requireSchoolUser } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { formatDate } from '~/utils/format'
import { quantityText } from '~/domain/quantities'
import { type FieldErrors, isUuid, UUID_PATTERN } from '~/schemas/common'
import { SubmitOnceForm } from '~/components/validated-form'
import type { SchoolActor } from '~/models/shared/actor.server'

/** The confirmation form: an explicit "yes", the charge the user was shown, and the one line chosen (none: the whole order). */
const cancelSchema = z.object({
  confirm: z.literal('yes', { error: 'Confirm that you want to cancel the order' }),
  feePence: z.coerce.number().int().min(0).optional(),
  lineId: z.string().regex(UUID_PATTERN).optional(),
})

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireSchoolUser(request)
  const orderId = (params.orderId ?? '').toLowerCase()
  if (!isUuid(orderId)) throw notFound()
  const preview = await cancellationPreview(await getDb(), user, orderId, clock.today())
  if (!preview) throw notFound()
  return { order: preview }
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

type ActionData = { errors?: FieldErrors; notice?: string }

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireSchoolUser(request)
  const orderId = (params.orderId ?? '').toLowerCase()
  if (!isUuid(orderId)) throw notFound()
  const db = await getDb()
  // Another school's order answers as a missing one, whatever the form says.
  if (!(await cancellationPreview(db, schoolActor(user), orderId, clock.today()))) throw notFound()
  const form = await request.formData()
  const parsed = cancelSchema.safeParse({
    confirm: form.get('confirm') ?? undefined,
    feePence: form.get('feePence') || undefined,
    lineId: form.get('lineId') || undefined,
  })
  if (!parsed.success) {
    return data<ActionData>({ errors: { confirm: 'Confirm that you want to cancel the order' } }, { status: 400 })
  }
  const result = await cancelOrder(db, schoolActor(user), orderId, {
    today: clock.today(),
    expectedFeePence: parsed.data.feePence,
    lineId: parsed.data.lineId,
  })
  if (!result.ok) {
    if ('notFound' in result) throw notFound()
    if ('feeChanged' in result) {
      return data<ActionData>(
        {
          notice: `What cancelling charges has changed: it now charges ${formatPence(result.feePence)}. Nothing was cancelled. Check the lines below and confirm again.`,
        },
        { status: 409 },
      )
    }
    return data<ActionData>({ notice: 'Nothing on this order can be cancelled now: nothing was changed.' }, { status: 409 })
  }
  return redirect(`/orders/${orderId}?cancelled=${result.cancelled.length}`)
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Cancel order ${data.order.reference} – Buyback` : 'Page not found – Buyback' },
]

export default function CancelOrder() {
  const { order } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  const kept = order.lines.filter((l) => !l.decision.cancellable)
  const delivered = kept.filter((l) => !l.decision.cancellable && l.decision.reason === 'delivered')
  return (
    <>
      <Link to={`/orders/${order.id}`} className="govuk-back-link">
        Back to order {order.reference}
      </Link>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={actionData?.errors} />
          {actionData?.notice ? <ImportantBanner titleId="notice-title">{actionData.notice}</ImportantBanner> : null}
          <span className="govuk-caption-l">Order {order.reference}</span>
          <h1 className="govuk-heading-l">Cancel order</h1>

          {order.cancellable.length === 0 ? (
            <>
              <p className="govuk-body">Nothing on this order can be cancelled now.</p>
              {delivered.length > 0 ? (
                <p className="govuk-body">Every line that is still open has been delivered in full, and delivered work stays on the order.</p>
              ) : (
                <p className="govuk-body">Every line is already cancelled, rejected or completed.</p>
              )}
              <p className="govuk-body">
                <Link className="govuk-link" to={`/orders/${order.id}`}>
                  Return to order {order.reference}
                </Link>
              </p>
            </>
          ) : (
            <>
              <table className="govuk-table">
                <caption className="govuk-table__caption govuk-table__caption--m">
                  {order.cancellable.length === 1 ? 'This line can be cancelled' : `These ${order.cancellable.length} lines can be cancelled`}
                </caption>
                <TableHead
                  columns={[
                    'Service',
                    'Starts',
                    { label: 'Charged', numeric: true },
                    { label: <span className="govuk-visually-hidden">Cancel one line</span> },
                  ]}
                />
                <tbody className="govuk-table__body">
                  {order.cancellable.map((line) =>
                    line.decision.cancellable ? (
                      <tr key={line.id} className="govuk-table__row">
                        <th scope="row" className="govuk-table__header">
                          {line.serviceName}
                          <span className="app-table__secondary">
                            {line.offerName}, {quantityText(line.quantity, line.unitOne, line.unitOther)},{' '}
                            {ORDER_STATUS_TAGS[line.status].label.toLowerCase()}
                          </span>
                        </th>
                        <td className="govuk-table__cell">{formatDate(line.decision.startsOn)}</td>
                        <td className="govuk-table__cell govuk-table__cell--numeric">
                          {line.decision.chargePence > 0 ? formatPence(line.decision.chargePence) : 'Free'}
                          {line.decision.parts.map((part) => (
                            <span key={part.kind} className="app-table__secondary">
                              {part.words}
                            </span>
                          ))}
                        </td>
                        <td className="govuk-table__cell">
                          {order.cancellable.length > 1 ? (
                            <SubmitOnceForm method="post" noValidate>
                              <input type="hidden" name="confirm" value="yes" />
                              <input type="hidden" name="lineId" value={line.id} />
                              <input type="hidden" name="feePence" value={line.decision.chargePence} />
                              <button type="submit" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" disabled={busy}>
                                Cancel this line
                                <span className="govuk-visually-hidden">
                                  : {line.serviceName}, {line.offerName}
                                </span>
                              </button>
                            </SubmitOnceForm>
                          ) : null}
                        </td>
                      </tr>
                    ) : null,
                  )}
                </tbody>
              </table>

              {order.feePence > 0 ? (
                <p className="govuk-body govuk-!-font-weight-bold" id="fee">
                  Cancelling {order.cancellable.length > 1 ? 'the whole order' : 'now'} charges {formatPence(order.feePence)}: what was delivered,
                  terms begun and late fees, as shown above. Whatever was invoiced beyond that is credited.
                </p>
              ) : (
                <p className="govuk-body govuk-!-font-weight-bold" id="fee">
                  Cancelling now is free.
                </p>
              )}

              {delivered.length > 0 ? (
                <div className="govuk-inset-text">
                  {delivered.length === 1 ? 'One line stays' : `${delivered.length} lines stay`} on the order because{' '}
                  {delivered.length === 1 ? 'it has' : 'they have'} been delivered in full:{' '}
                  {delivered.map((l) => `${l.serviceName} (${l.offerName})`).join(', ')}.
                </div>
              ) : null}

              <div className="govuk-warning-text">
                <span className="govuk-warning-text__icon" aria-hidden="true">
                  !
                </span>
                <strong className="govuk-warning-text__text">
                  <span className="govuk-visually-hidden">Warning</span>
                  You cannot undo this. The team’s time is offered to other schools straight away.
                </strong>
              </div>

              <SubmitOnceForm method="post" noValidate>
                <input type="hidden" name="confirm" value="yes" id="confirm" />
                <input type="hidden" name="feePence" value={order.feePence} />
                <div className="govuk-button-group">
                  <button
                    type="submit"
                    className="govuk-button govuk-button--warning"
                    data-module="govuk-button"
                    data-prevent-double-click="true"
                    disabled={busy}
                  >
                    Cancel order
                  </button>
                  <Link className="govuk-link" to={`/orders/${order.id}`}>
                    Keep the order
                  </Link>
                </div>
              </SubmitOnceForm>
            </>
          )}
        </div>
      </div>
    </>
  )
}

function schoolActor(user: { id: string; authorityId: string; schoolId: string }): SchoolActor {
  return { userId: user.id, authorityId: user.authorityId, schoolId: user.schoolId }
}
