import { clock } from '../../utils/clock'
import { sql } from 'kysely'
import type { DB } from '../../../db/connection'
import type { FinanceRoute, InvoiceStatus, PaymentMethod, SchoolType, StripeSyncStatus } from '../../../db/schema'
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

// ---------------------------------------------------------------------------
// One invoice

export type InvoiceDocument = {
  id: string
  number: string
  status: InvoiceStatus
  route: FinanceRoute
  issuedAt: Date
  dueOn: string
  tradingYear: number
  instalment: number | null
  periodLabel: string | null
  poNumber: string | null
  netPence: number
  vatPence: number
  grossPence: number
  amountPaidPence: number
  amountCreditedPence: number
  outstandingPence: number
  paidAt: Date | null
  stripe: { status: StripeSyncStatus; hostedUrl: string | null; lastPaymentError: string | null }
  authority: {
    name: string
    address: string | null
    vatNumber: string | null
    contactEmail: string
    contactPhone: string | null
    /** How to pay by bank transfer, from the authority's invoice settings. */
    bank: { name: string; sortCode: string; accountNumber: string; accountName: string } | null
    remittanceAddress: string | null
    remittanceEmail: string | null
  }
  /** Written off or voided: when, by whom (id) and why. */
  correction: { kind: 'written_off' | 'voided'; at: Date; reason: string | null } | null
  /** Who it is to: the school, or on a consolidated invoice the trust (`trust`: no URN, type or cost centre; each line names its school). */
  school: {
    id: string
    name: string
    urn: string | null
    type: SchoolType | null
    addressLines: string[]
    costCentre: string | null
    trust: boolean
  }
  order: { id: string; reference: string } | null
  /** The trust order a consolidated invoice is for. */
  trustOrder: { id: string; reference: string } | null
  journal: { month: string; status: 'open' | 'posted'; postedAt: Date | null } | null
  lines: {
    id: string
    serviceName: string
    description: string
    quantity: number
    unitPricePence: number
    netPence: number
    vatRateBasisPoints: number
    vatPence: number
    grossPence: number
    /** The period the ordered line covers ('YYYY-MM-DD'), when it came from an order line. */
    period: { start: string; end: string } | null
  }[]
  payments: {
    paymentId: string
    method: PaymentMethod
    receivedOn: string
    reference: string | null
    amountPence: number
    recordedBy: string | null
  }[]
  creditNotes: { id: string; number: string; issuedAt: Date; reason: string; grossPence: number; journalMonth: string | null }[]
}

/** Whose invoices a reader may open: one school's, or one trust's consolidated invoices; everything of the authority when empty. */
export type InvoiceOwner = { schoolId?: string; trustId?: string }

