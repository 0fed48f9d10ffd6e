import { sql } from 'kysely'
import type { DB } from '../../../db/connection'
import type { InvoiceStatus } from '../../../db/schema'
import { shareInProportion } from '../../domain/statement'
import { firstDayOfTradingYear } from '../../domain/trading-year'
import { getSchoolRenewal } from '../renewals/school.server'

/**
 * A school's spend (issue 15 item 5, docs/decisions/0025): for a trading
 * year, by service and by month, what it committed (confirmed order lines),
 * what it was invoiced (net of credit notes), what it paid, and what it used
 * of what it bought; with each charge's CFR code (the offer's, else the
 * service's income code). /spend and /spend.csv both read it.
 *
 * Void invoices are left out (they were never a charge). A credit note made
 * against a whole invoice (not one of its lines) counts against the invoice's
 * largest line. What was paid on an invoice is shared among its lines in
 * proportion to what each still charges.
 */

export type SpendCharge = {
  /** 'YYYY-MM-DD' (UK): the invoice's or credit note's issue day. */
  date: string
  document: 'invoice' | 'credit_note'
  documentNumber: string
  invoiceId: string
  invoiceNumber: string
  invoiceStatus: InvoiceStatus
  serviceId: string
  serviceName: string
  offerName: string | null
  description: string
  cfrCode: string | null
  /** Negative for a credit note. */
  netPence: number
  vatPence: number
  grossPence: number
}

export type SpendServiceRow = {
  serviceId: string
  serviceName: string
  cfrCodes: string[]
  committedPence: number
  invoicedPence: number
  paidPence: number
}

export type SpendMonth = { month: string; label: string; invoicedPence: number; paidPence: number }

export type SpendUsage = {
  lineId: string
  orderId: string
  serviceName: string
  offerName: string
  bought: number
  used: number
  unitOne: string
  unitOther: string
}

export type SpendYear = {
  tradingYear: number
  charges: SpendCharge[]
  services: SpendServiceRow[]
  months: SpendMonth[]
  usage: SpendUsage[]
  totals: { committedPence: number; invoicedPence: number; paidPence: number }
}

const MONTH_LABELS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

const ukDay = (column: string) => sql<string>`to_char(${sql.ref(column)} at time zone 'Europe/London', 'YYYY-MM-DD')`

/** The twelve months of a trading year, '2026-04-01' … '2027-03-01'. */
function yearMonths(tradingYear: number, startMonth: number): string[] {
  const first = firstDayOfTradingYear(tradingYear, startMonth)
  const y = Number(first.slice(0, 4))
  const m = Number(first.slice(5, 7))
  return Array.from({ length: 12 }, (_, i) => {
    const month = ((m - 1 + i) % 12) + 1
    const year = y + Math.floor((m - 1 + i) / 12)
    return `${year}-${String(month).padStart(2, '0')}-01`
  })
}

