import type { Kysely } from 'kysely'
import type { Database, FinanceRoute } from '../../../db/schema'
import type { CreditNoteIssuedProps, InvoiceIssuedProps, PaymentReceivedProps } from '../../../emails/billing'
import { longDate } from '../../domain/dates'
import { formatVatNumber, howToPayText, monthLabel } from '../../domain/invoicing'
import { formatPence } from '../../domain/money'
import { appUrl, queueEmail } from '../../utils/email.server'
import { schoolUsersWithRole } from '../ordering/notifications.server'

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

/** Who it is to: the school's business managers, or the school's own address. */
export type SchoolAddressee = { id: string; name: string; email: string | null }

type SchoolEmail =
  | { template: 'invoice-issued'; key: string; props: InvoiceIssuedProps }
  | { template: 'credit-note-issued'; key: string; props: CreditNoteIssuedProps }
  | { template: 'payment-received'; key: string; props: PaymentReceivedProps }

/** Emails a school about its invoices: its business managers, or the school's own address when it has none. */
async function emailSchool(trx: Trx, authorityId: string, school: SchoolAddressee, email: SchoolEmail): Promise<void> {
  const buyers = await schoolUsersWithRole(trx, authorityId, school.id, 'school_buyer')
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

function orderUrl(orderId: string | null): string {
  return appUrl(orderId ? `/orders/${orderId}` : '/orders')
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
    order: { id: string; reference: string }
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
    orderUrl: orderUrl(invoice.order.id),
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
    orderUrl: orderUrl(note.invoice.orderId),
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
    schoolId: string
    orderId: string | null
    amountPence: number
    paidOn: string
    /** "through Stripe", "by bank transfer (BACS)" */
    how: string
    /** What is still owed on the invoice afterwards. */
    outstandingPence: number
  },
): Promise<void> {
  const school = await trx
    .selectFrom('schools as s')
    .innerJoin('authorities as a', 'a.id', 's.authority_id')
    .select(['s.id', 's.name', 's.email', 'a.name as authority_name', 'a.contact_email'])
    .where('s.authority_id', '=', payment.authorityId)
    .where('s.id', '=', payment.schoolId)
    .executeTakeFirstOrThrow()
  await emailSchool(trx, payment.authorityId, school, {
    template: 'payment-received',
    key: `payment:${payment.invoiceId}:${payment.paidOn}:${payment.amountPence}`,
    props: {
      authorityName: school.authority_name,
      contactEmail: school.contact_email,
      schoolName: school.name,
      invoiceNumber: payment.number,
      amount: formatPence(payment.amountPence),
      receivedOn: longDate(payment.paidOn),
      how: payment.how,
      outstanding: formatPence(payment.outstandingPence),
      orderUrl: orderUrl(payment.orderId),
      invoiceUrl: documentUrl('invoices', payment.invoiceId),
    },
  })
}
