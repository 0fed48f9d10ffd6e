import type { LoaderFunctionArgs } from '@remix-run/node'
import { monthParam, parseMonthParam } from '~/domain/finance'
import { getJournal } from '~/models/billing/journals.server'
import { notFound, requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { buildCsv, csvDownload, type CsvCell } from '~/utils/csv'

const HEADER = [
  'Journal month',
  'School cost centre',
  'School',
  'URN',
  'Service income code',
  'Service',
  'Invoice or credit note',
  'Description',
  'Amount',
] as const

/**
 * /finance/journals/2026-11.csv: a month's recharge journal for the council's
 * ledger, one line per invoice line and per credit note (negative), in
 * pounds with two decimals, and a total line. A month with nothing in it
 * gives the header and a zero total.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['finance', 'la_admin'])
  const month = parseMonthParam(params.month)
  if (!month) throw notFound()
  const journal = await getJournal(await getDb(), user.authorityId, month)
  const slug = monthParam(month)
  const rows: CsvCell[][] = (journal?.lines ?? []).map((l) => [
    slug,
    l.costCentre,
    l.schoolName,
    l.urn,
    l.incomeCode,
    l.serviceName,
    l.documentNumber,
    l.description,
    { pence: l.amountPence },
  ])
  rows.push([slug, null, 'Total', null, null, null, null, null, { pence: journal?.totalPence ?? 0 }])
  return csvDownload(`recharge-journal-${slug}.csv`, buildCsv(HEADER, rows))
}
