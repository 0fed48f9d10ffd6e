import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { SearchInput } from '~/components/forms'
import { SuccessBanner } from '~/components/success-banner'
import { TableHead } from '~/components/table-head'
import { formatPence } from '~/domain/money'
import { getSchool, listSchools } from '~/models/admin/schools.server'
import { parseSchoolSearch } from '~/schemas/admin'
import { FINANCE_ROUTE_NAMES, SCHOOL_TYPE_NAMES } from '~/schemas/admin-labels'
import { requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { phaseName } from '~/utils/format'
import { isUuid } from '~/schemas/common'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const db = await getDb()
  const params = new URL(request.url).searchParams
  const search = parseSchoolSearch(params)
  const updatedId = params.get('updated')
  const [schools, updated] = await Promise.all([
    listSchools(db, user.authorityId, search.filters),
    isUuid(updatedId) ? getSchool(db, user.authorityId, updatedId) : undefined,
  ])
  return {
    authorityName: user.authorityName,
    search,
    schools,
    updated: updated ? { id: updated.id, name: updated.name } : null,
    nothingChanged: params.get('unchanged') === '1',
    added: params.get('added') === '1',
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Schools – ${data?.authorityName ?? 'Buyback'} – Buyback` }]

export default function Schools() {
  const { search, schools, updated, nothingChanged, added, authorityName } = useLoaderData<typeof loader>()
  return (
    <>
      {updated ? (
        <SuccessBanner
          titleId="updated-banner-title"
          heading={nothingChanged ? `Nothing to change for ${updated.name}` : added ? `${updated.name} added` : `${updated.name} saved`}
        />
      ) : null}

      <h1 className="govuk-heading-xl">Schools</h1>
      <p className="govuk-body-l">The schools that buy from {authorityName}: their type, size, approval limit and how they pay.</p>
      <div className="govuk-button-group">
        <Link to="/la/admin/schools/new" className="govuk-button" data-module="govuk-button">
          Add a school
        </Link>
        <Link to="/la/admin/schools/import" className="govuk-button govuk-button--secondary" data-module="govuk-button">
          Import schools
        </Link>
      </div>

      <Form method="get" className="app-filters" role="search" aria-label="Schools">
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            <SearchInput
              label="Search schools"
              hint="Name, town or URN"
              value={search.values.q}
              spellCheck={false}
              formGroupClassName="govuk-!-margin-bottom-0"
            />
          </div>
          <div className="govuk-grid-column-one-third">
            <button type="submit" className="govuk-button govuk-!-margin-top-6 govuk-!-margin-bottom-0" data-module="govuk-button">
              Search
            </button>
          </div>
        </div>
      </Form>

      <p className="govuk-body" role="status">
        {schools.length === 1 ? '1 school' : `${schools.length} schools`}
        {search.filters.q ? ` matching “${search.filters.q}”` : ''}
        {search.filters.q ? (
          <>
            {' '}
            <Link className="govuk-link" to="/la/admin/schools">
              Clear search
            </Link>
          </>
        ) : null}
      </p>

      {schools.length ? (
        <div className="app-table-wrapper">
          <table className="govuk-table govuk-table--small-text-until-tablet app-table--stack" data-module="moj-sortable-table">
            <caption className="govuk-table__caption govuk-visually-hidden">Schools</caption>
            <TableHead
              sortable
              columns={['School', 'URN', 'Phase', 'Type', { label: 'Pupils', numeric: true }, { label: 'Approval limit', numeric: true }, 'Pays by']}
            />
            <tbody className="govuk-table__body">
              {schools.map((s) => (
                <tr key={s.id} className="govuk-table__row">
                  <th scope="row" className="govuk-table__header" data-sort-value={s.name}>
                    <Link className="govuk-link" to={`/la/admin/schools/${s.id}`}>
                      {s.name}
                    </Link>
                    {s.status === 'closed' ? <strong className="govuk-tag govuk-tag--grey govuk-!-margin-left-2">Closed</strong> : null}
                  </th>
                  <td data-label="URN" className="govuk-table__cell">
                    {s.urn}
                  </td>
                  <td data-label="Phase" className="govuk-table__cell">
                    {phaseName(s.phase)}
                  </td>
                  <td data-label="Type" className="govuk-table__cell">
                    {SCHOOL_TYPE_NAMES[s.schoolType]}
                  </td>
                  <td data-label="Pupils" className="govuk-table__cell govuk-table__cell--numeric" data-sort-value={s.pupilCount}>
                    {s.pupilCount.toLocaleString('en-GB')}
                  </td>
                  <td data-label="Approval limit" className="govuk-table__cell govuk-table__cell--numeric" data-sort-value={s.approvalLimitPence}>
                    {formatPence(s.approvalLimitPence)}
                  </td>
                  <td data-label="Pays by" className="govuk-table__cell">
                    {FINANCE_ROUTE_NAMES[s.financeRoute]}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <>
          <h2 className="govuk-heading-m">No schools found</h2>
          <p className="govuk-body">Check the spelling, or search for part of the name or the URN.</p>
        </>
      )}
    </>
  )
}
