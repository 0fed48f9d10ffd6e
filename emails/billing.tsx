import { Column, Row, Section, Text } from '@react-email/components'
import type { CSSProperties } from 'react'
import { Action, colours, EmailLayout, Paragraph, Title } from './components/layout'

/**
 * The billing emails: an invoice issued, a credit note issued and a
 * payment received. Shared layout here; each message has its own template
 * file (emails/invoice-issued.tsx, credit-note-issued.tsx,
 * payment-received.tsx) so the outbox says which is which.
 */

type Common = {
  authorityName: string
  contactEmail?: string
  recipientName?: string
  schoolName: string
  orderUrl: string
}

export type InvoiceIssuedProps = Common & {
  /** COV-000123 */
  number: string
  orderReference: string
  /** "£1,980" */
  amount: string
  /** The VAT in it, when there is any. */
  vat?: string
  /** "22 December 2026" */
  due: string
  route: 'invoice' | 'internal_recharge'
  /** "November 2026", for an internal recharge. */
  journalMonth?: string
  lines: { description: string; amount: string }[]
  /** The authority's VAT registration number, "GB 123 4567 89". */
  vatNumber?: string
  /** How to pay by bank transfer, from the authority's invoice settings. */
  howToPay?: string
  /** The invoice's page (/invoices/:id), where it is printed and downloaded as a PDF. */
  invoiceUrl?: string
  /** True only when the invoice went to Stripe, whose link takes card payments: never claimed otherwise. */
  payOnline?: boolean
}

export type CreditNoteIssuedProps = Common & {
  /** COV-CN-000012 */
  number: string
  invoiceNumber: string
  amount: string
  reason: string
  route: 'invoice' | 'internal_recharge'
  journalMonth?: string
  /** The credit note's page (/credit-notes/:id). */
  creditNoteUrl?: string
}

export type PaymentReceivedProps = Common & {
  invoiceNumber: string
  /** The invoice's page (/invoices/:id). */
  invoiceUrl?: string
  amount: string
  /** "22 November 2026" */
  receivedOn: string
  /** "by card through Stripe", "by BACS transfer", "by internal recharge" */
  how: string
  /** What is still owed on the invoice, "£0". */
  outstanding: string
}

const greeting = (name?: string) => (name ? `Dear ${name},` : 'Hello,')

export function invoiceIssuedSubject(p: InvoiceIssuedProps): string {
  return p.route === 'invoice' ? `Invoice ${p.number} for ${p.amount}` : `Internal recharge ${p.number} for ${p.amount}`
}

export function InvoiceIssuedEmail(p: InvoiceIssuedProps) {
  const what =
    p.route === 'invoice'
      ? `We have issued invoice ${p.number} for ${p.amount} to ${p.schoolName} for order ${p.orderReference}. Please pay it by ${p.due}.`
      : `${p.amount} for order ${p.orderReference} will be charged to ${p.schoolName} by internal recharge in the ${p.journalMonth ?? 'next'} journal. You do not need to pay anything yourself.`
  return (
    <EmailLayout authorityName={p.authorityName} preview={what} reason="your school bought traded services" contactEmail={p.contactEmail}>
      <Title>{p.route === 'invoice' ? `Invoice ${p.number}` : `Internal recharge ${p.number}`}</Title>
      <Paragraph>{greeting(p.recipientName)}</Paragraph>
      <Paragraph>{what}</Paragraph>
      {p.lines.map((line, i) => (
        <Section key={i} style={lineBox}>
          <Row>
            <Column>
              <Text style={{ ...value, margin: 0 }}>{line.description}</Text>
            </Column>
            <Column align="right" style={{ verticalAlign: 'top', width: '120px' }}>
              <Text style={{ ...value, margin: 0 }}>{line.amount}</Text>
            </Column>
          </Row>
        </Section>
      ))}
      <Text style={label}>Total</Text>
      <Text style={value}>
        {p.amount}
        {p.vat ? ` (including ${p.vat} VAT)` : ' (no VAT)'}
      </Text>
      {p.vatNumber ? <Paragraph>VAT registration number: {p.vatNumber}</Paragraph> : null}
      {p.route === 'invoice' && p.payOnline ? (
        <Paragraph>You can pay by card or by bank transfer from the link in the invoice Stripe sends you, or from the invoice's page.</Paragraph>
      ) : null}
      {p.route === 'invoice' && p.howToPay ? <Paragraph>{p.howToPay}</Paragraph> : null}
      {p.invoiceUrl ? (
        <Action href={p.invoiceUrl}>View or download invoice {p.number}</Action>
      ) : (
        <Action href={p.orderUrl}>View the order and its invoices</Action>
      )}
    </EmailLayout>
  )
}

