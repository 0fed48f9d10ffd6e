/**
 * An England-scale dataset for the trading and capacity pages:
 * about 150 authorities, 21,000 schools, three trading years (2024/25 to
 * 2026/27), about 3 million order lines with their capacity reservations,
 * invoices, credit notes, payments and allocations.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/england-scale.ts
 *
 * makes (dropping it first if it exists) the database `buyback_bench`
 * (BENCH_DATABASE to change the name) on DATABASE_URL's server, migrates it
 * and fills it with INSERT … SELECT over generate_series: no row is built in
 * JavaScript. Sizes: BENCH_AUTHORITIES (150), BENCH_SCHOOLS (140 per
 * authority), BENCH_SCALE (1.0: multiplies the order lines). Every figure
 * comes from a hash of the row's numbers, so two runs give the same data
 * (ids apart). Rows are inserted in time order across authorities, as orders
 * arrive in life, so one authority's rows are spread over the tables rather
 * than packed together.
 *
 * Foreign-key triggers are off while loading (session_replication_role =
 * replica; the data is consistent by construction) and the tables are
 * vacuumed and analysed at the end. Then run bench/trading-scale.ts.
 */
import pg from 'pg'
import { createDatabase, migrateToLatest } from '../db/connection'

const serverUrl = process.env.DATABASE_URL
if (!serverUrl) {
  console.error('Set DATABASE_URL to a PostgreSQL server (the bench makes its own database there).')
  process.exit(2)
}
const name = process.env.BENCH_DATABASE ?? 'buyback_bench'
if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`Not a database name: ${name}`)
const AUTHORITIES = Number(process.env.BENCH_AUTHORITIES ?? 150)
const SCHOOLS = Number(process.env.BENCH_SCHOOLS ?? 140)
const SCALE = Number(process.env.BENCH_SCALE ?? 1)
// Lines per order: 2 to 2 + LINE_SPREAD − 1 (about 4 on average at scale 1).
const LINE_SPREAD = Math.max(1, Math.round(5 * SCALE))
const YEARS = [2024, 2025, 2026]
const TODAY = '2026-11-22'

function withDatabase(url: string, database: string): string {
  const u = new URL(url)
  u.pathname = `/${database}`
  return u.toString()
}

async function step(client: pg.Client, label: string, text: string): Promise<void> {
  const started = performance.now()
  const result = await client.query(text)
  // For several statements, the rows of the last one (the insert into the real table).
  const rows = Array.isArray(result) ? (result.filter((r) => r.command === 'INSERT').at(-1)?.rowCount ?? 0) : (result.rowCount ?? 0)
  console.log(`${label.padEnd(34)} ${String(rows).padStart(10)} rows ${((performance.now() - started) / 1000).toFixed(1).padStart(7)} s`)
}

// A deterministic "random" number 0 to 999 from integers: a polynomial of them (kept below 2^31 at each
// step, so that bigint never overflows) through PostgreSQL's hashint8, made non-negative.
const h = (...terms: string[]) => {
  const mixed = terms.slice(1).reduce((acc, t) => `((${acc}) * 1000003 + (${t})) % 2147483647`, `(${terms[0]})::bigint`)
  return `(mod(hashint8(${mixed})::bigint + 2147483648, 1000))`
}

const started = performance.now()
const admin = new pg.Client({ connectionString: serverUrl })
await admin.connect()
await admin.query(`drop database if exists ${name} with (force)`)
await admin.query(`create database ${name}`)
await admin.end()

const url = withDatabase(serverUrl, name)
const db = createDatabase(url, { max: 1 })
await migrateToLatest(db)
await db.destroy()

const client = new pg.Client({ connectionString: url, statement_timeout: 0 } as pg.ClientConfig)
await client.connect()
await client.query(`set session_replication_role = replica; set work_mem = '256MB'; set maintenance_work_mem = '512MB'; set synchronous_commit = off`)
console.log(`Database ${name}: ${AUTHORITIES} authorities × ${SCHOOLS} schools, years ${YEARS.join(', ')}, scale ${SCALE}`)

await step(
  client,
  'authorities',
  `insert into authorities (slug, name, invoice_prefix, contact_email)
   select 'la-' || lpad(a::text, 3, '0'), 'Authority ' || a, 'L' || chr(65 + (a / 26) % 26) || chr(65 + a % 26),
     'traded.services@la-' || a || '.example'
   from generate_series(1, ${AUTHORITIES}) a`,
)
await client.query(`create temp table b_auth as select id, substr(slug, 4)::int as an from authorities`)

