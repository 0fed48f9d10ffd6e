import type { DB } from '../../../db/connection'
import type { InvoiceSchedule } from '../../../db/schema'
import { ukDate } from '../../domain/dates'
import type { BillableLine } from '../../domain/invoicing'
import { termsOfYear } from '../../domain/terms'
import { loadTerms } from '../shared/terms.server'

/** The statuses of lines that owe something, or had something credited. */
const BILLABLE_STATUSES = ['confirmed', 'completed', 'cancelled'] as const

/**
 * The lines of the given orders (all the authority's when none are given) as
 * the pure invoicing rules read them (app/domain/invoicing.ts chargesDue):
 * schedule, amounts, the days they were confirmed and cancelled, their
 * delivery records, and (termly lines) the authority's terms of their year.
 */
export async function billableLines(db: DB, authorityId: string, orderIds?: readonly string[]): Promise<BillableLine[]> {
  if (orderIds?.length === 0) return []
  const rows = await db
    .selectFrom('order_lines as l')
    .innerJoin('offers as f', (j) => j.onRef('f.authority_id', '=', 'l.authority_id').onRef('f.id', '=', 'l.offer_id'))
    .innerJoin('services as sv', (j) => j.onRef('sv.authority_id', '=', 'f.authority_id').onRef('sv.id', '=', 'f.service_id'))
    .select([
      'l.id',
      'l.order_id',
      'l.status',
      'l.trading_year',
      'l.period_start',
      'l.period_end',
      'l.quantity',
      'l.unit_price_pence',
      'l.net_pence',
      'l.vat_rate_basis_points',
      'l.vat_pence',
      'l.confirmed_at',
      'l.cancelled_at',
      'l.cancellation_fee_pence',
      'l.cluster_id',
      'f.invoice_schedule',
      'f.name as offer_name',
      'sv.id as service_id',
      'sv.name as service_name',
    ])
    .where('l.authority_id', '=', authorityId)
    .$if(orderIds !== undefined, (q) => q.where('l.order_id', 'in', orderIds as readonly string[]))
    .where('l.status', 'in', BILLABLE_STATUSES)
    .execute()
  // On-delivery lines are charged by delivery; a pooled block is shared out by its members' use.
  const onDelivery = rows.filter((l) => l.invoice_schedule === 'on_delivery' || l.cluster_id !== null).map((l) => l.id)
  const [deliveries, terms] = await Promise.all([
    deliveriesByLine(db, authorityId, onDelivery),
    loadTerms(db, authorityId, [...new Set(rows.filter((l) => l.invoice_schedule === 'termly').map((l) => l.trading_year))]),
  ])
  return rows.map((l) => ({
    id: l.id,
    orderId: l.order_id,
    serviceId: l.service_id,
    description: `${l.service_name}: ${l.offer_name}`,
    schedule: l.invoice_schedule as InvoiceSchedule,
    status: l.status,
    tradingYear: l.trading_year,
    quantity: l.quantity,
    unitPricePence: l.unit_price_pence,
    netPence: l.net_pence,
    vatRateBasisPoints: l.vat_rate_basis_points,
    vatPence: l.vat_pence,
    periodStart: l.period_start,
    periodEnd: l.period_end,
    confirmedOn: l.confirmed_at ? ukDate(new Date(l.confirmed_at)) : null,
    cancelledOn: l.cancelled_at ? ukDate(new Date(l.cancelled_at)) : null,
    cancellationFeePence: l.cancellation_fee_pence,
    deliveries: deliveries.get(l.id) ?? [],
    clusterId: l.cluster_id,
    terms: l.invoice_schedule === 'termly' ? termsOfYear(terms, l.trading_year) : [],
  }))
}

async function deliveriesByLine(
  db: DB,
  authorityId: string,
  lineIds: readonly string[],
): Promise<Map<string, { deliveredOn: string; units: number; schoolId: string | null }[]>> {
  const byLine = new Map<string, { deliveredOn: string; units: number; schoolId: string | null }[]>()
  if (lineIds.length === 0) return byLine
  const rows = await db
    .selectFrom('delivery_records')
    .select(['order_line_id', 'delivered_on', 'units', 'school_id'])
    .where('authority_id', '=', authorityId)
    .where('order_line_id', 'in', lineIds)
    .execute()
  for (const d of rows) {
    const list = byLine.get(d.order_line_id) ?? []
    list.push({ deliveredOn: d.delivered_on, units: Number(d.units), schoolId: d.school_id })
    byLine.set(d.order_line_id, list)
  }
  return byLine
}
