import { sql } from 'kysely'
import type { DB } from '../../../db/connection'
import type { OrderStatus } from '../../../db/schema'
import { decideCancellation, type CancellationDecision } from '../../domain/cancellation'
import { ukDate } from '../../domain/dates'
import { cancelOrderLineIn } from './capacity.server'
import { loadTerms } from '../shared/terms.server'
import { queueBilling } from '../billing/invoicing.server'
import { queueOrderEmails } from './notifications.server'
import type { SchoolActor } from '../shared/actor.server'
import { forUpdate } from '../../utils/locks.server'

/**
 * Cancelling a school's order, whole or one line: what is left of each line
 * is cancelled, and what cancelling charges (delivered work, terms begun of
 * a yearly line, the late fee inside the notice: app/domain/cancellation.ts)
 * is kept on the line as its cancellation charge. The billing run credits
 * what was invoiced for the line and invoices that charge
 * (creditCancelledLines, chargesDue). Cancelling frees the team's hours and
 * offers them to the waiting list, oldest first (cancelOrderLineIn).
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
  /** What cancelling now charges, in pence (delivered, terms begun, late fees). */
  feePence: number
}

/** The school's order with what cancelling it today would do, or undefined when it is not the school's. */
export async function cancellationPreview(
  db: DB,
  scope: { authorityId: string; schoolId: string },
  orderId: string,
  today: string,
  onlyLineId?: string,
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
      'l.period_end',
      'l.trading_year',
      'l.unit_price_pence',
      'c.starts_at as course_starts_at',
      'f.invoice_schedule',
      'f.notice_in_school_days',
      'f.name as offer_name',
      'f.unit_one',
      'f.unit_other',
      'f.sold_by',
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
  const terms = await loadTerms(db, scope.authorityId, [...new Set(rows.map((r) => r.trading_year))])
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
          periodEnd: r.period_end,
          tradingYear: r.trading_year,
          courseStartsOn: r.course_starts_at ? ukDate(new Date(r.course_starts_at)) : null,
          noticeDays: r.cancellation_notice_days,
          noticeInSchoolDays: r.notice_in_school_days,
          lateFeePercent: r.late_cancellation_fee_percent,
          netPence: r.net_pence,
          quantity: r.quantity,
          unitPricePence: r.unit_price_pence,
          unitOne: r.unit_one,
          unitOther: r.unit_other,
          soldBy: r.sold_by,
          schedule: r.invoice_schedule,
        },
        today,
        terms,
      ),
    }
  })
  const cancellable = lines.filter((l) => l.decision.cancellable && (onlyLineId === undefined || l.id === onlyLineId))
  const feePence = cancellable.reduce((n, l) => n + (l.decision.cancellable ? l.decision.chargePence : 0), 0)
  return { id: order.id, reference: order.reference, status: order.status, lines, cancellable, feePence }
}

export type CancelOrderResult =
  | { ok: true; cancelled: string[]; promoted: string[]; feePence: number }
  | { ok: false; notFound: true }
  | { ok: false; nothingToCancel: true }
  | { ok: false; feeChanged: true; feePence: number }

/**
 * Cancels every cancellable line of the school's order, or only `lineId`,
 * in one transaction under the order's lock, so that two cancellations of
 * the same order or line never both charge or credit. `expectedFeePence`,
 * when given, is the charge the user was shown: if cancelling now would
 * charge something else (midnight passed, a delivery was recorded, a term
 * began), nothing is cancelled and the new figure is returned to be shown
 * first. Emails and billing are queued in the same transaction.
 */
export async function cancelOrder(
  db: DB,
  actor: SchoolActor,
  orderId: string,
  options: { today: string; expectedFeePence?: number; lineId?: string },
): Promise<CancelOrderResult> {
  return db.transaction().execute(async (trx): Promise<CancelOrderResult> => {
    const locked = await trx
      .selectFrom('orders')
      .select('id')
      .where('authority_id', '=', actor.authorityId)
      .where('school_id', '=', actor.schoolId)
      .where('id', '=', orderId)
      .$call(forUpdate)
      .executeTakeFirst()
    if (!locked) return { ok: false, notFound: true }
    const preview = await cancellationPreview(trx, actor, orderId, options.today, options.lineId)
    if (!preview) return { ok: false, notFound: true }
    if (options.lineId !== undefined && !preview.lines.some((l) => l.id === options.lineId)) return { ok: false, notFound: true }
    if (preview.cancellable.length === 0) return { ok: false, nothingToCancel: true }
    if (options.expectedFeePence !== undefined && options.expectedFeePence !== preview.feePence) {
      return { ok: false, feeChanged: true, feePence: preview.feePence }
    }
    const cancelled: string[] = []
    const promoted: string[] = []
    let feePence = 0
    for (const line of preview.cancellable) {
      if (!line.decision.cancellable) continue
      const result = await cancelOrderLineIn(trx, actor.authorityId, line.id, actor.userId, line.decision.feePence)
      if (result.cancelled) {
        cancelled.push(line.id)
        feePence += line.decision.chargePence
      }
      promoted.push(...result.promoted)
    }
    if (cancelled.length === 0) return { ok: false, nothingToCancel: true }
    await queueFollowUps(trx, actor.authorityId, orderId, cancelled, promoted)
    return { ok: true, cancelled, promoted, feePence }
  })
}

/** The emails and billing that follow: the school's cancellation, and each order whose waiting lines were confirmed. */
async function queueFollowUps(trx: DB, authorityId: string, orderId: string, cancelled: string[], promoted: string[]) {
  const promotedOrders = promoted.length
    ? await trx.selectFrom('order_lines').select(['id', 'order_id']).where('authority_id', '=', authorityId).where('id', 'in', promoted).execute()
    : []
  const byOrder = new Map<string, string[]>()
  for (const row of promotedOrders) byOrder.set(row.order_id, [...(byOrder.get(row.order_id) ?? []), row.id])
  await queueOrderEmails(trx, { authorityId, orderId, event: 'cancelled', lineIds: cancelled })
  await queueBilling(trx, authorityId, orderId, 'cancelled', cancelled)
  for (const [promotedOrderId, lineIds] of byOrder) {
    await queueOrderEmails(trx, { authorityId, orderId: promotedOrderId, event: 'promoted', lineIds })
    await queueBilling(trx, authorityId, promotedOrderId, 'promoted', lineIds)
  }
}
