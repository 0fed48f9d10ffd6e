/**
 * The rules behind finance's pages (/finance/*):
 * overdue invoices, aged debt by school, and posting a month's internal
 * recharge journal. Pure: the repositories in app/models/ apply them in a
 * transaction. Money is integer pence; dates are 'YYYY-MM-DD'.
 */
import { AGE_BANDS, ageBand, monthOf, outstandingPence, settledStatus, type AgeBand, type InvoiceStatus } from './invoicing'

type Amounts = { grossPence: number; amountPaidPence: number; amountCreditedPence: number }

// ---------------------------------------------------------------------------
// Overdue

/** An open invoice is overdue from the day after its due date. */
export function isOverdue(invoice: { status: InvoiceStatus; dueOn: string }, today: string): boolean {
  return invoice.status === 'open' && invoice.dueOn < today
}

/** The tag an invoice shows: its status, or "overdue" for an open invoice past its due date. */
export function invoiceTag(invoice: { status: InvoiceStatus; dueOn: string }, today: string): InvoiceStatus | 'overdue' {
  return isOverdue(invoice, today) ? 'overdue' : invoice.status
}

// ---------------------------------------------------------------------------
// Months in addresses

/** '2026-11' (an address or a filter) → '2026-11-01'; anything else → null. Years 2000 to 2100. */
export function parseMonthParam(value: string | null | undefined): string | null {
  const m = /^(\d{4})-(\d{2})$/.exec(value ?? '')
  if (!m) return null
  const year = Number(m[1])
  const month = Number(m[2])
  if (year < 2000 || year > 2100 || month < 1 || month > 12) return null
  return `${m[1]}-${m[2]}-01`
}

/** '2026-11-01' (or any day of it) → '2026-11', for addresses. */
export function monthParam(month: string): string {
  return monthOf(month).slice(0, 7)
}

// ---------------------------------------------------------------------------
// Aged debt

export type DebtItem = {
  schoolId: string
  dueOn: string
  status: InvoiceStatus
} & Amounts

export type AgedDebtRow = {
  schoolId: string
  bands: Record<AgeBand, number>
  /** What the school owes in all. */
  totalPence: number
  /** What is past its due date. */
  overduePence: number
  invoiceCount: number
  /** The earliest due date of what is still owed. */
  oldestDueOn: string
}

function emptyBands(): Record<AgeBand, number> {
  return Object.fromEntries(AGE_BANDS.map((b) => [b.band, 0])) as Record<AgeBand, number>
}

const OLDEST_FIRST = [...AGE_BANDS].reverse().map((b) => b.band)

/**
 * What each school owes on open invoices, by how overdue it is on `asOf`
 * (AGE_BANDS), with a totals row. Written-off invoices are debt no longer:
 * what they still owe is counted apart (`writtenOff`). Schools are sorted most
 * overdue first: by the amount over 90 days, then 61 to 90 days, and so on
 * down to what is not yet due; then by the earliest due date. Invoices that
 * owe nothing (and paid, credited or void ones) are left out.
 */
export function agedDebt(
  items: readonly DebtItem[],
  asOf: string,
): { rows: AgedDebtRow[]; totals: Omit<AgedDebtRow, 'schoolId' | 'oldestDueOn'>; writtenOff: { pence: number; invoiceCount: number } } {
  const bySchool = new Map<string, AgedDebtRow>()
  const totals = { bands: emptyBands(), totalPence: 0, overduePence: 0, invoiceCount: 0 }
  const writtenOff = { pence: 0, invoiceCount: 0 }
  for (const item of items) {
    if (item.status !== 'open' && item.status !== 'uncollectible') continue
    const owed = outstandingPence(item)
    if (owed <= 0) continue
    if (item.status === 'uncollectible') {
      writtenOff.pence += owed
      writtenOff.invoiceCount += 1
      continue
    }
    const band = ageBand(item.dueOn, asOf)
    let row = bySchool.get(item.schoolId)
    if (!row) {
      row = { schoolId: item.schoolId, bands: emptyBands(), totalPence: 0, overduePence: 0, invoiceCount: 0, oldestDueOn: item.dueOn }
      bySchool.set(item.schoolId, row)
    }
    for (const target of [row, totals]) {
      target.bands[band] += owed
      target.totalPence += owed
      if (band !== 'not_due') target.overduePence += owed
      target.invoiceCount += 1
    }
    if (item.dueOn < row.oldestDueOn) row.oldestDueOn = item.dueOn
  }
  const rows = [...bySchool.values()].sort((a, b) => {
    for (const band of OLDEST_FIRST) {
      if (a.bands[band] !== b.bands[band]) return b.bands[band] - a.bands[band]
    }
    return a.oldestDueOn.localeCompare(b.oldestDueOn) || a.schoolId.localeCompare(b.schoolId)
  })
  return { rows, totals, writtenOff }
}

