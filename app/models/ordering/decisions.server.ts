import { clock } from '../../utils/clock'
import type { DB } from '../../../db/connection'
import { getBoss } from '../../utils/jobs.server'
import { confirmOrderLine } from './capacity.server'
import { queueBilling } from '../billing/invoicing.server'
import { queueOrderEmails } from './notifications.server'

/**
 * Offers each submitted line of an order to its team's capacity, in team
 * order (the order every confirmation takes its locks in), then queues the
 * emails saying which lines were confirmed and which wait. Used after a
 * basket is submitted, after a headteacher approves, and by the
 * `decide-submitted-lines` job for any line left undecided (a crash or a
 * lock timeout between submitting and deciding): safe to run again. The
 * decisions are Buyback's, whoever's request led to them.
 */
export async function decideSubmittedLines(db: DB, authorityId: string, orderId: string): Promise<{ confirmed: string[]; waitlisted: string[] }> {
  const lines = await db
    .selectFrom('order_lines as l')
    .innerJoin('offers as f', (j) => j.onRef('f.authority_id', '=', 'l.authority_id').onRef('f.id', '=', 'l.offer_id'))
    .innerJoin('services as s', (j) => j.onRef('s.authority_id', '=', 'f.authority_id').onRef('s.id', '=', 'f.service_id'))
    .select(['l.id', 's.team_id'])
    .where('l.authority_id', '=', authorityId)
    .where('l.order_id', '=', orderId)
    .where('l.status', '=', 'submitted')
    .orderBy('s.team_id')
    .orderBy('l.trading_year')
    .orderBy('l.id')
    .execute()
  const confirmed: string[] = []
  const waitlisted: string[] = []
  for (const line of lines) {
    try {
      const decision = await confirmOrderLine(db, authorityId, line.id)
      if (decision === 'confirmed') confirmed.push(line.id)
      if (decision === 'waitlisted') waitlisted.push(line.id)
    } catch (error) {
      console.warn(`Order line ${line.id} could not be decided yet:`, error instanceof Error ? error.message : error)
    }
  }
  if (confirmed.length) {
    // The rest of a line split to confirm what fitted waits too: say so.
    const rests = await db
      .selectFrom('order_lines')
      .select('id')
      .where('authority_id', '=', authorityId)
      .where('split_from_line_id', 'in', confirmed)
      .where('status', '=', 'waitlisted')
      .execute()
    waitlisted.push(...rests.map((r) => r.id).filter((id) => !waitlisted.includes(id)))
  }
  if (confirmed.length || waitlisted.length) {
    await getBoss()
    await db.transaction().execute(async (trx) => {
      if (confirmed.length) await queueOrderEmails(trx, { authorityId, orderId, event: 'confirmed', lineIds: confirmed })
      if (confirmed.length) await queueBilling(trx, authorityId, orderId, 'confirmed', confirmed)
      if (waitlisted.length) await queueOrderEmails(trx, { authorityId, orderId, event: 'waitlisted', lineIds: waitlisted })
    })
  }
  return { confirmed, waitlisted }
}

/**
 * The sweep behind the `decide-submitted-lines` job: every order with a line
 * still submitted (not awaiting approval) two minutes after its last change.
 */
export async function decideForgottenLines(db: DB, now: Date = clock.now()): Promise<number> {
  const orders = await db
    .selectFrom('order_lines')
    .select(['authority_id', 'order_id'])
    .where('status', '=', 'submitted')
    .where('updated_at', '<', new Date(now.getTime() - 2 * 60_000))
    .groupBy(['authority_id', 'order_id'])
    .limit(500)
    .execute()
  for (const order of orders) await decideSubmittedLines(db, order.authority_id, order.order_id)
  return orders.length
}
