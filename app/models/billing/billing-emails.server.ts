import type { Kysely } from 'kysely'
import type { Database, FinanceRoute } from '../../../db/schema'
import type { CreditNoteIssuedProps, InvoiceIssuedProps, PaymentReceivedProps } from '../../../emails/billing'
import { longDate } from '../../domain/dates'
import { formatVatNumber, howToPayText, monthLabel } from '../../domain/invoicing'
import { formatPence } from '../../domain/money'
import { appUrl, queueEmail } from '../../utils/email.server'
import { schoolUsersWithRole, trustUsersWithRole } from '../ordering/notifications.server'

/**
 * What a school is told about its invoices, credit notes and payments. Each
 * email is queued in the caller's transaction with an idempotency key, so it
 * exists if and only if the document does, and is never sent twice.
 */

type Trx = Kysely<Database>

/** Who a billing email is from, with the authority's invoice settings when it has them. */
export type Letterhead = {
  name: string
  contactEmail: string
  vatNumber?: string | null
  bank?: {
    bankName: string | null
    sortCode: string | null
    accountNumber: string | null
    accountName: string | null
    remittanceEmail: string | null
  }
}

/**
 * Who it is to: the school's business managers, or the school's own address;
 * for a trust's consolidated invoice (`trust: true`, id the trust's), the
 * trust's business managers, or its finance address.
 */
export type SchoolAddressee = { id: string; name: string; email: string | null; trust?: boolean }

/** Who an invoice (and its credit notes and payments) is addressed to: its school, or the trust of a consolidated invoice. */
export async function invoiceAddressee(
  trx: Trx,
  authorityId: string,
  invoice: { schoolId: string | null; trustId: string | null },
): Promise<SchoolAddressee> {
  if (invoice.trustId !== null) {
    const t = await trx
      .selectFrom('trusts')
      .select(['id', 'name', 'finance_email'])
      .where('authority_id', '=', authorityId)
      .where('id', '=', invoice.trustId)
      .executeTakeFirstOrThrow()
    return { id: t.id, name: t.name, email: t.finance_email, trust: true }
  }
  const s = await trx
    .selectFrom('schools')
    .select(['id', 'name', 'email'])
    .where('authority_id', '=', authorityId)
    .where('id', '=', invoice.schoolId!)
    .executeTakeFirstOrThrow()
  return { id: s.id, name: s.name, email: s.email }
}

type SchoolEmail =
  | { template: 'invoice-issued'; key: string; props: InvoiceIssuedProps }
  | { template: 'credit-note-issued'; key: string; props: CreditNoteIssuedProps }
  | { template: 'payment-received'; key: string; props: PaymentReceivedProps }

/** Emails a school (or a trust) about its invoices: its business managers, or its own address when it has none. */
async function emailSchool(trx: Trx, authorityId: string, school: SchoolAddressee, email: SchoolEmail): Promise<void> {
  const buyers = school.trust
    ? await trustUsersWithRole(trx, authorityId, school.id, 'trust_buyer')
    : await schoolUsersWithRole(trx, authorityId, school.id, 'school_buyer')
  const recipients = buyers.length ? buyers : school.email ? [{ id: 'school', email: school.email, name: undefined }] : []
  for (const r of recipients) {
    await queueEmail(trx, {
      authorityId,
      template: email.template,
      to: r.email,
      props: { ...email.props, recipientName: r.name ?? undefined } as never,
      idempotencyKey: `${email.key}:${r.id}`,
    })
  }
}

/** A school's invoice and credit note pages (/invoices/:id, /credit-notes/:id), where each is printed and downloaded as a PDF. */
function documentUrl(kind: 'invoices' | 'credit-notes', id: string): string {
  return appUrl(`/${kind}/${id}`)
}

function orderUrl(order: { id: string; trustOrder?: boolean; sharedBlock?: boolean } | null): string {
  if (!order) return appUrl('/orders')
  // A member's share of a cluster's pooled block: the order is the lead school's, so the school's own invoices.
  if (order.sharedBlock) return appUrl('/invoices')
  return appUrl(order.trustOrder ? `/trust/orders/${order.id}` : `/orders/${order.id}`)
}

