import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { SummaryRow } from '~/components/summary-list'
import { TableHead } from '~/components/table-head'
import { formatPence } from '~/domain/money'
import { getPayout } from '~/models/billing/reconciliation.server'
import { notFound, requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { formatDate } from '~/utils/format'
import { isUuid } from '~/schemas/common'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['finance', 'la_admin'])
  const payoutId = (params.payoutId ?? '').toLowerCase()
  if (!isUuid(payoutId)) throw notFound()
  const payout = await getPayout(await getDb(), user.authorityId, payoutId)
  if (!payout) throw notFound()
  return { payout }
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Payout ${data.payout.stripePayoutId} – Reconciliation – Buyback` : 'Page not found – Buyback' },
]

const TYPE_NAMES: Record<string, string> = {
  charge: 'Card payment',
  payment: 'Payment',
  refund: 'Refund',
  payout: 'Payout',
  stripe_fee: 'Stripe fee',
  adjustment: 'Adjustment',
}

export default function PayoutPage() {
  const { payout } = useLoaderData<typeof loader>()
  return (
    <>
      <Link to="/finance/reconciliation" className="govuk-back-link">
        Back to reconciliation
      </Link>
      <span className="govuk-caption-l">Stripe payout</span>
      <h1 className="govuk-heading-xl app-break-anywhere">{payout.stripePayoutId}</h1>
      <dl className="govuk-summary-list">
        <SummaryRow label="Arrival date">{formatDate(payout.arrivalDate)}</SummaryRow>
        <SummaryRow label="Amount">{formatPence(payout.amountPence)}</SummaryRow>
        <SummaryRow label="Status at Stripe">{payout.status}</SummaryRow>
        <SummaryRow label="Matched">
          {payout.matchedCount} of {payout.transactionCount} transactions, {formatPence(payout.matchedPence)}
        </SummaryRow>
        <SummaryRow label="Unmatched">
          {payout.unmatchedCount === 0
            ? 'None'
            : `${payout.unmatchedCount} ${payout.unmatchedCount === 1 ? 'transaction' : 'transactions'}, ${formatPence(payout.unmatchedPence)}`}
        </SummaryRow>
        <SummaryRow label="Reconciled">{payout.reconciledAt ? formatDate(payout.reconciledAt) : 'Not yet'}</SummaryRow>
      </dl>

      <h2 className="govuk-heading-l" id="transactions-heading">
        Transactions
      </h2>
      {payout.transactions.length === 0 ? (
        <p className="govuk-body">Stripe’s transactions for this payout have not been fetched yet.</p>
      ) : (
        <div className="app-table-scroll" role="region" aria-labelledby="transactions-heading" tabIndex={0}>
          <table className="govuk-table app-table--compact">
            <caption className="govuk-visually-hidden">The payout’s balance transactions and the invoices each paid</caption>
            <TableHead
              columns={[
                'Transaction',
                'Type',
                { label: 'Amount', numeric: true },
                { label: 'Fee', numeric: true },
                { label: 'Net', numeric: true },
                'Settled',
              ]}
            />
            <tbody className="govuk-table__body">
              {payout.transactions.map((t) => (
                <tr key={t.balanceTransactionId} className="govuk-table__row">
                  <th scope="row" className="govuk-table__header app-nowrap">
                    {t.balanceTransactionId}
                    {t.description ? <span className="app-table__secondary">{t.description}</span> : null}
                  </th>
                  <td className="govuk-table__cell">{TYPE_NAMES[t.type] ?? t.type}</td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(t.amountPence)}</td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(t.feePence)}</td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(t.netPence)}</td>
                  <td className="govuk-table__cell">
                    {t.type === 'payout' ? (
                      'Paid to the council’s bank'
                    ) : t.invoices.length > 0 ? (
                      t.invoices.map((i, n) => (
                        <span key={i.id}>
                          {n > 0 ? ', ' : ''}
                          <Link className="govuk-link" to={`/finance/invoices/${i.id}`}>
                            {i.number}
                          </Link>
                        </span>
                      ))
                    ) : t.payment ? (
                      `A payment from ${t.payment.schoolName ?? 'a school'}, not allocated to an invoice`
                    ) : (
                      <strong className="govuk-tag govuk-tag--orange">Unmatched</strong>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}
