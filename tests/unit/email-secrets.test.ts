import { describe, expect, it } from 'vitest'
import { HIDDEN_LINK, hasSecretLinks, redactHtml, redactText } from '~/domain/email-secrets'

describe('hiding secret links from everyone but their recipient', () => {
  it('knows which templates carry secrets', () => {
    expect(hasSecretLinks('password-reset')).toBe(true)
    expect(hasSecretLinks('invitation')).toBe(true)
    expect(hasSecretLinks('order-confirmed')).toBe(false)
  })

  it('hides every token link in text, keeping other links and the punctuation after them', () => {
    const text = 'Choose a password: https://buyback.example/set-password?token=Ab_9-z. Orders: https://buyback.example/orders/1'
    expect(redactText(text)).toBe(`Choose a password: ${HIDDEN_LINK}. Orders: https://buyback.example/orders/1`)
    expect(redactText('token=abc and ?x=1&token=def')).not.toMatch(/abc|def/)
  })

  it('hides token links in HTML attributes (either quote, escaped ampersands) and text', () => {
    const html = [
      `<a href="https://b.example/reset-password?token=one" class="button">Reset your password</a>`,
      `<a href='https://b.example/x?y=1&amp;token=two'>https://b.example/x?y=1&amp;token=two</a>`,
      `<a href="https://b.example/orders/1">Order</a>`,
    ].join('')
    const out = redactHtml(html)
    expect(out).not.toMatch(/one|two/)
    expect(out).toContain(`href="#link-hidden"`)
    expect(out).toContain(`href='#link-hidden'`)
    expect(out).toContain('https://b.example/orders/1')
    expect(out).toContain('Reset your password')
  })
})
