import { describe, expect, it } from 'vitest'
import { MAX_FAILURES_PER_ACCOUNT, MAX_FAILURES_PER_ADDRESS, signInThrottle } from '~/domain/sign-in-throttle'

const now = new Date('2026-11-22T10:00:00Z')
const minutesAgo = (...m: number[]) => m.map((n) => new Date(now.getTime() - n * 60_000))

describe('slowing down password guessing', () => {
  it('allows sign-in after fewer than 5 failures for the account in 15 minutes', () => {
    expect(signInThrottle({ now, accountFailures: minutesAgo(1, 2, 3, 4), addressFailures: [] })).toEqual({ allowed: true })
  })

  it('refuses the account after 5 failures in 15 minutes, until the oldest of them is 15 minutes old', () => {
    const decision = signInThrottle({ now, accountFailures: minutesAgo(1, 2, 3, 4, 10), addressFailures: [] })
    expect(decision).toMatchObject({ allowed: false, retryAfterMinutes: 5 })
    expect(decision.allowed || decision.reason).toMatch(/too many times\. Wait 5 minutes/)
    expect(MAX_FAILURES_PER_ACCOUNT).toBe(5)
  })

  it('forgets failures older than 15 minutes', () => {
    expect(signInThrottle({ now, accountFailures: minutesAgo(1, 2, 16, 20, 30, 40), addressFailures: [] })).toEqual({
      allowed: true,
    })
  })

  it('says "1 minute" when the wait is under a minute', () => {
    const decision = signInThrottle({ now, accountFailures: minutesAgo(1, 2, 3, 4, 14.5), addressFailures: [] })
    expect(decision.allowed || decision.reason).toMatch(/Wait 1 minute and/)
  })

  it('refuses a network address after 20 failures across accounts in 15 minutes', () => {
    const many = minutesAgo(...Array.from({ length: MAX_FAILURES_PER_ADDRESS }, (_, i) => i * 0.5))
    const decision = signInThrottle({ now, accountFailures: [], addressFailures: many })
    expect(decision.allowed || decision.reason).toMatch(/too many attempts to sign in from your network/)
  })

  it('applies the same limit to an address nobody has, so the answer reveals nothing', () => {
    const unknown = signInThrottle({ now, accountFailures: minutesAgo(1, 2, 3, 4, 5), addressFailures: [] })
    expect(unknown.allowed).toBe(false)
  })
})
