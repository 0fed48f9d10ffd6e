import { orderPreviewProps, orderSubject, OrderUpdateEmail, type OrderEmailProps } from './order-update'

/** Order email: awaiting approval (see emails/order-update.tsx for the wording of every order email). */
export type OrderAwaitingApprovalEmailProps = OrderEmailProps

export function subject(props: OrderAwaitingApprovalEmailProps): string {
  return orderSubject('awaiting_approval', props)
}

export function OrderAwaitingApprovalEmail(props: OrderAwaitingApprovalEmailProps) {
  return <OrderUpdateEmail {...props} event="awaiting_approval" />
}

OrderAwaitingApprovalEmail.PreviewProps = orderPreviewProps satisfies OrderAwaitingApprovalEmailProps

export default OrderAwaitingApprovalEmail
