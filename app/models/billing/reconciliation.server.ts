import { sql } from 'kysely'
import type { DB } from '../../../db/connection'
import { outstandingPence } from '../../domain/invoicing'
import type { OpenInvoice } from './payments.server'

/**
 * Reconciliation (docs/product.md Payment: "Reconciliation matches payments to
 * invoices; what does not match is listed for finance to resolve"): Stripe
 * payouts and their balance transactions, matched to payments (and so to
 * invoices) by the payout job, and what is left unmatched.
 */

export type PayoutSummary = {
  id: string
  stripePayoutId: string
  arrivalDate: string
  status: string
  amountPence: number
  reconciledAt: Date | null
  transactionCount: number
  matchedCount: number
  matchedPence: number
  unmatchedCount: number
  unmatchedPence: number
}

/** The authority's payouts, newest first (the latest 100). */
export async function listPayouts(db: DB, authorityId: string, payoutId?: string): Promise<PayoutSummary[]> {
  const rows = await db
    .selectFrom('stripe_payouts as po')
    .leftJoin('stripe_payout_transactions as t', (j) => j.onRef('t.authority_id', '=', 'po.authority_id').onRef('t.payout_id', '=', 'po.id'))
    .select([
      'po.id',
      'po.stripe_payout_id',
      'po.arrival_date',
      'po.status',
      'po.amount_pence',
      'po.reconciled_at',
      sql<number>`count(t.balance_transaction_id) filter (where t.type <> 'payout')::int`.as('transaction_count'),
      sql<number>`count(t.payment_id)::int`.as('matched_count'),
      sql<number>`coalesce(sum(t.amount_pence) filter (where t.payment_id is not null), 0)::bigint`.as('matched_pence'),
      sql<number>`count(t.balance_transaction_id) filter (where t.payment_id is null and t.type <> 'payout')::int`.as('unmatched_count'),
      sql<number>`coalesce(sum(t.amount_pence) filter (where t.payment_id is null and t.type <> 'payout'), 0)::bigint`.as('unmatched_pence'),
    ])
    .where('po.authority_id', '=', authorityId)
    .$if(payoutId !== undefined, (q) => q.where('po.id', '=', payoutId as string))
    .groupBy(['po.authority_id', 'po.id'])
    .orderBy('po.arrival_date', 'desc')
    .orderBy('po.created_at', 'desc')
    .limit(100)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    stripePayoutId: r.stripe_payout_id,
    arrivalDate: r.arrival_date,
    status: r.status,
    amountPence: r.amount_pence,
    reconciledAt: r.reconciled_at,
    transactionCount: r.transaction_count,
    matchedCount: r.matched_count,
    matchedPence: Number(r.matched_pence),
    unmatchedCount: r.unmatched_count,
    unmatchedPence: Number(r.unmatched_pence),
  }))
}

export type PayoutTransaction = {
  balanceTransactionId: string
  type: string
  description: string | null
  paymentIntentId: string | null
  amountPence: number
  feePence: number
  netPence: number
  payment: { id: string; receivedOn: string; schoolName: string | null } | null
  invoices: { id: string; number: string; amountPence: number }[]
}

function transactionsQuery(db: DB, authorityId: string) {
  return db
    .selectFrom('stripe_payout_transactions as t')
    .leftJoin('payments as p', (j) => j.onRef('p.authority_id', '=', 't.authority_id').onRef('p.id', '=', 't.payment_id'))
    .leftJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'p.authority_id').onRef('s.id', '=', 'p.school_id'))
    .select([
      't.balance_transaction_id',
      't.payout_id',
      't.type',
      't.description',
      't.payment_intent_id',
      't.amount_pence',
      't.fee_pence',
      't.net_pence',
      't.payment_id',
      'p.received_on',
      's.name as school_name',
    ])
    .where('t.authority_id', '=', authorityId)
}

async function withInvoices(
  db: DB,
  authorityId: string,
  rows: Awaited<ReturnType<ReturnType<typeof transactionsQuery>['execute']>>,
): Promise<PayoutTransaction[]> {
  const paymentIds = [...new Set(rows.map((r) => r.payment_id).filter((id): id is string => id !== null))]
  const allocations = paymentIds.length
    ? await db
        .selectFrom('payment_allocations as pa')
        .innerJoin('invoices as i', (j) => j.onRef('i.authority_id', '=', 'pa.authority_id').onRef('i.id', '=', 'pa.invoice_id'))
        .select(['pa.payment_id', 'i.id', 'i.number', 'pa.amount_pence'])
        .where('pa.authority_id', '=', authorityId)
        .where('pa.payment_id', 'in', paymentIds)
        .orderBy('i.sequence_number')
        .execute()
    : []
  return rows.map((r) => ({
    balanceTransactionId: r.balance_transaction_id,
    type: r.type,
    description: r.description,
    paymentIntentId: r.payment_intent_id,
    amountPence: r.amount_pence,
    feePence: r.fee_pence,
    netPence: r.net_pence,
    payment: r.payment_id && r.received_on ? { id: r.payment_id, receivedOn: r.received_on, schoolName: r.school_name } : null,
    invoices: allocations.filter((a) => a.payment_id === r.payment_id).map((a) => ({ id: a.id, number: a.number, amountPence: a.amount_pence })),
  }))
}