// ---------------------------------------------------------------------------
// Posting a recharge journal

export type JournalInvoice = { id: string; status: InvoiceStatus } & Amounts

export type JournalSettlement = {
  /** One per invoice that still owed something: what the journal pays, and the invoice afterwards. */
  allocations: { invoiceId: string; amountPence: number; amountPaidPence: number; status: InvoiceStatus }[]
  /** The journal's payment: what its invoices still owed, in all. */
  totalPence: number
}

/**
 * Posting a month's journal pays each of its invoices what it still owes
 * (after credit notes and any payment already received): one payment for the
 * journal, allocated invoice by invoice, and each invoice settled. Void
 * invoices and invoices that owe nothing are left alone.
 */
export function journalSettlement(invoices: readonly JournalInvoice[]): JournalSettlement {
  const allocations: JournalSettlement['allocations'] = []
  let totalPence = 0
  for (const invoice of invoices) {
    if (invoice.status === 'void') continue
    const amount = outstandingPence(invoice)
    if (amount <= 0) continue
    const amountPaidPence = invoice.amountPaidPence + amount
    allocations.push({
      invoiceId: invoice.id,
      amountPence: amount,
      amountPaidPence,
      status: settledStatus(invoice.status, { ...invoice, amountPaidPence }),
    })
    totalPence += amount
  }
  return { allocations, totalPence }
}

export type JournalPostingProblem = 'missing' | 'posted' | 'not_started' | 'empty'

/**
 * Why a month's journal cannot be posted today, or null when it can: it must
 * exist, still be open, have begun (a month is posted from its first day,
 * usually after its last), and hold at least one invoice or credit note.
 */
export function journalPostingProblem(
  journal: { status: 'open' | 'posted'; month: string; documentCount: number } | null,
  today: string,
): JournalPostingProblem | null {
  if (!journal) return 'missing'
  if (journal.status === 'posted') return 'posted'
  if (monthOf(journal.month) > monthOf(today)) return 'not_started'
  if (journal.documentCount === 0) return 'empty'
  return null
}

// ---------------------------------------------------------------------------
// Remittances

/**
 * The order in which a remittance pays the invoices ticked: the order they
 * were ticked in, when the page could record it (`ticked`, with JavaScript),
 * otherwise the order they were listed in (oldest due first). Anything in
 * `ticked` that was not among the chosen invoices is ignored.
 */
export function remittanceOrder(chosen: readonly string[], ticked: readonly string[]): string[] {
  const wanted = new Set(chosen)
  const ordered: string[] = []
  for (const id of ticked) {
    if (wanted.has(id) && !ordered.includes(id)) ordered.push(id)
  }
  for (const id of chosen) {
    if (!ordered.includes(id)) ordered.push(id)
  }
  return ordered
}

// ---------------------------------------------------------------------------
// Corrections: credit notes, write-offs, voids, allocations and refunds

/** What is left to credit on an invoice: its total less the credit notes already issued (nothing on a void one). */
export function creditLeftPence(invoice: { status: InvoiceStatus; grossPence: number; amountCreditedPence: number }): number {
  if (invoice.status === 'void') return 0
  return Math.max(0, invoice.grossPence - invoice.amountCreditedPence)
}

/** Why a credit of this amount cannot be issued, or null when it can: more than nothing, and never more than is left to credit. */
export function creditProblem(amountPence: number, creditLeft: number): 'not_positive' | 'too_much' | null {
  if (!Number.isSafeInteger(amountPence) || amountPence <= 0) return 'not_positive'
  if (amountPence > creditLeft) return 'too_much'
  return null
}

