import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { ErrorSummary } from '~/components/forms'
import { InvoiceCorrections, useCorrectionForms } from '~/components/invoice-corrections'
import { SuccessBanner } from '~/components/success-banner'
import { creditInvoice, voidInvoice, writeOffInvoice, type CorrectionResult } from '~/models/billing/corrections.server'
import { actorFor } from '~/models/shared/actor.server'
import { CorrectionIntent, parseCredit, parseReason } from '~/schemas/finance-corrections'
import type { FieldErrors } from '~/schemas/common'
import { useSyncExternalStore } from 'react'
import { SummaryRow } from '~/components/summary-list'
import { TableHead } from '~/components/table-head'
import { clock } from '~/utils/clock'
import { creditLeftPence, invoiceTag, monthParam, voidProblem, writeOffProblem } from '~/domain/finance'
import { formatSortCode, formatVatNumber, monthLabel } from '~/domain/invoicing'
import { formatPence } from '~/domain/money'
import { tradingYearLabel } from '~/domain/trading-year'
import { getInvoiceDocument } from '~/models/billing/invoice-document.server'
import { FINANCE_ROUTE_NAMES, INVOICE_STATUS_TAGS } from '~/schemas/order-labels'
import { notFound, requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { formatDate } from '~/utils/format'
import { isUuid } from '~/schemas/common'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['finance', 'la_admin'])
  const invoiceId = params.invoiceId ?? ''
  if (!isUuid(invoiceId)) throw notFound()
  // Another authority's invoice answers exactly as a missing one.
  const invoice = await getInvoiceDocument(await getDb(), user.authorityId, invoiceId.toLowerCase())
  if (!invoice) throw notFound()
  const isFinance = user.roles.includes('finance')
  const journalPosted = invoice.journal?.status === 'posted'
  return {
    invoice,
    today: clock.today(),
    done: new URL(request.url).searchParams.get('done'),
    corrections: isFinance
      ? {
          creditLeftPence: creditLeftPence(invoice),
          canWriteOff: writeOffProblem(invoice) === null,
          canVoid: voidProblem(invoice, journalPosted) === null && invoice.stripe.status !== 'pending' && invoice.stripe.status !== 'sent',
        }
      : null,
    // A remittance is recorded against a school's invoices; a trust's consolidated invoice is paid through Stripe.
    canRecordPayment:
      user.roles.includes('finance') &&
      !invoice.school.trust &&
      (invoice.status === 'open' || invoice.status === 'uncollectible') &&
      invoice.outstandingPence > 0,
  }
}

type ActionData = { errors: FieldErrors; values: Record<string, string> }

