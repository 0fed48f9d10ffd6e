import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../db/schema'
import { seedDemoData } from '../../db/seed/index'
import { teamModel, type TeamYearInputs } from '~/domain/capacity-model'
import { loadCapacityPage, teamsInScope } from '~/models/trading/capacity-model.server'
import { servicesInScope } from '~/models/trading/scope.server'
import { loadTradingPage } from '~/models/trading/trading.server'
import { loader as capacityCsvLoader } from '~/routes/la.capacity[.]csv'
import { loader as capacityLoader } from '~/routes/la.capacity'
import { loader as tradingCsvLoader } from '~/routes/la.trading[.]csv'
import { action as tradingAction, loader as tradingLoader } from '~/routes/la.trading'
import { getDb } from '~/utils/db.server'
import { createSession } from '~/utils/session.server'
import { withFreshDatabase, type FreshDatabase } from '../support/database'
import type { StaffScope } from '~/models/shared/access-scope.server'

/**
 * /la/trading and /la/capacity. The figures are recomputed from
 * the raw orders, invoices, credit notes and payments with independent SQL
 * (the attribution rules of docs/decisions/0010 written again in SQL), on a
 * database of this file's own (seeded, plus invoices, credit notes and
 * payments made here, so that the test means something whether or not the
 * seed has any). The pages, their CSV and the renewal email are then used
 * through their loaders and actions on the run's shared database.
 */

let fresh: FreshDatabase
let db: Kysely<Database>
let coventry: string
const YEARS = [2026, 2025] as const

async function authorityId(target: Kysely<Database>, slug: string) {
  return (await target.selectFrom('authorities').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()).id
}

// ---------------------------------------------------------------------------
// Invoices, credit notes and payments of our own

let sequence = 900_000

