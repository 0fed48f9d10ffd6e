import { sql } from 'kysely'
import type { DB } from '../../db/connection'
import type { FinanceRoute, InvoiceStatus } from '../../db/schema'
import type { InvoiceFilters } from '../schemas/orders'

/** The invoices table of one authority, for finance (SPEC §2 Invoice, §5 /finance/invoices). */

export type InvoiceSummary = {
  id: string
  number: string
  schoolName: string
  orderId: string | null
  orderReference: string | null
  route: FinanceRoute
  status: InvoiceStatus
  issuedAt: Date
  dueOn: string
  grossPence: number
  amountPaidPence: number
  amountCreditedPence: number
}

export const INVOICES_PAGE_SIZE = 50

/** One page of an authority's invoices, newest first, filtered by school, status and payment route. */
export async function listInvoices(
  db: DB,
  authorityId: string,
  filters: InvoiceFilters,
): Promise<{ invoices: InvoiceSummary[]; total: number; page: number; pageCount: number; anyIssued: boolean }> {
  const base = db
    .selectFrom('invoices as i')
    .where('i.authority_id', '=', authorityId)
    .$if(filters.schoolId !== undefined, (q) => q.where('i.school_id', '=', filters.schoolId as string))
    .$if(filters.status !== undefined, (q) => q.where('i.status', '=', filters.status as InvoiceStatus))
    .$if(filters.route !== undefined, (q) => q.where('i.route', '=', filters.route as FinanceRoute))
  const [{ total }, any] = await Promise.all([
    base.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow(),
    db.selectFrom('invoices').select('id').where('authority_id', '=', authorityId).limit(1).executeTakeFirst(),
  ])
  const pageCount = Math.max(1, Math.ceil(total / INVOICES_PAGE_SIZE))
  const page = Math.min(filters.page, pageCount)
  const rows = await base
    .innerJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'i.authority_id').onRef('s.id', '=', 'i.school_id'))
    .leftJoin('orders as o', (j) => j.onRef('o.authority_id', '=', 'i.authority_id').onRef('o.id', '=', 'i.order_id'))
    .select([
      'i.id',
      'i.number',
      'i.order_id',
      'i.route',
      'i.status',
      'i.issued_at',
      'i.due_on',
      'i.gross_pence',
      'i.amount_paid_pence',
      'i.amount_credited_pence',
      's.name as school_name',
      'o.reference as order_reference',
    ])
    .orderBy('i.issued_at', 'desc')
    .orderBy('i.sequence_number', 'desc')
    .limit(INVOICES_PAGE_SIZE)
    .offset((page - 1) * INVOICES_PAGE_SIZE)
    .execute()
  return {
    total,
    page,
    pageCount,
    anyIssued: any !== undefined,
    invoices: rows.map((r) => ({
      id: r.id,
      number: r.number,
      schoolName: r.school_name,
      orderId: r.order_id,
      orderReference: r.order_reference,
      route: r.route,
      status: r.status,
      issuedAt: r.issued_at,
      dueOn: r.due_on,
      grossPence: r.gross_pence,
      amountPaidPence: r.amount_paid_pence,
      amountCreditedPence: r.amount_credited_pence,
    })),
  }
}
