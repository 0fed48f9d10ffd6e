import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData } from '@remix-run/react'
import { ErrorSummary } from '~/components/forms'
import { TrustFields } from '~/components/trust-fields'
import { useValidatedForm, ValidatedForm } from '~/components/validated-form'
import { saveTrust } from '~/models/admin/trusts.server'
import { actorFor } from '~/models/shared/actor.server'
import type { FieldErrors } from '~/schemas/common'
import { TRUST_FIELDS, trustSchema, trustValuesFrom, type TrustValues } from '~/schemas/trusts'
import { requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'

export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, ['la_admin'])
  return null
}

type ActionData = { errors: FieldErrors; values: TrustValues }

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const values = trustValuesFrom(await request.formData())
  const result = await saveTrust(await getDb(), actorFor(user, request, context), null, values)
  if (!result.ok) return data<ActionData>({ errors: 'errors' in result ? result.errors : {}, values }, { status: 400 })
  return redirect(`/la/admin/trusts/${result.trustId}?added=1`)
}

export const meta: MetaFunction = () => [{ title: 'Add a trust – Trusts – Buyback' }]

export default function AddTrust() {
  const actionData = useActionData<typeof action>()
  const form = useValidatedForm({ schema: trustSchema, values: trustValuesFrom, serverErrors: actionData?.errors })
  const values: Partial<TrustValues> = actionData?.values ?? { approvalLimit: '5000', invoicing: 'per_school' }
  return (
    <>
      <Link to="/la/admin/trusts" className="govuk-back-link">
        Back to trusts
      </Link>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={form.errors} order={[...TRUST_FIELDS]} />
          <h1 className="govuk-heading-l">Add a trust</h1>
          <p className="govuk-body">Add the trust, then its member schools on the trust’s page.</p>
          <ValidatedForm form={form} method="post" noValidate>
            <TrustFields values={values} errors={form.errors} />
            <button type="submit" className="govuk-button" data-module="govuk-button">
              Add trust
            </button>
          </ValidatedForm>
        </div>
      </div>
    </>
  )
}
