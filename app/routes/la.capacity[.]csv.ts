import type { LoaderFunctionArgs } from '@remix-run/node'
import type { TeamModel } from '~/domain/capacity-model'
import { tradingYearLabel } from '~/domain/trading-year'
import { loadCapacityPage } from '~/models/trading/capacity-model.server'
import { buildCsv, csvDownload, type CsvCell } from '~/utils/csv'
import { capacityRequest } from '~/models/trading/la-reports.server'

/**
 * /la/capacity.csv: every figure docs/product.md for each team, as a spreadsheet,
 * with the same filters, scenario and access rules as /la/capacity. With a
 * scenario, each team has a second row ("Scenario") beside its actuals.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const c = await capacityRequest(request)
  if (Object.keys(c.errors).length > 0) {
    return new Response(`${Object.values(c.errors).join('\n')}\n`, { status: 400, headers: { 'Content-Type': 'text/plain; charset=utf-8' } })
  }
  const teams = await loadCapacityPage(c.db, c.authority.id, c.selected, c.tradingYear, c.scenario)
  const year = tradingYearLabel(c.tradingYear)
  const header = [
    'Trading year',
    'Team',
    'Figures',
    'Buy-back rate (%)',
    'Price change (%)',
    'Capacity (hours)',
    'Booked (hours)',
    'Waitlisted (hours)',
    'Utilisation (%)',
    'Establishment (FTE)',
    'FTE needed',
    'Income booked (£)',
    'Income invoiced (£)',
    'Income paid (£)',
    'Income target (£)',
    'Gap: booked less target (£)',
    'Central funding (£)',
    'Cost per FTE (£)',
    'FTE affordable',
    'Recommendation',
    'FTE change',
  ]
  const row = (
    teamName: string,
    label: string,
    buyBack: number | null,
    priceChange: number,
    m: TeamModel,
    costPerFte: number,
    invoiced: CsvCell,
    paid: CsvCell,
  ): CsvCell[] => [
    year,
    teamName,
    label,
    buyBack,
    priceChange,
    m.capacityHours,
    m.bookedHours,
    m.waitlistedHours,
    m.utilisationPercent,
    m.establishmentFte,
    m.fteNeeded,
    { pence: m.incomeBookedPence },
    invoiced,
    paid,
    { pence: m.incomeTargetPence },
    { pence: m.gapPence },
    { pence: m.centralFundingPence },
    { pence: costPerFte },
    m.fteAffordable,
    m.recommendation.kind,
    m.recommendation.fteChange,
  ]
  const rows: CsvCell[][] = []
  for (const t of teams) {
    rows.push(row(t.teamName, 'Actual', t.buyBack.percent, 0, t.model, t.costPerFtePence, { pence: t.invoicedPence }, { pence: t.paidPence }))
    if (t.scenario?.ok) {
      rows.push(
        row(
          t.teamName,
          'Scenario',
          c.scenario.buyBackPercent ?? t.buyBack.percent,
          c.scenario.priceChangePercent ?? 0,
          t.scenario.model,
          t.costPerFtePence,
          null,
          null,
        ),
      )
    }
  }
  const which = c.values.team ? `-${c.values.team}` : ''
  return csvDownload(`capacity-${year.replace('/', '-')}${which}.csv`, buildCsv(header, rows))
}
