import { orderPreviewProps, orderSubject, OrderUpdateEmail, type OrderEmailProps } from './order-update'

/** Order email: confirmed (see emails/order-update.tsx for the wording of every order email). */
export type OrderConfirmedEmailProps = OrderEmailProps

export function subject(props: OrderConfirmedEmailProps): string {
  return orderSubject('confirmed', props)
}

export function OrderConfirmedEmail(props: OrderConfirmedEmailProps) {
  return <OrderUpdateEmail {...props} event="confirmed" />
}

OrderConfirmedEmail.PreviewProps = orderPreviewProps satisfies OrderConfirmedEmailProps

export default OrderConfirmedEmail
