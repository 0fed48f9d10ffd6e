import { sql, type Kysely } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { quotePrice } from '../../app/domain/pricing'
import type { Database } from '../../db/schema'
import { toPricedOffer } from '../../db/seed/catalogue'
import { DEMO_PASSWORD_HASH } from '../../db/seed/factories'
import { hasDemoData, seedDemoData, type SeedSummary } from '../../db/seed/index'
import { TABLE_ORDER } from '../../db/seed/types'
import { withFreshDatabase, type FreshDatabase } from '../support/database'

/**
 * The demo seed docs/product.md on a fresh database: the facts a person trying
 * the demo would notice, the capacity story, and that every run gives the
 * same rows. Runs on the server of TEST_DATABASE_URL/DATABASE_URL when set,
 * otherwise on the embedded PGlite.
 */

let database: FreshDatabase
let db: Kysely<Database>
let summary: SeedSummary
let seedMs = 0

async function authorityId(slug: string): Promise<string> {
  const row = await db.selectFrom('authorities').select('id').where('slug', '=', slug).executeTakeFirstOrThrow()
  return row.id
}

async function schoolId(authority: string, name: string): Promise<string> {
  const row = await db.selectFrom('schools').select('id').where('authority_id', '=', authority).where('name', '=', name).executeTakeFirstOrThrow()
  return row.id
}

/** Net income of confirmed and completed lines for an authority's trading year, in pence. */
async function bookedIncome(authority: string, year: number, serviceSlug?: string): Promise<number> {
  let query = db
    .selectFrom('order_lines as l')
    .innerJoin('offers as o', (j) => j.onRef('o.authority_id', '=', 'l.authority_id').onRef('o.id', '=', 'l.offer_id'))
    .innerJoin('services as s', (j) => j.onRef('s.authority_id', '=', 'o.authority_id').onRef('s.id', '=', 'o.service_id'))
    .select(sql<number>`coalesce(sum(l.net_pence), 0)::bigint`.as('net'))
    .where('l.authority_id', '=', authority)
    .where('l.trading_year', '=', year)
    .where('l.status', 'in', ['confirmed', 'completed'])
  if (serviceSlug) query = query.where('s.slug', '=', serviceSlug)
  const row = await query.executeTakeFirstOrThrow()
  return Number(row.net)
}

/** One md5 per seeded table, of all its rows as text in a fixed order. */
async function digests(target: Kysely<Database>): Promise<Record<string, string>> {
  const result: Record<string, string> = {}
  for (const table of TABLE_ORDER) {
    const { rows } = await sql<{ digest: string }>`
      select md5(coalesce(string_agg(t::text, E'\n' order by t::text), '')) as digest from ${sql.table(table)} t
    `.execute(target)
    result[table] = rows[0]?.digest ?? ''
  }
  // The billing history's rows get the database's ids; everything else about them repeats.
  const billing = await sql<{ digest: string }>`
    select md5(coalesce(string_agg(concat_ws('|', number, route, status, issued_at, due_on, gross_pence, amount_paid_pence, amount_credited_pence, paid_at), E'\n' order by number), '')) as digest
    from invoices`.execute(target)
  result.invoices = billing.rows[0]?.digest ?? ''
  const money = await sql<{ digest: string }>`
    select md5(coalesce(string_agg(concat_ws('|', method, amount_pence, received_on, reference), E'\n' order by received_on, reference, amount_pence), '')) as digest
    from payments`.execute(target)
  result.payments = money.rows[0]?.digest ?? ''
  return result
}

beforeAll(async () => {
  database = await withFreshDatabase()
  db = database.db
  const started = performance.now()
  summary = await seedDemoData(db)
  seedMs = Math.round(performance.now() - started)
  console.info(`Demo seed on ${database.kind === 'embedded' ? 'embedded PGlite' : 'PostgreSQL'}: ${seedMs} ms, ${JSON.stringify(summary)}`)
}, 180_000)

afterAll(async () => {
  await database?.close()
}, 60_000)

