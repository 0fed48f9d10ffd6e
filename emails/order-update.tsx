import { Column, Row, Section, Text } from '@react-email/components'
import type { CSSProperties } from 'react'
import { Action, colours, EmailLayout, Paragraph, Title } from './components/layout'

/**
 * Every email about an order: what happened, the
 * reference, the lines and totals, the link to the order and what happens
 * next. One component; each event has its own template name and subject
 * (emails/order-*.tsx) so the outbox says which is which.
 */

export type OrderEmailEvent = 'received' | 'awaiting_approval' | 'approved' | 'rejected' | 'confirmed' | 'waitlisted' | 'promoted' | 'cancelled'

export type OrderEmailLine = {
  /** "Educational Psychology: EP day" */
  description: string
  /** "5 days", "1 place" */
  quantity: string
  /** "1 April 2026 to 31 March 2027", or the course date and venue. */
  when: string
  /** "£2,750" */
  total: string
  /** "Confirmed", "On the waiting list" */
  status: string
  /** "Late-cancellation fee £275", when there is one. */
  fee?: string
}

export type OrderEmailProps = {
  authorityName: string
  contactEmail?: string
  recipientName?: string
  /** The school's ordering side, or the headteacher who approves. */
  audience: 'buyer' | 'approver'
  reference: string
  schoolName: string
  orderedBy?: string
  poNumber?: string
  /** Who approved or rejected the order. */
  decidedBy?: string
  /** Why it was rejected. */
  reason?: string
  /** The lines the email is about (all of them unless the event concerns some). */
  lines: OrderEmailLine[]
  /** "£2,750", "£2,291.67 plus £458.33 VAT" */
  total: string
  /** The total of late-cancellation fees, "£275", when there is one. */
  cancellationFee?: string
  orderUrl: string
  /** The headteacher's approvals page, for 'awaiting_approval'. */
  approvalsUrl?: string
}

type Copy = {
  subject: (p: OrderEmailProps) => string
  title: (p: OrderEmailProps) => string
  what: (p: OrderEmailProps) => string
  next: (p: OrderEmailProps) => string[]
  reason: (p: OrderEmailProps) => string
}

const ordered = (p: OrderEmailProps) => (p.orderedBy ? ` placed by ${p.orderedBy}` : '')

export const orderEmailCopy: Record<OrderEmailEvent, Copy> = {
  received: {
    subject: (p) => `Order ${p.reference} received`,
    title: () => 'We have received your order',
    what: (p) => `${p.schoolName}’s order ${p.reference}${ordered(p)} has been received.`,
    next: () => [
      'We are now checking that the team has time for each line. We will email you again when each line is confirmed or, if the team is fully booked, placed on the waiting list.',
    ],
    reason: () => 'an order was placed for your school',
  },
  awaiting_approval: {
    subject: (p) => `Order ${p.reference} needs your approval`,
    title: () => 'An order needs your approval',
    what: (p) =>
      `${p.schoolName}’s order ${p.reference}${ordered(p)} is at or above the school’s approval limit, so it needs a headteacher’s approval before the council can confirm it.`,
    next: () => ['Approve or reject the order on your approvals page. Nothing is booked or charged until it is approved.'],
    reason: () => 'you approve orders for your school',
  },
  approved: {
    subject: (p) => `Order ${p.reference} approved`,
    title: () => 'The order has been approved',
    what: (p) => `${p.decidedBy ?? 'The headteacher'} approved ${p.schoolName}’s order ${p.reference}.`,
    next: () => [
      'We are now checking that the team has time for each line. We will email you when each line is confirmed or placed on the waiting list.',
    ],
    reason: () => 'you placed or approve orders for your school',
  },
  rejected: {
    subject: (p) => `Order ${p.reference} was not approved`,
    title: () => 'The order was not approved',
    what: (p) => `${p.decidedBy ?? 'The headteacher'} rejected ${p.schoolName}’s order ${p.reference}.`,
    next: () => [
      'Nothing has been booked and nothing will be charged for this order.',
      'If the school still needs these services, agree what to buy with the headteacher and place a new order.',
    ],
    reason: () => 'you placed or approve orders for your school',
  },
  confirmed: {
    subject: (p) => `Order ${p.reference} confirmed`,
    title: () => 'Your order is confirmed',
    what: (p) =>
      `The team has time for ${p.lines.length === 1 ? 'this line' : 'these lines'} of order ${p.reference}: ${p.lines.length === 1 ? 'it is' : 'they are'} confirmed and the hours are reserved for ${p.schoolName}.`,
    next: () => [
      'The service will contact you to arrange dates. You can follow what has been delivered against what you bought on the order page.',
      'You can cancel a line, or what is left of it: the cancel page shows what that charges (work delivered, terms begun, the late-cancellation fee inside the notice) before you confirm.',
    ],
    reason: () => 'you placed an order for your school',
  },
  waitlisted: {
    subject: (p) => `Order ${p.reference}: on the waiting list`,
    title: () => 'Part of your order is on the waiting list',
    what: (p) =>
      `The team is fully booked, so ${p.lines.length === 1 ? 'this line' : 'these lines'} of order ${p.reference} ${p.lines.length === 1 ? 'is' : 'are'} on the waiting list.`,
    next: () => [
      'When hours become free, waiting lines are confirmed automatically, oldest first, and we email you.',
      'Nothing is charged for a line while it waits, and you can cancel it free at any time.',
    ],
    reason: () => 'you placed an order for your school',
  },
  promoted: {
    subject: (p) => `Order ${p.reference} confirmed from the waiting list`,
    title: () => 'Confirmed from the waiting list',
    what: (p) =>
      `Hours became free, so ${p.lines.length === 1 ? 'this line' : 'these lines'} of order ${p.reference} ${p.lines.length === 1 ? 'has' : 'have'} been confirmed for ${p.schoolName}.`,
    next: () => ['The service will contact you to arrange dates. If you no longer need it, you can cancel on the order page.'],
    reason: () => 'you placed an order for your school',
  },
  cancelled: {
    subject: (p) => `Order ${p.reference}: cancelled`,
    title: () => 'Cancelled',
    what: (p) =>
      `${p.lines.length === 1 ? 'This line' : 'These lines'} of ${p.schoolName}’s order ${p.reference} ${p.lines.length === 1 ? 'has' : 'have'} been cancelled${p.decidedBy ? ` by ${p.decidedBy}` : ''}.`,
    next: (p) => [
      p.cancellationFee
        ? `Cancelling charges ${p.cancellationFee}, under the service’s terms: work delivered, terms begun and any late-cancellation fee. Anything invoiced beyond that is credited.`
        : 'There is no charge for cancelling.',
      'Anything already delivered stays on the order and is charged as usual.',
    ],
    reason: () => 'you placed an order for your school',
  },
}

