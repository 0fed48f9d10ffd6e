import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import type { ReactNode } from 'react'
import { ErrorSummary, fieldErrors, type FieldErrors } from '~/components/forms'
import { ROLE_NAMES } from '~/domain/roles'
import {
  changeUserRole,
  getUserDetail,
  listSchoolOptions,
  listServiceOptions,
  resendInvitation,
  setUserActive,
  userExists,
  type AdminActor,
  type UserActionResult,
} from '~/models/admin-users.server'
import { assignmentValuesFrom, ChangeRoleSchema, isUuid, ROLE_OPTIONS, type AssignmentValues } from '~/schemas/admin'
import { clientIp, notFound, requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'

const DONE = ['role-changed', 'deactivated', 'reactivated', 'invitation-sent'] as const
type Done = (typeof DONE)[number]

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requireRole(request, ['la_admin'])
  const userId = params.userId ?? ''
  if (!isUuid(userId)) throw notFound()
  const db = await getDb()
  const user = await getUserDetail(db, admin.authorityId, userId)
  if (!user) throw notFound()
  const [schools, services] = await Promise.all([
    listSchoolOptions(db, admin.authorityId),
    listServiceOptions(db, admin.authorityId),
  ])
  const done = new URL(request.url).searchParams.get('done')
  return {
    authorityName: admin.authorityName,
    user,
    isSelf: user.id === admin.id,
    schools,
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
  const actor: AdminActor = {
    id: admin.id,
    name: admin.name,
    authorityId: admin.authorityId,
    ip: clientIp(context),
    userAgent: request.headers.get('User-Agent'),
  }
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

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.user.name} – Users – Buyback` : 'Page not found – Buyback' },
]

const FIELD_ORDER = ['role', 'schoolId', 'serviceIds', 'resend', 'deactivate']

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
  const { user, isSelf, schools, services, done, authorityName } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const errors = actionData?.errors
  const roleValues = actionData?.intent === 'change-role' ? actionData.values : undefined
  const role = roleValues?.role ?? user.roles[0] ?? ''
  const schoolId = roleValues?.schoolId ?? user.schoolId ?? ''
  const serviceIds = roleValues?.serviceIds ?? user.services.map((s) => s.id)

  return (
    <>
      <Link to="/la/admin/users" className="govuk-back-link">
        Back to users
      </Link>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          {done && !errors ? (
            <div
              className="govuk-notification-banner govuk-notification-banner--success"
              role="alert"
              aria-labelledby="done-banner-title"
              data-module="govuk-notification-banner"
            >
              <div className="govuk-notification-banner__header">
                <h2 className="govuk-notification-banner__title" id="done-banner-title">
                  Success
                </h2>
              </div>
              <div className="govuk-notification-banner__content">
                <h3 className="govuk-notification-banner__heading">{bannerText(done, user)}</h3>
              </div>
            </div>
          ) : null}
          <ErrorSummary errors={errors} order={FIELD_ORDER} />

          <span className="govuk-caption-l">User</span>
          <h1 className="govuk-heading-l app-break-anywhere">{user.name}</h1>

          <dl className="govuk-summary-list">
            <Row label="Email address">
              <span className="app-break-anywhere">{user.email}</span>
            </Row>
            <Row label="School">{user.schoolName ?? `Council staff (${authorityName})`}</Row>
            <Row label="Role">{user.roles.map((r) => ROLE_NAMES[r]).join(', ') || 'None'}</Row>
            {user.services.length ? (
              <Row label="Services led">
                <ul className="govuk-list">
                  {user.services.map((s) => (
                    <li key={s.id}>{s.name}</li>
                  ))}
                </ul>
              </Row>
            ) : null}
            <Row label="Status">
              {user.isActive ? (
                <strong className="govuk-tag govuk-tag--green">Active</strong>
              ) : (
                <strong className="govuk-tag govuk-tag--grey">Deactivated</strong>
              )}
            </Row>
            <Row label="Password">
              {user.hasPassword
                ? 'Set'
                : user.invitation
                  ? `Not set yet. Invitation sent ${user.invitation.sent}; its link ${user.invitation.expired ? 'expired' : 'expires'} ${user.invitation.expires}`
                  : 'Not set yet'}
            </Row>
            <Row label="Last signed in">{user.lastSignedIn ?? 'Never'}</Row>
            <Row label="Account created">{user.created}</Row>
          </dl>

          {isSelf ? (
            <div className="govuk-inset-text">
              This is your own account. Another administrator must change your role or deactivate it.
            </div>
          ) : null}

          <h2 className="govuk-heading-m">Change role</h2>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="change-role" />
            <div className={`govuk-form-group${errors?.role ? ' govuk-form-group--error' : ''}`}>
              <fieldset className="govuk-fieldset" aria-describedby={errors?.role ? 'role-error' : undefined}>
                <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Role</legend>
                <ErrorMessage id="role-error" error={errors?.role} />
                <div className="govuk-radios govuk-radios--small" data-module="govuk-radios">
                  {ROLE_OPTIONS.map((r, i) => {
                    const id = i === 0 ? 'role' : `role-${r.value}`
                    return (
                      <div key={r.value} className="govuk-radios__item">
                        <input
                          className="govuk-radios__input"
                          id={id}
                          name="role"
                          type="radio"
                          value={r.value}
                          defaultChecked={role === r.value}
                        />
                        <label className="govuk-label govuk-radios__label" htmlFor={id}>
                          {r.label}
                        </label>
                      </div>
                    )
                  })}
                </div>
              </fieldset>
            </div>
            <div className={`govuk-form-group${errors?.schoolId ? ' govuk-form-group--error' : ''}`}>
              <label className="govuk-label govuk-label--s" htmlFor="schoolId">
                School
              </label>
              <div className="govuk-hint" id="schoolId-hint">
                Required for school business managers and headteachers. “No school” for council staff.
              </div>
              <ErrorMessage id="schoolId-error" error={errors?.schoolId} />
              <select
                className={`govuk-select${errors?.schoolId ? ' govuk-select--error' : ''}`}
                id="schoolId"
                name="schoolId"
                defaultValue={schoolId}
                aria-describedby={['schoolId-hint', errors?.schoolId ? 'schoolId-error' : null].filter(Boolean).join(' ')}
              >
                <option value="">No school (council staff)</option>
                {schools.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            </div>
            <div className={`govuk-form-group${errors?.serviceIds ? ' govuk-form-group--error' : ''}`}>
              <fieldset
                className="govuk-fieldset"
                aria-describedby={['serviceIds-hint', errors?.serviceIds ? 'serviceIds-error' : null].filter(Boolean).join(' ')}
              >
                <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Services led</legend>
                <div className="govuk-hint" id="serviceIds-hint">
                  For service leads only.
                </div>
                <ErrorMessage id="serviceIds-error" error={errors?.serviceIds} />
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
                          defaultChecked={serviceIds.includes(s.id)}
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
            <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
              Change role
            </button>
          </Form>

          {!user.hasPassword ? (
            <>
              <h2 className="govuk-heading-m" id="resend" tabIndex={-1}>
                Invitation
              </h2>
              {user.isActive ? (
                <>
                  <p className="govuk-body">
                    {user.name} has not set a password yet. A new invitation replaces the old one: only the newest
                    link works.
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
                  Deactivating signs {user.name} out at once and stops them signing in. Their orders and history are
                  kept, and you can reactivate the account later.
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
                This account is deactivated: {user.name} cannot sign in. Reactivating lets them sign in again with
                their password.
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

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="govuk-summary-list__row">
      <dt className="govuk-summary-list__key">{label}</dt>
      <dd className="govuk-summary-list__value">{children}</dd>
    </div>
  )
}

function ErrorMessage({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p className="govuk-error-message" id={id}>
      <span className="govuk-visually-hidden">Error:</span> {error}
    </p>
  ) : null
}