async function invoiceOrder(
  orderId: string,
  options: { status?: string; tradingYear: number; lineCredit?: number; invoiceCredit?: number; paid?: number | 'in full' },
) {
  const lines = await db
    .selectFrom('order_lines as l')
    .innerJoin('offers as f', (j) => j.onRef('f.authority_id', '=', 'l.authority_id').onRef('f.id', '=', 'l.offer_id'))
    .innerJoin('orders as o', (j) => j.onRef('o.authority_id', '=', 'l.authority_id').onRef('o.id', '=', 'l.order_id'))
    .select([
      'l.id',
      'l.quantity',
      'l.unit_price_pence',
      'l.net_pence',
      'l.vat_rate_basis_points',
      'l.vat_pence',
      'l.gross_pence',
      'f.service_id',
      'o.school_id',
    ])
    .where('l.authority_id', '=', coventry)
    .where('l.order_id', '=', orderId)
    .where('l.status', 'in', ['confirmed', 'completed'])
    .orderBy('l.id')
    .execute()
  const net = lines.reduce((s, l) => s + l.net_pence, 0)
  const vat = lines.reduce((s, l) => s + l.vat_pence, 0)
  const n = ++sequence
  const invoice = await db
    .insertInto('invoices')
    .values({
      authority_id: coventry,
      number: `TEST-${n}`,
      sequence_number: n,
      school_id: lines[0]!.school_id,
      order_id: orderId,
      route: 'invoice',
      status: (options.status ?? 'open') as 'open',
      trading_year: options.tradingYear,
      due_on: '2026-12-31',
      net_pence: net,
      vat_pence: vat,
      gross_pence: net + vat,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const invoiceLines = await db
    .insertInto('invoice_lines')
    .values(
      lines.map((l) => ({
        authority_id: coventry,
        invoice_id: invoice.id,
        order_line_id: l.id,
        service_id: l.service_id,
        description: 'Test line',
        quantity: l.quantity,
        unit_price_pence: l.unit_price_pence,
        net_pence: l.net_pence,
        vat_rate_basis_points: l.vat_rate_basis_points,
        vat_pence: l.vat_pence,
        gross_pence: l.gross_pence,
      })),
    )
    .returning(['id', 'net_pence'])
    .execute()
  const credit = async (amount: number, invoiceLineId: string | null) => {
    const c = ++sequence
    await db
      .insertInto('credit_notes')
      .values({
        authority_id: coventry,
        number: `TESTCN-${c}`,
        sequence_number: c,
        invoice_id: invoice.id,
        reason: 'Test credit',
        net_pence: amount,
        vat_pence: 0,
        gross_pence: amount,
        invoice_line_id: invoiceLineId,
      })
      .execute()
  }
  if (options.lineCredit) await credit(options.lineCredit, invoiceLines.at(-1)!.id)
  if (options.invoiceCredit) await credit(options.invoiceCredit, null)
  if (options.paid) {
    const paid = options.paid === 'in full' ? net + vat : options.paid
    // Two payments (when there is enough to split), allocated separately, to check that allocations add up.
    const amounts = paid >= 3 ? [Math.floor(paid / 3), paid - Math.floor(paid / 3)] : [paid]
    for (const amount of amounts) {
      const payment = await db
        .insertInto('payments')
        .values({ authority_id: coventry, school_id: lines[0]!.school_id, method: 'bacs', amount_pence: amount, received_on: '2026-10-01' })
        .returning('id')
        .executeTakeFirstOrThrow()
      await db
        .insertInto('payment_allocations')
        .values({ authority_id: coventry, payment_id: payment.id, invoice_id: invoice.id, amount_pence: amount })
        .execute()
    }
  }
  return { id: invoice.id, net, gross: net + vat }
}

/** Confirmed orders of a year with lines of at least `services` services (and VAT when asked). */
async function ordersWith(tradingYear: number, services: number, withVat = false, limit = 3): Promise<string[]> {
  const { rows } = await sql<{ order_id: string }>`
    select l.order_id from order_lines l
    join offers f on f.authority_id = l.authority_id and f.id = l.offer_id
    where l.authority_id = ${coventry} and l.trading_year = ${tradingYear} and l.status in ('confirmed', 'completed')
    group by l.order_id
    having count(distinct f.service_id) >= ${services} and (${!withVat} or sum(l.vat_pence) > 0)
    order by l.order_id limit ${limit}
  `.execute(db)
  return rows.map((r) => r.order_id)
}

beforeAll(async () => {
  fresh = await withFreshDatabase()
  db = fresh.db
  await seedDemoData(db)
  coventry = await authorityId(db, 'coventry')

  const multi = await ordersWith(2026, 2)
  const vatOnes = await ordersWith(2026, 1, true, 2)
  const lastYear = await ordersWith(2025, 1, false, 2)
  expect(multi.length, 'orders with lines of two services').toBeGreaterThanOrEqual(3)
  expect(vatOnes.length, 'orders with VAT').toBe(2)
  // A credit note naming a line, and a part payment.
  const a = await invoiceOrder(multi[0]!, { tradingYear: 2026, lineCredit: 100_00, paid: 500_01 })
  // A credit note naming no line (an odd amount, to split), and an overpayment.
  const b = await invoiceOrder(multi[1]!, { tradingYear: 2026, invoiceCredit: 333_33, paid: 1_000_000_00 })
  // A void invoice with a payment: counts for nothing.
  await invoiceOrder(multi[2]!, { tradingYear: 2026, status: 'void', paid: 200_00 })
  // Academies' invoices with VAT, one paid in full (gross), one not at all.
  const v = await invoiceOrder(vatOnes[0]!, { tradingYear: 2026 })
  await invoiceOrder(vatOnes[1]!, { tradingYear: 2026, paid: 1 })
  await invoiceOrder(vatOnes[1]!, { tradingYear: 2026, status: 'uncollectible' })
  await db.updateTable('invoices').set({ status: 'paid' }).where('authority_id', '=', coventry).where('id', '=', v.id).execute()
  const vp = await db
    .insertInto('payments')
    .values({ authority_id: coventry, method: 'stripe', amount_pence: v.gross, received_on: '2026-09-01' })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.insertInto('payment_allocations').values({ authority_id: coventry, payment_id: vp.id, invoice_id: v.id, amount_pence: v.gross }).execute()
  // Last year's, paid in full.
  for (const orderId of lastYear) await invoiceOrder(orderId, { tradingYear: 2025, paid: 'in full' })
  expect(a.net).toBeGreaterThan(0)
  expect(b.net).toBeGreaterThan(0)
  await sql`analyze`.execute(db)
}, 180_000)

afterAll(async () => {
  await fresh?.close()
}, 60_000)

// ---------------------------------------------------------------------------
// The figures, again, in SQL

type Money = { booked: number; invoiced: number; paid: number; target: number }

/** Booked, invoiced, paid and target per service, from the raw rows, by the rules of decision 0010, in SQL. */
async function moneyBySql(year: number): Promise<Map<string, Money>> {
  const { rows } = await sql<{ service_id: string; booked: string; invoiced: string; paid: string; target: string }>`
    with inv as (
      select i.id, i.net_pence::numeric as net, i.gross_pence::numeric as gross from invoices i
      where i.authority_id = ${coventry} and i.trading_year = ${year} and i.status <> 'void'
    ),
    svc as (
      select il.invoice_id, il.service_id, sum(il.net_pence)::numeric as net
      from invoice_lines il join inv on inv.id = il.invoice_id
      where il.authority_id = ${coventry}
      group by il.invoice_id, il.service_id
    ),
    svc_ranked as (
      select svc.*, sum(net) over (partition by invoice_id) as total,
        row_number() over (partition by invoice_id order by net desc, service_id) as rnk
      from svc
    ),
    credits as (
      select c.id, c.invoice_id, c.net_pence::numeric as amount, il.service_id as line_service
      from credit_notes c join inv on inv.id = c.invoice_id
      left join invoice_lines il on il.authority_id = c.authority_id and il.id = c.invoice_line_id and il.invoice_id = c.invoice_id
      where c.authority_id = ${coventry}
    ),
    credit_shares as (
      select invoice_id, line_service as service_id, amount as share from credits where line_service is not null
      union all
      select x.invoice_id, x.service_id,
        x.base + case when x.rnk = 1 then x.amount - sum(x.base) over (partition by x.credit_id) else 0 end
      from (
        select c.id as credit_id, c.invoice_id, c.amount, s.service_id, s.rnk,
          case when s.total > 0 then floor(c.amount * s.net / s.total) else 0 end as base
        from credits c join svc_ranked s on s.invoice_id = c.invoice_id
        where c.line_service is null
      ) x
    ),
    invoiced as (
      select s.invoice_id, s.service_id, s.net,
        s.net - coalesce((select sum(cs.share) from credit_shares cs where cs.invoice_id = s.invoice_id and cs.service_id = s.service_id), 0) as invoiced
      from svc s
    ),
    alloc as (
      select pa.invoice_id, sum(pa.amount_pence)::numeric as amount
      from payment_allocations pa join inv on inv.id = pa.invoice_id
      where pa.authority_id = ${coventry}
      group by pa.invoice_id
    ),
    inv_paid as (
      select inv.id as invoice_id,
        least(
          (select coalesce(sum(greatest(v.invoiced, 0)), 0) from invoiced v where v.invoice_id = inv.id),
          case when inv.gross > 0 then round(least(greatest(coalesce(a.amount, 0), 0), inv.gross) * inv.net / inv.gross) else 0 end
        ) as paid_net
      from inv left join alloc a on a.invoice_id = inv.id
    ),
    weights as (
      select v.invoice_id, v.service_id,
        case when exists (select 1 from invoiced w where w.invoice_id = v.invoice_id and w.invoiced > 0) then greatest(v.invoiced, 0) else v.net end as w
      from invoiced v
    ),
    weights_ranked as (
      select weights.*, sum(w) over (partition by invoice_id) as total,
        row_number() over (partition by invoice_id order by w desc, service_id) as rnk
      from weights
    ),
    paid_shares as (
      select x.invoice_id, x.service_id,
        x.base + case when x.rnk = 1 then x.paid_net - sum(x.base) over (partition by x.invoice_id) else 0 end as share
      from (
        select wr.*, p.paid_net, case when wr.total > 0 then floor(p.paid_net * wr.w / wr.total) else 0 end as base
        from weights_ranked wr join inv_paid p on p.invoice_id = wr.invoice_id
      ) x
    ),
    by_invoice as (
      select v.service_id, sum(v.invoiced) as invoiced, sum(ps.share) as paid
      from invoiced v join paid_shares ps on ps.invoice_id = v.invoice_id and ps.service_id = v.service_id
      group by v.service_id
    )
    select s.id as service_id,
      (select coalesce(sum(l.net_pence), 0) from order_lines l join offers f on f.authority_id = l.authority_id and f.id = l.offer_id
        where l.authority_id = s.authority_id and f.service_id = s.id and l.trading_year = ${year} and l.status in ('confirmed', 'completed'))
      + (select coalesce(sum(l.cancellation_fee_pence), 0) from order_lines l join offers f on f.authority_id = l.authority_id and f.id = l.offer_id
        where l.authority_id = s.authority_id and f.service_id = s.id and l.trading_year = ${year} and l.status = 'cancelled') as booked,
      coalesce(b.invoiced, 0) as invoiced,
      coalesce(b.paid, 0) as paid,
      coalesce((select t.target_pence from income_targets t where t.authority_id = s.authority_id and t.service_id = s.id and t.trading_year = ${year}), 0) as target
    from services s left join by_invoice b on b.service_id = s.id
    where s.authority_id = ${coventry}
  `.execute(db)
  return new Map(
    rows.map((r) => [r.service_id, { booked: Number(r.booked), invoiced: Number(r.invoiced), paid: Number(r.paid), target: Number(r.target) }]),
  )
}

const adminScope = (): StaffScope => ({ kind: 'authority', authorityId: coventry })

async function epScope(): Promise<StaffScope> {
  const rows = await db
    .selectFrom('service_leads as sl')
    .innerJoin('users as u', (j) => j.onRef('u.authority_id', '=', 'sl.authority_id').onRef('u.id', '=', 'sl.user_id'))
    .select('sl.service_id')
    .where('sl.authority_id', '=', coventry)
    .where('u.email', '=', 'lead.ep@coventry.example')
    .execute()
  return { kind: 'services', authorityId: coventry, serviceIds: rows.map((r) => r.service_id) }
}

async function trading(scope: StaffScope, year: number) {
  const services = await servicesInScope(db, scope)
  return loadTradingPage(db, scope, { tradingYear: year, services, startMonth: 4, today: new Date('2026-11-22T12:00:00Z') })
}

describe('figures recomputed from the raw rows', () => {
  it('our invoices, credit notes and payments are there to count', async () => {
    const money = await moneyBySql(2026)
    const invoiced = [...money.values()].filter((m) => m.invoiced > 0)
    expect(invoiced.length).toBeGreaterThanOrEqual(3)
    expect([...money.values()].some((m) => m.paid > 0 && m.paid < m.invoiced)).toBe(true)
  })

  for (const year of YEARS) {
    it(`income booked, invoiced, paid, target and gap per service match, ${year}`, async () => {
      const page = await trading(adminScope(), year)
      const money = await moneyBySql(year)
      const last = await moneyBySql(year - 1)
      expect(page.services.length).toBe(money.size)
      for (const s of page.services) {
        const m = money.get(s.id)!
        expect({
          service: s.slug,
          booked: s.bookedPence,
          invoiced: s.invoicedPence,
          paid: s.paidPence,
          target: s.targetPence,
          gap: s.gapPence,
        }).toEqual({
          service: s.slug,
          booked: m.booked,
          invoiced: m.invoiced,
          paid: m.paid,
          target: m.target,
          gap: m.booked - m.target,
        })
        expect(s.bookedLastYearPence, s.slug).toBe(last.get(s.id)!.booked)
      }
      const sum = (k: keyof Money) => [...money.values()].reduce((t, m) => t + m[k], 0)
      expect(page.total).toMatchObject({
        bookedPence: sum('booked'),
        invoicedPence: sum('invoiced'),
        paidPence: sum('paid'),
        targetPence: sum('target'),
      })
      expect(page.total.bookedPence).toBeGreaterThan(0)
    })
  }

  it('the cumulative months add up to income booked, month by month', async () => {
    const page = await trading(adminScope(), 2026)
    const { rows } = await sql<{ m: number; amount: string }>`
      select least(11, greatest(0, (extract(year from t.at) - 2026) * 12 + extract(month from t.at) - 4))::int as m, sum(t.amount) as amount
      from (
        select (coalesce(case when l.status = 'cancelled' then l.cancelled_at else l.confirmed_at end, l.created_at) at time zone 'UTC') as at,
          case when l.status = 'cancelled' then l.cancellation_fee_pence else l.net_pence end as amount
        from order_lines l
        where l.authority_id = ${coventry} and l.trading_year = 2026 and l.status in ('confirmed', 'completed', 'cancelled')
      ) t group by 1
    `.execute(db)
    let running = 0
    const expected = Array.from({ length: 12 }, (_, i) => {
      running += Number(rows.find((r) => r.m === i)?.amount ?? 0)
      // 22 November 2026: April to November have begun.
      return i < 8 ? running : null
    })
    expect(page.months.map((m) => m.thisYear)).toEqual(expected)
    expect(page.months[7]?.thisYear).toBe(page.total.bookedPence)
    expect(page.months[11]?.lastYear).toBe(page.total.bookedLastYearPence)
    expect(page.months[0]?.month).toBe('2026-04-01')
  })

  it('buy-back per service and by phase counts schools with a confirmed line, of the schools offered the service', async () => {
    const page = await trading(adminScope(), 2026)
    const { rows } = await sql<{ service_id: string; buyers: number; last_buyers: number; eligible: number }>`
      select s.id as service_id,
        (select count(distinct o.school_id)::int from order_lines l join offers f on f.authority_id = l.authority_id and f.id = l.offer_id
          join orders o on o.authority_id = l.authority_id and o.id = l.order_id
          where l.authority_id = s.authority_id and f.service_id = s.id and l.trading_year = 2026 and l.status in ('confirmed', 'completed')) as buyers,
        (select count(distinct o.school_id)::int from order_lines l join offers f on f.authority_id = l.authority_id and f.id = l.offer_id
          join orders o on o.authority_id = l.authority_id and o.id = l.order_id
          where l.authority_id = s.authority_id and f.service_id = s.id and l.trading_year = 2025 and l.status in ('confirmed', 'completed')) as last_buyers,
        (select count(*)::int from schools sc where sc.authority_id = s.authority_id and (sc.phase = any(s.phases) or exists (
          select 1 from order_lines l join offers f on f.authority_id = l.authority_id and f.id = l.offer_id
          join orders o on o.authority_id = l.authority_id and o.id = l.order_id
          where l.authority_id = s.authority_id and f.service_id = s.id and o.school_id = sc.id and l.trading_year = 2026 and l.status in ('confirmed', 'completed')))) as eligible
      from services s where s.authority_id = ${coventry}
    `.execute(db)
    for (const s of page.services) {
      const r = rows.find((x) => x.service_id === s.id)!
      expect({ slug: s.slug, buyers: s.buyBack.buyers, last: s.buyBack.lastYearBuyers, eligible: s.buyBack.eligible }).toEqual({
        slug: s.slug,
        buyers: r.buyers,
        last: r.last_buyers,
        eligible: r.eligible,
      })
      expect(s.buyBack.percent).toBe(Math.round((r.buyers * 1000) / r.eligible) / 10)
    }
    const overall = await sql<{ buyers: number; last_buyers: number; primary_buyers: number }>`
      select count(distinct o.school_id) filter (where l.trading_year = 2026)::int as buyers,
        count(distinct o.school_id) filter (where l.trading_year = 2025)::int as last_buyers,
        count(distinct o.school_id) filter (where l.trading_year = 2026 and sc.phase = 'primary')::int as primary_buyers
      from order_lines l join orders o on o.authority_id = l.authority_id and o.id = l.order_id
      join schools sc on sc.authority_id = o.authority_id and sc.id = o.school_id
      where l.authority_id = ${coventry} and l.status in ('confirmed', 'completed')
    `.execute(db)
    const schools = await db.selectFrom('schools').select(['phase']).where('authority_id', '=', coventry).execute()
    expect(page.buyBack.overall).toMatchObject({
      buyers: overall.rows[0]!.buyers,
      lastYearBuyers: overall.rows[0]!.last_buyers,
      eligible: schools.length,
    })
    expect(page.buyBack.byPhase.find((p) => p.phase === 'primary')).toMatchObject({
      buyers: overall.rows[0]!.primary_buyers,
      eligible: schools.filter((s) => s.phase === 'primary').length,
    })
  })

  it('lapsed schools bought a service last year and have no live line for it this year; top buyers are the biggest', async () => {
    const page = await trading(adminScope(), 2026)
    const { rows } = await sql<{ school_id: string; service_id: string; spend: string }>`
      select o.school_id, f.service_id, sum(case when l.status = 'cancelled' then l.cancellation_fee_pence else l.net_pence end) as spend
      from order_lines l join offers f on f.authority_id = l.authority_id and f.id = l.offer_id
      join orders o on o.authority_id = l.authority_id and o.id = l.order_id
      where l.authority_id = ${coventry} and l.trading_year = 2025 and l.status in ('confirmed', 'completed', 'cancelled')
      group by o.school_id, f.service_id
      having count(*) filter (where l.status in ('confirmed', 'completed')) > 0
        and not exists (
          select 1 from order_lines l2 join offers f2 on f2.authority_id = l2.authority_id and f2.id = l2.offer_id
          join orders o2 on o2.authority_id = l2.authority_id and o2.id = l2.order_id
          where l2.authority_id = ${coventry} and o2.school_id = o.school_id and f2.service_id = f.service_id
            and l2.trading_year = 2026 and l2.status in ('awaiting_approval', 'submitted', 'confirmed', 'waitlisted', 'completed'))
    `.execute(db)
    const key = (x: { school_id?: string; schoolId?: string; service_id?: string; serviceId?: string }) =>
      `${x.school_id ?? x.schoolId}/${x.service_id ?? x.serviceId}`
    expect(page.lapsed.map(key).sort()).toEqual(rows.map(key).sort())
    expect(page.lapsed.length).toBeGreaterThan(10)
    for (const l of page.lapsed) expect(l.lastYearPence, l.schoolName).toBe(Number(rows.find((r) => key(r) === key(l))!.spend))

    const top = await sql<{ school_id: string; booked: string }>`
      select o.school_id, sum(case when l.status = 'cancelled' then l.cancellation_fee_pence else l.net_pence end) as booked
      from order_lines l join orders o on o.authority_id = l.authority_id and o.id = l.order_id
      where l.authority_id = ${coventry} and l.trading_year = 2026 and l.status in ('confirmed', 'completed', 'cancelled')
      group by o.school_id order by booked desc limit 10
    `.execute(db)
    expect(page.topBuyers.map((b) => b.bookedPence)).toEqual(top.rows.map((r) => Number(r.booked)))
  })

  for (const year of YEARS) {
    it(`every figure of the capacity model matches the raw rows, ${year}`, async () => {
      const teams = await teamsInScope(db, adminScope())
      const page = await loadCapacityPage(db, coventry, teams, year)
      const money = await moneyBySql(year)
      const { rows } = await sql<{
        team_id: string
        establishment_fte: string
        chargeable_hours_per_fte: number
        sessional_hours: number
        cost_per_fte_pence: string
        central_funding_pence: string
        booked_hours: string
        waitlisted_hours: string
      }>`
        select ty.team_id, ty.establishment_fte, ty.chargeable_hours_per_fte, ty.sessional_hours, ty.cost_per_fte_pence, ty.central_funding_pence,
          (select coalesce(sum(l.hours), 0) from order_lines l join offers f on f.authority_id = l.authority_id and f.id = l.offer_id
            join services s on s.authority_id = f.authority_id and s.id = f.service_id
            where l.authority_id = ty.authority_id and s.team_id = ty.team_id and l.trading_year = ty.trading_year and l.status in ('confirmed', 'completed')) as booked_hours,
          (select coalesce(sum(l.hours), 0) from order_lines l join offers f on f.authority_id = l.authority_id and f.id = l.offer_id
            join services s on s.authority_id = f.authority_id and s.id = f.service_id
            where l.authority_id = ty.authority_id and s.team_id = ty.team_id and l.trading_year = ty.trading_year and l.status = 'waitlisted') as waitlisted_hours
        from team_years ty where ty.authority_id = ${coventry} and ty.trading_year = ${year}
      `.execute(db)
      expect(page.length).toBe(rows.length)
      for (const team of page) {
        const r = rows.find((x) => x.team_id === team.teamId)!
        const services = teams.find((t) => t.id === team.teamId)!.services
        const sum = (k: keyof Money) => services.reduce((t, s) => t + (money.get(s.id)?.[k] ?? 0), 0)
        const inputs: TeamYearInputs = {
          establishmentFte: Number(r.establishment_fte),
          chargeableHoursPerFte: r.chargeable_hours_per_fte,
          sessionalHours: r.sessional_hours,
          costPerFtePence: Number(r.cost_per_fte_pence),
          centralFundingPence: Number(r.central_funding_pence),
          bookedHours: Number(r.booked_hours),
          waitlistedHours: Number(r.waitlisted_hours),
          incomeBookedPence: sum('booked'),
          incomeTargetPence: sum('target'),
        }
        expect(team.inputs, team.teamSlug).toEqual(inputs)
        expect(team.model, team.teamSlug).toEqual(teamModel(inputs))
        expect({ invoiced: team.invoicedPence, paid: team.paidPence }).toEqual({ invoiced: sum('invoiced'), paid: sum('paid') })
      }
    })
  }
})

describe('the story the seeded figures tell', () => {
  it('2026/27: Educational Psychology expands to meet its waiting list, Outdoor Education reduces, every other team holds', async () => {
    const page = await loadCapacityPage(db, coventry, await teamsInScope(db, adminScope()), 2026)
    const kinds = Object.fromEntries(page.map((t) => [t.teamSlug, t.model.recommendation.kind]))
    expect(kinds['educational-psychology']).toBe('expand')
    expect(kinds['outdoor-education']).toBe('reduce')
    const ep = page.find((t) => t.teamSlug === 'educational-psychology')!
    expect(ep.model.waitlistedHours).toBeGreaterThan(0)
    expect(ep.model.recommendation.fteChange).toBeGreaterThan(0)
    const outdoor = page.find((t) => t.teamSlug === 'outdoor-education')!
    expect(outdoor.model.gapPence).toBeLessThan(0)
    expect(outdoor.model.recommendation.fteChange).toBeLessThan(-1)
    const others = Object.entries(kinds).filter(([slug]) => slug !== 'educational-psychology' && slug !== 'outdoor-education')
    expect(others.length).toBe(9)
    expect(others.filter(([, kind]) => kind !== 'hold')).toEqual([])
  })

  it('2025/26: every team held', async () => {
    const page = await loadCapacityPage(db, coventry, await teamsInScope(db, adminScope()), 2025)
    expect(page.filter((t) => t.model.recommendation.kind !== 'hold').map((t) => t.teamSlug)).toEqual([])
  })

  it('a scenario changes nothing in the database', async () => {
    const before = await sql<{ n: string }>`select md5(string_agg(t::text, ',' order by t::text)) as n from team_years t`.execute(db)
    const page = await loadCapacityPage(db, coventry, await teamsInScope(db, adminScope()), 2026, { buyBackPercent: 100, priceChangePercent: 10 })
    expect(page.every((t) => t.scenario?.ok)).toBe(true)
    const after = await sql<{ n: string }>`select md5(string_agg(t::text, ',' order by t::text)) as n from team_years t`.execute(db)
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n)
  })
})

describe('a service lead’s scope', () => {
  it('the EP lead sees Educational Psychology only, and its team only', async () => {
    const scope = await epScope()
    const page = await trading(scope, 2026)
    expect(page.services.map((s) => s.slug)).toEqual(['educational-psychology'])
    expect(page.lapsed.every((l) => l.serviceName === 'Educational Psychology')).toBe(true)
    const teams = await teamsInScope(db, scope)
    expect(teams.map((t) => t.slug)).toEqual(['educational-psychology'])
    // The EP figures are the same as in the administrator's view.
    const all = await trading(adminScope(), 2026)
    expect(page.services[0]).toEqual(all.services.find((s) => s.slug === 'educational-psychology'))
    expect(page.total.bookedPence).toBe(page.services[0]!.bookedPence)
  })
})

// ---------------------------------------------------------------------------
// Through the routes, on the run's shared database

type Answer = { status: number; location: string | null; body: any; response?: Response }

async function settle(run: () => unknown): Promise<Answer> {
  let result: unknown
  try {
    result = await run()
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown
    result = thrown
  }
  if (result instanceof Response) return { status: result.status, location: result.headers.get('Location'), body: null, response: result }
  if (result && typeof result === 'object' && (result as { type?: unknown }).type === 'DataWithResponseInit') {
    const r = result as { data: unknown; init: ResponseInit | null }
    return { status: r.init?.status ?? 200, location: null, body: r.data }
  }
  return { status: 200, location: null, body: result }
}

async function cookieFor(email: string): Promise<string> {
  const shared = await getDb()
  const user = await shared
    .selectFrom('users')
    .innerJoin('authorities as a', 'a.id', 'users.authority_id')
    .select(['users.id', 'users.authority_id'])
    .where('users.email', '=', email)
    .executeTakeFirstOrThrow()
  const setCookie = await createSession(shared, new Request('http://localhost/'), { id: user.id, authorityId: user.authority_id }, '127.0.0.1')
  return setCookie.split(';')[0]!
}

const get = (loader: (args: any) => unknown, path: string, cookie: string) =>
  settle(() =>
    loader({ request: new Request(`http://localhost${path}`, { headers: { Cookie: cookie } }), params: {}, context: { clientIp: '127.0.0.1' } }),
  )

const post = (path: string, cookie: string, fields: Record<string, string>) =>
  settle(() =>
    tradingAction({
      request: new Request(`http://localhost${path}`, {
        method: 'POST',
        body: new URLSearchParams(fields),
        headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'trading.test' },
      }),
      params: {},
      context: { clientIp: '127.0.0.1' },
    }),
  )

