import type { LoaderFunctionArgs } from '@remix-run/node'
import { clock } from '~/utils/clock'
import { exportInvoices } from '~/models/billing/invoices.server'
import { FINANCE_ROUTE_NAMES, INVOICE_STATUS_TAGS, parseInvoiceFilters } from '~/schemas/orders'
import { requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { buildCsv, csvDownload, type CsvCell } from '~/utils/csv'

const INVOICE_CSV_HEADER = [
  'Number',
  'Issued',
  'Due',
  'School',
  'URN',
  'Route',
  'Status',
  'Net',
  'VAT',
  'Gross',
  'Paid',
  'Credited',
  'Outstanding',
  'Order reference',
  'PO number',
] as const

/**
 * /finance/invoices.csv: every invoice the list's filters choose (the same
 * query string), with no page limit. Amounts in pounds with two decimals;
 * dates as YYYY-MM-DD (UK); a filter that is not valid is ignored, as on the page.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['finance', 'la_admin'])
  const db = await getDb()
  const { filters } = parseInvoiceFilters(new URL(request.url).searchParams)
  const rows: CsvCell[][] = []
  for await (const i of exportInvoices(db, user.authorityId, filters)) {
    rows.push([
      i.number,
      i.issuedOn,
      i.dueOn,
      i.schoolName,
      i.urn,
      FINANCE_ROUTE_NAMES[i.route],
      INVOICE_STATUS_TAGS[i.status].label,
      { pence: i.netPence },
      { pence: i.vatPence },
      { pence: i.grossPence },
      { pence: i.amountPaidPence },
      { pence: i.amountCreditedPence },
      { pence: i.outstandingPence },
      i.orderReference,
      i.poNumber,
    ])
  }
  return csvDownload(`invoices-${clock.today()}.csv`, buildCsv(INVOICE_CSV_HEADER, rows))
}
