import type { ActionFunctionArgs } from '@remix-run/node'
import type Stripe from 'stripe'
import { keepMalformedStripeEvent, receiveStripeEvent } from '~/models/billing/stripe-events.server'
import { malformedStripeEvent } from '~/schemas/stripe-events'
import { getDb } from '~/utils/db.server'
import { getEnv } from '~/utils/env.server'
import { getStripe, stripeSettings } from '~/utils/stripe.server'

/**
 * Stripe's webhook endpoint (docs/product.md). The signature is checked against
 * STRIPE_WEBHOOK_SECRET over the raw body (400 when it does not match); a
 * signed event that is not fit to apply is kept and refused with 400
 * (decision 0032); each good event is then stored and applied exactly once
 * (app/models/billing/stripe-events.server.ts). A GET gets 405. The body's
 * size is limited before it is read (app/utils/request-guard.ts).
 */

const plain = (status: number, text: string, headers: Record<string, string> = {}) =>
  new Response(`${text}\n`, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers } })

export function loader() {
  return plain(405, 'Stripe sends events here with POST.', { Allow: 'POST' })
}

/** What is missing for webhooks to work here, naming the setting to add; null when nothing is. */
function missingConfiguration(): string | null {
  const env = getEnv()
  const settings = stripeSettings()
  if (!settings && env.STRIPE_WEBHOOK_SECRET)
    return 'Stripe webhooks are not set up here: STRIPE_SECRET_KEY is missing (STRIPE_WEBHOOK_SECRET alone is not enough).'
  if (!settings) return 'Stripe is not set up here: set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET.'
  if (!settings.webhookSecret) return 'Stripe webhooks are not set up here: STRIPE_WEBHOOK_SECRET is missing.'
  return null
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== 'POST') return plain(405, 'Stripe sends events here with POST.', { Allow: 'POST' })
  const signature = request.headers.get('stripe-signature')
  if (!signature) return plain(400, 'Missing Stripe-Signature header.')
  const missing = missingConfiguration()
  if (missing) return plain(503, missing)
  const payload = await request.text()
  let event: Stripe.Event
  try {
    event = await getStripe().webhooks.constructEventAsync(payload, signature, stripeSettings()!.webhookSecret!)
  } catch (error) {
    if ((error as { type?: string }).type === 'StripeSignatureVerificationError')
      return plain(400, 'The signature does not match this endpoint’s secret.')
    // Signed, but not JSON.
    await keepMalformedStripeEvent(await getDb(), payload, 'not JSON')
    return plain(400, 'The event is signed but is not JSON. It was kept and not applied.')
  }
  const malformed = malformedStripeEvent(event)
  if (malformed) {
    await keepMalformedStripeEvent(await getDb(), payload, malformed)
    return plain(400, `The event is signed but malformed (${malformed}). It was kept and not applied.`)
  }
  const result = await receiveStripeEvent(await getDb(), event)
  return Response.json({ received: true, duplicate: result.duplicate, outcome: result.outcome }, { headers: { 'Cache-Control': 'no-store' } })
}
