import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { ErrorSummary, TextInput } from '~/components/forms'
import { useValidatedForm, ValidatedForm } from '~/components/validated-form'
import { RoleRadios, SchoolSelect, ServiceCheckboxes, TrustSelect } from '~/components/user-fields'
import { INVITATION_TOKEN_DAYS } from '~/models/accounts/accounts.server'
import { inviteUser } from '~/models/admin/user-changes.server'
import { listSchoolOptions, listServiceOptions, listTrustOptions } from '~/models/admin/users.server'
import { InviteUserSchema, inviteValuesFrom, type InviteValues } from '~/schemas/admin'
import { requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { fieldErrors, type FieldErrors } from '~/schemas/common'
import { actorFor } from '~/models/shared/actor.server'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const db = await getDb()
  const [schools, trusts, services] = await Promise.all([
    listSchoolOptions(db, user.authorityId),
    listTrustOptions(db, user.authorityId),
    listServiceOptions(db, user.authorityId),
  ])
  return { authorityName: user.authorityName, schools, trusts, services, invitationDays: INVITATION_TOKEN_DAYS }
}

type ActionData = { errors: FieldErrors; values: InviteValues }

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const form = await request.formData()
  const values = inviteValuesFrom(form)
  const invalid = (errors: FieldErrors) => data<ActionData>({ errors, values }, { status: 400 })
  const parsed = InviteUserSchema.safeParse(values)
  if (!parsed.success) return invalid(fieldErrors(parsed.error.issues))
  const result = await inviteUser(await getDb(), actorFor(user, request, context), parsed.data)
  if (!result.ok) return invalid(result.errors)
  return redirect(`/la/admin/users?${new URLSearchParams({ invited: result.email })}`)
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Invite a user – ${data?.authorityName ?? 'Buyback'} – Buyback` }]

const FIELD_ORDER = ['name', 'email', 'role', 'schoolId', 'trustId', 'serviceIds']

export default function InviteUser() {
  const { schools, trusts, services, authorityName, invitationDays } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const form = useValidatedForm({ schema: InviteUserSchema, values: inviteValuesFrom, serverErrors: actionData?.errors })
  const errors = form.errors
  const values = actionData?.values
  return (
    <>
      <Link to="/la/admin/users" className="govuk-back-link">
        Back to users
      </Link>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} order={FIELD_ORDER} />
          <h1 className="govuk-heading-l">Invite a user</h1>
          <p className="govuk-body">
            We will email them a link to set their password. The link works once, for {invitationDays} days. They cannot sign in until they have set a
            password.
          </p>
          <ValidatedForm form={form} method="post" noValidate>
            <TextInput
              name="name"
              label="Full name"
              autoComplete="off"
              spellCheck={false}
              maxLength={100}
              defaultValue={values?.name}
              error={errors?.name}
            />
            <TextInput
              name="email"
              label="Email address"
              type="email"
              autoComplete="off"
              spellCheck={false}
              maxLength={254}
              defaultValue={values?.email}
              error={errors?.email}
            />
            <RoleRadios size="m" value={values?.role} error={errors?.role} />
            <SchoolSelect
              size="m"
              hint={<>Required for school business managers and headteachers. Leave as “No school” for {authorityName} staff.</>}
              schools={schools}
              value={values?.schoolId}
              error={errors?.schoolId}
            />
            <TrustSelect size="m" trusts={trusts} value={values?.trustId} error={errors?.trustId} />
            <ServiceCheckboxes
              size="m"
              hint="For service leads only: select every service they lead."
              services={services}
              value={values?.serviceIds}
              error={errors?.serviceIds}
            />
            <button type="submit" className="govuk-button" data-module="govuk-button">
              Send invitation
            </button>
          </ValidatedForm>
        </div>
      </div>
    </>
  )
}
