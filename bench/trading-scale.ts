/**
 * The queries of /la/trading and /la/capacity at England scale:
 * p50/p95/p99 of everything each page asks the database, for authorities
 * chosen at random, on the dataset bench/england-scale.ts makes.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/england-scale.ts
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/trading-scale.ts
 *
 * Each "page" is what its loader does after the signed-in check: the
 * trading years, the services (or teams) in scope, then loadTradingPage or
 * loadCapacityPage, exactly as the routes call them. Four pages: trading as
 * the LA administrator (all services) and as a service lead (one service),
 * capacity as the administrator with and without a scenario. BENCH_ROUNDS
 * (default 200) requests of each page after 20 to warm up, one at a time,
 * then the same with BENCH_CONCURRENCY (default 4) at once (pool of 10, as
 * the app's). The trading year is this year or last, at random.
 */
import { sql } from 'kysely'
import pg from 'pg'
import { createDatabase, type DB } from '../db/connection'
import { loadCapacityPage, teamsInScope } from '../app/models/trading/capacity-model.server'
import { servicesInScope, tradingYearsOf } from '../app/models/trading/scope.server'
import { loadTradingPage } from '../app/models/trading/trading.server'
import type { StaffScope } from '../app/models/shared/access-scope.server'

const serverUrl = process.env.DATABASE_URL
if (!serverUrl) {
  console.error('Set DATABASE_URL to the PostgreSQL server bench/england-scale.ts filled.')
  process.exit(2)
}
const name = process.env.BENCH_DATABASE ?? 'buyback_bench'
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 200)
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4)
const CURRENT_YEAR = 2026
const u = new URL(serverUrl)
u.pathname = `/${name}`
const db: DB = createDatabase(u.toString(), { max: 10 })

// A fixed sequence of "random" choices, so that runs compare.
let seed = 42
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648
  return seed / 2147483648
}

const authorities = (await db.selectFrom('authorities').select('id').orderBy('slug').execute()).map((a) => a.id)
const counts = await sql<{ lines: string; invoices: string; schools: string }>`
  select (select count(*) from order_lines)::text as lines, (select count(*) from invoices)::text as invoices,
    (select count(*) from schools)::text as schools`.execute(db)
console.log(
  `Database ${name}: ${authorities.length} authorities, ${Number(counts.rows[0]!.schools).toLocaleString('en-GB')} schools, ` +
    `${Number(counts.rows[0]!.lines).toLocaleString('en-GB')} order lines, ${Number(counts.rows[0]!.invoices).toLocaleString('en-GB')} invoices; ` +
    `node ${process.version}; ${ROUNDS} requests of each page`,
)

type Page = { name: string; run: () => Promise<unknown> }

function pick<T>(list: T[]): T {
  return list[Math.floor(random() * list.length)]!
}

const year = () => (random() < 0.5 ? CURRENT_YEAR : CURRENT_YEAR - 1)

async function tradingPage(scope: (authorityId: string) => Promise<StaffScope>) {
  const authorityId = pick(authorities)
  const s = await scope(authorityId)
  const tradingYear = year()
  const [, services] = await Promise.all([tradingYearsOf(db, authorityId, CURRENT_YEAR), servicesInScope(db, s)])
  return loadTradingPage(db, s, { tradingYear, services, startMonth: 4, today: new Date('2026-11-22T12:00:00Z') })
}

async function capacityPage(scenario: boolean) {
  const authorityId = pick(authorities)
  const scope: StaffScope = { kind: 'authority', authorityId }
  const [, teams] = await Promise.all([tradingYearsOf(db, authorityId, CURRENT_YEAR), teamsInScope(db, scope)])
  return loadCapacityPage(db, authorityId, teams, year(), scenario ? { buyBackPercent: 95, priceChangePercent: 5 } : {})
}

/** A service lead's scope: one service of the authority. */
async function leadScope(authorityId: string): Promise<StaffScope> {
  const services = await db.selectFrom('services').select('id').where('authority_id', '=', authorityId).orderBy('slug').execute()
  return { kind: 'services', authorityId, serviceIds: [pick(services).id] }
}

const pages: Page[] = [
  { name: '/la/trading, LA administrator (all services)', run: () => tradingPage(async (authorityId) => ({ kind: 'authority', authorityId })) },
  { name: '/la/trading, service lead (one service)', run: () => tradingPage(leadScope) },
  { name: '/la/capacity, LA administrator (all teams)', run: () => capacityPage(false) },
  { name: '/la/capacity with a scenario', run: () => capacityPage(true) },
]

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

async function measure(page: Page, concurrency: number): Promise<number[]> {
  const latencies: number[] = []
  let next = 0
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ROUNDS) {
        next++
        const t0 = performance.now()
        await page.run()
        latencies.push(performance.now() - t0)
      }
    }),
  )
  return latencies.sort((a, b) => a - b)
}

for (const concurrency of [1, CONCURRENCY]) {
  console.log(`\nConcurrency ${concurrency}:\n`)
  console.log('| page | p50 ms | p95 ms | p99 ms | max ms | pages/s |')
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |')
  for (const page of pages) {
    for (let i = 0; i < 20; i++) await page.run()
    const started = performance.now()
    const l = await measure(page, concurrency)
    const seconds = (performance.now() - started) / 1000
    console.log(
      `| ${page.name} | ${percentile(l, 50).toFixed(1)} | ${percentile(l, 95).toFixed(1)} | ${percentile(l, 99).toFixed(1)} | ${l.at(-1)!.toFixed(1)} | ${(ROUNDS / seconds).toFixed(1)} |`,
    )
  }
}

// What the planner does for the biggest query, for the record.
if (process.env.BENCH_EXPLAIN === 'true') {
  const client = new pg.Client({ connectionString: u.toString() })
  await client.connect()
  const { rows } = await client.query(
    `explain (analyze, buffers) select o.school_id, f.service_id, count(*) from order_lines l
     join offers f on f.authority_id = l.authority_id and f.id = l.offer_id
     join orders o on o.authority_id = l.authority_id and o.id = l.order_id
     where l.authority_id = $1 and l.trading_year in (2026, 2025) group by 1, 2`,
    [authorities[0]],
  )
  for (const r of rows) console.log(r['QUERY PLAN'])
  await client.end()
}
await db.destroy()
