import { clock } from '../utils/clock'
import { sql } from 'kysely'
import { createTransport, type Transporter } from 'nodemailer'
import type { JobWithMetadata } from 'pg-boss'
import { getDb } from '../utils/db.server'
import { getEnv } from '../utils/env.server'
import type { SendEmailJobData } from './queues'

/**
 * Sends one message of the email_messages table (see queueEmail in
 * app/utils/email.server.ts). Safe to run more than once: a message already
 * sent or held is left alone.
 *
 * - With SMTP_URL it is sent with nodemailer and marked `sent`.
 * - Without it, it is marked `held`: kept in the outbox for people to read.
 * - When the mail server fails, the attempt and the error are recorded and the
 *   error rethrown so that pg-boss tries again; after the last try the message
 *   shows `failed`.
 */
export async function sendEmailJob(job: JobWithMetadata<SendEmailJobData>): Promise<{ status: string }> {
  const { authorityId, messageId } = job.data
  const db = await getDb()
  const message = await db
    .selectFrom('email_messages')
    .selectAll()
    .where('authority_id', '=', authorityId)
    .where('id', '=', messageId)
    .executeTakeFirst()
  if (!message) return { status: 'missing' }
  if (message.status === 'sent' || message.status === 'held') return { status: message.status }

  const smtpUrl = currentSmtpUrl()
  const row = db.updateTable('email_messages').where('authority_id', '=', authorityId).where('id', '=', messageId)
  if (!smtpUrl) {
    await row.set({ status: 'held' }).execute()
    return { status: 'held' }
  }

  const env = getEnv()
  try {
    await transportFor(smtpUrl).sendMail({
      from: env.MAIL_FROM,
      to: message.to_address,
      subject: message.subject,
      html: message.html,
      text: message.text,
      // The same message keeps the same Message-ID whichever attempt delivers it.
      messageId: `<${message.id}@${mailDomain(env.MAIL_FROM)}>`,
    })
  } catch (error) {
    const lastAttempt = job.retryCount >= job.retryLimit
    await row
      .set({
        attempts: sql<number>`attempts + 1`,
        last_error: describe(error),
        status: lastAttempt ? 'failed' : 'queued',
      })
      .execute()
    throw error
  }
  await row.set({ status: 'sent', sent_at: clock.now(), attempts: sql<number>`attempts + 1` }).execute()
  return { status: 'sent' }
}

// ---------------------------------------------------------------------------
// The mail server

let smtpUrlOverride: { url: string | null } | undefined

/**
 * Tests only: the mail server to use from now on instead of SMTP_URL
 * (getEnv() is read once). `null` means none (mail is held); `undefined`
 * goes back to SMTP_URL.
 */
export function setMailTransportForTests(smtpUrl: string | null | undefined): void {
  smtpUrlOverride = smtpUrl === undefined ? undefined : { url: smtpUrl }
}

function currentSmtpUrl(): string | null {
  return smtpUrlOverride ? smtpUrlOverride.url : (getEnv().SMTP_URL ?? null)
}

const transports = new Map<string, Transporter>()

function transportFor(url: string): Transporter {
  let transport = transports.get(url)
  if (!transport) {
    transport = createTransport({
      url,
      // A mail server that does not answer becomes a failed attempt, not a stuck job.
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
    })
    transports.set(url, transport)
  }
  return transport
}

/** Closes the SMTP connections (on shutdown). */
export function closeMailTransports(): void {
  for (const transport of transports.values()) transport.close()
  transports.clear()
}

/** The domain of the sender's address, for Message-IDs. */
function mailDomain(from: string): string {
  const match = /@([^\s>]+)>?\s*$/.exec(from)
  return match?.[1] ?? 'buyback.invalid'
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return text.slice(0, 2000)
}
