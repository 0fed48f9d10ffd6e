/**
 * Reconciling a Stripe payout at scale: 100,000 balance
 * transactions matched against the payments (and so the invoices) they
 * settled, and stored, as the `stripe-reconcile-payout` job does once it has
 * fetched them from Stripe (savePayout in app/models/stripe-events.server.ts).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/reconcile.ts
 *   npx tsx bench/reconcile.ts        # the embedded database
 *
 * BENCH_TRANSACTIONS (default 100000). 98% of the transactions settle a
 * payment recorded here; 2% are unknown to us (left for finance). The
 * baseline is inserting the same number of rows into a plain table, so the
 * ratio says what matching and recording cost on top of writing the rows.
 */
import { sql } from 'kysely'
import { matchPayoutTransactions, type BalanceTransaction } from '../app/domain/invoicing'
import { savePayout } from '../app/models/billing/stripe-payouts.server'
import { testServerUrl, withFreshDatabase } from '../tests/support/database'

const total = Number(process.env.BENCH_TRANSACTIONS ?? 100_000)
const embedded = !testServerUrl()
const database = await withFreshDatabase({ max: 4 })
const db = database.db

try {
  const authority = await db
    .insertInto('authorities')
    .values({ slug: 'bench', name: 'Bench Council', invoice_prefix: 'BEN', contact_email: 'bench@bench.example' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const school = await db
    .insertInto('schools')
    .values({
      authority_id: authority.id,
      urn: '999999',
      name: 'Bench Academy',
      phase: 'secondary',
      school_type: 'academy',
      pupil_count: 1000,
      approval_limit_pence: 0,
      finance_route: 'invoice',
    })
    .returning('id')
    .executeTakeFirstOrThrow()

  // The invoices and their Stripe payments, made in SQL.
  const setupStarted = performance.now()
  await sql`
    insert into invoices (authority_id, number, sequence_number, school_id, route, status, trading_year, due_on,
      net_pence, vat_pence, gross_pence, amount_paid_pence, stripe_invoice_id, stripe_status)
    select ${authority.id}, 'BEN-' || lpad(g::text, 6, '0'), g, ${school.id}, 'invoice', 'paid', 2026, date '2026-12-01',
      10000 + g % 5000, (10000 + g % 5000) / 5, (10000 + g % 5000) * 6 / 5, (10000 + g % 5000) * 6 / 5, 'in_bench_' || g, 'sent'
    from generate_series(1, ${total}) g`.execute(db)
  await sql`
    insert into payments (authority_id, school_id, method, amount_pence, received_on, stripe_invoice_id, stripe_payment_intent_id)
    select authority_id, school_id, 'stripe', gross_pence, date '2026-11-20', stripe_invoice_id, 'pi_bench_' || sequence_number
    from invoices where authority_id = ${authority.id}`.execute(db)
  await sql`
    insert into payment_allocations (authority_id, payment_id, invoice_id, amount_pence)
    select p.authority_id, p.id, i.id, p.amount_pence from payments p
    join invoices i on i.authority_id = p.authority_id and i.stripe_invoice_id = p.stripe_invoice_id
    where p.authority_id = ${authority.id}`.execute(db)
  await sql`analyze`.execute(db)
  const setupMs = performance.now() - setupStarted

  const transactions: BalanceTransaction[] = Array.from({ length: total }, (_, i) => {
    const n = i + 1
    const known = n % 50 !== 0
    const amount = ((10000 + (n % 5000)) * 6) / 5
    return {
      id: `txn_bench_${n}`,
      type: 'charge',
      amountPence: Math.round(amount),
      feePence: Math.round(amount * 0.015) + 20,
      netPence: Math.round(amount) - (Math.round(amount * 0.015) + 20),
      paymentIntentId: known ? `pi_bench_${n}` : `pi_elsewhere_${n}`,
    }
  })

  // The pure matcher alone, against an in-memory index.
  const index = new Map(transactions.map((t, i) => [t.paymentIntentId ?? '', `payment-${i}`]))
  const pureStarted = performance.now()
  const pure = matchPayoutTransactions(transactions, index)
  const pureMs = performance.now() - pureStarted

  // Baseline: the same number of rows written to a plain table.
  await sql`create table bench_baseline (id text primary key, type text, amount bigint, fee bigint, net bigint, intent text)`.execute(db)
  const baselineStarted = performance.now()
  for (let i = 0; i < transactions.length; i += 2000) {
    const chunk = transactions.slice(i, i + 2000)
    await sql`insert into bench_baseline values ${sql.join(
      chunk.map((t) => sql`(${t.id}, ${t.type}, ${t.amountPence}, ${t.feePence}, ${t.netPence}, ${t.paymentIntentId})`),
    )}`.execute(db)
  }
  const baselineMs = performance.now() - baselineStarted

  const started = performance.now()
  const result = await savePayout(db, {
    stripePayoutId: 'po_bench',
    amountPence: transactions.reduce((n, t) => n + t.netPence, 0),
    arrivalDate: '2026-11-22',
    status: 'paid',
    transactions,
  })
  const reconcileMs = performance.now() - started

  const check = await sql<{ matched: number; settled: number }>`
    select count(t.payment_id)::int as matched,
      count(distinct a.invoice_id)::int as settled
    from stripe_payout_transactions t
    left join payment_allocations a on a.authority_id = t.authority_id and a.payment_id = t.payment_id
    where t.authority_id = ${authority.id}`.execute(db)

  console.log(`${embedded ? 'embedded PGlite' : 'PostgreSQL'}; node ${process.version}; ${total.toLocaleString('en-GB')} balance transactions`)
  console.log(`setup (invoices, payments, allocations in SQL): ${(setupMs / 1000).toFixed(1)} s`)
  console.log('| step | time | per transaction | ratio to baseline |')
  console.log('| --- | ---: | ---: | ---: |')
  console.log(
    `| baseline: insert ${total.toLocaleString('en-GB')} rows | ${(baselineMs / 1000).toFixed(2)} s | ${((baselineMs * 1000) / total).toFixed(1)} µs | 1.0 |`,
  )
  console.log(
    `| match in memory (pure) | ${pureMs.toFixed(0)} ms | ${((pureMs * 1000) / total).toFixed(2)} µs | ${(pureMs / baselineMs).toFixed(3)} |`,
  )
  console.log(
    `| reconcile: look up payments, match, store, mark payments paid out | ${(reconcileMs / 1000).toFixed(2)} s | ${((reconcileMs * 1000) / total).toFixed(1)} µs | ${(reconcileMs / baselineMs).toFixed(1)} |`,
  )
  console.log(
    `matched ${result.matched.toLocaleString('en-GB')}, unmatched ${result.unmatched.toLocaleString('en-GB')} (pure: ${pure.matched}); invoices settled by the payout: ${check.rows[0]?.settled}`,
  )
  if (result.matched !== check.rows[0]?.matched || result.matched !== total - Math.floor(total / 50)) {
    throw new Error('The reconciliation did not match what it should have')
  }
} finally {
  await database.close()
}
