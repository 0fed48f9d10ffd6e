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
