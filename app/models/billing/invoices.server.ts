import { clock } from '../../utils/clock'
import { sql } from 'kysely'
import type { DB } from '../../../db/connection'
import type { FinanceRoute, InvoiceStatus } from '../../../db/schema'
import { nextMonth, outstandingPence } from '../../domain/invoicing'
import type { InvoiceFilters } from '../../schemas/orders'

/** The invoices of one authority, for finance (/finance/invoices). */

export type InvoiceSummary = {
  id: string
  number: string
  /** The school, or the trust of a consolidated invoice. */
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
  outstandingPence: number
}

export const INVOICES_PAGE_SIZE = 50

/** The authority's invoices matching the filters (school, status, route, service, month issued). */
function filtered(db: DB, authorityId: string, filters: Omit<InvoiceFilters, 'page'>) {
  return (
    db
      .selectFrom('invoices as i')
      .where('i.authority_id', '=', authorityId)
      .$if(filters.schoolId !== undefined, (q) => q.where('i.school_id', '=', filters.schoolId as string))
      .$if(filters.status !== undefined && filters.status !== 'overdue', (q) => q.where('i.status', '=', filters.status as InvoiceStatus))
      // Overdue (isOverdueDebt): open, due before today, something still owed.
      .$if(filters.status === 'overdue', (q) =>
        q
          .where('i.status', '=', 'open')
          .where('i.due_on', '<', clock.today())
          .where(sql<boolean>`i.gross_pence - i.amount_paid_pence - i.amount_credited_pence > 0`),
      )
      .$if(filters.route !== undefined, (q) => q.where('i.route', '=', filters.route as FinanceRoute))
      .$if(filters.serviceId !== undefined, (q) =>
        q.where(({ exists, selectFrom }) =>
          exists(
            selectFrom('invoice_lines as fl')
              .select(sql`1`.as('one'))
              .whereRef('fl.authority_id', '=', 'i.authority_id')
              .whereRef('fl.invoice_id', '=', 'i.id')
              .where('fl.service_id', '=', filters.serviceId as string),
          ),
        ),
      )
      .$if(filters.month !== undefined, (q) => {
        // The month in the UK, whatever the server's time zone: from its first midnight to the next month's.
        const from = filters.month as string
        const to = nextMonth(from)
        return q
          .where('i.issued_at', '>=', sql<Date>`(${from}::date::timestamp at time zone 'Europe/London')`)
          .where('i.issued_at', '<', sql<Date>`(${to}::date::timestamp at time zone 'Europe/London')`)
      })
  )
}

/** One page of an authority's invoices, newest first, filtered by school, status, payment route, service and month. */
export async function listInvoices(
  db: DB,
  authorityId: string,
  filters: InvoiceFilters,
): Promise<{ invoices: InvoiceSummary[]; total: number; page: number; pageCount: number; anyIssued: boolean }> {
  const base = filtered(db, authorityId, filters)
  const [{ total }, any] = await Promise.all([
    base.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow(),
    db.selectFrom('invoices').select('id').where('authority_id', '=', authorityId).limit(1).executeTakeFirst(),
  ])
  const pageCount = Math.max(1, Math.ceil(total / INVOICES_PAGE_SIZE))
  const page = Math.min(filters.page, pageCount)
  const rows = await base
    .leftJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'i.authority_id').onRef('s.id', '=', 'i.school_id'))
    .leftJoin('trusts as t', (j) => j.onRef('t.authority_id', '=', 'i.authority_id').onRef('t.id', '=', 'i.trust_id'))
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
      sql<string>`coalesce(s.name, t.name)`.as('school_name'),
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
      outstandingPence: outstandingPence({
        grossPence: r.gross_pence,
        amountPaidPence: r.amount_paid_pence,
        amountCreditedPence: r.amount_credited_pence,
      }),
    })),
  }
}

export type InvoiceExportRow = {
  number: string
  /** The UK day it was issued, 'YYYY-MM-DD'. */
  issuedOn: string
  dueOn: string
  /** The school, or the trust of a consolidated invoice (no URN). */
  schoolName: string
  urn: string | null
  route: FinanceRoute
  status: InvoiceStatus
  netPence: number
  vatPence: number
  grossPence: number
  amountPaidPence: number
  amountCreditedPence: number
  outstandingPence: number
  orderReference: string | null
  poNumber: string | null
}

/**
 * Every invoice matching the filters (no page limit), oldest first, for the
 * CSV export. Read in batches of 1,000 by number, so that a large authority's
 * export never holds one huge result.
 */
export async function* exportInvoices(db: DB, authorityId: string, filters: Omit<InvoiceFilters, 'page'>): AsyncGenerator<InvoiceExportRow> {
  let after = 0
  for (;;) {
    const rows = await filtered(db, authorityId, filters)
      .leftJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'i.authority_id').onRef('s.id', '=', 'i.school_id'))
      .leftJoin('trusts as t', (j) => j.onRef('t.authority_id', '=', 'i.authority_id').onRef('t.id', '=', 'i.trust_id'))
      .leftJoin('orders as o', (j) => j.onRef('o.authority_id', '=', 'i.authority_id').onRef('o.id', '=', 'i.order_id'))
      .select([
        'i.sequence_number',
        'i.number',
        sql<string>`to_char(i.issued_at at time zone 'Europe/London', 'YYYY-MM-DD')`.as('issued_on'),
        'i.due_on',
        'i.route',
        'i.status',
        'i.net_pence',
        'i.vat_pence',
        'i.gross_pence',
        'i.amount_paid_pence',
        'i.amount_credited_pence',
        'i.po_number',
        sql<string>`coalesce(s.name, t.name)`.as('school_name'),
        's.urn',
        'o.reference as order_reference',
      ])
      .where('i.sequence_number', '>', after)
      .orderBy('i.sequence_number')
      .limit(1000)
      .execute()
    for (const r of rows) {
      yield {
        number: r.number,
        issuedOn: r.issued_on,
        dueOn: r.due_on,
        schoolName: r.school_name,
        urn: r.urn,
        route: r.route,
        status: r.status,
        netPence: r.net_pence,
        vatPence: r.vat_pence,
        grossPence: r.gross_pence,
        amountPaidPence: r.amount_paid_pence,
        amountCreditedPence: r.amount_credited_pence,
        outstandingPence: outstandingPence({
          grossPence: r.gross_pence,
          amountPaidPence: r.amount_paid_pence,
          amountCreditedPence: r.amount_credited_pence,
        }),
        orderReference: r.order_reference,
        poNumber: r.po_number,
      }
    }
    if (rows.length < 1000) return
    after = rows[rows.length - 1]!.sequence_number
  }
}

/** The choices of the invoice filters: the authority's services, and the months (UK) it issued invoices in, newest first. */
export async function invoiceFilterOptions(db: DB, authorityId: string): Promise<{ services: { id: string; name: string }[]; months: string[] }> {
  const [services, months] = await Promise.all([
    db.selectFrom('services').select(['id', 'name']).where('authority_id', '=', authorityId).orderBy('name').orderBy('id').execute(),
    db
      .selectFrom('invoices')
      .select(sql<string>`to_char(issued_at at time zone 'Europe/London', 'YYYY-MM')`.as('month'))
      .where('authority_id', '=', authorityId)
      .groupBy(sql`1`)
      .orderBy(sql`1`, 'desc')
      .execute(),
  ])
  return { services, months: months.map((m) => `${m.month}-01`) }
}
