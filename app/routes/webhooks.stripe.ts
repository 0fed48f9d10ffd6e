import type { ActionFunctionArgs } from '@remix-run/node'
import type Stripe from 'stripe'
import { receiveStripeEvent } from '~/models/billing/stripe-events.server'
import { getDb } from '~/utils/db.server'
import { getStripe, stripeSettings } from '~/utils/stripe.server'

/**
 * Stripe's webhook endpoint (docs/product.md). The signature is checked against
 * STRIPE_WEBHOOK_SECRET over the raw body (400 when it does not match);
 * each event is then stored and applied exactly once
 * (app/models/stripe-events.server.ts). It has no loader: a GET gets 405.
 */

const plain = (status: number, text: string) =>
  new Response(text, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } })

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== 'POST') return plain(405, 'Stripe sends events here with POST.')
  const signature = request.headers.get('stripe-signature')
  if (!signature) return plain(400, 'Missing Stripe-Signature header.')
  const settings = stripeSettings()
  if (!settings?.webhookSecret) return plain(503, 'Stripe webhooks are not configured here (STRIPE_WEBHOOK_SECRET).')
  const payload = await request.text()
  let event: Stripe.Event
  try {
    event = await getStripe().webhooks.constructEventAsync(payload, signature, settings.webhookSecret)
  } catch {
    return plain(400, 'The signature does not match this endpoint’s secret.')
  }
  const result = await receiveStripeEvent(await getDb(), event)
  return Response.json({ received: true, duplicate: result.duplicate, outcome: result.outcome }, { headers: { 'Cache-Control': 'no-store' } })
}
