import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useValidatedForm, ValidatedForm } from '~/components/validated-form'
import { clock } from '~/utils/clock'
import { ErrorMessage, ErrorSummary, Radios, TextInput } from '~/components/forms'
import { PoNumberCheckbox, SchoolContactFields, SchoolIdentityFields, SchoolTypeRadios } from '~/components/school-fields'
import { SummaryRow } from '~/components/summary-list'
import { getSchool, saveSchool } from '~/models/admin/schools.server'
import { FINANCE_ROUTE_NAMES, penceToPoundsInput, SCHOOL_TYPE_NAMES } from '~/schemas/admin'
import { SCHOOL_EDIT_FIELDS, schoolEditSchema, schoolEditValuesFrom, type SchoolEditValues } from '~/schemas/schools'
import { notFound, requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { formatDate, phaseName } from '~/utils/format'
import { type FieldErrors, isUuid } from '~/schemas/common'
import { actorFor } from '~/models/shared/actor.server'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const schoolId = params.schoolId ?? ''
  if (!isUuid(schoolId)) throw notFound()
  const school = await getSchool(await getDb(), user.authorityId, schoolId)
  if (!school) throw notFound()
  const [year = '', month = '', day = ''] = school.convertedToAcademyOn?.split('-') ?? []
  const values: SchoolEditValues = {
    urn: school.urn,
    name: school.name,
    phase: school.phase,
    status: school.status,
    costCentre: school.costCentre ?? '',
    addressLine1: school.addressLine1 ?? '',
    town: school.town ?? '',
    postcode: school.postcode ?? '',
    email: school.email ?? '',
    phone: school.phone ?? '',
    headteacherName: school.headteacherName ?? '',
    schoolType: school.schoolType,
    pupilCount: String(school.pupilCount),
    approvalLimit: penceToPoundsInput(school.approvalLimitPence),
    financeRoute: school.financeRoute,
    poNumberRequired: school.poNumberRequired ? 'yes' : '',
    convertedOnDay: day.replace(/^0/, ''),
    convertedOnMonth: month.replace(/^0/, ''),
    convertedOnYear: year,
  }
  return {
    school: {
      id: school.id,
      name: school.name,
      urn: school.urn,
      phase: phaseName(school.phase),
      schoolType: school.schoolType,
      convertedOn: school.convertedToAcademyOn ? formatDate(school.convertedToAcademyOn) : null,
      closedOn: school.closedOn ? formatDate(school.closedOn) : null,
      giasType: school.giasType,
      trustName: school.trustName,
    },
    values,
    // What the action's schema is built from, so the browser builds the same one.
    today: clock.today(),
  }
}