/** Every charge of a school's trading year: its invoices' lines and its credit notes, in date order. */
export async function spendCharges(db: DB, scope: { authorityId: string; schoolId: string }, tradingYear: number): Promise<SpendCharge[]> {
  const { authorityId, schoolId } = scope
  const [lines, credits] = await Promise.all([
    db
      .selectFrom('invoice_lines as il')
      .innerJoin('invoices as i', (j) => j.onRef('i.id', '=', 'il.invoice_id').onRef('i.authority_id', '=', 'il.authority_id'))
      .innerJoin('services as s', (j) => j.onRef('s.id', '=', 'il.service_id').onRef('s.authority_id', '=', 'il.authority_id'))
      .leftJoin('order_lines as ol', (j) => j.onRef('ol.id', '=', 'il.order_line_id').onRef('ol.authority_id', '=', 'il.authority_id'))
      .leftJoin('offers as o', (j) => j.onRef('o.id', '=', 'ol.offer_id').onRef('o.authority_id', '=', 'ol.authority_id'))
      .select([
        'il.id',
        'il.description',
        'il.net_pence',
        'il.vat_pence',
        'il.gross_pence',
        'i.id as invoice_id',
        'i.number as invoice_number',
        'i.status',
        's.id as service_id',
        's.name as service_name',
        's.income_code',
        'o.name as offer_name',
        'o.cfr_code',
        ukDay('i.issued_at').as('issued_on'),
      ])
      .where('il.authority_id', '=', authorityId)
      .where('i.school_id', '=', schoolId)
      .where('i.trading_year', '=', tradingYear)
      .where('i.status', '!=', 'void')
      .orderBy('i.issued_at')
      .orderBy('i.number')
      .orderBy('il.gross_pence', 'desc')
      .orderBy('il.id')
      .execute(),
    db
      .selectFrom('credit_notes as c')
      .innerJoin('invoices as i', (j) => j.onRef('i.id', '=', 'c.invoice_id').onRef('i.authority_id', '=', 'c.authority_id'))
      .select([
        'c.number',
        'c.reason',
        'c.net_pence',
        'c.vat_pence',
        'c.gross_pence',
        'c.invoice_line_id',
        'i.id as invoice_id',
        ukDay('c.issued_at').as('issued_on'),
      ])
      .where('c.authority_id', '=', authorityId)
      .where('i.school_id', '=', schoolId)
      .where('i.trading_year', '=', tradingYear)
      .where('i.status', '!=', 'void')
      .execute(),
  ])
  const charges: SpendCharge[] = lines.map((l) => ({
    date: l.issued_on,
    document: 'invoice',
    documentNumber: l.invoice_number,
    invoiceId: l.invoice_id,
    invoiceNumber: l.invoice_number,
    invoiceStatus: l.status,
    serviceId: l.service_id,
    serviceName: l.service_name,
    offerName: l.offer_name,
    description: l.description,
    cfrCode: l.cfr_code ?? l.income_code,
    netPence: l.net_pence,
    vatPence: l.vat_pence,
    grossPence: l.gross_pence,
  }))
  const lineById = new Map(lines.map((l, k) => [l.id, charges[k]!]))
  // Lines come largest first within an invoice: the first seen is the invoice's largest.
  const largest = new Map<string, SpendCharge>()
  for (const c of charges) if (!largest.has(c.invoiceId)) largest.set(c.invoiceId, c)
  for (const c of credits) {
    const line = (c.invoice_line_id ? lineById.get(c.invoice_line_id) : undefined) ?? largest.get(c.invoice_id)
    if (!line) continue
    charges.push({
      ...line,
      date: c.issued_on,
      document: 'credit_note',
      documentNumber: c.number,
      description: `Credit: ${c.reason}`,
      netPence: -c.net_pence,
      vatPence: -c.vat_pence,
      grossPence: -c.gross_pence,
    })
  }
  return charges.sort(
    (a, b) =>
      a.date.localeCompare(b.date) ||
      a.invoiceNumber.localeCompare(b.invoiceNumber) ||
      (a.document === b.document ? 0 : a.document === 'invoice' ? -1 : 1),
  )
}

