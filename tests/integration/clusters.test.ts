import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { idFor } from '../../db/seed/random'
import { billOrders } from '~/models/billing/billing-run.server'
import { addToBasket } from '~/models/ordering/basket-changes.server'
import { getBasket } from '~/models/ordering/basket.server'
import { getDeliveryLine, recordDelivery } from '~/models/ordering/delivery.server'
import { submitBasket } from '~/models/ordering/place-order.server'
import { getDb } from '~/utils/db.server'
import { insertTestSchool } from '../support/schools'

/**
 * A cluster's pooled block (issue 16, docs/decisions/0036): the lead school
 * buys multilingual assistant hours for its cluster of four; the volume tier
 * and the partnership discount apply to the pooled quantity; three schools
 * record use; once the block's year is over each school's share is invoiced
 * (an academy) or journalled (maintained schools), and the shares add up to
 * the block's price to the penny. The schools and the cluster are this
 * file's own.
 */

const HOURS = idFor('coventry/offer/ethnic-minority-achievement/multilingual-assistant-hours')
const run = randomUUID().slice(0, 8)
let authorityId = ''
let clusterId = ''
const schools = { alder: '', birch: '', cedar: '', dale: '', outsider: '' }
let alderBuyer = ''

const staff = () => ({ kind: 'authority' as const, authorityId })
const delivered = (lineId: string, schoolId: string, units: number, day: string) =>
  getDb().then((db) =>
    recordDelivery(db, staff(), alderBuyer, lineId, { deliveredOn: day, units, hours: units, practitioner: 'A. Multilingual', note: null, schoolId }),
  )

