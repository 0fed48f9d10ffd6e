import { jobHandlers } from '~/jobs/index.server'
import { randomUUID } from 'node:crypto'
import type { ParsedMail } from 'mailparser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setMailTransportForTests } from '../../app/jobs/send-email.server'
import { getDb } from '../../app/utils/db.server'
import {
  getOutboxMessage,
  listOutbox,
  queueEmail,
  type EmailMessage,
  type QueueEmailInput,
  type EmailTemplateName,
} from '../../app/utils/email.server'
import { getBoss, listFailedJobs, setJobOptionsForTests, startJobWorkers, stopJobs } from '../../app/utils/jobs.server'
import { startSmtpServer, type TestSmtpServer } from '../support/smtp'

// Sending email end to end: queueEmail writes the message and its job in one
// transaction; the send-email worker (running here) delivers it to a real
// SMTP server in this process, or holds it when there is none.

const run = randomUUID().slice(0, 8)
let smtp: TestSmtpServer
let coventryId: string
let otherAuthorityId: string

beforeAll(async () => {
  smtp = await startSmtpServer()
  setMailTransportForTests(smtp.url)
  const db = await getDb()
  const authorities = await db.selectFrom('authorities').select(['id', 'slug']).execute()
  coventryId = authorities.find((a) => a.slug === 'coventry')!.id
  otherAuthorityId = authorities.find((a) => a.slug !== 'coventry')!.id
  // Only the email queue, and no schedules. The queue is this file's own
  // (tests/support/setup-database-env.ts): the emails other files queue in
  // the shared database are never this file's to send.
  await startJobWorkers(jobHandlers, { pollingIntervalSeconds: 0.5, queues: ['send-email'], schedules: false })
})

afterAll(async () => {
  setMailTransportForTests(undefined)
  setJobOptionsForTests(undefined)
  await stopJobs()
  await smtp?.close()
})

async function queue<T extends EmailTemplateName>(input: Omit<QueueEmailInput<T>, 'authorityId'>) {
  const db = await getDb()
  return db.transaction().execute((trx) => queueEmail(trx, { authorityId: coventryId, ...input }))
}

async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

async function messageWhen(id: string, ready: (m: EmailMessage) => boolean): Promise<EmailMessage> {
  const db = await getDb()
  return eventually(`message ${id} to reach the expected state`, async () => {
    const message = await getOutboxMessage(db, coventryId, id)
    return message && ready(message) ? message : undefined
  })
}

function receivedBy(address: string): ParsedMail[] {
  return smtp.messages.filter((m) => {
    const to = Array.isArray(m.to) ? m.to : m.to ? [m.to] : []
    return to.some((t) => t.value.some((v) => v.address === address))
  })
}

const coventry = {
  authorityName: 'Coventry City Council',
  contactEmail: 'traded.services@coventry.example',
}

