import { clock } from '../../utils/clock'
import type Stripe from 'stripe'
import type { DB } from '../../../db/connection'
import { ukDate } from '../../domain/dates'
import { matchPayoutTransactions, type BalanceTransaction } from '../../domain/invoicing'
import { getEnv } from '../../utils/env.server'
import { advisoryLock } from '../../utils/locks.server'
import { getStripe } from '../../utils/stripe.server'

/**
 * Stripe payouts to the authority's bank, reconciled against the payments
 * they settled (docs/decisions/0009). The webhook queues a payout
 * (stripe-events.server.ts); the stripe-reconcile-payout job runs
 * reconcilePayout.
 */

/**
 * Records a payout and matches each of its balance transactions to the
 * payment it settled (by payment intent). Run by the
 * `stripe-reconcile-payout` job; safe to run again (rows are keyed by
 * Stripe's ids).
 */
export async function reconcilePayout(db: DB, payoutId: string): Promise<{ matched: number; unmatched: number }> {
  const stripe = getStripe()
  const payout = await stripe.payouts.retrieve(payoutId)
  const transactions: BalanceTransaction[] = []
  const descriptions = new Map<string, string | null>()
  for await (const t of stripe.balanceTransactions.list({ payout: payoutId, limit: 100, expand: ['data.source'] })) {
    const source = t.source
    let paymentIntentId: string | null = null
    if (source && typeof source === 'object' && 'object' in source && source.object === 'charge') {
      const pi = (source as Stripe.Charge).payment_intent
      paymentIntentId = typeof pi === 'string' ? pi : (pi?.id ?? null)
    }
    transactions.push({ id: t.id, type: t.type, amountPence: t.amount, feePence: t.fee, netPence: t.net, paymentIntentId })
    descriptions.set(t.id, t.description ?? null)
  }
  return savePayout(db, {
    stripePayoutId: payout.id,
    amountPence: payout.amount,
    arrivalDate: ukDate(new Date(payout.arrival_date * 1000)),
    status: payout.status,
    transactions,
    descriptions,
  })
}

/** Stores a payout and its transactions, matched to payments (exported for the benchmark). */
export async function savePayout(
  db: DB,
  input: {
    stripePayoutId: string
    amountPence: number
    arrivalDate: string
    status: string
    transactions: BalanceTransaction[]
    descriptions?: ReadonlyMap<string, string | null>
  },
): Promise<{ matched: number; unmatched: number }> {
  return db.transaction().execute(async (trx) => {
    const intents = [...new Set(input.transactions.map((t) => t.paymentIntentId).filter((x): x is string => x !== null))]
    const payments: { id: string; authority_id: string; stripe_payment_intent_id: string | null }[] = []
    for (let i = 0; i < intents.length; i += 5000) {
      payments.push(
        ...(await trx
          .selectFrom('payments')
          .select(['id', 'authority_id', 'stripe_payment_intent_id'])
          .where('stripe_payment_intent_id', 'in', intents.slice(i, i + 5000))
          .execute()),
      )
    }
    const byIntent = new Map(payments.map((p) => [p.stripe_payment_intent_id as string, p.id]))
    const result = matchPayoutTransactions(input.transactions, byIntent)
    // Whose payout: the authority whose payments it settled (one Stripe
    // account per authority), or the default authority when none matched.
    const counts = new Map<string, number>()
    for (const p of payments) counts.set(p.authority_id, (counts.get(p.authority_id) ?? 0) + 1)
    // A payout saved before keeps its authority (unique per authority,
    // migration 0020); one reconciliation of a payout at a time.
    await advisoryLock(trx, `stripe payout:${input.stripePayoutId}`)
    const earlier = await trx
      .selectFrom('stripe_payouts')
      .select('authority_id')
      .where('stripe_payout_id', '=', input.stripePayoutId)
      .executeTakeFirst()
    let authorityId = earlier?.authority_id ?? [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0]
    if (!authorityId) {
      const fallback = await trx.selectFrom('authorities').select('id').where('slug', '=', getEnv().DEFAULT_AUTHORITY).executeTakeFirstOrThrow()
      authorityId = fallback.id
    }
    const saved = await trx
      .insertInto('stripe_payouts')
      .values({
        authority_id: authorityId,
        stripe_payout_id: input.stripePayoutId,
        amount_pence: input.amountPence,
        arrival_date: input.arrivalDate,
        status: input.status,
        reconciled_at: clock.now(),
      })
      .onConflict((oc) => oc.columns(['authority_id', 'stripe_payout_id']).doUpdateSet({ status: input.status, reconciled_at: clock.now() }))
      .returning(['id', 'authority_id'])
      .executeTakeFirstOrThrow()
    const paymentById = new Map(result.matches.map((m) => [m.transactionId, m.paymentId]))
    const rows = input.transactions.map((t) => ({
      authority_id: saved.authority_id,
      payout_id: saved.id,
      balance_transaction_id: t.id,
      type: t.type,
      amount_pence: t.amountPence,
      fee_pence: t.feePence,
      net_pence: t.netPence,
      payment_intent_id: t.paymentIntentId,
      description: input.descriptions?.get(t.id) ?? null,
      payment_id: paymentById.get(t.id) ?? null,
    }))
    for (let i = 0; i < rows.length; i += 2000) {
      await trx
        .insertInto('stripe_payout_transactions')
        .values(rows.slice(i, i + 2000))
        .onConflict((oc) =>
          oc.columns(['authority_id', 'balance_transaction_id']).doUpdateSet((eb) => ({ payment_id: eb.ref('excluded.payment_id') })),
        )
        .execute()
    }
    const matchedIds = result.matches.filter((m) => m.paymentId).map((m) => m.paymentId as string)
    for (let i = 0; i < matchedIds.length; i += 5000) {
      await trx
        .updateTable('payments')
        .set({ stripe_payout_id: input.stripePayoutId })
        .where('authority_id', '=', saved.authority_id)
        .where('id', 'in', matchedIds.slice(i, i + 5000))
        .execute()
    }
    return { matched: result.matched, unmatched: result.unmatched }
  })
}