/** A correction: credit note, write-off or void (finance officers only). */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireRole(request, ['finance'])
  const invoiceId = (params.invoiceId ?? '').toLowerCase()
  if (!isUuid(invoiceId)) throw notFound()
  const form = await request.formData()
  const values = Object.fromEntries([...form.entries()].filter((e): e is [string, string] => typeof e[1] === 'string'))
  const intent = CorrectionIntent.safeParse(form.get('intent'))
  if (!intent.success) return data<ActionData>({ errors: { form: 'Use one of the buttons to correct the invoice' }, values }, { status: 400 })
  const db = await getDb()
  const actor = actorFor(user, request, context)
  let result: CorrectionResult
  if (intent.data === 'credit') {
    const parsed = parseCredit(form)
    if (!parsed.ok) return data<ActionData>({ errors: parsed.errors, values }, { status: 400 })
    result = await creditInvoice(db, actor, invoiceId, { amountPence: parsed.amountPence, reason: parsed.reason })
  } else {
    const field = intent.data === 'void' ? 'voidReason' : 'writeOffReason'
    const parsed = parseReason(form, field)
    if (!parsed.ok) return data<ActionData>({ errors: parsed.errors, values }, { status: 400 })
    result =
      intent.data === 'void' ? await voidInvoice(db, actor, invoiceId, parsed.reason) : await writeOffInvoice(db, actor, invoiceId, parsed.reason)
  }
  if (!result.ok) {
    if ('notFound' in result) throw notFound()
    return data<ActionData>({ errors: { [result.field]: result.error }, values }, { status: 400 })
  }
  return redirect(`/finance/invoices/${invoiceId}?${new URLSearchParams({ done: result.message })}`)
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Invoice ${data.invoice.number} – ${data.invoice.school.name} – ${data.invoice.authority.name}` : 'Page not found' },
]

const METHOD_NAMES = {
  stripe: 'Paid online (Stripe)',
  bacs: 'Bank transfer (BACS)',
  journal: 'Internal recharge journal',
  manual: 'Recorded by finance',
} as const

function quantityText(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100)
}

function vatRateText(basisPoints: number): string {
  return `${basisPoints / 100}%`
}

const noSubscription = () => () => {}

/** A print button needs JavaScript: it appears only once the page's script runs. */
function PrintButton() {
  // False in the server's HTML (no JavaScript yet), true once hydrated.
  const ready = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  )
  if (!ready) return null
  return (
    <button type="button" className="govuk-button govuk-button--secondary" onClick={() => window.print()}>
      Print this invoice
    </button>
  )
}

export default function InvoicePage() {
  const { invoice, today, canRecordPayment, corrections, done } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const correctionForms = useCorrectionForms(actionData?.errors)
  const tag = INVOICE_STATUS_TAGS[invoiceTag(invoice, today)]
  const vatRates = [...new Set(invoice.lines.map((l) => l.vatRateBasisPoints))]
  return (
    <>
      <Link to="/finance/invoices" className="govuk-back-link">
        Back to invoices
      </Link>
      <ErrorSummary errors={correctionForms.errors} />
      {done ? (
        <SuccessBanner titleId="done-title" heading={done}>
          <p className="govuk-body">The invoice below shows it.</p>
        </SuccessBanner>
      ) : null}
      <span className="govuk-caption-l">{invoice.authority.name}</span>
      <h1 className="govuk-heading-xl">Invoice {invoice.number}</h1>

      <div className="govuk-button-group app-no-print">
        {canRecordPayment ? (
          <Link
            to={`/finance/reconciliation/remittance?${new URLSearchParams({ school: invoice.school.id, invoice: invoice.id })}`}
            className="govuk-button"
            role="button"
            draggable="false"
          >
            Record a payment
          </Link>
        ) : null}
        <a className="govuk-button govuk-button--secondary" href={`/invoices/${invoice.id}.pdf`} download role="button" draggable="false">
          Download PDF
        </a>
        <PrintButton />
      </div>

      <div className="govuk-grid-row app-invoice__parties">
        <div className="govuk-grid-column-one-half">
          <h2 className="govuk-heading-s govuk-!-margin-bottom-1">From</h2>
          <address className="app-invoice__address">
            {invoice.authority.name}
            {invoice.authority.address
              ? invoice.authority.address
                  .split(/\n|,\s*/)
                  .filter((line) => line.trim() && line.trim() !== invoice.authority.name)
                  .map((line, i) => (
                    <span key={i}>
                      <br />
                      {line}
                    </span>
                  ))
              : null}
          </address>
          <p className="govuk-body">
            VAT registration number: {invoice.authority.vatNumber ? formatVatNumber(invoice.authority.vatNumber) : 'not registered'}
            <br />
            {invoice.authority.contactEmail}
            {invoice.authority.contactPhone ? (
              <>
                <br />
                {invoice.authority.contactPhone}
              </>
            ) : null}
          </p>
        </div>
        <div className="govuk-grid-column-one-half">
          <h2 className="govuk-heading-s govuk-!-margin-bottom-1">To</h2>
          <address className="app-invoice__address">
            {invoice.school.name}
            {invoice.school.addressLines.map((line, i) => (
              <span key={i}>
                <br />
                {line}
              </span>
            ))}
          </address>
          <p className="govuk-body">
            {invoice.school.trust ? 'Multi-academy trust: each line names its school' : `URN ${invoice.school.urn}`}
            {invoice.route === 'internal_recharge' && invoice.school.costCentre ? (
              <>
                <br />
                Cost centre {invoice.school.costCentre}
              </>
            ) : null}
          </p>
        </div>
      </div>

      <dl className="govuk-summary-list">
        <SummaryRow label="Invoice number">{invoice.number}</SummaryRow>
        <SummaryRow label="Status">
          <strong className={`govuk-tag govuk-tag--${tag.colour}`}>{tag.label}</strong>
        </SummaryRow>
        <SummaryRow label="Issued">{formatDate(invoice.issuedAt)}</SummaryRow>
        <SummaryRow label="Due">{formatDate(invoice.dueOn)}</SummaryRow>
        <SummaryRow label="Purchase order number">{invoice.poNumber ?? 'None given'}</SummaryRow>
        <SummaryRow label="Order">
          {invoice.order ? (
            <Link className="govuk-link" to={`/orders/${invoice.order.id}`}>
              {invoice.order.reference}
            </Link>
          ) : (
            (invoice.trustOrder?.reference ?? 'None')
          )}
        </SummaryRow>
        <SummaryRow label="Trading year">
          {tradingYearLabel(invoice.tradingYear)}
          {invoice.instalment ? `, instalment ${invoice.instalment} of 3` : ''}
          {invoice.periodLabel ? `, ${invoice.periodLabel}` : ''}
        </SummaryRow>
        <SummaryRow label="Paid by">{FINANCE_ROUTE_NAMES[invoice.route]}</SummaryRow>
      </dl>

      <h2 className="govuk-heading-l" id="lines-heading">
        What is charged
      </h2>
      <div className="app-table-scroll" role="region" aria-labelledby="lines-heading" tabIndex={0}>
        <table className="govuk-table app-table--compact">
          <caption className="govuk-visually-hidden">
            The invoice’s lines, with VAT {vatRates.length === 1 ? `at ${vatRateText(vatRates[0] ?? 0)}` : 'by line'}
          </caption>
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
          <tfoot>
            <tr className="govuk-table__row">
              <th scope="row" colSpan={3} className="govuk-table__header">
                Total
              </th>
              <td className="govuk-table__cell govuk-table__cell--numeric app-table__total">{formatPence(invoice.netPence)}</td>
              <td className="govuk-table__cell" />
              <td className="govuk-table__cell govuk-table__cell--numeric app-table__total">{formatPence(invoice.vatPence)}</td>
              <td className="govuk-table__cell govuk-table__cell--numeric app-table__total">{formatPence(invoice.grossPence)}</td>
            </tr>
          </tfoot>
        </table>
      </div>

      <h2 className="govuk-heading-l">How it is paid</h2>
      {invoice.route === 'internal_recharge' ? (
        <p className="govuk-body">
          {invoice.journal ? (
            <>
              Charged by internal recharge in the{' '}
              <Link className="govuk-link" to={`/finance/journals/${monthParam(invoice.journal.month)}`}>
                {monthLabel(invoice.journal.month)} journal
              </Link>
              {invoice.journal.status === 'posted' && invoice.journal.postedAt
                ? `, posted on ${formatDate(invoice.journal.postedAt)}.`
                : ', which has not been posted yet.'}
            </>
          ) : (
            'Charged by internal recharge.'
          )}
        </p>
      ) : invoice.stripe.hostedUrl ? (
        <p className="govuk-body">
          Sent to the school by Stripe.{' '}
          <a className="govuk-link" href={invoice.stripe.hostedUrl} rel="noreferrer noopener" target="_blank">
            Open the invoice in Stripe (opens in new tab)
          </a>
        </p>
      ) : invoice.stripe.status === 'pending' ? (
        <p className="govuk-body">Being sent to Stripe: a link to pay online will appear here shortly.</p>
      ) : (
        <p className="govuk-body">
          Stripe is not set up, so this invoice was issued here only. The school pays by bank transfer (BACS), quoting the invoice number; record the
          payment when the remittance arrives.
        </p>
      )}
      {invoice.route === 'invoice' && invoice.authority.bank ? (
        <div className="govuk-inset-text" id="how-to-pay">
          To pay by bank transfer: {invoice.authority.bank.accountName}, {invoice.authority.bank.name}, sort code{' '}
          {formatSortCode(invoice.authority.bank.sortCode)}, account {invoice.authority.bank.accountNumber}, quoting {invoice.number}.
          {invoice.authority.remittanceEmail ? ` Send the remittance advice to ${invoice.authority.remittanceEmail}` : ''}
          {invoice.authority.remittanceAddress ? ` or by post to ${invoice.authority.remittanceAddress}.` : '.'}
        </div>
      ) : null}
      {invoice.stripe.lastPaymentError ? (
        <p className="govuk-body">The last attempt to pay online failed: {invoice.stripe.lastPaymentError}</p>
      ) : null}

      <h2 className="govuk-heading-l" id="settled-heading">
        Payments and credit notes
      </h2>
      {invoice.payments.length === 0 && invoice.creditNotes.length === 0 ? (
        <p className="govuk-body">Nothing has been paid or credited yet.</p>
      ) : (
        <div className="app-table-scroll" role="region" aria-labelledby="settled-heading" tabIndex={0}>
          <table className="govuk-table app-table--compact">
            <caption className="govuk-visually-hidden">Payments and credit notes against this invoice, oldest first</caption>
            <TableHead columns={['Date', 'What', { label: 'Amount', numeric: true }]} />
            <tbody className="govuk-table__body">
              {invoice.payments.map((p) => (
                <tr key={`p-${p.paymentId}`} className="govuk-table__row">
                  <td className="govuk-table__cell">{formatDate(p.receivedOn)}</td>
                  <td className="govuk-table__cell">
                    {METHOD_NAMES[p.method]}
                    {p.reference ? <span className="app-table__secondary">Reference {p.reference}</span> : null}
                  </td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(p.amountPence)}</td>
                </tr>
              ))}
              {invoice.creditNotes.map((c) => (
                <tr key={`c-${c.id}`} className="govuk-table__row">
                  <td className="govuk-table__cell">{formatDate(c.issuedAt)}</td>
                  <td className="govuk-table__cell">
                    Credit note {c.number}
                    <span className="app-table__secondary">
                      {c.reason}
                      {c.journalMonth ? ` (in the ${monthLabel(c.journalMonth)} journal)` : ''}
                    </span>
                  </td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(c.grossPence)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {invoice.correction ? (
        <p className="govuk-body" id="correction">
          {invoice.correction.kind === 'voided' ? 'Voided' : 'Written off'} on {formatDate(invoice.correction.at)}
          {invoice.correction.reason ? `: ${invoice.correction.reason}` : '.'}
        </p>
      ) : null}
      <dl className="govuk-summary-list">
        <SummaryRow label="Total">{formatPence(invoice.grossPence)}</SummaryRow>
        <SummaryRow label="Paid">{formatPence(invoice.amountPaidPence)}</SummaryRow>
        <SummaryRow label="Credited">{formatPence(invoice.amountCreditedPence)}</SummaryRow>
        <SummaryRow label="Still to pay">
          <strong>{formatPence(invoice.outstandingPence)}</strong>
        </SummaryRow>
      </dl>
      {corrections ? <InvoiceCorrections {...corrections} forms={correctionForms} values={actionData?.values} /> : null}
    </>
  )
}
