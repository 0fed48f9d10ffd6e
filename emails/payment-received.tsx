import { PaymentReceivedEmail, paymentReceivedSubject, paymentPreviewProps, type PaymentReceivedProps } from './billing'

/** Billing email: see emails/billing.tsx for its wording. */
export type PaymentReceivedEmailProps = PaymentReceivedProps

export const subject = paymentReceivedSubject

export function PaymentReceivedTemplate(props: PaymentReceivedEmailProps) {
  return <PaymentReceivedEmail {...props} />
}

PaymentReceivedTemplate.PreviewProps = paymentPreviewProps satisfies PaymentReceivedEmailProps

export default PaymentReceivedTemplate
