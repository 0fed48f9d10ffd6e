import { Action, EmailLayout, Paragraph, Title } from './components/layout'

/**
 * To a school's business managers when the renewal window opens: next
 * year's proposal made from what the school bought this year, at next
 * year's prices, and the day by which to answer it (docs/decisions/0012).
 * The same message, marked as a reminder, goes to schools that have not
 * answered two weeks and three days before the window closes.
 */
export type RenewalProposalEmailProps = {
  authorityName: string
  contactEmail: string
  schoolName: string
  recipientName: string
  /** "2027/28" */
  yearLabel: string
  /** "31 January 2027" */
  closesOn: string
  /** One per proposed line: "Educational Psychology: EP days, 10 days, £5,150 (you used 8 of 10 days)". */
  lines: string[]
  /** "£9,876.00 (no VAT)" */
  total: string
  /** Lines whose price for next year is not published yet. */
  notYetPriced: string[]
  renewalsUrl: string
  /** Set on a reminder: whole days left before the window closes (0 on the closing day). */
  reminderDaysLeft?: number
}

function daysLeftText(days: number): string {
  if (days === 0) return 'today is the last day to answer'
  return days === 1 ? '1 day left to answer' : `${days} days left to answer`
}

export function subject(props: RenewalProposalEmailProps): string {
  if (props.reminderDaysLeft !== undefined) {
    return `Reminder: ${props.schoolName}'s renewal for ${props.yearLabel} closes on ${props.closesOn} (${daysLeftText(props.reminderDaysLeft)})`
  }
  return `Renew your traded services for ${props.yearLabel}: please answer by ${props.closesOn}`
}

export function RenewalProposalEmail(props: RenewalProposalEmailProps) {
  return (
    <EmailLayout
      authorityName={props.authorityName}
      preview={
        props.reminderDaysLeft !== undefined
          ? `${props.schoolName} has not yet answered its proposal for ${props.yearLabel}: ${daysLeftText(props.reminderDaysLeft)}`
          : `${props.schoolName}'s proposal for ${props.yearLabel} is ready to check`
      }
      reason={`you are a business manager of ${props.schoolName}`}
      contactEmail={props.contactEmail}
    >
      <Title>Your services for {props.yearLabel}</Title>
      <Paragraph>Dear {props.recipientName},</Paragraph>
      {props.reminderDaysLeft !== undefined ? (
        <Paragraph>
          This is a reminder: {props.schoolName} has not yet answered its proposal for {props.yearLabel}, and there{' '}
          {props.reminderDaysLeft === 0
            ? 'is no time left after today'
            : `${props.reminderDaysLeft === 1 ? 'is' : 'are'} ${daysLeftText(props.reminderDaysLeft)}`}
          . The proposal as it stands today, at next year’s prices:
        </Paragraph>
      ) : (
        <Paragraph>
          We have made {props.schoolName} a proposal for {props.yearLabel} from what you bought this year, at next year’s prices:
        </Paragraph>
      )}
      {props.lines.map((line) => (
        <Paragraph key={line}>• {line}</Paragraph>
      ))}
      <Paragraph>Total: {props.total}</Paragraph>
      {props.notYetPriced.length ? (
        <Paragraph>Next year’s price is not published yet for: {props.notYetPriced.join('; ')}. These are left out for now.</Paragraph>
      ) : null}
      <Paragraph>
        You can change quantities, remove or add packages, then accept the proposal (it becomes an order, approved and confirmed like any other) or
        decline it. Nothing is booked or charged until you accept.
      </Paragraph>
      <Action href={props.renewalsUrl}>Check your proposal</Action>
      <Paragraph>
        Please answer by {props.closesOn}. After that the proposal lapses, and you can still order from the catalogue while places and days last.
      </Paragraph>
      <Paragraph>{props.authorityName}</Paragraph>
    </EmailLayout>
  )
}

RenewalProposalEmail.PreviewProps = {
  authorityName: 'Coventry City Council',
  contactEmail: 'traded.services@coventry.example',
  schoolName: 'Elm Bank Primary School',
  recipientName: 'Sam Buyer',
  yearLabel: '2027/28',
  closesOn: '31 January 2027',
  lines: ['Educational Psychology: EP days, 10 days, £5,150.00 (you used 4 of 10 days)'],
  total: '£5,150.00 (no VAT)',
  notYetPriced: [],
  renewalsUrl: 'http://localhost:3000/renewals',
} satisfies RenewalProposalEmailProps

export default RenewalProposalEmail
