import { Body, Button, Container, Head, Heading, Hr, Html, Link, Preview, Section, Text } from '@react-email/components'
import type { CSSProperties, ReactNode } from 'react'

/**
 * The council's email layout: its name in a dark teal header, a plain body
 * and a footer saying who sent the message and why. No GOV.UK crown or
 * typeface: this is the council's service, not GOV.UK's.
 */

export const colours = {
  dark: '#0b2f3a',
  teal: '#005a6e', // 7.7:1 against white
  text: '#0b0c0c',
  secondaryText: '#484949',
  background: '#f3f2f1',
  border: '#b1b4b6',
}

const fontFamily = '"Helvetica Neue", Helvetica, Arial, sans-serif'

export type EmailLayoutProps = {
  /** The authority sending the message, e.g. "Coventry City Council". */
  authorityName: string
  /** The line mail programs show beside the subject. */
  preview: string
  /** Why the reader got this email, completing "because …". */
  reason: string
  /** Where to ask questions. */
  contactEmail?: string
  children: ReactNode
}

export function EmailLayout({ authorityName, preview, reason, contactEmail, children }: EmailLayoutProps) {
  return (
    <Html lang="en" dir="ltr">
      <Head />
      <Preview>{preview}</Preview>
      <Body style={{ backgroundColor: colours.background, margin: 0, padding: '24px 0', fontFamily }}>
        <Container style={{ maxWidth: '600px', backgroundColor: '#ffffff' }}>
          <Section style={{ backgroundColor: colours.dark, borderBottom: `8px solid ${colours.teal}`, padding: '20px 24px' }}>
            <Text style={{ color: '#ffffff', fontSize: '24px', lineHeight: '30px', fontWeight: 700, margin: 0 }}>{authorityName}</Text>
            <Text style={{ color: '#ffffff', fontSize: '16px', lineHeight: '24px', margin: '4px 0 0' }}>Buyback: traded services for schools</Text>
          </Section>
          <Section style={{ padding: '24px 24px 8px' }}>{children}</Section>
          <Hr style={{ borderColor: colours.border, margin: '0 24px' }} />
          <Section style={{ padding: '16px 24px 24px' }}>
            <Text style={small}>
              This email was sent by {authorityName} through Buyback, the service schools use to buy the council’s traded services. You got it because{' '}
              {reason}.
            </Text>
            {contactEmail ? (
              <Text style={small}>
                If you have a question, email{' '}
                <Link href={`mailto:${contactEmail}`} style={link}>
                  {contactEmail}
                </Link>
                .
              </Text>
            ) : null}
          </Section>
        </Container>
      </Body>
    </Html>
  )
}

export function Title({ children }: { children: ReactNode }) {
  return (
    <Heading as="h1" style={{ color: colours.text, fontSize: '28px', lineHeight: '34px', fontWeight: 700, margin: '0 0 20px' }}>
      {children}
    </Heading>
  )
}

export function Paragraph({ children }: { children: ReactNode }) {
  return <Text style={body}>{children}</Text>
}

/**
 * The one thing to do, as a button, followed by the address written out for
 * people whose mail program does not show buttons (and for the text part).
 */
export function Action({ href, children }: { href: string; children: ReactNode }) {
  return (
    <>
      <Section style={{ margin: '8px 0 24px' }}>
        <Button
          href={href}
          style={{
            backgroundColor: colours.teal,
            color: '#ffffff',
            fontSize: '19px',
            lineHeight: '25px',
            fontWeight: 700,
            padding: '10px 16px',
            borderBottom: `2px solid ${colours.dark}`,
            textDecoration: 'none',
          }}
        >
          {children}
        </Button>
      </Section>
      <Text style={body}>
        If the button does not work, copy this address into your web browser:
        <br />
        <Link href={href} style={{ ...link, wordBreak: 'break-all' }}>
          {href}
        </Link>
      </Text>
    </>
  )
}

const body: CSSProperties = { color: colours.text, fontSize: '19px', lineHeight: '28px', margin: '0 0 20px' }
const small: CSSProperties = { color: colours.secondaryText, fontSize: '16px', lineHeight: '24px', margin: '0 0 12px' }
const link: CSSProperties = { color: colours.teal, textDecoration: 'underline' }
