import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { MemberSchoolChooser } from '~/components/member-school-chooser'
import { SpendChart } from '~/components/spend-chart'
import { formatPence } from '~/domain/money'
import { tradingYearLabel } from '~/domain/trading-year'
import type { SpendYear } from '~/models/billing/spend.server'
import { loadSpend } from '~/utils/spend.server'

/**
 * /spend: what the school spends, this trading year and last, by service and
 * by month: committed (confirmed order lines), invoiced (net of credit
 * notes), paid; used against bought; next year's renewal proposal at
 * published prices; each service's CFR codes. /spend.csv has every charge.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return loadSpend(request)
}

/** A school's money is nobody else's: never kept by shared caches. */
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Your spend – ${data?.spend.school.name ?? ''} – ${data?.authority.name ?? 'Buyback'}` },
]

const num = 'govuk-table__cell govuk-table__cell--numeric'
const numHead = 'govuk-table__header govuk-table__header--numeric'

function ServiceTable({ year, id }: { year: SpendYear; id: string }) {
  const label = tradingYearLabel(year.tradingYear)
  if (year.services.length === 0) return <p className="govuk-body">Nothing was ordered or invoiced in {label}.</p>
  return (
    <div className="app-table-scroll" role="region" aria-labelledby={id} tabIndex={0}>
      <table className="govuk-table app-table--compact">
        <caption className="govuk-table__caption govuk-table__caption--s" id={id}>
          {label} by service, including VAT
        </caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            <th scope="col" className="govuk-table__header">
              Service
            </th>
            <th scope="col" className="govuk-table__header">
              CFR code
            </th>
            <th scope="col" className={numHead}>
              Committed
            </th>
            <th scope="col" className={numHead}>
              Invoiced
            </th>
            <th scope="col" className={numHead}>
              Paid
            </th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          {year.services.map((s) => (
            <tr key={s.serviceId} className="govuk-table__row">
              <th scope="row" className="govuk-table__header">
                {s.serviceName}
              </th>
              <td className="govuk-table__cell">{s.cfrCodes.join(', ') || 'None'}</td>
              <td className={num}>{formatPence(s.committedPence)}</td>
              <td className={num}>{formatPence(s.invoicedPence)}</td>
              <td className={num}>{formatPence(s.paidPence)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr className="govuk-table__row">
            <th scope="row" colSpan={2} className="govuk-table__header">
              Total
            </th>
            <td className={`${num} app-table__total`}>{formatPence(year.totals.committedPence)}</td>
            <td className={`${num} app-table__total`}>{formatPence(year.totals.invoicedPence)}</td>
            <td className={`${num} app-table__total`}>{formatPence(year.totals.paidPence)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  )
}

export default function SpendPage() {
  const { spend, members, schoolId } = useLoaderData<typeof loader>()
  const school = members ? `?school=${schoolId}` : ''
  const { thisYear, lastYear, proposal } = spend
  const thisLabel = tradingYearLabel(thisYear.tradingYear)
  const lastLabel = tradingYearLabel(lastYear.tradingYear)
  return (
    <>
      <span className="govuk-caption-l">{spend.school.name}</span>
      <h1 className="govuk-heading-xl">Your spend</h1>
      {members ? <MemberSchoolChooser members={members} schoolId={schoolId} action="/spend" what="spend" /> : null}
      <p className="govuk-body">
        What you have committed to (confirmed orders), been invoiced (less credit notes) and paid, in {thisLabel} and {lastLabel}. Amounts include
        VAT.
      </p>
      <p className="govuk-body">
        <a className="govuk-link" href={`/spend.csv${school}`} download>
          Download every charge for your finance system (CSV)
        </a>{' '}
        or see your{' '}
        <Link className="govuk-link" to={`/statement${school}`}>
          statement of account
        </Link>
        .
      </p>

      <h2 className="govuk-heading-m">By service</h2>
      <ServiceTable year={thisYear} id="services-this-year" />
      <ServiceTable year={lastYear} id="services-last-year" />

      <h2 className="govuk-heading-m">By month</h2>
      <SpendChart
        id="spend-chart"
        title={`Invoiced each month, ${thisLabel} and ${lastLabel}`}
        thisYearLabel={thisLabel}
        lastYearLabel={lastLabel}
        months={thisYear.months.map((m, i) => ({
          label: m.label.slice(0, 3),
          thisYear: m.invoicedPence,
          lastYear: lastYear.months[i]?.invoicedPence ?? 0,
        }))}
      />
      <div className="app-table-scroll" role="region" aria-labelledby="months-caption" tabIndex={0}>
        <table className="govuk-table app-table--compact">
          <caption className="govuk-table__caption govuk-table__caption--s" id="months-caption">
            Invoiced and paid each month, including VAT
          </caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">
                Month
              </th>
              <th scope="col" className={numHead}>
                Invoiced {thisLabel}
              </th>
              <th scope="col" className={numHead}>
                Paid {thisLabel}
              </th>
              <th scope="col" className={numHead}>
                Invoiced {lastLabel}
              </th>
              <th scope="col" className={numHead}>
                Paid {lastLabel}
              </th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {thisYear.months.map((m, i) => (
              <tr key={m.month} className="govuk-table__row">
                <th scope="row" className="govuk-table__header">
                  {m.label.slice(0, 3)}
                </th>
                <td className={num}>{formatPence(m.invoicedPence)}</td>
                <td className={num}>{formatPence(m.paidPence)}</td>
                <td className={num}>{formatPence(lastYear.months[i]?.invoicedPence ?? 0)}</td>
                <td className={num}>{formatPence(lastYear.months[i]?.paidPence ?? 0)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2 className="govuk-heading-m">Used and bought</h2>
      {[thisYear, lastYear].every((y) => y.usage.length === 0) ? (
        <p className="govuk-body">
          No confirmed orders in {lastLabel} or {thisLabel}.
        </p>
      ) : (
        <table className="govuk-table app-table--compact">
          <caption className="govuk-visually-hidden">What was used of what was bought, by order line</caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">
                Year
              </th>
              <th scope="col" className="govuk-table__header">
                Service and offer
              </th>
              <th scope="col" className={numHead}>
                Bought
              </th>
              <th scope="col" className={numHead}>
                Used
              </th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {[thisYear, lastYear].flatMap((y) =>
              y.usage.map((u) => (
                <tr key={u.lineId} className="govuk-table__row">
                  <td className="govuk-table__cell">{tradingYearLabel(y.tradingYear)}</td>
                  <td className="govuk-table__cell">
                    <Link className="govuk-link" to={`/orders/${u.orderId}`}>
                      {u.serviceName}: {u.offerName}
                    </Link>
                  </td>
                  <td className={num}>
                    {u.bought} {u.bought === 1 ? u.unitOne : u.unitOther}
                  </td>
                  <td className={num}>
                    {u.used} {u.used === 1 ? u.unitOne : u.unitOther}
                  </td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}

      <h2 className="govuk-heading-m">Next year</h2>
      {proposal ? (
        <>
          <p className="govuk-body">
            Your renewal proposal for {tradingYearLabel(proposal.tradingYear)} (
            {proposal.status === 'accepted' ? 'accepted' : 'waiting for your answer'}) comes to <strong>{formatPence(proposal.grossPence)}</strong> at
            the published prices ({formatPence(proposal.netPence)} before VAT).{' '}
            <Link className="govuk-link" to={`/renewals${school}`}>
              See your renewal
            </Link>
          </p>
          <table className="govuk-table app-table--compact">
            <caption className="govuk-visually-hidden">Next year’s proposal at published prices</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">
                  Service and offer
                </th>
                <th scope="col" className="govuk-table__header">
                  Quantity
                </th>
                <th scope="col" className={numHead}>
                  Price including VAT
                </th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {proposal.lines.map((l, k) => (
                <tr key={k} className="govuk-table__row">
                  <td className="govuk-table__cell">
                    {l.serviceName}: {l.offerName}
                  </td>
                  <td className="govuk-table__cell">{l.quantityText}</td>
                  <td className={num}>{formatPence(l.grossPence)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : (
        <p className="govuk-body">There is no renewal proposal for {tradingYearLabel(thisYear.tradingYear + 1)} yet.</p>
      )}
    </>
  )
}
