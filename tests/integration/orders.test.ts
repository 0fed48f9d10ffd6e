import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { idFor } from '../../db/seed/random'
import { loader as invoicesLoader } from '~/routes/finance.invoices'
import { loader as orderLoader } from '~/routes/orders.$orderId'
import { loader as ordersLoader } from '~/routes/orders._index'
import { getDb } from '~/utils/db.server'
import { createSession, destroySession } from '~/utils/session.server'

// The order pages (/orders/:id) and finance's invoice list,
// through their loaders, on the seeded demo data.

type OrdersData = Awaited<ReturnType<typeof ordersLoader>>
type OrderData = Awaited<ReturnType<typeof orderLoader>>
type InvoicesData = Awaited<ReturnType<typeof invoicesLoader>>

const ACCOUNTS = {
  buyer: 'buyer@elm-bank.example',
  head: 'head@elm-bank.example',
  foleshill: 'buyer@foleshill-park.example',
  leadEp: 'lead.ep@coventry.example',
  finance: 'finance@coventry.example',
  admin: 'admin@coventry.example',
  northfield: 'admin@northfield.example',
} as const
type Account = keyof typeof ACCOUNTS

const cookies = new Map<Account, string>()
let coventryId: string
let northfieldId: string
let elmBankId: string
let foleshillId: string
let epServiceId: string
const ELM_BANK_2026 = idFor('coventry/order/2026/elm-bank/annual')
const ELM_BANK_INTERPRETING = idFor('coventry/order/2026/elm-bank/interpreting')
const ELM_BANK_IN_CITY = idFor('coventry/order/2026/elm-bank/in-city')
const FOLESHILL_2026 = idFor('coventry/order/2026/foleshill-park/annual')
const ASHGROVE_2026 = idFor('northfield/order/2026/ashgrove/annual')

beforeAll(async () => {
  const db = await getDb()
  const authorities = await db.selectFrom('authorities').select(['id', 'slug']).execute()
  coventryId = authorities.find((a) => a.slug === 'coventry')!.id
  northfieldId = authorities.find((a) => a.slug === 'northfield')!.id
  elmBankId = idFor('coventry/school/elm-bank')
  foleshillId = idFor('coventry/school/foleshill-park')
  epServiceId = (
    await db
      .selectFrom('services')
      .select('id')
      .where('authority_id', '=', coventryId)
      .where('slug', '=', 'educational-psychology')
      .executeTakeFirstOrThrow()
  ).id
  for (const [account, email] of Object.entries(ACCOUNTS) as [Account, string][]) {
    const user = await db
      .selectFrom('users')
      .select(['id', 'authority_id'])
      .where('authority_id', '=', email.endsWith('@northfield.example') ? northfieldId : coventryId)
      .where('email', '=', email)
      .executeTakeFirstOrThrow()
    const setCookie = await createSession(db, new Request('http://localhost/'), { id: user.id, authorityId: user.authority_id }, '127.0.0.1')
    cookies.set(account, setCookie.split(';')[0]!)
  }
})

afterAll(async () => {
  const db = await getDb()
  for (const cookie of cookies.values()) {
    await destroySession(db, new Request('http://localhost/', { headers: { Cookie: cookie } }))
  }
})

function args(path: string, account: Account | null, params: Record<string, string> = {}) {
  const cookie = account ? cookies.get(account) : undefined
  return {
    request: new Request(`http://localhost${path}`, { headers: cookie ? { Cookie: cookie } : {} }),
    params,
    context: { clientIp: '127.0.0.1' },
  }
}

const listAs = (account: Account, query = '') => ordersLoader(args(`/orders${query}`, account)) as Promise<OrdersData>
const orderAs = (account: Account, id: string) => orderLoader(args(`/orders/${id}`, account, { orderId: id })) as Promise<OrderData>
const invoicesAs = (account: Account, query = '') => invoicesLoader(args(`/finance/invoices${query}`, account)) as Promise<InvoicesData>

/** The status of what a loader answered or threw. */
async function status(promise: Promise<unknown>): Promise<number> {
  try {
    const result = await promise
    return result instanceof Response ? result.status : 200
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status
    throw thrown
  }
}

