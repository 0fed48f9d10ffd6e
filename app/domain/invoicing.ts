/**
 * Invoicing rules (docs/decisions/0009).
 * Pure: the billing room (app/models/billing/) applies them in a
 * transaction. Money is integer pence; dates are 'YYYY-MM-DD' (UTC).
 *
 * What a confirmed order line owes, and when, follows its offer's schedule:
 * - `annual_in_advance`: all of it, on the day it is confirmed or on the first
 *   day of its period, whichever is later (a renewal for next year accepted
 *   in December is invoiced on 1 April);
 * - `termly`: three instalments, on the first day of the summer, autumn and
 *   spring terms of its trading year, but never before the line is confirmed
 *   nor before its period starts (an instalment whose term began earlier is
 *   issued on the later of those days);
 * - `on_delivery`: monthly in arrears: what was delivered in a month, at the
 *   line's unit price, on the 1st of the next month.
 * Nothing is ever invoiced before the line's period starts (SPEC §7).
 * A late-cancellation fee is invoiced on the day of cancelling. Each charge
 * has a key, so that it is invoiced once whatever runs twice.
 *
 * Cancelling a line credits everything invoiced for it (the fee, if any, is
 * its own invoice); an issued invoice is never changed, only credited.
 */
import { addDays, daysBetween } from './dates'
import { vatOn } from './pricing'
import { termLabel, termsOfYear, type Term } from './terms'

export type InvoiceSchedule = 'annual_in_advance' | 'termly' | 'on_delivery'
export type FinanceRoute = 'internal_recharge' | 'invoice'
export type InvoiceStatus = 'open' | 'paid' | 'credited' | 'void' | 'uncollectible'

/** Days to pay an invoice until an authority sets its own (its invoice settings, /la/admin/settings). */
export const DEFAULT_DAYS_TO_PAY = 30

// ---------------------------------------------------------------------------
// Dates

function parseDate(iso: string): number {
  const t = Date.parse(`${iso}T00:00:00Z`)
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso) || Number.isNaN(t)) throw new RangeError(`Not a date: ${iso}`)
  return t
}

/** The first day of the month a date is in. */
export function monthOf(iso: string): string {
  parseDate(iso)
  return `${iso.slice(0, 7)}-01`
}

/** The first day of the next month. */
export function nextMonth(month: string): string {
  const d = new Date(parseDate(monthOf(month)))
  d.setUTCMonth(d.getUTCMonth() + 1)
  return d.toISOString().slice(0, 10)
}

/** The last day of the month a date is in. */
export function lastDayOfMonth(iso: string): string {
  return addDays(nextMonth(iso), -1)
}

/** "November 2026" for 2026-11-01. */
export function monthLabel(month: string): string {
  return MONTH_LABEL.format(new Date(parseDate(monthOf(month))))
}

const MONTH_LABEL = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' })

// ---------------------------------------------------------------------------
// Terms

export type TermInstalment = { instalment: 1 | 2 | 3; term: string; startsOn: string; endsOn?: string }

/**
 * The three terms of a trading year, in order, each invoiced on its first
 * day: the authority's term dates when it has set all three for the year
 * (term_dates), otherwise the usual first days: summer 13 April, autumn
 * 2 September, spring 5 January of the next calendar year.
 */
export function termInstalments(tradingYear: number, terms: readonly Term[] = []): TermInstalment[] {
  const year = termsOfYear(terms, tradingYear)
  if (year.length === 3) {
    return year.map((t, i) => ({ instalment: (i + 1) as 1 | 2 | 3, term: termLabel(t), startsOn: t.startsOn, endsOn: t.endsOn }))
  }
  return [
    { instalment: 1, term: `Summer term ${tradingYear}`, startsOn: `${tradingYear}-04-13` },
    { instalment: 2, term: `Autumn term ${tradingYear}`, startsOn: `${tradingYear}-09-02` },
    { instalment: 3, term: `Spring term ${tradingYear + 1}`, startsOn: `${tradingYear + 1}-01-05` },
  ]
}

