import { orderPreviewProps, orderSubject, OrderUpdateEmail, type OrderEmailProps } from './order-update'

/** Order email: cancelled (see emails/order-update.tsx for the wording of every order email). */
export type OrderCancelledEmailProps = OrderEmailProps

export function subject(props: OrderCancelledEmailProps): string {
  return orderSubject('cancelled', props)
}

export function OrderCancelledEmail(props: OrderCancelledEmailProps) {
  return <OrderUpdateEmail {...props} event="cancelled" />
}

OrderCancelledEmail.PreviewProps = orderPreviewProps satisfies OrderCancelledEmailProps

export default OrderCancelledEmail
