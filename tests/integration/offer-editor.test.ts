import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { action as editAction, loader as editLoader } from '~/routes/la.services.$slug_.offers.$offerId'
import { action as newAction, loader as newLoader } from '~/routes/la.services.$slug_.offers.new'
import { getDb } from '~/utils/db.server'
import { createSession } from '~/utils/session.server'
import { settle } from '../support/answers'

/**
 * The offer editor through its loaders and actions, on the run's shared
 * seeded database. The offers made here are Educational Psychology's and are
 * removed afterwards; a seeded course with bookings is only read (every
 * change to it is refused, so nothing of it changes).
 */

const context = { clientIp: '127.0.0.1' }
const run = Math.random().toString(36).slice(2, 8)
const EP = 'educational-psychology'
let coventryId: string
let epLead: string
let musicLead: string
let admin: string
let buyer: string
let northfieldAdmin: string
const made: string[] = []

async function cookieFor(email: string): Promise<string> {
  const db = await getDb()
  const user = await db.selectFrom('users').select(['id', 'authority_id']).where('email', '=', email).executeTakeFirstOrThrow()
  const setCookie = await createSession(db, new Request('http://localhost/'), { id: user.id, authorityId: user.authority_id }, '127.0.0.1')
  return setCookie.split(';')[0]!
}

const request = (path: string, cookie: string | null, fields?: Record<string, string | string[]>) => {
  const headers: Record<string, string> = cookie ? { Cookie: cookie } : {}
  if (!fields) return new Request(`http://localhost${path}`, { headers })
  const body = new URLSearchParams()
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one)
  return new Request(`http://localhost${path}`, {
    method: 'POST',
    body,
    headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
  })
}

const openNew = (slug: string, cookie: string | null, query = '') =>
  settle(newLoader({ request: request(`/la/services/${slug}/offers/new${query}`, cookie), params: { slug }, context }))
const postNew = (slug: string, cookie: string, fields: Record<string, string | string[]>, query = '') =>
  settle(newAction({ request: request(`/la/services/${slug}/offers/new${query}`, cookie, fields), params: { slug }, context }))
const openOffer = (slug: string, offerId: string, cookie: string | null, query = '') =>
  settle(editLoader({ request: request(`/la/services/${slug}/offers/${offerId}${query}`, cookie), params: { slug, offerId }, context }))
const postOffer = (slug: string, offerId: string, cookie: string, fields: Record<string, string | string[]>, query = '') =>
  settle(editAction({ request: request(`/la/services/${slug}/offers/${offerId}${query}`, cookie, fields), params: { slug, offerId }, context }))

/** A per-day offer with two tiers, as the form posts it. */
const perDay = (over: Record<string, string | string[]> = {}): Record<string, string | string[]> => ({
  name: `Extra EP days ${run}`,
  description: 'Days of an educational psychologist on top of the annual allocation',
  pricingModel: 'per_unit',
  unitOne: 'day',
  unitOther: 'days',
  hoursPerUnit: '6.5',
  vatCategory: 'exempt',
  invoiceSchedule: 'on_delivery',
  soldBy: 'quantity',
  noticeDays: '10',
  noticeIn: 'school',
  lateFeePercent: '50',
  maxQuantity: '',
  repeatable: 'yes',
  cfrCode: 'i13',
  status: 'draft',
  price: '',
  priceAcademy: '',
  perPupil: '',
  perPupilAcademy: '',
  minimumCharge: '',
  'tiers-0-from': '1',
  'tiers-0-to': '4',
  'tiers-0-price': '600',
  'tiers-0-priceAcademy': '',
  'tiers-1-from': '5',
  'tiers-1-to': '',
  'tiers-1-price': '560',
  'tiers-1-priceAcademy': '590',
  intent: 'save',
  ...over,
})

const offerIdOf = (location: string | null) => /\/offers\/([0-9a-f-]{36})\?/.exec(location ?? '')?.[1] ?? ''

async function audits(offerId: string) {
  const db = await getDb()
  const rows = await db.selectFrom('audit_events').select('action').where('subject_id', '=', offerId).orderBy('created_at').execute()
  return rows.map((r) => r.action)
}

beforeAll(async () => {
  const db = await getDb()
  coventryId = (await db.selectFrom('authorities').select('id').where('slug', '=', 'coventry').executeTakeFirstOrThrow()).id
  epLead = await cookieFor('lead.ep@coventry.example')
  musicLead = await cookieFor('lead.music@coventry.example')
  admin = await cookieFor('admin@coventry.example')
  buyer = await cookieFor('buyer@elm-bank.example')
  northfieldAdmin = await cookieFor('admin@northfield.example')
})

