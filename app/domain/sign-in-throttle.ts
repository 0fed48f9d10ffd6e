/**
 * Slowing down password guessing. Pure rules; the caller counts the failed
 * attempts in the window.
 *
 * - An account (an email address, whether or not anyone has it, so the answer
 *   never reveals which exist) may fail 5 times in 15 minutes; then sign-in to
 *   it waits until the oldest of those failures is 15 minutes old.
 * - A network address may fail 20 times in 15 minutes across all accounts.
 */
export const THROTTLE_WINDOW_MINUTES = 15
export const MAX_FAILURES_PER_ACCOUNT = 5
export const MAX_FAILURES_PER_ADDRESS = 20

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterMinutes: number; reason: string }

export function signInThrottle(input: {
  now: Date
  /** Times of this email address's failed attempts in the window, newest first. */
  accountFailures: Date[]
  /** Times of this network address's failed attempts in the window, newest first. */
  addressFailures: Date[]
}): ThrottleDecision {
  const windowMs = THROTTLE_WINDOW_MINUTES * 60_000
  const recent = (times: Date[]) => times.filter((t) => input.now.getTime() - t.getTime() < windowMs)
  const wait = (times: Date[], limit: number) => {
    const oldestCounted = recent(times).slice(0, limit).at(-1)!
    return Math.max(1, Math.ceil((oldestCounted.getTime() + windowMs - input.now.getTime()) / 60_000))
  }
  const account = recent(input.accountFailures)
  if (account.length >= MAX_FAILURES_PER_ACCOUNT) {
    const minutes = wait(account, MAX_FAILURES_PER_ACCOUNT)
    return {
      allowed: false,
      retryAfterMinutes: minutes,
      reason: `You have tried to sign in too many times. Wait ${minutes} ${minutes === 1 ? 'minute' : 'minutes'} and try again, or reset your password.`,
    }
  }
  const address = recent(input.addressFailures)
  if (address.length >= MAX_FAILURES_PER_ADDRESS) {
    const minutes = wait(address, MAX_FAILURES_PER_ADDRESS)
    return {
      allowed: false,
      retryAfterMinutes: minutes,
      reason: `There have been too many attempts to sign in from your network. Wait ${minutes} ${minutes === 1 ? 'minute' : 'minutes'} and try again.`,
    }
  }
  return { allowed: true }
}
