import { Text, View } from '@react-pdf/renderer'
import { longDate } from '~/domain/dates'
import { creditNoteEffect, howToPayLines, linePeriodText, vatByRate, vatRateText, type HowToPay } from '~/domain/invoice-printout'
import { formatVatNumber, monthLabel } from '~/domain/invoicing'
import { formatPence } from '~/domain/money'
import { tradingYearLabel } from '~/domain/trading-year'
import type { InvoiceDocument } from '~/models/billing/invoice-document.server'
import type { CreditNoteDocument } from '~/models/billing/school-invoices.server'
import { PdfDocument, PdfSummary, PdfTable, pdfStyles } from './document.server'

/**
 * An invoice and a credit note as printed (docs/decisions/0024), laid out
 * from the same model documents as their pages: getInvoiceDocument and
 * getCreditNoteDocument. Nothing here computes a figure of its own.
 */

function quantityText(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100)
}

function Parties({ from, to }: { from: string[]; to: string[] }) {
  return (
    <View style={{ flexDirection: 'row', marginBottom: 10 }}>
      <View style={{ flex: 1, paddingRight: 12 }}>
        <Text style={pdfStyles.bold}>From</Text>
        {from.map((line, i) => (
          <Text key={i}>{line}</Text>
        ))}
      </View>
      <View style={{ flex: 1 }}>
        <Text style={pdfStyles.bold}>To</Text>
        {to.map((line, i) => (
          <Text key={i}>{line}</Text>
        ))}
      </View>
    </View>
  )
}

function fromLines(a: { name: string; vatNumber: string | null; contactEmail: string; contactPhone: string | null }): string[] {
  return [
    a.name,
    `VAT registration number: ${a.vatNumber ? formatVatNumber(a.vatNumber) : 'not registered'}`,
    a.contactEmail,
    ...(a.contactPhone ? [a.contactPhone] : []),
  ]
}

/** Under the addressee: a school's URN, or that a trust's consolidated invoice names each line's school. */
function payerLine(to: { urn: string | null; trust: boolean }): string {
  return to.trust ? 'Multi-academy trust: each line names its school' : `URN ${to.urn}`
}

