import { clock } from '~/utils/clock'
import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { SelectField } from '~/components/forms'
import { TableHead } from '~/components/table-head'
import { tradingYearLabel, tradingYearOf } from '~/domain/trading-year'
import { deliverySchools, listDeliveryLines } from '~/models/ordering/delivery.server'
import { staffScopeFor } from '~/models/shared/access-scope.server'
import { getRequestAuthority } from '~/utils/authority.server'
import { forbidden, requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { isUuid } from '~/schemas/common'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['service_lead', 'la_admin'])
  const scope = staffScopeFor(user)
  if (!scope) throw forbidden()
  const db = await getDb()
  const authority = await getRequestAuthority(db, request, user)
  const current = tradingYearOf(clock.now(), authority.financialYearStartMonth)
  const url = new URL(request.url)
  const yearParam = Number(url.searchParams.get('year'))
  const tradingYear = [current - 1, current, current + 1].includes(yearParam) ? yearParam : current
  const schoolParam = url.searchParams.get('school') ?? ''
  const schoolId = isUuid(schoolParam) ? schoolParam : undefined
  const [lines, schools] = await Promise.all([listDeliveryLines(db, scope, { tradingYear, schoolId }), deliverySchools(db, scope, tradingYear)])
  return {
    lines,
    schools,
    filters: { year: String(tradingYear), school: schoolId ?? '' },
    years: [current + 1, current, current - 1].map((y) => ({ value: String(y), label: tradingYearLabel(y) })),
    recorded: url.searchParams.get('recorded') === '1',
  }
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction = () => [{ title: 'Record delivery – Buyback' }]

export default function Delivery() {
  const { lines, schools, filters, years } = useLoaderData<typeof loader>()
  const bySchool = new Map<string, typeof lines>()
  for (const line of lines) bySchool.set(line.schoolName, [...(bySchool.get(line.schoolName) ?? []), line])
  return (
    <>
      <h1 className="govuk-heading-l">Record delivery</h1>
      <p className="govuk-body">Confirmed orders for your services, by school, with what has been delivered against what was bought.</p>
      <Form method="get" className="app-filter-form">
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-third">
            <SelectField name="year" label="Trading year" value={filters.year} options={years} />
          </div>
          <div className="govuk-grid-column-one-third">
            <SelectField
              name="school"
              label="School"
              value={filters.school}
              options={[{ value: '', label: 'All schools' }, ...schools.map((s) => ({ value: s.id, label: s.name }))]}
            />
          </div>
        </div>
        <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
          Show orders
        </button>
      </Form>
      {lines.length === 0 ? (
        <p className="govuk-body">No confirmed orders match.</p>
      ) : (
        [...bySchool].map(([schoolName, schoolLines]) => {
          const headingId = `school-${schoolLines[0]!.schoolId}`
          return (
            <div key={schoolName} className="app-table-scroll" role="region" aria-labelledby={headingId} tabIndex={0}>
              <table className="govuk-table app-table--compact app-table--stack">
                <caption className="govuk-table__caption govuk-table__caption--m" id={headingId}>
                  {schoolName}
                </caption>
                <TableHead columns={['Service', 'Order', 'Used', <span className="govuk-visually-hidden">Action</span>]} />
                <tbody className="govuk-table__body">
                  {schoolLines.map((line) => (
                    <tr key={line.id} className="govuk-table__row">
                      <th scope="row" className="govuk-table__header">
                        {line.serviceName}
                        <span className="app-table__secondary">{line.offerName}</span>
                      </th>
                      <td data-label="Order" className="govuk-table__cell">
                        <Link className="govuk-link" to={`/orders/${line.orderId}`}>
                          {line.reference}
                        </Link>
                      </td>
                      <td data-label="Used" className="govuk-table__cell">
                        {line.usedText}
                      </td>
                      <td className="govuk-table__cell">
                        <Link className="govuk-link" to={`/la/delivery/${line.id}`}>
                          Record delivery
                          <span className="govuk-visually-hidden">
                            : {line.serviceName}, {line.reference}
                          </span>
                        </Link>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        })
      )}
    </>
  )
}
