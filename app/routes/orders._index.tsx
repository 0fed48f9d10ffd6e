import { clock } from '~/utils/clock'
import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { ErrorSummary, SelectField } from '~/components/forms'
import { Pagination } from '~/components/pagination'
import { tradingYearLabel, tradingYearOf } from '~/domain/trading-year'
import { formatPence } from '~/domain/money'
import { listOrders, orderTradingYears, schoolOptions } from '~/models/ordering/orders.server'
import { orderScopeFor } from '~/models/shared/access-scope.server'
import { parseOrderFilters } from '~/schemas/orders'
import { ORDER_STATUS_TAGS } from '~/schemas/order-labels'
import { getRequestAuthority } from '~/utils/authority.server'
import { forbidden, requireUser } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { formatDate } from '~/utils/format'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request)
  const scope = orderScopeFor(user)
  if (!scope) throw forbidden()
  const db = await getDb()
  const authority = await getRequestAuthority(db, request, user)
  const search = parseOrderFilters(new URL(request.url).searchParams)
  const isSchool = scope.kind === 'school'
  // A school user's orders are their school's whatever the address says.
  if (isSchool) {
    delete search.filters.schoolId
    search.values.school = ''
    delete search.errors.school
  }
  const [years, schools] = await Promise.all([
    orderTradingYears(db, scope),
    isSchool ? Promise.resolve([]) : schoolOptions(db, user.authorityId, scope.kind === 'schools' ? scope.schoolIds : undefined),
  ])
  if (search.filters.schoolId && !schools.some((s) => s.id === search.filters.schoolId)) {
    // Not one of this authority's schools: say so rather than show nothing.
    search.errors.school = 'Choose a school from the list'
    search.values.school = ''
    delete search.filters.schoolId
  }
  const current = tradingYearOf(clock.now(), authority.financialYearStartMonth)
  const yearOptions = [...new Set([...years, current, ...(search.filters.year ? [search.filters.year] : [])])].sort((a, b) => b - a)
  const result = await listOrders(db, scope, search.filters)
  return {
    authority: { name: authority.name },
    view: isSchool ? ('school' as const) : ('council' as const),
    schoolName: user.schoolName,
    search,
    yearOptions: yearOptions.map((y) => ({ value: tradingYearLabel(y), label: tradingYearLabel(y) })),
    schools,
    ...result,
  }
}

/** A school's orders and money are nobody else's: never kept by shared caches. */
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  const errors = data && Object.keys(data.search.errors).length > 0
  const whose = data?.view === 'school' && data.schoolName ? `${data.schoolName} – ` : ''
  return [{ title: `${errors ? 'Error: ' : ''}Orders – ${whose}${data?.authority.name ?? 'Buyback'}` }]
}

export default function Orders() {
  const { view, schoolName, search, yearOptions, schools, orders, total, page, pageCount } = useLoaderData<typeof loader>()
  const filtered = Boolean(search.filters.year || search.filters.schoolId)
  const yearLabel = search.filters.year ? tradingYearLabel(search.filters.year) : null
  const schoolLabel = search.filters.schoolId ? schools.find((s) => s.id === search.filters.schoolId)?.name : undefined

  return (
    <>
      <ErrorSummary errors={search.errors} focus={false} />
      {view === 'school' && schoolName ? <span className="govuk-caption-l">{schoolName}</span> : null}
      <h1 className="govuk-heading-xl">{view === 'school' ? 'Your orders' : 'Orders'}</h1>

      <Form key={JSON.stringify(search.values)} method="get" className="app-filters" aria-label="Filter orders">
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-quarter">
            <SelectField
              name="year"
              label="Trading year"
              error={search.errors.year}
              value={search.values.year}
              options={[{ value: '', label: 'All years' }, ...yearOptions]}
            />
          </div>
          {view === 'council' ? (
            <div className="govuk-grid-column-one-half">
              <SelectField
                name="school"
                label="School"
                error={search.errors.school}
                value={search.values.school}
                options={[{ value: '', label: 'All schools' }, ...schools.map((s) => ({ value: s.id, label: s.name }))]}
              />
            </div>
          ) : null}
          <div className="govuk-grid-column-one-quarter">
            <button type="submit" className="govuk-button govuk-!-margin-top-6" data-module="govuk-button">
              Show orders
            </button>
          </div>
        </div>
      </Form>

      <p className="govuk-body" role="status">
        {total === 1 ? '1 order' : `${total} orders`}
        {schoolLabel ? ` for ${schoolLabel}` : ''}
        {yearLabel ? ` in ${yearLabel}` : ''}
        {filtered ? (
          <>
            {' '}
            <Link className="govuk-link" to="/orders">
              Show all orders
            </Link>
          </>
        ) : null}
      </p>

      {orders.length === 0 ? (
        <>
          <h2 className="govuk-heading-m">No orders found</h2>
          {filtered ? (
            <p className="govuk-body">There are no orders for what you chose. Try another trading year or school.</p>
          ) : view === 'school' ? (
            <p className="govuk-body">
              Your school has not ordered anything yet.{' '}
              <Link className="govuk-link" to="/services">
                Browse services
              </Link>{' '}
              to see what you can buy.
            </p>
          ) : (
            <p className="govuk-body">No orders have been placed yet.</p>
          )}
        </>
      ) : (
        <table className="govuk-table app-table--compact app-table--stack">
          <caption className="govuk-table__caption govuk-table__caption--m">
            {view === 'school' ? 'Orders, newest first' : 'Orders from schools, newest first'}
          </caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">
                Reference
              </th>
              {view === 'council' ? (
                <th scope="col" className="govuk-table__header">
                  School
                </th>
              ) : null}
              <th scope="col" className="govuk-table__header">
                Ordered
              </th>
              <th scope="col" className="govuk-table__header">
                Trading year
              </th>
              <th scope="col" className="govuk-table__header">
                Status
              </th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                Lines
              </th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                Total
              </th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {orders.map((order) => {
              const tag = ORDER_STATUS_TAGS[order.status]
              return (
                <tr key={order.id} className="govuk-table__row">
                  <th scope="row" className="govuk-table__header app-nowrap">
                    <Link className="govuk-link" to={`/orders/${order.id}`}>
                      {order.reference}
                    </Link>
                  </th>
                  {view === 'council' ? (
                    <td className="govuk-table__cell" data-label="School">
                      {order.schoolName}
                    </td>
                  ) : null}
                  <td className="govuk-table__cell" data-label="Ordered">
                    {formatDate(order.orderedAt)}
                  </td>
                  <td className="govuk-table__cell" data-label="Trading year">
                    {order.tradingYears.map((y) => tradingYearLabel(y)).join(', ')}
                  </td>
                  <td className="govuk-table__cell" data-label="Status">
                    <strong className={`govuk-tag govuk-tag--${tag.colour}`}>{tag.label}</strong>
                  </td>
                  <td className="govuk-table__cell govuk-table__cell--numeric" data-label="Lines">
                    {order.lineCount}
                  </td>
                  <td className="govuk-table__cell govuk-table__cell--numeric" data-label="Total">
                    {formatPence(order.grossPence)}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}

      <Pagination label="Pages of orders" path="/orders" params={search.values} page={page} pageCount={pageCount} numbered />
    </>
  )
}
