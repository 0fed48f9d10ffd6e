import type { DB } from '../../../db/connection'
import type { FinanceRoute, InvoiceStatus, PaymentMethod, SchoolType, StripeSyncStatus } from '../../../db/schema'
import { outstandingPence } from '../../domain/invoicing'

/**
 * One invoice as printed (its page, its PDF and finance's page alike): who
 * from, who to (a school, or a trust on its consolidated invoice), lines,
 * totals, what is paid and credited.
 */

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
  /** Who it is to: the school, or on a consolidated invoice the trust (each line names its school). */
  school: Addressee
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

/**
 * Who an invoice (and its credit notes) is addressed to: the school, or the
 * trust of a consolidated invoice (`trust`: no URN, type or cost centre).
 * Select ADDRESSEE_COLUMNS from a query joining the invoice's school as `s`
 * and its trust as `t` (both left joins), and make it with addresseeOf.
 */
export type Addressee = {
  id: string
  name: string
  urn: string | null
  type: SchoolType | null
  addressLines: string[]
  costCentre: string | null
  trust: boolean
}

export const ADDRESSEE_COLUMNS = [
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
] as const

type AddresseeRow = {
  school_id: string | null
  school_name: string | null
  urn: string | null
  school_type: SchoolType | null
  address_line1: string | null
  town: string | null
  postcode: string | null
  cost_centre: string | null
  trust_id: string | null
  trust_name: string | null
  trust_address_line1: string | null
  trust_town: string | null
  trust_postcode: string | null
}

export function addresseeOf(r: AddresseeRow): Addressee {
  const lines = (...parts: (string | null)[]) => parts.filter((v): v is string => Boolean(v))
  if (r.school_id) {
    return {
      id: r.school_id,
      name: r.school_name!,
      urn: r.urn,
      type: r.school_type,
      addressLines: lines(r.address_line1, r.town, r.postcode),
      costCentre: r.cost_centre,
      trust: false,
    }
  }
  return {
    id: r.trust_id!,
    name: r.trust_name!,
    urn: null,
    type: null,
    addressLines: lines(r.trust_address_line1, r.trust_town, r.trust_postcode),
    costCentre: null,
    trust: true,
  }
}

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
    school: addresseeOf(row),
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
      ...ADDRESSEE_COLUMNS,
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
