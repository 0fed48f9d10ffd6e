import { clock } from '~/utils/clock'
import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, DEMO_PASSWORD_HASH } from '../../db/seed/factories'
import { action as forgotAction } from '~/routes/forgot-password'
import { action as loginAction, loader as loginLoader } from '~/routes/login'
import { action as resetAction, loader as resetLoader } from '~/routes/reset-password'
import { getDb } from '~/utils/db.server'
import { MAX_RESETS_PER_HOUR } from '~/models/accounts/accounts.server'
import { MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS } from '~/domain/sign-in-throttle'
import { createSession, getSessionUser, IDLE_TIMEOUT_MINUTES } from '~/utils/session.server'

type DataResult = { data: Record<string, any>; init?: { status?: number } }
const asData = (r: unknown) => r as DataResult

function post(path: string, fields: Record<string, string>, cookie?: string) {
  const body = new URLSearchParams(fields)
  return new Request(`http://localhost${path}`, {
    method: 'POST',
    body,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(cookie ? { Cookie: cookie } : {}) },
  })
}

/** Runs a loader or action and returns what it returned or threw. */
async function settle(p: Promise<unknown>): Promise<unknown> {
  try {
    return await p
  } catch (thrown) {
    return thrown
  }
}

const ip = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`
const cookieOf = (response: Response) => (response.headers.get('Set-Cookie') ?? '').split(';')[0]!

let coventryId: string
/** A throwaway Coventry finance user, so that no demo account is changed. */
async function makeUser(email = `person-${randomUUID()}@coventry.example`) {
  const db = await getDb()
  const user = await db
    .insertInto('users')
    .values({ authority_id: coventryId, email, name: 'Test Person', password_hash: DEMO_PASSWORD_HASH })
    .returning(['id', 'authority_id', 'email'])
    .executeTakeFirstOrThrow()
  await db.insertInto('user_roles').values({ authority_id: coventryId, user_id: user.id, role: 'finance' }).execute()
  return user
}

beforeAll(async () => {
  const db = await getDb()
  coventryId = (await db.selectFrom('authorities').select('id').where('slug', '=', 'coventry').executeTakeFirstOrThrow()).id
})

describe('signing in', () => {
  it('a demo account signs in with the demo password, gets a new httpOnly SameSite=Lax session and lands on its home page', async () => {
    const response = (await loginAction({
      request: post('/login', { email: 'Buyer@Elm-Bank.example ', password: DEMO_PASSWORD, redirectTo: '' }),
      params: {},
      context: { clientIp: ip() },
    })) as Response
    expect(response.status).toBe(302)
    expect(response.headers.get('Location')).toBe('/')
    const setCookie = response.headers.get('Set-Cookie') ?? ''
    expect(setCookie).toMatch(/HttpOnly/i)
    expect(setCookie).toMatch(/SameSite=Lax/i)
    const db = await getDb()
    const user = await getSessionUser(db, new Request('http://localhost/', { headers: { Cookie: cookieOf(response) } }))
    expect(user?.email).toBe('buyer@elm-bank.example')
    expect(user?.schoolName).toBe('Elm Bank Primary School')
    expect(user?.roles).toEqual(['school_buyer'])
  })

  it('returns people to where they were going, but never to another site', async () => {
    const ok = (await loginAction({
      request: post('/login', { email: 'finance@coventry.example', password: DEMO_PASSWORD, redirectTo: '/finance/invoices?status=open' }),
      params: {},
      context: { clientIp: ip() },
    })) as Response
    expect(ok.headers.get('Location')).toBe('/finance/invoices?status=open')
    const evil = (await loginAction({
      request: post('/login', { email: 'finance@coventry.example', password: DEMO_PASSWORD, redirectTo: '//evil.example/x' }),
      params: {},
      context: { clientIp: ip() },
    })) as Response
    expect(evil.headers.get('Location')).toBe('/')
  })

  it('a wrong password and an unknown account get the same answer, keeping the email typed', async () => {
    const wrong = asData(
      await loginAction({
        request: post('/login', { email: 'buyer@elm-bank.example', password: 'not-it' }),
        params: {},
        context: { clientIp: ip() },
      }),
    )
    const unknown = asData(
      await loginAction({
        request: post('/login', { email: 'nobody@nowhere.example', password: 'not-it' }),
        params: {},
        context: { clientIp: ip() },
      }),
    )
    expect(wrong.init?.status).toBe(400)
    expect(wrong.data).toEqual({ errors: { email: 'Enter a correct email address and password' }, values: { email: 'buyer@elm-bank.example' } })
    expect(unknown.data.errors).toEqual(wrong.data.errors)
  })

  it('missing or malformed fields are named in the error summary', async () => {
    const result = asData(await loginAction({ request: post('/login', { email: 'not an email', password: '' }), params: {}, context: {} }))
    expect(result.data.errors).toEqual({
      email: 'Enter an email address in the correct format, like name@example.com',
      password: 'Enter your password',
    })
  })

  it('is slowed after 5 failures for one account, even with the right password, and records it', async () => {
    const user = await makeUser()
    const from = ip()
    for (let i = 0; i < 5; i++) {
      await loginAction({ request: post('/login', { email: user.email, password: 'wrong' }), params: {}, context: { clientIp: ip() } })
    }
    const blocked = asData(
      await loginAction({ request: post('/login', { email: user.email, password: DEMO_PASSWORD }), params: {}, context: { clientIp: from } }),
    )
    expect(blocked.data.errors.email).toMatch(/tried to sign in too many times\. Wait 15 minutes/)
    const db = await getDb()
    const actions = await db
      .selectFrom('audit_events')
      .select(['action', 'ip_address'])
      .where('authority_id', '=', coventryId)
      .where('subject_id', '=', user.id)
      .orderBy('created_at')
      .execute()
    expect(actions.filter((a) => a.action === 'sign_in.failed')).toHaveLength(5)
    expect(actions.at(-1)).toEqual({ action: 'sign_in.throttled', ip_address: from })
  })

  it('a parallel burst of 30 wrong guesses at one account checks only 5 of them', async () => {
    const user = await makeUser()
    const answers = await Promise.all(
      Array.from({ length: 30 }, () =>
        loginAction({ request: post('/login', { email: user.email, password: 'guess' }), params: {}, context: { clientIp: ip() } }).then(asData),
      ),
    )
    const messages = answers.map((a) => a.data.errors.email)
    expect(messages.filter((m) => m === 'Enter a correct email address and password')).toHaveLength(MAX_FAILURES_PER_ACCOUNT)
    expect(messages.filter((m) => /too many times/.test(m ?? ''))).toHaveLength(30 - MAX_FAILURES_PER_ACCOUNT)
    const db = await getDb()
    const recorded = await db.selectFrom('sign_in_attempts').select('id').where('email', '=', user.email).execute()
    expect(recorded).toHaveLength(MAX_FAILURES_PER_ACCOUNT)
  })

  it('a parallel burst of 30 guesses at 30 accounts from one address checks only 20 of them', async () => {
    const users = await Promise.all(Array.from({ length: 30 }, () => makeUser()))
    const from = ip()
    const guess = (u: { email: string }) =>
      loginAction({ request: post('/login', { email: u.email, password: 'guess' }), params: {}, context: { clientIp: from } }).then(asData)
    // Three guesses first, so that the limit falls inside a wave of parallel requests whatever the pool's size.
    const first = [await guess(users[0]!), await guess(users[1]!), await guess(users[2]!)]
    const answers = [...first, ...(await Promise.all(users.slice(3).map(guess)))]
    const messages = answers.map((a) => a.data.errors.email)
    expect(messages.filter((m) => m === 'Enter a correct email address and password')).toHaveLength(MAX_FAILURES_PER_ADDRESS)
    expect(messages.filter((m) => /from your network/.test(m ?? ''))).toHaveLength(30 - MAX_FAILURES_PER_ADDRESS)
  })

  it('a redirect target with any characters is kept, encoded, and sign-in still works', async () => {
    const response = (await loginAction({
      request: post('/login', { email: 'finance@coventry.example', password: DEMO_PASSWORD, redirectTo: '/finance/invoices?q=☃ café' }),
      params: {},
      context: { clientIp: ip() },
    })) as Response
    expect(response.status).toBe(302)
    expect(response.headers.get('Location')).toBe('/finance/invoices?q=%E2%98%83%20caf%C3%A9')
    expect(response.headers.get('Set-Cookie')).toMatch(/buyback_session=/)
  })

  it('a parallel burst of 10 reset requests for one account makes only 3 links', async () => {
    const user = await makeUser()
    await Promise.all(
      Array.from({ length: 10 }, () =>
        forgotAction({ request: post('/forgot-password', { email: user.email }), params: {}, context: { clientIp: ip() } }),
      ),
    )
    const db = await getDb()
    const tokens = await db.selectFrom('password_reset_tokens').select('id').where('user_id', '=', user.id).where('purpose', '=', 'reset').execute()
    expect(tokens).toHaveLength(MAX_RESETS_PER_HOUR)
  })

  it('a deactivated account cannot sign in', async () => {
    const user = await makeUser()
    const db = await getDb()
    await db.updateTable('users').set({ is_active: false }).where('authority_id', '=', coventryId).where('id', '=', user.id).execute()
    const result = asData(
      await loginAction({ request: post('/login', { email: user.email, password: DEMO_PASSWORD }), params: {}, context: { clientIp: ip() } }),
    )
    expect(result.data.errors.email).toBe('Enter a correct email address and password')
  })

  it('a bot that fills the hidden field gets nowhere', async () => {
    const result = asData(
      await loginAction({
        request: post('/login', { email: 'buyer@elm-bank.example', password: DEMO_PASSWORD, website: 'http://spam.example' }),
        params: {},
        context: { clientIp: ip() },
      }),
    )
    expect(result.init?.status).toBe(400)
  })

  it('someone already signed in is sent on from /login', async () => {
    const user = await makeUser()
    const db = await getDb()
    const cookie = (await createSession(db, new Request('http://localhost/'), { id: user.id, authorityId: coventryId }, '127.0.0.1')).split(';')[0]!
    const result = await settle(
      loginLoader({ request: new Request('http://localhost/login?redirectTo=/orders', { headers: { Cookie: cookie } }), params: {}, context: {} }),
    )
    expect((result as Response).headers.get('Location')).toBe('/orders')
  })
})

describe('sessions', () => {
  it('a new session id at every sign-in: the old one stops working', async () => {
    const user = await makeUser()
    const db = await getDb()
    const first = (await createSession(db, new Request('http://localhost/'), { id: user.id, authorityId: coventryId }, '127.0.0.1')).split(';')[0]!
    const response = (await loginAction({
      request: post('/login', { email: user.email, password: DEMO_PASSWORD }, first),
      params: {},
      context: { clientIp: ip() },
    })) as Response
    const second = cookieOf(response)
    expect(second).not.toBe(first)
    expect(await getSessionUser(db, new Request('http://localhost/', { headers: { Cookie: first } }))).toBeNull()
    expect((await getSessionUser(db, new Request('http://localhost/', { headers: { Cookie: second } })))?.id).toBe(user.id)
  })

  it(`ends after ${IDLE_TIMEOUT_MINUTES} idle minutes and after its absolute lifetime`, async () => {
    const user = await makeUser()
    const db = await getDb()
    const idle = (await createSession(db, new Request('http://localhost/'), { id: user.id, authorityId: coventryId }, '127.0.0.1')).split(';')[0]!
    const old = (await createSession(db, new Request('http://localhost/'), { id: user.id, authorityId: coventryId }, '127.0.0.1')).split(';')[0]!
    const idOf = (c: string) => decodeURIComponent(c.split('=')[1]!)
    const sessionIdOf = (c: string) => (JSON.parse(Buffer.from(idOf(c), 'base64').toString('utf8')) as string).split('.')[1]!
    await db
      .updateTable('sessions')
      .set({ last_seen_at: new Date(clock.now().getTime() - 31 * 60_000) })
      .where('id', '=', sessionIdOf(idle))
      .execute()
    await db
      .updateTable('sessions')
      .set({ expires_at: new Date(clock.now().getTime() - 1_000) })
      .where('id', '=', sessionIdOf(old))
      .execute()
    expect(await getSessionUser(db, new Request('http://localhost/', { headers: { Cookie: idle } }))).toBeNull()
    expect(await getSessionUser(db, new Request('http://localhost/', { headers: { Cookie: old } }))).toBeNull()
    const left = await db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute()
    expect(left).toEqual([])
  })

  it('a forged or garbled cookie is nobody', async () => {
    const db = await getDb()
    const forged = (value: string) => `buyback_session=${encodeURIComponent(Buffer.from(JSON.stringify(value)).toString('base64'))}`
    for (const cookie of [
      'buyback_session=abc',
      forged(randomUUID()),
      forged(`${coventryId}.${randomUUID()}`),
      forged(`${randomUUID()}.${randomUUID()}.x`),
      'buyback_session=%%%',
    ]) {
      expect(await getSessionUser(db, new Request('http://localhost/', { headers: { Cookie: cookie } }))).toBeNull()
    }
  })
})

describe('forgotten passwords', () => {
  it('answers the same whether or not the account exists, and emails a single-use link only to a real one', async () => {
    const user = await makeUser()
    const db = await getDb()
    const known = await forgotAction({ request: post('/forgot-password', { email: user.email }), params: {}, context: { clientIp: ip() } })
    const unknown = await forgotAction({
      request: post('/forgot-password', { email: `no-${randomUUID()}@coventry.example` }),
      params: {},
      context: { clientIp: ip() },
    })
    expect(Object.keys(known as object)).toEqual(Object.keys(unknown as object))
    expect((known as { sent: boolean }).sent).toBe(true)
    expect((unknown as { sent: boolean }).sent).toBe(true)

    const mail = await db
      .selectFrom('email_messages')
      .select(['text', 'subject', 'template'])
      .where('authority_id', '=', coventryId)
      .where('to_address', '=', user.email)
      .execute()
    expect(mail).toHaveLength(1)
    expect(mail[0]!.template).toBe('password-reset')
    const token = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(mail[0]!.text)?.[1]
    expect(token).toBeTruthy()

    const page = await resetLoader({ request: new Request(`http://localhost/reset-password?token=${token}`), params: {}, context: {} })
    expect(page).toEqual({ token, email: user.email })

    const mismatch = asData(
      await resetAction({
        request: post('/reset-password', { token: token!, password: 'correct horse battery', confirmPassword: 'correct horse batter' }),
        params: {},
        context: {},
      }),
    )
    expect(mismatch.data.errors).toEqual({ confirmPassword: 'The passwords do not match' })
    const short = asData(
      await resetAction({
        request: post('/reset-password', { token: token!, password: 'short', confirmPassword: 'short' }),
        params: {},
        context: {},
      }),
    )
    expect(short.data.errors.password).toBe('Password must be 12 characters or more')

    const done = (await resetAction({
      request: post('/reset-password', { token: token!, password: 'correct horse battery', confirmPassword: 'correct horse battery' }),
      params: {},
      context: { clientIp: ip() },
    })) as Response
    expect(done.status).toBe(302)
    expect(done.headers.get('Location')).toBe('/')

    // Used once: the link no longer works, the old password no longer signs in, the new one does.
    expect(await resetLoader({ request: new Request(`http://localhost/reset-password?token=${token}`), params: {}, context: {} })).toEqual({
      token: null,
      email: null,
    })
    const again = asData(
      await resetAction({
        request: post('/reset-password', { token: token!, password: 'another long password', confirmPassword: 'another long password' }),
        params: {},
        context: {},
      }),
    )
    expect(again.init?.status).toBe(400)
    const oldPassword = asData(
      await loginAction({ request: post('/login', { email: user.email, password: DEMO_PASSWORD }), params: {}, context: { clientIp: ip() } }),
    )
    expect(oldPassword.data.errors.email).toBe('Enter a correct email address and password')
    const newPassword = (await loginAction({
      request: post('/login', { email: user.email, password: 'correct horse battery' }),
      params: {},
      context: { clientIp: ip() },
    })) as Response
    expect(newPassword.status).toBe(302)

    const audit = await db
      .selectFrom('audit_events')
      .select('action')
      .where('authority_id', '=', coventryId)
      .where('subject_id', '=', user.id)
      .orderBy('created_at')
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['password_reset.requested', 'password_reset.completed', 'sign_in.failed', 'sign_in.succeeded'])
  })

  it('an expired link does not work', async () => {
    const user = await makeUser()
    const db = await getDb()
    await forgotAction({ request: post('/forgot-password', { email: user.email }), params: {}, context: { clientIp: ip() } })
    const mail = await db.selectFrom('email_messages').select('text').where('to_address', '=', user.email).executeTakeFirstOrThrow()
    const token = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!
    await db
      .updateTable('password_reset_tokens')
      .set({ expires_at: new Date(clock.now().getTime() - 1_000) })
      .where('user_id', '=', user.id)
      .execute()
    expect(await resetLoader({ request: new Request(`http://localhost/reset-password?token=${token}`), params: {}, context: {} })).toEqual({
      token: null,
      email: null,
    })
  })

  it('a bad email address is reported, and a bot gets the usual answer and sends nothing', async () => {
    const bad = asData(await forgotAction({ request: post('/forgot-password', { email: 'nope' }), params: {}, context: {} }))
    expect(bad.data.errors.email).toBe('Enter an email address in the correct format, like name@example.com')
    const user = await makeUser()
    const bot = await forgotAction({ request: post('/forgot-password', { email: user.email, website: 'x' }), params: {}, context: {} })
    expect((bot as { sent: boolean }).sent).toBe(true)
    const db = await getDb()
    expect(await db.selectFrom('email_messages').select('id').where('to_address', '=', user.email).execute()).toEqual([])
  })
})

describe('links are for one purpose', () => {
  it('a reset link does not work as an invitation link', async () => {
    const { loader: setLoader } = await import('~/routes/set-password')
    const user = await makeUser()
    const db = await getDb()
    await forgotAction({ request: post('/forgot-password', { email: user.email }), params: {}, context: { clientIp: ip() } })
    const mail = await db.selectFrom('email_messages').select('text').where('to_address', '=', user.email).executeTakeFirstOrThrow()
    const token = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(mail.text)![1]!
    expect(await setLoader({ request: new Request(`http://localhost/set-password?token=${token}`), params: {}, context: {} })).toEqual({
      token: null,
      email: null,
    })
  })
})
