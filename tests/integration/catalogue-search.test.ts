import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD_HASH } from '../../db/seed/factories'
import { quotePrice, vatOn, type PricedSchool } from '~/domain/pricing'
import { tradingYearOf } from '~/domain/trading-year'
import { loadPricedOffers } from '~/models/catalogue/offers.server'
import { loader as servicesLoader } from '~/routes/services._index'
import { loader as serviceLoader } from '~/routes/services.$slug'
import { clock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { formatPence } from '~/domain/money'
import { createSession } from '~/utils/session.server'
import { insertTestSchool } from '../support/schools'

/**
 * The catalogue search and the prices in the list, through the /services
 * loaders. The integration database is shared by files running at once
 * (others add throwaway services), so expectations come from the demo's
 * rows as they stand, and the schools signed in here are this file's own.
 */

const run = randomUUID().slice(0, 8)
let authorityId: string
let startMonth: number
const schools: { academy: PricedSchool & { id: string }; maintained: PricedSchool & { id: string } } = {
  academy: { id: '', authorityId: '', type: 'academy', pupilCount: 412 },
  maintained: { id: '', authorityId: '', type: 'maintained', pupilCount: 187 },
}
const userIds: string[] = []
const cookies = { academy: '', maintained: '' }

function args(path: string, params: Record<string, string> = {}, cookie?: string) {
  const headers = cookie ? { Cookie: cookie } : undefined
  return { request: new Request(`http://localhost${path}`, { headers }), params, context: {} }
}

async function makeSchoolUser(key: 'academy' | 'maintained') {
  const db = await getDb()
  const school = await insertTestSchool(db, {
    authority_id: authorityId,
    name: `Search ${key} ${run}`,
    phase: 'primary',
    school_type: key,
    pupil_count: schools[key].pupilCount,
    approval_limit_pence: 100_000,
    finance_route: key === 'maintained' ? 'internal_recharge' : 'invoice',
  })
  schools[key] = { ...schools[key], id: school.id, authorityId }
  const user = await db
    .insertInto('users')
    .values({
      authority_id: authorityId,
      email: `search-${key}-${run}@example.org`,
      name: `Search ${key}`,
      password_hash: DEMO_PASSWORD_HASH,
      school_id: school.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db.insertInto('user_roles').values({ authority_id: authorityId, user_id: user.id, role: 'school_buyer' }).execute()
  userIds.push(user.id)
  const setCookie = await createSession(db, new Request('http://localhost/'), { id: user.id, authorityId }, '127.0.0.1')
  cookies[key] = setCookie.split(';')[0]!
}

beforeAll(async () => {
  const db = await getDb()
  const authority = await db
    .selectFrom('authorities')
    .select(['id', 'financial_year_start_month'])
    .where('slug', '=', 'coventry')
    .executeTakeFirstOrThrow()
  authorityId = authority.id
  startMonth = authority.financial_year_start_month
  await makeSchoolUser('academy')
  await makeSchoolUser('maintained')
})

afterAll(async () => {
  const db = await getDb()
  if (!authorityId) return
  if (userIds.length) {
    await db.deleteFrom('sessions').where('authority_id', '=', authorityId).where('user_id', 'in', userIds).execute()
    await db.deleteFrom('audit_events').where('authority_id', '=', authorityId).where('actor_user_id', 'in', userIds).execute()
    await db.deleteFrom('user_roles').where('authority_id', '=', authorityId).where('user_id', 'in', userIds).execute()
    await db.deleteFrom('users').where('authority_id', '=', authorityId).where('id', 'in', userIds).execute()
  }
  const schoolIds = [schools.academy.id, schools.maintained.id].filter(Boolean)
  if (schoolIds.length) await db.deleteFrom('schools').where('authority_id', '=', authorityId).where('id', 'in', schoolIds).execute()
})

const listed = (data: Awaited<ReturnType<typeof servicesLoader>>) => data.results ?? data.categories.flatMap((c) => c.services)

describe('searching /services', () => {
  it('ranks Educational Psychology first for "EP", and SEN Early Years not at all', async () => {
    const data = await servicesLoader(args('/services?q=EP'))
    const slugs = listed(data).map((s) => s.slug)
    expect(slugs[0]).toBe('educational-psychology')
    expect(slugs).not.toContain('sen-early-years')
  })

  it('finds the autism service for "ASD", "autistic" and a misspelt "austim"', async () => {
    for (const q of ['ASD', 'autistic', 'autsim']) {
      const data = await servicesLoader(args(`/services?q=${q}`))
      expect(listed(data)[0]?.slug, q).toBe('complex-communication-and-learning')
    }
  })

  it('filters by category: every service of the category, and only those', async () => {
    const db = await getDb()
    const inDb = await db
      .selectFrom('services as s')
      .innerJoin('categories as c', (j) => j.onRef('c.authority_id', '=', 's.authority_id').onRef('c.id', '=', 's.category_id'))
      .select('s.slug')
      .where('s.authority_id', '=', authorityId)
      .where('s.is_published', '=', true)
      .where('c.slug', '=', 'music')
      .execute()
    const data = await servicesLoader(args('/services?category=music'))
    expect(data.search.errors).toEqual({})
    expect(data.categories.map((c) => c.slug)).toEqual(['music'])
    expect(
      listed(data)
        .map((s) => s.slug)
        .sort(),
    ).toEqual(inDb.map((s) => s.slug).sort())
    expect(inDb.map((s) => s.slug)).toEqual(expect.arrayContaining(['coventry-music', 'instrument-hire']))

    // Words within a category: services of several categories mention training; the category keeps its own.
    const lessons = await servicesLoader(args('/services?q=training&category=send-support'))
    expect(listed(lessons).length).toBeGreaterThan(0)
    for (const service of listed(lessons)) expect(service.category.slug).toBe('send-support')
  })

  it('reports an unknown category beside the field and lists everything', async () => {
    const data = await servicesLoader(args('/services?category=martian'))
    expect(data.search.errors.category).toBe('Choose a category from the list')
    expect(data.categories.length).toBeGreaterThan(1)
    expect(data.categoryOptions.map((c) => c.name)).toEqual(expect.arrayContaining(['SEND support', 'Music', 'Governor support']))
  })

  it('filters by phase with words', async () => {
    const nursery = await servicesLoader(args('/services?q=early+years&phase=nursery'))
    expect(listed(nursery)[0]?.slug).toBe('sen-early-years')
    // SEN Early Years is not for secondary schools.
    const secondary = await servicesLoader(args('/services?q=early+years&phase=secondary'))
    expect(listed(secondary).map((s) => s.slug)).not.toContain('sen-early-years')
    for (const service of listed(secondary)) expect(service.phases).toContain('secondary')
  })
})

describe('prices in the /services list', () => {
  it('shows each service "from" the lowest price of one unit of its offers on sale, recomputed from the price rows', async () => {
    const db = await getDb()
    const year = tradingYearOf(clock.now(), startMonth)
    const rows = await db
      .selectFrom('offers as o')
      .innerJoin('services as s', (j) => j.onRef('s.authority_id', '=', 'o.authority_id').onRef('s.id', '=', 'o.service_id'))
      .innerJoin('offer_prices as p', (j) => j.onRef('p.authority_id', '=', 'o.authority_id').onRef('p.offer_id', '=', 'o.id'))
      .select(['s.slug', 'o.pricing_model', 'p.id as price_id', 'p.base_maintained_pence', 'p.base_academy_pence', 'p.minimum_charge_pence'])
      .where('o.authority_id', '=', authorityId)
      .where('o.is_published', '=', true)
      .where('s.is_published', '=', true)
      .where('p.trading_year', '=', year)
      .where('s.slug', 'in', ['educational-psychology', 'governor-support', 'school-attendance', 'instrument-hire', 'coventry-music'])
      .execute()
    const bands = await db
      .selectFrom('offer_price_bands')
      .select(['offer_price_id', 'kind', 'maintained_pence', 'academy_pence'])
      .where('authority_id', '=', authorityId)
      .where(
        'offer_price_id',
        'in',
        rows.map((r) => r.price_id),
      )
      .execute()
    // The least one unit costs any school: the lower of the two school types' prices, the cheapest tier
    // or band, a per-pupil price's base fee; never below the minimum charge.
    const expected = new Map<string, number>()
    for (const row of rows) {
      const own = bands.filter((b) => b.offer_price_id === row.price_id)
      const prices =
        (row.pricing_model === 'per_unit' || row.pricing_model === 'pupil_banded') && own.length
          ? own.flatMap((b) => [b.maintained_pence, b.academy_pence])
          : [row.base_maintained_pence, row.base_academy_pence]
      const least = Math.max(Math.min(...prices), row.minimum_charge_pence ?? 0)
      expected.set(row.slug, Math.min(expected.get(row.slug) ?? Infinity, least))
    }
    expect(expected.size).toBe(5)

    const data = await servicesLoader(args('/services'))
    for (const service of listed(data).filter((s) => expected.has(s.slug))) {
      expect(service.fromPence, service.slug).toBe(expected.get(service.slug))
      expect(service.yourPrice).toBeNull()
    }
    // Educational Psychology's cheapest is a half-day visit, £295.
    expect(formatPence(listed(data).find((s) => s.slug === 'educational-psychology')!.fromPence!)).toBe('£295')
  })

  it('shows a signed-in school its own price: the pricing module’s quote for its type and pupils, with the VAT it pays', async () => {
    const db = await getDb()
    const year = tradingYearOf(clock.now(), startMonth)
    const offers = await db
      .selectFrom('offers as o')
      .innerJoin('services as s', (j) => j.onRef('s.authority_id', '=', 'o.authority_id').onRef('s.id', '=', 'o.service_id'))
      .selectAll('o')
      .select('s.slug as service_slug')
      .where('o.authority_id', '=', authorityId)
      .where('o.is_published', '=', true)
      .where('s.slug', 'in', ['governor-support', 'school-attendance', 'educational-psychology'])
      .execute()
    const priced = await loadPricedOffers(db, authorityId, offers)
    const today = clock.now()

    for (const key of ['academy', 'maintained'] as const) {
      const school = schools[key]
      const data = await servicesLoader(args('/services', {}, cookies[key]))
      for (const slug of ['governor-support', 'school-attendance', 'educational-psychology']) {
        // Each offer quoted by the pricing module at every quantity where its price per unit can change.
        let least: { gross: number; vat: number } | null = null
        for (const offer of offers.filter((o) => o.service_slug === slug)) {
          const pricedOffer = priced.get(offer.id)!
          const tiers = pricedOffer.prices.find((p) => p.tradingYear === year)?.tiers ?? []
          for (const quantity of offer.pricing_model === 'per_unit' && tiers.length ? tiers.map((t) => t.minQuantity) : [1]) {
            const result = quotePrice(pricedOffer, school, quantity, today, startMonth)
            if (!result.ok) continue
            const unit = result.quote.unitPricePence
            const vat = vatOn(unit, result.quote.vatRateBasisPoints)
            if (!least || unit + vat < least.gross) least = { gross: unit + vat, vat }
          }
        }
        const service = listed(data).find((s) => s.slug === slug)!
        expect(service.yourPrice?.grossPence, `${key} ${slug}`).toBe(least!.gross)
        expect(service.yourPrice?.vatPence, `${key} ${slug}`).toBe(least!.vat)
      }
    }
    // An academy pays VAT on Educational Psychology; a maintained school buying from its own council does not.
    const academy = listed(await servicesLoader(args('/services', {}, cookies.academy))).find((s) => s.slug === 'educational-psychology')!
    const maintained = listed(await servicesLoader(args('/services', {}, cookies.maintained))).find((s) => s.slug === 'educational-psychology')!
    expect(academy.yourPrice).toEqual({ netPence: 29_500, vatPence: 5_900, grossPence: 35_400 })
    expect(maintained.yourPrice).toEqual({ netPence: 29_500, vatPence: 0, grossPence: 29_500 })
  })
})

describe('prices on a service page', () => {
  it('shows a signed-in school its own banded and per-pupil figures, and tiers with VAT where it pays it', async () => {
    const db = await getDb()
    const year = tradingYearOf(clock.now(), startMonth)
    const offerRows = await db
      .selectFrom('offers')
      .selectAll()
      .where('authority_id', '=', authorityId)
      .where('slug', 'in', ['governor-training-subscription', 'attendance-support-subscription'])
      .execute()
    const priced = await loadPricedOffers(db, authorityId, offerRows)
    const yearPrices = (slug: string) => priced.get(offerRows.find((o) => o.slug === slug)!.id)!.prices.find((p) => p.tradingYear === year)!

    const governors = await serviceLoader(args('/services/governor-support', { slug: 'governor-support' }, cookies.academy))
    const subscription = governors.service.offers.find((o) => o.slug === 'governor-training-subscription')!
    // The academy price of the band holding 412 pupils; governor training is exempt from VAT.
    const band = yearPrices('governor-training-subscription').bands.find((b) => b.minPupils <= 412 && (b.maxPupils === null || b.maxPupils >= 412))!
    expect(subscription.yourPrice).toEqual([`${formatPence(band.price.academy)} a year for your school (412 pupils)`])

    const attendance = await serviceLoader(args('/services/school-attendance', { slug: 'school-attendance' }, cookies.academy))
    const perPupil = attendance.service.offers.find((o) => o.slug === 'attendance-support-subscription')!
    // Standard-rated and bought by an academy: base plus rate × 412 pupils (at least the minimum charge), plus 20% VAT.
    const prices = yearPrices('attendance-support-subscription')
    const net = Math.max(prices.base.academy + prices.perPupil!.academy * 412, prices.minimumCharge ?? 0)
    const vat = Math.round(net * 0.2)
    expect(perPupil.yourPrice).toEqual([
      `${formatPence(net + vat)} a year for your school (412 pupils) including VAT (${formatPence(net)} + ${formatPence(vat)} VAT)`,
    ])

    const ep = await serviceLoader(args('/services/educational-psychology', { slug: 'educational-psychology' }, cookies.academy))
    expect(ep.service.offers.find((o) => o.slug === 'ep-days')!.yourPrice).toEqual([
      '£660 a day for 1 to 9 days including VAT (£550 + £110 VAT)',
      '£600 a day for 10 days or more including VAT (£500 + £100 VAT)',
    ])
    const epMaintained = await serviceLoader(args('/services/educational-psychology', { slug: 'educational-psychology' }, cookies.maintained))
    expect(epMaintained.service.offers.find((o) => o.slug === 'ep-days')!.yourPrice).toEqual([
      '£550 a day for 1 to 9 days',
      '£500 a day for 10 days or more',
    ])
  })

  it('shows anonymous visitors the general prices only', async () => {
    const ep = await serviceLoader(args('/services/educational-psychology', { slug: 'educational-psychology' }))
    const days = ep.service.offers.find((o) => o.slug === 'ep-days')!
    expect(days.pricing).toEqual(['£550 a day for 1 to 9 days, £500 a day for 10 or more'])
    expect(days.yourPrice).toEqual([])
  })
})
