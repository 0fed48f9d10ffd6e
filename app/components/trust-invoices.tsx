import { Link } from '@remix-run/react'
import { TableHead } from '~/components/table-head'
import { invoiceTag } from '~/domain/finance'
import { formatPence } from '~/domain/money'
import type { TrustInvoiceSummary } from '~/models/trusts/overview.server'
import { INVOICE_STATUS_TAGS } from '~/schemas/order-labels'
import { formatDate } from '~/utils/format'

/** A trust's consolidated invoices (decision 0036): each links to the invoice, which names every school's lines. */
export function TrustInvoices({ invoices, today, caption }: { invoices: TrustInvoiceSummary[]; today: string; caption: string }) {
  return (
    <table className="govuk-table">
      <caption className="govuk-table__caption govuk-visually-hidden">{caption}</caption>
      <TableHead columns={['Invoice', 'Trust order', 'Issued', 'Status', { label: 'Total', numeric: true }, { label: 'To pay', numeric: true }]} />
      <tbody className="govuk-table__body">
        {invoices.map((i) => {
          const tag = INVOICE_STATUS_TAGS[invoiceTag(i, today)]
          return (
            <tr key={i.id} className="govuk-table__row">
              <th scope="row" className="govuk-table__header">
                <Link className="govuk-link" to={`/invoices/${i.id}`}>
                  {i.number}
                </Link>
              </th>
              <td className="govuk-table__cell">{i.trustOrderReference ?? 'None'}</td>
              <td className="govuk-table__cell">{formatDate(i.issuedAt)}</td>
              <td className="govuk-table__cell">
                <strong className={`govuk-tag govuk-tag--${tag.colour}`}>{tag.label}</strong>
              </td>
              <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(i.grossPence)}</td>
              <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(i.outstandingPence)}</td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}