/** A school's orders (not baskets) as the database has them, newest first. */
async function ordersOf(schoolId: string) {
  const db = await getDb()
  return db
    .selectFrom('orders')
    .select(['id', 'reference', 'gross_pence'])
    .where('authority_id', '=', coventryId)
    .where('school_id', '=', schoolId)
    .where('status', '!=', 'draft')
    .orderBy(sql`coalesce(submitted_at, created_at)`, 'desc')
    .orderBy('reference', 'desc')
    .execute()
}

/** Every page of a list. */
async function allPages(account: Account, query: string): Promise<OrdersData['orders']> {
  const first = await listAs(account, query)
  const orders = [...first.orders]
  for (let page = 2; page <= first.pageCount; page++) {
    orders.push(...(await listAs(account, `${query}${query ? '&' : '?'}page=${page}`)).orders)
  }
  return orders
}

describe('/orders for a school', () => {
  it('shows Elm Bank’s business manager every Elm Bank order, newest first, and nothing of another school’s', async () => {
    const data = await listAs('buyer')
    const expected = await ordersOf(elmBankId)
    expect(expected.length).toBeGreaterThanOrEqual(6)
    expect(data.view).toBe('school')
    expect(data.schoolName).toBe('Elm Bank Primary School')
    expect(data.total).toBe(expected.length)
    expect(data.orders.map((o) => o.reference)).toEqual(expected.map((o) => o.reference))
    expect(new Set(data.orders.map((o) => o.schoolName))).toEqual(new Set(['Elm Bank Primary School']))
    const foleshill = new Set((await ordersOf(foleshillId)).map((o) => o.reference))
    expect(data.orders.filter((o) => foleshill.has(o.reference))).toEqual([])
    // The list carries what the table shows.
    const annual = data.orders.find((o) => o.id === ELM_BANK_2026)!
    expect(annual).toMatchObject({ status: 'confirmed', lineCount: 8, tradingYears: [2026] })
    expect(data.orders.find((o) => o.id === ELM_BANK_IN_CITY)?.status).toBe('awaiting_approval')
    // No school filter for school users.
    expect(data.schools).toEqual([])
  })

  it('shows the headteacher the same orders, and Foleshill Park’s business manager only Foleshill Park’s', async () => {
    const head = await listAs('head')
    const buyer = await listAs('buyer')
    expect(head.orders.map((o) => o.id)).toEqual(buyer.orders.map((o) => o.id))
    const foleshill = await listAs('foleshill')
    expect(foleshill.orders.map((o) => o.reference)).toEqual((await ordersOf(foleshillId)).map((o) => o.reference))
    expect(foleshill.orders.some((o) => o.id === ELM_BANK_2026)).toBe(false)
  })

  it('ignores a school filter in the address: a school user sees their own school whatever it says', async () => {
    const data = await listAs('buyer', `?school=${foleshillId}`)
    expect(data.orders.length).toBeGreaterThan(0)
    expect(new Set(data.orders.map((o) => o.schoolName))).toEqual(new Set(['Elm Bank Primary School']))
    expect(data.search.errors).toEqual({})
  })

  it('shows each order’s total as the sum of its lines', async () => {
    const data = await listAs('buyer')
    for (const summary of data.orders) {
      const { order } = await orderAs('buyer', summary.id)
      const sum = (key: 'netPence' | 'vatPence' | 'grossPence') => order.lines.reduce((n, l) => n + l[key], 0)
      expect(order.lines).toHaveLength(summary.lineCount)
      expect(sum('grossPence'), order.reference).toBe(summary.grossPence)
      expect(sum('grossPence'), order.reference).toBe(order.grossPence)
      expect(sum('netPence'), order.reference).toBe(order.netPence)
      expect(sum('vatPence'), order.reference).toBe(order.vatPence)
      for (const line of order.lines) expect(line.netPence + line.vatPence).toBe(line.grossPence)
    }
  })

  it('filters by trading year', async () => {
    const all = await listAs('buyer')
    const y2026 = await listAs('buyer', '?year=2026/27')
    const y2025 = await listAs('buyer', `?year=${encodeURIComponent('2025/26')}`)
    expect(y2026.search.errors).toEqual({})
    expect(y2026.search.values.year).toBe('2026/27')
    expect(y2026.orders.length).toBeGreaterThanOrEqual(3)
    expect(y2025.orders.length).toBeGreaterThanOrEqual(3)
    for (const o of y2026.orders) expect(o.tradingYears).toContain(2026)
    for (const o of y2025.orders) expect(o.tradingYears).toContain(2025)
    expect(y2026.orders.map((o) => o.id)).toContain(ELM_BANK_2026)
    expect(y2025.orders.map((o) => o.id)).not.toContain(ELM_BANK_2026)
    expect(all.yearOptions.map((o) => o.value)).toEqual(expect.arrayContaining(['2026/27', '2025/26']))
    // Every order is in one of the years offered (other tests may have added next year's renewal).
    const byYear = await Promise.all(all.yearOptions.map((o) => listAs('buyer', `?year=${encodeURIComponent(o.value)}`)))
    expect(byYear.reduce((sum, y) => sum + y.total, 0)).toBe(all.total)
    // A year with no orders is a fine question with an empty answer.
    const empty = await listAs('buyer', '?year=2030/31')
    expect(empty.orders).toEqual([])
    expect(empty.search.errors).toEqual({})
  })

  it('ignores a bad year with an error message, and never fails on odd query strings', async () => {
    const all = await listAs('buyer')
    for (const year of ['2026', '2026/28', '26/27', 'abcd', '2026/27 ', '1999/00', '3000/01', '%00', 'x'.repeat(5000)]) {
      const data = await listAs('buyer', `?year=${encodeURIComponent(year)}`)
      if (year === '2026/27 ') {
        // Spaces around a value are trimmed, as a browser user would expect.
        expect(data.search.errors).toEqual({})
        continue
      }
      expect(data.search.errors, year).toEqual({ year: 'Choose a trading year from the list' })
      expect(data.search.values.year).toBe('')
      expect(data.total, year).toBe(all.total)
    }
    const odd = [
      '?year=2026/27&year=2025/26',
      '?year[]=2026/27',
      '?year=%E2%80%AE',
      "?year=' or 1=1 --",
      '?page=-1',
      '?page=abc',
      '?page=1e9',
      '?page=99999',
      '?school=x',
      '?%00=%00',
      `?${'a='.repeat(2000)}`,
    ]
    for (const query of odd) {
      const data = await listAs('buyer', query)
      expect(Array.isArray(data.orders), query).toBe(true)
      expect(data.page).toBeGreaterThanOrEqual(1)
    }
    expect((await listAs('buyer', '?year=2026/27&year=2025/26')).search.values.year).toBe('2026/27')
  })
})

