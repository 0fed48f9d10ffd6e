import { Action, EmailLayout, Paragraph, Title } from './components/layout'

/**
 * To a school that bought a service last trading year and has not bought it
 * this year (a "lapsed" school on /la/trading), sent by the service lead or
 * the LA administrator: what the school had, and how to buy again.
 */
export type RenewalReminderEmailProps = {
  authorityName: string
  schoolName: string
  /** The headteacher or contact, when known. */
  recipientName?: string
  serviceName: string
  /** "2025/26" */
  lastYearLabel: string
  /** "2026/27" */
  thisYearLabel: string
  /** "£5,500", what the school spent on the service last year. */
  lastYearSpend: string
  /** The service's page in the catalogue. */
  serviceUrl: string
  /** Who is writing: the service lead or administrator. */
  senderName: string
  contactName: string
  contactEmail: string
  contactPhone?: string
}

export function subject(props: RenewalReminderEmailProps): string {
  return `${props.serviceName} for ${props.thisYearLabel}: would ${props.schoolName} like to buy again?`
}

export function RenewalReminderEmail(props: RenewalReminderEmailProps) {
  return (
    <EmailLayout
      authorityName={props.authorityName}
      preview={`${props.schoolName} bought ${props.serviceName} in ${props.lastYearLabel} but not yet in ${props.thisYearLabel}`}
      reason={`your school bought ${props.serviceName} from ${props.authorityName} last year`}
      contactEmail={props.contactEmail}
    >
      <Title>Would you like {props.serviceName} again this year?</Title>
      <Paragraph>{props.recipientName ? `Dear ${props.recipientName},` : 'Hello,'}</Paragraph>
      <Paragraph>
        In {props.lastYearLabel} {props.schoolName} bought {props.serviceName} from {props.authorityName} ({props.lastYearSpend}). We have not had an
        order from you for {props.thisYearLabel} yet.
      </Paragraph>
      <Paragraph>If you would like to carry on, you can see this year’s packages and your school’s prices, and order, on Buyback.</Paragraph>
      <Action href={props.serviceUrl}>See {props.serviceName} on Buyback</Action>
      <Paragraph>
        If something did not work for you last year, or you need something different, we would like to hear from you: contact {props.contactName} at{' '}
        {props.contactEmail}
        {props.contactPhone ? ` or on ${props.contactPhone}` : ''}.
      </Paragraph>
      <Paragraph>If you have decided not to buy {props.serviceName} this year, you do not need to do anything.</Paragraph>
      <Paragraph>
        {props.senderName}
        <br />
        {props.authorityName}
      </Paragraph>
    </EmailLayout>
  )
}

RenewalReminderEmail.PreviewProps = {
  authorityName: 'Coventry City Council',
  schoolName: 'Elm Bank Primary School',
  recipientName: 'Mrs Patel',
  serviceName: 'Educational Psychology',
  lastYearLabel: '2025/26',
  thisYearLabel: '2026/27',
  lastYearSpend: '£5,500',
  serviceUrl: 'http://localhost:3000/services/educational-psychology',
  senderName: 'Jo Lead',
  contactName: 'Educational Psychology Service',
  contactEmail: 'educational.psychology@coventry.example',
  contactPhone: '024 7601 0101',
} satisfies RenewalReminderEmailProps

export default RenewalReminderEmail