/** A small CSV reader for what toCsv writes (quoted fields, CRLF). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  const body = text.replace(/^\uFEFF/, '')
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') {
        field += '"'
        i++
      } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') {
      row.push(field)
      field = ''
    } else if (ch === '\r' && body[i + 1] === '\n') {
      row.push(field)
      rows.push(row)
      row = []
      field = ''
      i++
    } else field += ch
  }
  return rows
}

describe('the pages, their CSV and the renewal email', () => {
  let lead: string
  let admin: string
  beforeAll(async () => {
    lead = await cookieFor('lead.ep@coventry.example')
    admin = await cookieFor('admin@coventry.example')
  })

  it('the trading page gives the EP lead Educational Psychology only', async () => {
    const answer = await get(tradingLoader, '/la/trading?year=2026', lead)
    expect(answer.status).toBe(200)
    expect(answer.body.page.services.map((s: { slug: string }) => s.slug)).toEqual(['educational-psychology'])
    expect(answer.body.serviceOptions).toEqual([{ value: 'educational-psychology', label: 'Educational Psychology' }])
    expect(JSON.stringify(answer.body)).not.toContain('Coventry Music')
    expect((await get(tradingLoader, '/la/trading?service=coventry-music', lead)).status).toBe(403)
    expect((await get(tradingLoader, '/la/trading?service=no-such-service', lead)).status).toBe(404)
    expect((await get(capacityLoader, '/la/capacity?team=coventry-music', lead)).status).toBe(403)
  })

  it('bad filters and scenarios get an error summary, never a 500, and no projection', async () => {
    const answer = await get(capacityLoader, '/la/capacity?year=1999&buyBack=lots&priceChange=500', admin)
    expect(answer.status).toBe(200)
    expect(answer.body.errors).toEqual({
      year: 'Select a trading year from the list',
      buyBack: 'Enter the buy-back rate as a number from 0 to 100, like 85',
      priceChange: 'Enter the price change as a whole number of per cent from -50 to 100, like 5 or -10',
    })
    expect(answer.body.values).toMatchObject({ buyBack: 'lots', priceChange: '500' })
    expect(answer.body.teams.every((t: { scenario: unknown }) => t.scenario === null)).toBe(true)
    const bad = await get(tradingLoader, '/la/trading?year=20x6&service=Not%20A%20Slug', admin)
    expect(bad.status).toBe(200)
    expect(Object.keys(bad.body.errors).sort()).toEqual(['service', 'year'])
    // The CSV refuses rather than guessing.
    expect((await get(capacityCsvLoader, '/la/capacity.csv?buyBack=101', admin)).status).toBe(400)
  })

  it('a scenario shows projected income, FTE needed and a recommendation beside the actuals', async () => {
    const answer = await get(capacityLoader, '/la/capacity?year=2026&team=educational-psychology&buyBack=100&priceChange=10', lead)
    expect(answer.status).toBe(200)
    expect(answer.body.errors).toEqual({})
    const [ep] = answer.body.teams
    expect(ep.teamSlug).toBe('educational-psychology')
    expect(ep.scenario.ok).toBe(true)
    expect(ep.scenario.model.incomeBookedPence).toBeGreaterThan(ep.model.incomeBookedPence)
    expect(ep.scenario.model.fteNeeded).toBeGreaterThanOrEqual(ep.model.fteNeeded)
    expect(ep.scenario.model.recommendation.kind).toBe('expand')
  })

  it('the CSV exports give the pages’ figures, escaped, as an attachment', async () => {
    const page = await get(tradingLoader, '/la/trading?year=2026', admin)
    const csv = await get(tradingCsvLoader, '/la/trading.csv?year=2026', admin)
    expect(csv.status).toBe(200)
    expect(csv.response!.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
    expect(csv.response!.headers.get('Content-Disposition')).toBe('attachment; filename="trading-2026-27.csv"')
    const rows = parseCsv(await csv.response!.text())
    expect(rows[0]?.slice(0, 8)).toEqual(['Trading year', 'Service', 'Income code', 'Team', 'Target (£)', 'Booked (£)', 'Invoiced (£)', 'Paid (£)'])
    const ep = rows.find((r) => r[1] === 'Educational Psychology')!
    const epPage = page.body.page.services.find((s: { slug: string }) => s.slug === 'educational-psychology')
    expect(Number(ep[5])).toBe(epPage.bookedPence / 100)
    expect(Number(ep[6])).toBe(epPage.invoicedPence / 100)
    expect(rows.at(-1)?.[1]).toBe('Total')
    expect(Number(rows.at(-1)?.[5])).toBe(page.body.page.total.bookedPence / 100)

    const cap = await get(capacityCsvLoader, '/la/capacity.csv?year=2026&buyBack=90', admin)
    expect(cap.response!.headers.get('Content-Disposition')).toBe('attachment; filename="capacity-2026-27.csv"')
    const text = await cap.response!.text()
    // A team name with commas is quoted.
    expect(text).toContain('"Social, Emotional and Mental Health (including KEYs)"')
    const capRows = parseCsv(text)
    const header = capRows[0]!
    const epRows = capRows.filter((r) => r[1] === 'Educational Psychology')
    expect(epRows.map((r) => r[2])).toEqual(['Actual', 'Scenario'])
    expect(epRows[0]![header.indexOf('Recommendation')]).toBe('expand')
    expect(Number(epRows[0]![header.indexOf('Waitlisted (hours)')])).toBeGreaterThan(0)
    // The EP lead's CSV has their team only.
    const leadCsv = parseCsv(await (await get(capacityCsvLoader, '/la/capacity.csv?year=2026', lead)).response!.text())
    expect(leadCsv.slice(1).map((r) => r[1])).toEqual(['Educational Psychology'])
  })

  it('emails a lapsed school about renewing once, through the outbox, with an audit event', async () => {
    const shared = await getDb()
    const page = await get(tradingLoader, '/la/trading?year=2026', lead)
    const target = page.body.page.lapsed.find((l: { email: string | null; emailedAt: string | null }) => l.email && !l.emailedAt)
    expect(target, 'an EP school that has lapsed').toBeDefined()
    const fields = { intent: 'email-renewal', schoolId: target.schoolId, service: 'educational-psychology', year: '2026' }

    const first = await post('/la/trading?year=2026', lead, fields)
    expect(first.status).toBe(302)
    expect(first.location).toBe(`/la/trading?year=2026&emailed=${target.schoolId}.educational-psychology#lapsed`)
    const key = `renewal:${target.schoolId}:${target.serviceId}:2026`
    const messages = await shared.selectFrom('email_messages').selectAll().where('idempotency_key', '=', key).execute()
    expect(messages).toHaveLength(1)
    expect(messages[0]).toMatchObject({ template: 'renewal-reminder', to_address: target.email })
    expect(messages[0]!.subject).toBe(`Educational Psychology for 2026/27: would ${target.schoolName} like to buy again?`)
    expect(messages[0]!.text).toContain('/services/educational-psychology')
    const audit = await shared
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'renewal_email.queued')
      .where('subject_id', '=', target.schoolId)
      .execute()
    expect(audit).toHaveLength(1)

    // Again: nothing new is sent, and the page says so.
    const again = await post('/la/trading?year=2026', lead, fields)
    expect(again.location).toContain('again=1')
    expect(await shared.selectFrom('email_messages').select('id').where('idempotency_key', '=', key).execute()).toHaveLength(1)
    const after = await get(tradingLoader, `/la/trading?year=2026&emailed=${target.schoolId}.educational-psychology&again=1`, lead)
    expect(after.body.emailed).toMatchObject({ schoolName: target.schoolName, again: true })
    const row = after.body.page.lapsed.find((l: { schoolId: string }) => l.schoolId === target.schoolId)
    expect(row?.emailedAt ?? null).not.toBeNull()
  })

  it('refuses to email about a service the lead does not lead, or a school that is not lapsed', async () => {
    const shared = await getDb()
    const school = await shared.selectFrom('schools').select('id').where('name', '=', 'Elm Bank Primary School').executeTakeFirstOrThrow()
    const music = await post('/la/trading?year=2026', lead, { intent: 'email-renewal', schoolId: school.id, service: 'coventry-music', year: '2026' })
    expect(music.status).toBe(403)
    // Elm Bank has bought EP this year: not lapsed.
    const notLapsed = await post('/la/trading?year=2026', lead, {
      intent: 'email-renewal',
      schoolId: school.id,
      service: 'educational-psychology',
      year: '2026',
    })
    expect(notLapsed.status).toBe(409)
    expect(notLapsed.body.errors.lapsed).toMatch(/no longer lapsed/)
    const count = await shared.selectFrom('email_messages').select('id').where('idempotency_key', 'like', `renewal:${school.id}:%`).execute()
    expect(count).toHaveLength(0)
  })
})

// Last: it changes this file's own database.
describe('the summaries the order-line triggers keep (migration 0005)', () => {
  /** The summaries as they are, and as counting every line again gives them, without rows that count nothing. */
  async function summariesAndRecount() {
    const read = async () => {
      const schools = await sql<{ k: string }>`
        select concat_ws('/', authority_id, trading_year, service_id, school_id, booked_pence, booked_lines, live_lines, booked_hours::numeric(12, 2), waitlisted_hours::numeric(12, 2)) as k
        from trading_school_services
        where booked_pence <> 0 or booked_lines <> 0 or live_lines <> 0 or booked_hours <> 0 or waitlisted_hours <> 0 order by 1`.execute(db)
      const months = await sql<{ k: string }>`
        select concat_ws('/', authority_id, trading_year, service_id, month, booked_pence) as k
        from trading_service_months where booked_pence <> 0 order by 1`.execute(db)
      return { schools: schools.rows.map((r) => r.k), months: months.rows.map((r) => r.k) }
    }
    const kept = await read()
    await db.transaction().execute(async (trx) => {
      await sql`select refresh_trading_summaries()`.execute(trx)
    })
    return { kept, recounted: await read() }
  }

  it('stay equal to a recount of every line as lines are confirmed, cancelled, completed, moved, and orders deleted', async () => {
    const before = await summariesAndRecount()
    expect(before.kept).toEqual(before.recounted)
    expect(before.kept.schools.length).toBeGreaterThan(1000)

    // A line nothing else points at (no invoice, no delivery record), so that it can be deleted.
    const line = async (status: string) =>
      (
        await sql<{ id: string; order_id: string }>`
        select l.id, l.order_id from order_lines l
        where l.authority_id = ${coventry} and l.status = ${status} and l.trading_year = 2026
          and not exists (select 1 from invoices i where i.authority_id = l.authority_id and i.order_id = l.order_id)
          and not exists (select 1 from delivery_records d join order_lines x on x.authority_id = d.authority_id and x.id = d.order_line_id
            where d.authority_id = l.authority_id and x.order_id = l.order_id)
        order by l.id limit 1`.execute(db)
      ).rows[0]!
    const waiting = await line('waitlisted')
    await sql`update order_lines set status = 'confirmed', confirmed_at = '2026-11-22T10:00:00Z', waitlisted_at = null where authority_id = ${coventry} and id = ${waiting.id}`.execute(
      db,
    )
    const confirmed = await line('confirmed')
    await sql`update order_lines set status = 'cancelled', cancelled_at = '2026-11-22T11:00:00Z', cancellation_fee_pence = net_pence / 2 where authority_id = ${coventry} and id = ${confirmed.id}`.execute(
      db,
    )
    const another = await line('confirmed')
    await sql`update order_lines set status = 'completed' where authority_id = ${coventry} and id = ${another.id}`.execute(db)
    // Moved to the other offer of a service, to another year, re-priced, and touched without change.
    const moved = await line('confirmed')
    await sql`update order_lines set trading_year = 2025, net_pence = net_pence + 100, gross_pence = gross_pence + 100 where authority_id = ${coventry} and id = ${moved.id}`.execute(
      db,
    )
    await sql`update order_lines set updated_at = now() where authority_id = ${coventry} and trading_year = 2026 and status = 'confirmed'`.execute(db)
    // An order deleted with its lines (the cascade), and a line deleted on its own.
    const order = (await line('confirmed')).order_id
    await sql`delete from orders where authority_id = ${coventry} and id = ${order}`.execute(db)
    const lone = await line('confirmed')
    await sql`delete from order_lines where authority_id = ${coventry} and id = ${lone.id}`.execute(db)

    const after = await summariesAndRecount()
    expect(after.kept).toEqual(after.recounted)
    expect(after.kept).not.toEqual(before.kept)
  })
})
