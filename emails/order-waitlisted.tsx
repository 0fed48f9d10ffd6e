import { orderPreviewProps, orderSubject, OrderUpdateEmail, type OrderEmailProps } from './order-update'

/** Order email: waitlisted (see emails/order-update.tsx for the wording of every order email). */
export type OrderWaitlistedEmailProps = OrderEmailProps

export function subject(props: OrderWaitlistedEmailProps): string {
  return orderSubject('waitlisted', props)
}

export function OrderWaitlistedEmail(props: OrderWaitlistedEmailProps) {
  return <OrderUpdateEmail {...props} event="waitlisted" />
}

OrderWaitlistedEmail.PreviewProps = orderPreviewProps satisfies OrderWaitlistedEmailProps

export default OrderWaitlistedEmail