/** What a school's spend for a year is made of. */
async function spendRows(db: DB, scope: { authorityId: string; schoolId: string }, tradingYear: number) {
  const { authorityId, schoolId } = scope
  const [charges, committed, payments, invoicesPaid, usage] = await Promise.all([
    spendCharges(db, scope, tradingYear),
    db
      .selectFrom('order_lines as ol')
      .innerJoin('orders as r', (j) => j.onRef('r.id', '=', 'ol.order_id').onRef('r.authority_id', '=', 'ol.authority_id'))
      .innerJoin('offers as o', (j) => j.onRef('o.id', '=', 'ol.offer_id').onRef('o.authority_id', '=', 'ol.authority_id'))
      .innerJoin('services as s', (j) => j.onRef('s.id', '=', 'o.service_id').onRef('s.authority_id', '=', 'o.authority_id'))
      .select(['s.id as service_id', 's.name as service_name', 's.income_code', 'o.cfr_code', sql<number>`sum(ol.gross_pence)::bigint`.as('gross')])
      .where('ol.authority_id', '=', authorityId)
      .where('r.school_id', '=', schoolId)
      .where('ol.trading_year', '=', tradingYear)
      .where('ol.status', 'in', ['confirmed', 'completed'])
      .groupBy(['s.id', 's.name', 's.income_code', 'o.cfr_code'])
      .execute(),
    db
      .selectFrom('payment_allocations as pa')
      .innerJoin('payments as p', (j) => j.onRef('p.id', '=', 'pa.payment_id').onRef('p.authority_id', '=', 'pa.authority_id'))
      .innerJoin('invoices as i', (j) => j.onRef('i.id', '=', 'pa.invoice_id').onRef('i.authority_id', '=', 'pa.authority_id'))
      .select([
        sql<string>`to_char(date_trunc('month', p.received_on), 'YYYY-MM-DD')`.as('month'),
        sql<number>`sum(pa.amount_pence)::bigint`.as('pence'),
      ])
      .where('pa.authority_id', '=', authorityId)
      .where('i.school_id', '=', schoolId)
      .where('i.trading_year', '=', tradingYear)
      .where('i.status', '!=', 'void')
      .groupBy(sql`date_trunc('month', p.received_on)`)
      .execute(),
    db
      .selectFrom('invoices')
      .select(['id', 'amount_paid_pence'])
      .where('authority_id', '=', authorityId)
      .where('school_id', '=', schoolId)
      .where('trading_year', '=', tradingYear)
      .where('status', '!=', 'void')
      .execute(),
    db
      .selectFrom('order_lines as ol')
      .innerJoin('orders as r', (j) => j.onRef('r.id', '=', 'ol.order_id').onRef('r.authority_id', '=', 'ol.authority_id'))
      .innerJoin('offers as o', (j) => j.onRef('o.id', '=', 'ol.offer_id').onRef('o.authority_id', '=', 'ol.authority_id'))
      .innerJoin('services as s', (j) => j.onRef('s.id', '=', 'o.service_id').onRef('s.authority_id', '=', 'o.authority_id'))
      .select([
        'ol.id',
        'ol.order_id',
        'ol.quantity',
        's.name as service_name',
        'o.name as offer_name',
        'o.unit_one',
        'o.unit_other',
        (eb) =>
          eb
            .selectFrom('delivery_records as d')
            .select(sql<number>`coalesce(sum(d.units), 0)::int`.as('u'))
            .whereRef('d.authority_id', '=', 'ol.authority_id')
            .whereRef('d.order_line_id', '=', 'ol.id')
            .as('used'),
      ])
      .where('ol.authority_id', '=', authorityId)
      .where('r.school_id', '=', schoolId)
      .where('ol.trading_year', '=', tradingYear)
      .where('ol.status', 'in', ['confirmed', 'completed'])
      .orderBy('s.name')
      .orderBy('o.name')
      .execute(),
  ])
  return { charges, committed, payments, invoicesPaid, usage }
}

/** By service: committed, invoiced and paid, with the CFR codes. */
function byService({ charges, committed, invoicesPaid }: Awaited<ReturnType<typeof spendRows>>): Map<string, SpendServiceRow> {
  // By service.
  const services = new Map<string, SpendServiceRow>()
  const row = (id: string, name: string) => {
    let r = services.get(id)
    if (!r) {
      r = { serviceId: id, serviceName: name, cfrCodes: [], committedPence: 0, invoicedPence: 0, paidPence: 0 }
      services.set(id, r)
    }
    return r
  }
  const addCode = (r: SpendServiceRow, code: string | null) => {
    if (code && !r.cfrCodes.includes(code)) r.cfrCodes.push(code)
  }
  for (const c of committed) {
    const r = row(c.service_id, c.service_name)
    r.committedPence += Number(c.gross)
    addCode(r, c.cfr_code ?? c.income_code)
  }
  for (const c of charges) {
    const r = row(c.serviceId, c.serviceName)
    r.invoicedPence += c.grossPence
    addCode(r, c.cfrCode)
  }
  // What was paid on each invoice, shared among its services by what each still charges.
  const paidByInvoice = new Map(invoicesPaid.map((i) => [i.id, i.amount_paid_pence]))
  const chargedByInvoice = new Map<string, Map<string, number>>()
  for (const c of charges) {
    const m = chargedByInvoice.get(c.invoiceId) ?? new Map<string, number>()
    m.set(c.serviceId, (m.get(c.serviceId) ?? 0) + c.grossPence)
    chargedByInvoice.set(c.invoiceId, m)
  }
  for (const [invoiceId, byService] of chargedByInvoice) {
    const paid = paidByInvoice.get(invoiceId) ?? 0
    const entries = [...byService.entries()]
    const shares = shareInProportion(
      paid,
      entries.map(([, charged]) => charged),
    )
    entries.forEach(([serviceId], k) => {
      services.get(serviceId)!.paidPence += shares[k]!
    })
  }

  return services
}