export function InvoicePdf({ invoice, how }: { invoice: InvoiceDocument; how: HowToPay }) {
  const rates = vatByRate(invoice.lines)
  const title = invoice.route === 'internal_recharge' ? `Internal recharge ${invoice.number}` : `Invoice ${invoice.number}`
  return (
    <PdfDocument title={title} authorityName={invoice.authority.name} authorityAddress={invoice.authority.address} reference={invoice.number}>
      <Text style={pdfStyles.title}>{title}</Text>
      <Parties from={fromLines(invoice.authority)} to={[invoice.school.name, ...invoice.school.addressLines, payerLine(invoice.school)]} />
      <PdfSummary
        rows={[
          ['Invoice number', invoice.number],
          ['Date and tax point', longDate(invoice.issuedAt)],
          ['Due', longDate(invoice.dueOn)],
          ['Purchase order number', invoice.poNumber ?? 'None given'],
          ['Order', invoice.order?.reference ?? invoice.trustOrder?.reference],
          [
            'Trading year',
            `${tradingYearLabel(invoice.tradingYear)}${invoice.instalment ? `, instalment ${invoice.instalment} of 3` : ''}${invoice.periodLabel ? `, ${invoice.periodLabel}` : ''}`,
          ],
          ['Cost centre', invoice.route === 'internal_recharge' ? invoice.school.costCentre : null],
        ]}
      />
      <Text style={pdfStyles.heading}>What is charged</Text>
      <PdfTable
        columns={[
          { label: 'Description', flex: 5 },
          { label: 'Qty', flex: 0.8, align: 'right' },
          { label: 'Unit price', flex: 1.4, align: 'right' },
          { label: 'Net', flex: 1.4, align: 'right' },
          { label: 'VAT rate', flex: 1, align: 'right' },
          { label: 'VAT', flex: 1.2, align: 'right' },
          { label: 'Total', flex: 1.4, align: 'right' },
        ]}
        rows={invoice.lines.map((l) => [
          `${l.description}${l.period ? `\n${linePeriodText(l.period)}` : ''}`,
          quantityText(l.quantity),
          formatPence(l.unitPricePence),
          formatPence(l.netPence),
          vatRateText(l.vatRateBasisPoints),
          formatPence(l.vatPence),
          formatPence(l.grossPence),
        ])}
      />
      <View style={{ flexDirection: 'row' }}>
        <View style={{ flex: 1 }} />
        <View style={{ width: 260 }}>
          <PdfSummary
            rows={[
              ['Net', formatPence(invoice.netPence)],
              ...rates.map((r): [string, string] => [
                `VAT at ${vatRateText(r.vatRateBasisPoints)}`,
                `${formatPence(r.vatPence)} on ${formatPence(r.netPence)}`,
              ]),
              ['Total', formatPence(invoice.grossPence)],
              ['Paid', formatPence(invoice.amountPaidPence)],
              ['Credited', formatPence(invoice.amountCreditedPence)],
              ['Amount due', formatPence(invoice.outstandingPence)],
              ['Due date', longDate(invoice.dueOn)],
            ]}
          />
        </View>
      </View>
      {invoice.creditNotes.length > 0 ? (
        <>
          <Text style={pdfStyles.heading}>Credit notes against this invoice</Text>
          <PdfTable
            columns={[
              { label: 'Number', flex: 2 },
              { label: 'Issued', flex: 2 },
              { label: 'Reason', flex: 5 },
              { label: 'Amount', flex: 1.5, align: 'right' },
            ]}
            rows={invoice.creditNotes.map((c) => [
              c.number,
              longDate(c.issuedAt),
              `${c.reason}${c.journalMonth ? ` (in the ${monthLabel(c.journalMonth)} journal)` : ''}`,
              formatPence(c.grossPence),
            ])}
          />
        </>
      ) : null}
      {invoice.correction ? (
        <Text style={pdfStyles.paragraph}>
          {invoice.correction.kind === 'voided' ? 'Voided' : 'Written off'} on {longDate(invoice.correction.at)}
          {invoice.correction.reason ? `: ${invoice.correction.reason}` : '.'}
        </Text>
      ) : null}
      <Text style={pdfStyles.heading}>How to pay</Text>
      <View wrap={false}>
        {howToPayLines(how, invoice.number).map((line, i) => (
          <Text key={i} style={i === 0 ? pdfStyles.bold : {}}>
            {line}
          </Text>
        ))}
      </View>
    </PdfDocument>
  )
}

export function CreditNotePdf({ note }: { note: CreditNoteDocument }) {
  const title = `Credit note ${note.number}`
  return (
    <PdfDocument title={title} authorityName={note.authority.name} authorityAddress={note.authority.address} reference={note.number}>
      <Text style={pdfStyles.title}>{title}</Text>
      <Parties from={fromLines(note.authority)} to={[note.school.name, ...note.school.addressLines, payerLine(note.school)]} />
      <PdfSummary
        rows={[
          ['Credit note number', note.number],
          ['Date and tax point', longDate(note.issuedAt)],
          ['Against invoice', `${note.invoice.number} of ${longDate(note.invoice.issuedAt)}`],
          ['Purchase order number', note.invoice.poNumber ?? 'None given'],
          ['Reason', note.reason],
        ]}
      />
      <PdfSummary
        rows={[
          ['Net', formatPence(note.netPence)],
          ['VAT', formatPence(note.vatPence)],
          ['Total credited', formatPence(note.grossPence)],
        ]}
      />
      <Text style={pdfStyles.paragraph}>{creditNoteEffect(note)}</Text>
    </PdfDocument>
  )
}
