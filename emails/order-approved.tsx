import { orderPreviewProps, orderSubject, OrderUpdateEmail, type OrderEmailProps } from './order-update'

/** Order email: approved (see emails/order-update.tsx for the wording of every order email). */
export type OrderApprovedEmailProps = OrderEmailProps

export function subject(props: OrderApprovedEmailProps): string {
  return orderSubject('approved', props)
}

export function OrderApprovedEmail(props: OrderApprovedEmailProps) {
  return <OrderUpdateEmail {...props} event="approved" />
}

OrderApprovedEmail.PreviewProps = orderPreviewProps satisfies OrderApprovedEmailProps

export default OrderApprovedEmail
