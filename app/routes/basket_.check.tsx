import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useEffect, useRef } from 'react'
import { BasketTotals, whenText } from '~/components/basket'
import { quantityText } from '~/domain/quantities'
import { SummaryRow } from '~/components/summary-list'
import { formatPence } from '~/domain/money'
import { getBasket, getBasketSchool } from '~/models/ordering/basket.server'
import { unitsLeftForLines } from '~/models/ordering/capacity-left.server'
import { CapacityChoiceForm } from '~/components/capacity-choice'
import { SubmitOnceForm } from '~/components/validated-form'
import { submitBasket, type PriceChange } from '~/models/ordering/place-order.server'
import { SubmitOrderSchema } from '~/schemas/basket'
import { notFound, requireSchoolUser } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { isNotFound } from '~/models/shared/results'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireSchoolUser(request)
  const db = await getDb()
  const actor = { authorityId: user.authorityId, schoolId: user.schoolId }
  const [basket, school] = await Promise.all([getBasket(db, actor), getBasketSchool(db, actor)])
  // Nothing to check: back to the (empty) basket.
  if (!basket || basket.lines.length === 0) throw redirect('/basket')
  const unitsLeft = await unitsLeftForLines(
    db,
    user.authorityId,
    basket.lines.map((l) => ({ ...l, courseId: l.course?.id })),
  )
  return { basket, school, unitsLeft }
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction = () => [{ title: 'Check your order – Buyback' }]

type ActionData = { kind: 'prices_changed'; changes: PriceChange[] } | { kind: 'problem'; field: string; message: string }

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireSchoolUser(request)
  const form = await request.formData()
  const basketId = form.get('basketId')
  const parsed = SubmitOrderSchema.safeParse({ intent: form.get('intent'), basketId: typeof basketId === 'string' ? basketId : '' })
  if (!parsed.success) {
    return data<ActionData>({ kind: 'problem', field: 'basket', message: 'Your basket has changed: check it again' }, { status: 400 })
  }
  const db = await getDb()
  const result = await submitBasket(db, { authorityId: user.authorityId, schoolId: user.schoolId, userId: user.id }, parsed.data.basketId)
  if (isNotFound(result)) throw notFound()
  switch (result.kind) {
    case 'submitted':
    case 'already_submitted':
      return redirect(`/basket/confirmation/${result.orderId}`, 303)
    case 'prices_changed':
      return data<ActionData>({ kind: 'prices_changed', changes: result.changes }, { status: 409 })
    case 'problem':
      return data<ActionData>({ kind: 'problem', field: result.field, message: result.message }, { status: 400 })
  }
}

/** Where to put a problem right: the field on the basket page. */
function fixLink(field: string): string {
  if (field === 'poNumber') return '/basket#poNumber'
  if (field.startsWith('quantity-')) return `/basket#line-${field.slice('quantity-'.length)}`
  return '/basket'
}

