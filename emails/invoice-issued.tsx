import { InvoiceIssuedEmail, invoiceIssuedSubject, invoicePreviewProps, type InvoiceIssuedProps } from './billing'

/** Billing email: see emails/billing.tsx for its wording. */
export type InvoiceIssuedEmailProps = InvoiceIssuedProps

export const subject = invoiceIssuedSubject

export function InvoiceIssuedTemplate(props: InvoiceIssuedEmailProps) {
  return <InvoiceIssuedEmail {...props} />
}

InvoiceIssuedTemplate.PreviewProps = invoicePreviewProps satisfies InvoiceIssuedEmailProps

export default InvoiceIssuedTemplate