/**
 * Whether a term instalment falls within a line's period: the term starts
 * before the period ends, and it is still under way (or to come) when the
 * period starts. Without the term's last day, a term lasts until the next
 * begins (a period starting in a holiday then counts with the term before).
 */
export function termCoversPeriod(all: readonly TermInstalment[], i: number, periodStart: string, periodEnd: string): boolean {
  const t = all[i]!
  const lastDay = t.endsOn ?? addDays(all[i + 1]?.startsOn ?? '9999-12-31', -1)
  return t.startsOn <= periodEnd && lastDay >= periodStart
}

/**
 * The term instalments a line's period covers: a line from the spring term
 * pays one instalment, a whole year three.
 */
export function instalmentsCovered(tradingYear: number, periodStart: string, periodEnd: string, terms: readonly Term[] = []): TermInstalment[] {
  const all = termInstalments(tradingYear, terms)
  const covered = all.filter((_, i) => termCoversPeriod(all, i, periodStart, periodEnd))
  // A period wholly inside a holiday still pays the term next to it.
  return covered.length > 0 ? covered : [all.find((t) => t.startsOn > periodStart) ?? all[all.length - 1]!]
}

/**
 * Splits an amount into `parts` whole-penny shares that add up to it exactly;
 * the first shares carry the odd pennies: 100 001p in three is 33 334p,
 * 33 334p, 33 333p.
 */
export function splitPence(total: number, parts: number): number[] {
  if (!Number.isSafeInteger(total) || total < 0) throw new RangeError(`splitPence needs whole pence, got ${total}`)
  if (!Number.isInteger(parts) || parts < 1) throw new RangeError(`splitPence needs at least one part, got ${parts}`)
  const base = Math.floor(total / parts)
  const odd = total - base * parts
  return Array.from({ length: parts }, (_, i) => base + (i < odd ? 1 : 0))
}

// ---------------------------------------------------------------------------
// Charges

export type BillableLine = {
  id: string
  orderId: string
  serviceId: string
  /** "Educational Psychology: Consultation days" */
  description: string
  schedule: InvoiceSchedule
  status: string
  tradingYear: number
  quantity: number
  unitPricePence: number
  netPence: number
  vatRateBasisPoints: number
  vatPence: number
  /** The first and last day of the service the line buys. */
  periodStart: string
  periodEnd: string
  /** The day it was confirmed (null if it never was). */
  confirmedOn: string | null
  cancelledOn: string | null
  cancellationFeePence: number
  /** Delivery records: day and units (and, on a pooled block, the member school it was for). */
  deliveries: readonly { deliveredOn: string; units: number; schoolId?: string | null }[]
  /** The cluster when the line is a pooled block (billed by its members' shares, rule clusterShareCharges); null otherwise. */
  clusterId?: string | null
  /** The authority's terms of the line's trading year (term_dates); none: the usual term dates. */
  terms?: readonly Term[]
}

export type Charge = {
  key: string
  lineId: string
  orderId: string
  serviceId: string
  issueOn: string
  description: string
  quantity: number
  unitPricePence: number
  netPence: number
  vatRateBasisPoints: number
  vatPence: number
  /** 1–3 for termly instalments. */
  instalment: number | null
  /** For on-delivery charges: the month delivered. */
  billingMonth: string | null
  isFee: boolean
  /** A member school's share of a pooled block: that school pays it (not the order's). */
  schoolId?: string
}

const BILLABLE = new Set(['confirmed', 'completed', 'cancelled'])

/** The later of two days. */
function later(a: string, b: string): string {
  return a > b ? a : b
}

/**
 * When a line bought in advance is invoiced (SPEC §7 "Billing date"): on the
 * day it was confirmed or on the first day of its period, whichever is
 * later. Annual lines are invoiced whole on this day; termly lines' first
 * instalment is never earlier.
 */
export function billingDateOf(line: { confirmedOn: string; periodStart: string }): string {
  return later(line.confirmedOn, line.periodStart)
}

/**
 * The day a termly instalment is issued: its term's first day, or the
 * line's billing date if that is later (a term already begun when the line
 * was confirmed, or before the line's period starts).
 */
