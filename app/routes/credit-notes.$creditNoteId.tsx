import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { SummaryRow } from '~/components/summary-list'
import { longDate } from '~/domain/dates'
import { creditNoteEffect } from '~/domain/invoice-printout'
import { formatVatNumber } from '~/domain/invoicing'
import { formatPence } from '~/domain/money'
import { creditNoteForRequest } from '~/utils/school-documents.server'

/** /credit-notes/:id: a credit note as printed, the same document as its PDF (/credit-notes/:id.pdf). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { note } = await creditNoteForRequest(request, params.creditNoteId)
  return { note }
}

/** A school's money is nobody else's: never kept by shared caches. */
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Credit note ${data.note.number} – ${data.note.school.name} – ${data.note.authority.name}` : 'Page not found' },
]

export default function CreditNotePage() {
  const { note } = useLoaderData<typeof loader>()
  return (
    <>
      <Link to={`/invoices/${note.invoice.id}`} className="govuk-back-link">
        Back to invoice {note.invoice.number}
      </Link>
      <span className="govuk-caption-l">{note.school.name}</span>
      <h1 className="govuk-heading-xl">Credit note {note.number}</h1>
      <p className="govuk-body app-no-print">
        <a className="govuk-link" href={`/credit-notes/${note.id}.pdf`} download>
          Download PDF<span className="govuk-visually-hidden"> of credit note {note.number}</span>
        </a>
      </p>
      <dl className="govuk-summary-list">
        <SummaryRow label="From">
          {note.authority.name}
          <br />
          VAT registration number: {note.authority.vatNumber ? formatVatNumber(note.authority.vatNumber) : 'not registered'}
        </SummaryRow>
        <SummaryRow label="To">
          {note.school.name}, {note.school.trust ? 'multi-academy trust' : `URN ${note.school.urn}`}
        </SummaryRow>
        <SummaryRow label="Credit note number">{note.number}</SummaryRow>
        <SummaryRow label="Date and tax point">{longDate(note.issuedAt)}</SummaryRow>
        <SummaryRow label="Against invoice">
          <Link className="govuk-link" to={`/invoices/${note.invoice.id}`}>
            {note.invoice.number}
          </Link>{' '}
          of {longDate(note.invoice.issuedAt)}
        </SummaryRow>
        <SummaryRow label="Purchase order number">{note.invoice.poNumber ?? 'None given'}</SummaryRow>
        <SummaryRow label="Reason">{note.reason}</SummaryRow>
        <SummaryRow label="Net">{formatPence(note.netPence)}</SummaryRow>
        <SummaryRow label="VAT">{formatPence(note.vatPence)}</SummaryRow>
        <SummaryRow label="Total credited">
          <strong>{formatPence(note.grossPence)}</strong>
        </SummaryRow>
      </dl>
      <p className="govuk-body">{creditNoteEffect(note)}</p>
    </>
  )
}
