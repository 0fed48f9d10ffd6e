import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, inject, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed/factories'
import { chromiumPath } from '../support/browser'

// What the app server logged while every other browser test used it (this
// file runs last: tests/support/sequencer.ts), read as its operators would:
// one JSON line per request with its id, status, time and who made it, and
// never a secret (issue 18, decision 0032).

type Line = {
  level: number
  msg: string
  req?: { id: string; method: string; url: string }
  res?: { statusCode: number }
  responseTime?: number
  userId?: string | null
  authorityId?: string | null
}

describe.skipIf(!chromiumPath)('the app server’s logs after the browser tests', () => {
  const file = inject('serverLog')
  const text = file ? readFileSync(file, 'utf8') : ''
  // Node's own process warnings ("(node:123) Warning: …") are the only lines that may not be JSON.
  const lines = text.split('\n').filter((l) => l && !l.startsWith('(node:') && !l.startsWith('(Use `node --trace'))

  it('are JSON, one line per request, with a request id, status, time, and the user and authority when signed in', () => {
    const parsed = lines.map((l) => JSON.parse(l) as Line)
    const requests = parsed.filter((l) => l.req)
    expect(requests.length).toBeGreaterThan(200)
    for (const r of requests) {
      expect(r.req!.id).toMatch(/^[0-9a-f-]{36}$/)
      // A request the client gave up on before any answer was written has no status, and says so.
      if (r.res?.statusCode === null) expect(r.msg).toBe('request aborted')
      else expect(typeof r.res?.statusCode).toBe('number')
      expect(typeof r.responseTime).toBe('number')
    }
    const ids = requests.map((r) => r.req!.id)
    expect(new Set(ids).size).toBe(ids.length)
    // /orders answers 200 only to someone signed in: each such line names them.
    // (A request the browser gave up on is logged before it finished, without them.)
    const orders = requests.filter(
      (r) => r.req!.url.startsWith('/orders') && r.req!.method === 'GET' && r.res!.statusCode === 200 && r.msg !== 'request aborted',
    )
    expect(orders.length).toBeGreaterThan(0)
    for (const r of orders) expect(r.userId, `${r.req!.url}: ${r.msg}`).toMatch(/^[0-9a-f-]{36}$/)
    const signedIn = requests.filter((r) => r.userId)
    expect(signedIn.length).toBeGreaterThan(10)
    for (const r of signedIn) expect(r.authorityId).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('never hold a password, a session cookie or a link token sent by email', () => {
    expect(text.length).toBeGreaterThan(0)
    expect(text).not.toContain(DEMO_PASSWORD)
    expect(text).not.toMatch(/buyback_session=/)
    expect(text).not.toMatch(/\$argon2/)
    const mailDir = inject('mailDir')
    const tokens = readdirSync(mailDir)
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) => [...(JSON.parse(readFileSync(path.join(mailDir, f), 'utf8')) as { text: string }).text.matchAll(/token=([A-Za-z0-9_-]{16,})/g)])
      .map((m) => m[1]!)
    expect(tokens.length).toBeGreaterThan(0)
    for (const token of tokens) expect(text.includes(token), `a token sent by email is in the log`).toBe(false)
  })
})
