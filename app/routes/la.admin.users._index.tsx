import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { SearchInput, SelectField } from '~/components/forms'
import { SuccessBanner } from '~/components/success-banner'
import { TableHead } from '~/components/table-head'
import { ROLE_NAMES } from '~/domain/roles'
import { INVITATION_TOKEN_DAYS } from '~/models/accounts/accounts.server'
import { findUserByEmail, listUsers, USERS_LIST_LIMIT } from '~/models/admin/users.server'
import { parseUserSearch } from '~/schemas/admin'
import { ROLE_OPTIONS } from '~/schemas/admin-labels'
import { requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const db = await getDb()
  const params = new URL(request.url).searchParams
  const search = parseUserSearch(params)
  // The banner names the invited user only when they really are one of ours.
  const invitedParam = params.get('invited')
  const [{ users, total }, invited] = await Promise.all([
    listUsers(db, user.authorityId, search.filters),
    invitedParam ? findUserByEmail(db, user.authorityId, invitedParam) : undefined,
  ])
  return {
    authorityName: user.authorityName,
    search,
    users,
    total,
    invited: invited ? { id: invited.id, email: invited.email } : null,
    invitationDays: INVITATION_TOKEN_DAYS,
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Users – ${data?.authorityName ?? 'Buyback'} – Buyback` }]

export default function Users() {
  const { search, users, total, invited, invitationDays } = useLoaderData<typeof loader>()
  const filtered = Boolean(search.filters.q || search.filters.role)
  return (
    <>
      {invited ? (
        <SuccessBanner titleId="invited-banner-title" heading={<>Invitation sent to {invited.email}</>}>
          <p className="govuk-body">
            The link in it works for {invitationDays} days.{' '}
            <Link className="govuk-notification-banner__link" to={`/la/admin/users/${invited.id}`}>
              View the user
            </Link>{' '}
            or{' '}
            <Link className="govuk-notification-banner__link" to="/la/admin/outbox">
              see the email in the outbox
            </Link>
            .
          </p>
        </SuccessBanner>
      ) : null}

      <h1 className="govuk-heading-xl">Users</h1>
      <p className="govuk-body-l">Everyone who can sign in to Buyback for your council and its schools.</p>
      <p className="govuk-body">
        <Link to="/la/admin/users/new" draggable="false" className="govuk-button govuk-!-margin-bottom-0">
          Invite a user
        </Link>
        <Link
          to="/la/admin/users/import"
          draggable="false"
          className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0 govuk-!-margin-left-2"
        >
          Invite users from a file
        </Link>
      </p>

      <Form method="get" className="app-filters" role="search" aria-label="Users">
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-half">
            <SearchInput label="Search users" hint="Name, email address or school" value={search.values.q} spellCheck={false} />
          </div>
          <div className="govuk-grid-column-one-quarter">
            <SelectField name="role" label="Role" value={search.values.role} options={[{ value: '', label: 'All roles' }, ...ROLE_OPTIONS]} />
          </div>
          <div className="govuk-grid-column-one-quarter">
            <button type="submit" className="govuk-button govuk-!-margin-top-6" data-module="govuk-button">
              Search
            </button>
          </div>
        </div>
      </Form>

      <p className="govuk-body" role="status">
        {total === 1 ? '1 user' : `${total.toLocaleString('en-GB')} users`}
        {search.filters.q ? ` matching “${search.filters.q}”` : ''}
        {search.filters.role ? ` with the role ${ROLE_NAMES[search.filters.role]}` : ''}
        {total > users.length ? `, of whom the first ${USERS_LIST_LIMIT} are shown: search to narrow the list` : ''}
        {filtered ? (
          <>
            {' '}
            <Link className="govuk-link" to="/la/admin/users">
              Clear search
            </Link>
          </>
        ) : null}
      </p>

      {users.length ? (
        <div className="app-table-wrapper">
          <table className="govuk-table govuk-table--small-text-until-tablet app-table--stack" data-module="moj-sortable-table">
            <caption className="govuk-table__caption govuk-visually-hidden">Users</caption>
            <TableHead sortable columns={['Name', 'Email address', 'School', 'Role', 'Status', { label: 'Last signed in', sort: false }]} />
            <tbody className="govuk-table__body">
              {users.map((u) => (
                <tr key={u.id} className="govuk-table__row">
                  <th scope="row" className="govuk-table__header app-table-text" data-sort-value={u.name}>
                    <Link className="govuk-link" to={`/la/admin/users/${u.id}`}>
                      {u.name}
                    </Link>
                  </th>
                  <td data-label="Email address" className="govuk-table__cell app-table-text">
                    {u.email}
                  </td>
                  <td data-label="School" className="govuk-table__cell">
                    {u.schoolName ?? 'Council staff'}
                  </td>
                  <td data-label="Role" className="govuk-table__cell">
                    {u.roles.map((r) => ROLE_NAMES[r]).join(', ') || 'None'}
                  </td>
                  <td data-label="Status" className="govuk-table__cell" data-sort-value={u.isActive ? 'Active' : 'Deactivated'}>
                    {u.isActive ? (
                      <strong className="govuk-tag govuk-tag--green">Active</strong>
                    ) : (
                      <strong className="govuk-tag govuk-tag--grey">Deactivated</strong>
                    )}
                  </td>
                  <td data-label="Last signed in" className="govuk-table__cell">
                    {u.lastSignedIn ?? (u.hasPassword ? 'Never' : 'Not yet: invitation sent')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <>
          <h2 className="govuk-heading-m">No users found</h2>
          <p className="govuk-body">Check the spelling, search for part of a name, or choose “All roles”.</p>
        </>
      )}
    </>
  )
}
