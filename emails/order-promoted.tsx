import { orderPreviewProps, orderSubject, OrderUpdateEmail, type OrderEmailProps } from './order-update'

/** Order email: promoted (see emails/order-update.tsx for the wording of every order email). */
export type OrderPromotedEmailProps = OrderEmailProps

export function subject(props: OrderPromotedEmailProps): string {
  return orderSubject('promoted', props)
}

export function OrderPromotedEmail(props: OrderPromotedEmailProps) {
  return <OrderUpdateEmail {...props} event="promoted" />
}

OrderPromotedEmail.PreviewProps = orderPreviewProps satisfies OrderPromotedEmailProps

export default OrderPromotedEmail
