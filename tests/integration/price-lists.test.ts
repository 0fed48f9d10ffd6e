import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { action, loader } from '~/routes/la.services.$slug_.prices'
import { loadPricedOffers } from '~/models/catalogue/offers.server'
import { getServiceDetail } from '~/models/catalogue/catalogue.server'
import {
  copyPricesToNextYear,
  publishPrices,
  serviceForPrices,
  servicePriceLists,
  type ServiceForPrices,
} from '~/models/catalogue/price-lists.server'
import { addToBasket } from '~/models/ordering/basket-changes.server'
import { proposalView } from '~/models/renewals/proposal-view.server'
import { periodChoicesForOffers } from '~/models/ordering/periods.server'
import type { Actor } from '~/models/shared/actor.server'
import { getDb } from '~/utils/db.server'
import { createSession } from '~/utils/session.server'

/**
 * Price lists per trading year (docs/decisions/0021) on the run's shared
 * seeded database, on the demo's day (22 November 2026). The seed leaves
 * the Educational Psychology "Single half-day visit" 2027/28 prices as a
 * draft: this file publishes them, then puts the draft back. Copying is
 * tried on an offer of Northfield's made here and removed afterwards.
 */

const TODAY = '2026-11-22'
const context = { clientIp: '127.0.0.1' }
let coventryId: string
let northfieldId: string
let ep: ServiceForPrices
let halfDayId: string
let epDaysId: string
let elmBank: { schoolId: string; userId: string }
let lead: Actor
let leadCookie: string
let musicLeadCookie: string
let tempOfferId: string | null = null

async function cookieFor(email: string): Promise<string> {
  const db = await getDb()
  const { id } = await db.selectFrom('users').select('id').where('authority_id', '=', coventryId).where('email', '=', email).executeTakeFirstOrThrow()
  return (await createSession(db, new Request('http://localhost/'), { id, authorityId: coventryId }, '127.0.0.1')).split(';')[0]!
}

async function halfDayRow() {
  const db = await getDb()
  return db
    .selectFrom('offer_prices')
    .select(['published_on', 'published_by'])
    .where('authority_id', '=', coventryId)
    .where('offer_id', '=', halfDayId)
    .where('trading_year', '=', 2027)
    .executeTakeFirstOrThrow()
}

async function backToDraft() {
  const db = await getDb()
  await db
    .updateTable('offer_prices')
    .set({ published_on: null, published_by: null, published_at: null })
    .where('authority_id', '=', coventryId)
    .where('offer_id', '=', halfDayId)
    .where('trading_year', '=', 2027)
    .execute()
}

async function orderLinesChecksum() {
  const db = await getDb()
  const row = await sql<{
    sum: string
  }>`select md5(string_agg(id::text || unit_price_pence || net_pence || gross_pence, ',' order by id)) as sum from order_lines`.execute(db)
  return row.rows[0]!.sum
}

const halfDayOnPage = async () => {
  const db = await getDb()
  const detail = await getServiceDetail(db, coventryId, 'educational-psychology', 2026, 'maintained', 4)
  return detail!.offers.find((o) => o.id === halfDayId)!
}

beforeAll(async () => {
  const db = await getDb()
  coventryId = (await db.selectFrom('authorities').select('id').where('slug', '=', 'coventry').executeTakeFirstOrThrow()).id
  northfieldId = (await db.selectFrom('authorities').select('id').where('slug', '=', 'northfield').executeTakeFirstOrThrow()).id
  const offer = async (slug: string) =>
    (await db.selectFrom('offers').select('id').where('authority_id', '=', coventryId).where('slug', '=', slug).executeTakeFirstOrThrow()).id
  halfDayId = await offer('ep-half-day')
  epDaysId = await offer('ep-days')
  const found = await serviceForPrices(db, { kind: 'authority', authorityId: coventryId }, 'educational-psychology')
  if (typeof found === 'string') throw new Error(found)
  ep = found
  const buyer = await db
    .selectFrom('users')
    .select(['id', 'school_id'])
    .where('authority_id', '=', coventryId)
    .where('email', '=', 'buyer@elm-bank.example')
    .executeTakeFirstOrThrow()
  elmBank = { schoolId: buyer.school_id!, userId: buyer.id }
  const leadRow = await db
    .selectFrom('users')
    .select(['id', 'name'])
    .where('authority_id', '=', coventryId)
    .where('email', '=', 'lead.ep@coventry.example')
    .executeTakeFirstOrThrow()
  lead = { userId: leadRow.id, name: leadRow.name, authorityId: coventryId, schoolId: null, ip: '127.0.0.1', userAgent: 'test' }
  leadCookie = await cookieFor('lead.ep@coventry.example')
  musicLeadCookie = await cookieFor('lead.music@coventry.example')
})

