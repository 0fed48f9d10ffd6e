import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { FinanceNav } from '~/components/finance-nav'
import { ErrorSummary, SelectField } from '~/components/forms'
import { Pagination, pageHref } from '~/components/pagination'
import { TableHead } from '~/components/table-head'
import { clock } from '~/utils/clock'
import { invoiceTag } from '~/domain/finance'
import { monthLabel } from '~/domain/invoicing'
import { formatPence } from '~/domain/money'
import { invoiceFilterOptions, listInvoices } from '~/models/billing/invoices.server'
import { schoolOptions } from '~/models/ordering/orders.server'
import { parseInvoiceFilters, SCHOOL_ERROR, SERVICE_ERROR } from '~/schemas/orders'
import { FINANCE_ROUTE_NAMES, FINANCE_ROUTES, INVOICE_STATUS_TAGS, INVOICE_STATUSES } from '~/schemas/order-labels'
import { getRequestAuthority } from '~/utils/authority.server'
import { requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { formatDate } from '~/utils/format'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['finance', 'la_admin'])
  const db = await getDb()
  const search = parseInvoiceFilters(new URL(request.url).searchParams)
  const [authority, schools, options] = await Promise.all([
    getRequestAuthority(db, request, user),
    schoolOptions(db, user.authorityId),
    invoiceFilterOptions(db, user.authorityId),
  ])
  // A school or service of another authority (or none at all) is not a choice: say so, and show everything.
  if (search.filters.schoolId && !schools.some((s) => s.id === search.filters.schoolId)) {
    search.errors.school = SCHOOL_ERROR
    search.values.school = ''
    delete search.filters.schoolId
  }
  if (search.filters.serviceId && !options.services.some((s) => s.id === search.filters.serviceId)) {
    search.errors.service = SERVICE_ERROR
    search.values.service = ''
    delete search.filters.serviceId
  }
  if (search.filters.month && !options.months.includes(search.filters.month)) {
    // A month with no invoices is a fair question with an empty answer, but it is not in the list: keep it there.
    options.months.push(search.filters.month)
    options.months.sort().reverse()
  }
  const result = await listInvoices(db, user.authorityId, search.filters)
  return {
    authority: { name: authority.name },
    today: clock.today(),
    search,
    schools,
    services: options.services,
    months: options.months.map((m) => ({ value: m.slice(0, 7), label: monthLabel(m) })),
    ...result,
  }
}

/** A school's orders and money are nobody else's: never kept by shared caches. */
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  const errors = data && Object.keys(data.search.errors).length > 0
  return [{ title: `${errors ? 'Error: ' : ''}Invoices – ${data?.authority.name ?? 'Buyback'}` }]
}

const STATUS_OPTIONS = [...INVOICE_STATUSES.map((s) => ({ value: s, label: INVOICE_STATUS_TAGS[s].label })), { value: 'overdue', label: 'Overdue' }]
const ROUTE_OPTIONS = FINANCE_ROUTES.map((r) => ({ value: r, label: FINANCE_ROUTE_NAMES[r] }))

