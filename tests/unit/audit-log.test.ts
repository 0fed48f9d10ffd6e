import { describe, expect, it } from 'vitest'
import { actionInWords, actionKind, detailsSummary, redactDetails } from '~/domain/audit-log'

describe('the audit log never shows a secret', () => {
  it('drops keys naming tokens, passwords, links, keys and hashes, at any depth', () => {
    expect(
      redactDetails({
        email: 'a@b.example',
        tokenId: 'x',
        resetToken: 'y',
        password: 'hunter2',
        setPasswordUrl: 'https://x',
        idempotencyKey: 'k',
        nested: { passwordHash: 'h', kept: 1, list: [{ token: 't', n: 2 }] },
      }),
    ).toEqual({ email: 'a@b.example', nested: { kept: 1, list: [{ n: 2 }] } })
  })

  it('hides values that look like a link or carry a token', () => {
    expect(redactDetails({ note: 'see https://example.com/set-password?token=abc', other: 'token=abc', plain: 'fine' })).toEqual({
      note: '[hidden]',
      other: '[hidden]',
      plain: 'fine',
    })
  })
})

describe('detailsSummary', () => {
  it('reads changes as from → to, and lists plain values', () => {
    expect(detailsSummary({ tradingYear: 2026, changes: { pupil_count: { from: 300, to: 310 } }, ids: ['a', 'b'], empty: [] })).toBe(
      'tradingYear: 2026; changes.pupil_count: 300 → 310; ids: a, b',
    )
  })

  it('shows a change from nothing, and keeps within its length', () => {
    expect(detailsSummary({ targets: [{ serviceId: 'u', service: 'EP', from: null, to: 100 }], promotedLineIds: ['l1'] })).toBe('EP: none → 100')
    expect(detailsSummary({ reason: 'x'.repeat(500) }, 50)).toHaveLength(50)
  })
})

describe('actions in words', () => {
  it('names the known ones, spells out the rest, and has a kind', () => {
    expect(actionInWords('targets.saved')).toBe('Saved targets and team figures')
    expect(actionInWords('offer.retired')).toBe('Offer retired')
    expect(actionKind('invoice.written_off')).toBe('invoice')
    expect(actionKind('sign_out')).toBe('sign_out')
  })
})
