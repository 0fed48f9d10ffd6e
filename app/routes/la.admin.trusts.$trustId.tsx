import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { ErrorSummary, SelectField } from '~/components/forms'
import { SuccessBanner } from '~/components/success-banner'
import { TrustFields } from '~/components/trust-fields'
import { useValidatedForm, ValidatedForm } from '~/components/validated-form'
import { addMember, endMembership, getTrust, saveTrust, trustExists, type MembershipResult, type SaveTrustResult } from '~/models/admin/trusts.server'
import { actorFor } from '~/models/shared/actor.server'
import { penceToPoundsInput } from '~/schemas/admin'
import type { FieldErrors } from '~/schemas/common'
import {
  addMemberSchema,
  addMemberValuesFrom,
  TRUST_FIELDS,
  trustSchema,
  trustValuesFrom,
  type AddMemberValues,
  type TrustValues,
} from '~/schemas/trusts'
import { notFound, requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { formatDate } from '~/utils/format'

const DONE = { added: 'Trust added', saved: 'Trust saved', unchanged: 'Nothing changed', joined: 'School added', left: 'School removed' } as const
type Done = keyof typeof DONE

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const page = await getTrust(await getDb(), user.authorityId, params.trustId ?? '')
  if (!page) throw notFound()
  const url = new URL(request.url)
  const done = (Object.keys(DONE) as Done[]).find((d) => url.searchParams.get(d) === '1') ?? null
  return { ...page, done, school: url.searchParams.get('school')?.slice(0, 200) ?? null, authorityName: user.authorityName }
}

type ActionData =
  { intent: 'save'; errors: FieldErrors; values: TrustValues } | { intent: 'add-member'; errors: FieldErrors; values: AddMemberValues }