describe('/orders for council staff', () => {
  it('shows finance every school’s orders, with a school filter', async () => {
    const data = await listAs('finance')
    expect(data.view).toBe('council')
    expect(data.schools.length).toBeGreaterThanOrEqual(116)
    const db = await getDb()
    const { n } = await db
      .selectFrom('orders')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('authority_id', '=', coventryId)
      .where('status', '!=', 'draft')
      .executeTakeFirstOrThrow()
    expect(data.total).toBe(n)
    expect(data.orders).toHaveLength(Math.min(50, n))

    const elmBank = await listAs('finance', `?school=${elmBankId}`)
    expect(elmBank.search.errors).toEqual({})
    expect(elmBank.orders.map((o) => o.reference)).toEqual((await ordersOf(elmBankId)).map((o) => o.reference))
    const both = await listAs('finance', `?school=${foleshillId}&year=2026/27`)
    expect(both.orders.map((o) => o.id)).toContain(FOLESHILL_2026)
    expect(new Set(both.orders.map((o) => o.schoolName))).toEqual(new Set(['Foleshill Park Academy']))
  })

  it('refuses another authority’s school or a malformed one in the filter, with a message', async () => {
    const all = await listAs('admin')
    for (const school of [idFor('northfield/school/ashgrove'), 'not-a-school', randomUUID(), `${elmBankId}x`]) {
      const data = await listAs('admin', `?school=${encodeURIComponent(school)}`)
      expect(data.search.errors, school).toEqual({ school: 'Choose a school from the list' })
      expect(data.total).toBe(all.total)
    }
  })

  it('pages through the authority’s orders, and copes with any page number', async () => {
    const first = await listAs('finance')
    expect(first.pageCount).toBeGreaterThan(1)
    const second = await listAs('finance', '?page=2')
    expect(second.page).toBe(2)
    expect(second.orders[0]?.id).not.toBe(first.orders[0]?.id)
    const beyond = await listAs('finance', '?page=99999')
    expect(beyond.page).toBe(first.pageCount)
    expect(beyond.orders.length).toBeGreaterThan(0)
    expect((await listAs('finance', '?page=abc')).page).toBe(1)
  })

  it('shows a service lead only the orders holding a line of a service they lead', async () => {
    const orders = await allPages('leadEp', '')
    const db = await getDb()
    const withEp = await db
      .selectFrom('orders as o')
      .select('o.id')
      .where('o.authority_id', '=', coventryId)
      .where('o.status', '!=', 'draft')
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('order_lines as l')
            .innerJoin('offers as f', (j) => j.onRef('f.authority_id', '=', 'l.authority_id').onRef('f.id', '=', 'l.offer_id'))
            .select('l.id')
            .whereRef('l.authority_id', '=', 'o.authority_id')
            .whereRef('l.order_id', '=', 'o.id')
            .where('f.service_id', '=', epServiceId),
        ),
      )
      .execute()
    expect(withEp.length).toBeGreaterThan(10)
    expect(new Set(orders.map((o) => o.id))).toEqual(new Set(withEp.map((o) => o.id)))
    expect(orders.map((o) => o.id)).toContain(ELM_BANK_2026)
    expect(orders.map((o) => o.id)).not.toContain(ELM_BANK_INTERPRETING)
  })

  it('shows another authority’s administrator only their own authority’s orders', async () => {
    const data = await listAs('northfield')
    expect(data.total).toBe(3)
    expect(data.orders.map((o) => o.id)).toContain(ASHGROVE_2026)
    expect(data.schools.map((s) => s.name)).not.toContain('Elm Bank Primary School')
    expect(data.orders.some((o) => o.schoolName === 'Elm Bank Primary School')).toBe(false)
  })
})

