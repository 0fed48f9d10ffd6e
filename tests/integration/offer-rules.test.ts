import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD_HASH } from '../../db/seed/factories'
import { addToBasket } from '~/models/ordering/basket-changes.server'
import { getBasket } from '~/models/ordering/basket.server'
import { duplicateProblem } from '~/models/ordering/offer-rules.server'
import { submitBasket } from '~/models/ordering/place-order.server'
import { getDb } from '~/utils/db.server'
import { clock } from '~/utils/clock'
import { insertTestSchool } from '../support/schools'

/**
 * No accidental duplicates, on the seeded catalogue: a second yearly
 * agreement for the same year is refused when added and again at submit
 * (another order may have taken the year meanwhile); what a subscription
 * includes costs £0. Throwaway schools whose orders wait for approval (an
 * approval limit of 1p), so that no seeded capacity is taken; removed
 * afterwards.
 */

const run = randomUUID().slice(0, 8)
let authorityId: string
const offers = { clerking: '', subscription: '', places: '', epDays: '' }
let courseId: string
const schools: string[] = []
const userIds: string[] = []

async function makeBuyer(name: string) {
  const db = await getDb()
  const school = await insertTestSchool(db, {
    authority_id: authorityId,
    name: `${name} ${run}`,
    phase: 'primary',
    school_type: 'maintained',
    pupil_count: 420,
    approval_limit_pence: 1,
    finance_route: 'internal_recharge',
  })
  const user = await db
    .insertInto('users')
    .values({
      authority_id: authorityId,
      email: `rules-${schools.length}-${run}@example.org`,
      name,
      password_hash: DEMO_PASSWORD_HASH,
      school_id: school.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  schools.push(school.id)
  userIds.push(user.id)
  return { authorityId, schoolId: school.id, userId: user.id }
}

beforeAll(async () => {
  const db = await getDb()
  authorityId = (await db.selectFrom('authorities').select('id').where('slug', '=', 'coventry').executeTakeFirstOrThrow()).id
  const bySlug = async (slug: string) =>
    (await db.selectFrom('offers').select('id').where('authority_id', '=', authorityId).where('slug', '=', slug).executeTakeFirstOrThrow()).id
  offers.clerking = await bySlug('clerking-agreement')
  offers.subscription = await bySlug('governor-training-subscription')
  offers.places = await bySlug('governor-training-places')
  offers.epDays = await bySlug('ep-days')
  // The app's clock, not the machine's: a course still ahead on the demo's day.
  const now = clock.now()
  courseId = (
    await db
      .selectFrom('courses')
      .select('id')
      .where('authority_id', '=', authorityId)
      .where('offer_id', '=', offers.places)
      .where('is_cancelled', '=', false)
      .where('starts_at', '>', now)
      .orderBy('starts_at')
      .executeTakeFirstOrThrow()
  ).id
})

afterAll(async () => {
  const db = await getDb()
  if (schools.length) {
    await db.deleteFrom('orders').where('authority_id', '=', authorityId).where('school_id', 'in', schools).execute()
    await db.deleteFrom('email_messages').where('authority_id', '=', authorityId).where('to_address', 'like', `rules-%-${run}@example.org`).execute()
    await db.deleteFrom('audit_events').where('authority_id', '=', authorityId).where('actor_user_id', 'in', userIds).execute()
    await db.deleteFrom('users').where('authority_id', '=', authorityId).where('id', 'in', userIds).execute()
    await db.deleteFrom('schools').where('authority_id', '=', authorityId).where('id', 'in', schools).execute()
  }
})

describe('a second yearly agreement', () => {
  it('Elm Bank, which holds a 2026/27 clerking agreement, is told so', async () => {
    const db = await getDb()
    const elmBank = await db
      .selectFrom('schools')
      .select('id')
      .where('authority_id', '=', authorityId)
      .where('name', '=', 'Elm Bank Primary School')
      .executeTakeFirstOrThrow()
    const offer = { id: offers.clerking, name: 'Clerking agreement: full governing board', repeatable: false }
    expect(await duplicateProblem(db, { authorityId, schoolId: elmBank.id }, offer, 2026)).toMatch(
      /^Your school already has Clerking agreement: full governing board for 2026\/27 \(order ORD-\d{4}-\d{5}\)/,
    )
  })

  it('is refused when added to a basket that already has it, and after it is ordered', async () => {
    const db = await getDb()
    const buyer = await makeBuyer('Duplicate Primary')
    expect(await addToBasket(db, buyer, { offerId: offers.clerking, quantity: 1, startFrom: { tradingYear: 2026, term: 'autumn' } })).toMatchObject({
      ok: true,
    })
    // From another term of the same year it is still the same agreement.
    const again = await addToBasket(db, buyer, { offerId: offers.clerking, quantity: 1, startFrom: { tradingYear: 2026, term: 'spring' } })
    expect(again).toMatchObject({ ok: false, field: 'quantity' })
    expect(!again.ok && again.message).toContain('Your basket already has Clerking agreement: full governing board for 2026/27')

    const basket = (await getBasket(db, buyer))!
    const submitted = await submitBasket(db, buyer, basket.id)
    expect(submitted).toMatchObject({ kind: 'submitted', status: 'awaiting_approval' })
    const third = await addToBasket(db, buyer, { offerId: offers.clerking, quantity: 1, startFrom: { tradingYear: 2026, term: 'autumn' } })
    expect(!third.ok && third.message).toMatch(/^Your school already has Clerking agreement: full governing board for 2026\/27 \(order ORD-/)
    expect(await getBasket(db, buyer)).toBeNull()
    // More EP days are another matter: they may be bought again.
    expect(await addToBasket(db, buyer, { offerId: offers.epDays, quantity: 2 })).toMatchObject({ ok: true })
  })

  it('is checked again at submit: an order placed meanwhile for the same year stops the basket, and nothing is submitted', async () => {
    const db = await getDb()
    const buyer = await makeBuyer('Two Tabs Primary')
    expect(await addToBasket(db, buyer, { offerId: offers.clerking, quantity: 1, startFrom: { tradingYear: 2026, term: 'autumn' } })).toMatchObject({
      ok: true,
    })
    const basket = (await getBasket(db, buyer))!
    // Another order for the same agreement and year arrives after it was added (a second tab, an accepted renewal).
    const other = await db
      .insertInto('orders')
      .values({
        authority_id: authorityId,
        school_id: buyer.schoolId,
        reference: `ORD-2026-R${run}`,
        status: 'awaiting_approval',
        created_by: buyer.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const line = await db
      .selectFrom('order_lines')
      .selectAll()
      .where('authority_id', '=', authorityId)
      .where('order_id', '=', basket.id)
      .executeTakeFirstOrThrow()
    const { id: _id, created_at: _c, ...copy } = line
    await db
      .insertInto('order_lines')
      .values({ ...copy, order_id: other.id, status: 'awaiting_approval' })
      .execute()

    const result = await submitBasket(db, buyer, basket.id)
    expect(result).toMatchObject({ kind: 'problem', field: `quantity-${line.id}` })
    expect(result.kind === 'problem' && result.message).toContain(
      `Your school already has Clerking agreement: full governing board for 2026/27 (order ORD-2026-R${run})`,
    )
    const still = await db
      .selectFrom('orders')
      .select('status')
      .where('authority_id', '=', authorityId)
      .where('id', '=', basket.id)
      .executeTakeFirstOrThrow()
    expect(still.status).toBe('draft')
  })
})

describe('what a subscription includes', () => {
  it('a school holding the governor training subscription pays £0 for training places, with the reason, to the order', async () => {
    const db = await getDb()
    const buyer = await makeBuyer('Subscriber Primary')
    // Without the subscription, a place is charged.
    expect(await addToBasket(db, buyer, { offerId: offers.places, quantity: 1, courseId })).toMatchObject({ ok: true })
    const before = (await getBasket(db, buyer))!.lines[0]!
    expect(before.grossPence).toBeGreaterThan(0)
    await db.deleteFrom('order_lines').where('authority_id', '=', authorityId).where('id', '=', before.id).execute()

    expect(
      await addToBasket(db, buyer, { offerId: offers.subscription, quantity: 1, startFrom: { tradingYear: 2026, term: 'autumn' } }),
    ).toMatchObject({ ok: true })
    const subscribed = (await getBasket(db, buyer))!
    expect(await submitBasket(db, buyer, subscribed.id)).toMatchObject({ kind: 'submitted' })

    expect(await addToBasket(db, buyer, { offerId: offers.places, quantity: 2, courseId })).toMatchObject({ ok: true })
    const basket = (await getBasket(db, buyer))!
    const places = basket.lines[0]!
    expect(places).toMatchObject({ quantity: 2, unitPricePence: 0, netPence: 0, vatPence: 0, grossPence: 0 })
    expect(places.priceExplanation).toContain('Included in your subscription: Governor training subscription for 2026/27')
    expect(basket.grossPence).toBe(0)

    const submitted = await submitBasket(db, buyer, basket.id)
    expect(submitted).toMatchObject({ kind: 'submitted' })
    const ordered = await db
      .selectFrom('order_lines')
      .select(['unit_price_pence', 'gross_pence', 'price_explanation'])
      .where('authority_id', '=', authorityId)
      .where('id', '=', places.id)
      .executeTakeFirstOrThrow()
    expect(ordered).toMatchObject({ unit_price_pence: 0, gross_pence: 0 })
    expect(ordered.price_explanation).toContain('Included in your subscription')
  })
})