afterAll(async () => {
  await backToDraft()
  const db = await getDb()
  if (tempOfferId) {
    await db
      .deleteFrom('offer_price_bands')
      .where('authority_id', '=', northfieldId)
      .where('offer_price_id', 'in', (eb) => eb.selectFrom('offer_prices').select('id').where('offer_id', '=', tempOfferId!))
      .execute()
    await db.deleteFrom('offer_prices').where('authority_id', '=', northfieldId).where('offer_id', '=', tempOfferId).execute()
    await db.deleteFrom('offers').where('authority_id', '=', northfieldId).where('id', '=', tempOfferId).execute()
  }
})

describe('price lists per trading year', () => {
  it('a draft year is neither visible nor quotable to a school; the authority’s page sees it', async () => {
    const db = await getDb()
    expect(await halfDayRow()).toEqual({ published_on: null, published_by: null })
    const priced = await loadPricedOffers(db, coventryId, [
      { id: halfDayId, authority_id: coventryId, pricing_model: 'per_unit', unit_one: 'half-day', unit_other: 'half-days', vat_category: 'standard' },
    ])
    expect(priced.get(halfDayId)!.prices.map((p) => p.tradingYear)).toEqual([2025, 2026])
    const drafts = await loadPricedOffers(
      db,
      coventryId,
      [
        {
          id: halfDayId,
          authority_id: coventryId,
          pricing_model: 'per_unit',
          unit_one: 'half-day',
          unit_other: 'half-days',
          vat_category: 'standard',
        },
      ],
      { drafts: true },
    )
    expect(drafts.get(halfDayId)!.prices.map((p) => p.tradingYear)).toEqual([2025, 2026, 2027])

    // The school: this year only for the half-day, both years for EP days (published when renewals opened).
    const choices = await periodChoicesForOffers(db, coventryId, [halfDayId, epDaysId])
    expect(choices[halfDayId]!.years).toEqual([2026])
    expect(choices[epDaysId]!.years).toEqual([2026, 2027])
    const refused = await addToBasket(db, { authorityId: coventryId, ...elmBank }, { offerId: halfDayId, quantity: 1, tradingYear: 2027 })
    expect(refused.ok).toBe(false)
    expect((await halfDayOnPage()).nextPricing).toEqual([])
    const detail = await getServiceDetail(db, coventryId, 'educational-psychology', 2026, 'maintained', 4)
    expect(detail!.offers.find((o) => o.id === epDaysId)!.nextPricing).toEqual([
      'From 1 April 2027: £567 a day for 1 to 9 days, £515 a day for 10 or more',
    ])

    const lists = await servicePriceLists(db, ep, coventryId, TODAY)
    const halfDay = lists.offers.find((o) => o.id === halfDayId)!
    expect(halfDay.nextYear!.status).toEqual({ kind: 'draft' })
    expect(halfDay.nextYear!.pricing).toEqual(['£304 a half-day'])
    expect(lists.toPublish).toBe(1)
    expect(lists.toCopy).toBe(0)
  })

  it('a future publish date is not yet visible; publishing today is, with who and when, audited; ordered lines keep their prices', async () => {
    const db = await getDb()
    const before = await orderLinesChecksum()
    expect(await publishPrices(db, lead, ep, 2027, '2027-01-15', TODAY)).toBe(1)
    expect(await halfDayRow()).toEqual({ published_on: '2027-01-15', published_by: lead.userId })
    expect((await halfDayOnPage()).nextPricing).toEqual([])
    expect((await periodChoicesForOffers(db, coventryId, [halfDayId]))[halfDayId]!.years).toEqual([2026])
    // On the day itself the school sees them.
    expect((await periodChoicesForOffers(db, coventryId, [halfDayId], new Date('2027-01-15T10:00:00Z')))[halfDayId]!.years).toEqual([2026, 2027])
    const scheduled = (await servicePriceLists(db, ep, coventryId, TODAY)).offers.find((o) => o.id === halfDayId)!
    expect(scheduled.nextYear!.status).toEqual({ kind: 'scheduled', from: '2027-01-15' })

    // Published from a later day is not on sale yet: publishing again brings the date forward. EP days (on sale) keep theirs.
    expect(await publishPrices(db, lead, ep, 2027, TODAY, TODAY)).toBe(1)
    expect(await halfDayRow()).toEqual({ published_on: TODAY, published_by: lead.userId })
    expect((await halfDayOnPage()).nextPricing).toEqual(['From 1 April 2027: £304 a half-day'])
    expect((await periodChoicesForOffers(db, coventryId, [halfDayId]))[halfDayId]!.years).toEqual([2026, 2027])
    const epDays = await db
      .selectFrom('offer_prices')
      .select('published_on')
      .where('authority_id', '=', coventryId)
      .where('offer_id', '=', epDaysId)
      .where('trading_year', '=', 2027)
      .executeTakeFirstOrThrow()
    expect(epDays.published_on).toBe('2026-11-02')
    expect(await publishPrices(db, lead, ep, 2027, TODAY, TODAY)).toBe(0)

    const audits = await db
      .selectFrom('audit_events')
      .select(['action', 'details', 'actor_user_id'])
      .where('authority_id', '=', coventryId)
      .where('action', '=', 'prices.published')
      .where('subject_id', '=', ep.id)
      .orderBy('created_at')
      .execute()
    expect(audits.length).toBeGreaterThanOrEqual(3)
    expect(audits[0]).toMatchObject({ actor_user_id: lead.userId })
    expect(await orderLinesChecksum()).toBe(before)
    await backToDraft()
  })

  it('a renewal proposal prices a line only at a published price: a draft line is not yet priced and left out of the total', async () => {
    const db = await getDb()
    const { id: proposalId } = await db
      .selectFrom('renewal_proposal_lines as l')
      .innerJoin('renewal_proposals as p', (j) => j.onRef('p.authority_id', '=', 'l.authority_id').onRef('p.id', '=', 'l.proposal_id'))
      .select('p.id')
      .where('l.authority_id', '=', coventryId)
      .where('l.offer_id', '=', halfDayId)
      .orderBy('p.id')
      .executeTakeFirstOrThrow()
    const draft = (await proposalView(db, coventryId, proposalId, 4, TODAY))!
    expect(draft.notPriced.map((l) => l.offerName)).toContain('Single half-day visit')
    expect(draft.lines.map((l) => l.offerName)).not.toContain('Single half-day visit')

    await publishPrices(db, lead, ep, 2027, TODAY, TODAY)
    const published = (await proposalView(db, coventryId, proposalId, 4, TODAY))!
    const line = published.lines.find((l) => l.offerName === 'Single half-day visit')!
    expect(line.quote.unitPricePence).toBe(30_400)
    expect(published.netPence).toBe(draft.netPence + line.quote.netPence)
    await backToDraft()
  })

  it('the page’s form: a lead of another service is refused; a date before today is a 400 with its error; a good one publishes', async () => {
    const request = (cookie: string, body?: Record<string, string>) =>
      new Request('http://localhost/la/services/educational-psychology/prices', {
        method: body ? 'POST' : 'GET',
        headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: body ? new URLSearchParams(body) : undefined,
      })
    const params = { slug: 'educational-psychology' }
    await expect(loader({ request: request(musicLeadCookie), params, context })).rejects.toMatchObject({ status: 403 })
    await expect(action({ request: request(musicLeadCookie, { intent: 'publish', publishFrom: TODAY }), params, context })).rejects.toMatchObject({
      status: 403,
    })
    expect(await halfDayRow()).toMatchObject({ published_on: null })

    const bad = (await action({ request: request(leadCookie, { intent: 'publish', publishFrom: '2026-11-01' }), params, context })) as unknown as {
      data: { errors: Record<string, string> }
      init: { status: number }
    }
    expect(bad.init.status).toBe(400)
    expect(bad.data.errors.publishFrom).toBe('The publish from date must be today or later, and before 1 April 2027')
    expect(await halfDayRow()).toMatchObject({ published_on: null })

    const done = (await action({ request: request(leadCookie, { intent: 'publish', publishFrom: TODAY }), params, context })) as Response
    expect(done.status).toBe(302)
    expect(done.headers.get('Location')).toBe('/la/services/educational-psychology/prices?published=1&from=2026-11-22')
    expect(await halfDayRow()).toMatchObject({ published_on: TODAY })
    await backToDraft()
  })

  it('copies this year’s prices, tiers included, to next year with an uplift, as drafts, for offers without next year’s prices only', async () => {
    const db = await getDb()
    const service = await db
      .selectFrom('services')
      .select(['id', 'slug', 'name', 'team_id'])
      .where('authority_id', '=', northfieldId)
      .where('slug', '=', 'specialist-teaching')
      .executeTakeFirstOrThrow()
    const offer = await db
      .insertInto('offers')
      .values({
        authority_id: northfieldId,
        service_id: service.id,
        slug: 'price-list-test',
        name: 'Price list test hours',
        description: 'Made by tests/integration/price-lists.test.ts',
        pricing_model: 'per_unit',
        unit_one: 'hour',
        unit_other: 'hours',
        hours_per_unit: 1,
        vat_category: 'standard',
        invoice_schedule: 'on_delivery',
        cancellation_notice_days: 0,
        late_cancellation_fee_percent: 0,
        is_published: false,
        max_quantity: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    tempOfferId = offer.id
    const price = await db
      .insertInto('offer_prices')
      .values({
        authority_id: northfieldId,
        offer_id: offer.id,
        trading_year: 2026,
        base_maintained_pence: 0,
        base_academy_pence: 0,
        minimum_charge_pence: 2_999,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db
      .insertInto('offer_price_bands')
      .values([
        {
          authority_id: northfieldId,
          offer_price_id: price.id,
          kind: 'quantity',
          lower_bound: 1,
          upper_bound: 9,
          maintained_pence: 5_999,
          academy_pence: 6_499,
        },
        {
          authority_id: northfieldId,
          offer_price_id: price.id,
          kind: 'quantity',
          lower_bound: 10,
          upper_bound: null,
          maintained_pence: 5_000,
          academy_pence: 5_500,
        },
      ])
      .execute()
    const northfieldAdmin = await db
      .selectFrom('users')
      .select('id')
      .where('authority_id', '=', northfieldId)
      .where('email', '=', 'admin@northfield.example')
      .executeTakeFirstOrThrow()
    const actor: Actor = { userId: northfieldAdmin.id, name: 'Admin', authorityId: northfieldId, schoolId: null, ip: '127.0.0.1', userAgent: null }
    const target: ServiceForPrices = { id: service.id, slug: service.slug, name: service.name, teamId: service.team_id, teamName: '' }

    expect(await copyPricesToNextYear(db, actor, target, 2027, 2.5)).toBe(1)
    const copied = await db
      .selectFrom('offer_prices')
      .selectAll()
      .where('authority_id', '=', northfieldId)
      .where('offer_id', '=', offer.id)
      .where('trading_year', '=', 2027)
      .executeTakeFirstOrThrow()
    expect(copied).toMatchObject({ published_on: null, minimum_charge_pence: 3_074, base_maintained_pence: 0 }) // 2,999 × 1.025 = 3,073.975
    const bands = await db
      .selectFrom('offer_price_bands')
      .select(['lower_bound', 'upper_bound', 'maintained_pence', 'academy_pence'])
      .where('authority_id', '=', northfieldId)
      .where('offer_price_id', '=', copied.id)
      .orderBy('lower_bound')
      .execute()
    // 5,999 × 1.025 = 6,148.975; 6,499 × 1.025 = 6,661.475; 5,000 → 5,125; 5,500 → 5,637.5
    expect(bands).toEqual([
      { lower_bound: 1, upper_bound: 9, maintained_pence: 6_149, academy_pence: 6_661 },
      { lower_bound: 10, upper_bound: null, maintained_pence: 5_125, academy_pence: 5_638 },
    ])
    // A draft: not on sale to schools; a second copy changes nothing.
    expect(await copyPricesToNextYear(db, actor, target, 2027, 10)).toBe(0)
    const audit = await db
      .selectFrom('audit_events')
      .select('details')
      .where('authority_id', '=', northfieldId)
      .where('action', '=', 'prices.copied')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow()
    expect(audit.details).toMatchObject({ upliftPercent: 10, offerIds: [] })
  })
})