describe('/orders/:orderId', () => {
  it('shows Elm Bank’s 2026/27 order: who ordered it, its lines and “4 of 10 days used” of educational psychology', async () => {
    const { order, view } = await orderAs('buyer', ELM_BANK_2026)
    expect(view).toBe('school')
    expect(order.reference).toMatch(/^ORD-2026-\d{5}$/)
    expect(order.school.name).toBe('Elm Bank Primary School')
    expect(order.status).toBe('confirmed')
    expect(order.orderedBy).toBe('Sam Whitaker')
    expect(order.poNumber).toBeNull()
    expect(order.tradingYears).toEqual([2026])
    expect(order.lines).toHaveLength(8)
    const ep = order.lines.find((l) => l.serviceName === 'Educational Psychology')!
    expect(ep).toMatchObject({ offerName: expect.any(String), quantity: 10, unitOther: 'days', status: 'confirmed' })
    expect(ep.delivery?.text).toBe('4 of 10 days used')
    // 10 days at the 10+ rate of £500; a maintained school buying from its council pays no VAT.
    expect(ep.unitPricePence).toBe(50_000)
    expect(ep.netPence).toBe(500_000)
    // Provision that is not logged unit by unit says nothing about use, rather than "0 of 2 classes used".
    expect(order.lines.find((l) => l.serviceName === 'Governor support')?.delivery).toBeNull()
    expect(order.lines.filter((l) => l.serviceName === 'Coventry Music').map((l) => l.delivery)).toEqual([null, null, null, null])
    const foleshill = await orderAs('foleshill', FOLESHILL_2026)
    const used = Object.fromEntries(foleshill.order.lines.filter((l) => l.delivery).map((l) => [l.serviceName, l.delivery?.text]))
    expect(used).toMatchObject({
      'Educational Psychology': '7 of 16 days used',
      'Social, emotional and mental health support': '5 of 12 days used',
    })
    // The order's invoices, as issued for it (the seed bills every confirmed line).
    const db = await getDb()
    const issued = await db.selectFrom('invoices').select('id').where('order_id', '=', ELM_BANK_2026).orderBy('sequence_number').execute()
    expect(issued.length).toBeGreaterThan(0)
    expect(order.invoices.map((i) => i.id).sort()).toEqual(issued.map((i) => i.id).sort())
  })

  it('shows the status history with who and when, oldest first', async () => {
    const { order } = await orderAs('head', ELM_BANK_2026)
    // Above Elm Bank's £2,500 limit: the headteacher approved it, then capacity was reserved.
    expect(order.events.map((e) => e.toStatus)).toEqual(['draft', 'awaiting_approval', 'submitted', 'confirmed'])
    expect(order.events.map((e) => (e.actorName?.length ? e.actorName : null))).toEqual(['Sam Whitaker', 'Sam Whitaker', order.approvedBy, null])
    expect(order.approvedBy).toEqual(expect.any(String))
    expect(order.approvedBy).not.toBe('Sam Whitaker')
    expect(order.approvedAt).not.toBeNull()
    const times = order.events.map((e) => new Date(e.at).getTime())
    expect([...times].sort((a, b) => a - b)).toEqual(times)
  })

  it('shows an order waiting for the headteacher, and a purchase order number', async () => {
    const { order } = await orderAs('head', ELM_BANK_IN_CITY)
    expect(order.status).toBe('awaiting_approval')
    expect(order.approvedBy).toBeNull()
    expect(order.approvedAt).toBeNull()
    const foleshill = await orderAs('foleshill', FOLESHILL_2026)
    expect(foleshill.order.poNumber).toBe('FPA-PO-26-0097')
    expect(foleshill.order.school.name).toBe('Foleshill Park Academy')
  })

  it('lets council staff open any order of their authority, and a service lead only those with their services', async () => {
    expect((await orderAs('finance', ELM_BANK_INTERPRETING)).view).toBe('council')
    expect((await orderAs('admin', FOLESHILL_2026)).order.reference).toMatch(/^ORD-2026-/)
    expect((await orderAs('leadEp', ELM_BANK_2026)).order.lines.length).toBe(8)
    expect(await status(orderAs('leadEp', ELM_BANK_INTERPRETING))).toBe(404)
  })

  it('answers 404 for another school’s order, another authority’s, a missing or malformed id', async () => {
    expect(await status(orderAs('foleshill', ELM_BANK_2026))).toBe(404)
    expect(await status(orderAs('buyer', FOLESHILL_2026))).toBe(404)
    expect(await status(orderAs('northfield', ELM_BANK_2026))).toBe(404)
    expect(await status(orderAs('finance', ASHGROVE_2026))).toBe(404)
    for (const id of [randomUUID(), 'not-an-id', '1', `${ELM_BANK_2026}x`, "' or 1=1 --", '%00', 'a'.repeat(5000), '']) {
      expect(await status(orderAs('admin', id)), id.slice(0, 40)).toBe(404)
    }
  })

  it('sends anonymous people to sign in first', async () => {
    try {
      await orderLoader(args(`/orders/${ELM_BANK_2026}`, null, { orderId: ELM_BANK_2026 }))
      expect.unreachable()
    } catch (thrown) {
      expect(thrown).toBeInstanceOf(Response)
      const location = (thrown as Response).headers.get('Location')
      expect(location).toBe(`/login?redirectTo=${encodeURIComponent(`/orders/${ELM_BANK_2026}`)}`)
    }
  })
})

