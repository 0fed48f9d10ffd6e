import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DB } from '../../db/connection'
import { DEMO_PASSWORD } from '../../db/seed/factories'
import { chromiumPath } from '../support/browser'
import { testServerUrl, withFreshDatabase, type FreshDatabase } from '../support/database'
import { startAppServer, type RunningServer } from '../support/server'
import { startSmtpServer, type TestSmtpServer } from '../support/smtp'

// Scale-out (issue 18, docs/deployment.md): two web processes with
// RUN_JOBS=false and one `npm run worker` against one PostgreSQL, as the
// compose file runs them. A burst of orders placed through both: each order
// once, each job run once, each email sent once; a session made on one
// process works on the other. The embedded database is one process's only,
// so this runs on PostgreSQL.

const BURST = 8

type Session = { cookie: string; web: RunningServer }

async function post(web: RunningServer, path: string, cookie: string, fields: Record<string, string>) {
  return fetch(`${web.baseUrl}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Cookie: cookie, Origin: web.baseUrl, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  })
}

async function signIn(web: RunningServer, email: string): Promise<Session> {
  const response = await post(web, '/login', '', { email, password: DEMO_PASSWORD, redirectTo: '' })
  expect(response.status, `sign in as ${email}`).toBe(302)
  return { cookie: response.headers.getSetCookie()[0]!.split(';')[0]!, web }
}

/** Adds one EP day to the basket, gives a PO number and submits, through `web`; answers the order's id. */
async function orderOneDay(session: Session, offerId: string, po: string): Promise<string> {
  const { web, cookie } = session
  const added = await post(web, '/basket', cookie, { intent: 'add', offerId, quantity: '1', tradingYear: '2026' })
  expect(added.status, 'add to basket').toBe(303)
  const next = await post(web, '/basket', cookie, { intent: 'continue', poNumber: po })
  expect(next.headers.get('Location')).toBe('/basket/check')
  const check = await (await fetch(`${web.baseUrl}/basket/check`, { headers: { Cookie: cookie } })).text()
  const basketId = /name="basketId" value="([0-9a-f-]{36})"/.exec(check)?.[1]
  expect(basketId, 'the check page names the basket').toBeTruthy()
  const submitted = await post(web, '/basket/check', cookie, { intent: 'submit', basketId: basketId! })
  expect(submitted.status, 'submit order').toBe(303)
  return /\/basket\/confirmation\/([0-9a-f-]{36})$/.exec(submitted.headers.get('Location') ?? '')![1]!
}

async function waitFor<T>(what: string, check: () => Promise<T | false>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== false) return value
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 500))
  }
}

describe.skipIf(!chromiumPath || !testServerUrl())('two web processes and one worker on one PostgreSQL', () => {
  let database: FreshDatabase
  let db: DB
  let smtp: TestSmtpServer
  let webA: RunningServer
  let webB: RunningServer
  let worker: ChildProcess
  let workerOutput = ''

  beforeAll(async () => {
    database = await withFreshDatabase({ max: 2 })
    db = database.db
    smtp = await startSmtpServer()
    const env = { DATABASE_URL: database.url, SEED_DEMO_DATA: 'true', RUN_JOBS: 'false', SMTP_URL: smtp.url }
    webA = await startAppServer(env)
    webB = await startAppServer(env)
    worker = spawn('node_modules/.bin/tsx', ['app/worker.ts'], {
      env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: database.url, SMTP_URL: smtp.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    worker.stdout?.on('data', (d) => (workerOutput += String(d)))
    worker.stderr?.on('data', (d) => (workerOutput += String(d)))
    await waitFor('the worker', async () => workerOutput.includes('Job workers running'), 60_000)
  }, 300_000)

  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      worker.kill('SIGTERM')
      await once(worker, 'exit')
    }
    await webA?.stop()
    await webB?.stop()
    await smtp?.close()
    await database?.close()
  }, 60_000)

  it('a session made on one process works on the other, and signing out on either ends it', async () => {
    const session = await signIn(webA, 'buyer@elm-bank.example')
    const onB = await fetch(`${webB.baseUrl}/orders`, { headers: { Cookie: session.cookie }, redirect: 'manual' })
    expect(onB.status).toBe(200)
    expect(await onB.text()).toContain('Elm Bank Primary School')
    const out = await post(webB, '/logout', session.cookie, {})
    expect(out.status).toBe(302)
    const onA = await fetch(`${webA.baseUrl}/orders`, { headers: { Cookie: session.cookie }, redirect: 'manual' })
    expect(onA.status).toBe(302)
  })

  it(`a burst of ${BURST} orders through both processes: each order once, each job run once, each email sent once`, async () => {
    const offer = await db
      .selectFrom('offers as o')
      .innerJoin('services as s', (j) => j.onRef('s.authority_id', '=', 'o.authority_id').onRef('s.id', '=', 'o.service_id'))
      .select('o.id')
      .where('s.slug', '=', 'educational-psychology')
      .where('o.name', '=', 'Educational psychologist days')
      .executeTakeFirstOrThrow()
    const buyers = await db
      .selectFrom('users as u')
      .innerJoin('user_roles as r', (j) => j.onRef('r.authority_id', '=', 'u.authority_id').onRef('r.user_id', '=', 'u.id'))
      .innerJoin('authorities as a', 'a.id', 'u.authority_id')
      .select('u.email')
      .where('a.slug', '=', 'coventry')
      .where('r.role', '=', 'school_buyer')
      .orderBy('u.email')
      .limit(BURST)
      .execute()
    expect(buyers).toHaveLength(BURST)
    const sessions = await Promise.all(buyers.map((b, i) => signIn(i % 2 ? webB : webA, b.email)))
    // What exists before the burst (the app's clock is pinned, the database's is not: compare ids, not times).
    const jobsBefore = new Set((await sql<{ id: string }>`select id from pgboss.job`.execute(db)).rows.map((r) => r.id))
    const emailsBefore = new Set((await db.selectFrom('email_messages').select('id').execute()).map((r) => r.id))

    const orderIds = await Promise.all(sessions.map((s, i) => orderOneDay(s, offer.id, `PO-SCALE-${i}`)))
    expect(new Set(orderIds).size).toBe(BURST)
    const orders = await db.selectFrom('orders').select(['id', 'status']).where('po_number', 'like', 'PO-SCALE-%').execute()
    expect(orders.map((o) => o.id).sort()).toEqual([...orderIds].sort())

    // The worker runs every job the two web processes queued, each once.
    const jobs = await waitFor('the worker to run every job', async () => {
      const rows = (await sql<{ name: string; state: string; id: string }>`select name, state, id from pgboss.job`.execute(db)).rows.filter(
        (j) => !jobsBefore.has(j.id),
      )
      return rows.some((j) => j.name === 'send-email') && rows.every((j) => j.state === 'completed') && rows
    })
    expect(new Set(jobs.map((j) => j.id)).size).toBe(jobs.length)

    // Every email made since the burst began reached the mail server exactly once.
    const sent = await waitFor('every email to be sent', async () => {
      const rows = (await db.selectFrom('email_messages').select(['id', 'status']).execute()).filter((r) => !emailsBefore.has(r.id))
      return rows.length >= BURST && rows.every((r) => r.status === 'sent') && rows
    })
    const messageIds = smtp.messages.map((m) => m.messageId)
    expect(new Set(messageIds).size).toBe(messageIds.length)
    expect(smtp.messages.length).toBe(sent.length)
    console.info(
      `Scale-out: ${BURST} orders through 2 web processes, ${jobs.length} jobs run once each by 1 worker, ${smtp.messages.length} emails sent once each`,
    )
  })
})
