import { beforeAll, describe, expect, it } from 'vitest'
import type { DB } from '../../db/connection'
import { chargesDue } from '~/domain/invoicing'
import { billableLines } from '~/models/billing/billable-lines.server'
import { billOrders } from '~/models/billing/billing-run.server'
import { ordersWithChargesDue } from '~/models/billing/orders-due.server'
import { getOrderDetail } from '~/models/ordering/order-detail.server'
import { approveOrder } from '~/models/ordering/approvals.server'
import { acceptProposal } from '~/models/renewals/school.server'
import { getDb } from '~/utils/db.server'

/**
 * Billing dates on the demo data (SPEC §7): Elm Bank accepts its 2027/28
 * renewal in December 2026; nothing is invoiced for it until its period
 * starts on 1 April 2027, and then it is invoiced once, in April's recharge
 * journal (Elm Bank is a maintained school). The billing runs are given
 * their day (`asOf`, `now`) and this order only, so the shared database's
 * other orders are not billed ahead of time.
 */

let db: DB
let coventry: string
let elmBank: string
let buyer: string
let head: string

const DECEMBER = new Date('2026-12-07T10:00:00Z')
const APRIL = new Date('2027-04-01T09:00:00Z')

beforeAll(async () => {
  db = await getDb()
  coventry = (await db.selectFrom('authorities').select('id').where('slug', '=', 'coventry').executeTakeFirstOrThrow()).id
  elmBank = (
    await db
      .selectFrom('schools')
      .select('id')
      .where('authority_id', '=', coventry)
      .where('name', '=', 'Elm Bank Primary School')
      .executeTakeFirstOrThrow()
  ).id
  const user = async (email: string) => (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow()).id
  buyer = await user('buyer@elm-bank.example')
  head = await user('head@elm-bank.example')
})

async function invoicesOf(orderId: string) {
  return db
    .selectFrom('invoices')
    .select(['id', 'issued_at', 'gross_pence', 'route', 'journal_id'])
    .where('authority_id', '=', coventry)
    .where('order_id', '=', orderId)
    .execute()
}

const NO_ORDER = '00000000-0000-4000-8000-000000000000'