export default function Invoices() {
  const { search, schools, services, months, invoices, total, page, pageCount, anyIssued, today } = useLoaderData<typeof loader>()
  const f = search.filters
  const filtered = Boolean(f.schoolId || f.status || f.route || f.serviceId || f.month)
  const csvHref = pageHref('/finance/invoices.csv', search.values, 1)

  return (
    <>
      <FinanceNav />
      <ErrorSummary errors={search.errors} focus={false} />
      <span className="govuk-caption-l">Finance</span>
      <h1 className="govuk-heading-xl">Invoices</h1>

      {/* MOJ Frontend's filter panel, above the list (the list is wide); the fields post as before. */}
      <div className="moj-filter govuk-!-margin-bottom-6">
        <div className="moj-filter__header">
          <div className="moj-filter__header-title">
            <h2 className="govuk-heading-m" id="filter-heading">
              Filter invoices
            </h2>
          </div>
        </div>
        <div className="moj-filter__content">
          <div className="moj-filter__options">
            <Form key={JSON.stringify(search.values)} method="get" aria-labelledby="filter-heading">
              <div className="govuk-grid-row">
                <div className="govuk-grid-column-one-third">
                  <SelectField
                    name="school"
                    label="School"
                    error={search.errors.school}
                    value={search.values.school}
                    options={[{ value: '', label: 'All schools' }, ...schools.map((s) => ({ value: s.id, label: s.name }))]}
                  />
                </div>
                <div className="govuk-grid-column-one-third">
                  <SelectField
                    name="service"
                    label="Service"
                    error={search.errors.service}
                    value={search.values.service}
                    options={[{ value: '', label: 'All services' }, ...services.map((s) => ({ value: s.id, label: s.name }))]}
                  />
                </div>
                <div className="govuk-grid-column-one-third">
                  <SelectField
                    name="month"
                    label="Issued in"
                    error={search.errors.month}
                    value={search.values.month}
                    options={[{ value: '', label: 'Any month' }, ...months]}
                  />
                </div>
              </div>
              <div className="govuk-grid-row">
                <div className="govuk-grid-column-one-third">
                  <SelectField
                    name="status"
                    label="Status"
                    error={search.errors.status}
                    value={search.values.status}
                    options={[{ value: '', label: 'Any status' }, ...STATUS_OPTIONS]}
                  />
                </div>
                <div className="govuk-grid-column-one-third">
                  <SelectField
                    name="route"
                    label="Paid by"
                    error={search.errors.route}
                    value={search.values.route}
                    options={[{ value: '', label: 'Any route' }, ...ROUTE_OPTIONS]}
                  />
                </div>
              </div>
              <button type="submit" className="govuk-button govuk-!-margin-bottom-0" data-module="govuk-button">
                Show invoices
              </button>
            </Form>
          </div>
        </div>
      </div>

      {!anyIssued ? (
        <>
          <p className="govuk-body-l">No invoices have been issued yet.</p>
          <p className="govuk-body">
            Invoices are issued from confirmed orders on each service’s schedule: once a year in advance, termly, or monthly for what was delivered.
            Academies are invoiced; maintained schools pay by internal recharge.
          </p>
        </>
      ) : (
        <>
          <p className="govuk-body" role="status">
            {total === 1 ? '1 invoice' : `${total} invoices`}
            {total > 0 ? (
              <>
                {' '}
                <a className="govuk-link" href={csvHref} download>
                  Download {filtered ? 'these invoices' : 'all invoices'} as a spreadsheet (CSV)
                </a>
              </>
            ) : null}
            {filtered ? (
              <>
                {' '}
                <Link className="govuk-link" to="/finance/invoices">
                  Show all invoices
                </Link>
              </>
            ) : null}
          </p>

          {invoices.length === 0 ? (
            <>
              <h2 className="govuk-heading-m">No invoices found</h2>
              <p className="govuk-body">No invoices match what you chose. Try another school, service, month, status or route.</p>
            </>
          ) : (
            <div className="app-table-scroll" role="region" aria-label="Invoices" tabIndex={0}>
              <table className="govuk-table app-table--compact app-table--stack" data-module="moj-sortable-table">
                <caption className="govuk-visually-hidden">Invoices, newest first</caption>
                <TableHead
                  sortable
                  columns={[
                    'Number',
                    'School',
                    { label: 'Issued', sort: 'descending' },
                    'Due',
                    'Paid by',
                    'Status',
                    { label: 'Amount', numeric: true },
                    { label: 'Paid', numeric: true },
                    { label: 'Outstanding', numeric: true },
                  ]}
                />
                <tbody className="govuk-table__body">
                  {invoices.map((invoice) => {
                    const tag = INVOICE_STATUS_TAGS[invoiceTag(invoice, today)]
                    return (
                      <tr key={invoice.id} className="govuk-table__row">
                        <th scope="row" className="govuk-table__header app-nowrap" data-sort-value={invoice.number}>
                          <Link className="govuk-link" to={`/finance/invoices/${invoice.id}`}>
                            {invoice.number}
                          </Link>
                          {invoice.orderId && invoice.orderReference ? (
                            <span className="app-table__secondary app-table__secondary--link">
                              <Link className="govuk-link" to={`/orders/${invoice.orderId}`}>
                                {invoice.orderReference}
                              </Link>
                            </span>
                          ) : null}
                        </th>
                        <td data-label="School" className="govuk-table__cell">
                          {invoice.schoolName}
                        </td>
                        <td data-label="Issued" className="govuk-table__cell" data-sort-value={invoice.issuedAt}>
                          {formatDate(invoice.issuedAt)}
                        </td>
                        <td data-label="Due" className="govuk-table__cell" data-sort-value={invoice.dueOn}>
                          {formatDate(invoice.dueOn)}
                        </td>
                        <td data-label="Paid by" className="govuk-table__cell">
                          {FINANCE_ROUTE_NAMES[invoice.route]}
                        </td>
                        <td data-label="Status" className="govuk-table__cell" data-sort-value={tag.label}>
                          <strong className={`govuk-tag govuk-tag--${tag.colour}`}>{tag.label}</strong>
                        </td>
                        <td data-label="Amount" className="govuk-table__cell govuk-table__cell--numeric" data-sort-value={invoice.grossPence}>
                          {formatPence(invoice.grossPence)}
                        </td>
                        <td data-label="Paid" className="govuk-table__cell govuk-table__cell--numeric" data-sort-value={invoice.amountPaidPence}>
                          {formatPence(invoice.amountPaidPence)}
                          {invoice.amountCreditedPence > 0 ? (
                            <span className="app-table__secondary">{formatPence(invoice.amountCreditedPence)} credited</span>
                          ) : null}
                        </td>
                        <td
                          data-label="Outstanding"
                          className="govuk-table__cell govuk-table__cell--numeric"
                          data-sort-value={invoice.outstandingPence}
                        >
                          {formatPence(invoice.outstandingPence)}
                        </td>
                      </tr>
                    )
                  })}
                </tbody>
              </table>
            </div>
          )}

          <Pagination label="Pages of invoices" path="/finance/invoices" params={search.values} page={page} pageCount={pageCount} />
        </>
      )}
    </>
  )
}