export function creditNoteIssuedSubject(p: CreditNoteIssuedProps): string {
  return `Credit note ${p.number} for ${p.amount}`
}

export function CreditNoteIssuedEmail(p: CreditNoteIssuedProps) {
  const what = `We have issued credit note ${p.number} for ${p.amount} against ${p.invoiceNumber} to ${p.schoolName}.`
  return (
    <EmailLayout authorityName={p.authorityName} preview={what} reason="your school bought traded services" contactEmail={p.contactEmail}>
      <Title>Credit note {p.number}</Title>
      <Paragraph>{greeting(p.recipientName)}</Paragraph>
      <Paragraph>{what}</Paragraph>
      <Text style={label}>Reason</Text>
      <Text style={value}>{p.reason}</Text>
      <Paragraph>
        {p.route === 'invoice'
          ? `It reduces what is owed on ${p.invoiceNumber}. If you have already paid it, we will refund the difference.`
          : `It is taken off the school's internal recharge in the ${p.journalMonth ?? 'next'} journal.`}
      </Paragraph>
      {p.creditNoteUrl ? (
        <Action href={p.creditNoteUrl}>View or download credit note {p.number}</Action>
      ) : (
        <Action href={p.orderUrl}>View the order and its invoices</Action>
      )}
    </EmailLayout>
  )
}

export function paymentReceivedSubject(p: PaymentReceivedProps): string {
  return `Payment received for ${p.invoiceNumber}`
}

export function PaymentReceivedEmail(p: PaymentReceivedProps) {
  const what = `We received ${p.amount} ${p.how} on ${p.receivedOn} for invoice ${p.invoiceNumber}. Thank you.`
  return (
    <EmailLayout authorityName={p.authorityName} preview={what} reason="your school bought traded services" contactEmail={p.contactEmail}>
      <Title>Payment received</Title>
      <Paragraph>{greeting(p.recipientName)}</Paragraph>
      <Paragraph>{what}</Paragraph>
      <Text style={label}>Still to pay on {p.invoiceNumber}</Text>
      <Text style={value}>{p.outstanding}</Text>
      {p.invoiceUrl ? (
        <Action href={p.invoiceUrl}>View invoice {p.invoiceNumber}</Action>
      ) : (
        <Action href={p.orderUrl}>View the order and its invoices</Action>
      )}
    </EmailLayout>
  )
}

const label: CSSProperties = { color: colours.text, fontSize: '19px', lineHeight: '28px', fontWeight: 700, margin: '0 0 4px' }
const value: CSSProperties = { color: colours.text, fontSize: '19px', lineHeight: '28px', margin: '0 0 16px' }
const lineBox: CSSProperties = { borderTop: `1px solid ${colours.border}`, padding: '8px 0', marginBottom: '8px' }

const common = {
  authorityName: 'Coventry City Council',
  contactEmail: 'traded.services@coventry.example',
  recipientName: 'Sam Patel',
  schoolName: 'Foleshill Park Academy',
  orderUrl: 'http://localhost:3000/orders/00000000-0000-0000-0000-000000000000',
}

export const invoicePreviewProps = {
  ...common,
  number: 'COV-000123',
  orderReference: 'ORD-2026-00042',
  amount: '£1,980',
  vat: '£330',
  due: '22 December 2026',
  route: 'invoice',
  lines: [{ description: 'Educational Psychology: EP day', amount: '£1,980' }],
  invoiceUrl: 'http://localhost:3000/invoices/00000000-0000-0000-0000-000000000000',
  howToPay: 'To pay by bank transfer: Coventry City Council Traded Services, Lloyds Bank, sort code 30-96-34, account 41526378, quoting COV-000123.',
} satisfies InvoiceIssuedProps

export const creditNotePreviewProps = {
  ...common,
  number: 'COV-CN-000012',
  invoiceNumber: 'COV-000123',
  amount: '£1,980',
  reason: 'Cancelled: Educational Psychology: EP day',
  route: 'invoice',
} satisfies CreditNoteIssuedProps

export const paymentPreviewProps = {
  ...common,
  invoiceNumber: 'COV-000123',
  amount: '£1,980',
  receivedOn: '22 November 2026',
  how: 'through Stripe',
  outstanding: '£0',
} satisfies PaymentReceivedProps
