import { Text, View } from '@react-pdf/renderer'
import { formatPence } from '~/domain/money'
import { tradingYearLabel } from '~/domain/trading-year'
import type { Statement } from '~/models/billing/statement.server'
import { formatDate } from '~/utils/format'
import { PdfDocument, PdfSummary, PdfTable, pdfStyles } from './document.server'

function balance(pence: number): string {
  return pence < 0 ? `${formatPence(-pence)} in credit` : formatPence(pence)
}

/** The statement of account as a PDF: the same figures as /statement, from the same model function. */
export function StatementPdf({ statement: s }: { statement: Statement }) {
  return (
    <PdfDocument
      title={`Statement of account – ${s.school.name}`}
      authorityName={s.authority.name}
      authorityAddress={s.authority.address}
      reference={`Statement ${s.school.name} ${tradingYearLabel(s.tradingYear)}`}
    >
      <Text style={pdfStyles.title}>Statement of account</Text>
      <View style={{ height: 10 }} />
      <PdfSummary
        rows={[
          ['School', s.school.name],
          ['URN', s.school.urn],
          ['Period', `${formatDate(s.from)} to ${formatDate(s.to)} (${tradingYearLabel(s.tradingYear)})`],
          [`Opening balance`, balance(s.openingBalancePence)],
          ['Closing balance', balance(s.closingBalancePence)],
          ['Paid, not yet matched', s.onAccountPence > 0 ? formatPence(s.onAccountPence) : null],
        ]}
      />
      <Text style={pdfStyles.heading}>Transactions</Text>
      <PdfTable
        columns={[
          { label: 'Date', flex: 2.8 },
          { label: 'Transaction', flex: 6 },
          { label: 'Charged', flex: 2.1, align: 'right' },
          { label: 'Paid, credited', flex: 2.3, align: 'right' },
          { label: 'Balance', flex: 2.3, align: 'right' },
        ]}
        rows={[
          [formatDate(s.from), 'Opening balance', '', '', balance(s.openingBalancePence)],
          ...s.entries.map((e) => [
            formatDate(e.date),
            e.description,
            e.debitPence ? formatPence(e.debitPence) : '',
            e.creditPence ? formatPence(e.creditPence) : '',
            balance(e.balancePence),
          ]),
        ]}
        footRows={[[formatDate(s.to), 'Closing balance', '', '', balance(s.closingBalancePence)]]}
      />
      <Text style={pdfStyles.heading}>What is open on {formatDate(s.ageingAsOf)}, by days overdue</Text>
      <PdfTable
        columns={[
          ...s.ageing.map((b) => ({ label: b.band === 'not_due' ? 'Current' : `${b.label}`, flex: 2, align: 'right' as const })),
          { label: 'Total', flex: 2, align: 'right' },
        ]}
        rows={[[...s.ageing.map((b) => formatPence(b.pence)), formatPence(s.ageingTotalPence)]]}
      />
    </PdfDocument>
  )
}
