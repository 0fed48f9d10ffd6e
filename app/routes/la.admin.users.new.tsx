import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { ErrorSummary, fieldErrors, TextInput, type FieldErrors } from '~/components/forms'
import { INVITATION_TOKEN_DAYS } from '~/models/accounts.server'
import { inviteUser, listSchoolOptions, listServiceOptions } from '~/models/admin-users.server'
import { InviteUserSchema, inviteValuesFrom, ROLE_OPTIONS, type InviteValues } from '~/schemas/admin'
import { clientIp, requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const db = await getDb()
  const [schools, services] = await Promise.all([
    listSchoolOptions(db, user.authorityId),
    listServiceOptions(db, user.authorityId),
  ])
  return { authorityName: user.authorityName, schools, services, invitationDays: INVITATION_TOKEN_DAYS }
}

type ActionData = { errors: FieldErrors; values: InviteValues }

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const form = await request.formData()
  const values = inviteValuesFrom(form)
  const invalid = (errors: FieldErrors) => data<ActionData>({ errors, values }, { status: 400 })
  const parsed = InviteUserSchema.safeParse(values)
  if (!parsed.success) return invalid(fieldErrors(parsed.error.issues))
  const result = await inviteUser(
    await getDb(),
    {
      id: user.id,
      name: user.name,
      authorityId: user.authorityId,
      ip: clientIp(context),
      userAgent: request.headers.get('User-Agent'),
    },
    parsed.data,
  )
  if (!result.ok) return invalid(result.errors)
  return redirect(`/la/admin/users?${new URLSearchParams({ invited: result.email })}`)
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Invite a user – ${data?.authorityName ?? 'Buyback'} – Buyback` },
]

const FIELD_ORDER = ['name', 'email', 'role', 'schoolId', 'serviceIds']

export default function InviteUser() {
  const { schools, services, authorityName, invitationDays } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const errors = actionData?.errors
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
            We will email them a link to set their password. The link works once, for {invitationDays} days. They
            cannot sign in until they have set a password.
          </p>
          <Form method="post" noValidate>
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
            <RoleRadios value={values?.role} error={errors?.role} />
            <SchoolSelect schools={schools} value={values?.schoolId} error={errors?.schoolId} authorityName={authorityName} />
            <ServiceCheckboxes services={services} value={values?.serviceIds} error={errors?.serviceIds} />
            <button type="submit" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
              Send invitation
            </button>
          </Form>
        </div>
      </div>
    </>
  )
}

function ErrorMessage({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p className="govuk-error-message" id={id}>
      <span className="govuk-visually-hidden">Error:</span> {error}
    </p>
  ) : null
}

function RoleRadios({ value, error }: { value?: string; error?: string }) {
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset className="govuk-fieldset" aria-describedby={error ? 'role-error' : undefined}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">Role</legend>
        <ErrorMessage id="role-error" error={error} />
        <div className="govuk-radios" data-module="govuk-radios">
          {ROLE_OPTIONS.map((r, i) => {
            const id = i === 0 ? 'role' : `role-${r.value}`
            return (
              <div key={r.value} className="govuk-radios__item">
                <input className="govuk-radios__input" id={id} name="role" type="radio" value={r.value} defaultChecked={value === r.value} />
                <label className="govuk-label govuk-radios__label" htmlFor={id}>
                  {r.label}
                </label>
              </div>
            )
          })}
        </div>
      </fieldset>
    </div>
  )
}

function SchoolSelect({
  schools,
  value,
  error,
  authorityName,
}: {
  schools: { id: string; name: string }[]
  value?: string
  error?: string
  authorityName: string
}) {
  const describedBy = ['schoolId-hint', error ? 'schoolId-error' : null].filter(Boolean).join(' ')
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <label className="govuk-label govuk-label--m" htmlFor="schoolId">
        School
      </label>
      <div className="govuk-hint" id="schoolId-hint">
        Required for school business managers and headteachers. Leave as “No school” for {authorityName} staff.
      </div>
      <ErrorMessage id="schoolId-error" error={error} />
      <select
        className={`govuk-select${error ? ' govuk-select--error' : ''}`}
        id="schoolId"
        name="schoolId"
        defaultValue={value ?? ''}
        aria-describedby={describedBy}
      >
        <option value="">No school (council staff)</option>
        {schools.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
    </div>
  )
}

function ServiceCheckboxes({
  services,
  value,
  error,
}: {
  services: { id: string; name: string }[]
  value?: string[]
  error?: string
}) {
  const describedBy = ['serviceIds-hint', error ? 'serviceIds-error' : null].filter(Boolean).join(' ')
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset className="govuk-fieldset" aria-describedby={describedBy}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">Services led</legend>
        <div className="govuk-hint" id="serviceIds-hint">
          For service leads only: select every service they lead.
        </div>
        <ErrorMessage id="serviceIds-error" error={error} />
        <div className="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
          {services.map((s, i) => {
            const id = i === 0 ? 'serviceIds' : `serviceIds-${s.id}`
            return (
              <div key={s.id} className="govuk-checkboxes__item">
                <input
                  className="govuk-checkboxes__input"
                  id={id}
                  name="serviceIds"
                  type="checkbox"
                  value={s.id}
                  defaultChecked={value?.includes(s.id)}
                />
                <label className="govuk-label govuk-checkboxes__label" htmlFor={id}>
                  {s.name}
                </label>
              </div>
            )
          })}
        </div>
      </fieldset>
    </div>
  )
}
