/**
 * Trading income against targets (/la/trading): how income booked,
 * invoiced and paid is counted for each service, buy-back rates, lapsed
 * schools and the months of the cumulative chart. Pure: the repositories in
 * app/models/trading.server.ts and capacity-model.server.ts apply them.
 * The rules and why are in docs/decisions/0010.
 *
 * Money is integer pence; every split of an amount adds up to it exactly.
 */

/** Order-line statuses whose net price is income booked. */
export const BOOKED_STATUSES = ['confirmed', 'completed'] as const
/** Statuses of a line that is still wanted this year (a school with one is not lapsed). */
export const LIVE_STATUSES = ['awaiting_approval', 'submitted', 'confirmed', 'waitlisted', 'completed'] as const

/**
 * Rule "income booked": the net price of each confirmed or completed line,
 * plus the late-cancellation fee of each cancelled line (money the school
 * owes all the same). VAT is never income.
 */
export function bookedIncome(line: { status: string; netPence: number; cancellationFeePence: number }): number {
  if ((BOOKED_STATUSES as readonly string[]).includes(line.status)) return line.netPence
  if (line.status === 'cancelled') return line.cancellationFeePence
  return 0
}

/**
 * Splits an amount between keys in proportion to their weights, exactly:
 * each key gets the floor of its share, and the pence left over go to the
 * key with the largest weight (the first in key order on a tie). With no
 * weight at all, the largest-weight rule gives everything to the first key.
 */
export function splitProRata(amount: number, weights: ReadonlyMap<string, number>): Map<string, number> {
  const keys = [...weights.keys()].sort()
  const result = new Map<string, number>()
  if (keys.length === 0) return result
  const total = keys.reduce((sum, k) => sum + Math.max(0, weights.get(k) ?? 0), 0)
  let largest = keys[0]!
  for (const k of keys) if (Math.max(0, weights.get(k) ?? 0) > Math.max(0, weights.get(largest) ?? 0)) largest = k
  let given = 0
  for (const k of keys) {
    const w = Math.max(0, weights.get(k) ?? 0)
    // BigInt: amount × weight can pass 2^53 for large invoices.
    const share = total > 0 ? Number((BigInt(amount) * BigInt(w)) / BigInt(total)) : 0
    result.set(k, share)
    given += share
  }
  result.set(largest, (result.get(largest) ?? 0) + amount - given)
  return result
}

export type InvoiceForAttribution = {
  status: string
  netPence: number
  grossPence: number
  lines: { id: string; serviceId: string; netPence: number }[]
  /** Credit notes against the invoice, with the invoice line each credits when it names one. */
  credits: { netPence: number; invoiceLineId: string | null }[]
  /** Payments allocated to the invoice (gross money received). */
  allocatedPence: number
}

export type ServiceMoney = { invoicedPence: number; paidPence: number }

/**
 * One invoice's income by service:
 *
 * - "a void invoice counts for nothing";
 * - "invoiced is the net of the invoice's lines for the service, less the
 *   credit notes": a credit note that names an invoice line reduces that
 *   line's service; one that names none is spread over the invoice's
 *   services in proportion to their net (splitProRata);
 * - "paid is net money received, spread like the invoice": payments
 *   allocated to the invoice (at most its gross) are turned into net at the
 *   invoice's net ÷ gross, rounded to the penny, and never more than is
 *   still invoiced after credit notes (money paid for what was then credited
 *   is a refund for finance, not income); that is spread over the services
 *   in proportion to what is invoiced for each after credits (or to their
 *   net, when credits took everything).
 */