/** A school's spend for one trading year. */
export async function spendYear(
  db: DB,
  scope: { authorityId: string; schoolId: string },
  tradingYear: number,
  startMonth: number,
): Promise<SpendYear> {
  const rows = await spendRows(db, scope, tradingYear)
  const { charges, payments, usage } = rows
  const services = byService(rows)

  // By month.
  const months: SpendMonth[] = yearMonths(tradingYear, startMonth).map((m) => ({
    month: m,
    label: `${MONTH_LABELS[Number(m.slice(5, 7)) - 1]} ${m.slice(0, 4)}`,
    invoicedPence: 0,
    paidPence: 0,
  }))
  const monthOf = (date: string) => months.find((m) => m.month.slice(0, 7) === date.slice(0, 7))
  for (const c of charges) {
    const m = monthOf(c.date) ?? (c.date < months[0]!.month ? months[0]! : months[11]!)
    m.invoicedPence += c.grossPence
  }
  for (const p of payments) {
    const m = monthOf(p.month) ?? (p.month < months[0]!.month ? months[0]! : months[11]!)
    m.paidPence += Number(p.pence)
  }

  const list = [...services.values()].sort((a, b) => a.serviceName.localeCompare(b.serviceName))
  return {
    tradingYear,
    charges,
    services: list,
    months,
    usage: usage.map((u) => ({
      lineId: u.id,
      orderId: u.order_id,
      serviceName: u.service_name,
      offerName: u.offer_name,
      bought: u.quantity,
      used: Number(u.used ?? 0),
      unitOne: u.unit_one,
      unitOther: u.unit_other,
    })),
    totals: {
      committedPence: list.reduce((a, r) => a + r.committedPence, 0),
      invoicedPence: list.reduce((a, r) => a + r.invoicedPence, 0),
      paidPence: list.reduce((a, r) => a + r.paidPence, 0),
    },
  }
}

export type SpendProposal = {
  tradingYear: number
  status: string
  lines: { serviceName: string; offerName: string; quantityText: string; grossPence: number }[]
  netPence: number
  vatPence: number
  grossPence: number
}

export type Spend = { school: { name: string }; thisYear: SpendYear; lastYear: SpendYear; proposal: SpendProposal | null }

/** This year's and last year's spend, and next year's renewal proposal at published prices if there is one. */
export async function schoolSpend(
  db: DB,
  scope: { authorityId: string; schoolId: string },
  options: { tradingYear: number; startMonth: number; now: Date },
): Promise<Spend | null> {
  const school = await db
    .selectFrom('schools')
    .select('name')
    .where('authority_id', '=', scope.authorityId)
    .where('id', '=', scope.schoolId)
    .executeTakeFirst()
  if (!school) return null
  const [thisYear, lastYear, renewal] = await Promise.all([
    spendYear(db, scope, options.tradingYear, options.startMonth),
    spendYear(db, scope, options.tradingYear - 1, options.startMonth),
    getSchoolRenewal(db, scope, options.now),
  ])
  const p = renewal.proposal
  const proposal: SpendProposal | null =
    p && p.tradingYear === options.tradingYear + 1 && (p.status === 'open' || p.status === 'accepted')
      ? {
          tradingYear: p.tradingYear,
          status: p.status,
          lines: p.lines.map((l) => ({
            serviceName: l.serviceName,
            offerName: l.offerName,
            quantityText: l.quantityText,
            grossPence: l.quote.grossPence,
          })),
          netPence: p.netPence,
          vatPence: p.vatPence,
          grossPence: p.grossPence,
        }
      : null
  return { school: { name: school.name }, thisYear, lastYear, proposal }
}
