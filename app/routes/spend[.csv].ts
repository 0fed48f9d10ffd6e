import type { LoaderFunctionArgs } from '@remix-run/node'
import { tradingYearLabel } from '~/domain/trading-year'
import { INVOICE_STATUS_TAGS } from '~/schemas/orders'
import { buildCsv, csvDownload, type CsvCell } from '~/utils/csv'
import { loadSpend } from '~/utils/spend.server'

const SPEND_CSV_HEADER = [
  'Date',
  'Trading year',
  'Document',
  'Document number',
  'Invoice number',
  'Service',
  'Offer',
  'Description',
  'CFR code',
  'Net',
  'VAT',
  'Gross',
  'Status',
] as const

/**
 * /spend.csv: one row per invoice line and per credit note (negative) of this
 * trading year and last, for a school's finance system to import (docs/decisions/0025).
 * Amounts in pounds with two decimals; dates YYYY-MM-DD (UK); void invoices left out.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const { spend } = await loadSpend(request)
  const rows: CsvCell[][] = []
  for (const year of [spend.lastYear, spend.thisYear]) {
    for (const c of year.charges) {
      rows.push([
        c.date,
        tradingYearLabel(year.tradingYear),
        c.document === 'invoice' ? 'Invoice' : 'Credit note',
        c.documentNumber,
        c.invoiceNumber,
        c.serviceName,
        c.offerName,
        c.description,
        c.cfrCode,
        { pence: c.netPence },
        { pence: c.vatPence },
        { pence: c.grossPence },
        INVOICE_STATUS_TAGS[c.invoiceStatus].label,
      ])
    }
  }
  return csvDownload(`spend-${spend.thisYear.tradingYear}.csv`, buildCsv(SPEND_CSV_HEADER, rows))
}
