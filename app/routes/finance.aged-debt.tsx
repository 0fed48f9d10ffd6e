import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { FinanceNav } from '~/components/finance-nav'
import { ErrorSummary, SelectField } from '~/components/forms'
import { pageHref } from '~/components/pagination'
import { clock } from '~/utils/clock'
import { AGE_BANDS } from '~/domain/invoicing'
import { formatPence } from '~/domain/money'
import { agedDebtReport } from '~/models/billing/aged-debt.server'
import { parseAgedDebtFilters } from '~/schemas/finance'
import { FINANCE_ROUTE_NAMES, FINANCE_ROUTES } from '~/schemas/order-labels'
import { getRequestAuthority } from '~/utils/authority.server'
import { requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { formatDate } from '~/utils/format'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['finance', 'la_admin'])
  const db = await getDb()
  const filter = parseAgedDebtFilters(new URL(request.url).searchParams)
  const [authority, report] = await Promise.all([
    getRequestAuthority(db, request, user),
    agedDebtReport(db, user.authorityId, { asOf: clock.today(), route: filter.route }),
  ])
  return { authority: { name: authority.name }, filter, report }
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.filter.error ? 'Error: ' : ''}Aged debt – ${data?.authority.name ?? 'Buyback'}` },
]

export default function AgedDebt() {
  const { filter, report } = useLoaderData<typeof loader>()
  const routeName = filter.route ? FINANCE_ROUTE_NAMES[filter.route].toLowerCase() : null
  return (
    <>
      <FinanceNav />
      <ErrorSummary errors={filter.error ? { route: filter.error } : undefined} focus={false} />
      <span className="govuk-caption-l">Finance</span>
      <h1 className="govuk-heading-xl">Aged debt</h1>
      <p className="govuk-body">
        What each school still owes on open and written-off invoices on {formatDate(report.asOf)}, by how many days it is past its due date. The
        schools owing the oldest debt come first.
      </p>

      <Form method="get" className="app-filters" aria-label="Filter aged debt">
        <SelectField
          name="route"
          label="Paid by"
          error={filter.error}
          value={filter.value}
          options={[{ value: '', label: 'Any route' }, ...FINANCE_ROUTES.map((r) => ({ value: r, label: FINANCE_ROUTE_NAMES[r] }))]}
        />
        <button type="submit" className="govuk-button govuk-!-margin-bottom-0">
          Show aged debt
        </button>
      </Form>

      {report.writtenOff.invoiceCount > 0 ? (
        <p className="govuk-body" id="written-off">
          Written off and not counted as debt: {formatPence(report.writtenOff.pence)} on{' '}
          {report.writtenOff.invoiceCount === 1 ? '1 invoice' : `${report.writtenOff.invoiceCount} invoices`}.
        </p>
      ) : null}
      {report.rows.length === 0 ? (
        <p className="govuk-body">{routeName ? `Nothing is owed by ${routeName}.` : 'Nothing is owed.'}</p>
      ) : (
        <>
          <p className="govuk-body">
            {report.rows.length === 1 ? '1 school owes' : `${report.rows.length} schools owe`} {formatPence(report.totals.totalPence)}
            {routeName ? ` by ${routeName}` : ''}, of which {formatPence(report.totals.overduePence)} is overdue.{' '}
            <a className="govuk-link" href={pageHref('/finance/aged-debt.csv', { route: filter.value }, 1)} download>
              Download as a spreadsheet (CSV)
            </a>
          </p>
          <div className="app-table-scroll" role="region" aria-label="Aged debt by school" tabIndex={0}>
            <table className="govuk-table app-table--compact" data-module="moj-sortable-table">
              <caption className="govuk-visually-hidden">What each school owes by days overdue, most overdue first, with totals</caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header" aria-sort="none">
                    School
                  </th>
                  {AGE_BANDS.map((b) => (
                    <th key={b.band} scope="col" className="govuk-table__header govuk-table__header--numeric" aria-sort="none">
                      {b.label}
                    </th>
                  ))}
                  <th scope="col" className="govuk-table__header govuk-table__header--numeric" aria-sort="none">
                    Total
                  </th>
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                {report.rows.map((r) => (
                  <tr key={r.schoolId} className="govuk-table__row">
                    <th scope="row" className="govuk-table__header" data-sort-value={r.schoolName}>
                      {r.trust ? (
                        r.schoolName
                      ) : (
                        <Link className="govuk-link" to={`/finance/invoices?school=${r.schoolId}&status=open`}>
                          {r.schoolName}
                        </Link>
                      )}
                      <span className="app-table__secondary">
                        {r.trust ? 'Trust' : `URN ${r.urn}`}, {r.invoiceCount === 1 ? '1 invoice' : `${r.invoiceCount} invoices`}
                      </span>
                    </th>
                    {AGE_BANDS.map((b) => (
                      <td key={b.band} className="govuk-table__cell govuk-table__cell--numeric" data-sort-value={r.bands[b.band]}>
                        {r.bands[b.band] > 0 ? formatPence(r.bands[b.band]) : <span className="app-table__secondary">£0</span>}
                      </td>
                    ))}
                    <td className="govuk-table__cell govuk-table__cell--numeric app-table__total" data-sort-value={r.totalPence}>
                      {formatPence(r.totalPence)}
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr className="govuk-table__row">
                  <th scope="row" className="govuk-table__header">
                    Total
                  </th>
                  {AGE_BANDS.map((b) => (
                    <td key={b.band} className="govuk-table__cell govuk-table__cell--numeric app-table__total">
                      {formatPence(report.totals.bands[b.band])}
                    </td>
                  ))}
                  <td className="govuk-table__cell govuk-table__cell--numeric app-table__total">{formatPence(report.totals.totalPence)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
        </>
      )}
    </>
  )
}