describe('a renewal for next year accepted in December', () => {
  it('is not invoiced until its period starts on 1 April 2027, then once, in April’s journal; the order says when', async () => {
    const proposal = await db
      .selectFrom('renewal_proposals')
      .select('id')
      .where('authority_id', '=', coventry)
      .where('school_id', '=', elmBank)
      .where('trading_year', '=', 2027)
      .where('status', '=', 'open')
      .executeTakeFirstOrThrow()
    const accepted = await acceptProposal(
      db,
      { userId: buyer, authorityId: coventry, schoolId: elmBank },
      { proposalId: proposal.id, poNumber: 'PO-ELM-2027' },
      DECEMBER,
    )
    if (accepted.kind !== 'accepted') throw new Error(`not accepted: ${JSON.stringify(accepted)}`)
    const orderId = accepted.orderId
    // Over Elm Bank's £2,500 limit, so the headteacher approves it and its lines are confirmed.
    expect(accepted.status).toBe('awaiting_approval')
    expect((await approveOrder(db, { userId: head, authorityId: coventry, schoolId: elmBank }, orderId)).ok).toBe(true)
    const lines = await db
      .selectFrom('order_lines as l')
      .innerJoin('offers as f', (j) => j.onRef('f.authority_id', '=', 'l.authority_id').onRef('f.id', '=', 'l.offer_id'))
      .select(['l.id', 'l.status', 'l.period_start', 'l.period_end', 'l.gross_pence', 'f.invoice_schedule'])
      .where('l.authority_id', '=', coventry)
      .where('l.order_id', '=', orderId)
      .execute()
    const confirmed = lines.filter((l) => l.status === 'confirmed')
    const annual = confirmed.filter((l) => l.invoice_schedule === 'annual_in_advance')
    const termly = confirmed.filter((l) => l.invoice_schedule === 'termly')
    // The demo renewal has lines of every schedule.
    expect(annual.length).toBeGreaterThan(0)
    expect(termly.length).toBeGreaterThan(0)
    expect(confirmed.some((l) => l.invoice_schedule === 'on_delivery')).toBe(true)
    // Every line covers next year: from its first day, or (sold by the term) from the summer term's.
    expect(new Set(lines.map((l) => l.period_start))).toEqual(new Set(['2027-04-01', '2027-04-13']))

    // Confirmation's own billing, and the hourly run's list, find nothing due in December or March.
    expect(await billOrders(db, coventry, { orderIds: [orderId], asOf: '2026-12-07', now: DECEMBER, notify: false })).toEqual({
      invoiceIds: [],
      creditNoteIds: [],
    })
    expect(await ordersWithChargesDue(db, coventry, '2026-12-07')).not.toContain(orderId)
    expect(await ordersWithChargesDue(db, coventry, '2027-03-31')).not.toContain(orderId)
    expect((await billOrders(db, coventry, { orderIds: [orderId], asOf: '2027-03-31', notify: false })).invoiceIds).toEqual([])
    expect(await invoicesOf(orderId)).toEqual([])

    // The order page says when.
    const detail = await getOrderDetail(db, { kind: 'school', authorityId: coventry, schoolId: elmBank }, orderId)
    // Yearly lines on 1 April, termly ones at the start of the summer term, on-delivery ones monthly as delivered.
    const expected = { annual_in_advance: '2027-04-01', termly: '2027-04-13', on_delivery: null }
    expect(new Map(detail!.lines.map((l) => [l.id, l.nextInvoiceOn]))).toEqual(
      new Map(lines.map((l) => [l.id, l.status === 'confirmed' ? expected[l.invoice_schedule] : null])),
    )
    expect(detail!.invoices).toEqual([])

    // On 1 April 2027 the hourly run picks it up and invoices the yearly lines, once.
    expect(await ordersWithChargesDue(db, coventry, '2027-04-01')).toContain(orderId)
    const april = await billOrders(db, coventry, { orderIds: [orderId], asOf: '2027-04-01', now: APRIL, notify: false })
    expect(april.invoiceIds).toHaveLength(1)
    const again = await billOrders(db, coventry, { orderIds: [orderId], asOf: '2027-04-02', now: APRIL, notify: false })
    expect(again.invoiceIds).toEqual([])
    const [invoice, ...others] = await invoicesOf(orderId)
    expect(others).toEqual([])
    expect(invoice).toMatchObject({ issued_at: APRIL, route: 'internal_recharge', gross_pence: annual.reduce((n, l) => n + l.gross_pence, 0) })
    const journal = await db.selectFrom('recharge_journals').select('month').where('id', '=', invoice!.journal_id!).executeTakeFirstOrThrow()
    expect(journal.month).toBe('2027-04-01')
    expect(await ordersWithChargesDue(db, coventry, '2027-04-12')).not.toContain(orderId)

    // The summer term's instalments on 13 April; the page then says when the autumn ones fall.
    expect(await ordersWithChargesDue(db, coventry, '2027-04-13')).toContain(orderId)
    const summer = await billOrders(db, coventry, { orderIds: [orderId], asOf: '2027-04-13', now: new Date('2027-04-13T09:00:00Z'), notify: false })
    expect(summer.invoiceIds).toHaveLength(1)
    const after = await getOrderDetail(db, { kind: 'school', authorityId: coventry, schoolId: elmBank }, orderId)
    // A line sold for the summer term alone has nothing more to pay.
    const autumnToCome = (l: (typeof lines)[number]) => l.status === 'confirmed' && l.invoice_schedule === 'termly' && l.period_end >= '2027-09-02'
    expect(lines.some(autumnToCome)).toBe(true)
    expect(new Map(after!.lines.map((l) => [l.id, l.nextInvoiceOn]))).toEqual(
      new Map(lines.map((l) => [l.id, autumnToCome(l) ? '2027-09-02' : null])),
    )
  })
})

describe('the hourly billing run', () => {
  it('looks only at orders with something due, and never misses one (the demo data, on days when much falls due)', async () => {
    const lines = await billableLines(db, coventry)
    const issued = await db
      .selectFrom('invoice_lines')
      .select('charge_key')
      .where('authority_id', '=', coventry)
      .where('charge_key', 'is not', null)
      .execute()
    const issuedKeys = new Set(issued.map((r) => r.charge_key))
    const everyOrder = new Set(lines.map((l) => l.orderId))
    for (const asOf of ['2026-11-22', '2026-12-01', '2027-01-05', '2027-04-01']) {
      const due = new Set(lines.filter((l) => chargesDue(l, asOf).some((c) => !issuedKeys.has(c.key))).map((l) => l.orderId))
      const picked = new Set(await ordersWithChargesDue(db, coventry, asOf))
      expect(
        [...due].filter((id) => !picked.has(id)),
        `orders missed on ${asOf}`,
      ).toEqual([])
      // Far fewer than every order with a billable line: those billed up to today are left alone.
      expect(picked.size, asOf).toBeLessThan(everyOrder.size / 2)
    }
    // The seed billed everything due up to today: nothing is owed now but what cancelled lines are still to be
    // credited. (Only the seed's orders, submitted before the run's clock started: other files order and confirm
    // as they run, and billing them is their jobs' business.)
    const today = await ordersWithChargesDue(db, coventry, '2026-11-22')
    const seeded = await db
      .selectFrom('orders')
      .select('id')
      .where('authority_id', '=', coventry)
      .where('id', 'in', today.length ? today : [NO_ORDER])
      .where('submitted_at', '<', new Date(process.env.CLOCK_START!))
      .execute()
    expect(seeded.length).toBeLessThan(10)
  })
})
