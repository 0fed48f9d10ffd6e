/**
 * Checkout under contention: how fast order lines are confirmed (capacity
 * locked, recounted and reserved, history written) when many arrive at once
 * for one team, and the p95 latency each school sees. The confirmations of
 * one team-year are serialised by its row lock, by design; this measures
 * what that costs.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/checkout.ts
 *   npx tsx bench/checkout.ts        # the embedded database
 *
 * BENCH_LINES (default 2000) lines against room for half of them, at
 * concurrency 1, 10 and 50 (pool of up to 50 connections; 8 embedded).
 */
import { sql } from 'kysely'
import { confirmOrderLine } from '../app/models/ordering/capacity.server'
import { buildCapacityFixture } from '../tests/support/capacity-fixture'
import { testServerUrl, withFreshDatabase } from '../tests/support/database'

const total = Number(process.env.BENCH_LINES ?? 2000)
const embedded = !testServerUrl()
const levels = embedded ? [1, 8] : [1, 10, 50]

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

console.log(`${embedded ? 'embedded PGlite' : 'PostgreSQL'}; ${total} one-day lines per run, room for ${total / 2}; node ${process.version}`)
console.log('| concurrency | confirmations/s | p50 ms | p95 ms | p99 ms | confirmed | waitlisted | oversold |')
console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
for (const concurrency of levels) {
  const database = await withFreshDatabase({ max: embedded ? 8 : Math.max(concurrency, 2) })
  try {
    const { authorityId, lineIds } = await buildCapacityFixture(database.db, {
      slug: `bench-${concurrency}`,
      roomForDays: total / 2,
      lines: total,
    })
    const latencies: number[] = []
    const outcomes = { confirmed: 0, waitlisted: 0, unchanged: 0 }
    let next = 0
    const started = performance.now()
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < lineIds.length) {
          const id = lineIds[next++]!
          const t0 = performance.now()
          outcomes[await confirmOrderLine(database.db, authorityId, id)]++
          latencies.push(performance.now() - t0)
        }
      }),
    )
    const seconds = (performance.now() - started) / 1000
    latencies.sort((a, b) => a - b)
    const { rows } = await sql<{ reserved: string }>`
      select coalesce(sum(hours), 0)::text as reserved from capacity_reservations
      where authority_id = ${authorityId} and released_at is null`.execute(database.db)
    const oversold = Number(rows[0]!.reserved) > (total / 2) * 6.5
    console.log(
      `| ${concurrency} | ${Math.round(total / seconds)} | ${percentile(latencies, 50).toFixed(1)} | ${percentile(latencies, 95).toFixed(1)} | ${percentile(latencies, 99).toFixed(1)} | ${outcomes.confirmed} | ${outcomes.waitlisted} | ${oversold ? 'YES' : 'no'} |`,
    )
    if (oversold || outcomes.confirmed !== total / 2) process.exitCode = 1
  } finally {
    await database.close()
  }
}
