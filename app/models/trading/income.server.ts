import { sql } from 'kysely'
import type { DB } from '../../../db/connection'
import { attributeInvoices, type InvoiceForAttribution } from '../../domain/trading'

/**
 * Income by service for a trading year: booked (this year and last),
 * invoiced and paid, against the service's target. The counting rules are in
 * app/domain/trading.ts.
 */

export type ServiceIncome = {
  bookedPence: number
  invoicedPence: number
  paidPence: number
  targetPence: number
  bookedLastYearPence: number
}

export const zeroIncome = (): ServiceIncome => ({ bookedPence: 0, invoicedPence: 0, paidPence: 0, targetPence: 0, bookedLastYearPence: 0 })

/**
 * Income booked per service and trading year (rule "income booked"), from the
 * summary the order-line triggers keep (migration 0005).
 */
async function bookedByService(db: DB, authorityId: string, serviceIds: readonly string[], years: number[]) {
  if (serviceIds.length === 0) return []
  return db
    .selectFrom('trading_school_services')
    .select(['service_id', 'trading_year', sql<number>`sum(booked_pence)::bigint`.as('booked')])
    .where('authority_id', '=', authorityId)
    .where('trading_year', 'in', years)
    .where('service_id', 'in', [...serviceIds])
    .groupBy(['service_id', 'trading_year'])
    .execute()
}

/**
 * The invoices of a trading year that charge any of the services, with
 * every line (the other services' lines weigh in the split of credit notes
 * and payments), their credit notes and the payments allocated to them.
 */
export async function invoicesForAttribution(
  db: DB,
  authorityId: string,
  serviceIds: readonly string[],
  tradingYear: number,
): Promise<InvoiceForAttribution[]> {
  if (serviceIds.length === 0) return []
  const ids = [...serviceIds]
  // The year's invoices (index-only on invoices_year_idx), those charging any of the services.
  const yearInvoices = () =>
    db.selectFrom('invoices as i').where('i.authority_id', '=', authorityId).where('i.trading_year', '=', tradingYear).where('i.status', '<>', 'void')
  const [lines, credits, allocations] = await Promise.all([
    yearInvoices()
      .innerJoin('invoice_lines as il', (j) => j.onRef('il.authority_id', '=', 'i.authority_id').onRef('il.invoice_id', '=', 'i.id'))
      .select([
        'i.id as invoice_id',
        'i.status',
        'i.net_pence as invoice_net',
        'i.gross_pence as invoice_gross',
        'il.id',
        'il.service_id',
        'il.net_pence',
      ])
      .execute(),
    yearInvoices()
      .innerJoin('credit_notes as c', (j) => j.onRef('c.authority_id', '=', 'i.authority_id').onRef('c.invoice_id', '=', 'i.id'))
      .select(['c.invoice_id', 'c.invoice_line_id', 'c.net_pence'])
      .execute(),
    yearInvoices()
      .innerJoin('payment_allocations as pa', (j) => j.onRef('pa.authority_id', '=', 'i.authority_id').onRef('pa.invoice_id', '=', 'i.id'))
      .select(['pa.invoice_id', sql<number>`sum(pa.amount_pence)::bigint`.as('amount')])
      .groupBy('pa.invoice_id')
      .execute(),
  ])
  const wanted = new Set(ids)
  const charging = new Set(lines.filter((l) => wanted.has(l.service_id)).map((l) => l.invoice_id))
  const invoices = [
    ...new Map(
      lines
        .filter((l) => charging.has(l.invoice_id))
        .map((l) => [l.invoice_id, { id: l.invoice_id, status: l.status, net_pence: l.invoice_net, gross_pence: l.invoice_gross }]),
    ).values(),
  ]
  const byId = new Map<string, InvoiceForAttribution>()
  for (const i of invoices) {
    byId.set(i.id, { status: i.status, netPence: i.net_pence, grossPence: i.gross_pence, lines: [], credits: [], allocatedPence: 0 })
  }
  for (const l of lines) byId.get(l.invoice_id)?.lines.push({ id: l.id, serviceId: l.service_id, netPence: l.net_pence })
  for (const c of credits) byId.get(c.invoice_id)?.credits.push({ netPence: c.net_pence, invoiceLineId: c.invoice_line_id })
  for (const a of allocations) {
    const invoice = byId.get(a.invoice_id)
    if (invoice) invoice.allocatedPence = Number(a.amount)
  }
  return [...byId.values()]
}

/** Booked (this year and last), invoiced, paid and target, for each of the services. */
export async function incomeByService(
  db: DB,
  authorityId: string,
  serviceIds: readonly string[],
  tradingYear: number,
): Promise<Map<string, ServiceIncome>> {
  const result = new Map<string, ServiceIncome>(serviceIds.map((id) => [id, zeroIncome()]))
  if (serviceIds.length === 0) return result
  const [booked, invoices, targets] = await Promise.all([
    bookedByService(db, authorityId, serviceIds, [tradingYear, tradingYear - 1]),
    invoicesForAttribution(db, authorityId, serviceIds, tradingYear),
    db
      .selectFrom('income_targets')
      .select(['service_id', 'target_pence'])
      .where('authority_id', '=', authorityId)
      .where('trading_year', '=', tradingYear)
      .where('service_id', 'in', [...serviceIds])
      .execute(),
  ])
  for (const b of booked) {
    const income = result.get(b.service_id)
    if (!income) continue
    if (b.trading_year === tradingYear) income.bookedPence = Number(b.booked)
    else income.bookedLastYearPence = Number(b.booked)
  }
  for (const [serviceId, money] of attributeInvoices(invoices)) {
    const income = result.get(serviceId)
    if (!income) continue
    income.invoicedPence = money.invoicedPence
    income.paidPence = money.paidPence
  }
  for (const t of targets) {
    const income = result.get(t.service_id)
    if (income) income.targetPence = t.target_pence
  }
  return result
}

// ---------------------------------------------------------------------------
// Buy-back