type ActionData = { errors: FieldErrors; values: SchoolEditValues }

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const schoolId = params.schoolId ?? ''
  if (!isUuid(schoolId)) throw notFound()
  const values = schoolEditValuesFrom(await request.formData())
  const result = await saveSchool(await getDb(), actorFor(user, request, context), schoolId, values)
  if (!result.ok) {
    if ('notFound' in result) throw notFound()
    return data<ActionData>({ errors: result.errors, values }, { status: 400 })
  }
  const query = new URLSearchParams({ updated: schoolId })
  if (result.changed.length === 0) query.set('unchanged', '1')
  return redirect(`/la/admin/schools?${query}`)
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.school.name} – Schools – Buyback` : 'Page not found – Buyback' },
]

export default function EditSchool() {
  const { school, values: saved, today } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const form = useValidatedForm({
    schema: schoolEditSchema({ schoolType: school.schoolType }, today),
    values: schoolEditValuesFrom,
    serverErrors: actionData?.errors,
  })
  const errors = form.errors
  const values = actionData?.values ?? saved
  const dateError = errors?.convertedOnDay ?? errors?.convertedOnMonth ?? errors?.convertedOnYear
  return (
    <>
      <Link to="/la/admin/schools" className="govuk-back-link">
        Back to schools
      </Link>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} order={[...SCHOOL_EDIT_FIELDS]} />
          <span className="govuk-caption-l">Edit school</span>
          <h1 className="govuk-heading-l">{school.name}</h1>
          <dl className="govuk-summary-list">
            <SummaryRow label="URN">{school.urn}</SummaryRow>
            <SummaryRow label="Phase">{school.phase}</SummaryRow>
            <SummaryRow label="Type now">
              {SCHOOL_TYPE_NAMES[school.schoolType]}
              {school.convertedOn ? `, since ${school.convertedOn}` : ''}
            </SummaryRow>
            {school.closedOn ? <SummaryRow label="Closed">{school.closedOn}</SummaryRow> : null}
            {school.giasType ? <SummaryRow label="GIAS type">{school.giasType}</SummaryRow> : null}
            {school.trustName ? <SummaryRow label="Trust">{school.trustName}</SummaryRow> : null}
          </dl>

          <ValidatedForm form={form} method="post" noValidate>
            <SchoolIdentityFields values={values} errors={errors} />
            <Radios
              name="status"
              legend="Open or closed"
              hint="A closed school can no longer order"
              value={values.status}
              error={errors?.status}
              options={[
                { value: 'open', label: 'Open' },
                { value: 'closed', label: 'Closed' },
              ]}
            />
            <SchoolTypeRadios value={values.schoolType} error={errors?.schoolType} />
            <div className="govuk-inset-text">
              When a maintained school becomes an academy, choose Academy, give the date it converted and choose Invoice below. The change applies to
              invoices issued after you save it. Invoices already issued are never edited: if one needs correcting, finance issue a credit note.
            </div>

            <div className={`govuk-form-group${dateError ? ' govuk-form-group--error' : ''}`}>
              <fieldset
                className="govuk-fieldset"
                role="group"
                aria-describedby={['convertedOn-hint', dateError ? 'convertedOn-error' : null].filter(Boolean).join(' ')}
              >
                <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">Academy conversion date</legend>
                <div className="govuk-hint" id="convertedOn-hint">
                  Needed when a maintained school becomes an academy. For example, 1 9 2025
                </div>
                <ErrorMessage id="convertedOn-error" error={dateError} />
                <div className="govuk-date-input" id="convertedOn">
                  {(
                    [
                      ['Day', 'convertedOnDay', 2],
                      ['Month', 'convertedOnMonth', 2],
                      ['Year', 'convertedOnYear', 4],
                    ] as const
                  ).map(([label, name, width]) => {
                    const inError = Boolean(dateError && (errors?.[name] || !/must include|Year must/.test(dateError)))
                    return (
                      <div key={name} className="govuk-date-input__item">
                        <div className="govuk-form-group">
                          <label className="govuk-label govuk-date-input__label" htmlFor={name}>
                            {label}
                          </label>
                          <input
                            className={`govuk-input govuk-date-input__input govuk-input--width-${width}${inError ? ' govuk-input--error' : ''}`}
                            id={name}
                            name={name}
                            type="text"
                            inputMode="numeric"
                            maxLength={10}
                            defaultValue={values[name]}
                          />
                        </div>
                      </div>
                    )
                  })}
                </div>
              </fieldset>
            </div>

            <TextInput
              name="pupilCount"
              label="Pupil count"
              labelSize="m"
              hint="From the January census. A whole number from 0 to 5,000."
              inputMode="numeric"
              width={10}
              maxLength={20}
              defaultValue={values.pupilCount}
              error={errors?.pupilCount}
            />
            <TextInput
              name="approvalLimit"
              label="Approval limit"
              labelSize="m"
              hint="Orders of this much or more need the headteacher’s approval. In pounds, like 2500, or pounds and pence, like 2500.50, up to £1,000,000."
              prefix="£"
              inputMode="decimal"
              width={10}
              maxLength={30}
              defaultValue={values.approvalLimit}
              error={errors?.approvalLimit}
            />
            <Radios
              name="financeRoute"
              legend="Finance route"
              hint="How the school pays for what it buys"
              value={values.financeRoute}
              error={errors?.financeRoute}
              options={[
                {
                  value: 'internal_recharge',
                  label: FINANCE_ROUTE_NAMES.internal_recharge,
                  hint: 'For maintained schools: charged through the council’s monthly journal, without VAT',
                },
                { value: 'invoice', label: FINANCE_ROUTE_NAMES.invoice, hint: 'For academies: an invoice to pay within 30 days' },
              ]}
            />
            <PoNumberCheckbox checked={values.poNumberRequired === 'yes'} error={errors?.poNumberRequired} />
            <SchoolContactFields values={values} errors={errors} />

            <button type="submit" className="govuk-button" data-module="govuk-button">
              Save changes
            </button>
          </ValidatedForm>
        </div>
      </div>
    </>
  )
}
