import { CreditNoteIssuedEmail, creditNoteIssuedSubject, creditNotePreviewProps, type CreditNoteIssuedProps } from './billing'

/** Billing email: see emails/billing.tsx for its wording. */
export type CreditNoteIssuedEmailProps = CreditNoteIssuedProps

export const subject = creditNoteIssuedSubject

export function CreditNoteIssuedTemplate(props: CreditNoteIssuedEmailProps) {
  return <CreditNoteIssuedEmail {...props} />
}

CreditNoteIssuedTemplate.PreviewProps = creditNotePreviewProps satisfies CreditNoteIssuedEmailProps

export default CreditNoteIssuedTemplate
