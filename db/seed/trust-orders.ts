import { CURRENT_TRADING_YEAR, tradingYearEnd, tradingYearStart } from './dates'
import type { BuiltOrders, OrderPlan } from './orders'
import { idFor } from './random'
import type { DocumentCounterRow, TrustOrderRow } from './types'

/**
 * Three Spires Academy Trust's own orders (SPEC §10, issue 16): its business
 * manager buying for two member academies at once, in each year, so that
 * `/trust` tells a story on first start. The trust invoices consolidated, so
 * the billing history (db/seed/billing.ts, the application's billing code)
 * issues one invoice to the trust for each. Each is below the trust's
 * approval limit and each school's own, so none waits for an approver.
 */

type TrustOrderSpec = {
  key: string
  reference: string
  tradingYear: number
  submittedOn: string
  hour: number
  minute: number
  poNumber: string
  schools: string[]
  lines: { offer: string; quantity: number; delivered?: number }[]
  completeOn?: string
}

const THREE_SPIRES_ORDERS: TrustOrderSpec[] = [
  {
    key: '2025/three-spires/ep',
    reference: `TRO-${CURRENT_TRADING_YEAR - 1}-00001`,
    tradingYear: CURRENT_TRADING_YEAR - 1,
    submittedOn: '2025-03-24',
    hour: 10,
    minute: 5,
    poNumber: 'TSAT-PO-2025-014',
    schools: ['kingfisher', 'skylark'],
    lines: [{ offer: 'educational-psychology/ep-days', quantity: 3, delivered: 3 }],
    completeOn: '2026-03-20',
  },
  {
    key: '2026/three-spires/senco-network',
    reference: `TRO-${CURRENT_TRADING_YEAR}-00002`,
    tradingYear: CURRENT_TRADING_YEAR,
    submittedOn: '2026-05-12',
    hour: 11,
    minute: 20,
    poNumber: 'TSAT-PO-2026-031',
    schools: ['kingfisher', 'skylark'],
    lines: [{ offer: 'sen-early-years/early-years-senco-network', quantity: 1 }],
  },
]

/** The order key of one member school's part of a trust order. */
const partKey = (spec: TrustOrderSpec, school: string) => `${spec.key}/${school}`

/** The trust orders placed by `today`. */
function placedBy(today: string): TrustOrderSpec[] {
  return THREE_SPIRES_ORDERS.filter((s) => s.tradingYear < CURRENT_TRADING_YEAR || s.submittedOn <= today)
}

/** One ordinary order plan per member school of each trust order (placed by today), for buildOrders. */
export function threeSpiresOrderPlans(today: string): OrderPlan[] {
  return placedBy(today).flatMap((spec) =>
    spec.schools.map((school) => ({
      key: partKey(spec, school),
      school,
      tradingYear: spec.tradingYear,
      submittedOn: spec.submittedOn,
      hour: spec.hour,
      minute: spec.minute,
      poNumber: spec.poNumber,
      completeOn: spec.completeOn,
      lines: spec.lines.map((l) => ({
        offer: l.offer,
        quantity: l.quantity,
        periodStart: tradingYearStart(spec.tradingYear),
        periodEnd: tradingYearEnd(spec.tradingYear),
        delivered: l.delivered,
      })),
    })),
  )
}

/**
 * Makes the built orders the trust's: grouped by a trust order, created and
 * submitted by the trust's business manager (not the school's), with the
 * trust-order rows and the counter their references came from.
 */
export function asThreeSpiresOrders(
  built: BuiltOrders,
  ctx: { authorityId: string; authoritySlug: string; trustId: string; buyerId: string; today: string },
): { trustOrders: TrustOrderRow[]; counter: DocumentCounterRow } {
  const trustOrders: TrustOrderRow[] = []
  for (const spec of placedBy(ctx.today)) {
    const id = idFor(`${ctx.authoritySlug}/trust-order/${spec.key}`)
    const orderIds = new Set(spec.schools.map((school) => idFor(`${ctx.authoritySlug}/order/${partKey(spec, school)}`)))
    const orders = built.orders.filter((o) => orderIds.has(o.id))
    if (orders.length !== spec.schools.length) throw new Error(`Trust order ${spec.key}: ${orders.length} of ${spec.schools.length} orders built`)
    for (const o of orders) {
      o.trust_id = ctx.trustId
      o.trust_order_id = id
      o.created_by = ctx.buyerId
      o.submitted_by = ctx.buyerId
    }
    for (const e of built.orderEvents) {
      if (orderIds.has(e.order_id) && (e.to_status === 'draft' || (e.to_status === 'submitted' && e.from_status === 'draft'))) {
        e.actor_user_id = ctx.buyerId
        e.note = null
      }
    }
    const sum = (pick: (o: (typeof orders)[number]) => number) => orders.reduce((n, o) => n + pick(o), 0)
    const submittedAt = orders[0]!.submitted_at!
    trustOrders.push({
      authority_id: ctx.authorityId,
      id,
      trust_id: ctx.trustId,
      reference: spec.reference,
      status: 'submitted',
      po_number: spec.poNumber,
      net_pence: sum((o) => Number(o.net_pence)),
      vat_pence: sum((o) => Number(o.vat_pence)),
      gross_pence: sum((o) => Number(o.gross_pence)),
      submitted_by: ctx.buyerId,
      submitted_at: submittedAt,
      approved_by: null,
      approved_at: null,
      rejection_reason: null,
      created_at: submittedAt,
      updated_at: submittedAt,
    })
  }
  return { trustOrders, counter: { authority_id: ctx.authorityId, kind: 'trust_order', last_number: trustOrders.length } }
}
