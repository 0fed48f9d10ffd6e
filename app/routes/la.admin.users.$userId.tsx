import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { useValidatedForm, ValidatedForm } from '~/components/validated-form'
import { ErrorSummary } from '~/components/forms'
import { SummaryRow } from '~/components/summary-list'
import { SuccessBanner } from '~/components/success-banner'
import { RoleRadios, SchoolSelect, ServiceCheckboxes, TrustSelect } from '~/components/user-fields'
import { ROLE_NAMES } from '~/domain/roles'
import { changeUserRole, resendInvitation, setUserActive, type UserActionResult } from '~/models/admin/user-changes.server'
import { getUserDetail, listSchoolOptions, listServiceOptions, listTrustOptions, userExists } from '~/models/admin/users.server'
import { assignmentValuesFrom, ChangeRoleSchema, type AssignmentValues } from '~/schemas/admin'
import { notFound, requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { fieldErrors, type FieldErrors, isUuid } from '~/schemas/common'
import { actorFor } from '~/models/shared/actor.server'

const DONE = ['role-changed', 'deactivated', 'reactivated', 'invitation-sent'] as const
type Done = (typeof DONE)[number]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requireRole(request, ['la_admin'])
  const userId = params.userId ?? ''
  if (!isUuid(userId)) throw notFound()
  const db = await getDb()
  const user = await getUserDetail(db, admin.authorityId, userId)
  if (!user) throw notFound()
  const [schools, trusts, services] = await Promise.all([
    listSchoolOptions(db, admin.authorityId),
    listTrustOptions(db, admin.authorityId),
    listServiceOptions(db, admin.authorityId),
  ])
  const done = new URL(request.url).searchParams.get('done')
  return {
    authorityName: admin.authorityName,
    user,
    isSelf: user.id === admin.id,
    schools,
    trusts,
    services,
    done: DONE.includes(done as Done) ? (done as Done) : null,
  }
}

type ActionData = { intent: string; errors: FieldErrors; values?: AssignmentValues }

