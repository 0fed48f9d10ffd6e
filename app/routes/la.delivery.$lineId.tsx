import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { ErrorMessage, ErrorSummary, TextInput } from '~/components/forms'
import { SuccessBanner } from '~/components/success-banner'
import { useValidatedForm, ValidatedForm } from '~/components/validated-form'
import { SummaryRow } from '~/components/summary-list'
import { TableHead } from '~/components/table-head'
import { clock } from '~/utils/clock'
import { tradingYearBounds } from '~/domain/trading-year'
import { getDeliveryLine, recordDelivery } from '~/models/ordering/delivery.server'
import { staffScopeFor } from '~/models/shared/access-scope.server'
import { DELIVERY_FIELDS, deliverySchema, deliveryValuesFrom, type DeliveryValues } from '~/schemas/delivery'
import { getRequestAuthority } from '~/utils/authority.server'
import { forbidden, notFound, requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { formatDate } from '~/utils/format'
import { type FieldErrors, isUuid } from '~/schemas/common'

async function lineFor(request: Request, lineIdParam: string | undefined) {
  const user = await requireRole(request, ['service_lead', 'la_admin'])
  const scope = staffScopeFor(user)
  if (!scope) throw forbidden()
  const lineId = (lineIdParam ?? '').toLowerCase()
  if (!isUuid(lineId)) throw notFound()
  const db = await getDb()
  const line = await getDeliveryLine(db, scope, lineId)
  if (!line) throw notFound()
  return { user, scope, line, db }
}

/** What the form's schema is built from, in the action and (sent by the loader) in the browser. */
async function schemaOptionsFor({ request, user, line, db }: Awaited<ReturnType<typeof lineFor>> & { request: Request }) {
  const authority = await getRequestAuthority(db, request, user)
  const earliest = tradingYearBounds(line.tradingYear, authority.financialYearStartMonth).start.toISOString().slice(0, 10)
  return {
    hoursPerUnit: line.hoursPerUnit,
    today: clock.today(),
    earliest,
    ...(line.cluster ? { memberSchoolIds: line.cluster.members.map((m) => m.id) } : {}),
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const found = await lineFor(request, params.lineId)
  const recorded = new URL(request.url).searchParams.get('recorded')
  return {
    line: found.line,
    schemaOptions: await schemaOptionsFor({ ...found, request }),
    recorded: recorded === 'over' ? ('over' as const) : recorded === '1' ? ('yes' as const) : null,
  }
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

type ActionData = { errors: FieldErrors; values: DeliveryValues }

export async function action({ request, params }: ActionFunctionArgs) {
  const found = await lineFor(request, params.lineId)
  const { user, scope, line, db } = found
  const values = deliveryValuesFrom(await request.formData())
  const parsed = deliverySchema(await schemaOptionsFor({ ...found, request })).safeParse(values)
  if (!parsed.success) {
    const errors: FieldErrors = {}
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'units')
      errors[field] ??= issue.message
    }
    return data<ActionData>({ errors, values }, { status: 400 })
  }
  const result = await recordDelivery(db, scope, user.id, line.id, parsed.data)
  if (!result.ok) {
    if ('notFound' in result) throw notFound()
    return data<ActionData>({ errors: result.errors, values }, { status: 400 })
  }
  return redirect(`/la/delivery/${line.id}?recorded=${result.overBought ? 'over' : '1'}`)
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Record delivery – ${data.line.serviceName} – ${data.line.schoolName} – Buyback` : 'Page not found – Buyback' },
]

export default function RecordDelivery() {
  const { line, schemaOptions, recorded } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  const form = useValidatedForm({
    schema: deliverySchema(schemaOptions),
    values: deliveryValuesFrom,
    serverErrors: actionData?.errors,
    // As the action does: an issue for no one field is the units'.
    key: (name) => (name === 'form' ? 'units' : name),
  })
  const errors = form.errors
  const values = actionData?.values
  const dateError = errors?.['deliveredOn-day'] ?? errors?.['deliveredOn-month'] ?? errors?.['deliveredOn-year']
  const onDelivery = line.invoiceSchedule === 'on_delivery'
  const left = Math.max(0, line.quantity - line.usedUnits)
  return (
    <>
      <Link to="/la/delivery" className="govuk-back-link">
        Back to delivery
      </Link>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} order={[...DELIVERY_FIELDS]} />
          {recorded && !actionData ? (
            <SuccessBanner titleId="recorded-title" heading="Delivery recorded">
              <p className="govuk-body">
                {line.usedText}.
                {recorded === 'over'
                  ? ' This is more than the school bought: it is billed on delivery, so the school is charged for what was delivered.'
                  : ''}
              </p>
            </SuccessBanner>
          ) : null}
          <span className="govuk-caption-l">
            {line.schoolName}, order {line.reference}
          </span>
          <h1 className="govuk-heading-l">Record delivery</h1>
          <dl className="govuk-summary-list">
            <SummaryRow label="Service">
              {line.serviceName}: {line.offerName}
            </SummaryRow>
            <SummaryRow label="Used">{line.usedText}</SummaryRow>
            <SummaryRow label="Period">
              {formatDate(line.periodStart)} to {formatDate(line.periodEnd)}
            </SummaryRow>
          </dl>
          {onDelivery ? (
            <div className="govuk-inset-text">
              This service is billed on delivery: you can record more than the school bought, and the school is charged for what is delivered.
            </div>
          ) : null}

          <ValidatedForm form={form} method="post" noValidate>
            <div className={`govuk-form-group${dateError ? ' govuk-form-group--error' : ''}`}>
              <fieldset className="govuk-fieldset" role="group" aria-describedby={`deliveredOn-hint${dateError ? ' deliveredOn-error' : ''}`}>
                <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Date delivered</legend>
                <div className="govuk-hint" id="deliveredOn-hint">
                  For example, 27 3 2027
                </div>
                <ErrorMessage id="deliveredOn-error" error={dateError} />
                <div className="govuk-date-input" id="deliveredOn">
                  {(
                    [
                      ['day', 'Day', 2, values?.day],
                      ['month', 'Month', 2, values?.month],
                      ['year', 'Year', 4, values?.year],
                    ] as const
                  ).map(([part, label, width, value]) => {
                    const id = `deliveredOn-${part}`
                    return (
                      <div key={part} className="govuk-date-input__item">
                        <div className="govuk-form-group">
                          <label className="govuk-label govuk-date-input__label" htmlFor={id}>
                            {label}
                          </label>
                          <input
                            className={`govuk-input govuk-date-input__input govuk-input--width-${width}${errors?.[id] || (dateError && !errors?.['deliveredOn-month'] && !errors?.['deliveredOn-year']) ? ' govuk-input--error' : ''}`}
                            id={id}
                            name={id}
                            type="text"
                            inputMode="numeric"
                            defaultValue={value ?? ''}
                          />
                        </div>
                      </div>
                    )
                  })}
                </div>
              </fieldset>
            </div>
            {line.cluster ? (
              <div className={`govuk-form-group${errors?.schoolId ? ' govuk-form-group--error' : ''}`}>
                <label className="govuk-label govuk-label--s" htmlFor="schoolId">
                  School
                </label>
                <div className="govuk-hint" id="schoolId-hint">
                  The school in {line.cluster.name} this was for. The block’s price is shared by what each school used.
                </div>
                <ErrorMessage id="schoolId-error" error={errors?.schoolId} />
                <select
                  className={`govuk-select${errors?.schoolId ? ' govuk-select--error' : ''}`}
                  id="schoolId"
                  name="schoolId"
                  defaultValue={values?.schoolId ?? ''}
                  aria-describedby={['schoolId-hint', errors?.schoolId ? 'schoolId-error' : ''].filter(Boolean).join(' ')}
                >
                  <option value="">Choose a school</option>
                  {line.cluster.members.map((m) => (
                    <option key={m.id} value={m.id}>
                      {m.name}
                    </option>
                  ))}
                </select>
              </div>
            ) : null}
            <TextInput
              name="units"
              label={`Units delivered (${line.unitOther})`}
              labelSize="s"
              hint={
                onDelivery
                  ? 'Whole or half units, like 1 or 0.5'
                  : `Whole or half units, like 1 or 0.5. Up to ${Number.isInteger(left) ? left : left.toFixed(1)} more can be recorded on this order.`
              }
              inputMode="decimal"
              width={10}
              defaultValue={values?.units}
              error={errors?.units}
            />
            <TextInput
              name="hours"
              label="Hours (optional)"
              labelSize="s"
              hint={`Leave empty for ${line.hoursPerUnit} hours per ${line.unitOne}`}
              inputMode="decimal"
              width={10}
              defaultValue={values?.hours}
              error={errors?.hours}
            />
            <TextInput
              name="practitioner"
              label="Practitioner"
              labelSize="s"
              hint="Who delivered it"
              autoComplete="off"
              width={30}
              maxLength={200}
              defaultValue={values?.practitioner}
              error={errors?.practitioner}
            />
            <div className={`govuk-form-group${errors?.note ? ' govuk-form-group--error' : ''}`}>
              <label className="govuk-label govuk-label--s" htmlFor="note">
                Note (optional)
              </label>
              <ErrorMessage id="note-error" error={errors?.note} />
              <textarea
                className={`govuk-textarea${errors?.note ? ' govuk-textarea--error' : ''}`}
                id="note"
                name="note"
                rows={3}
                maxLength={1000}
                defaultValue={values?.note}
                aria-describedby={errors?.note ? 'note-error' : undefined}
              />
            </div>
            <button type="submit" className="govuk-button" data-module="govuk-button" disabled={busy}>
              Record delivery
            </button>
          </ValidatedForm>

          {line.records.length > 0 ? (
            <table className="govuk-table">
              <caption className="govuk-table__caption govuk-table__caption--m">Delivery recorded</caption>
              <TableHead
                columns={[
                  'Date',
                  ...(line.cluster ? ['School'] : []),
                  { label: 'Units', numeric: true },
                  { label: 'Hours', numeric: true },
                  'Practitioner',
                ]}
              />
              <tbody className="govuk-table__body">
                {line.records.map((r) => (
                  <tr key={r.id} className="govuk-table__row">
                    <td className="govuk-table__cell">{formatDate(r.deliveredOn)}</td>
                    {line.cluster ? <td className="govuk-table__cell">{r.schoolName ?? 'Not named'}</td> : null}
                    <td className="govuk-table__cell govuk-table__cell--numeric">{r.units}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{r.hours}</td>
                    <td className="govuk-table__cell">
                      {r.practitioner}
                      {r.note ? <span className="app-table__secondary">{r.note}</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
      </div>
    </>
  )
}
