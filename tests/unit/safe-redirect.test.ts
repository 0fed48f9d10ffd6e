import { describe, expect, it } from 'vitest'
import { safeRedirect } from '~/utils/auth.server'

describe('where sign-in may send people back to', () => {
  it('keeps addresses on this site', () => {
    expect(safeRedirect('/orders/123?tab=lines')).toBe('/orders/123?tab=lines')
  })

  it('refuses other sites and tricks', () => {
    for (const bad of ['//evil.example', 'https://evil.example', '/\\evil.example', 'javascript:alert(1)', '', null, '/a\nb']) {
      expect(safeRedirect(bad, '/fallback')).toBe('/fallback')
    }
  })
})

describe('where sign-in may send people back to, with any characters', () => {
  it('percent-encodes characters a Location header cannot carry', () => {
    expect(safeRedirect('/orders?q=☃')).toBe('/orders?q=%E2%98%83')
    expect(safeRedirect('/services/caf\u00e9')).toBe('/services/caf%C3%A9')
  })

  it('refuses a path that resolves to another site or holds a control character', () => {
    for (const bad of ['/\t/evil.example', '/a\u007fb', '\u2603']) expect(safeRedirect(bad, '/fallback')).toBe('/fallback')
  })
})