export function termInstalmentIssueOn(term: TermInstalment, line: { confirmedOn: string; periodStart: string }): string {
  return later(term.startsOn, billingDateOf(line))
}

/** A charge's key: what it charges, unique per authority. */
export const chargeKeys = {
  annual: (lineId: string) => `line:${lineId}:annual`,
  term: (lineId: string, instalment: number) => `line:${lineId}:term-${instalment}`,
  delivery: (lineId: string, month: string) => `line:${lineId}:delivery:${month.slice(0, 7)}`,
  lateFee: (lineId: string) => `line:${lineId}:late-fee`,
}

/**
 * Everything a line owes on or before `asOf`, whether or not already
 * invoiced (the caller drops the keys it has already invoiced). A cancelled
 * line owed only what fell due before the day it was cancelled (credited
 * afterwards) and its late-cancellation fee. A cluster's pooled block owes
 * nothing as a line: its members are charged their shares instead
 * (clusterShareCharges in app/domain/trusts.ts).
 */
export function chargesDue(line: BillableLine, asOf: string): Charge[] {
  if (line.clusterId) return []
  if (!BILLABLE.has(line.status) || line.confirmedOn === null) {
    return line.status === 'cancelled' ? feeCharge(line, asOf) : []
  }
  const dated = { confirmedOn: line.confirmedOn, periodStart: line.periodStart }
  const stillDue = (issueOn: string) => issueOn <= asOf && (line.status !== 'cancelled' || line.cancelledOn === null || issueOn < line.cancelledOn)
  const base = {
    lineId: line.id,
    orderId: line.orderId,
    serviceId: line.serviceId,
    vatRateBasisPoints: line.vatRateBasisPoints,
    isFee: false,
  }
  const charges: Charge[] = []
  switch (line.schedule) {
    case 'annual_in_advance':
      if (stillDue(billingDateOf(dated))) {
        charges.push({
          ...base,
          key: chargeKeys.annual(line.id),
          issueOn: billingDateOf(dated),
          description: line.description,
          quantity: line.quantity,
          unitPricePence: line.unitPricePence,
          netPence: line.netPence,
          vatPence: line.vatPence,
          instalment: null,
          billingMonth: null,
        })
      }
      break
    case 'termly': {
      const covered = instalmentsCovered(line.tradingYear, line.periodStart, line.periodEnd, line.terms)
      const nets = splitPence(line.netPence, covered.length)
      const vats = splitPence(line.vatPence, covered.length)
      for (const [i, term] of covered.entries()) {
        const issueOn = termInstalmentIssueOn(term, dated)
        if (!stillDue(issueOn)) continue
        charges.push({
          ...base,
          key: chargeKeys.term(line.id, term.instalment),
          issueOn,
          description: `${line.description} (${term.term}: instalment ${i + 1} of ${covered.length})`,
          quantity: line.quantity,
          unitPricePence: line.unitPricePence,
          netPence: nets[i] ?? 0,
          vatPence: vats[i] ?? 0,
          instalment: term.instalment,
          billingMonth: null,
        })
      }
      break
    }
    case 'on_delivery': {
      const unitsByMonth = new Map<string, number>()
      for (const d of line.deliveries) {
        const month = monthOf(d.deliveredOn)
        unitsByMonth.set(month, (unitsByMonth.get(month) ?? 0) + d.units)
      }
      for (const [month, units] of [...unitsByMonth].sort(([a], [b]) => a.localeCompare(b))) {
        const issueOn = nextMonth(month)
        if (issueOn > asOf || units <= 0) continue
        // Units may be fractional (half-days); the charge is rounded to the penny.
        const netPence = Math.round(units * line.unitPricePence)
        charges.push({
          ...base,
          key: chargeKeys.delivery(line.id, month),
          issueOn,
          description: `${line.description}, delivered in ${monthLabel(month)}`,
          quantity: units,
          unitPricePence: line.unitPricePence,
          netPence,
          vatPence: vatOn(netPence, line.vatRateBasisPoints),
          instalment: null,
          billingMonth: month,
        })
      }
      break
    }
  }
  return [...charges, ...feeCharge(line, asOf)]
}

