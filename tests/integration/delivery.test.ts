import { beforeAll, describe, expect, it } from 'vitest'
import { confirmOrderLine } from '~/models/ordering/capacity.server'
import { action as recordAction, loader as lineLoader } from '~/routes/la.delivery.$lineId'
import { loader as listLoader } from '~/routes/la.delivery._index'
import { getDb } from '~/utils/db.server'
import { buildOrderFixture, get, post, settle, type OrderFixture } from '../support/order-fixture'

/** Recording delivery (/la/delivery) on throwaway services, each led by its own throwaway lead. */

const context = { clientIp: '127.0.0.1' }
let f: OrderFixture
let onDelivery: OrderFixture
let leadCookie: string

beforeAll(async () => {
  const db = await getDb()
  f = await buildOrderFixture(db, { roomForDays: 50 })
  onDelivery = await buildOrderFixture(db, { roomForDays: 50, invoiceSchedule: 'on_delivery' })
  leadCookie = await f.cookieFor(f.lead.id)
})

async function confirmedLine(fixture: OrderFixture, quantity: number) {
  const order = await fixture.order({ status: 'submitted', lines: [{ quantity }] })
  await confirmOrderLine(await getDb(), fixture.authorityId, order.lineIds[0]!)
  return order.lineIds[0]!
}

const form = (overrides: Record<string, string> = {}) => ({
  'deliveredOn-day': '2',
  'deliveredOn-month': '10',
  'deliveredOn-year': '2026',
  units: '1',
  hours: '',
  practitioner: 'Dr Ann Example',
  note: '',
  ...overrides,
})
const record = (lineId: string, fields: Record<string, string>, cookie = leadCookie) =>
  settle(recordAction({ request: post(`/la/delivery/${lineId}`, fields, cookie), params: { lineId }, context }))

async function records(lineId: string) {
  const db = await getDb()
  return db.selectFrom('delivery_records').selectAll().where('order_line_id', '=', lineId).orderBy('created_at').execute()
}

describe('recording delivery', () => {
  it('lists the lead’s confirmed lines with bought against used', async () => {
    const lineId = await confirmedLine(f, 10)
    const answer = await settle(listLoader({ request: get(`/la/delivery?school=${f.schoolId}`, leadCookie), params: {}, context }))
    expect(answer.status).toBe(200)
    const line = answer.body.lines.find((l: { id: string }) => l.id === lineId)
    expect(line.usedText).toBe('0 of 10 days used')
    // Only the lead's services.
    const theirs = await confirmedLine(onDelivery, 1)
    expect(answer.body.lines.map((l: { id: string }) => l.id)).not.toContain(theirs)
  })

  it('records a delivery with hours defaulting to units × hours per unit, and who recorded it', async () => {
    const lineId = await confirmedLine(f, 10)
    const done = await record(lineId, form({ units: '1.5', note: 'Assessment visit' }))
    expect(done.status).toBe(302)
    expect(await records(lineId)).toMatchObject([
      { units: 1.5, hours: 9.75, practitioner: 'Dr Ann Example', note: 'Assessment visit', recorded_by: f.lead.id, delivered_on: '2026-10-02' },
    ])
    const page = await settle(lineLoader({ request: get(`/la/delivery/${lineId}`, leadCookie), params: { lineId }, context }))
    expect(page.body.line.usedText).toBe('1.5 of 10 days used')
  })

  it('refuses bad input with messages, saving nothing', async () => {
    const lineId = await confirmedLine(f, 2)
    const bad = await record(lineId, form({ 'deliveredOn-day': '31', 'deliveredOn-month': '2', units: '0.3', practitioner: ' ' }))
    expect(bad.status).toBe(400)
    expect(bad.body.errors).toEqual({
      'deliveredOn-day': 'Date delivered must be a real date',
      units: 'Units delivered must be in whole or half units, like 1 or 0.5',
      practitioner: 'Enter the name of the practitioner',
    })
    for (const units of ['0', '-1', 'abc', '']) expect((await record(lineId, form({ units }))).status).toBe(400)
    expect((await record(lineId, form({ 'deliveredOn-year': '2099' }))).body.errors['deliveredOn-day']).toBe(
      'Date delivered must be today or in the past',
    )
    expect(await records(lineId)).toEqual([])
  })

  it('refuses more than was bought, unless the offer bills on delivery', async () => {
    const lineId = await confirmedLine(f, 10)
    expect((await record(lineId, form({ units: '4' }))).status).toBe(302)
    const over = await record(lineId, form({ units: '7' }))
    expect(over.status).toBe(400)
    expect(over.body.errors.units).toBe('You can record at most 6 more days on this order')
    expect((await record(lineId, form({ units: '6' }))).status).toBe(302)
    expect((await record(lineId, form({ units: '0.5' }))).body.errors.units).toBe(
      'All 10 days on this order have been recorded: you cannot record more',
    )

    const billed = await confirmedLine(onDelivery, 1)
    const onDeliveryCookie = await onDelivery.cookieFor(onDelivery.lead.id)
    const allowed = await record(billed, form({ units: '3' }), onDeliveryCookie)
    expect(allowed.status).toBe(302)
    expect(allowed.location).toBe(`/la/delivery/${billed}?recorded=over`)
  })

  it('six recordings at once cannot together exceed what was bought', async () => {
    const lineId = await confirmedLine(f, 2)
    const results = await Promise.all(Array.from({ length: 6 }, () => record(lineId, form({ units: '2' }))))
    expect(results.map((r) => r.status).sort()).toEqual([302, 400, 400, 400, 400, 400])
    expect(await records(lineId)).toHaveLength(1)
  })

  it('a lead of another service gets 404 for a line that is not theirs', async () => {
    const lineId = await confirmedLine(f, 2)
    const otherLead = await onDelivery.cookieFor(onDelivery.lead.id)
    expect((await settle(lineLoader({ request: get(`/la/delivery/${lineId}`, otherLead), params: { lineId }, context }))).status).toBe(404)
    expect((await record(lineId, form(), otherLead)).status).toBe(404)
    expect(await records(lineId)).toEqual([])
    const buyer = await f.cookieFor(f.buyer.id)
    expect((await record(lineId, form(), buyer)).status).toBe(403)
  })
})
