import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData } from '@remix-run/react'
import { useValidatedForm, ValidatedForm } from '~/components/validated-form'
import { ErrorSummary, TextInput } from '~/components/forms'
import { PoNumberCheckbox, SchoolContactFields, SchoolIdentityFields, SchoolTypeRadios } from '~/components/school-fields'
import { addSchool } from '~/models/admin/schools.server'
import { actorFor } from '~/models/shared/actor.server'
import type { FieldErrors } from '~/schemas/common'
import { NEW_SCHOOL_FIELDS, newSchoolSchema, newSchoolValuesFrom, type NewSchoolValues } from '~/schemas/schools'
import { requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ['la_admin'])
  return null
}

type ActionData = { errors: FieldErrors; values: NewSchoolValues }

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const values = newSchoolValuesFrom(await request.formData())
  const result = await addSchool(await getDb(), actorFor(user, request, context), values)
  if (!result.ok) return data<ActionData>({ errors: result.errors, values }, { status: 400 })
  return redirect(`/la/admin/schools?updated=${result.schoolId}&added=1`)
}

export const meta: MetaFunction = () => [{ title: 'Add a school – Schools – Buyback' }]

export default function AddSchool() {
  const actionData = useActionData<typeof action>()
  const form = useValidatedForm({ schema: newSchoolSchema, values: newSchoolValuesFrom, serverErrors: actionData?.errors })
  const errors = form.errors
  const values: Partial<NewSchoolValues> = actionData?.values ?? { approvalLimit: '2500' }
  return (
    <>
      <Link to="/la/admin/schools" className="govuk-back-link">
        Back to schools
      </Link>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} order={[...NEW_SCHOOL_FIELDS]} />
          <h1 className="govuk-heading-l">Add a school</h1>
          <p className="govuk-body">
            To add or refresh many schools at once,{' '}
            <Link className="govuk-link" to="/la/admin/schools/import">
              import a GIAS extract
            </Link>
            .
          </p>
          <ValidatedForm form={form} method="post" noValidate>
            <SchoolIdentityFields values={values} errors={errors} />
            <SchoolTypeRadios
              value={values.schoolType}
              error={errors?.schoolType}
              hint="Maintained schools pay by the council’s internal recharge journal; academies by invoice"
            />
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
            <PoNumberCheckbox checked={values.poNumberRequired === 'yes'} error={errors?.poNumberRequired} />
            <SchoolContactFields values={values} errors={errors} />
            <button type="submit" className="govuk-button" data-module="govuk-button">
              Add a school
            </button>
          </ValidatedForm>
        </div>
      </div>
    </>
  )
}
