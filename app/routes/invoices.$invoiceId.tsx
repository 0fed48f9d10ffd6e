import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { SummaryRow } from '~/components/summary-list'
import { TableHead } from '~/components/table-head'
import { longDate } from '~/domain/dates'
import { invoiceTag } from '~/domain/finance'
import { linePeriodText, rechargeText, SETTLED_TEXT, vatByRate, vatRateText } from '~/domain/invoice-printout'
import { formatSortCode, formatVatNumber, monthLabel } from '~/domain/invoicing'
import { formatPence } from '~/domain/money'
import { tradingYearLabel } from '~/domain/trading-year'
import { INVOICE_STATUS_TAGS } from '~/schemas/order-labels'
import { clock } from '~/utils/clock'
import { invoiceForRequest } from '~/utils/school-documents.server'

/**
 * /invoices/:id: an invoice as printed, for the school it is to (and for
 * finance and LA administrators): the same document as its PDF
 * (/invoices/:id.pdf) and finance's page.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { viewer, invoice, how } = await invoiceForRequest(request, params.invoiceId)
  return { invoice, how, today: clock.today(), isSchool: viewer.schoolId !== undefined || viewer.trustId !== undefined }
}

/** A school's money is nobody else's: never kept by shared caches. */
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Invoice ${data.invoice.number} – ${data.invoice.school.name} – ${data.invoice.authority.name}` : 'Page not found' },
]

function quantityText(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100)
}

function Lines({ lines }: { lines: string[] }) {
  return lines.map((line, i) => (
    <span key={i}>
      <br />
      {line}
    </span>
  ))
}

export default function SchoolInvoice() {
  const { invoice, how, today, isSchool } = useLoaderData<typeof loader>()
  const tag = INVOICE_STATUS_TAGS[invoiceTag(invoice, today)]
  const rates = vatByRate(invoice.lines)
  const authorityLines = (invoice.authority.address ?? '').split(/\n|,\s*/).filter((l) => l.trim() && l.trim() !== invoice.authority.name)
  return (
    <>
      <Link to={!isSchool ? '/finance/invoices' : invoice.school.trust ? '/trust' : '/invoices'} className="govuk-back-link">
        Back to invoices
      </Link>
      <span className="govuk-caption-l">{invoice.school.name}</span>
      <h1 className="govuk-heading-xl">
        {invoice.route === 'internal_recharge' ? 'Internal recharge' : 'Invoice'} {invoice.number}
      </h1>
      <p className="govuk-body app-no-print">
        <a className="govuk-link" href={`/invoices/${invoice.id}.pdf`} download>
          Download PDF<span className="govuk-visually-hidden"> of invoice {invoice.number}</span>
        </a>
      </p>

      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-half">
          <h2 className="govuk-heading-s govuk-!-margin-bottom-1">From</h2>
          <address className="app-invoice__address">
            {invoice.authority.name}
            <Lines lines={authorityLines} />
          </address>
          <p className="govuk-body">
            VAT registration number: {invoice.authority.vatNumber ? formatVatNumber(invoice.authority.vatNumber) : 'not registered'}
            <Lines lines={[invoice.authority.contactEmail, ...(invoice.authority.contactPhone ? [invoice.authority.contactPhone] : [])]} />
          </p>
        </div>
        <div className="govuk-grid-column-one-half">
          <h2 className="govuk-heading-s govuk-!-margin-bottom-1">To</h2>
          <address className="app-invoice__address">
            {invoice.school.name}
            <Lines lines={invoice.school.addressLines} />
          </address>
          <p className="govuk-body">{invoice.school.trust ? 'Multi-academy trust: each line names its school' : `URN ${invoice.school.urn}`}</p>
        </div>
      </div>

      <dl className="govuk-summary-list">
        <SummaryRow label="Invoice number">{invoice.number}</SummaryRow>
        <SummaryRow label="Status">
          <strong className={`govuk-tag govuk-tag--${tag.colour}`}>{tag.label}</strong>
        </SummaryRow>
        <SummaryRow label="Date and tax point">{longDate(invoice.issuedAt)}</SummaryRow>
        <SummaryRow label="Due">{longDate(invoice.dueOn)}</SummaryRow>
        <SummaryRow label="Purchase order number">{invoice.poNumber ?? 'None given'}</SummaryRow>
        <SummaryRow label="Order">
          {invoice.order ? (
            <Link className="govuk-link" to={`/orders/${invoice.order.id}`}>
              {invoice.order.reference}
            </Link>
          ) : invoice.trustOrder ? (
            <Link className="govuk-link" to={`/trust/orders/${invoice.trustOrder.id}`}>
              {invoice.trustOrder.reference}
            </Link>
          ) : (
            'None'
          )}
        </SummaryRow>
        <SummaryRow label="Trading year">
          {tradingYearLabel(invoice.tradingYear)}
          {invoice.instalment ? `, instalment ${invoice.instalment} of 3` : ''}
          {invoice.periodLabel ? `, ${invoice.periodLabel}` : ''}
        </SummaryRow>
      </dl>

      <h2 className="govuk-heading-l" id="lines-heading">
        What is charged
      </h2>
      <div className="app-table-scroll" role="region" aria-labelledby="lines-heading" tabIndex={0}>
        <table className="govuk-table app-table--compact">
          <caption className="govuk-visually-hidden">The invoice’s lines, each with the period it covers</caption>
          <TableHead
            columns={[
              'Description',
              { label: 'Quantity', numeric: true },
              { label: 'Unit price', numeric: true },
              { label: 'Net', numeric: true },
              { label: 'VAT rate', numeric: true },
              { label: 'VAT', numeric: true },
              { label: 'Total', numeric: true },
            ]}
          />
          <tbody className="govuk-table__body">
            {invoice.lines.map((line) => (
              <tr key={line.id} className="govuk-table__row">
                <th scope="row" className="govuk-table__header app-table__cell--wide">
                  {line.serviceName}
                  <span className="app-table__secondary">{line.description}</span>
                  {line.period ? <span className="app-table__secondary">{linePeriodText(line.period)}</span> : null}
                </th>
                <td className="govuk-table__cell govuk-table__cell--numeric">{quantityText(line.quantity)}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(line.unitPricePence)}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(line.netPence)}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{vatRateText(line.vatRateBasisPoints)}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(line.vatPence)}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(line.grossPence)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <dl className="govuk-summary-list" id="totals">
        <SummaryRow label="Net">{formatPence(invoice.netPence)}</SummaryRow>
        {rates.map((r) => (
          <SummaryRow key={r.vatRateBasisPoints} label={`VAT at ${vatRateText(r.vatRateBasisPoints)}`}>
            {formatPence(r.vatPence)} on {formatPence(r.netPence)}
          </SummaryRow>
        ))}
        <SummaryRow label="Total">{formatPence(invoice.grossPence)}</SummaryRow>
        <SummaryRow label="Paid">{formatPence(invoice.amountPaidPence)}</SummaryRow>
        <SummaryRow label="Credited">{formatPence(invoice.amountCreditedPence)}</SummaryRow>
        <SummaryRow label="Amount due">
          <strong>{formatPence(invoice.outstandingPence)}</strong>
        </SummaryRow>
        <SummaryRow label="Due date">{longDate(invoice.dueOn)}</SummaryRow>
      </dl>
      {invoice.correction ? (
        <p className="govuk-body" id="correction">
          {invoice.correction.kind === 'voided' ? 'Voided' : 'Written off'} on {longDate(invoice.correction.at)}
          {invoice.correction.reason ? `: ${invoice.correction.reason}` : '.'}
        </p>
      ) : null}

      <h2 className="govuk-heading-l">How to pay</h2>
      <div id="how-to-pay">
        {how.kind !== 'recharge' && how.settled ? <p className="govuk-body govuk-!-font-weight-bold">{SETTLED_TEXT}</p> : null}
        {how.kind === 'recharge' ? (
          <p className="govuk-body">{rechargeText(how.journalMonth)} You do not need to pay anything yourself.</p>
        ) : how.kind === 'stripe' ? (
          <p className="govuk-body">
            <a className="govuk-link" href={how.url} rel="noreferrer noopener" target="_blank">
              Pay by card or bank transfer online (opens in new tab)
            </a>
          </p>
        ) : how.kind === 'bank' ? (
          <>
            <p className="govuk-body">Pay by bank transfer (BACS), quoting {invoice.number}:</p>
            <dl className="govuk-summary-list govuk-summary-list--no-border">
              <SummaryRow label="Account name">{how.bank.accountName}</SummaryRow>
              <SummaryRow label="Bank">{how.bank.name}</SummaryRow>
              <SummaryRow label="Sort code">{formatSortCode(how.bank.sortCode)}</SummaryRow>
              <SummaryRow label="Account number">{how.bank.accountNumber}</SummaryRow>
              <SummaryRow label="Reference">{invoice.number}</SummaryRow>
            </dl>
            {how.remittanceEmail || how.remittanceAddress ? (
              <p className="govuk-body">
                Send the remittance advice
                {how.remittanceEmail ? ` to ${how.remittanceEmail}` : ''}
                {how.remittanceAddress ? `${how.remittanceEmail ? ' or' : ''} by post to ${how.remittanceAddress}` : ''}.
              </p>
            ) : null}
          </>
        ) : (
          <p className="govuk-body">
            To pay, contact {how.contactEmail}
            {how.contactPhone ? ` or ${how.contactPhone}` : ''}, quoting {invoice.number}.
          </p>
        )}
      </div>

      <h2 className="govuk-heading-l" id="credit-notes-heading">
        Credit notes
      </h2>
      {invoice.creditNotes.length === 0 ? (
        <p className="govuk-body">There are no credit notes against this invoice.</p>
      ) : (
        <div className="app-table-scroll" role="region" aria-labelledby="credit-notes-heading" tabIndex={0}>
          <table className="govuk-table app-table--compact">
            <caption className="govuk-visually-hidden">Credit notes against this invoice, oldest first</caption>
            <TableHead columns={['Number', 'Issued', 'Reason', { label: 'Amount', numeric: true }]} />
            <tbody className="govuk-table__body">
              {invoice.creditNotes.map((c) => (
                <tr key={c.id} className="govuk-table__row">
                  <th scope="row" className="govuk-table__header app-nowrap">
                    <Link className="govuk-link" to={`/credit-notes/${c.id}`}>
                      {c.number}
                    </Link>
                  </th>
                  <td className="govuk-table__cell">{longDate(c.issuedAt)}</td>
                  <td className="govuk-table__cell">
                    {c.reason}
                    {c.journalMonth ? <span className="app-table__secondary">In the {monthLabel(c.journalMonth)} journal</span> : null}
                  </td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(c.grossPence)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}
