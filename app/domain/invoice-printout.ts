import { longDate } from './dates'
import { formatSortCode, monthLabel, type FinanceRoute } from './invoicing'

/**
 * What an invoice says beyond its figures, worked out once for its page and
 * its PDF alike (docs/decisions/0024): its VAT by rate, and how to pay it.
 * Nothing here claims what does not hold: a Stripe link only when Stripe is
 * configured and the invoice has one; bank details only when the authority
 * has given them.
 */

export type VatRateTotal = { vatRateBasisPoints: number; netPence: number; vatPence: number }

/** Net and VAT for each VAT rate on the invoice, lowest rate first. */
export function vatByRate(lines: readonly { vatRateBasisPoints: number; netPence: number; vatPence: number }[]): VatRateTotal[] {
  const byRate = new Map<number, VatRateTotal>()
  for (const l of lines) {
    const t = byRate.get(l.vatRateBasisPoints) ?? { vatRateBasisPoints: l.vatRateBasisPoints, netPence: 0, vatPence: 0 }
    t.netPence += l.netPence
    t.vatPence += l.vatPence
    byRate.set(l.vatRateBasisPoints, t)
  }
  return [...byRate.values()].sort((a, b) => a.vatRateBasisPoints - b.vatRateBasisPoints)
}

/** "20%", "5%", "0%" */
export function vatRateText(basisPoints: number): string {
  return `${basisPoints / 100}%`
}

export type BankDetails = { name: string; sortCode: string; accountNumber: string; accountName: string }

export type HowToPay =
  /** A maintained school: charged in the council's monthly recharge journal. */
  | { kind: 'recharge'; journalMonth: string | null }
  /** Stripe is configured and holds the invoice: its hosted page takes card or bank payment. */
  | { kind: 'stripe'; url: string; settled: boolean }
  /** Bank transfer, with the authority's details and where to send the remittance advice (printed even when paid, as on any invoice). */
  | { kind: 'bank'; bank: BankDetails; remittanceAddress: string | null; remittanceEmail: string | null; settled: boolean }
  /** No bank details in the invoice settings: ask the authority. */
  | { kind: 'ask'; contactEmail: string; contactPhone: string | null; settled: boolean }

export type PayableInvoice = {
  route: FinanceRoute
  outstandingPence: number
  stripe: { hostedUrl: string | null }
  journal: { month: string } | null
  authority: {
    bank: BankDetails | null
    remittanceAddress: string | null
    remittanceEmail: string | null
    contactEmail: string
    contactPhone: string | null
  }
}

/** How the school pays this invoice, given whether Stripe is configured. */
export function howToPay(invoice: PayableInvoice, stripeConfigured: boolean): HowToPay {
  if (invoice.route === 'internal_recharge') return { kind: 'recharge', journalMonth: invoice.journal?.month ?? null }
  // Nothing left to pay (paid, credited, voided or written off): the details are still printed, as on any invoice.
  const settled = invoice.outstandingPence <= 0
  if (stripeConfigured && invoice.stripe.hostedUrl) return { kind: 'stripe', url: invoice.stripe.hostedUrl, settled }
  const a = invoice.authority
  if (a.bank) return { kind: 'bank', bank: a.bank, remittanceAddress: a.remittanceAddress, remittanceEmail: a.remittanceEmail, settled }
  return { kind: 'ask', contactEmail: a.contactEmail, contactPhone: a.contactPhone, settled }
}

/** The recharge sentence: "Charged by internal recharge in the November 2026 journal." */
export function rechargeText(journalMonth: string | null): string {
  return journalMonth ? `Charged by internal recharge in the ${monthLabel(journalMonth)} journal.` : 'Charged by internal recharge.'
}

export const SETTLED_TEXT = 'Nothing is left to pay on this invoice.'

/** How to pay, as the lines of plain text printed on the PDF (the page lays the same facts out in HTML). */
export function howToPayLines(how: HowToPay, invoiceNumber: string): string[] {
  if (how.kind !== 'recharge' && how.settled) return [SETTLED_TEXT, ...howToPayLines({ ...how, settled: false }, invoiceNumber)]
  switch (how.kind) {
    case 'recharge':
      return [rechargeText(how.journalMonth), 'You do not need to pay anything yourself.']
    case 'stripe':
      return ['Pay by card or bank transfer online:', how.url]
    case 'bank':
      return [
        `Pay by bank transfer (BACS), quoting ${invoiceNumber}:`,
        `Account name: ${how.bank.accountName}`,
        `Bank: ${how.bank.name}`,
        `Sort code: ${formatSortCode(how.bank.sortCode)}`,
        `Account number: ${how.bank.accountNumber}`,
        ...(how.remittanceEmail ? [`Send the remittance advice to ${how.remittanceEmail}`] : []),
        ...(how.remittanceAddress ? [`Remittance address: ${how.remittanceAddress}`] : []),
      ]
    case 'ask':
      return [`To pay, contact ${how.contactEmail}${how.contactPhone ? ` or ${how.contactPhone}` : ''}, quoting ${invoiceNumber}.`]
  }
}

/** What a credit note does: the same sentence on its page and its PDF. */
export function creditNoteEffect(note: { journalMonth: string | null; invoice: { route: FinanceRoute; number: string } }): string {
  if (note.invoice.route === 'internal_recharge') {
    return `Taken off the school’s internal recharge${note.journalMonth ? ` in the ${monthLabel(note.journalMonth)} journal` : ''}.`
  }
  return `It reduces what is owed on ${note.invoice.number}. If the invoice has already been paid, the difference is refunded.`
}

/** "For 1 September 2026 to 31 August 2027": the period an invoice line's ordered line covers. */
export function linePeriodText(period: { start: string; end: string } | null): string | null {
  return period ? `For ${longDate(period.start)} to ${longDate(period.end)}` : null
}