afterAll(async () => {
  if (made.length === 0) return
  const db = await getDb()
  await db.deleteFrom('courses').where('authority_id', '=', coventryId).where('offer_id', 'in', made).execute()
  await db.deleteFrom('offers').where('authority_id', '=', coventryId).where('id', 'in', made).execute()
})

describe('who may use the offer editor', () => {
  it('the EP lead and the LA administrator; the music lead and a school are refused; anonymous signs in', async () => {
    expect((await openNew(EP, epLead)).status).toBe(200)
    expect((await openNew(EP, admin)).status).toBe(200)
    expect((await openNew(EP, musicLead)).status).toBe(403)
    expect((await openNew(EP, buyer)).status).toBe(403)
    // Northfield has an educational-psychology service of its own: its administrator edits that one.
    expect((await openNew(EP, northfieldAdmin)).status).toBe(200)
    const anonymous = await openNew(EP, null)
    expect(anonymous.status).toBe(302)
    expect(anonymous.location).toMatch(/^\/login\?redirectTo=/)
    expect((await openNew('no-such-service', epLead)).status).toBe(404)
    expect((await openNew(EP, epLead, '?year=2030')).status).toBe(404)
    expect((await postNew(EP, musicLead, perDay())).status).toBe(403)
  })
})

describe('adding, changing and retiring an offer', () => {
  let offerId = ''

  it('adds a per-day offer with two tiers, as a draft, audited', async () => {
    const added = await postNew(EP, epLead, perDay())
    expect(added.status).toBe(302)
    offerId = offerIdOf(added.location)
    made.push(offerId)
    expect(added.location).toBe(`/la/services/${EP}/offers/${offerId}?year=2026&saved=1`)
    const db = await getDb()
    const offer = await db.selectFrom('offers').selectAll().where('id', '=', offerId).executeTakeFirstOrThrow()
    expect(offer).toMatchObject({
      pricing_model: 'per_unit',
      unit_one: 'day',
      hours_per_unit: 6.5,
      is_published: false,
      retired_at: null,
      cfr_code: 'I13',
      repeatable: true,
      notice_in_school_days: true,
    })
    const shown = await openOffer(EP, offerId, epLead)
    expect(shown.status).toBe(200)
    expect(shown.body.offer.status).toBe('draft')
    expect(shown.body.offer.values.tiers).toEqual([
      { from: '1', to: '4', price: '600', priceAcademy: '' },
      { from: '5', to: '', price: '560', priceAcademy: '590' },
    ])
    expect(await audits(offerId)).toEqual(['offer.created', 'offer.prices_saved'])
  })

  it('the music lead cannot open or change it (403); another service’s address finds nothing (404)', async () => {
    expect((await openOffer(EP, offerId, musicLead)).status).toBe(403)
    expect((await postOffer(EP, offerId, musicLead, perDay({ status: 'on_sale' }))).status).toBe(403)
    expect((await openOffer('coventry-music', offerId, admin)).status).toBe(404)
    expect((await postOffer('coventry-music', offerId, admin, perDay())).status).toBe(404)
    expect((await openOffer(EP, '00000000-0000-4000-8000-000000000000', admin)).status).toBe(404)
    expect((await openOffer(EP, offerId, northfieldAdmin)).status).toBe(404)
    expect((await postOffer(EP, offerId, northfieldAdmin, perDay())).status).toBe(404)
  })

  it('puts it on sale and drafts next year’s prices beside this year’s', async () => {
    const onSale = await postOffer(EP, offerId, epLead, perDay({ status: 'on_sale' }))
    expect(onSale.status).toBe(302)
    const next = await postOffer(EP, offerId, epLead, perDay({ status: 'on_sale', 'tiers-0-price': '620', 'tiers-1-price': '580' }), '?year=2027')
    expect(next.status).toBe(302)
    expect(next.location).toContain('?year=2027')
    const thisYear = await openOffer(EP, offerId, epLead)
    const nextYear = await openOffer(EP, offerId, epLead, '?year=2027')
    expect(thisYear.body.offer.status).toBe('on_sale')
    expect(thisYear.body.offer.values.tiers[0].price).toBe('600')
    expect(nextYear.body.offer.values.tiers[0].price).toBe('620')
    expect(nextYear.body.yearLabel).toBe('2027/28')
    // The preview: the price as a maintained school and as an academy see it.
    expect(thisYear.body.offer.preview).toEqual({
      maintained: ['£600 a day for 1 to 4 days, £560 a day for 5 or more'],
      academy: ['£600 a day for 1 to 4 days, £590 a day for 5 or more'],
    })
  })

  it('sets a partnership discount for clusters’ pooled blocks, and wants both its quantity and its percentage', async () => {
    const half = await postOffer(EP, offerId, epLead, perDay({ status: 'on_sale', partnershipFrom: '40', partnershipPercent: '' }))
    expect(half.status).toBe(400)
    expect(half.body.errors.partnershipPercent).toBe('Enter the partnership discount, or clear its quantity')
    const tooMuch = await postOffer(EP, offerId, epLead, perDay({ status: 'on_sale', partnershipFrom: '40', partnershipPercent: '150' }))
    expect(tooMuch.body.errors.partnershipPercent).toBe('Partnership discount must be a whole number from 1 to 100')
    expect((await postOffer(EP, offerId, epLead, perDay({ status: 'on_sale', partnershipFrom: '40', partnershipPercent: '10' }))).status).toBe(302)
    const db = await getDb()
    const offer = await db
      .selectFrom('offers')
      .select(['partnership_from_quantity', 'partnership_percent_off'])
      .where('id', '=', offerId)
      .executeTakeFirstOrThrow()
    expect(offer).toEqual({ partnership_from_quantity: 40, partnership_percent_off: 10 })
    const shown = await openOffer(EP, offerId, epLead)
    expect([shown.body.offer.values.partnershipFrom, shown.body.offer.values.partnershipPercent]).toEqual(['40', '10'])
    // Cleared again: no discount.
    expect((await postOffer(EP, offerId, epLead, perDay({ status: 'on_sale' }))).status).toBe(302)
    const cleared = await db.selectFrom('offers').select(['partnership_from_quantity']).where('id', '=', offerId).executeTakeFirstOrThrow()
    expect(cleared.partnership_from_quantity).toBeNull()
  })

  it('refuses bad input with 400 and the field’s error, saving nothing', async () => {
    const bad = await postOffer(EP, offerId, epLead, perDay({ name: '', 'tiers-1-from': '3', hoursPerUnit: 'lots' }))
    expect(bad.status).toBe(400)
    expect(bad.body.errors).toMatchObject({ name: 'Enter the offer name', hoursPerUnit: expect.stringMatching(/hours/) })
    const overlap = await postOffer(EP, offerId, epLead, perDay({ 'tiers-1-from': '3' }))
    expect(overlap.status).toBe(400)
    expect(overlap.body.errors['tiers-0-from']).toMatch(/must not overlap/)
    expect((await openOffer(EP, offerId, epLead)).body.offer.name).toBe(`Extra EP days ${run}`)
  })

  it('adds and removes tier rows without saving anything', async () => {
    const added = await postOffer(EP, offerId, epLead, perDay({ intent: 'add-tier', name: 'Not saved' }))
    expect(added.status).toBe(200)
    expect(added.body.values.tiers).toHaveLength(3)
    expect(added.body.values.name).toBe('Not saved')
    const removed = await postOffer(EP, offerId, epLead, perDay({ intent: 'remove-tier-0' }))
    expect(removed.body.values.tiers).toEqual([{ from: '5', to: '', price: '560', priceAcademy: '590' }])
    expect((await openOffer(EP, offerId, epLead)).body.offer.name).toBe(`Extra EP days ${run}`)
  })

  it('retires it: not on sale any more, the date kept, audited once', async () => {
    const retired = await postOffer(EP, offerId, admin, perDay({ status: 'retired' }))
    expect(retired.status).toBe(302)
    const db = await getDb()
    const offer = await db.selectFrom('offers').select(['is_published', 'retired_at']).where('id', '=', offerId).executeTakeFirstOrThrow()
    expect(offer.is_published).toBe(false)
    expect(offer.retired_at).not.toBeNull()
    expect((await openOffer(EP, offerId, epLead)).body.offer.status).toBe('retired')
    const actions = await audits(offerId)
    expect(actions.filter((a) => a === 'offer.retired')).toHaveLength(1)
    // Each saved change once: three before, and the partnership discount set and cleared.
    expect(actions.filter((a) => a === 'offer.updated')).toHaveLength(5)
  })
})