/** An invoice as printed: who from, who to, lines, totals, what is paid and credited. With `only`, that school's or trust's only. */
export async function getInvoiceDocument(
  db: DB,
  authorityId: string,
  invoiceId: string,
  only: InvoiceOwner = {},
): Promise<InvoiceDocument | undefined> {
  const row = await invoiceHeader(db, authorityId, invoiceId, only)
  if (!row) return undefined
  const [lines, payments, creditNotes] = await Promise.all([
    invoiceLines(db, authorityId, invoiceId),
    invoicePayments(db, authorityId, invoiceId),
    invoiceCreditNotes(db, authorityId, invoiceId),
  ])
  const amounts = { grossPence: row.gross_pence, amountPaidPence: row.amount_paid_pence, amountCreditedPence: row.amount_credited_pence }
  return {
    id: row.id,
    number: row.number,
    status: row.status,
    route: row.route,
    issuedAt: row.issued_at,
    dueOn: row.due_on,
    tradingYear: row.trading_year,
    instalment: row.instalment,
    periodLabel: row.period_label,
    poNumber: row.po_number,
    netPence: row.net_pence,
    vatPence: row.vat_pence,
    grossPence: row.gross_pence,
    amountPaidPence: row.amount_paid_pence,
    amountCreditedPence: row.amount_credited_pence,
    outstandingPence: outstandingPence(amounts),
    paidAt: row.paid_at,
    correction: row.voided_at
      ? { kind: 'voided', at: row.voided_at, reason: row.void_reason }
      : row.written_off_at
        ? { kind: 'written_off', at: row.written_off_at, reason: row.written_off_reason }
        : null,
    stripe: { status: row.stripe_status, hostedUrl: row.stripe_hosted_invoice_url, lastPaymentError: row.last_payment_error },
    authority: {
      name: row.authority_name,
      address: row.authority_address,
      vatNumber: row.vat_number,
      bank:
        row.bank_name && row.bank_sort_code && row.bank_account_number && row.bank_account_name
          ? { name: row.bank_name, sortCode: row.bank_sort_code, accountNumber: row.bank_account_number, accountName: row.bank_account_name }
          : null,
      remittanceAddress: row.remittance_address,
      remittanceEmail: row.remittance_email,
      contactEmail: row.contact_email,
      contactPhone: row.contact_phone,
    },
    school: row.school_id
      ? {
          id: row.school_id,
          name: row.school_name!,
          urn: row.urn,
          type: row.school_type,
          addressLines: [row.address_line1, row.town, row.postcode].filter((v): v is string => Boolean(v)),
          costCentre: row.cost_centre,
          trust: false,
        }
      : {
          id: row.trust_id!,
          name: row.trust_name!,
          urn: null,
          type: null,
          addressLines: [row.trust_address_line1, row.trust_town, row.trust_postcode].filter((v): v is string => Boolean(v)),
          costCentre: null,
          trust: true,
        },
    order: row.order_id && row.order_reference ? { id: row.order_id, reference: row.order_reference } : null,
    trustOrder: row.trust_order_id && row.trust_order_reference ? { id: row.trust_order_id, reference: row.trust_order_reference } : null,
    journal:
      row.journal_month && row.journal_status ? { month: row.journal_month, status: row.journal_status, postedAt: row.journal_posted_at } : null,
    lines,
    payments,
    creditNotes,
  }
}

/** The invoice with its authority, school (or trust), order (or trust order) and journal. */
function invoiceHeader(db: DB, authorityId: string, invoiceId: string, only: InvoiceOwner) {
  return db
    .selectFrom('invoices as i')
    .innerJoin('authorities as a', 'a.id', 'i.authority_id')
    .leftJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'i.authority_id').onRef('s.id', '=', 'i.school_id'))
    .leftJoin('trusts as t', (j) => j.onRef('t.authority_id', '=', 'i.authority_id').onRef('t.id', '=', 'i.trust_id'))
    .leftJoin('trust_orders as tro', (j) => j.onRef('tro.authority_id', '=', 'i.authority_id').onRef('tro.id', '=', 'i.trust_order_id'))
    .leftJoin('orders as o', (j) => j.onRef('o.authority_id', '=', 'i.authority_id').onRef('o.id', '=', 'i.order_id'))
    .leftJoin('recharge_journals as rj', (j) => j.onRef('rj.authority_id', '=', 'i.authority_id').onRef('rj.id', '=', 'i.journal_id'))
    .select([
      'i.id',
      'i.number',
      'i.status',
      'i.route',
      'i.issued_at',
      'i.due_on',
      'i.trading_year',
      'i.instalment',
      'i.period_label',
      'i.po_number',
      'i.net_pence',
      'i.vat_pence',
      'i.gross_pence',
      'i.amount_paid_pence',
      'i.amount_credited_pence',
      'i.paid_at',
      'i.stripe_status',
      'i.stripe_hosted_invoice_url',
      'i.last_payment_error',
      'a.name as authority_name',
      'a.address as authority_address',
      'a.vat_number',
      'a.bank_name',
      'a.bank_sort_code',
      'a.bank_account_number',
      'a.bank_account_name',
      'a.remittance_address',
      'a.remittance_email',
      'i.written_off_at',
      'i.written_off_reason',
      'i.voided_at',
      'i.void_reason',
      'a.contact_email',
      'a.contact_phone',
      's.id as school_id',
      's.name as school_name',
      's.urn',
      's.school_type',
      's.address_line1',
      's.town',
      's.postcode',
      's.cost_centre',
      't.id as trust_id',
      't.name as trust_name',
      't.address_line1 as trust_address_line1',
      't.town as trust_town',
      't.postcode as trust_postcode',
      'tro.id as trust_order_id',
      'tro.reference as trust_order_reference',
      'o.id as order_id',
      'o.reference as order_reference',
      'rj.month as journal_month',
      'rj.status as journal_status',
      'rj.posted_at as journal_posted_at',
    ])
    .where('i.authority_id', '=', authorityId)
    .where('i.id', '=', invoiceId)
    .$if(only.schoolId !== undefined, (q) => q.where('i.school_id', '=', only.schoolId as string))
    .$if(only.trustId !== undefined, (q) => q.where('i.trust_id', '=', only.trustId as string))
    .executeTakeFirst()
}

