import type { LoaderFunctionArgs } from '@remix-run/node'
import { clock } from '~/utils/clock'
import { AGE_BANDS } from '~/domain/invoicing'
import { agedDebtReport } from '~/models/billing/aged-debt.server'
import { parseAgedDebtFilters } from '~/schemas/finance'
import { requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { buildCsv, csvDownload, type CsvCell } from '~/utils/csv'

/**
 * /finance/aged-debt.csv: the aged-debt table (the same ?route= filter) as of
 * today (UK), most overdue first, with a total line. Pounds with two decimals.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['finance', 'la_admin'])
  const filter = parseAgedDebtFilters(new URL(request.url).searchParams)
  const asOf = clock.today()
  const report = await agedDebtReport(await getDb(), user.authorityId, { asOf, route: filter.route })
  const header = ['As of', 'School', 'URN', 'Invoices', 'Oldest due', ...AGE_BANDS.map((b) => b.label), 'Total']
  const rows: CsvCell[][] = report.rows.map((r) => [
    asOf,
    r.schoolName,
    r.urn,
    r.invoiceCount,
    r.oldestDueOn,
    ...AGE_BANDS.map((b) => ({ pence: r.bands[b.band] })),
    { pence: r.totalPence },
  ])
  rows.push([
    asOf,
    'Total',
    null,
    report.totals.invoiceCount,
    null,
    ...AGE_BANDS.map((b) => ({ pence: report.totals.bands[b.band] })),
    { pence: report.totals.totalPence },
  ])
  return csvDownload(`aged-debt-${asOf}${filter.route ? `-${filter.route}` : ''}.csv`, buildCsv(header, rows))
}
