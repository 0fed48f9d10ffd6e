import { beforeAll, describe, expect, it } from 'vitest'
import { eventByline } from '~/domain/order-history'
import { eventTitle } from '~/schemas/orders'
import { approveOrder } from '~/models/ordering/approvals.server'
import { cancelOrderLine } from '~/models/ordering/capacity.server'
import { decideSubmittedLines } from '~/models/ordering/decisions.server'
import { getOrderDetail } from '~/models/ordering/order-detail.server'
import { getDb } from '~/utils/db.server'
import { buildOrderFixture, type OrderFixture } from '../support/order-fixture'

/**
 * An order's history names a person only for what they did themselves
 * (docs/decisions/0031): what Buyback decides on its own (confirming
 * against the team's time, the waiting list, promotion from it) is
 * recorded with no person and reads "by Buyback". On a throwaway school
 * and team with room for 5 days.
 */

let f: OrderFixture

beforeAll(async () => {
  f = await buildOrderFixture(await getDb(), { roomForDays: 5 })
})

type Shown = { title: string; by: string; actorName: string | null }

/**
 * The history as the order page shows it (title and byline), from the
 * `from`th event on; events written in one transaction share a time, so
 * they are compared in title order.
 */
async function history(orderId: string, from = 0): Promise<Shown[]> {
  const detail = await getOrderDetail(await getDb(), { kind: 'school', authorityId: f.authorityId, schoolId: f.schoolId }, orderId)
  return detail!.events
    .slice(from)
    .map((e) => ({
      title: eventTitle(e.fromStatus, e.toStatus, e.line !== null),
      by: eventByline({ ...e, isLine: e.line !== null }),
      actorName: e.actorName,
    }))
    .sort((a, b) => a.title.localeCompare(b.title))
}

describe('who an order’s history credits', () => {
  it('the headteacher approves; Buyback confirms, waitlists and confirms from the waiting list, never the person whose click led to it', async () => {
    const db = await getDb()
    const headName = `head ${f.run}`
    const buyerName = `buyer ${f.run}`

    // The headteacher approves 5 days: that is theirs; confirming them against the team's time is Buyback's.
    const first = await f.order({ status: 'awaiting_approval', lines: [{ quantity: 5 }] })
    const approved = await approveOrder(db, { userId: f.head.id, authorityId: f.authorityId, schoolId: f.schoolId }, first.id)
    expect(approved).toMatchObject({ ok: true, confirmed: first.lineIds })
    expect(await history(first.id)).toEqual([
      { title: 'Approved by the headteacher and submitted', by: `by ${headName}`, actorName: headName },
      { title: 'Line confirmed', by: 'by Buyback', actorName: null },
      { title: 'Order confirmed', by: 'by Buyback', actorName: null },
    ])

    // The team is now full: the next order waits, and that is Buyback's doing too.
    const second = await f.order({ status: 'submitted', lines: [{ quantity: 2 }] })
    expect(await decideSubmittedLines(db, f.authorityId, second.id)).toEqual({ confirmed: [], waitlisted: second.lineIds })
    expect(await history(second.id)).toEqual([
      { title: 'Line put on the waiting list', by: 'by Buyback', actorName: null },
      { title: 'Order put on the waiting list', by: 'by Buyback', actorName: null },
    ])

    // The business manager cancels the first order (theirs); the freed days go to the waiting list (Buyback's).
    expect(await cancelOrderLine(db, f.authorityId, first.lineIds[0]!, f.buyer.id)).toEqual({ cancelled: true, promoted: second.lineIds })
    expect(await history(first.id, 3)).toEqual([
      { title: 'Line cancelled', by: `by ${buyerName}`, actorName: buyerName },
      { title: 'Order cancelled', by: `by ${buyerName}`, actorName: buyerName },
    ])
    expect(await history(second.id, 2)).toEqual([
      { title: 'Line confirmed', by: 'by Buyback, from the waiting list', actorName: null },
      { title: 'Order confirmed', by: 'by Buyback', actorName: null },
    ])
  })

  it('nothing Buyback decided in the demo’s own history names a person', async () => {
    const db = await getDb()
    const credited = await db
      .selectFrom('order_events')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('actor_user_id', 'is not', null)
      .where((eb) =>
        eb.or([
          eb('to_status', 'in', ['waitlisted', 'completed']),
          eb.and([eb('to_status', '=', 'confirmed'), eb('from_status', 'in', ['submitted', 'waitlisted'])]),
        ]),
      )
      .executeTakeFirstOrThrow()
    expect(Number(credited.n)).toBe(0)
  })
})
