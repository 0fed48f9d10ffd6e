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
 * What each school owes on open and written-off invoices, by how overdue it
 * is on `asOf` (AGE_BANDS), with a totals row. Schools are sorted most
 * overdue first: by the amount over 90 days, then 61 to 90 days, and so on
 * down to what is not yet due; then by the earliest due date. Invoices that
 * owe nothing (and paid, credited or void ones) are left out.
 */
export function agedDebt(items: readonly DebtItem[], asOf: string): { rows: AgedDebtRow[]; totals: Omit<AgedDebtRow, 'schoolId' | 'oldestDueOn'> } {
  const bySchool = new Map<string, AgedDebtRow>()
  const totals = { bands: emptyBands(), totalPence: 0, overduePence: 0, invoiceCount: 0 }
  for (const item of items) {
    if (item.status !== 'open' && item.status !== 'uncollectible') continue
    const owed = outstandingPence(item)
    if (owed <= 0) continue
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
  return { rows, totals }
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
