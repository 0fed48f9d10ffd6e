import { setupServer } from 'msw/node'
import { stripeHandlers } from './stripe'

/**
 * MOCKS=true (development only): answer Stripe's API in this process with the
 * same msw handlers the tests use, so that academies' invoices can be followed
 * through the Stripe route without a Stripe account. Other requests pass
 * through untouched.
 */
export function startMocks(): void {
  const server = setupServer(...stripeHandlers)
  server.listen({ onUnhandledFrame: 'bypass' })
  console.info('MOCKS=true: Stripe’s API is answered here by tests/mocks/stripe.ts; nothing reaches Stripe.')
}