await step(
  client,
  'schools',
  `create temp table b_school as
   select a.id as authority_id, gen_random_uuid() as id, a.an, s.sn,
     (case when s.sn % 100 < 70 then 'primary' when s.sn % 100 < 86 then 'secondary' when s.sn % 100 < 93 then 'special'
       when s.sn % 100 < 96 then 'nursery' when s.sn % 100 < 98 then 'alternative_provision' else 'all_through' end) as phase,
     (case when s.sn % 2 = 0 then 'academy' else 'maintained' end) as school_type
   from b_auth a cross join generate_series(1, ${SCHOOLS}) as s(sn);
   insert into schools (authority_id, id, urn, name, phase, school_type, pupil_count, approval_limit_pence, finance_route, email, phone)
   select authority_id, id, lpad((an * 1000 + sn)::text, 6, '0'), 'School ' || an || '-' || sn, phase, school_type,
     100 + ${h('an', 'sn')}, 250000, case when school_type = 'academy' then 'invoice' else 'internal_recharge' end,
     'office@school-' || an || '-' || sn || '.example', '024 7600 ' || lpad(sn::text, 4, '0')
   from b_school`,
)

await step(
  client,
  'categories, teams, team years',
  `insert into categories (authority_id, slug, name)
   select a.id, 'category-' || c, 'Category ' || c from b_auth a cross join generate_series(1, 5) c;
   create temp table b_team as
   select a.id as authority_id, gen_random_uuid() as id, a.an, t as tn from b_auth a cross join generate_series(1, 12) t;
   insert into teams (authority_id, id, slug, name) select authority_id, id, 'team-' || tn, 'Team ' || tn from b_team;
   insert into team_years (authority_id, team_id, trading_year, establishment_fte, chargeable_hours_per_fte, cost_per_fte_pence, sessional_hours, central_funding_pence)
   select authority_id, id, y, 6 + (${h('an', 'tn')} % 150) / 10.0, 1000, 5000000 + ${h('tn', 'an', '7')} * 3000, (${h('an', 'tn', 'y')} % 4) * 250,
     (${h('tn', 'an', 'y')} % 3) * 1000000
   from b_team cross join unnest(array[${YEARS.join(',')}]) y`,
)

await step(
  client,
  'services, offers, targets',
  `create temp table b_service as
   select t.authority_id, gen_random_uuid() as id, t.an, k as kn, t.id as team_id
   from b_team t cross join generate_series(1, 15) k where t.tn = ((k - 1) % 12) + 1;
   insert into services (authority_id, id, slug, name, category_id, team_id, summary, description, contact_name, contact_email, phases, income_code)
   select s.authority_id, s.id, 'service-' || s.kn, 'Service ' || s.kn, c.id, s.team_id, 'A traded service', 'A traded service.',
     'Service ' || s.kn, 'service-' || s.kn || '@la.example',
     array['nursery', 'primary', 'secondary', 'all_through', 'special', 'alternative_provision'], 'INC-' || s.kn
   from b_service s join categories c on c.authority_id = s.authority_id and c.slug = 'category-' || (1 + s.kn % 5);
   create temp table b_offer as
   select s.authority_id, gen_random_uuid() as id, s.an, s.kn, j as jn, s.id as service_id, s.team_id,
     (array[6.5, 3.25, 1, 4, 12, 0.5])[1 + (s.kn + j) % 6]::numeric as hours_per_unit,
     (array[55000, 30000, 4500, 18000, 9000, 6000])[1 + (s.kn + j) % 6]::bigint as price
   from b_service s cross join generate_series(1, 2) j;
   insert into offers (authority_id, id, service_id, slug, name, pricing_model, unit_one, unit_other, hours_per_unit, vat_category, invoice_schedule)
   select authority_id, id, service_id, 'offer-' || jn, 'Offer ' || jn, 'per_unit', 'unit', 'units', hours_per_unit, 'standard', 'annual_in_advance'
   from b_offer;
   create index on b_offer (authority_id, kn, jn);
   analyze b_offer;
   insert into income_targets (authority_id, service_id, trading_year, target_pence)
   select authority_id, id, y, 2000000 + ${h('an', 'kn', 'y')} * 8000 from b_service cross join unnest(array[${YEARS.join(',')}]) y`,
)

// Orders: each school buys each service in a year with probability 0.85, independently each year
// (so about 13% of last year's buyers have lapsed), in one order per service.
await step(
  client,
  'orders',
  `create temp table b_order as
   select sc.authority_id, gen_random_uuid() as id, sc.id as school_id, sc.an, sc.sn, sc.school_type, y, k as kn
   from b_school sc cross join unnest(array[${YEARS.join(',')}]) y cross join generate_series(1, 15) k
   where ${h('sc.an', 'sc.sn', 'k', 'y')} < 850;
   insert into orders (authority_id, id, reference, school_id, status, submitted_at, created_at)
   select authority_id, id, 'ORD-' || y || '-' || lpad((sn * 100 + kn)::text, 6, '0'), school_id, 'confirmed',
     make_date(y, 3, 1) + (${h('an', 'sn', 'kn')} % 200) * interval '1 day', make_date(y, 3, 1)
   from b_order`,
)

