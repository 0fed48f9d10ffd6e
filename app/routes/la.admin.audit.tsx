import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, useLoaderData } from '@remix-run/react'
import { ErrorSummary, SelectField, TextInput } from '~/components/forms'
import { Pagination } from '~/components/pagination'
import { TableHead } from '~/components/table-head'
import { longDateTime } from '~/domain/dates'
import { auditFilterOptions, listAuditEvents } from '~/models/admin/audit-log.server'
import { parseAuditFilters } from '~/schemas/audit'
import { requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const db = await getDb()
  const search = parseAuditFilters(new URL(request.url).searchParams)
  const [list, options] = await Promise.all([
    listAuditEvents(db, user.authorityId, search.filters, search.page),
    auditFilterOptions(db, user.authorityId),
  ])
  const query = new URLSearchParams(Object.entries(search.values).filter(([, v]) => v !== ''))
  return {
    authorityName: user.authorityName,
    values: search.values,
    errors: search.errors,
    options,
    ...list,
    csvHref: `/la/admin/audit.csv${query.size ? `?${query}` : ''}`,
  }
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data && Object.keys(data.errors).length ? 'Error: ' : ''}Audit log – ${data?.authorityName ?? 'Buyback'} – Buyback` },
]

export default function AuditLog() {
  const d = useLoaderData<typeof loader>()
  return (
    <>
      <ErrorSummary errors={d.errors} order={['kind', 'person', 'from', 'to']} focus={false} />
      <h1 className="govuk-heading-xl">Audit log</h1>
      <p className="govuk-body-l">Every change made in {d.authorityName}’s Buyback: who did it, when, from where, and what changed. Newest first.</p>

      <Form key={JSON.stringify(d.values)} method="get" className="app-filters" aria-label="Filter the audit log" noValidate>
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-quarter">
            <SelectField
              name="kind"
              label="Kind of change"
              value={d.values.kind}
              error={d.errors.kind}
              options={[{ value: '', label: 'All kinds' }, ...d.options.kinds.map((k) => ({ value: k, label: k.replace(/_/g, ' ') }))]}
            />
          </div>
          <div className="govuk-grid-column-one-quarter">
            <SelectField
              name="person"
              label="Person"
              value={d.values.person}
              error={d.errors.person}
              options={[{ value: '', label: 'Everyone' }, ...d.options.people.map((p) => ({ value: p.id, label: p.name }))]}
            />
          </div>
          <div className="govuk-grid-column-one-quarter">
            <TextInput name="from" label="From" labelSize="s" type="date" hint="Like 2026-11-01" defaultValue={d.values.from} error={d.errors.from} />
          </div>
          <div className="govuk-grid-column-one-quarter">
            <TextInput name="to" label="To" labelSize="s" type="date" hint="Like 2026-11-30" defaultValue={d.values.to} error={d.errors.to} />
          </div>
        </div>
        <button type="submit" className="govuk-button govuk-!-margin-bottom-0" data-module="govuk-button">
          Show changes
        </button>
      </Form>

      <p className="govuk-body">
        <a className="govuk-link" href={d.csvHref} download>
          Download CSV<span className="govuk-visually-hidden"> of these changes</span>
        </a>
      </p>

      {d.rows.length === 0 ? (
        <p className="govuk-body">No changes match.</p>
      ) : (
        <>
          <p className="govuk-body">
            {d.total.toLocaleString('en-GB')} {d.total === 1 ? 'change' : 'changes'}
          </p>
          <div className="app-table-scroll" role="region" aria-labelledby="audit-caption" tabIndex={0}>
            <table className="govuk-table app-table--compact app-table--stack">
              <caption className="govuk-table__caption govuk-visually-hidden" id="audit-caption">
                Changes, newest first
              </caption>
              <TableHead columns={['When', 'Who', 'What', 'Subject', 'Details', 'IP address']} />
              <tbody className="govuk-table__body">
                {d.rows.map((r) => (
                  <tr key={r.id} className="govuk-table__row">
                    <td data-label="When" className="govuk-table__cell">
                      {longDateTime(r.at)}
                    </td>
                    <td data-label="Who" className="govuk-table__cell">
                      {r.actorName ?? 'Buyback'}
                    </td>
                    <td data-label="What" className="govuk-table__cell">
                      {r.actionText}
                      <span className="app-table__secondary">{r.action}</span>
                    </td>
                    <td data-label="Subject" className="govuk-table__cell">
                      {r.subject}
                    </td>
                    <td data-label="Details" className="govuk-table__cell">
                      {r.summary}
                    </td>
                    <td data-label="IP address" className="govuk-table__cell">
                      {r.ip}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pagination label="Pages of the audit log" path="/la/admin/audit" params={d.values} page={d.page} pageCount={d.pageCount} />
        </>
      )}
    </>
  )
}
