import { getEnv } from './env.server'

/**
 * Headers every page and data response carries: a strict Content Security
 * Policy (scripts only from this site or with this response's nonce; no
 * framing), no MIME sniffing, a conservative referrer policy.
 */
export function setSecurityHeaders(headers: Headers, nonce?: string): void {
  const env = getEnv()
  const dev = env.NODE_ENV === 'development'
  const csp = [
    "default-src 'self'",
    `script-src 'self'${nonce ? ` 'nonce-${nonce}'` : ''}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${dev ? ' ws://localhost:*' : ''}`,
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "object-src 'none'",
  ].join('; ')
  headers.set('Content-Security-Policy', csp)
  headers.set('X-Frame-Options', 'DENY')
  headers.set('X-Content-Type-Options', 'nosniff')
  headers.set('Referrer-Policy', 'strict-origin-when-cross-origin')
  headers.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()')
  headers.set('Cross-Origin-Opener-Policy', 'same-origin')
  if (env.COOKIE_SECURE) headers.set('Strict-Transport-Security', 'max-age=31536000; includeSubDomains')
}