// Lines, inserted in the order they were booked, every authority interleaved.
await step(
  client,
  'order lines',
  `insert into order_lines (authority_id, id, order_id, offer_id, status, trading_year, period_start, period_end, quantity, hours,
     unit_price_pence, net_pence, vat_rate_basis_points, vat_pence, gross_pence, price_explanation,
     confirmed_at, waitlisted_at, cancelled_at, cancellation_fee_pence, created_at)
   select authority_id, gen_random_uuid(), order_id, offer_id, status, y, make_date(y, 4, 1), make_date(y + 1, 3, 31), quantity,
     hours_per_unit * quantity, price, price * quantity, vat_rate, (price * quantity * vat_rate) / 10000,
     price * quantity + (price * quantity * vat_rate) / 10000, 'bench',
     case when status in ('confirmed', 'completed', 'cancelled') then booked_at end,
     case when status = 'waitlisted' then booked_at end,
     case when status = 'cancelled' then booked_at + interval '20 days' end,
     case when status = 'cancelled' and r % 2 = 0 then (price * quantity) / 4 else 0 end,
     booked_at
   from (
     select o.authority_id, o.id as order_id, f.id as offer_id, f.hours_per_unit, f.price, o.y,
       1 + ${h('o.an', 'o.sn', 'o.kn', 'n', 'o.y')} % 4 as quantity,
       case when o.school_type = 'academy' then 2000 else 0 end as vat_rate,
       ${h('o.sn', 'n', 'o.an', 'o.kn')} as r,
       case
         when o.y < 2026 then (case when ${h('o.sn', 'n', 'o.an', 'o.kn')} < 430 then 'completed' when ${h('o.sn', 'n', 'o.an', 'o.kn')} < 950 then 'confirmed' else 'cancelled' end)
         else (case when ${h('o.sn', 'n', 'o.an', 'o.kn')} < 880 then 'confirmed' when ${h('o.sn', 'n', 'o.an', 'o.kn')} < 920 then 'waitlisted'
           when ${h('o.sn', 'n', 'o.an', 'o.kn')} < 960 then 'cancelled' when ${h('o.sn', 'n', 'o.an', 'o.kn')} < 980 then 'awaiting_approval' else 'submitted' end)
       end as status,
       -- 55% booked in the spring buy-back round (March), the rest through the year (to "today" this year).
       case when ${h('o.an', 'n', 'o.sn', 'o.y')} < 550 then make_date(o.y, 3, 1) + (${h('o.an', 'o.sn', 'n')} % 28) * interval '1 day'
         else make_date(o.y, 4, 1) + (${h('o.sn', 'o.an', 'n', 'o.kn')} % (case when o.y = 2026 then (date '${TODAY}' - date '2026-04-01') else 365 end)) * interval '1 day'
       end + (${h('o.kn', 'n')} % 480) * interval '1 minute' + interval '8 hours' as booked_at
     from b_order o
     cross join lateral generate_series(1, 2 + ${h('o.an', 'o.sn', 'o.kn', 'o.y')} % ${LINE_SPREAD}) n
     join b_offer f on f.authority_id = o.authority_id and f.kn = o.kn and f.jn = 1 + n % 2
   ) x
   order by booked_at, r`,
)

await step(
  client,
  'capacity reservations',
  `insert into capacity_reservations (authority_id, order_line_id, team_id, trading_year, hours, created_at)
   select l.authority_id, l.id, s.team_id, l.trading_year, l.hours, l.confirmed_at
   from order_lines l join offers f on f.authority_id = l.authority_id and f.id = l.offer_id
   join services s on s.authority_id = f.authority_id and s.id = f.service_id
   where l.status in ('confirmed', 'completed')
   order by l.confirmed_at`,
)