describe('courses and places already booked', () => {
  let booked: { offerId: string; courseId: string; slug: string; places: number; taken: number }

  beforeAll(async () => {
    const db = await getDb()
    const row = await db
      .selectFrom('capacity_reservations as r')
      .innerJoin('courses as c', (j) => j.onRef('c.authority_id', '=', 'r.authority_id').onRef('c.id', '=', 'r.course_id'))
      .innerJoin('offers as o', (j) => j.onRef('o.authority_id', '=', 'c.authority_id').onRef('o.id', '=', 'c.offer_id'))
      .innerJoin('services as s', (j) => j.onRef('s.authority_id', '=', 'o.authority_id').onRef('s.id', '=', 'o.service_id'))
      .select(['o.id as offerId', 'c.id as courseId', 's.slug', 'c.places'])
      .select((eb) => eb.fn.sum<number>('r.places').as('taken'))
      .where('r.authority_id', '=', coventryId)
      .where('r.released_at', 'is', null)
      .where('c.is_cancelled', '=', false)
      .groupBy(['o.id', 'c.id', 's.slug', 'c.places'])
      .orderBy('c.id')
      .limit(1)
      .executeTakeFirstOrThrow()
    booked = { ...row, taken: Number(row.taken) }
  })

  /** The form as the editor shows it for the seeded course offer, with changes. */
  async function formOf(change: (values: any) => void): Promise<Record<string, string | string[]>> {
    const shown = await openOffer(booked.slug, booked.offerId, admin)
    expect(shown.status).toBe(200)
    const v = shown.body.offer.values
    change(v)
    const fields: Record<string, string | string[]> = { intent: 'save' }
    for (const [k, value] of Object.entries(v)) if (typeof value === 'string') fields[k] = value
    fields.inclusions = v.inclusions
    v.courses.forEach((c: Record<string, string>, i: number) => {
      for (const [k, value] of Object.entries(c)) fields[`courses-${i}-${k}`] = value
    })
    return fields
  }

  it('refuses places below the places booked, naming the count; nothing changes', async () => {
    const fields = await formOf((v) => {
      const course = v.courses.find((c: { id: string }) => c.id === booked.courseId)
      course.places = String(booked.taken - 1)
    })
    const answer = await postOffer(booked.slug, booked.offerId, admin, fields)
    expect(answer.status).toBe(400)
    const message = Object.values(answer.body.errors as Record<string, string>).join(' ')
    expect(message).toContain(`${booked.taken} ${booked.taken === 1 ? 'place is' : 'places are'} already booked`)
    const db = await getDb()
    const course = await db.selectFrom('courses').select('places').where('id', '=', booked.courseId).executeTakeFirstOrThrow()
    expect(course.places).toBe(booked.places)
  })

  it('refuses to remove a course with bookings, by its button or by leaving it out', async () => {
    const fields = await formOf(() => {})
    const index = Object.entries(fields)
      .find(([k, v]) => /^courses-\d+-id$/.test(k) && v === booked.courseId)![0]
      .split('-')[1]
    const byButton = await postOffer(booked.slug, booked.offerId, admin, { ...fields, intent: `remove-course-${index}` })
    expect(byButton.status).toBe(400)
    expect(Object.values(byButton.body.errors).join(' ')).toMatch(/cannot be removed/)
    const left = await formOf((v) => {
      v.courses = v.courses.filter((c: { id: string }) => c.id !== booked.courseId)
    })
    const leftOut = await postOffer(booked.slug, booked.offerId, admin, left)
    expect(leftOut.status).toBe(400)
    expect(leftOut.body.errors.courses).toMatch(/cannot be removed/)
    const db = await getDb()
    const course = await db.selectFrom('courses').select('is_cancelled').where('id', '=', booked.courseId).executeTakeFirstOrThrow()
    expect(course.is_cancelled).toBe(false)
  })

  it('adds a course offer with a course; its places are saved', async () => {
    const added = await postNew(
      EP,
      epLead,
      perDay({
        name: `EP training ${run}`,
        pricingModel: 'per_place',
        unitOne: 'place',
        unitOther: 'places',
        hoursPerUnit: '0',
        price: '95',
        'courses-0-title': 'Emotion coaching',
        'courses-0-starts': '2027-02-03T09:30',
        'courses-0-ends': '2027-02-03T15:30',
        'courses-0-venue': 'Council House',
        'courses-0-places': '24',
      }),
    )
    expect(added.status).toBe(302)
    const id = offerIdOf(added.location)
    made.push(id)
    const shown = await openOffer(EP, id, epLead)
    expect(shown.body.offer.values.courses).toEqual([
      expect.objectContaining({ title: 'Emotion coaching', starts: '2027-02-03T09:30', ends: '2027-02-03T15:30', places: '24' }),
    ])
    expect(shown.body.offer.values.price).toBe('95')
  })
})
