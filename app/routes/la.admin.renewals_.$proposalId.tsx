import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { RenewalStatusTag } from '~/components/renewal-status-tag'
import { SummaryRow } from '~/components/summary-list'
import { TableHead } from '~/components/table-head'
import { formatPence } from '~/domain/money'
import { longDate } from '~/domain/dates'
import { tradingYearLabel } from '~/domain/trading-year'
import { getProposalForAdmin } from '~/models/renewals/follow-up.server'
import { notFound, requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { formatDate } from '~/utils/format'
import { isUuid } from '~/schemas/common'

/**
 * /la/admin/renewals/:proposalId: one school's renewal proposal as the LA
 * administrator reads it (following up a lapsed or declined school, or
 * answering its questions): the lines at next year's prices beside this
 * year's use, and the school's answer. Read only: the school answers at
 * /renewals.
 */

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const proposalId = params.proposalId ?? ''
  if (!isUuid(proposalId)) throw notFound()
  const found = await getProposalForAdmin(await getDb(), user.authorityId, proposalId)
  if (!found) throw notFound()
  return found
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? `${data.proposal.schoolName}’s proposal for ${tradingYearLabel(data.proposal.tradingYear)}` : 'Proposal'} – Buyback` },
]

export default function AdminProposal() {
  const { proposal, closesOn } = useLoaderData<typeof loader>()
  const year = tradingYearLabel(proposal.tradingYear)
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        <span className="govuk-caption-l">Renewals for {year}</span>
        <h1 className="govuk-heading-xl">{proposal.schoolName}’s proposal</h1>
        <dl className="govuk-summary-list">
          <SummaryRow label="Status">
            <RenewalStatusTag status={proposal.status} />
          </SummaryRow>
          {proposal.status === 'open' ? <SummaryRow label="Answer by">{longDate(closesOn)}</SummaryRow> : null}
          {proposal.status === 'accepted' && proposal.order ? (
            <SummaryRow label="Order">
              <Link className="govuk-link" to={`/orders/${proposal.order.id}`}>
                {proposal.order.reference}
              </Link>
              {proposal.decidedAt ? `, accepted on ${formatDate(proposal.decidedAt)}` : ''}
            </SummaryRow>
          ) : null}
          {proposal.status === 'declined' ? (
            <SummaryRow label="Reason for declining">
              {proposal.declineReason}
              {proposal.decidedAt ? ` (${formatDate(proposal.decidedAt)})` : ''}
            </SummaryRow>
          ) : null}
          {proposal.status === 'lapsed' && proposal.lapsedAt ? <SummaryRow label="Lapsed">{formatDate(proposal.lapsedAt)}</SummaryRow> : null}
        </dl>

        {proposal.lines.length ? (
          <div className="app-table-scroll" role="region" aria-labelledby="proposal-caption" tabIndex={0}>
            <table className="govuk-table app-table--compact">
              <caption className="govuk-table__caption govuk-table__caption--m" id="proposal-caption">
                {proposal.status === 'open' ? 'The proposal as it stands' : 'The proposal'}, at {year} prices
              </caption>
              <TableHead columns={['Package', 'This year', { label: 'Quantity', numeric: true }, { label: 'Price', numeric: true }]} />
              <tbody className="govuk-table__body">
                {proposal.lines.map((line) => (
                  <tr key={line.id} className="govuk-table__row">
                    <th scope="row" className="govuk-table__header">
                      {line.serviceName}
                      <span className="app-table__secondary">{line.offerName}</span>
                    </th>
                    <td className="govuk-table__cell">{line.lastYear ?? 'Added for next year'}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{line.quantityText}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(line.quote.grossPence)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr className="govuk-table__row">
                  <th scope="row" colSpan={3} className="govuk-table__header">
                    Total{proposal.vatPence > 0 ? `, including ${formatPence(proposal.vatPence)} VAT` : ''}
                  </th>
                  <td className="govuk-table__cell govuk-table__cell--numeric app-table__total">{formatPence(proposal.grossPence)}</td>
                </tr>
              </tfoot>
            </table>
          </div>
        ) : (
          <p className="govuk-body">The school removed every package from its proposal.</p>
        )}
        {proposal.notPriced.length ? (
          <p className="govuk-body">
            Not yet priced for {year}, so left out of the total: {proposal.notPriced.map((l) => `${l.serviceName}: ${l.offerName}`).join('; ')}.
          </p>
        ) : null}
        <p className="govuk-body">
          <Link className="govuk-link" to="/la/admin/renewals">
            Back to renewals for {year}
          </Link>
        </p>
      </div>
    </div>
  )
}
