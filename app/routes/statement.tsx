import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { MemberSchoolChooser } from '~/components/member-school-chooser'
import { ErrorSummary, SelectField } from '~/components/forms'
import { formatPence } from '~/domain/money'
import { tradingYearLabel } from '~/domain/trading-year'
import { formatDate } from '~/utils/format'
import { loadStatement } from '~/utils/statement.server'

/**
 * /statement: the school's statement of account for a trading year (this one
 * unless chosen): opening balance, every invoice, credit note, payment and
 * refund with a running balance, the closing balance and the ageing of what
 * is open. "Download statement" prints the same figures (/statement.pdf).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { statement, years, period, members, schoolId } = await loadStatement(request)
  return {
    statement,
    period,
    members,
    schoolId,
    yearOptions: years.map((y) => ({ value: tradingYearLabel(y), label: tradingYearLabel(y) })),
  }
}

/** A school's money is nobody else's: never kept by shared caches. */
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: `${data?.period.error ? 'Error: ' : ''}Statement of account – ${data?.statement.school.name ?? ''} – ${data?.statement.authority.name ?? 'Buyback'}`,
  },
]

/** "£120.00", or "£120.00 in credit" when the authority owes the school. */
function balance(pence: number): string {
  return pence < 0 ? `${formatPence(-pence)} in credit` : formatPence(pence)
}

export default function StatementPage() {
  const { statement: s, period, yearOptions, members, schoolId } = useLoaderData<typeof loader>()
  const yearLabel = tradingYearLabel(s.tradingYear)
  const pdfHref = `/statement.pdf?${new URLSearchParams({ ...(members ? { school: schoolId } : {}), year: yearLabel })}`
  return (
    <>
      <ErrorSummary errors={period.error ? { year: period.error } : undefined} focus={false} />
      <span className="govuk-caption-l">{s.school.name}</span>
      <h1 className="govuk-heading-xl">Statement of account</h1>
      <p className="govuk-body">
        Your account with {s.authority.name} from {formatDate(s.from)} to {formatDate(s.to)} ({yearLabel}).
      </p>

      {members ? <MemberSchoolChooser members={members} schoolId={schoolId} action="/statement" what="statement" /> : null}
      <Form method="get" className="app-filters" aria-label="Choose the period">
        {members ? <input type="hidden" name="school" value={schoolId} /> : null}
        <SelectField name="year" label="Trading year" error={period.error} value={period.error ? '' : yearLabel} options={yearOptions} />
        <button type="submit" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0">
          Show statement
        </button>
      </Form>

      <dl className="govuk-summary-list">
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Opening balance on {formatDate(s.from)}</dt>
          <dd className="govuk-summary-list__value" data-testid="opening-balance">
            {balance(s.openingBalancePence)}
          </dd>
        </div>
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Closing balance on {formatDate(s.to)}</dt>
          <dd className="govuk-summary-list__value" data-testid="closing-balance">
            <strong>{balance(s.closingBalancePence)}</strong>
          </dd>
        </div>
        {s.onAccountPence > 0 ? (
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Paid but not yet matched to an invoice</dt>
            <dd className="govuk-summary-list__value">
              {formatPence(s.onAccountPence)} (finance will match it to your invoices; it is not taken off the balance until then)
            </dd>
          </div>
        ) : null}
      </dl>

      <p className="govuk-body">
        <a className="govuk-button govuk-button--secondary" href={pdfHref} download>
          Download statement
        </a>
      </p>

      <h2 className="govuk-heading-m">Transactions</h2>
      {s.entries.length === 0 ? (
        <p className="govuk-body">Nothing was invoiced, credited, paid or refunded in this period.</p>
      ) : (
        <div className="app-table-scroll" role="region" aria-label="Transactions" tabIndex={0}>
          <table className="govuk-table app-table--compact app-table--stack">
            <caption className="govuk-visually-hidden">Transactions in date order with the balance after each</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">
                  Date
                </th>
                <th scope="col" className="govuk-table__header">
                  Transaction
                </th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                  Charged
                </th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                  Paid or credited
                </th>
                <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                  Balance
                </th>
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              <tr className="govuk-table__row">
                <td data-label="Date" className="govuk-table__cell">
                  {formatDate(s.from)}
                </td>
                <td data-label="Transaction" className="govuk-table__cell">
                  Opening balance
                </td>
                <td data-label="Charged" className="govuk-table__cell" />
                <td data-label="Paid or credited" className="govuk-table__cell" />
                <td data-label="Balance" className="govuk-table__cell govuk-table__cell--numeric">
                  {balance(s.openingBalancePence)}
                </td>
              </tr>
              {s.entries.map((e, k) => (
                <tr key={k} className="govuk-table__row">
                  <td data-label="Date" className="govuk-table__cell">
                    {formatDate(e.date)}
                  </td>
                  <td data-label="Transaction" className="govuk-table__cell">
                    {e.description.split(e.invoiceNumber).flatMap((part, i) =>
                      i === 0
                        ? [part]
                        : [
                            <Link key={i} className="govuk-link" to={`/invoices/${e.invoiceId}`}>
                              {e.invoiceNumber}
                            </Link>,
                            part,
                          ],
                    )}
                  </td>
                  <td data-label="Charged" className="govuk-table__cell govuk-table__cell--numeric">
                    {e.debitPence ? formatPence(e.debitPence) : ''}
                  </td>
                  <td data-label="Paid or credited" className="govuk-table__cell govuk-table__cell--numeric">
                    {e.creditPence ? formatPence(e.creditPence) : ''}
                  </td>
                  <td data-label="Balance" className="govuk-table__cell govuk-table__cell--numeric">
                    {balance(e.balancePence)}
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr className="govuk-table__row">
                <th scope="row" colSpan={4} className="govuk-table__header">
                  Closing balance on {formatDate(s.to)}
                </th>
                <td className="govuk-table__cell govuk-table__cell--numeric app-table__total">{balance(s.closingBalancePence)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      )}

      <h2 className="govuk-heading-m">What is open, by days overdue</h2>
      <p className="govuk-body">On {formatDate(s.ageingAsOf)}, what you still owe by how many days it is past its due date.</p>
      <table className="govuk-table app-table--compact">
        <caption className="govuk-visually-hidden">What is open by days overdue</caption>
        <thead className="govuk-table__head">
          <tr className="govuk-table__row">
            {s.ageing.map((b) => (
              <th key={b.band} scope="col" className="govuk-table__header govuk-table__header--numeric">
                {b.label === 'Not yet due' ? 'Current (not yet due)' : `${b.label} overdue`}
              </th>
            ))}
            <th scope="col" className="govuk-table__header govuk-table__header--numeric">
              Total
            </th>
          </tr>
        </thead>
        <tbody className="govuk-table__body">
          <tr className="govuk-table__row">
            {s.ageing.map((b) => (
              <td key={b.band} className="govuk-table__cell govuk-table__cell--numeric">
                {formatPence(b.pence)}
              </td>
            ))}
            <td className="govuk-table__cell govuk-table__cell--numeric app-table__total">{formatPence(s.ageingTotalPence)}</td>
          </tr>
        </tbody>
      </table>
      <p className="govuk-body">
        <Link className="govuk-link" to={members ? `/spend?school=${schoolId}` : '/spend'}>
          Your spend by service and month
        </Link>
      </p>
    </>
  )
}
