import { sql } from 'kysely'
import type { DB } from '../../../db/connection'
import type { OrderStatus } from '../../../db/schema'
import { decideCancellation, type CancellationDecision } from '../../domain/cancellation'
import { ukDate } from '../../domain/dates'
import { cancelOrderLine } from './capacity.server'
import { queueBilling } from '../billing/invoicing.server'
import { queueOrderEmails } from './notifications.server'
import type { SchoolActor } from '../shared/actor.server'

/**
 * Cancelling a school's order: every line not yet delivered is
 * cancelled, free or with the offer's late-cancellation fee
 * (app/domain/cancellation.ts); what was delivered stays. Cancelling frees
 * the team's hours and offers them to the waiting list, oldest first
 * (cancelOrderLine in app/models/capacity.server.ts).
 */

export type CancellationPreviewLine = {
  id: string
  serviceName: string
  offerName: string
  status: OrderStatus
  quantity: number
  unitOne: string
  unitOther: string
  netPence: number
  deliveredUnits: number
  noticeDays: number
  lateFeePercent: number
  decision: CancellationDecision
}

export type CancellationPreview = {
  id: string
  reference: string
  status: OrderStatus
  lines: CancellationPreviewLine[]
  /** The lines that would be cancelled now. */
  cancellable: CancellationPreviewLine[]
  /** What cancelling now costs, in pence. */
  feePence: number
}

/** The school's order with what cancelling it today would do, or undefined when it is not the school's. */
export async function cancellationPreview(
  db: DB,
  scope: { authorityId: string; schoolId: string },
  orderId: string,
  today: string,
): Promise<CancellationPreview | undefined> {
  const order = await db
    .selectFrom('orders')
    .select(['id', 'reference', 'status'])
    .where('authority_id', '=', scope.authorityId)
    .where('school_id', '=', scope.schoolId)
    .where('id', '=', orderId)
    .where('status', '!=', 'draft')
    .executeTakeFirst()
  if (!order) return undefined
  const rows = await db
    .selectFrom('order_lines as l')
    .innerJoin('offers as f', (j) => j.onRef('f.authority_id', '=', 'l.authority_id').onRef('f.id', '=', 'l.offer_id'))
    .innerJoin('services as sv', (j) => j.onRef('sv.authority_id', '=', 'f.authority_id').onRef('sv.id', '=', 'f.service_id'))
    .leftJoin('courses as c', (j) => j.onRef('c.authority_id', '=', 'l.authority_id').onRef('c.id', '=', 'l.course_id'))
    .select((eb) => [
      'l.id',
      'l.status',
      'l.quantity',
      'l.net_pence',
      'l.period_start',
      'c.starts_at as course_starts_at',
      'f.name as offer_name',
      'f.unit_one',
      'f.unit_other',
      'f.cancellation_notice_days',
      'f.late_cancellation_fee_percent',
      'sv.name as service_name',
      eb
        .selectFrom('delivery_records as d')
        .select(sql<number>`coalesce(sum(d.units), 0)::float8`.as('units'))
        .whereRef('d.authority_id', '=', 'l.authority_id')
        .whereRef('d.order_line_id', '=', 'l.id')
        .as('delivered_units'),
    ])
    .where('l.authority_id', '=', scope.authorityId)
    .where('l.order_id', '=', order.id)
    .orderBy('sv.name')
    .orderBy('l.period_start')
    .orderBy('l.id')
    .execute()
  const lines = rows.map((r) => {
    const deliveredUnits = Number(r.delivered_units ?? 0)
    return {
      id: r.id,
      serviceName: r.service_name,
      offerName: r.offer_name,
      status: r.status,
      quantity: r.quantity,
      unitOne: r.unit_one,
      unitOther: r.unit_other,
      netPence: r.net_pence,
      deliveredUnits,
      noticeDays: r.cancellation_notice_days,
      lateFeePercent: r.late_cancellation_fee_percent,
      decision: decideCancellation(
        {
          status: r.status,
          deliveredUnits,
          periodStart: r.period_start,
          courseStartsOn: r.course_starts_at ? ukDate(new Date(r.course_starts_at)) : null,
          noticeDays: r.cancellation_notice_days,
          lateFeePercent: r.late_cancellation_fee_percent,
          netPence: r.net_pence,
        },
        today,
      ),
    }
  })
  const cancellable = lines.filter((l) => l.decision.cancellable)
  const feePence = cancellable.reduce((n, l) => n + (l.decision.cancellable ? l.decision.feePence : 0), 0)
  return { id: order.id, reference: order.reference, status: order.status, lines, cancellable, feePence }
}

export type CancelOrderResult =
  | { ok: true; cancelled: string[]; promoted: string[]; feePence: number }
  | { ok: false; notFound: true }
  | { ok: false; nothingToCancel: true }
  | { ok: false; feeChanged: true; feePence: number }

/**
 * Cancels every cancellable line of the school's order. `expectedFeePence`,
 * when given, is the fee the user was shown: if cancelling now would cost
 * something else (midnight passed, a delivery was recorded), nothing is
 * cancelled and the new figure is returned to be shown first.
 */
export async function cancelOrder(
  db: DB,
  actor: SchoolActor,
  orderId: string,
  options: { today: string; expectedFeePence?: number },
): Promise<CancelOrderResult> {
  const preview = await cancellationPreview(db, actor, orderId, options.today)
  if (!preview) return { ok: false, notFound: true }
  if (preview.cancellable.length === 0) return { ok: false, nothingToCancel: true }
  if (options.expectedFeePence !== undefined && options.expectedFeePence !== preview.feePence) {
    return { ok: false, feeChanged: true, feePence: preview.feePence }
  }
  const cancelled: string[] = []
  const promoted: string[] = []
  let feePence = 0
  for (const line of preview.cancellable) {
    const fee = line.decision.cancellable ? line.decision.feePence : 0
    const result = await cancelOrderLine(db, actor.authorityId, line.id, actor.userId, fee)
    if (result.cancelled) {
      cancelled.push(line.id)
      feePence += fee
    }
    promoted.push(...result.promoted)
  }
  if (cancelled.length === 0) return { ok: false, nothingToCancel: true }

  // Whose lines were promoted from the waiting list, order by order.
  const promotedOrders = promoted.length
    ? await db
        .selectFrom('order_lines')
        .select(['id', 'order_id'])
        .where('authority_id', '=', actor.authorityId)
        .where('id', 'in', promoted)
        .execute()
    : []
  const byOrder = new Map<string, string[]>()
  for (const row of promotedOrders) byOrder.set(row.order_id, [...(byOrder.get(row.order_id) ?? []), row.id])

  await db.transaction().execute(async (trx) => {
    await queueOrderEmails(trx, { authorityId: actor.authorityId, orderId, event: 'cancelled', lineIds: cancelled })
    await queueBilling(trx, actor.authorityId, orderId, 'cancelled', cancelled)
    for (const [promotedOrderId, lineIds] of byOrder) {
      await queueOrderEmails(trx, { authorityId: actor.authorityId, orderId: promotedOrderId, event: 'promoted', lineIds })
      await queueBilling(trx, actor.authorityId, promotedOrderId, 'promoted', lineIds)
    }
  })
  return { ok: true, cancelled, promoted, feePence }
}