describe('the demo seed', () => {
  it('reports what it inserted, and runs in seconds', async () => {
    expect(summary).toMatchObject({ authorities: 2, schools: 122 })
    const [orders, lines, users] = await Promise.all([
      db
        .selectFrom('orders')
        .select(sql<number>`count(*)::int`.as('n'))
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('order_lines')
        .select(sql<number>`count(*)::int`.as('n'))
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('users')
        .select(sql<number>`count(*)::int`.as('n'))
        .executeTakeFirstOrThrow(),
    ])
    expect(summary.orders).toBe(orders.n)
    expect(summary.orderLines).toBe(lines.n)
    expect(summary.users).toBe(users.n)
    expect(seedMs).toBeLessThan(30_000)
  })

  it('gives every row a version 4 uuid', async () => {
    const v4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
    for (const table of ['authorities', 'schools', 'users', 'services', 'offers', 'orders', 'order_lines', 'order_events'] as const) {
      const rows = await db.selectFrom(table).select('id').execute()
      expect(rows.length, table).toBeGreaterThan(0)
      for (const row of rows) expect(row.id, table).toMatch(v4)
      expect(new Set(rows.map((r) => r.id)).size, table).toBe(rows.length)
    }
  })

  it('refuses to seed a database that already has data, and says it has demo data', async () => {
    expect(await hasDemoData(db)).toBe(true)
    await expect(seedDemoData(db)).rejects.toThrow(/already holds data/)
    const count = await db
      .selectFrom('authorities')
      .select(sql<number>`count(*)::int`.as('n'))
      .executeTakeFirstOrThrow()
    expect(count.n).toBe(2)
  })

  it('gives Coventry 116 schools with the published phase mix, about half academies', async () => {
    const coventry = await authorityId('coventry')
    const authority = await db.selectFrom('authorities').selectAll().where('id', '=', coventry).executeTakeFirstOrThrow()
    expect(authority).toMatchObject({ name: 'Coventry City Council', invoice_prefix: 'COV' })
    // The counters carry on from the seeded billing history's last numbers.
    const counters = await db.selectFrom('document_counters').selectAll().where('authority_id', '=', coventry).orderBy('kind').execute()
    const lastInvoice = await db
      .selectFrom('invoices')
      .select(sql<number>`max(sequence_number)`.as('n'))
      .where('authority_id', '=', coventry)
      .executeTakeFirstOrThrow()
    const lastCredit = await db
      .selectFrom('credit_notes')
      .select(sql<number>`max(sequence_number)`.as('n'))
      .where('authority_id', '=', coventry)
      .executeTakeFirstOrThrow()
    const trustOrders = await db.selectFrom('trust_orders').select('reference').where('authority_id', '=', coventry).execute()
    expect(counters.map((c) => [c.kind, c.last_number])).toEqual([
      ['credit_note', lastCredit.n],
      ['invoice', lastInvoice.n],
      ['trust_order', trustOrders.length],
    ])

    const schools = await db.selectFrom('schools').selectAll().where('authority_id', '=', coventry).execute()
    expect(schools).toHaveLength(116)
    const byPhase = Object.fromEntries(
      ['primary', 'secondary', 'special', 'nursery', 'alternative_provision'].map((p) => [p, schools.filter((s) => s.phase === p).length]),
    )
    expect(byPhase).toEqual({ primary: 84, secondary: 19, special: 8, nursery: 3, alternative_provision: 2 })
    const academies = schools.filter((s) => s.school_type === 'academy').length
    expect(academies).toBeGreaterThanOrEqual(46)
    expect(academies).toBeLessThanOrEqual(70)
    expect(new Set(schools.map((s) => s.urn)).size).toBe(116)
    expect(new Set(schools.map((s) => s.name)).size).toBe(116)
    for (const s of schools) {
      expect(s.urn).toMatch(/^\d{6}$/)
      expect(s.finance_route).toBe(s.school_type === 'academy' ? 'invoice' : 'internal_recharge')
      if (s.school_type === 'maintained') expect(s.cost_centre).toMatch(/^CC-1\d{4}$/)
      expect(s.postcode).toMatch(/^CV[1-6] \d[A-Z]{2}$/)
      const [low, high] = {
        primary: [150, 630],
        secondary: [700, 1600],
        special: [60, 250],
        nursery: [50, 120],
        alternative_provision: [30, 90],
        all_through: [0, 2000],
      }[s.phase]
      expect(s.pupil_count).toBeGreaterThanOrEqual(low as number)
      expect(s.pupil_count).toBeLessThanOrEqual(high as number)
    }

    const elmBank = schools.find((s) => s.name === 'Elm Bank Primary School')
    expect(elmBank).toMatchObject({
      phase: 'primary',
      school_type: 'maintained',
      pupil_count: 420,
      approval_limit_pence: 250_000,
      finance_route: 'internal_recharge',
    })
    const foleshill = schools.find((s) => s.name === 'Foleshill Park Academy')
    expect(foleshill).toMatchObject({ phase: 'secondary', school_type: 'academy', pupil_count: 1150, finance_route: 'invoice' })
  })

  it('has the five categories and every required service, each fully described', async () => {
    const coventry = await authorityId('coventry')
    const categories = await db.selectFrom('categories').select(['slug', 'name']).where('authority_id', '=', coventry).orderBy('position').execute()
    expect(categories.map((c) => c.name)).toEqual(['SEND support', 'Music', 'Ethnic Minority Achievement', 'Governor support', 'Other'])
    expect(categories.map((c) => c.slug)).toEqual(['send-support', 'music', 'ethnic-minority-achievement', 'governor-support', 'other'])

    const services = await db.selectFrom('services').selectAll().where('authority_id', '=', coventry).execute()
    expect(services.length).toBeGreaterThanOrEqual(12)
    const slugs = services.map((s) => s.slug)
    for (const slug of [
      'educational-psychology',
      'semh-support',
      'complex-communication-and-learning',
      'sensory-support',
      'sen-early-years',
      'coventry-music',
      'ethnic-minority-achievement',
      'governor-support',
      'outdoor-education',
      'work-related-learning',
      'school-attendance',
    ]) {
      expect(slugs).toContain(slug)
    }
    const names = Object.fromEntries(services.map((s) => [s.slug, s.name]))
    expect(names).toMatchObject({
      'educational-psychology': 'Educational Psychology',
      'coventry-music': 'Coventry Music',
      'governor-support': 'Governor support',
      'ethnic-minority-achievement': 'Ethnic Minority Achievement',
    })
    for (const s of services) {
      const paragraphs = s.description.split('\n\n')
      expect(paragraphs.length, s.slug).toBeGreaterThanOrEqual(2)
      expect(paragraphs.length, s.slug).toBeLessThanOrEqual(4)
      expect(s.included.length, s.slug).toBeGreaterThanOrEqual(3)
      expect(s.included.length, s.slug).toBeLessThanOrEqual(6)
      expect(s.excluded.length, s.slug).toBeGreaterThanOrEqual(3)
      expect(s.excluded.length, s.slug).toBeLessThanOrEqual(6)
      expect(s.terms, s.slug).toMatch(/notice|cancel/i)
      expect(s.phases.length, s.slug).toBeGreaterThan(0)
      expect(s.contact_email, s.slug).toMatch(/@coventry\.example$/)
      expect(s.income_code, s.slug).toMatch(/^INC-/)
    }

    const leads = await db
      .selectFrom('service_leads as sl')
      .innerJoin('users as u', (j) => j.onRef('u.authority_id', '=', 'sl.authority_id').onRef('u.id', '=', 'sl.user_id'))
      .innerJoin('services as s', (j) => j.onRef('s.authority_id', '=', 'sl.authority_id').onRef('s.id', '=', 'sl.service_id'))
      .select(['u.email', 's.slug'])
      .where('sl.authority_id', '=', coventry)
      .execute()
    expect(leads).toContainEqual({ email: 'lead.ep@coventry.example', slug: 'educational-psychology' })
    expect(leads).toContainEqual({ email: 'lead.music@coventry.example', slug: 'coventry-music' })
    // Every service has at least one lead.
    expect(new Set(leads.map((l) => l.slug)).size).toBe(services.length)
  })

  it('prices Educational Psychology days at £550 for 1 to 9 days and £500 for 10 or more in 2026/27', async () => {
    const coventry = await authorityId('coventry')
    const offer = await db
      .selectFrom('offers as o')
      .innerJoin('services as s', (j) => j.onRef('s.authority_id', '=', 'o.authority_id').onRef('s.id', '=', 'o.service_id'))
      .selectAll('o')
      .where('o.authority_id', '=', coventry)
      .where('s.slug', '=', 'educational-psychology')
      .where('o.slug', '=', 'ep-days')
      .executeTakeFirstOrThrow()
    expect(offer).toMatchObject({ pricing_model: 'per_unit', unit_one: 'day', unit_other: 'days', hours_per_unit: 6.5, vat_category: 'standard' })
    expect(['on_delivery', 'annual_in_advance']).toContain(offer.invoice_schedule)
    const prices = await db.selectFrom('offer_prices').selectAll().where('authority_id', '=', coventry).where('offer_id', '=', offer.id).execute()
    expect(prices.map((p) => p.trading_year).sort()).toEqual([2025, 2026, 2027])
    const bands = await db
      .selectFrom('offer_price_bands')
      .selectAll()
      .where('authority_id', '=', coventry)
      .where(
        'offer_price_id',
        'in',
        prices.map((p) => p.id),
      )
      .execute()
    const year2026 = prices.find((p) => p.trading_year === 2026)
    const tiers = bands
      .filter((b) => b.offer_price_id === year2026?.id)
      .sort((a, b) => a.lower_bound - b.lower_bound)
      .map((b) => [b.kind, b.lower_bound, b.upper_bound, b.maintained_pence, b.academy_pence])
    expect(tiers).toEqual([
      ['quantity', 1, 9, 55_000, 55_000],
      ['quantity', 10, null, 50_000, 50_000],
    ])
    // Last year about 3% cheaper, next year about 3% dearer, in whole pounds.
    const tier1 = (year: number) =>
      bands.find((b) => b.offer_price_id === prices.find((p) => p.trading_year === year)?.id && b.lower_bound === 1)?.maintained_pence
    expect(tier1(2025)).toBe(53_400)
    expect(tier1(2027)).toBe(56_700)

    // The pricing module, fed from these rows, quotes what a school sees.
    const priced = toPricedOffer(offer, prices, bands)
    const quote = quotePrice(priced, { authorityId: coventry, type: 'maintained', pupilCount: 420 }, 10, new Date('2026-11-22T00:00:00Z'))
    expect(quote.ok && quote.quote.netPence).toBe(500_000)
  })

  it('uses all five pricing models, with some academy prices above maintained ones', async () => {
    const coventry = await authorityId('coventry')
    const offers = await db
      .selectFrom('offers')
      .select(['pricing_model', 'vat_category', 'invoice_schedule'])
      .where('authority_id', '=', coventry)
      .execute()
    expect(new Set(offers.map((o) => o.pricing_model))).toEqual(new Set(['fixed', 'per_unit', 'pupil_banded', 'per_pupil', 'per_place']))
    expect(new Set(offers.map((o) => o.vat_category))).toEqual(new Set(['standard', 'exempt', 'outside_scope']))
    expect(new Set(offers.map((o) => o.invoice_schedule))).toEqual(new Set(['annual_in_advance', 'termly', 'on_delivery']))
    const dearer = await db
      .selectFrom('offer_prices')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('authority_id', '=', coventry)
      .where('trading_year', '=', 2026)
      .whereRef('base_academy_pence', '>', 'base_maintained_pence')
      .executeTakeFirstOrThrow()
    expect(dearer.n).toBeGreaterThan(0)

    const interpreting = await db
      .selectFrom('offers')
      .selectAll()
      .where('authority_id', '=', coventry)
      .where('slug', '=', 'interpreting')
      .executeTakeFirstOrThrow()
    expect(interpreting).toMatchObject({ cancellation_notice_days: 1, late_cancellation_fee_percent: 100 })

    const clerking = await db
      .selectFrom('offers as o')
      .innerJoin('offer_prices as p', (j) => j.onRef('p.authority_id', '=', 'o.authority_id').onRef('p.offer_id', '=', 'o.id'))
      .select(['o.slug', 'p.base_maintained_pence'])
      .where('o.authority_id', '=', coventry)
      .where('p.trading_year', '=', 2026)
      .where('o.slug', 'in', ['clerking-agreement', 'clerking-with-committees', 'whole-class-ensemble'])
      .orderBy('o.slug')
      .execute()
    expect(clerking).toEqual([
      { slug: 'clerking-agreement', base_maintained_pence: 173_400 },
      { slug: 'clerking-with-committees', base_maintained_pence: 311_100 },
      { slug: 'whole-class-ensemble', base_maintained_pence: 145_000 },
    ])
  })

  it('sets income targets of about £4.1m a year and books about that much last year', async () => {
    const coventry = await authorityId('coventry')
    for (const year of [2025, 2026]) {
      const row = await db
        .selectFrom('income_targets')
        .select(sql<number>`sum(target_pence)::bigint`.as('total'))
        .where('authority_id', '=', coventry)
        .where('trading_year', '=', year)
        .executeTakeFirstOrThrow()
      expect(Number(row.total)).toBeGreaterThanOrEqual(400_000_000)
      expect(Number(row.total)).toBeLessThanOrEqual(420_000_000)
    }
    const lastYear = await bookedIncome(coventry, 2025)
    const thisYear = await bookedIncome(coventry, 2026)
    expect(lastYear).toBeGreaterThanOrEqual(380_000_000)
    expect(lastYear).toBeLessThanOrEqual(430_000_000)
    expect(thisYear).toBeLessThan(lastYear)
    expect(thisYear).toBeGreaterThan(lastYear * 0.7)
  })

  it('has every demo account with the right role, e-mails in lower case, the demo password', async () => {
    const rows = await db
      .selectFrom('users as u')
      .innerJoin('user_roles as r', (j) => j.onRef('r.authority_id', '=', 'u.authority_id').onRef('r.user_id', '=', 'u.id'))
      .leftJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'u.authority_id').onRef('s.id', '=', 'u.school_id'))
      .innerJoin('authorities as a', 'a.id', 'u.authority_id')
      .select(['u.email', 'r.role', 's.name as school', 'a.slug as authority', 'u.password_hash'])
      .execute()
    const find = (email: string) => rows.filter((r) => r.email === email).map(({ password_hash: _p, ...r }) => r)
    expect(find('buyer@elm-bank.example')).toEqual([
      { email: 'buyer@elm-bank.example', role: 'school_buyer', school: 'Elm Bank Primary School', authority: 'coventry' },
    ])
    expect(find('head@elm-bank.example')).toEqual([
      { email: 'head@elm-bank.example', role: 'school_approver', school: 'Elm Bank Primary School', authority: 'coventry' },
    ])
    expect(find('buyer@foleshill-park.example')).toEqual([
      { email: 'buyer@foleshill-park.example', role: 'school_buyer', school: 'Foleshill Park Academy', authority: 'coventry' },
    ])
    for (const [email, role] of [
      ['lead.ep@coventry.example', 'service_lead'],
      ['lead.music@coventry.example', 'service_lead'],
      ['finance@coventry.example', 'finance'],
      ['admin@coventry.example', 'la_admin'],
    ] as const) {
      expect(find(email)).toEqual([{ email, role, school: null, authority: 'coventry' }])
    }
    // Three Spires Academy Trust's users belong to the trust, not to a school.
    for (const [email, role] of [
      ['buyer@three-spires.example', 'trust_buyer'],
      ['approver@three-spires.example', 'trust_approver'],
    ] as const) {
      expect(find(email)).toEqual([{ email, role, school: null, authority: 'coventry' }])
    }
    expect(find('admin@northfield.example')).toEqual([{ email: 'admin@northfield.example', role: 'la_admin', school: null, authority: 'northfield' }])
    // Northfield has an account for every role, for the access matrix's other-authority personas.
    for (const [email, role, school] of [
      ['buyer@ashgrove.example', 'school_buyer', 'Ashgrove Primary School'],
      ['head@ashgrove.example', 'school_approver', 'Ashgrove Primary School'],
      ['lead.ep@northfield.example', 'service_lead', null],
      ['finance@northfield.example', 'finance', null],
    ] as const) {
      expect(find(email)).toEqual([{ email, role, school, authority: 'northfield' }])
    }
    // Buyers and heads for several more Coventry schools.
    const buyers = rows.filter((r) => r.authority === 'coventry' && r.role === 'school_buyer')
    const heads = rows.filter((r) => r.authority === 'coventry' && r.role === 'school_approver')
    expect(buyers.length).toBeGreaterThanOrEqual(6)
    expect(heads.length).toBeGreaterThanOrEqual(6)
    for (const r of rows) {
      expect(r.email).toBe(r.email.toLowerCase())
      expect(r.password_hash).toBe(DEMO_PASSWORD_HASH)
    }
    // An e-mail address signs in to one account only.
    expect(new Set(rows.map((r) => r.email)).size).toBe(new Set(rows.map((r) => `${r.email}/${r.role}`)).size)
  })

  it('gives Elm Bank and Foleshill Park confirmed orders in both years, and Elm Bank has used 4 of its 10 EP days', async () => {
    const coventry = await authorityId('coventry')
    for (const name of ['Elm Bank Primary School', 'Foleshill Park Academy']) {
      const school = await schoolId(coventry, name)
      const years = await db
        .selectFrom('order_lines as l')
        .innerJoin('orders as o', (j) => j.onRef('o.authority_id', '=', 'l.authority_id').onRef('o.id', '=', 'l.order_id'))
        .select('l.trading_year')
        .distinct()
        .where('l.authority_id', '=', coventry)
        .where('o.school_id', '=', school)
        .where('l.status', 'in', ['confirmed', 'completed'])
        .orderBy('l.trading_year')
        .execute()
      expect(
        years.map((y) => y.trading_year),
        name,
      ).toEqual([2025, 2026])
    }
    const elmBank = await schoolId(coventry, 'Elm Bank Primary School')
    const ep = await db
      .selectFrom('order_lines as l')
      .innerJoin('orders as o', (j) => j.onRef('o.authority_id', '=', 'l.authority_id').onRef('o.id', '=', 'l.order_id'))
      .innerJoin('offers as f', (j) => j.onRef('f.authority_id', '=', 'l.authority_id').onRef('f.id', '=', 'l.offer_id'))
      .select(['l.id', 'l.quantity', 'l.unit_price_pence', 'l.net_pence', 'l.vat_pence', 'l.hours', 'l.status', 'o.approved_by', 'o.reference'])
      .where('l.authority_id', '=', coventry)
      .where('o.school_id', '=', elmBank)
      .where('f.slug', '=', 'ep-days')
      .where('l.trading_year', '=', 2026)
      .executeTakeFirstOrThrow()
    // 10 days at the 10+ rate; a maintained school buying from its own council pays no VAT.
    expect(ep).toMatchObject({ quantity: 10, unit_price_pence: 50_000, net_pence: 500_000, vat_pence: 0, hours: 65, status: 'confirmed' })
    expect(ep.reference).toMatch(/^ORD-2026-\d{5}$/)
    // £5,000 is above the £2,500 approval limit: the headteacher approved it.
    const head = await db.selectFrom('users').select('id').where('email', '=', 'head@elm-bank.example').executeTakeFirstOrThrow()
    expect(ep.approved_by).toBe(head.id)
    const delivered = await db
      .selectFrom('delivery_records')
      .select(sql<number>`sum(units)`.as('units'))
      .where('authority_id', '=', coventry)
      .where('order_line_id', '=', ep.id)
      .executeTakeFirstOrThrow()
    expect(Number(delivered.units)).toBe(4)
    // And one order waits for the headteacher.
    const waiting = await db
      .selectFrom('orders')
      .select(['status', 'approved_at'])
      .where('authority_id', '=', coventry)
      .where('school_id', '=', elmBank)
      .where('status', '=', 'awaiting_approval')
      .execute()
    expect(waiting).toEqual([{ status: 'awaiting_approval', approved_at: null }])
  })

  it('never confirms more hours than a team has, nor more places than a course has', async () => {
    const { rows } = await sql<{ team: string; authority_id: string; trading_year: number; capacity: number; booked: number }>`
      select t.slug as team, ty.authority_id, ty.trading_year,
        ty.establishment_fte * ty.chargeable_hours_per_fte + ty.sessional_hours as capacity,
        coalesce((select sum(r.hours) from capacity_reservations r
          where r.authority_id = ty.authority_id and r.team_id = ty.team_id
            and r.trading_year = ty.trading_year and r.released_at is null), 0) as booked
      from team_years ty
      join teams t on t.authority_id = ty.authority_id and t.id = ty.team_id
    `.execute(db)
    expect(rows.length).toBe(39)
    for (const r of rows) expect(Number(r.booked), `${r.team} ${r.trading_year}`).toBeLessThanOrEqual(Number(r.capacity))

    const courses = await sql<{ title: string; places: number; taken: number }>`
      select c.title, c.places, coalesce(sum(r.places) filter (where r.released_at is null), 0)::int as taken
      from courses c left join capacity_reservations r on r.authority_id = c.authority_id and r.course_id = c.id
      group by c.authority_id, c.id, c.title, c.places
    `.execute(db)
    expect(courses.rows.length).toBeGreaterThanOrEqual(8)
    for (const c of courses.rows) expect(c.taken, c.title).toBeLessThanOrEqual(c.places)

    // Reservations are held by confirmed or completed lines only, with the line's hours.
    const mismatched = await sql<{ n: number }>`
      select count(*)::int as n from capacity_reservations r
      join order_lines l on l.authority_id = r.authority_id and l.id = r.order_line_id
      where (r.released_at is null and (l.status not in ('confirmed', 'completed') or r.hours <> l.hours))
         or (r.released_at is not null and l.status <> 'cancelled')
    `.execute(db)
    expect(mismatched.rows[0]?.n).toBe(0)
    const unreserved = await sql<{ n: number }>`
      select count(*)::int as n from order_lines l
      where l.status in ('confirmed', 'completed')
        and not exists (select 1 from capacity_reservations r where r.authority_id = l.authority_id and r.order_line_id = l.id and r.released_at is null)
    `.execute(db)
    expect(unreserved.rows[0]?.n).toBe(0)
  })

  it('tells the capacity story: EP nearly full with a waiting list larger than what is left, Outdoor Education far below target', async () => {
    const coventry = await authorityId('coventry')
    const { rows } = await sql<{ capacity: number; booked: number; waitlisted: number; waitlisted_lines: number }>`
      select ty.establishment_fte * ty.chargeable_hours_per_fte + ty.sessional_hours as capacity,
        (select coalesce(sum(r.hours), 0) from capacity_reservations r
          where r.authority_id = ty.authority_id and r.team_id = ty.team_id and r.trading_year = 2026 and r.released_at is null) as booked,
        (select coalesce(sum(l.hours), 0) from order_lines l
          join offers o on o.authority_id = l.authority_id and o.id = l.offer_id
          join services s on s.authority_id = o.authority_id and s.id = o.service_id
          where l.authority_id = ty.authority_id and s.team_id = ty.team_id and l.trading_year = 2026 and l.status = 'waitlisted') as waitlisted,
        (select count(*)::int from order_lines l
          join offers o on o.authority_id = l.authority_id and o.id = l.offer_id
          join services s on s.authority_id = o.authority_id and s.id = o.service_id
          where l.authority_id = ty.authority_id and s.team_id = ty.team_id and l.trading_year = 2026
            and l.status = 'waitlisted' and l.waitlisted_at is not null) as waitlisted_lines
      from team_years ty join teams t on t.authority_id = ty.authority_id and t.id = ty.team_id
      where ty.authority_id = ${coventry} and t.slug = 'educational-psychology' and ty.trading_year = 2026
    `.execute(db)
    const ep = rows[0]
    expect(ep).toBeDefined()
    expect(Number(ep?.booked)).toBeGreaterThanOrEqual(Number(ep?.capacity) * 0.95)
    expect(ep?.waitlisted_lines).toBeGreaterThan(0)
    expect(Number(ep?.waitlisted)).toBeGreaterThan(0)
    // About two weeks of EP days (6.5 hours) are still free to sell (so a school can order today and be
    // confirmed), yet every waiting line is larger than that: the waiting list is unmet demand.
    const freeHours = Number(ep?.capacity) - Number(ep?.booked)
    expect(freeHours / 6.5).toBeGreaterThanOrEqual(10)
    expect(freeHours / 6.5).toBeLessThanOrEqual(15)
    const smallestWaiting = await sql<{ hours: number }>`
      select min(l.hours) as hours from order_lines l
      join offers o on o.authority_id = l.authority_id and o.id = l.offer_id
      join services s on s.authority_id = o.authority_id and s.id = o.service_id
      join teams t on t.authority_id = s.authority_id and t.id = s.team_id
      where l.authority_id = ${coventry} and t.slug = 'educational-psychology' and l.trading_year = 2026 and l.status = 'waitlisted'
    `.execute(db)
    expect(Number(smallestWaiting.rows[0]?.hours)).toBeGreaterThan(freeHours)

    const waitlistedWithReservation = await sql<{ n: number }>`
      select count(*)::int as n from order_lines l
      join capacity_reservations r on r.authority_id = l.authority_id and r.order_line_id = l.id
      where l.status = 'waitlisted'
    `.execute(db)
    expect(waitlistedWithReservation.rows[0]?.n).toBe(0)

    const outdoorTarget = await db
      .selectFrom('income_targets as t')
      .innerJoin('services as s', (j) => j.onRef('s.authority_id', '=', 't.authority_id').onRef('s.id', '=', 't.service_id'))
      .select('t.target_pence')
      .where('t.authority_id', '=', coventry)
      .where('s.slug', '=', 'outdoor-education')
      .where('t.trading_year', '=', 2026)
      .executeTakeFirstOrThrow()
    expect(await bookedIncome(coventry, 2026, 'outdoor-education')).toBeLessThan(outdoorTarget.target_pence * 0.7)
  })

  it('keeps most schools buying each year, with some lapsed since last year', async () => {
    const coventry = await authorityId('coventry')
    const buyers = async (year: number) =>
      new Set(
        (
          await db
            .selectFrom('order_lines as l')
            .innerJoin('orders as o', (j) => j.onRef('o.authority_id', '=', 'l.authority_id').onRef('o.id', '=', 'l.order_id'))
            .select('o.school_id')
            .distinct()
            .where('l.authority_id', '=', coventry)
            .where('l.trading_year', '=', year)
            .where('l.status', 'in', ['confirmed', 'completed'])
            .execute()
        ).map((r) => r.school_id),
      )
    const lastYear = await buyers(2025)
    const thisYear = await buyers(2026)
    expect(lastYear.size).toBeGreaterThanOrEqual(100)
    expect(thisYear.size).toBeGreaterThanOrEqual(95)
    const lapsed = [...lastYear].filter((id) => !thisYear.has(id))
    expect(lapsed.length).toBeGreaterThan(0)
  })

  it('records orders consistently: totals, events, references, dates', async () => {
    const mismatched = await sql<{ n: number }>`
      select count(*)::int as n from orders o
      left join lateral (
        select coalesce(sum(net_pence), 0) as net, coalesce(sum(vat_pence), 0) as vat, coalesce(sum(gross_pence), 0) as gross, count(*) as lines
        from order_lines l where l.authority_id = o.authority_id and l.order_id = o.id
      ) t on true
      where o.net_pence <> t.net or o.vat_pence <> t.vat or o.gross_pence <> t.gross or t.lines = 0
    `.execute(db)
    expect(mismatched.rows[0]?.n).toBe(0)

    const statuses = await sql<{ status: string; n: number }>`select status, count(*)::int as n from orders group by status`.execute(db)
    const byStatus = Object.fromEntries(statuses.rows.map((r) => [r.status, r.n]))
    expect(byStatus.confirmed).toBeGreaterThan(byStatus.completed ?? 0)
    expect(byStatus.completed).toBeGreaterThan(0)
    expect(byStatus.cancelled).toBeGreaterThan(0)
    expect(byStatus.draft ?? 0).toBe(0)

    // Every order's events run from draft to its current status, in time order.
    const events = await db
      .selectFrom('order_events')
      .select(['order_id', 'from_status', 'to_status', 'created_at'])
      .where('order_line_id', 'is', null)
      .orderBy('order_id')
      .orderBy('created_at')
      .execute()
    const orders = await db.selectFrom('orders').select(['id', 'status', 'reference', 'submitted_at']).execute()
    const byOrder = new Map<string, typeof events>()
    for (const e of events) byOrder.set(e.order_id, [...(byOrder.get(e.order_id) ?? []), e])
    for (const o of orders) {
      const chain = byOrder.get(o.id) ?? []
      expect(chain[0]?.to_status, o.reference).toBe('draft')
      for (let i = 1; i < chain.length; i++) expect(chain[i]?.from_status, o.reference).toBe(chain[i - 1]?.to_status)
      expect(chain.at(-1)?.to_status, o.reference).toBe(o.status)
      expect(o.reference).toMatch(/^ORD-20(25|26)-\d{5}$/)
      expect(new Date(o.submitted_at as Date).getTime()).toBeLessThanOrEqual(new Date('2026-11-23T00:00:00Z').getTime())
    }

    // Lines sit inside their trading year; hours follow the offer; course lines use the course's day.
    const badLines = await sql<{ n: number }>`
      select count(*)::int as n from order_lines l
      join offers o on o.authority_id = l.authority_id and o.id = l.offer_id
      left join courses c on c.authority_id = l.authority_id and c.id = l.course_id
      where l.period_start < make_date(l.trading_year, 4, 1) or l.period_end > make_date(l.trading_year + 1, 3, 31)
         or l.hours <> o.hours_per_unit * l.quantity
         or (o.pricing_model = 'per_place') <> (l.course_id is not null)
         or (c.id is not null and l.period_start <> (c.starts_at at time zone 'UTC')::date)
         or (l.status = 'confirmed' and l.confirmed_at is null)
         or (l.status = 'waitlisted' and l.waitlisted_at is null)
         or (l.status = 'cancelled' and l.cancelled_at is null)
    `.execute(db)
    expect(badLines.rows[0]?.n).toBe(0)

    // Delivery never exceeds what was bought.
    const overDelivered = await sql<{ n: number }>`
      select count(*)::int as n from order_lines l
      join (select authority_id, order_line_id, sum(units) as units from delivery_records group by 1, 2) d
        on d.authority_id = l.authority_id and d.order_line_id = l.id
      where d.units > l.quantity
    `.execute(db)
    expect(overDelivered.rows[0]?.n).toBe(0)
  })

  it('gives finance a realistic ledger in both years: paid, open, overdue, journal-settled and credited invoices', async () => {
    const coventry = await authorityId('coventry')
    const rows = await sql<{ trading_year: number; route: string; status: string; overdue: boolean; n: number }>`
      select trading_year, route, status, (status = 'open' and due_on < '2026-11-22') as overdue, count(*)::int as n
      from invoices where authority_id = ${coventry} group by 1, 2, 3, 4`.execute(db)
    const count = (year: number, route: string, status: string, overdue?: boolean) =>
      rows.rows
        .filter((r) => r.trading_year === year && r.route === route && r.status === status && (overdue === undefined || r.overdue === overdue))
        .reduce((n, r) => n + r.n, 0)
    for (const year of [2025, 2026]) {
      expect(count(year, 'invoice', 'paid'), `${year} paid invoices`).toBeGreaterThan(50)
      expect(count(year, 'invoice', 'open', true), `${year} overdue invoices`).toBeGreaterThan(0)
      expect(count(year, 'internal_recharge', 'paid'), `${year} journal-settled recharges`).toBeGreaterThan(50)
      expect(count(year, 'invoice', 'credited'), `${year} credited invoices`).toBeGreaterThan(0)
    }
    expect(count(2026, 'invoice', 'open', false), 'invoices not yet due').toBeGreaterThan(0)
    expect(count(2026, 'internal_recharge', 'open'), 'recharges in the open journals').toBeGreaterThan(0)
    // Last year's debt is nearly all collected.
    expect(count(2025, 'invoice', 'open')).toBeLessThan(count(2025, 'invoice', 'paid') / 10)

    // Every amount agrees with its rows: lines, allocations less refunds, and credit notes.
    const mismatched = await sql<{ n: number }>`
      select count(*)::int as n from invoices i
      where i.authority_id = ${coventry} and (
        i.gross_pence <> (select sum(gross_pence) from invoice_lines l where l.authority_id = i.authority_id and l.invoice_id = i.id)
        or i.amount_paid_pence <> coalesce((select sum(amount_pence) from payment_allocations a where a.authority_id = i.authority_id and a.invoice_id = i.id), 0)
          - coalesce((select sum(amount_pence) from refunds r where r.authority_id = i.authority_id and r.invoice_id = i.id), 0)
        or i.amount_paid_pence + i.amount_credited_pence > i.gross_pence
        or i.amount_credited_pence <> coalesce((select sum(gross_pence) from credit_notes c where c.authority_id = i.authority_id and c.invoice_id = i.id), 0)
        or (i.status = 'paid') <> (i.amount_paid_pence > 0 and i.amount_paid_pence + i.amount_credited_pence >= i.gross_pence))`.execute(db)
    expect(mismatched.rows[0]?.n).toBe(0)

    // Nothing bought in advance was invoiced before its period started (SPEC §7 "Billing date").
    const early = await sql<{ n: number }>`
      select count(*)::int as n from invoice_lines il
      join invoices i on i.authority_id = il.authority_id and i.id = il.invoice_id
      join order_lines ol on ol.authority_id = il.authority_id and ol.id = il.order_line_id
      where (il.charge_key like '%:annual' or il.charge_key like '%:term-%')
        and (i.issued_at at time zone 'Europe/London')::date < ol.period_start`.execute(db)
    expect(early.rows[0]?.n).toBe(0)

    // Journals up to September are posted and settled; October's and November's are open.
    const journals = await db
      .selectFrom('recharge_journals')
      .select(['month', 'status'])
      .where('authority_id', '=', coventry)
      .orderBy('month')
      .execute()
    expect(journals.filter((j) => j.status === 'open').map((j) => j.month)).toEqual(['2026-10-01', '2026-11-01'])
    // One remittance waits to be matched.
    const unmatched = await sql<{ n: number }>`
      select count(*)::int as n from payments p where p.authority_id = ${coventry}
      and not exists (select 1 from payment_allocations a where a.authority_id = p.authority_id and a.payment_id = p.id)`.execute(db)
    expect(unmatched.rows[0]?.n).toBe(1)
    // No payment is allocated or refunded beyond its amount.
    const overused = await sql<{ n: number }>`
      select count(*)::int as n from payments p where p.authority_id = ${coventry}
      and p.amount_pence < coalesce((select sum(amount_pence) from payment_allocations a where a.authority_id = p.authority_id and a.payment_id = p.id), 0)
        + coalesce((select sum(amount_pence) from refunds r where r.authority_id = p.authority_id and r.payment_id = p.id and r.invoice_id is null), 0)`.execute(
      db,
    )
    expect(overused.rows[0]?.n).toBe(0)
  })

  it('gives Three Spires a trust order in each year for two academies, each invoiced once to the trust with both schools’ lines', async () => {
    const coventry = await authorityId('coventry')
    const trustOrders = await db
      .selectFrom('trust_orders as tro')
      .innerJoin('trusts as t', (j) => j.onRef('t.authority_id', '=', 'tro.authority_id').onRef('t.id', '=', 'tro.trust_id'))
      .innerJoin('users as u', (j) => j.onRef('u.authority_id', '=', 'tro.authority_id').onRef('u.id', '=', 'tro.submitted_by'))
      .select(['tro.id', 'tro.reference', 'tro.gross_pence', 't.name', 'u.email'])
      .where('tro.authority_id', '=', coventry)
      .orderBy('tro.reference')
      .execute()
    expect(trustOrders.map((t) => [t.reference, t.name, t.email])).toEqual([
      ['TRO-2025-00001', 'Three Spires Academy Trust', 'buyer@three-spires.example'],
      ['TRO-2026-00002', 'Three Spires Academy Trust', 'buyer@three-spires.example'],
    ])
    for (const t of trustOrders) {
      const orders = await db
        .selectFrom('orders as o')
        .innerJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'o.authority_id').onRef('s.id', '=', 'o.school_id'))
        .select(['o.id', 'o.gross_pence', 's.name', 'o.submitted_by'])
        .where('o.authority_id', '=', coventry)
        .where('o.trust_order_id', '=', t.id)
        .orderBy('s.name')
        .execute()
      expect(orders.map((o) => o.name)).toEqual(['Kingfisher Primary Academy', 'Skylark Junior Academy'])
      expect(orders.reduce((n, o) => n + o.gross_pence, 0)).toBe(t.gross_pence)
      // One invoice, to the trust, its lines each naming their school; no invoice to either school for these orders.
      const invoices = await db.selectFrom('invoices').selectAll().where('authority_id', '=', coventry).where('trust_order_id', '=', t.id).execute()
      expect(invoices).toHaveLength(1)
      expect(invoices[0]).toMatchObject({ school_id: null, order_id: null, gross_pence: t.gross_pence })
      const ownInvoices = await db
        .selectFrom('invoices')
        .select('id')
        .where('authority_id', '=', coventry)
        .where(
          'order_id',
          'in',
          orders.map((o) => o.id),
        )
        .execute()
      expect(ownInvoices).toEqual([])
      const lines = await db
        .selectFrom('invoice_lines')
        .select(['description', 'gross_pence'])
        .where('authority_id', '=', coventry)
        .where('invoice_id', '=', invoices[0]!.id)
        .orderBy('description')
        .execute()
      expect(lines.map((l) => l.description.split(':')[0])).toEqual(['Kingfisher Primary Academy', 'Skylark Junior Academy'])
    }
  })

  it('gives the Elm Bank cluster last year’s pooled block, used by three schools and shared out by use to the penny', async () => {
    const coventry = await authorityId('coventry')
    const cluster = await db
      .selectFrom('clusters as c')
      .innerJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'c.authority_id').onRef('s.id', '=', 'c.lead_school_id'))
      .select(['c.id', 'c.name', 'c.split_basis', 's.name as lead'])
      .where('c.authority_id', '=', coventry)
      .executeTakeFirstOrThrow()
    expect(cluster).toMatchObject({ name: 'Elm Bank primary cluster', split_basis: 'use', lead: 'Elm Bank Primary School' })
    const members = await db
      .selectFrom('cluster_members as m')
      .innerJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'm.authority_id').onRef('s.id', '=', 'm.school_id'))
      .select(['s.id', 's.school_type', 's.phase'])
      .where('m.cluster_id', '=', cluster.id)
      .execute()
    expect(members).toHaveLength(4)
    expect(members.every((m) => m.school_type === 'maintained' && m.phase === 'primary')).toBe(true)
    const block = await db
      .selectFrom('order_lines')
      .select(['id', 'net_pence', 'quantity'])
      .where('authority_id', '=', coventry)
      .where('cluster_id', '=', cluster.id)
      .executeTakeFirstOrThrow()
    const used = await db
      .selectFrom('delivery_records')
      .select(['school_id', (eb) => eb.fn.sum<number>('units').as('units')])
      .where('order_line_id', '=', block.id)
      .groupBy('school_id')
      .execute()
    expect(used).toHaveLength(3)
    // Each user's share is in its recharge journal; together they are the block's price exactly.
    const shares = await db
      .selectFrom('invoice_lines as il')
      .innerJoin('invoices as i', (j) => j.onRef('i.authority_id', '=', 'il.authority_id').onRef('i.id', '=', 'il.invoice_id'))
      .select(['i.school_id', 'i.route', 'il.net_pence'])
      .where('il.order_line_id', '=', block.id)
      .execute()
    expect(shares.map((s) => s.school_id).sort()).toEqual(used.map((u) => u.school_id).sort())
    expect(shares.every((s) => s.route === 'internal_recharge')).toBe(true)
    expect(shares.reduce((n, s) => n + Number(s.net_pence), 0)).toBe(block.net_pence)
    const totalUsed = used.reduce((n, u) => n + Number(u.units), 0)
    for (const s of shares) {
      const u = Number(used.find((x) => x.school_id === s.school_id)!.units)
      expect(Math.abs(Number(s.net_pence) - (block.net_pence * u) / totalUsed)).toBeLessThan(1)
    }
  })

  it('gives Northfield its own schools, services and orders, apart from Coventry’s', async () => {
    const northfield = await authorityId('northfield')
    const coventry = await authorityId('coventry')
    const authority = await db.selectFrom('authorities').selectAll().where('id', '=', northfield).executeTakeFirstOrThrow()
    expect(authority).toMatchObject({ name: 'Northfield Borough Council', invoice_prefix: 'NBC' })
    const schools = await db.selectFrom('schools').select(['name', 'phase', 'school_type']).where('authority_id', '=', northfield).execute()
    expect(schools).toHaveLength(6)
    expect(new Set(schools.map((s) => s.school_type))).toEqual(new Set(['maintained', 'academy']))
    const services = await db.selectFrom('services').select('slug').where('authority_id', '=', northfield).execute()
    expect(services).toHaveLength(3)
    expect(services.map((s) => s.slug)).toContain('educational-psychology')
    const categories = await db.selectFrom('categories').select('slug').where('authority_id', '=', northfield).execute()
    expect(categories).toHaveLength(2)
    const teams = await db.selectFrom('teams').select('slug').where('authority_id', '=', northfield).execute()
    expect(teams).toHaveLength(2)
    const orders = await db.selectFrom('orders').select('id').where('authority_id', '=', northfield).execute()
    expect(orders.length).toBeGreaterThanOrEqual(2)
    // The same slug in both authorities: two different services.
    const eps = await db.selectFrom('services').select(['authority_id', 'id']).where('slug', '=', 'educational-psychology').execute()
    expect(new Set(eps.map((e) => e.authority_id))).toEqual(new Set([coventry, northfield]))
    expect(new Set(eps.map((e) => e.id)).size).toBe(2)
    // No Coventry school appears in a Northfield order (the composite keys forbid it; check anyway).
    const crossed = await sql<{ n: number }>`
      select count(*)::int as n from orders o join schools s on s.id = o.school_id where s.authority_id <> o.authority_id
    `.execute(db)
    expect(crossed.rows[0]?.n).toBe(0)
  })

  it('gives identical rows on every run', async () => {
    const second = await withFreshDatabase()
    try {
      await seedDemoData(second.db)
      const [a, b] = await Promise.all([digests(db), digests(second.db)])
      expect(b).toEqual(a)
    } finally {
      await second.close()
    }
  }, 180_000)
})