export function attributeInvoice(invoice: InvoiceForAttribution): Map<string, ServiceMoney> {
  const result = new Map<string, ServiceMoney>()
  if (invoice.status === 'void') return result
  const net = new Map<string, number>()
  const serviceOfLine = new Map<string, string>()
  for (const line of invoice.lines) {
    net.set(line.serviceId, (net.get(line.serviceId) ?? 0) + line.netPence)
    serviceOfLine.set(line.id, line.serviceId)
  }
  if (net.size === 0) return result
  const invoiced = new Map(net)
  for (const credit of invoice.credits) {
    const service = credit.invoiceLineId ? serviceOfLine.get(credit.invoiceLineId) : undefined
    if (service) {
      invoiced.set(service, (invoiced.get(service) ?? 0) - credit.netPence)
    } else {
      for (const [s, share] of splitProRata(credit.netPence, net)) invoiced.set(s, (invoiced.get(s) ?? 0) - share)
    }
  }
  const received = Math.min(Math.max(0, invoice.allocatedPence), invoice.grossPence)
  const remaining = new Map([...invoiced].map(([s, v]) => [s, Math.max(0, v)]))
  const stillInvoiced = [...remaining.values()].reduce((a, b) => a + b, 0)
  const paidNet = Math.min(
    stillInvoiced,
    invoice.grossPence > 0
      ? Number((2n * BigInt(received) * BigInt(invoice.netPence) + BigInt(invoice.grossPence)) / (2n * BigInt(invoice.grossPence)))
      : 0,
  )
  const weights = [...remaining.values()].some((v) => v > 0) ? remaining : net
  const paid = splitProRata(paidNet, weights)
  for (const [service, amount] of invoiced) result.set(service, { invoicedPence: amount, paidPence: paid.get(service) ?? 0 })
  return result
}

/** Adds up attributeInvoice over invoices, by service. */
export function attributeInvoices(invoices: Iterable<InvoiceForAttribution>): Map<string, ServiceMoney> {
  const total = new Map<string, ServiceMoney>()
  for (const invoice of invoices) {
    for (const [service, money] of attributeInvoice(invoice)) {
      const t = total.get(service) ?? { invoicedPence: 0, paidPence: 0 }
      total.set(service, { invoicedPence: t.invoicedPence + money.invoicedPence, paidPence: t.paidPence + money.paidPence })
    }
  }
  return total
}

/**
 * Rule "buy-back rate": buyers ÷ eligible schools, as a percentage to one
 * decimal place; none when no school is eligible. Eligible schools are
 * those of a phase the service is offered to, and any school that bought it.
 */
export function buyBackPercent(buyers: number, eligibleSchools: number): number | null {
  if (eligibleSchools <= 0) return null
  return Math.round((buyers * 1000) / eligibleSchools) / 10
}

/**
 * The month of the trading year a moment falls in, 0 (the first month) to
 * 11: income booked before the year starts (the spring buy-back round)
 * counts in its first month, and anything after its end in its last.
 */
export function monthOfTradingYear(date: Date | string, tradingYear: number, startMonth = 4): number {
  const d = typeof date === 'string' ? new Date(date) : date
  const months = (d.getUTCFullYear() - tradingYear) * 12 + (d.getUTCMonth() + 1 - startMonth)
  return Math.min(11, Math.max(0, months))
}

/** How many months of a trading year have begun by `today` (0 before it starts, 12 once it is over). */
export function monthsBegun(today: Date, tradingYear: number, startMonth = 4): number {
  const months = (today.getUTCFullYear() - tradingYear) * 12 + (today.getUTCMonth() + 1 - startMonth) + 1
  return Math.min(12, Math.max(0, months))
}

/** Running totals of twelve monthly amounts; months not yet begun are null. */
export function cumulative(monthly: readonly number[], begun = 12): (number | null)[] {
  let sum = 0
  return Array.from({ length: 12 }, (_, i) => {
    sum += monthly[i] ?? 0
    return i < begun ? sum : null
  })
}

/**
 * Rule "lapsed": a school bought a service last year (a confirmed or
 * completed line) and has no live line for it this year (not even one
 * waiting for approval or on the waiting list), and no renewal proposal
 * holding the service is still waiting for the school's answer (a school
 * has not lapsed while its renewal window is open and it can still accept).
 */
export function isLapsed(boughtLastYear: boolean, liveLinesThisYear: number, renewalWaiting = false): boolean {
  return boughtLastYear && liveLinesThisYear === 0 && !renewalWaiting
}

/** The idempotency key of a renewal email: one per school, service and trading year. */
export function renewalEmailKey(schoolId: string, serviceId: string, tradingYear: number): string {
  return `renewal:${schoolId}:${serviceId}:${tradingYear}`
}