export default function CheckPage() {
  const { basket, school, unitsLeft } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const needsApproval = basket.grossPence >= school.approvalLimitPence
  const alert = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (actionData) alert.current?.focus()
  }, [actionData])
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <Link to="/basket" className="govuk-back-link">
          Back to your basket
        </Link>
        {actionData?.kind === 'problem' ? (
          <div className="govuk-error-summary" data-module="govuk-error-summary" ref={alert} tabIndex={-1}>
            <div role="alert">
              <h2 className="govuk-error-summary__title">There is a problem</h2>
              <div className="govuk-error-summary__body">
                <ul className="govuk-list govuk-error-summary__list">
                  <li>
                    <a href={fixLink(actionData.field)}>{actionData.message}</a>
                  </li>
                </ul>
              </div>
            </div>
          </div>
        ) : null}
        {actionData?.kind === 'prices_changed' ? (
          <div
            className="govuk-notification-banner"
            role="alert"
            aria-labelledby="prices-changed-title"
            data-module="govuk-notification-banner"
            ref={alert}
            tabIndex={-1}
          >
            <div className="govuk-notification-banner__header">
              <h2 className="govuk-notification-banner__title" id="prices-changed-title">
                Important
              </h2>
            </div>
            <div className="govuk-notification-banner__content">
              <h3 className="govuk-notification-banner__heading">Prices have changed since you added them</h3>
              <ul className="govuk-list">
                {actionData.changes.map((c) => (
                  <li key={c.lineId}>
                    The price of {c.description} has changed from {formatPence(c.fromPence)} to {formatPence(c.toPence)}.
                  </li>
                ))}
              </ul>
              <p className="govuk-body">Your order has not been submitted. Check the new prices below, then submit it again.</p>
            </div>
          </div>
        ) : null}

        <span className="govuk-caption-l">{school.name}</span>
        <h1 className="govuk-heading-xl">Check your order before submitting it</h1>

        {basket.lines.map((line) => (
          <div className="govuk-summary-card" key={line.id}>
            <div className="govuk-summary-card__title-wrapper">
              <h2 className="govuk-summary-card__title">
                {line.serviceName}: {line.offerName}
              </h2>
              <ul className="govuk-summary-card__actions">
                <li className="govuk-summary-card__action">
                  <Link className="govuk-link" to={`/basket#line-${line.id}`}>
                    Change<span className="govuk-visually-hidden"> {line.offerName}</span>
                  </Link>
                </li>
              </ul>
            </div>
            <div className="govuk-summary-card__content">
              <dl className="govuk-summary-list">
                <SummaryRow label={line.course ? 'Course' : 'Period'}>{whenText(line)}</SummaryRow>
                <SummaryRow label="Quantity">{quantityText(line.quantity, line.unitOne, line.unitOther)}</SummaryRow>
                <SummaryRow label="Unit price">{formatPence(line.unitPricePence)}</SummaryRow>
                <SummaryRow label="Total">
                  {formatPence(line.grossPence)}
                  <span className="govuk-body-s app-table__secondary">{line.priceExplanation}</span>
                </SummaryRow>
              </dl>
              {unitsLeft[line.id] !== undefined ? <CapacityChoiceForm line={line} left={unitsLeft[line.id]!} returnTo="check" /> : null}
            </div>
          </div>
        ))}

        <h2 className="govuk-heading-m">Order details</h2>
        <dl className="govuk-summary-list">
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Purchase order number</dt>
            <dd className="govuk-summary-list__value">{basket.poNumber ?? 'None given'}</dd>
            <dd className="govuk-summary-list__actions">
              <Link className="govuk-link" to="/basket#poNumber">
                Change<span className="govuk-visually-hidden"> purchase order number</span>
              </Link>
            </dd>
          </div>
        </dl>

        <h2 className="govuk-heading-m">Total</h2>
        <BasketTotals netPence={basket.netPence} vatPence={basket.vatPence} grossPence={basket.grossPence} />

        {needsApproval ? (
          <div className="govuk-warning-text">
            <span className="govuk-warning-text__icon" aria-hidden="true">
              !
            </span>
            <strong className="govuk-warning-text__text">
              <span className="govuk-visually-hidden">Warning</span>
              Your headteacher must approve this order because it is {formatPence(school.approvalLimitPence)} or more.
            </strong>
          </div>
        ) : null}

        <h2 className="govuk-heading-m">Now submit your order</h2>
        <p className="govuk-body">
          {needsApproval
            ? 'When you submit it, we will ask your headteacher to approve it. The team reserves its time once it is approved.'
            : 'When you submit it, the team reserves its time for you straight away if it has room, or puts you on its waiting list.'}
        </p>
        {/* No fields to check: a second press while the order is being sent does nothing. */}
        <SubmitOnceForm method="post">
          <input type="hidden" name="intent" value="submit" />
          <input type="hidden" name="basketId" value={basket.id} />
          <button type="submit" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
            Submit order
          </button>
        </SubmitOnceForm>
      </div>
    </div>
  )
}
