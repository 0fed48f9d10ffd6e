import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays } from '~/domain/dates'
import { tradingYearLabel } from '~/domain/trading-year'
import { seedDemoData } from '../../db/seed/index'
import { withFreshDatabase, type FreshDatabase } from '../support/database'

/**
 * The demo is loaded on whatever day a newcomer runs `npm start`: a year after
 * the day its figures were written for, and on the last days of a trading
 * year, it must still have this year's orders to date, last year's history,
 * renewals open for next year and courses to book, and nothing in the future.
 */
const DAYS = [
  { today: '2027-12-06', thisYear: 2027 },
  { today: '2028-03-27', thisYear: 2027 },
]

describe.each(DAYS)('the demo loaded on $today', ({ today, thisYear }) => {
  let fresh: FreshDatabase
  let coventry: string

  beforeAll(async () => {
    fresh = await withFreshDatabase()
    await seedDemoData(fresh.db, today)
    coventry = (await fresh.db.selectFrom('authorities').select('id').where('slug', '=', 'coventry').executeTakeFirstOrThrow()).id
  }, 180_000)

  afterAll(async () => {
    await fresh?.close()
  })

  it(`has ${tradingYearLabel(thisYear)}'s orders to date and last year's history behind them`, async () => {
    const byYear = await sql<{ trading_year: number; orders: number; confirmed: number }>`
      select l.trading_year, count(distinct l.order_id)::int as orders, count(*) filter (where l.status in ('confirmed', 'completed'))::int as confirmed
      from order_lines l where l.authority_id = ${coventry} group by l.trading_year order by l.trading_year
    `.execute(fresh.db)
    const of = (year: number) => byYear.rows.find((r) => r.trading_year === year)
    expect(of(thisYear - 1)?.confirmed).toBeGreaterThan(300)
    expect(of(thisYear)?.orders).toBeGreaterThan(100)
    expect(of(thisYear - 2)).toBeUndefined()
  })

  it('has nothing ordered, delivered, invoiced or paid after today', async () => {
    const end = `${addDays(today, 1)}T00:00:00Z`
    const future = await sql<{ what: string; n: number }>`
      select 'orders' as what, count(*)::int as n from orders where authority_id = ${coventry} and submitted_at >= ${end}
      union all select 'deliveries', count(*)::int from delivery_records where authority_id = ${coventry} and delivered_on > ${today}
      union all select 'invoices', count(*)::int from invoices where authority_id = ${coventry} and issued_at >= ${end}
      union all select 'payments', count(*)::int from payments where authority_id = ${coventry} and received_on > ${today}
    `.execute(fresh.db)
    expect(Object.fromEntries(future.rows.map((r) => [r.what, r.n]))).toEqual({ orders: 0, deliveries: 0, invoices: 0, payments: 0 })
    const invoiced = await fresh.db
      .selectFrom('invoices')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('authority_id', '=', coventry)
      .executeTakeFirstOrThrow()
    expect(Number(invoiced.n)).toBeGreaterThan(500)
  })

  it('has renewals into next year open today, with proposals', async () => {
    const window = await fresh.db
      .selectFrom('renewal_windows')
      .select(['trading_year', 'opens_on', 'closes_on', 'opened_at'])
      .where('authority_id', '=', coventry)
      .executeTakeFirstOrThrow()
    expect(window.trading_year).toBe(thisYear + 1)
    expect(window.opened_at).not.toBeNull()
    expect(String(window.opens_on) <= today && today <= String(window.closes_on)).toBe(true)
    const proposals = await fresh.db
      .selectFrom('renewal_proposals')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('authority_id', '=', coventry)
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow()
    expect(Number(proposals.n)).toBeGreaterThan(50)
  })

  it('has courses ahead to book, priced for their year', async () => {
    const ahead = await sql<{ title: string; priced: boolean }>`
      select c.title, exists (
        select 1 from offer_prices p where p.authority_id = c.authority_id and p.offer_id = c.offer_id
          and p.trading_year = extract(year from c.starts_at - interval '3 months')::int
      ) as priced
      from courses c where c.authority_id = ${coventry} and c.starts_at >= ${`${addDays(today, 1)}T00:00:00Z`}
    `.execute(fresh.db)
    expect(ahead.rows.length).toBeGreaterThanOrEqual(2)
    expect(ahead.rows.every((c) => c.priced)).toBe(true)
  })
})