/** Tells the school an invoice (or an internal recharge) was issued, with its lines and due date. */
export async function emailInvoiceIssued(
  trx: Trx,
  authorityId: string,
  from: Letterhead,
  school: SchoolAddressee,
  invoice: {
    id: string
    number: string
    /** The order, on a trust's invoice the trust order (`trustOrder`), or the lead school's order of a pooled block (`sharedBlock`). */
    order: { id: string; reference: string; trustOrder?: boolean; sharedBlock?: boolean }
    grossPence: number
    vatPence: number
    dueOn: string
    route: FinanceRoute
    journalMonth: string | null
    lines: readonly { description: string; grossPence: number }[]
    /** It went to Stripe, whose link takes card payments. */
    payOnline: boolean
  },
): Promise<void> {
  const props: InvoiceIssuedProps = {
    authorityName: from.name,
    contactEmail: from.contactEmail,
    schoolName: school.name,
    number: invoice.number,
    orderReference: invoice.order.reference,
    amount: formatPence(invoice.grossPence),
    vat: invoice.vatPence > 0 ? formatPence(invoice.vatPence) : undefined,
    due: longDate(invoice.dueOn),
    route: invoice.route,
    journalMonth: invoice.journalMonth ? monthLabel(invoice.journalMonth) : undefined,
    lines: invoice.lines.map((l) => ({ description: l.description, amount: formatPence(l.grossPence) })),
    orderUrl: orderUrl(invoice.order),
    vatNumber: from.vatNumber ? formatVatNumber(from.vatNumber) : undefined,
    howToPay: from.bank ? howToPayText(from.bank, invoice.number) : undefined,
    invoiceUrl: documentUrl('invoices', invoice.id),
    payOnline: invoice.payOnline,
  }
  await emailSchool(trx, authorityId, school, { template: 'invoice-issued', key: `invoice:${invoice.id}:issued`, props })
}

/** Tells the school a credit note was issued against one of its invoices, and where the credit goes. */
export async function emailCreditNoteIssued(
  trx: Trx,
  authorityId: string,
  from: Letterhead,
  school: SchoolAddressee,
  note: {
    id: string
    number: string
    invoice: { number: string; route: FinanceRoute; orderId: string | null }
    grossPence: number
    reason: string
    journalMonth: string | null
  },
): Promise<void> {
  const props: CreditNoteIssuedProps = {
    authorityName: from.name,
    contactEmail: from.contactEmail,
    schoolName: school.name,
    number: note.number,
    invoiceNumber: note.invoice.number,
    amount: formatPence(note.grossPence),
    reason: note.reason,
    route: note.invoice.route,
    journalMonth: note.journalMonth ? monthLabel(note.journalMonth) : undefined,
    orderUrl: orderUrl(note.invoice.orderId ? { id: note.invoice.orderId } : null),
    creditNoteUrl: documentUrl('credit-notes', note.id),
  }
  await emailSchool(trx, authorityId, school, { template: 'credit-note-issued', key: `credit-note:${note.id}:issued`, props })
}

/** Emails the school that a payment was received against one of its invoices (once per invoice, day and amount). */
export async function emailPaymentReceived(
  trx: Trx,
  payment: {
    authorityId: string
    invoiceId: string
    number: string
    /** Who the invoice is to: its school, or the trust of a consolidated invoice. */
    schoolId: string | null
    trustId?: string | null
    orderId: string | null
    amountPence: number
    paidOn: string
    /** "through Stripe", "by bank transfer (BACS)" */
    how: string
    /** What is still owed on the invoice afterwards. */
    outstandingPence: number
  },
): Promise<void> {
  const school = await invoiceAddressee(trx, payment.authorityId, { schoolId: payment.schoolId, trustId: payment.trustId ?? null })
  const authority = await trx
    .selectFrom('authorities')
    .select(['name', 'contact_email'])
    .where('id', '=', payment.authorityId)
    .executeTakeFirstOrThrow()
  await emailSchool(trx, payment.authorityId, school, {
    template: 'payment-received',
    key: `payment:${payment.invoiceId}:${payment.paidOn}:${payment.amountPence}`,
    props: {
      authorityName: authority.name,
      contactEmail: authority.contact_email,
      schoolName: school.name,
      invoiceNumber: payment.number,
      amount: formatPence(payment.amountPence),
      receivedOn: longDate(payment.paidOn),
      how: payment.how,
      outstanding: formatPence(payment.outstandingPence),
      orderUrl: orderUrl(payment.orderId ? { id: payment.orderId } : null),
      invoiceUrl: documentUrl('invoices', payment.invoiceId),
    },
  })
}
