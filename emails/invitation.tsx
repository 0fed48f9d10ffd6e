import type { Role } from '../db/schema'
import { Action, EmailLayout, Paragraph, Title } from './components/layout'

export type InvitationEmailProps = {
  /** The authority the reader is invited to, e.g. "Coventry City Council". */
  authorityName: string
  /** Who sent the invitation. */
  inviterName: string
  /** The reader's name, when known. */
  recipientName?: string
  /** What the reader will do, e.g. "a school business manager" (see describeRole). */
  roleDescription: string
  /** The school, or the authority for council staff. */
  organisationName: string
  /** The one-time link to set a password. */
  setPasswordUrl: string
  /** How long the link works. */
  expiresInDays?: number
  /** Where to ask questions. */
  contactEmail?: string
}

const roleDescriptions: Record<Role, string> = {
  school_buyer: 'a school business manager',
  school_approver: 'a headteacher',
  service_lead: 'a service lead',
  finance: 'a finance officer',
  la_admin: 'an administrator',
  trust_buyer: 'a trust business manager',
  trust_approver: 'a trust approver',
}

/** A role as the invitation describes it, e.g. "a finance officer". */
export function describeRole(role: Role): string {
  return roleDescriptions[role]
}

export function subject(props: InvitationEmailProps): string {
  return `You have been invited to Buyback by ${props.authorityName}`
}

export function InvitationEmail(props: InvitationEmailProps) {
  const days = props.expiresInDays ?? 7
  return (
    <EmailLayout
      authorityName={props.authorityName}
      preview={`${props.inviterName} invited you to Buyback for ${props.organisationName}`}
      reason={`someone at ${props.authorityName} invited you to use Buyback`}
      contactEmail={props.contactEmail}
    >
      <Title>You have been invited to Buyback</Title>
      <Paragraph>{props.recipientName ? `Dear ${props.recipientName},` : 'Hello,'}</Paragraph>
      <Paragraph>
        {props.inviterName} at {props.authorityName} has invited you to use Buyback as {props.roleDescription} for {props.organisationName}.
      </Paragraph>
      <Paragraph>Buyback is where schools buy traded services from {props.authorityName} and follow what they have bought.</Paragraph>
      <Paragraph>To start, set your password.</Paragraph>
      <Action href={props.setPasswordUrl}>Set your password</Action>
      <Paragraph>
        The link works for {days === 1 ? '1 day' : `${days} days`} and only once. If it has stopped working, ask {props.inviterName} to invite you
        again.
      </Paragraph>
      <Paragraph>
        If you were not expecting this invitation, you can ignore this email. Nobody can sign in to the account until a password is set with this
        link.
      </Paragraph>
    </EmailLayout>
  )
}

InvitationEmail.PreviewProps = {
  authorityName: 'Coventry City Council',
  inviterName: 'Sam Patel',
  recipientName: 'Alex Morgan',
  roleDescription: 'a school business manager',
  organisationName: 'Elm Bank Primary School',
  setPasswordUrl: 'http://localhost:3000/set-password?token=example',
  contactEmail: 'traded.services@coventry.example',
} satisfies InvitationEmailProps

export default InvitationEmail