export async function action({ request, params, context }: ActionFunctionArgs) {
  const admin = await requireRole(request, ['la_admin'])
  const trustId = params.trustId ?? ''
  const db = await getDb()
  // Another authority's trust, or none: 404 whatever was asked.
  if (!(await trustExists(db, admin.authorityId, trustId))) throw notFound()
  const actor = actorFor(admin, request, context)
  const form = await request.formData()
  const intent = String(form.get('intent') ?? '')
  const back = (query: string) => redirect(`/la/admin/trusts/${trustId}?${query}`)
  const member = (result: MembershipResult, done: 'joined' | 'left', values: AddMemberValues) => {
    if (result.ok) return back(`${done}=1&school=${encodeURIComponent(result.schoolName)}`)
    if ('notFound' in result) throw notFound()
    return data<ActionData>({ intent: 'add-member', errors: result.errors, values }, { status: 400 })
  }
  switch (intent) {
    case 'save': {
      const values = trustValuesFrom(form)
      const result: SaveTrustResult = await saveTrust(db, actor, trustId, values)
      if (result.ok) return back(result.changed.length > 0 ? 'saved=1' : 'unchanged=1')
      if ('notFound' in result) throw notFound()
      return data<ActionData>({ intent: 'save', errors: result.errors, values }, { status: 400 })
    }
    case 'add-member': {
      const values = addMemberValuesFrom(form)
      return member(await addMember(db, actor, trustId, values), 'joined', values)
    }
    case 'end-membership':
      return member(await endMembership(db, actor, trustId, String(form.get('membershipId') ?? '')), 'left', { schoolId: '' })
    default:
      return data<ActionData>({ intent: 'save', errors: { name: 'Choose what to change' }, values: trustValuesFrom(form) }, { status: 400 })
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.trust.name} – Trusts – Buyback` : 'Page not found – Buyback' },
]

export default function TrustDetails() {
  const { trust, members, former, candidates, fromGias, done, school, authorityName } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const detailsForm = useValidatedForm({
    schema: trustSchema,
    values: trustValuesFrom,
    serverErrors: actionData?.intent === 'save' ? actionData.errors : undefined,
  })
  const memberForm = useValidatedForm({
    schema: addMemberSchema,
    values: addMemberValuesFrom,
    serverErrors: actionData?.intent === 'add-member' ? actionData.errors : undefined,
  })
  const values: Partial<TrustValues> =
    actionData?.intent === 'save'
      ? actionData.values
      : {
          name: trust.name,
          companiesHouseNumber: trust.companiesHouseNumber ?? '',
          approvalLimit: penceToPoundsInput(trust.approvalLimitPence),
          invoicing: trust.invoicing,
          addressLine1: trust.addressLine1 ?? '',
          town: trust.town ?? '',
          postcode: trust.postcode ?? '',
          financeEmail: trust.financeEmail ?? '',
        }
  const errors = { ...detailsForm.errors, ...memberForm.errors }
  return (
    <>
      <Link to="/la/admin/trusts" className="govuk-back-link">
        Back to trusts
      </Link>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} order={[...TRUST_FIELDS, 'schoolId']} />
          {done ? (
            <SuccessBanner titleId="trust-done" heading={DONE[done]}>
              {school && (done === 'joined' || done === 'left') ? (
                <p className="govuk-body">
                  {done === 'joined'
                    ? `${school} is a member of ${trust.name} from today.`
                    : `${school} left ${trust.name} today: the trust no longer sees its orders.`}
                </p>
              ) : null}
            </SuccessBanner>
          ) : null}
          <span className="govuk-caption-l">{authorityName}</span>
          <h1 className="govuk-heading-l">{trust.name}</h1>

          <h2 className="govuk-heading-m">Member schools</h2>
          {members.length === 0 ? (
            <p className="govuk-body">The trust has no member schools yet.</p>
          ) : (
            <table className="govuk-table">
              <caption className="govuk-table__caption govuk-visually-hidden">Member schools of {trust.name}</caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header">
                    School
                  </th>
                  <th scope="col" className="govuk-table__header">
                    Member since
                  </th>
                  <th scope="col" className="govuk-table__header">
                    <span className="govuk-visually-hidden">Action</span>
                  </th>
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                {members.map((m) => (
                  <tr key={m.membershipId} className="govuk-table__row">
                    <th scope="row" className="govuk-table__header">
                      <Link className="govuk-link" to={`/la/admin/schools/${m.schoolId}`}>
                        {m.name}
                      </Link>{' '}
                      <span className="govuk-hint govuk-!-display-inline">URN {m.urn}</span>
                    </th>
                    <td className="govuk-table__cell">{formatDate(m.joinedOn)}</td>
                    <td className="govuk-table__cell">
                      <Form method="post" className="govuk-!-margin-0">
                        <input type="hidden" name="intent" value="end-membership" />
                        <input type="hidden" name="membershipId" value={m.membershipId} />
                        <button
                          type="submit"
                          className="govuk-button govuk-button--secondary govuk-!-margin-0"
                          data-module="govuk-button"
                          data-prevent-double-click="true"
                        >
                          Remove<span className="govuk-visually-hidden"> {m.name} from the trust</span>
                        </button>
                      </Form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {fromGias.length > 0 ? (
            <>
              <h3 className="govuk-heading-s">In this trust according to GIAS</h3>
              <p className="govuk-body">GIAS’s “Trusts (name)” names this trust for these schools, which are not members yet.</p>
              <ul className="govuk-list">
                {fromGias.map((c) => (
                  <li key={c.id}>
                    <Form method="post" className="app-inline-form">
                      <input type="hidden" name="intent" value="add-member" />
                      <input type="hidden" name="schoolId" value={c.id} />
                      {c.name} (URN {c.urn}){' '}
                      <button type="submit" className="app-link-button">
                        Add from GIAS<span className="govuk-visually-hidden">: {c.name}</span>
                      </button>
                    </Form>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {candidates.length > 0 ? (
            <ValidatedForm form={memberForm} method="post" noValidate>
              <input type="hidden" name="intent" value="add-member" />
              <SelectField
                name="schoolId"
                label="Add a school to the trust"
                labelSize="s"
                hint="The council’s open schools that are in no trust. The school is a member from today."
                value={actionData?.intent === 'add-member' ? actionData.values.schoolId : ''}
                error={memberForm.errors?.schoolId}
                options={[{ value: '', label: 'Choose a school' }, ...candidates.map((c) => ({ value: c.id, label: `${c.name} (URN ${c.urn})` }))]}
              />
              <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
                Add school
              </button>
            </ValidatedForm>
          ) : null}
          {former.length > 0 ? (
            <>
              <h2 className="govuk-heading-m">Schools that have left</h2>
              <ul className="govuk-list govuk-list--bullet">
                {former.map((m) => (
                  <li key={m.membershipId}>
                    {m.name}: a member from {formatDate(m.joinedOn)} until {formatDate(m.leftOn ?? '')}
                  </li>
                ))}
              </ul>
            </>
          ) : null}

          <h2 className="govuk-heading-m">Trust details</h2>
          <ValidatedForm form={detailsForm} method="post" noValidate>
            <input type="hidden" name="intent" value="save" />
            <TrustFields values={values} errors={detailsForm.errors} />
            <button type="submit" className="govuk-button" data-module="govuk-button">
              Save trust
            </button>
          </ValidatedForm>
        </div>
      </div>
    </>
  )
}
