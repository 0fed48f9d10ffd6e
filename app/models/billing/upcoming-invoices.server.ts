import type { DB } from '../../../db/connection'
import { nextBillingDate } from '../../domain/invoicing'
import { billableLines } from './billable-lines.server'

/**
 * When each confirmed line of an order will next be invoiced, for the order
 * page: the day of its first charge not yet issued (app/domain/invoicing.ts
 * nextBillingDate), by line id. Lines invoiced as delivered, cancelled, or
 * with everything invoiced are left out.
 */
export async function upcomingInvoiceDates(db: DB, authorityId: string, orderId: string): Promise<Map<string, string>> {
  const lines = (await billableLines(db, authorityId, [orderId])).filter((l) => l.status === 'confirmed' || l.status === 'completed')
  if (lines.length === 0) return new Map()
  const issued = await db
    .selectFrom('invoice_lines as il')
    .innerJoin('invoices as i', (j) => j.onRef('i.authority_id', '=', 'il.authority_id').onRef('i.id', '=', 'il.invoice_id'))
    .select('il.charge_key')
    .where('il.authority_id', '=', authorityId)
    .where('i.order_id', '=', orderId)
    .where('il.charge_key', 'is not', null)
    .execute()
  const issuedKeys = new Set(issued.map((r) => r.charge_key!))
  const dates = new Map<string, string>()
  for (const line of lines) {
    const on = nextBillingDate(line, issuedKeys)
    if (on) dates.set(line.id, on)
  }
  return dates
}