/** One payout with its balance transactions and the invoices each settled, or undefined. */
export async function getPayout(
  db: DB,
  authorityId: string,
  payoutId: string,
): Promise<(PayoutSummary & { transactions: PayoutTransaction[] }) | undefined> {
  const [payout] = await listPayouts(db, authorityId, payoutId)
  if (!payout) return undefined
  const rows = await transactionsQuery(db, authorityId)
    .where('t.payout_id', '=', payoutId)
    .orderBy('t.type')
    .orderBy('t.balance_transaction_id')
    .execute()
  return { ...payout, transactions: await withInvoices(db, authorityId, rows) }
}

/** Balance transactions of any payout that match no recorded payment (the payout's own line aside). */
export async function listUnmatchedTransactions(
  db: DB,
  authorityId: string,
): Promise<(PayoutTransaction & { payoutId: string; stripePayoutId: string; arrivalDate: string })[]> {
  const rows = await transactionsQuery(db, authorityId)
    .innerJoin('stripe_payouts as po', (j) => j.onRef('po.authority_id', '=', 't.authority_id').onRef('po.id', '=', 't.payout_id'))
    .select(['po.stripe_payout_id', 'po.arrival_date'])
    .where('t.payment_id', 'is', null)
    .where('t.type', '!=', 'payout')
    .orderBy('po.arrival_date', 'desc')
    .orderBy('t.balance_transaction_id')
    .limit(500)
    .execute()
  const list = await withInvoices(db, authorityId, rows)
  return list.map((t, i) => ({ ...t, payoutId: rows[i]!.payout_id, stripePayoutId: rows[i]!.stripe_payout_id, arrivalDate: rows[i]!.arrival_date }))
}

/** How many invoices are open (or written off) and what they owe; the `limit` that fell due first, with their schools. */
export async function openInvoices(
  db: DB,
  authorityId: string,
  limit: number,
): Promise<{ count: number; outstandingPence: number; oldest: (OpenInvoice & { schoolName: string })[] }> {
  const [totals, rows] = await Promise.all([
    db
      .selectFrom('invoices')
      .select([
        sql<number>`count(*)::int`.as('count'),
        sql<number>`coalesce(sum(greatest(gross_pence - amount_paid_pence - amount_credited_pence, 0)), 0)::bigint`.as('owed'),
      ])
      .where('authority_id', '=', authorityId)
      .where('status', 'in', ['open', 'uncollectible'])
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('invoices as i')
      .leftJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'i.authority_id').onRef('s.id', '=', 'i.school_id'))
      .leftJoin('trusts as t', (j) => j.onRef('t.authority_id', '=', 'i.authority_id').onRef('t.id', '=', 'i.trust_id'))
      .select([
        'i.id',
        'i.number',
        'i.issued_at',
        'i.due_on',
        'i.status',
        'i.route',
        'i.gross_pence',
        'i.amount_paid_pence',
        'i.amount_credited_pence',
        // The school, or the trust of a consolidated invoice.
        sql<string>`coalesce(s.name, t.name)`.as('school_name'),
      ])
      .where('i.authority_id', '=', authorityId)
      .where('i.status', 'in', ['open', 'uncollectible'])
      .orderBy('i.due_on')
      .orderBy('i.sequence_number')
      .limit(limit)
      .execute(),
  ])
  return {
    count: totals.count,
    outstandingPence: Number(totals.owed),
    oldest: rows.map((r) => ({
      id: r.id,
      number: r.number,
      issuedAt: r.issued_at,
      dueOn: r.due_on,
      status: r.status,
      route: r.route,
      grossPence: r.gross_pence,
      outstandingPence: outstandingPence({
        grossPence: r.gross_pence,
        amountPaidPence: r.amount_paid_pence,
        amountCreditedPence: r.amount_credited_pence,
      }),
      schoolName: r.school_name,
    })),
  }
}