describe('/finance/invoices', () => {
  // The seed issues every confirmed line's invoices, in both authorities.
  async function countInvoices(authorityId: string, where: { status?: string; route?: string; schoolId?: string } = {}) {
    const db = await getDb()
    const row = await db
      .selectFrom('invoices')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('authority_id', '=', authorityId)
      .$if(where.status !== undefined, (q) => q.where('status', '=', where.status as never))
      .$if(where.route !== undefined, (q) => q.where('route', '=', where.route as never))
      .$if(where.schoolId !== undefined, (q) => q.where('school_id', '=', where.schoolId!))
      .executeTakeFirstOrThrow()
    return row.n
  }

  it('shows Coventry’s finance officer Coventry’s invoices, newest first, with every school to filter by', async () => {
    const db = await getDb()
    const coventryId = (await db.selectFrom('authorities').select('id').where('slug', '=', 'coventry').executeTakeFirstOrThrow()).id
    // Other test files add Coventry invoices and schools as this runs: count before and after.
    const before = await countInvoices(coventryId)
    const data = await invoicesAs('finance')
    const after = await countInvoices(coventryId)
    expect(data.anyIssued).toBe(true)
    expect(data.total).toBeGreaterThanOrEqual(before)
    expect(data.total).toBeLessThanOrEqual(after)
    expect(data.schools.length).toBeGreaterThanOrEqual(116)
    const issued = data.invoices.map((i) => new Date(i.issuedAt).getTime())
    expect(issued).toEqual([...issued].sort((a, b) => b - a))
  })

  it('lists only the authority’s own invoices, with school, status, route and amounts', async () => {
    const data = await invoicesAs('northfield')
    expect(data.anyIssued).toBe(true)
    expect(data.invoices).toHaveLength(await countInvoices(northfieldId))
    expect(data.invoices.every((i) => i.number.startsWith('NBC-'))).toBe(true)
    const ashgrove = data.invoices.find((i) => i.orderId === ASHGROVE_2026)
    expect(ashgrove).toMatchObject({ schoolName: 'Ashgrove Primary School', route: 'internal_recharge' })
    const coventry = (await invoicesAs('finance')).invoices.map((i) => i.id)
    expect(coventry.some((id) => data.invoices.some((i) => i.id === id))).toBe(false)
    // ...and the order's page shows it.
    const { order } = await orderAs('northfield', ASHGROVE_2026)
    expect(order.invoices.map((i) => i.id)).toContain(ashgrove!.id)
  })

  it('filters by school, status and route', async () => {
    const ashgrove = idFor('northfield/school/ashgrove')
    for (const [query, where] of [
      ['?status=open', { status: 'open' }],
      ['?status=paid', { status: 'paid' }],
      ['?route=internal_recharge', { route: 'internal_recharge' }],
      ['?route=invoice', { route: 'invoice' }],
      [`?school=${ashgrove}&status=paid&route=internal_recharge`, { schoolId: ashgrove, status: 'paid', route: 'internal_recharge' }],
    ] as const) {
      expect((await invoicesAs('northfield', query)).invoices.length, query).toBe(await countInvoices(northfieldId, where))
    }
    expect((await invoicesAs('northfield', `?school=${ashgrove}`)).invoices.length).toBeGreaterThan(0)
  })

  it('ignores bad filters with a message each, and never fails on odd query strings', async () => {
    const data = await invoicesAs('northfield', `?status=lost&route=cash&school=${elmBankId}`)
    expect(data.search.errors).toEqual({
      status: 'Choose a status from the list',
      route: 'Choose how the school pays from the list',
      school: 'Choose a school from the list',
    })
    expect(data.invoices).toHaveLength(await countInvoices(northfieldId))
    for (const query of ['?status=%00', '?page=-5', '?school=../../etc', `?route=${'x'.repeat(5000)}`, '?status=open&status=paid']) {
      const odd = await invoicesAs('finance', query)
      expect(Array.isArray(odd.invoices), query).toBe(true)
    }
  })

  it('is for finance officers and LA administrators only', async () => {
    for (const account of ['buyer', 'head', 'foleshill', 'leadEp'] as const) {
      expect(await status(invoicesAs(account)), account).toBe(403)
    }
  })
})