export async function action({ request, params, context }: ActionFunctionArgs) {
  const admin = await requireRole(request, ['la_admin'])
  const userId = params.userId ?? ''
  if (!isUuid(userId)) throw notFound()
  const db = await getDb()
  // Another authority's user, or no one: 404 whatever was asked.
  if (!(await userExists(db, admin.authorityId, userId))) throw notFound()
  const actor = actorFor(admin, request, context)
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')

  const finish = (result: UserActionResult, done: Done, values?: AssignmentValues) => {
    if (result.ok) return redirect(`/la/admin/users/${userId}?done=${done}`)
    if ('notFound' in result) throw notFound()
    return data<ActionData>({ intent, errors: result.errors, values }, { status: 400 })
  }

  switch (intent) {
    case 'change-role': {
      const values = assignmentValuesFrom(form)
      const parsed = ChangeRoleSchema.safeParse(values)
      if (!parsed.success) {
        return data<ActionData>({ intent, errors: fieldErrors(parsed.error.issues), values }, { status: 400 })
      }
      return finish(await changeUserRole(db, actor, userId, parsed.data), 'role-changed', values)
    }
    case 'deactivate':
      return finish(await setUserActive(db, actor, userId, false), 'deactivated')
    case 'reactivate':
      return finish(await setUserActive(db, actor, userId, true), 'reactivated')
    case 'resend-invitation':
      return finish(await resendInvitation(db, actor, userId), 'invitation-sent')
    default:
      return data<ActionData>({ intent, errors: { role: 'Choose what to change' } }, { status: 400 })
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.user.name} – Users – Buyback` : 'Page not found – Buyback' }]

const FIELD_ORDER = ['role', 'schoolId', 'trustId', 'serviceIds', 'resend', 'deactivate']

function bannerText(done: Done, user: { name: string; email: string }): string {
  switch (done) {
    case 'role-changed':
      return 'Role saved'
    case 'deactivated':
      return `${user.name}’s account is deactivated and they have been signed out`
    case 'reactivated':
      return `${user.name}’s account is active again`
    case 'invitation-sent':
      return `Invitation sent to ${user.email}`
  }
}

export default function UserDetails() {
  const { user, isSelf, schools, trusts, services, done, authorityName } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const roleForm = useValidatedForm({ schema: ChangeRoleSchema, values: assignmentValuesFrom, serverErrors: actionData?.errors })
  const errors = roleForm.errors
  const roleValues = actionData?.intent === 'change-role' ? actionData.values : undefined
  const role = roleValues?.role ?? user.roles[0] ?? ''
  const schoolId = roleValues?.schoolId ?? user.schoolId ?? ''
  const trustId = roleValues?.trustId ?? user.trustId ?? ''
  const serviceIds = roleValues?.serviceIds ?? user.services.map((s) => s.id)

  return (
    <>
      <Link to="/la/admin/users" className="govuk-back-link">
        Back to users
      </Link>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          {done && !errors ? <SuccessBanner titleId="done-banner-title" heading={bannerText(done, user)} /> : null}
          <ErrorSummary errors={errors} order={FIELD_ORDER} />

          <span className="govuk-caption-l">User</span>
          <h1 className="govuk-heading-l app-break-anywhere">{user.name}</h1>

          <dl className="govuk-summary-list">
            <SummaryRow label="Email address">
              <span className="app-break-anywhere">{user.email}</span>
            </SummaryRow>
            {user.trustName ? (
              <SummaryRow label="Trust">{user.trustName}</SummaryRow>
            ) : (
              <SummaryRow label="School">{user.schoolName ?? `Council staff (${authorityName})`}</SummaryRow>
            )}
            <SummaryRow label="Role">{user.roles.map((r) => ROLE_NAMES[r]).join(', ') || 'None'}</SummaryRow>
            {user.services.length ? (
              <SummaryRow label="Services led">
                <ul className="govuk-list">
                  {user.services.map((s) => (
                    <li key={s.id}>{s.name}</li>
                  ))}
                </ul>
              </SummaryRow>
            ) : null}
            <SummaryRow label="Status">
              {user.isActive ? (
                <strong className="govuk-tag govuk-tag--green">Active</strong>
              ) : (
                <strong className="govuk-tag govuk-tag--grey">Deactivated</strong>
              )}
            </SummaryRow>
            <SummaryRow label="Password">
              {user.hasPassword
                ? 'Set'
                : user.invitation
                  ? `Not set yet. Invitation sent ${user.invitation.sent}; its link ${user.invitation.expired ? 'expired' : 'expires'} ${user.invitation.expires}`
                  : 'Not set yet'}
            </SummaryRow>
            <SummaryRow label="Last signed in">{user.lastSignedIn ?? 'Never'}</SummaryRow>
            <SummaryRow label="Account created">{user.created}</SummaryRow>
          </dl>

          {isSelf ? (
            <div className="govuk-inset-text">This is your own account. Another administrator must change your role or deactivate it.</div>
          ) : null}

          <h2 className="govuk-heading-m">Change role</h2>
          <ValidatedForm form={roleForm} method="post" noValidate>
            <input type="hidden" name="intent" value="change-role" />
            <RoleRadios size="s" value={role} error={errors?.role} />
            <SchoolSelect
              size="s"
              hint="Required for school business managers and headteachers. “No school” for council staff."
              schools={schools}
              value={schoolId}
              error={errors?.schoolId}
            />
            <TrustSelect size="s" trusts={trusts} value={trustId} error={errors?.trustId} />
            <ServiceCheckboxes size="s" hint="For service leads only." services={services} value={serviceIds} error={errors?.serviceIds} />
            <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
              Change role
            </button>
          </ValidatedForm>

          {!user.hasPassword ? (
            <>
              <h2 className="govuk-heading-m" id="resend" tabIndex={-1}>
                Invitation
              </h2>
              {user.isActive ? (
                <>
                  <p className="govuk-body">
                    {user.name} has not set a password yet. A new invitation replaces the old one: only the newest link works.
                  </p>
                  <Form method="post">
                    <input type="hidden" name="intent" value="resend-invitation" />
                    <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
                      Resend invitation
                    </button>
                  </Form>
                </>
              ) : (
                <p className="govuk-body">Reactivate the account to send a new invitation.</p>
              )}
            </>
          ) : null}

          <h2 className="govuk-heading-m" id="deactivate" tabIndex={-1}>
            Access
          </h2>
          {user.isActive ? (
            isSelf ? (
              <p className="govuk-body">You cannot deactivate your own account.</p>
            ) : (
              <>
                <p className="govuk-body">
                  Deactivating signs {user.name} out at once and stops them signing in. Their orders and history are kept, and you can reactivate the
                  account later.
                </p>
                <Form method="post">
                  <input type="hidden" name="intent" value="deactivate" />
                  <button type="submit" className="govuk-button govuk-button--warning" data-module="govuk-button">
                    Deactivate account
                  </button>
                </Form>
              </>
            )
          ) : (
            <>
              <p className="govuk-body">
                This account is deactivated: {user.name} cannot sign in. Reactivating lets them sign in again with their password.
              </p>
              <Form method="post">
                <input type="hidden" name="intent" value="reactivate" />
                <button type="submit" className="govuk-button" data-module="govuk-button">
                  Reactivate account
                </button>
              </Form>
            </>
          )}
        </div>
      </div>
    </>
  )
}