/**
 * When the school will next be invoiced for a line, for the order page: the
 * first charge for it not yet issued (keys in `issuedKeys`), if it is
 * invoiced in advance and anything is left to invoice. Null for lines
 * invoiced monthly as delivered, and once everything is invoiced.
 */
export function nextBillingDate(line: BillableLine, issuedKeys: ReadonlySet<string>): string | null {
  if (line.schedule === 'on_delivery' || line.status === 'cancelled') return null
  const pending = chargesDue(line, FOREVER)
    .filter((c) => !c.isFee && !issuedKeys.has(c.key))
    .map((c) => c.issueOn)
    .sort()
  return pending[0] ?? null
}

const FOREVER = '9999-12-31'

function feeCharge(line: BillableLine, asOf: string): Charge[] {
  if (line.status !== 'cancelled' || line.cancellationFeePence <= 0 || !line.cancelledOn || line.cancelledOn > asOf) return []
  return [
    {
      key: chargeKeys.lateFee(line.id),
      lineId: line.id,
      orderId: line.orderId,
      serviceId: line.serviceId,
      issueOn: line.cancelledOn,
      description: `Cancellation charge: ${line.description}`,
      quantity: 1,
      unitPricePence: line.cancellationFeePence,
      netPence: line.cancellationFeePence,
      vatRateBasisPoints: line.vatRateBasisPoints,
      vatPence: vatOn(line.cancellationFeePence, line.vatRateBasisPoints),
      instalment: null,
      billingMonth: null,
      isFee: true,
    },
  ]
}

export type InvoiceDraft = {
  /** The order invoiced; null on a trust's consolidated invoice, which covers its trust order's orders. */
  orderId: string | null
  /** The trust order of a consolidated invoice; null otherwise. */
  trustOrderId: string | null
  /** The member school invoiced for its share of a pooled block; null: the order's school. */
  schoolId: string | null
  issueOn: string
  charges: Charge[]
  netPence: number
  vatPence: number
  grossPence: number
  instalment: number | null
  billingMonth: string | null
}

/**
 * Charges become invoices: one per order and issue day, in the order they
 * are issued (by day, then order id, so numbering is deterministic). A
 * charge that `trustOrderOf` puts on its trust's consolidated invoice is
 * grouped by its trust order instead, so that one invoice to the trust
 * holds every member school's charges of that day; a member school's share
 * of a pooled block is invoiced to that school. A charge of £0 raises no
 * invoice.
 */
export function groupIntoInvoices(charges: readonly Charge[], trustOrderOf: (charge: Charge) => string | null = () => null): InvoiceDraft[] {
  const groups = new Map<string, { trustOrderId: string | null; charges: Charge[] }>()
  // Nothing to pay is never invoiced (what a subscription includes is priced at £0).
  for (const c of charges.filter((charge) => charge.netPence !== 0 || charge.vatPence !== 0)) {
    const trustOrderId = trustOrderOf(c)
    const payer = trustOrderId !== null ? `trust-order:${trustOrderId}` : `order:${c.orderId}${c.schoolId ? `|school:${c.schoolId}` : ''}`
    const key = `${c.issueOn}|${payer}`
    const group = groups.get(key) ?? { trustOrderId, charges: [] }
    group.charges.push(c)
    groups.set(key, group)
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, { trustOrderId, charges: list }]) => {
      const first = list[0]!
      const netPence = list.reduce((n, c) => n + c.netPence, 0)
      const vatPence = list.reduce((n, c) => n + c.vatPence, 0)
      const instalments = new Set(list.map((c) => c.instalment))
      const months = new Set(list.map((c) => c.billingMonth))
      return {
        orderId: trustOrderId === null ? first.orderId : null,
        trustOrderId,
        schoolId: trustOrderId === null ? (first.schoolId ?? null) : null,
        issueOn: first.issueOn,
        charges: list,
        netPence,
        vatPence,
        grossPence: netPence + vatPence,
        instalment: instalments.size === 1 ? first.instalment : null,
        billingMonth: months.size === 1 ? first.billingMonth : null,
      }
    })
}

