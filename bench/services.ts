/**
 * Catalogue throughput and latency: autocannon against /services and, in the
 * same run on the same server, against the bare route /livez (no database,
 * no rendering). The ratio says what the catalogue page costs, whatever the
 * machine's speed.
 *
 *   npm run build
 *   npm run bench                                                # embedded database
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench   # a real PostgreSQL
 *
 * Options (environment): BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 10).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import autocannon from 'autocannon'
import { withFreshDatabase } from '../tests/support/database'
import { startAppServer } from '../tests/support/server'

const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10)
const external = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL

const database = external ? await withFreshDatabase() : undefined
await database?.db.destroy()
const dataDir = external ? undefined : mkdtempSync(path.join(tmpdir(), 'buyback-bench-'))
const server = await startAppServer({ DATABASE_URL: database?.url ?? '', PGLITE_DATA_DIR: dataDir })

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

async function measure(route: string) {
  // Warm up, then measure every response's latency ourselves (autocannon's
  // summary has no p95).
  await autocannon({ url: server.baseUrl + route, connections, duration: 2 })
  const latencies: number[] = []
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon({ url: server.baseUrl + route, connections, duration: seconds }, (error, res) =>
      error ? reject(error) : resolve(res),
    )
    instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime))
  })
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${route}: ${result.non2xx} non-2xx answers and ${result.errors} errors`)
  }
  latencies.sort((a, b) => a - b)
  return {
    route,
    requestsPerSecond: Math.round(result.requests.average),
    p50: percentile(latencies, 50).toFixed(1),
    p95: percentile(latencies, 95).toFixed(1),
    p99: percentile(latencies, 99).toFixed(1),
  }
}

try {
  const bare = await measure('/livez')
  const services = await measure('/services')
  const service = await measure('/services/educational-psychology')
  const rows = [bare, services, service]
  console.log(`\n${external ? 'PostgreSQL' : 'embedded PGlite'}; ${connections} connections, ${seconds} s per route; node ${process.version}`)
  console.log('| route | requests/s | p50 ms | p95 ms | p99 ms | throughput vs /livez |')
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |')
  for (const r of rows) {
    const ratio = (r.requestsPerSecond / bare.requestsPerSecond).toFixed(2)
    console.log(`| ${r.route} | ${r.requestsPerSecond} | ${r.p50} | ${r.p95} | ${r.p99} | ${ratio} |`)
  }
} finally {
  await server.stop()
  await database?.close()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
}
