import { Action, EmailLayout, Paragraph, Title } from './components/layout'

export type PasswordResetEmailProps = {
  /** The authority whose Buyback the account belongs to. */
  authorityName: string
  /** The reader's name, when known. */
  recipientName?: string
  /** The one-time link to choose a new password. */
  resetUrl: string
  /** How long the link works. */
  validForMinutes?: number
  /** Where to ask questions. */
  contactEmail?: string
}

export function subject(_props: PasswordResetEmailProps): string {
  return 'Reset your Buyback password'
}

export function PasswordResetEmail(props: PasswordResetEmailProps) {
  const minutes = props.validForMinutes ?? 60
  const validFor = minutes === 60 ? '1 hour' : minutes % 60 === 0 ? `${minutes / 60} hours` : `${minutes} minutes`
  return (
    <EmailLayout
      authorityName={props.authorityName}
      preview="Use the link in this email to choose a new password"
      reason="someone asked to reset the password of the Buyback account that uses this email address"
      contactEmail={props.contactEmail}
    >
      <Title>Reset your password</Title>
      <Paragraph>{props.recipientName ? `Dear ${props.recipientName},` : 'Hello,'}</Paragraph>
      <Paragraph>Someone asked to reset the password of your Buyback account. To choose a new password, use this link.</Paragraph>
      <Action href={props.resetUrl}>Reset your password</Action>
      <Paragraph>The link works for {validFor} and only once. If it has stopped working, ask for a new one from the sign-in page.</Paragraph>
      <Paragraph>If you did not ask to reset your password, you can ignore this email. Your password has not changed.</Paragraph>
    </EmailLayout>
  )
}

PasswordResetEmail.PreviewProps = {
  authorityName: 'Coventry City Council',
  recipientName: 'Alex Morgan',
  resetUrl: 'http://localhost:3000/reset-password?token=example',
  contactEmail: 'traded.services@coventry.example',
} satisfies PasswordResetEmailProps

export default PasswordResetEmail
