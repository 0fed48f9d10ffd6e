import type { LoaderFunctionArgs } from '@remix-run/node'
import { tradingYearLabel } from '~/domain/trading-year'
import { loadTradingPage } from '~/models/trading/trading.server'
import { buildCsv, csvDownload } from '~/utils/csv'
import { tradingRequest } from '~/models/trading/la-reports.server'

/**
 * /la/trading.csv: the trading page's income by service as a spreadsheet,
 * with the same filters and the same access rules (a service lead's own
 * services; the LA administrator's all). Money in pounds, before VAT.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const t = await tradingRequest(request)
  if (Object.keys(t.errors).length > 0) {
    return new Response(`${Object.values(t.errors).join('\n')}\n`, { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  }
  const page = await loadTradingPage(t.db, t.scope, {
    tradingYear: t.tradingYear,
    services: t.selected,
    startMonth: t.authority.financialYearStartMonth,
  })
  const year = tradingYearLabel(t.tradingYear)
  const lastYear = tradingYearLabel(t.tradingYear - 1)
  const header = [
    'Trading year',
    'Service',
    'Income code',
    'Team',
    'Target (£)',
    'Booked (£)',
    'Invoiced (£)',
    'Paid (£)',
    'Gap: booked less target (£)',
    `Booked in ${lastYear} (£)`,
    'Schools buying',
    'Schools offered the service',
    'Buy-back rate (%)',
    `Schools buying in ${lastYear}`,
    `Buy-back rate in ${lastYear} (%)`,
  ]
  const rows = page.services.map((s) => [
    year,
    s.name,
    s.incomeCode,
    s.teamName,
    { pence: s.targetPence },
    { pence: s.bookedPence },
    { pence: s.invoicedPence },
    { pence: s.paidPence },
    { pence: s.gapPence },
    { pence: s.bookedLastYearPence },
    s.buyBack.buyers,
    s.buyBack.eligible,
    s.buyBack.percent,
    s.buyBack.lastYearBuyers,
    s.buyBack.lastYearPercent,
  ])
  const overall = page.buyBack.overall
  rows.push([
    year,
    'Total',
    null,
    null,
    { pence: page.total.targetPence },
    { pence: page.total.bookedPence },
    { pence: page.total.invoicedPence },
    { pence: page.total.paidPence },
    { pence: page.total.gapPence },
    { pence: page.total.bookedLastYearPence },
    overall.buyers,
    overall.eligible,
    overall.percent,
    overall.lastYearBuyers,
    overall.lastYearPercent,
  ])
  const which = t.values.service ? `-${t.values.service}` : ''
  return csvDownload(`trading-${year.replace('/', '-')}${which}.csv`, buildCsv(header, rows))
}