/**
 * A part credit's VAT, in the invoice's own proportion of VAT to total,
 * rounded to the penny. Crediting all that is left credits exactly the VAT
 * not yet credited, so the credit notes of an invoice always add up to its
 * VAT and total; a part never takes more VAT than is left, nor more than
 * itself.
 */
export function partCreditVat(
  creditGrossPence: number,
  invoice: { grossPence: number; vatPence: number; amountCreditedPence: number; vatCreditedPence: number },
): { netPence: number; vatPence: number; grossPence: number } {
  const vatLeft = Math.max(0, invoice.vatPence - invoice.vatCreditedPence)
  const left = invoice.grossPence - invoice.amountCreditedPence
  const proportional = invoice.grossPence > 0 ? Math.round((creditGrossPence * invoice.vatPence) / invoice.grossPence) : 0
  const vat = creditGrossPence === left ? Math.min(vatLeft, creditGrossPence) : Math.min(proportional, vatLeft, creditGrossPence)
  return { netPence: creditGrossPence - vat, vatPence: vat, grossPence: creditGrossPence }
}

/**
 * The part of a credit note that the invoice had already been paid, which
 * goes back to the school as a refund (in the credit note's journal for a
 * recharge) so that the invoice is never overpaid: the credit less what was
 * still owed, and never more than was paid.
 */
export function refundOnCredit(creditGrossPence: number, invoice: Amounts): number {
  const owed = outstandingPence(invoice)
  return Math.min(invoice.amountPaidPence, Math.max(0, creditGrossPence - owed))
}

/** Why an invoice cannot be written off, or null when it can: only an open invoice that still owes something. */
export function writeOffProblem(invoice: { status: InvoiceStatus } & Amounts): 'not_open' | 'nothing_owed' | null {
  if (invoice.status !== 'open') return 'not_open'
  if (outstandingPence(invoice) <= 0) return 'nothing_owed'
  return null
}

/**
 * Why an invoice cannot be voided, or null when it can: only an invoice
 * issued in error that is still open and on which nothing has been paid or
 * credited, and (a recharge) whose journal has not been posted.
 */
export function voidProblem(
  invoice: { status: InvoiceStatus; amountPaidPence: number; amountCreditedPence: number },
  journalPosted: boolean,
): 'not_open' | 'paid_or_credited' | 'journal_posted' | null {
  if (invoice.status !== 'open') return 'not_open'
  if (invoice.amountPaidPence > 0 || invoice.amountCreditedPence > 0) return 'paid_or_credited'
  if (journalPosted) return 'journal_posted'
  return null
}

export type AllocationRequest = { invoiceId: string; amountPence: number; amountDuePence: number }

export type AllocationProblem =
  | { kind: 'none' }
  | { kind: 'not_positive'; invoiceId: string }
  | { kind: 'above_due'; invoiceId: string; amountDuePence: number }
  | { kind: 'above_payment'; unallocatedPence: number }

/**
 * Whether allocations of an unallocated payment fit, or the first reason
 * they do not: at least one; each whole pence above zero and no more than
 * its invoice still owes; together no more than the payment has unallocated.
 */
export function allocationProblem(requests: readonly AllocationRequest[], unallocatedPence: number): AllocationProblem | null {
  if (requests.length === 0) return { kind: 'none' }
  let total = 0
  for (const r of requests) {
    if (!Number.isSafeInteger(r.amountPence) || r.amountPence <= 0) return { kind: 'not_positive', invoiceId: r.invoiceId }
    if (r.amountPence > r.amountDuePence) return { kind: 'above_due', invoiceId: r.invoiceId, amountDuePence: r.amountDuePence }
    total += r.amountPence
  }
  if (total > unallocatedPence) return { kind: 'above_payment', unallocatedPence }
  return null
}

/** Why a refund of what a payment has unallocated cannot be recorded, or null: above zero and no more than is unallocated. */
export function refundProblem(amountPence: number, unallocatedPence: number): 'not_positive' | 'too_much' | null {
  if (!Number.isSafeInteger(amountPence) || amountPence <= 0) return 'not_positive'
  if (amountPence > unallocatedPence) return 'too_much'
  return null
}

/** An open invoice with something still owed, past its due date: the "Overdue" filter. */
export function isOverdueDebt(invoice: { status: InvoiceStatus; dueOn: string } & Amounts, today: string): boolean {
  return isOverdue(invoice, today) && outstandingPence(invoice) > 0
}
