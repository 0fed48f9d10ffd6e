import Stripe from 'stripe'
import { getEnv } from './env.server'

/**
 * Stripe, for academies' invoices (docs/decisions/0009). Every call
 * is made from a job (app/jobs/stripe-*.server.ts) with our own idempotency
 * key, never from a request. The client uses Stripe's fetch HTTP client so
 * that msw (tests/mocks/stripe.ts) sees its calls in tests and with
 * MOCKS=true.
 *
 * Without STRIPE_SECRET_KEY, academy invoices are issued here only, finance
 * is told that Stripe is not configured, and payments are recorded by hand.
 */

export type StripeSettings = { secretKey: string; webhookSecret: string | null; timeoutMs: number }

/** The key and secret used with MOCKS=true when none are given. */
export const MOCK_STRIPE_SETTINGS = { secretKey: 'sk_test_buyback_mocks', webhookSecret: 'whsec_buyback_mocks' } as const

let override: StripeSettings | null | undefined
let cached: { settings: StripeSettings; client: Stripe } | undefined

/** Stripe's settings from the environment, or null when Stripe is not configured. */
export function stripeSettings(): StripeSettings | null {
  if (override !== undefined) return override
  const env = getEnv()
  const timeoutMs = env.STRIPE_TIMEOUT_MS
  if (env.STRIPE_SECRET_KEY) return { secretKey: env.STRIPE_SECRET_KEY, webhookSecret: env.STRIPE_WEBHOOK_SECRET ?? null, timeoutMs }
  if (env.MOCKS) return { ...MOCK_STRIPE_SETTINGS, webhookSecret: env.STRIPE_WEBHOOK_SECRET ?? MOCK_STRIPE_SETTINGS.webhookSecret, timeoutMs }
  return null
}

export function isStripeConfigured(): boolean {
  return stripeSettings() !== null
}

/** The Stripe client. Throws when Stripe is not configured (callers check isStripeConfigured first). */
export function getStripe(): Stripe {
  const settings = stripeSettings()
  if (!settings) throw new Error('Stripe is not configured: set STRIPE_SECRET_KEY')
  if (cached && cached.settings === settings) return cached.client
  const client = new Stripe(settings.secretKey, {
    httpClient: Stripe.createFetchHttpClient(),
    timeout: settings.timeoutMs,
    // The job queue retries (with backoff, for hours); Stripe's own client
    // tries once more at once, with the same idempotency key.
    maxNetworkRetries: 1,
    appInfo: { name: 'Buyback' },
  })
  cached = { settings, client }
  return client
}

/**
 * Tests only: use these settings instead of the environment's (null: Stripe
 * not configured; undefined: back to the environment).
 */
export function setStripeSettingsForTests(settings: StripeSettings | null | undefined): void {
  override = settings
  cached = undefined
}