/** Its lines, by service, then description. */
async function invoiceLines(db: DB, authorityId: string, invoiceId: string): Promise<InvoiceDocument['lines']> {
  const rows = await db
    .selectFrom('invoice_lines as l')
    .innerJoin('services as sv', (j) => j.onRef('sv.authority_id', '=', 'l.authority_id').onRef('sv.id', '=', 'l.service_id'))
    .leftJoin('order_lines as ol', (j) => j.onRef('ol.authority_id', '=', 'l.authority_id').onRef('ol.id', '=', 'l.order_line_id'))
    .select(['ol.period_start', 'ol.period_end'])
    .select([
      'l.id',
      'l.description',
      'l.quantity',
      'l.unit_price_pence',
      'l.net_pence',
      'l.vat_rate_basis_points',
      'l.vat_pence',
      'l.gross_pence',
      'sv.name as service_name',
    ])
    .where('l.authority_id', '=', authorityId)
    .where('l.invoice_id', '=', invoiceId)
    .orderBy('sv.name')
    .orderBy('l.description')
    .orderBy('l.id')
    .execute()
  return rows.map((l) => ({
    id: l.id,
    serviceName: l.service_name,
    description: l.description,
    quantity: l.quantity,
    unitPricePence: l.unit_price_pence,
    netPence: l.net_pence,
    vatRateBasisPoints: l.vat_rate_basis_points,
    vatPence: l.vat_pence,
    grossPence: l.gross_pence,
    period: l.period_start && l.period_end ? { start: l.period_start, end: l.period_end } : null,
  }))
}

/** What has been paid against it, oldest first. */
async function invoicePayments(db: DB, authorityId: string, invoiceId: string): Promise<InvoiceDocument['payments']> {
  const rows = await db
    .selectFrom('payment_allocations as pa')
    .innerJoin('payments as p', (j) => j.onRef('p.authority_id', '=', 'pa.authority_id').onRef('p.id', '=', 'pa.payment_id'))
    .leftJoin('users as u', (j) => j.onRef('u.authority_id', '=', 'p.authority_id').onRef('u.id', '=', 'p.recorded_by'))
    .select(['p.id', 'p.method', 'p.received_on', 'p.reference', 'pa.amount_pence', 'u.name as recorded_by'])
    .where('pa.authority_id', '=', authorityId)
    .where('pa.invoice_id', '=', invoiceId)
    .orderBy('p.received_on')
    .orderBy('pa.created_at')
    .execute()
  return rows.map((p) => ({
    paymentId: p.id,
    method: p.method,
    receivedOn: p.received_on,
    reference: p.reference,
    amountPence: p.amount_pence,
    recordedBy: p.recorded_by,
  }))
}

/** The credit notes against it, oldest first. */
async function invoiceCreditNotes(db: DB, authorityId: string, invoiceId: string): Promise<InvoiceDocument['creditNotes']> {
  const rows = await db
    .selectFrom('credit_notes as c')
    .leftJoin('recharge_journals as cj', (j) => j.onRef('cj.authority_id', '=', 'c.authority_id').onRef('cj.id', '=', 'c.journal_id'))
    .select(['c.id', 'c.number', 'c.issued_at', 'c.reason', 'c.gross_pence', 'cj.month as journal_month'])
    .where('c.authority_id', '=', authorityId)
    .where('c.invoice_id', '=', invoiceId)
    .orderBy('c.issued_at')
    .orderBy('c.sequence_number')
    .execute()
  return rows.map((c) => ({
    id: c.id,
    number: c.number,
    issuedAt: c.issued_at,
    reason: c.reason,
    grossPence: c.gross_pence,
    journalMonth: c.journal_month,
  }))
}