export function orderSubject(event: OrderEmailEvent, props: OrderEmailProps): string {
  return orderEmailCopy[event].subject(props)
}

export function OrderUpdateEmail(props: OrderEmailProps & { event: OrderEmailEvent }) {
  const copy = orderEmailCopy[props.event]
  return (
    <EmailLayout authorityName={props.authorityName} preview={copy.what(props)} reason={copy.reason(props)} contactEmail={props.contactEmail}>
      <Title>{copy.title(props)}</Title>
      <Paragraph>{props.recipientName ? `Dear ${props.recipientName},` : 'Hello,'}</Paragraph>
      <Paragraph>{copy.what(props)}</Paragraph>
      {props.reason ? <Paragraph>Reason given: “{props.reason}”</Paragraph> : null}

      <Text style={label}>Order reference</Text>
      <Text style={value}>{props.reference}</Text>
      {props.poNumber ? (
        <>
          <Text style={label}>Purchase order number</Text>
          <Text style={value}>{props.poNumber}</Text>
        </>
      ) : null}

      <Text style={label}>{props.lines.length === 1 ? 'Line' : 'Lines'}</Text>
      {props.lines.map((line, i) => (
        <Section key={i} style={lineBox}>
          <Row>
            <Column>
              <Text style={{ ...value, margin: 0, fontWeight: 700 }}>{line.description}</Text>
              <Text style={small}>
                {line.quantity}, {line.when}
              </Text>
              <Text style={small}>
                {line.status}
                {line.fee ? `. ${line.fee}` : ''}
              </Text>
            </Column>
            <Column align="right" style={{ verticalAlign: 'top', width: '120px' }}>
              <Text style={{ ...value, margin: 0 }}>{line.total}</Text>
            </Column>
          </Row>
        </Section>
      ))}
      <Text style={label}>Order total</Text>
      <Text style={value}>{props.total}</Text>

      <Text style={{ ...label, marginTop: '8px' }}>What happens next</Text>
      {copy.next(props).map((text, i) => (
        <Paragraph key={i}>{text}</Paragraph>
      ))}
      {props.event === 'awaiting_approval' && props.approvalsUrl ? (
        <Action href={props.approvalsUrl}>Approve or reject the order</Action>
      ) : (
        <Action href={props.orderUrl}>View order {props.reference}</Action>
      )}
    </EmailLayout>
  )
}

const label: CSSProperties = { color: colours.text, fontSize: '19px', lineHeight: '28px', fontWeight: 700, margin: '0 0 4px' }
const value: CSSProperties = { color: colours.text, fontSize: '19px', lineHeight: '28px', margin: '0 0 16px' }
const small: CSSProperties = { color: colours.secondaryText, fontSize: '16px', lineHeight: '24px', margin: '4px 0 0' }
const lineBox: CSSProperties = { borderTop: `1px solid ${colours.border}`, padding: '8px 0', marginBottom: '8px' }

export const orderPreviewProps = {
  authorityName: 'Coventry City Council',
  contactEmail: 'traded.services@coventry.example',
  recipientName: 'Alex Morgan',
  audience: 'buyer',
  reference: 'ORD-2026-00042',
  schoolName: 'Elm Bank Primary School',
  orderedBy: 'Alex Morgan',
  poNumber: 'PO-1234',
  decidedBy: 'Jo Head',
  lines: [
    {
      description: 'Educational Psychology: EP day',
      quantity: '5 days',
      when: '1 April 2026 to 31 March 2027',
      total: '£2,750',
      status: 'Confirmed',
    },
  ],
  total: '£2,750 (no VAT)',
  orderUrl: 'http://localhost:3000/orders/00000000-0000-0000-0000-000000000000',
  approvalsUrl: 'http://localhost:3000/approvals',
} satisfies OrderEmailProps
