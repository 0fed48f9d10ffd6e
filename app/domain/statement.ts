/**
 * The rules of a school's statement of account (docs/decisions/0025). Pure:
 * app/models/billing/statement.server.ts reads the events from the database.
 * Money is integer pence; dates are 'YYYY-MM-DD' (UK days).
 */

export type StatementEntryKind = 'invoice' | 'credit_note' | 'payment' | 'refund' | 'write_off' | 'void'

export type LedgerEvent = {
  date: string
  kind: StatementEntryKind
  description: string
  /** The invoice the entry belongs to (links to /invoices/:id). */
  invoiceId: string
  invoiceNumber: string
  /** Adds to what the school owes. */
  debitPence: number
  /** Takes from what the school owes. */
  creditPence: number
}

export type LedgerEntry = LedgerEvent & { balancePence: number }

const KIND_ORDER: Record<StatementEntryKind, number> = { invoice: 0, credit_note: 1, payment: 2, refund: 3, write_off: 4, void: 5 }

/**
 * A period's ledger from every event of the school: the balance before
 * `from` (opening), the events from `from` to `to` inclusive in date order
 * (on one day: invoices, credit notes, payments, refunds, write-offs, voids;
 * then by invoice number) each with the balance after it, and the closing
 * balance on `to`. Events after `to` are left out.
 */
export function statementLedger(
  events: readonly LedgerEvent[],
  from: string,
  to: string,
): { openingBalancePence: number; entries: LedgerEntry[]; closingBalancePence: number } {
  const sorted = [...events].sort(
    (a, b) => a.date.localeCompare(b.date) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.invoiceNumber.localeCompare(b.invoiceNumber),
  )
  let opening = 0
  let balance = 0
  const entries: LedgerEntry[] = []
  for (const e of sorted) {
    if (e.date > to) break
    balance += e.debitPence - e.creditPence
    if (e.date < from) opening = balance
    else entries.push({ ...e, balancePence: balance })
  }
  return { openingBalancePence: opening, entries, closingBalancePence: balance }
}

/**
 * What an invoice still owed when it was written off or voided leaves the
 * balance that day, so that its entries add up to what aged debt counts
 * (nothing, for a written-off or void invoice). Null when nothing is owed.
 */
export function closingEvent(invoice: {
  id: string
  number: string
  status: string
  outstandingPence: number
  voidedOn: string | null
  writtenOffOn: string | null
}): LedgerEvent | null {
  if (invoice.outstandingPence <= 0) return null
  const base = { invoiceId: invoice.id, invoiceNumber: invoice.number, debitPence: 0, creditPence: invoice.outstandingPence }
  if (invoice.status === 'void' && invoice.voidedOn) {
    return { ...base, date: invoice.voidedOn, kind: 'void', description: `Invoice ${invoice.number} cancelled (void)` }
  }
  if (invoice.status === 'uncollectible' && invoice.writtenOffOn) {
    return { ...base, date: invoice.writtenOffOn, kind: 'write_off', description: `Invoice ${invoice.number} written off` }
  }
  return null
}

/**
 * Shares an amount among weights in proportion (negative weights get
 * nothing); the last positive weight takes the rounding, so the shares add
 * up to the amount exactly. All zero when there is nothing to share by.
 */
export function shareInProportion(amountPence: number, weights: readonly number[]): number[] {
  const positive = weights.map((w) => Math.max(0, w))
  const total = positive.reduce((a, b) => a + b, 0)
  const shares = positive.map(() => 0)
  if (total <= 0 || amountPence === 0) return shares
  const last = positive.findLastIndex((w) => w > 0)
  let left = amountPence
  positive.forEach((w, k) => {
    if (w <= 0) return
    const share = k === last ? left : Math.round((amountPence * w) / total)
    shares[k] = share
    left -= share
  })
  return shares
}
