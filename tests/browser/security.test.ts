import { readdirSync, readFileSync } from 'node:fs'
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
