import { orderPreviewProps, orderSubject, OrderUpdateEmail, type OrderEmailProps } from './order-update'

/** Order email: rejected (see emails/order-update.tsx for the wording of every order email). */
export type OrderRejectedEmailProps = OrderEmailProps

export function subject(props: OrderRejectedEmailProps): string {
  return orderSubject('rejected', props)
}

export function OrderRejectedEmail(props: OrderRejectedEmailProps) {
  return <OrderUpdateEmail {...props} event="rejected" />
}

OrderRejectedEmail.PreviewProps = orderPreviewProps satisfies OrderRejectedEmailProps

export default OrderRejectedEmail
