import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { shownErrors, useValidatedForm, ValidatedForm } from '~/components/validated-form'
import { ErrorMessage, ErrorSummary, TextInput } from '~/components/forms'
import { TableHead } from '~/components/table-head'
import { formatPence } from '~/domain/money'
import { allocateUnallocatedPayment, refundUnallocatedPayment } from '~/models/billing/payment-corrections.server'
import { getPayment, openInvoicesOfSchool } from '~/models/billing/payments.server'
import { actorFor } from '~/models/shared/actor.server'
import { isUuid, type FieldErrors } from '~/schemas/common'
import { parseAllocations, parseRefund } from '~/schemas/finance-corrections'
import { notFound, requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { formatDate } from '~/utils/format'

/**
 * A payment with money unallocated: allocate it to one or more of its
 * school's open invoices (an amount for each), or record that it was refunded.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['finance'])
  const paymentId = (params.paymentId ?? '').toLowerCase()
  if (!isUuid(paymentId)) throw notFound()
  const db = await getDb()
  const payment = await getPayment(db, user.authorityId, paymentId)
  if (!payment) throw notFound()
  const invoices = payment.schoolId ? await openInvoicesOfSchool(db, user.authorityId, payment.schoolId) : []
  return { payment, invoices }
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Allocate or refund a payment – ${data?.payment.schoolName ?? 'Finance'} – Buyback` },
]

type ActionData = { errors: FieldErrors; values: Record<string, string> }

/** "Allocate payment" as the action reads it: an amount for each invoice the form lists. */
function allocationsFrom(form: FormData) {
  const ids = form.getAll('invoice').filter((v): v is string => typeof v === 'string' && isUuid(v))
  return parseAllocations(form, ids)
}

// The browser checks each form with the function its action parses it with.
const checkAllocations = (form: FormData) => {
  const parsed = allocationsFrom(form)
  return parsed.ok ? null : parsed.errors
}
const checkRefund = (form: FormData) => {
  const parsed = parseRefund(form)
  return parsed.ok ? null : parsed.errors
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireRole(request, ['finance'])
  const paymentId = (params.paymentId ?? '').toLowerCase()
  if (!isUuid(paymentId)) throw notFound()
  const form = await request.formData()
  const values = Object.fromEntries([...form.entries()].filter((e): e is [string, string] => typeof e[1] === 'string'))
  const db = await getDb()
  const actor = actorFor(user, request, context)
  let result
  if (form.get('intent') === 'refund') {
    const parsed = parseRefund(form)
    if (!parsed.ok) return data<ActionData>({ errors: parsed.errors, values }, { status: 400 })
    result = await refundUnallocatedPayment(db, actor, paymentId, parsed)
  } else {
    const parsed = allocationsFrom(form)
    if (!parsed.ok) return data<ActionData>({ errors: parsed.errors, values }, { status: 400 })
    result = await allocateUnallocatedPayment(db, actor, paymentId, parsed.requests)
  }
  if (!result.ok) {
    if ('notFound' in result) throw notFound()
    return data<ActionData>({ errors: result.errors, values }, { status: 400 })
  }
  return redirect(`/finance/reconciliation?${new URLSearchParams({ resolved: result.message })}`)
}

export default function PaymentPage() {
  const { payment, invoices } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const allocateForm = useValidatedForm({ check: checkAllocations, serverErrors: actionData?.errors })
  const refundForm = useValidatedForm({ check: checkRefund, serverErrors: actionData?.errors })
  const errors = shownErrors([allocateForm, refundForm], actionData?.errors) ?? {}
  const values = actionData?.values ?? {}
  return (
    <>
      <Link to="/finance/reconciliation" className="govuk-back-link">
        Back to reconciliation
      </Link>
      <ErrorSummary errors={errors} />
      <span className="govuk-caption-l">{payment.schoolName ?? 'Payment'}</span>
      <h1 className="govuk-heading-xl">Allocate or refund a payment</h1>
      <p className="govuk-body">
        {formatPence(payment.amountPence)} received on {formatDate(payment.receivedOn)}
        {payment.reference ? `, reference ${payment.reference}` : ''}. Unallocated: <strong>{formatPence(payment.unallocatedPence)}</strong>.
      </p>

      <h2 className="govuk-heading-l" id="allocate-heading">
        Allocate to invoices
      </h2>
      {invoices.length === 0 ? (
        <p className="govuk-body">{payment.schoolName ?? 'The school'} has no invoice that still owes something.</p>
      ) : (
        <ValidatedForm form={allocateForm} method="post" noValidate>
          <input type="hidden" name="intent" value="allocate" />
          <div className={`govuk-form-group${errors.allocations ? ' govuk-form-group--error' : ''}`} id="allocations">
            <p className="govuk-body">Enter an amount for each invoice it pays, no more than it still owes; leave the others blank.</p>
            <ErrorMessage id="allocations-error" error={errors.allocations} />
            <div className="app-table-scroll" role="region" aria-labelledby="allocate-heading" tabIndex={0}>
              <table className="govuk-table app-table--compact">
                <caption className="govuk-visually-hidden">The school’s invoices that still owe something, due first at the top</caption>
                <TableHead columns={['Invoice', 'Due', { label: 'Still owed', numeric: true }, 'Amount to allocate']} />
                <tbody className="govuk-table__body">
                  {invoices.map((i) => (
                    <tr key={i.id} className="govuk-table__row">
                      <th scope="row" className="govuk-table__header app-nowrap">
                        <input type="hidden" name="invoice" value={i.id} />
                        <Link className="govuk-link" to={`/finance/invoices/${i.id}`}>
                          {i.number}
                        </Link>
                      </th>
                      <td className="govuk-table__cell">{formatDate(i.dueOn)}</td>
                      <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(i.outstandingPence)}</td>
                      <td className="govuk-table__cell">
                        <TextInput
                          name={`amount-${i.id}`}
                          label={<span className="govuk-visually-hidden">Amount to allocate to {i.number}</span>}
                          prefix="£"
                          width={10}
                          inputMode="decimal"
                          defaultValue={values[`amount-${i.id}`]}
                          error={errors[`amount-${i.id}`]}
                          formGroupClassName="govuk-!-margin-bottom-0"
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
          <button type="submit" className="govuk-button">
            Allocate payment
          </button>
        </ValidatedForm>
      )}

      <h2 className="govuk-heading-l">Record a refund</h2>
      <ValidatedForm form={refundForm} method="post" noValidate>
        <input type="hidden" name="intent" value="refund" />
        <TextInput
          name="refundAmount"
          label="Amount refunded"
          labelSize="s"
          hint={`No more than ${formatPence(payment.unallocatedPence)}, what is unallocated`}
          prefix="£"
          width={10}
          inputMode="decimal"
          defaultValue={values.refundAmount}
          error={errors.refundAmount}
        />
        <div className={`govuk-form-group${errors.refundReason ? ' govuk-form-group--error' : ''}`}>
          <label className="govuk-label govuk-label--s" htmlFor="refundReason">
            Reason for the refund
          </label>
          <ErrorMessage id="refundReason-error" error={errors.refundReason} />
          <textarea
            className={`govuk-textarea${errors.refundReason ? ' govuk-textarea--error' : ''}`}
            id="refundReason"
            name="refundReason"
            rows={2}
            maxLength={500}
            defaultValue={values.refundReason}
            aria-describedby={errors.refundReason ? 'refundReason-error' : undefined}
          />
        </div>
        <button type="submit" className="govuk-button govuk-button--secondary">
          Record refund
        </button>
      </ValidatedForm>
    </>
  )
}
