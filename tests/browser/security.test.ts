import { readdirSync, readFileSync } from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { baseUrl, chromiumPath } from '../support/browser'

describe.skipIf(!chromiumPath)('security basics of the served app', () => {
  it('pages carry a strict Content Security Policy and the other security headers', async () => {
    const response = await fetch(`${baseUrl}/login`)
    const csp = response.headers.get('Content-Security-Policy') ?? ''
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}'/)
    expect(response.headers.get('X-Frame-Options')).toBe('DENY')
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff')
    expect(response.headers.get('Referrer-Policy')).toBe('strict-origin-when-cross-origin')
    expect(response.headers.get('X-Powered-By')).toBeNull()
    // Every inline script carries this response's nonce.
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]
    const html = await response.text()
    const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)]
    expect(inline.length).toBeGreaterThan(0)
    for (const [, attributes] of inline) expect(attributes).toContain(`nonce="${nonce}"`)
  })

  it('each response gets a new nonce', async () => {
    const a = (await fetch(`${baseUrl}/`)).headers.get('Content-Security-Policy')
    const b = (await fetch(`${baseUrl}/`)).headers.get('Content-Security-Policy')
    expect(a).not.toBe(b)
  })

  it('no server secret or server-only code reaches the browser bundle', () => {
    const dir = path.join(process.cwd(), 'public/build')
    const files: string[] = []
    const walk = (d: string) => {
      for (const entry of readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, entry.name)
        if (entry.isDirectory()) walk(full)
        else if (entry.name.endsWith('.js')) files.push(full)
      }
    }
    walk(dir)
    expect(files.length).toBeGreaterThan(0)
    const bundle = files.map((f) => readFileSync(f, 'utf8')).join('\n')
    // Server-only code (configuration reads, password hashing, the database,
    // the job queue, mail) and the demo password never reach the browser.
    for (const marker of ['process.env', 'password_hash', 'token_hash', 'argon2', 'demo-password-2026', 'pg-boss', 'nodemailer', 'kysely']) {
      expect(bundle.includes(marker), `"${marker}" is in the browser bundle`).toBe(false)
    }
  })
})

/** One request over `agent` (keep-alive, one socket), answered with its status, headers, body and whether the socket was reused. */
function send(agent: http.Agent, method: string, path: string, headers: Record<string, string>, body?: Buffer | string) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string; reused: boolean }>((resolve, reject) => {
    const url = new URL(path, baseUrl)
    const req = http.request(url, { method, headers, agent }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (text += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, reused: req.reusedSocket }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

describe.skipIf(!chromiumPath)('bad requests get a clear 4xx, never a 500 (issue 18)', () => {
  const origin = new URL(baseUrl).origin
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })

  it('JSON and plain text posted to an action get 415; a broken multipart body 400', async () => {
    const json = await send(agent, 'POST', '/login', { 'Content-Type': 'application/json', Origin: origin }, '{"email":"a"}')
    expect(json.status).toBe(415)
    expect(json.text).toContain('web forms only')
    const text = await send(agent, 'POST', '/basket', { 'Content-Type': 'text/plain', Origin: origin }, 'hello')
    expect(text.status).toBe(415)
    const broken = await send(agent, 'POST', '/login', { 'Content-Type': 'multipart/form-data; boundary=xyz', Origin: origin }, '--xyz\r\nnot a part')
    expect(broken.status).toBe(400)
    const noBoundary = await send(agent, 'POST', '/login', { 'Content-Type': 'multipart/form-data', Origin: origin }, 'x')
    expect(noBoundary.status).toBe(400)
    const nul = await send(
      agent,
      'POST',
      '/forgot-password',
      { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin },
      'email=a%00b%40x.example',
    )
    expect(nul.status).toBe(400)
    expect(nul.text).toContain('NUL')
  })

  it('a 2 MB form gets 413 and the connection serves the next request', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 'a')
    const answer = await send(
      agent,
      'POST',
      '/login',
      { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin },
      Buffer.concat([Buffer.from('email='), big]),
    )
    expect(answer.status).toBe(413)
    expect(answer.text).toContain('at most 1 MB')
    const next = await send(agent, 'GET', '/livez', {})
    expect(next.status).toBe(200)
    expect(next.reused).toBe(true)
  })

  it('a form posted from another site gets 403 with a page, and changes nothing', async () => {
    const answer = await send(
      agent,
      'POST',
      '/login',
      { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' },
      'email=buyer%40elm-bank.example&password=demo-password-2026',
    )
    expect(answer.status).toBe(403)
    expect(answer.text).toContain('This form was sent from another site')
    expect(answer.headers['set-cookie']).toBeUndefined()
  })

  it('GET /logout asks rather than signing out', async () => {
    const login = await send(
      agent,
      'POST',
      '/login',
      { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin },
      'email=buyer%40elm-bank.example&password=demo-password-2026&redirectTo=',
    )
    expect(login.status).toBe(302)
    const cookie = String(login.headers['set-cookie']?.[0]).split(';')[0]!
    const ask = await send(agent, 'GET', '/logout', { Cookie: cookie })
    expect(ask.status).toBe(200)
    expect(ask.text).toContain('<h1 class="govuk-heading-l">Sign out</h1>')
    const still = await send(agent, 'GET', '/orders', { Cookie: cookie })
    expect(still.status).toBe(200)
    const out = await send(agent, 'POST', '/logout', { Cookie: cookie, Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' }, '')
    expect(out.status).toBe(302)
    const after = await send(agent, 'GET', '/orders', { Cookie: cookie })
    expect(after.status).toBe(302)
  })

  it('static files, /healthz and the webhook carry the security headers; the webhook answers GET with 405', async () => {
    const page = await send(agent, 'GET', '/services', {})
    const stylesheet = /<link rel="stylesheet" href="(\/build\/_assets\/app-[A-Z0-9]+\.css)"/.exec(page.text)?.[1]
    expect(stylesheet, 'the stylesheet is served under a name holding its hash').toBeDefined()
    const css = await send(agent, 'GET', stylesheet!, {})
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    const image = await send(agent, 'GET', '/assets/images/icon-close-cross-black.svg', {})
    expect(image.status, 'an image the stylesheet names').toBe(200)
    for (const path of [stylesheet!, '/assets/images/govuk-crest.svg', '/favicon.svg', '/healthz', '/livez']) {
      const answer = await send(agent, 'GET', path, {})
      expect(answer.status, path).toBe(200)
      expect(answer.headers['content-security-policy'], path).toContain("default-src 'self'")
      expect(answer.headers['x-content-type-options'], path).toBe('nosniff')
      expect(answer.headers['x-frame-options'], path).toBe('DENY')
    }
    const get = await send(agent, 'GET', '/webhooks/stripe', {})
    expect(get.status).toBe(405)
    expect(get.headers.allow).toBe('POST')
  })
})