// Invoices: every order of past years with something confirmed; 70% of this year's.
await step(
  client,
  'invoices',
  `create temp table b_inv as
   select o.authority_id, gen_random_uuid() as id, o.id as order_id, o.school_id, o.school_type, o.y, o.an, o.sn, o.kn,
     sum(l.net_pence) as net, sum(l.vat_pence) as vat, min(l.confirmed_at) as issued_at
   from b_order o join order_lines l on l.authority_id = o.authority_id and l.order_id = o.id
   where l.status in ('confirmed', 'completed') and (o.y < 2026 or ${h('o.an', 'o.sn', 'o.kn', '11')} < 700)
   group by o.authority_id, o.id, o.school_id, o.school_type, o.y, o.an, o.sn, o.kn;
   insert into invoices (authority_id, id, number, sequence_number, school_id, order_id, route, status, trading_year, issued_at, due_on,
     net_pence, vat_pence, gross_pence)
   select authority_id, id, 'INV-' || lpad(seq::text, 7, '0'), seq, school_id, order_id,
     case when school_type = 'academy' then 'invoice' else 'internal_recharge' end, 'open', y, issued_at,
     (issued_at + interval '30 days')::date, net, vat, net + vat
   from (select b_inv.*, row_number() over (partition by authority_id order by issued_at, id) as seq from b_inv) x
   order by issued_at`,
)

await step(
  client,
  'invoice lines',
  `insert into invoice_lines (authority_id, invoice_id, order_line_id, service_id, description, quantity, unit_price_pence, net_pence,
     vat_rate_basis_points, vat_pence, gross_pence)
   select l.authority_id, i.id, l.id, f.service_id, 'bench', l.quantity, l.unit_price_pence, l.net_pence, l.vat_rate_basis_points, l.vat_pence, l.gross_pence
   from b_inv i join order_lines l on l.authority_id = i.authority_id and l.order_id = i.order_id
   join offers f on f.authority_id = l.authority_id and f.id = l.offer_id
   where l.status in ('confirmed', 'completed')
   order by i.issued_at`,
)

// Credit notes on 2% of invoices: a tenth of the invoice, half naming its first line.
await step(
  client,
  'credit notes',
  `insert into credit_notes (authority_id, number, sequence_number, invoice_id, reason, net_pence, vat_pence, gross_pence, issued_at, invoice_line_id)
   select authority_id, 'CN-' || lpad(seq::text, 7, '0'), seq, id, 'Correction', net / 10, 0, net / 10, issued_at + interval '40 days',
     case when ${h('an', 'sn', 'kn', '3')} % 2 = 0 then (select il.id from invoice_lines il where il.authority_id = x.authority_id and il.invoice_id = x.id order by il.id limit 1) end
   from (
     select b_inv.*, row_number() over (partition by authority_id order by issued_at, id) as seq from b_inv
     where ${h('an', 'sn', 'kn', 'y', '5')} < 20 and net >= 10
   ) x`,
)

// Payments: 95% of past years' invoices paid in full; this year, half paid in full and a tenth in part.
await step(
  client,
  'payments and allocations',
  `create temp table b_pay as
   select authority_id, gen_random_uuid() as id, i.id as invoice_id, school_id,
     case when y < 2026 or ${h('an', 'sn', 'kn', '13')} < 500 then net + vat else (net + vat) / 2 end as amount,
     (issued_at + interval '25 days')::date as received_on, school_type
   from b_inv i
   where net + vat > 1 and (case when y < 2026 then ${h('an', 'sn', 'kn', '17')} < 950 else ${h('an', 'sn', 'kn', '13')} < 600 end);
   insert into payments (authority_id, id, school_id, method, amount_pence, received_on)
   select authority_id, id, school_id, case when school_type = 'academy' then 'stripe' else 'journal' end, amount, received_on
   from b_pay order by received_on;
   insert into payment_allocations (authority_id, payment_id, invoice_id, amount_pence)
   select authority_id, id, invoice_id, amount from b_pay order by received_on;
   update invoices i set amount_paid_pence = p.amount, status = case when p.amount >= i.gross_pence then 'paid' else 'open' end
   from b_pay p where p.authority_id = i.authority_id and p.invoice_id = i.id`,
)

await client.query('set session_replication_role = origin')
// The triggers that keep the trading summaries did not run during the load: count everything once.
await step(client, 'trading summaries', 'select refresh_trading_summaries()')
await step(client, 'vacuum analyze', 'vacuum (analyze)')
const sizes = await client.query<{ table: string; rows: string; size: string }>(`
  select relname as table, n_live_tup::text as rows, pg_size_pretty(pg_total_relation_size(relid)) as size
  from pg_stat_user_tables where schemaname = 'public' and n_live_tup > 1000 order by n_live_tup desc`)
console.log('\n| table | rows | size with indexes |\n| --- | ---: | ---: |')
for (const r of sizes.rows) console.log(`| ${r.table} | ${Number(r.rows).toLocaleString('en-GB')} | ${r.size} |`)
const total = await client.query<{ size: string }>(`select pg_size_pretty(pg_database_size(current_database())) as size`)
console.log(`\nDatabase ${name}: ${total.rows[0]?.size}, made in ${((performance.now() - started) / 60000).toFixed(1)} minutes`)
await client.end()