// ---------------------------------------------------------------------------
// Numbers, routes and due dates

/** Invoice numbers: the authority's prefix and six digits, COV-000123. */
export function invoiceNumber(prefix: string, sequence: number): string {
  if (!Number.isSafeInteger(sequence) || sequence < 1) throw new RangeError(`An invoice number needs a positive sequence, got ${sequence}`)
  return `${prefix}-${String(sequence).padStart(6, '0')}`
}

/** Credit note numbers: COV-CN-000012. */
export function creditNoteNumber(prefix: string, sequence: number): string {
  return invoiceNumber(`${prefix}-CN`, sequence)
}

/**
 * How a school pays on a day: academies by invoice; maintained schools by
 * internal recharge, until the day they convert to an academy (from then on,
 * by invoice: "from the next invoice").
 */
export function financeRouteOn(school: { financeRoute: FinanceRoute; convertedToAcademyOn: string | null }, issueOn: string): FinanceRoute {
  if (school.convertedToAcademyOn !== null && school.convertedToAcademyOn <= issueOn) return 'invoice'
  return school.financeRoute
}

/**
 * The recharge journal an internal-recharge document goes in: its issue
 * month's, or, if finance has already posted that one, the first later
 * month not yet posted.
 */
export function journalMonthFor(issueOn: string, postedMonths: ReadonlySet<string>): string {
  let month = monthOf(issueOn)
  while (postedMonths.has(month)) month = nextMonth(month)
  return month
}

/**
 * When an invoice is due: an academy's invoice the authority's days to pay
 * after issue; an internal recharge at the end of its journal's month, when
 * it is posted.
 */
export function dueOn(route: FinanceRoute, issueOn: string, journalMonth?: string, daysToPay: number = DEFAULT_DAYS_TO_PAY): string {
  return route === 'invoice' ? addDays(issueOn, daysToPay) : lastDayOfMonth(journalMonth ?? issueOn)
}

// ---------------------------------------------------------------------------
// Invoice settings (the authority's, shown on every invoice and email)

export type InvoiceSettingsInput = {
  vatNumber: string
  bankName: string
  sortCode: string
  accountNumber: string
  accountName: string
  remittanceAddress: string
  remittanceEmail: string
  daysToPay: string
}

export type InvoiceSettings = {
  /** 'GB123456789' */
  vatNumber: string
  bankName: string
  /** '309626' */
  sortCode: string
  accountNumber: string
  accountName: string
  remittanceAddress: string
  remittanceEmail: string
  daysToPay: number
}

const VAT_NUMBER = /^GB\d{9}$/
const SETTINGS_REQUIRED: Record<keyof InvoiceSettingsInput, string> = {
  vatNumber: 'Enter the VAT registration number',
  bankName: 'Enter the bank’s name',
  sortCode: 'Enter the sort code',
  accountNumber: 'Enter the account number',
  accountName: 'Enter the name on the account',
  remittanceAddress: 'Enter the address remittances are sent to',
  remittanceEmail: 'Enter the email address remittances are sent to',
  daysToPay: 'Enter the number of days schools have to pay',
}

/** The settings as stored: VAT number and sort code without spaces or dashes, days as a number. */
export function normaliseInvoiceSettings(input: InvoiceSettingsInput): InvoiceSettings {
  return {
    vatNumber: input.vatNumber.replace(/[\s-]/g, '').toUpperCase(),
    bankName: input.bankName.trim(),
    sortCode: input.sortCode.replace(/[\s-]/g, ''),
    accountNumber: input.accountNumber.replace(/\s/g, ''),
    accountName: input.accountName.trim(),
    remittanceAddress: input.remittanceAddress.trim(),
    remittanceEmail: input.remittanceEmail.trim().toLowerCase(),
    daysToPay: /^\d{1,3}$/.test(input.daysToPay.trim()) ? Number(input.daysToPay.trim()) : Number.NaN,
  }
}

