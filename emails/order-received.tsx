import { orderPreviewProps, orderSubject, OrderUpdateEmail, type OrderEmailProps } from './order-update'

/** Order email: received (see emails/order-update.tsx for the wording of every order email). */
export type OrderReceivedEmailProps = OrderEmailProps

export function subject(props: OrderReceivedEmailProps): string {
  return orderSubject('received', props)
}

export function OrderReceivedEmail(props: OrderReceivedEmailProps) {
  return <OrderUpdateEmail {...props} event="received" />
}

OrderReceivedEmail.PreviewProps = orderPreviewProps satisfies OrderReceivedEmailProps

export default OrderReceivedEmail