describe('sending email', () => {
  it('delivers an invitation once, with its link in the HTML and the text, in the council’s colours', async () => {
    const to = `new.buyer.${run}@elm-bank.example`
    const link = `http://localhost:3000/set-password?token=invite-${run}`
    const { message, created } = await queue({
      template: 'invitation',
      to,
      idempotencyKey: `invitation:${run}`,
      props: {
        ...coventry,
        inviterName: 'Sam Patel',
        recipientName: 'Alex Morgan',
        roleDescription: 'a school business manager',
        organisationName: 'Elm Bank Primary School',
        setPasswordUrl: link,
      },
    })
    expect(created).toBe(true)
    expect(message.status).toBe('queued')

    const sent = await messageWhen(message.id, (m) => m.status === 'sent')
    expect(sent.sent_at).toBeInstanceOf(Date)
    expect(sent.attempts).toBe(1)

    const [mail, ...more] = receivedBy(to)
    expect(more).toHaveLength(0)
    expect(mail?.subject).toBe('You have been invited to Buyback by Coventry City Council')
    expect(mail?.from?.value[0]?.address).toBe('traded.services@coventry.example')
    expect(mail?.messageId).toBe(`<${message.id}@coventry.example>`)
    expect(mail?.html).toContain(`href="${link}"`)
    expect(mail?.html).toContain('#0b2f3a')
    expect(mail?.html).not.toMatch(/crown|GOV\.UK/i)
    expect(mail?.text).toContain(link)
    expect(mail?.text).toContain(
      'Sam Patel at Coventry City Council has invited you to use Buyback as a school business manager for Elm Bank Primary School.',
    )
    expect(mail?.text).toContain('The link works for 7 days')
    expect(mail?.text).toContain('If you were not expecting this invitation, you can ignore this email.')
    expect(mail?.text).toContain('This email was sent by Coventry City Council')
  })

  it('delivers a password reset with a single-use link valid for an hour', async () => {
    const to = `reset.${run}@foleshill-park.example`
    const link = `http://localhost:3000/reset-password?token=reset-${run}`
    const { message } = await queue({
      template: 'password-reset',
      to,
      idempotencyKey: `password-reset:${run}`,
      props: { ...coventry, resetUrl: link },
    })
    await messageWhen(message.id, (m) => m.status === 'sent')

    const [mail, ...more] = receivedBy(to)
    expect(more).toHaveLength(0)
    expect(mail?.subject).toBe('Reset your Buyback password')
    expect(mail?.html).toContain(`href="${link}"`)
    expect(mail?.html).toContain('Coventry City Council')
    expect(mail?.text).toContain(link)
    expect(mail?.text).toContain('The link works for 1 hour and only once.')
    expect(mail?.text).toContain('If you did not ask to reset your password, you can ignore this email. Your password has not changed.')
  })

  it('sends once however often the same idempotency key is queued, even at the same moment', async () => {
    const to = `twice.${run}@elm-bank.example`
    const input = {
      template: 'password-reset' as const,
      to,
      idempotencyKey: `password-reset:twice:${run}`,
      props: { ...coventry, resetUrl: `http://localhost:3000/reset-password?token=twice-${run}` },
    }
    const [a, b] = await Promise.all([queue(input), queue(input)])
    const again = await queue(input)
    expect(new Set([a.message.id, b.message.id, again.message.id]).size).toBe(1)
    expect([a.created, b.created, again.created].filter(Boolean)).toHaveLength(1)

    await messageWhen(a.message.id, (m) => m.status === 'sent')
    // Give any duplicate job time to be picked up (workers poll every 0.5 s).
    await new Promise((r) => setTimeout(r, 2_000))
    expect(receivedBy(to)).toHaveLength(1)
    const db = await getDb()
    const rows = await db.selectFrom('email_messages').select('id').where('to_address', '=', to).execute()
    expect(rows).toHaveLength(1)
  })

  it('writes nothing and sends nothing when the transaction rolls back', async () => {
    const to = `rolled.back.${run}@elm-bank.example`
    const db = await getDb()
    await expect(
      db.transaction().execute(async (trx) => {
        await queueEmail(trx, {
          authorityId: coventryId,
          template: 'password-reset',
          to,
          idempotencyKey: `password-reset:rolled-back:${run}`,
          props: { ...coventry, resetUrl: 'http://localhost:3000/reset-password?token=never' },
        })
        throw new Error('the order failed')
      }),
    ).rejects.toThrow('the order failed')
    await new Promise((r) => setTimeout(r, 1_500))
    expect(receivedBy(to)).toHaveLength(0)
    expect(await db.selectFrom('email_messages').select('id').where('to_address', '=', to).execute()).toHaveLength(0)
  })

  it('holds the message in the outbox when no mail server is set', async () => {
    setMailTransportForTests(null)
    try {
      const to = `held.${run}@elm-bank.example`
      const link = `http://localhost:3000/reset-password?token=held-${run}`
      const { message } = await queue({
        template: 'password-reset',
        to,
        idempotencyKey: `password-reset:held:${run}`,
        props: { ...coventry, resetUrl: link },
      })
      const held = await messageWhen(message.id, (m) => m.status === 'held')
      expect(held.sent_at).toBeNull()
      expect(held.html).toContain(`href="${link}"`)
      expect(held.text).toContain(link)
      expect(receivedBy(to)).toHaveLength(0)

      const db = await getDb()
      const outbox = await listOutbox(db, coventryId, { limit: 100 })
      expect(outbox.find((m) => m.id === message.id)).toMatchObject({ status: 'held', to_address: to, subject: 'Reset your Buyback password' })
      // Another authority never sees it.
      expect(await getOutboxMessage(db, otherAuthorityId, message.id)).toBeUndefined()
      expect((await listOutbox(db, otherAuthorityId)).some((m) => m.id === message.id)).toBe(false)
      expect(await getOutboxMessage(db, coventryId, 'not-a-message')).toBeUndefined()
    } finally {
      setMailTransportForTests(smtp.url)
    }
  })

  it('records a refused message, retries it, shows it failed after the last try, and loses nothing', async () => {
    const to = `refused.${run}@elm-bank.example`
    const link = `http://localhost:3000/set-password?token=refused-${run}`
    smtp.rejectWith('Mailbox busy, try again later')
    // Two tries, two seconds apart, rather than the queue's seven over two hours.
    setJobOptionsForTests({ retryLimit: 1, retryDelay: 2, retryBackoff: false })
    const boss = await getBoss()
    try {
      const { message } = await queue({
        template: 'invitation',
        to,
        idempotencyKey: `invitation:refused:${run}`,
        props: {
          ...coventry,
          inviterName: 'Sam Patel',
          roleDescription: 'a finance officer',
          organisationName: 'Coventry City Council',
          setPasswordUrl: link,
        },
      })

      // First try refused: recorded, still queued, and pg-boss will retry it.
      const retrying = await messageWhen(message.id, (m) => m.attempts === 1)
      expect(retrying.status).toBe('queued')
      expect(retrying.last_error).toContain('Mailbox busy')
      // (the handler records the attempt just before pg-boss marks the job for retry)
      await eventually('the job to wait for its retry', async () => {
        const [job] = await boss.findJobs('send-email', { data: { messageId: message.id } })
        return job?.state === 'retry' ? job : undefined
      })

      // Last try refused: the message shows failed, and so does the job.
      const failed = await messageWhen(message.id, (m) => m.status === 'failed')
      expect(failed.attempts).toBe(2)
      expect(failed.last_error).toContain('Mailbox busy')
      const failedJob = await eventually('the job to fail', async () => {
        const [j] = await boss.findJobs('send-email', { data: { messageId: message.id } })
        return j?.state === 'failed' ? j : undefined
      })
      const listed = (await listFailedJobs({ queue: 'send-email' })).find((j) => j.id === failedJob.id)
      expect(listed).toMatchObject({ state: 'failed', retryCount: 1 })
      expect(listed?.error).toContain('Mailbox busy')
      expect(receivedBy(to)).toHaveLength(0)
      expect(smtp.offered()).toBeGreaterThanOrEqual(2)

      // Nothing is lost: once the mail server works, retrying the job delivers the same message.
      smtp.rejectWith(null)
      await boss.retry('send-email', failedJob.id)
      const sent = await messageWhen(message.id, (m) => m.status === 'sent')
      expect(sent.attempts).toBe(3)
      const [mail, ...more] = receivedBy(to)
      expect(more).toHaveLength(0)
      expect(mail?.messageId).toBe(`<${message.id}@coventry.example>`)
      expect(mail?.text).toContain(link)
    } finally {
      smtp.rejectWith(null)
      setJobOptionsForTests(undefined)
    }
  })
})

