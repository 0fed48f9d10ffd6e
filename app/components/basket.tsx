import { SummaryRow } from '~/components/summary-list'
import { formatPence } from '~/domain/money'
import { tradingYearLabel } from '~/domain/trading-year'
import { formatDate } from '~/utils/format'

type LineWhen = {
  course: { title: string; startsAt: string; venue: string } | null
  periodStart: string
  periodEnd: string
  tradingYear: number
}

export function whenText(line: LineWhen): string {
  if (line.course) return `${line.course.title}, ${formatDate(line.course.startsAt)}, ${line.course.venue}`
  if (line.periodStart === line.periodEnd) return formatDate(line.periodStart)
  return `${formatDate(line.periodStart)} to ${formatDate(line.periodEnd)} (${tradingYearLabel(line.tradingYear)})`
}

export function BasketTotals({ netPence, vatPence, grossPence }: { netPence: number; vatPence: number; grossPence: number }) {
  return (
    <dl className="govuk-summary-list">
      <SummaryRow label="Net">{formatPence(netPence)}</SummaryRow>
      <SummaryRow label="VAT">{formatPence(vatPence)}</SummaryRow>
      <SummaryRow label="Total">
        <strong>{formatPence(grossPence)}</strong>
      </SummaryRow>
    </dl>
  )
}