/**
 * What is wrong with invoice settings, field by field (empty when they are
 * valid): every field required; a UK VAT number is GB and 9 digits; a sort
 * code 6 digits; an account number 8; days to pay a whole number, 1 to 120.
 */
export function invoiceSettingsProblems(input: InvoiceSettingsInput): Partial<Record<keyof InvoiceSettingsInput, string>> {
  const problems: Partial<Record<keyof InvoiceSettingsInput, string>> = {}
  for (const key of Object.keys(SETTINGS_REQUIRED) as (keyof InvoiceSettingsInput)[]) {
    if (input[key].trim() === '') problems[key] = SETTINGS_REQUIRED[key]
  }
  const s = normaliseInvoiceSettings(input)
  if (!problems.vatNumber && !VAT_NUMBER.test(s.vatNumber)) problems.vatNumber = 'Enter a UK VAT number: GB followed by 9 digits, like GB 123 4567 89'
  if (!problems.sortCode && !/^\d{6}$/.test(s.sortCode)) problems.sortCode = 'Enter a sort code of 6 digits, like 30-96-26'
  if (!problems.accountNumber && !/^\d{8}$/.test(s.accountNumber)) problems.accountNumber = 'Enter an account number of 8 digits'
  if (!problems.remittanceEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s.remittanceEmail)) {
    problems.remittanceEmail = 'Enter an email address in the correct format, like name@example.com'
  }
  if (!problems.daysToPay && !(Number.isInteger(s.daysToPay) && s.daysToPay >= 1 && s.daysToPay <= 120)) {
    problems.daysToPay = 'Days to pay must be a whole number from 1 to 120'
  }
  for (const key of ['bankName', 'accountName', 'remittanceAddress'] as const) {
    if (!problems[key] && input[key].length > 500) problems[key] = 'Enter 500 characters or fewer'
  }
  return problems
}

/** 'GB123456789' → 'GB 123 4567 89', as printed on an invoice. */
export function formatVatNumber(vat: string): string {
  const m = /^GB(\d{3})(\d{4})(\d{2})$/.exec(vat)
  return m ? `GB ${m[1]} ${m[2]} ${m[3]}` : vat
}

/** '309626' → '30-96-26'. */
export function formatSortCode(sortCode: string): string {
  return /^\d{6}$/.test(sortCode) ? `${sortCode.slice(0, 2)}-${sortCode.slice(2, 4)}-${sortCode.slice(4)}` : sortCode
}

// ---------------------------------------------------------------------------
// Status

/** What is still owed on an invoice (never below zero). */
export function outstandingPence(invoice: { grossPence: number; amountPaidPence: number; amountCreditedPence: number }): number {
  return Math.max(0, invoice.grossPence - invoice.amountPaidPence - invoice.amountCreditedPence)
}

/**
 * An invoice's status once payments and credits are counted: settled when
 * nothing is owed (`paid` if anything was paid, `credited` if credit notes
 * covered it all); otherwise it keeps an `uncollectible` mark or is `open`.
 * `void` and settled invoices never reopen.
 */
export function settledStatus(
  current: InvoiceStatus,
  invoice: { grossPence: number; amountPaidPence: number; amountCreditedPence: number },
): InvoiceStatus {
  if (current === 'void') return 'void'
  if (outstandingPence(invoice) === 0) return invoice.amountPaidPence > 0 ? 'paid' : 'credited'
  if (current === 'paid' || current === 'credited') return current
  return current === 'uncollectible' ? 'uncollectible' : 'open'
}

/**
 * Applying a status Stripe reports, whatever order its events arrive in: a
 * paid, credited or void invoice never goes back; `uncollectible` can still
 * be paid; `open` never overrides anything later.
 */
export function nextStripeStatus(current: InvoiceStatus, reported: 'open' | 'paid' | 'void' | 'uncollectible'): InvoiceStatus {
  if (current === 'paid' || current === 'void' || current === 'credited') return current
  if (reported === 'open') return current
  if (current === 'uncollectible' && reported === 'void') return 'void'
  return reported
}

// ---------------------------------------------------------------------------
// Aged debt