describe('a forgotten password over SMTP, end to end', () => {
  it('asking for a reset delivers a link that sets a new password once', async () => {
    const { action: forgot } = await import('../../app/routes/forgot-password')
    const { action: reset } = await import('../../app/routes/reset-password')
    const { DEMO_PASSWORD_HASH } = await import('../../db/seed/factories')
    const db = await getDb()
    const email = `smtp-reset.${run}@coventry.example`
    const user = await db
      .insertInto('users')
      .values({ authority_id: coventryId, email, name: 'Smtp Reset', password_hash: DEMO_PASSWORD_HASH })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db.insertInto('user_roles').values({ authority_id: coventryId, user_id: user.id, role: 'finance' }).execute()
    const form = (fields: Record<string, string>) =>
      new Request('http://localhost/x', {
        method: 'POST',
        body: new URLSearchParams(fields),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      })

    await forgot({ request: form({ email }), params: {}, context: { clientIp: '192.0.2.10' } })
    const mail = await eventually('the reset email to arrive over SMTP', async () => receivedBy(email)[0])
    expect(mail.subject).toBe('Reset your Buyback password')
    const token = /\/reset-password\?token=([A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1]
    expect(token).toBeTruthy()
    expect(mail.html).toContain(`/reset-password?token=${token}`)

    const done = (await reset({
      request: form({ token: token!, password: 'a brand new password', confirmPassword: 'a brand new password' }),
      params: {},
      context: { clientIp: '192.0.2.10' },
    })) as Response
    expect(done.status).toBe(302)
    const again = await reset({
      request: form({ token: token!, password: 'another new password', confirmPassword: 'another new password' }),
      params: {},
      context: {},
    })
    expect(again).not.toBeInstanceOf(Response)
  })
})
