import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useState } from 'react'
import { useValidatedForm, ValidatedForm } from '~/components/validated-form'
import { DateInput } from '~/components/date-input'
import { ErrorMessage, ErrorSummary, SelectField, TextInput } from '~/components/forms'
import { clock } from '~/utils/clock'
import { formatPence } from '~/domain/money'
import { openInvoicesOfSchool, recordRemittance, remittanceSchools } from '~/models/billing/payments.server'
import {
  amountInput,
  EMPTY_REMITTANCE,
  MAX_REFERENCE,
  REMITTANCE_FIELDS,
  remittanceSchema,
  remittanceValuesFrom,
  type RemittanceValues,
} from '~/schemas/finance'
import { FINANCE_ROUTE_NAMES } from '~/schemas/order-labels'
import { requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { formatDate } from '~/utils/format'
import { fieldErrors, type FieldErrors, isUuid } from '~/schemas/common'
import { actorFor } from '~/models/shared/actor.server'

const PATH = '/finance/reconciliation/remittance'

/**
 * Record a BACS remittance: first the school (a GET form, so that the page
 * works without JavaScript), then the amount, the date, the reference and
 * which of the school's invoices it pays. From an invoice's page the school
 * and that invoice come chosen, with what it still owes as the amount.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['finance'])
  const db = await getDb()
  const params = new URL(request.url).searchParams
  const schools = await remittanceSchools(db, user.authorityId)
  const schoolParam = (params.get('school') ?? '').toLowerCase()
  const school = isUuid(schoolParam) ? (schools.find((s) => s.id === schoolParam) ?? null) : null
  const invoices = school ? await openInvoicesOfSchool(db, user.authorityId, school.id) : []
  const invoiceParam = (params.get('invoice') ?? '').toLowerCase()
  const preselected = invoices.find((i) => i.id === invoiceParam)
  const defaults: RemittanceValues = {
    ...EMPTY_REMITTANCE,
    school: school?.id ?? '',
    amount: preselected ? amountInput(preselected.outstandingPence) : '',
    invoices: preselected ? [preselected.id] : [],
    tickOrder: preselected ? preselected.id : '',
  }
  return {
    schools,
    school,
    // Continuing without choosing (?school=) or with a school that is not one of the list.
    schoolError: params.has('school') && !school ? 'Select the school that paid' : undefined,
    invoices,
    defaults,
    // The day the action's schema is built for, so the browser builds the same one.
    today: clock.today(),
  }
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.schoolError ? 'Error: ' : ''}Record a BACS remittance – Finance – Buyback` },
]

type ActionData = { errors: FieldErrors; values: RemittanceValues }

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, ['finance'])
  const values = remittanceValuesFrom(await request.formData())
  const parsed = remittanceSchema(clock.today()).safeParse(values)
  if (!parsed.success) {
    return data<ActionData>({ errors: fieldErrors(parsed.error.issues), values }, { status: 400 })
  }
  try {
    const result = await recordRemittance(await getDb(), actorFor(user, request, context), parsed.data)
    if (!result.ok) return data<ActionData>({ errors: result.errors, values }, { status: 400 })
    return redirect(`/finance/reconciliation?recorded=${result.payment.paymentId}`)
  } catch (error) {
    const code = (error as { code?: string } | null)?.code
    if (code === '55P03' || code === '40P01') {
      return data<ActionData>(
        { errors: { invoices: 'Someone else is changing these invoices. Nothing has been recorded: try again in a moment.' }, values },
        { status: 503 },
      )
    }
    throw error
  }
}

export default function RecordRemittance() {
  const { schools, school, schoolError, invoices, defaults, today } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const form = useValidatedForm({ schema: remittanceSchema(today), values: remittanceValuesFrom, serverErrors: actionData?.errors })
  const errors = form.errors
  const values = actionData?.values ?? defaults
  const [tickOrder, setTickOrder] = useState<string[]>(() => values.tickOrder.split(',').filter(Boolean))
  const dateError = errors?.receivedOnDay ?? errors?.receivedOnMonth ?? errors?.receivedOnYear
  const dateFields = (['Day', 'Month', 'Year'] as const).filter((p) => errors?.[`receivedOn${p}`])

  return (
    <>
      <Link to="/finance/reconciliation" className="govuk-back-link">
        Back to reconciliation
      </Link>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errors ?? (schoolError ? { school: schoolError } : undefined)} order={[...REMITTANCE_FIELDS]} />
          <span className="govuk-caption-l">Reconciliation</span>
          <h1 className="govuk-heading-l">Record a BACS remittance</h1>

          {!school ? (
            <Form method="get" action={PATH} noValidate>
              <SelectField
                name="school"
                label="Which school paid?"
                labelSize="m"
                hint="Schools that still owe something show how much"
                value=""
                error={schoolError}
                options={[
                  { value: '', label: 'Select a school' },
                  ...schools.map((s) => ({
                    value: s.id,
                    label: `${s.name} (URN ${s.urn})${s.outstandingPence > 0 ? `, owes ${formatPence(s.outstandingPence)}` : ''}`,
                  })),
                ]}
              />
              <button type="submit" className="govuk-button">
                Continue
              </button>
            </Form>
          ) : (
            <ValidatedForm form={form} method="post" action={`${PATH}?school=${school.id}`} noValidate>
              <input type="hidden" name="school" value={school.id} />
              <input type="hidden" name="tickOrder" value={tickOrder.join(',')} />
              <dl className="govuk-summary-list">
                <div className="govuk-summary-list__row">
                  <dt className="govuk-summary-list__key">School</dt>
                  <dd className="govuk-summary-list__value" id="school">
                    {school.name}
                    <br />
                    URN {school.urn}
                  </dd>
                  <dd className="govuk-summary-list__actions">
                    <Link className="govuk-link" to={PATH}>
                      Change<span className="govuk-visually-hidden"> school</span>
                    </Link>
                  </dd>
                </div>
              </dl>
              {errors?.school ? <ErrorMessage id="school-error" error={errors.school} /> : null}

              <TextInput
                name="amount"
                label="Amount received"
                labelSize="m"
                hint="In pounds, like 1250 or 1250.50"
                prefix="£"
                inputMode="decimal"
                width={10}
                maxLength={30}
                defaultValue={values.amount}
                error={errors?.amount}
              />
              <DateInput
                name="receivedOn"
                legend="Date received"
                hint="The day the money reached the council’s bank account, for example 20 11 2026"
                values={{ day: values.receivedOnDay, month: values.receivedOnMonth, year: values.receivedOnYear }}
                error={dateError}
                errorFields={dateFields}
              />
              <TextInput
                name="reference"
                label="Remittance reference"
                labelSize="m"
                hint="As it appears on the remittance advice or the bank statement"
                width={20}
                maxLength={MAX_REFERENCE + 20}
                spellCheck={false}
                defaultValue={values.reference}
                error={errors?.reference}
              />

              <div className={`govuk-form-group${errors?.invoices ? ' govuk-form-group--error' : ''}`}>
                <fieldset
                  className="govuk-fieldset"
                  aria-describedby={['invoices-hint', errors?.invoices ? 'invoices-error' : null].filter(Boolean).join(' ')}
                >
                  <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">Which invoices does it pay?</legend>
                  <div className="govuk-hint" id="invoices-hint">
                    {invoices.length > 0
                      ? 'The amount pays the invoices you select in the order you select them, each in full before the next. Anything left over is kept as unallocated, for you to resolve. If the remittance does not say, select none.'
                      : `${school.name} has no invoices to pay: the whole amount will be kept as unallocated, for you to resolve.`}
                  </div>
                  <ErrorMessage id="invoices-error" error={errors?.invoices} />
                  {invoices.length > 0 ? (
                    <div className="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
                      {invoices.map((invoice, i) => {
                        const id = i === 0 ? 'invoices' : `invoices-${invoice.id}`
                        return (
                          <div key={invoice.id} className="govuk-checkboxes__item">
                            <input
                              className="govuk-checkboxes__input"
                              id={id}
                              name="invoices"
                              type="checkbox"
                              value={invoice.id}
                              defaultChecked={values.invoices.includes(invoice.id)}
                              aria-describedby={`${id}-item-hint`}
                              onChange={(event) => {
                                const checked = event.currentTarget.checked
                                setTickOrder((order) => [...order.filter((x) => x !== invoice.id), ...(checked ? [invoice.id] : [])])
                              }}
                            />
                            <label className="govuk-label govuk-checkboxes__label" htmlFor={id}>
                              {invoice.number}: {formatPence(invoice.outstandingPence)} owed
                            </label>
                            <div className="govuk-hint govuk-checkboxes__hint" id={`${id}-item-hint`}>
                              {invoice.status === 'uncollectible' ? 'Written off. ' : ''}Issued {formatDate(invoice.issuedAt)}, due{' '}
                              {formatDate(invoice.dueOn)}, {FINANCE_ROUTE_NAMES[invoice.route].toLowerCase()} of {formatPence(invoice.grossPence)}
                            </div>
                          </div>
                        )
                      })}
                    </div>
                  ) : null}
                </fieldset>
              </div>

              <button type="submit" className="govuk-button" disabled={navigation.state === 'submitting'}>
                Record remittance
              </button>
            </ValidatedForm>
          )}
        </div>
      </div>
    </>
  )
}