export type AgeBand = 'not_due' | 'days_1_30' | 'days_31_60' | 'days_61_90' | 'over_90'

export const AGE_BANDS: readonly { band: AgeBand; label: string }[] = [
  { band: 'not_due', label: 'Not yet due' },
  { band: 'days_1_30', label: '1 to 30 days' },
  { band: 'days_31_60', label: '31 to 60 days' },
  { band: 'days_61_90', label: '61 to 90 days' },
  { band: 'over_90', label: 'Over 90 days' },
]

/** How overdue an amount is on a day: by whole days past its due date. */
export function ageBand(dueOn: string, asOf: string): AgeBand {
  const days = daysBetween(dueOn, asOf)
  if (days <= 0) return 'not_due'
  if (days <= 30) return 'days_1_30'
  if (days <= 60) return 'days_31_60'
  if (days <= 90) return 'days_61_90'
  return 'over_90'
}

// ---------------------------------------------------------------------------
// Allocating a remittance

/**
 * Spreads a payment over invoices in the order given, each up to what it
 * still owes. What is left over is returned as unallocated (shown to
 * finance, never silently dropped).
 */
export function allocatePayment(
  amountPence: number,
  invoices: readonly { id: string; outstandingPence: number }[],
): { allocations: { invoiceId: string; amountPence: number }[]; unallocatedPence: number } {
  if (!Number.isSafeInteger(amountPence) || amountPence <= 0) throw new RangeError(`A payment must be whole pence above zero, got ${amountPence}`)
  let left = amountPence
  const allocations: { invoiceId: string; amountPence: number }[] = []
  for (const invoice of invoices) {
    if (left === 0) break
    const amount = Math.min(left, invoice.outstandingPence)
    if (amount <= 0) continue
    allocations.push({ invoiceId: invoice.id, amountPence: amount })
    left -= amount
  }
  return { allocations, unallocatedPence: left }
}

// ---------------------------------------------------------------------------
// Reconciling a Stripe payout

export type BalanceTransaction = {
  id: string
  type: string
  amountPence: number
  feePence: number
  netPence: number
  paymentIntentId: string | null
}

export type PayoutMatch = {
  transactionId: string
  paymentId: string | null
}

/**
 * Matches a payout's balance transactions to recorded payments by payment
 * intent. Charges and payments with no recorded payment, and anything else
 * (refunds, fees, adjustments) are left unmatched for finance to resolve.
 * Linear in the number of transactions.
 */
export function matchPayoutTransactions(
  transactions: readonly BalanceTransaction[],
  paymentIdByIntent: ReadonlyMap<string, string>,
): { matches: PayoutMatch[]; matched: number; unmatched: number; matchedPence: number; unmatchedPence: number } {
  let matched = 0
  let matchedPence = 0
  let unmatchedPence = 0
  const matches = transactions.map((t) => {
    const paymentId = t.paymentIntentId ? (paymentIdByIntent.get(t.paymentIntentId) ?? null) : null
    if (paymentId) {
      matched += 1
      matchedPence += t.amountPence
    } else if (t.type !== 'payout') {
      unmatchedPence += t.amountPence
    }
    return { transactionId: t.id, paymentId }
  })
  return { matches, matched, unmatched: transactions.length - matched, matchedPence, unmatchedPence }
}

/** "To pay by bank transfer: …, quoting COV-000123. Send the remittance advice to …", or undefined without bank details. */
export function howToPayText(
  settings: {
    bankName: string | null
    sortCode: string | null
    accountNumber: string | null
    accountName: string | null
    remittanceEmail: string | null
  },
  invoiceNumber: string,
): string | undefined {
  if (!settings.bankName || !settings.sortCode || !settings.accountNumber || !settings.accountName) return undefined
  const remit = settings.remittanceEmail ? ` Send the remittance advice to ${settings.remittanceEmail}.` : ''
  return `To pay by bank transfer: ${settings.accountName}, ${settings.bankName}, sort code ${formatSortCode(settings.sortCode)}, account ${settings.accountNumber}, quoting ${invoiceNumber}.${remit}`
}