beforeAll(async () => {
  const db = await getDb()
  authorityId = (await db.selectFrom('authorities').select('id').where('slug', '=', 'coventry').executeTakeFirstOrThrow()).id
  const school = (name: string, type: 'maintained' | 'academy') =>
    insertTestSchool(db, {
      authority_id: authorityId,
      name: `${name} ${run}`,
      phase: 'primary',
      school_type: type,
      pupil_count: 250,
      approval_limit_pence: 100_000_000,
      finance_route: type === 'academy' ? 'invoice' : 'internal_recharge',
    }).then((s) => s.id)
  schools.alder = await school('Cluster Alder Primary', 'maintained')
  schools.birch = await school('Cluster Birch Primary', 'maintained')
  schools.cedar = await school('Cluster Cedar Academy', 'academy')
  schools.dale = await school('Cluster Dale Primary', 'maintained')
  schools.outsider = await school('Cluster Outsider Primary', 'maintained')
  clusterId = (
    await db
      .insertInto('clusters')
      .values({ authority_id: authorityId, name: `Test cluster ${run}`, lead_school_id: schools.alder, split_basis: 'use' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id
  await db
    .insertInto('cluster_members')
    .values(
      [schools.alder, schools.birch, schools.cedar, schools.dale].map((school_id) => ({
        authority_id: authorityId,
        cluster_id: clusterId,
        school_id,
      })),
    )
    .execute()
  alderBuyer = (
    await db
      .insertInto('users')
      .values({
        authority_id: authorityId,
        email: `cluster-alder-${run}@example.org`,
        name: 'Alder buyer',
        school_id: schools.alder,
        password_hash: 'x',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id
  await db.insertInto('user_roles').values({ authority_id: authorityId, user_id: alderBuyer, role: 'school_buyer' }).execute()
  // The offer's partnership discount: 10% off a pooled block of 100 hours or more.
  await db
    .updateTable('offers')
    .set({ partnership_from_quantity: 100, partnership_percent_off: 10 })
    .where('authority_id', '=', authorityId)
    .where('id', '=', HOURS)
    .execute()
})

afterAll(async () => {
  const db = await getDb()
  await db
    .updateTable('offers')
    .set({ partnership_from_quantity: null, partnership_percent_off: null })
    .where('authority_id', '=', authorityId)
    .where('id', '=', HOURS)
    .execute()
})

describe('a cluster’s pooled block', () => {
  let lineId = ''
  let orderId = ''

  it('is bought by the lead school at the pooled quantity’s tier, less the partnership discount; no other school may buy it', async () => {
    const db = await getDb()
    const alder = { authorityId, schoolId: schools.alder, userId: alderBuyer }
    // Alone, 40 hours are at the 1–99 hour rate (£27); pooled, 120 hours reach £25, and 10% off.
    const own = await addToBasket(db, alder, { offerId: HOURS, quantity: 40 })
    expect(own.ok).toBe(true)
    const pooled = await addToBasket(db, alder, { offerId: HOURS, quantity: 120, clusterId })
    expect(pooled.ok).toBe(true)
    const basket = (await getBasket(db, { authorityId, schoolId: schools.alder }))!
    expect(basket.lines.map((l) => [l.cluster?.id ?? null, l.quantity, l.unitPricePence, l.netPence])).toEqual([
      [null, 40, 2_700, 108_000],
      [clusterId, 120, 2_500, 270_000],
    ])
    expect(basket.lines[1]!.priceExplanation).toContain('10% partnership discount')
    // Another member, or a school outside the cluster, cannot buy the cluster's block.
    const byBirch = await addToBasket(db, { authorityId, schoolId: schools.birch, userId: alderBuyer }, { offerId: HOURS, quantity: 120, clusterId })
    expect(byBirch).toMatchObject({ ok: false, field: 'clusterId' })
    // The school's own line goes; the block is submitted, priced again the same, and confirmed.
    await db.deleteFrom('order_lines').where('authority_id', '=', authorityId).where('id', '=', basket.lines[0]!.id).execute()
    const submitted = await submitBasket(db, alder, basket.id)
    expect(submitted).toMatchObject({ kind: 'submitted', status: 'submitted' })
    orderId = basket.id
    const line = await db
      .selectFrom('order_lines')
      .select(['id', 'status', 'net_pence', 'cluster_id'])
      .where('authority_id', '=', authorityId)
      .where('order_id', '=', orderId)
      .executeTakeFirstOrThrow()
    expect(line).toMatchObject({ status: 'confirmed', net_pence: 270_000, cluster_id: clusterId })
    lineId = line.id
  })

  it('records each delivery against the member school it was for, and only a member', async () => {
    const db = await getDb()
    expect(await delivered(lineId, schools.alder, 40, '2026-05-12')).toMatchObject({ ok: true })
    expect(await delivered(lineId, schools.birch, 30, '2026-06-09')).toMatchObject({ ok: true })
    expect(await delivered(lineId, schools.cedar, 25.5, '2026-09-15')).toMatchObject({ ok: true })
    expect(await delivered(lineId, schools.outsider, 1, '2026-09-16')).toEqual({ ok: false, errors: { schoolId: 'Choose the school this was for' } })
    expect(
      await recordDelivery(db, staff(), alderBuyer, lineId, {
        deliveredOn: '2026-09-16',
        units: 1,
        hours: 1,
        practitioner: 'A. Multilingual',
        note: null,
        schoolId: null,
      }),
    ).toEqual({ ok: false, errors: { schoolId: 'Choose the school this was for' } })
    const page = (await getDeliveryLine(db, staff(), lineId))!
    expect(page.cluster?.members.map((m) => m.id).sort()).toEqual([schools.alder, schools.birch, schools.cedar, schools.dale].sort())
    expect(page.records.map((r) => r.schoolName).sort()).toEqual(
      [`Cluster Alder Primary ${run}`, `Cluster Birch Primary ${run}`, `Cluster Cedar Academy ${run}`].sort(),
    )
  })

  it('is shared out by use once its year is over: each school invoiced or journalled its share, adding up to the block exactly, once', async () => {
    const db = await getDb()
    // Before the year is over (and not used up), nothing is shared out.
    await billOrders(db, authorityId, {
      orderIds: [orderId],
      asOf: '2027-03-31',
      now: new Date('2027-03-31T09:00:00Z'),
      notify: false,
      stripe: false,
    })
    const shares = () =>
      db
        .selectFrom('invoice_lines as il')
        .innerJoin('invoices as i', (j) => j.onRef('i.authority_id', '=', 'il.authority_id').onRef('i.id', '=', 'il.invoice_id'))
        .select(['i.school_id', 'i.route', 'i.order_id', 'il.school_id as line_school', 'il.net_pence', 'il.vat_pence', 'il.description'])
        .where('il.authority_id', '=', authorityId)
        .where('il.order_line_id', '=', lineId)
        .orderBy('il.net_pence', 'desc')
        .execute()
    expect(await shares()).toEqual([])
    for (let i = 0; i < 2; i++) {
      await billOrders(db, authorityId, {
        orderIds: [orderId],
        asOf: '2027-04-01',
        now: new Date('2027-04-01T09:00:00Z'),
        notify: false,
        stripe: false,
      })
    }
    const rows = await shares()
    // 95.5 hours used: 40, 30 and 25.5 of them; Dale used none and pays nothing.
    const exact = (used: number) => (270_000 * used) / 95.5
    expect(rows.map((r) => [r.school_id, r.route])).toEqual([
      [schools.alder, 'internal_recharge'],
      [schools.birch, 'internal_recharge'],
      [schools.cedar, 'invoice'],
    ])
    expect(rows.map((r) => r.line_school)).toEqual([schools.alder, schools.birch, schools.cedar])
    for (const [r, used] of rows.map((r, i) => [r, [40, 30, 25.5][i]!] as const)) expect(Math.abs(r.net_pence - exact(used))).toBeLessThan(1)
    expect(rows.reduce((n, r) => n + r.net_pence, 0)).toBe(270_000)
    expect(rows.every((r) => r.order_id === null)).toBe(true)
    expect(rows[2]!.description).toContain('25.5 of 120 used')
  })
})
