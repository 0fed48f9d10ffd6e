import type { DB } from '../../../db/connection'
import type { OrderStatus, TrustOrderStatus } from '../../../db/schema'
import { quantityText } from '../../domain/quantities'
import type { TrustActor } from './ordering.server'
import { memberSchools } from './ordering.server'

/**
 * What a trust's users read of its orders (issue 16): the list on `/trust`
 * and one trust order with each member school's part, line by line at the
 * school's own prices. A school that has left the trust is left out: its
 * history stays with the school (docs/decisions/0035).
 */

export type TrustOrderSummary = {
  id: string
  reference: string
  status: TrustOrderStatus
  submittedAt: Date
  submittedBy: string
  grossPence: number
  schools: number
  approved: boolean
}

/** The trust's latest orders, newest first. */
export async function listTrustOrders(db: DB, actor: Pick<TrustActor, 'authorityId' | 'trustId'>, limit = 20): Promise<TrustOrderSummary[]> {
  const rows = await db
    .selectFrom('trust_orders as t')
    .innerJoin('users as u', (j) => j.onRef('u.authority_id', '=', 't.authority_id').onRef('u.id', '=', 't.submitted_by'))
    .select(['t.id', 't.reference', 't.status', 't.submitted_at', 't.gross_pence', 't.approved_by', 'u.name as submitted_by'])
    .select((eb) =>
      eb
        .selectFrom('orders as o')
        .select(eb.fn.countAll<string>().as('n'))
        .whereRef('o.authority_id', '=', 't.authority_id')
        .whereRef('o.trust_order_id', '=', 't.id')
        .as('schools'),
    )
    .where('t.authority_id', '=', actor.authorityId)
    .where('t.trust_id', '=', actor.trustId)
    .orderBy('t.submitted_at', 'desc')
    .orderBy('t.reference', 'desc')
    .limit(limit)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    reference: r.reference,
    status: r.status,
    submittedAt: new Date(r.submitted_at),
    submittedBy: r.submitted_by,
    grossPence: r.gross_pence,
    schools: Number(r.schools ?? 0),
    approved: r.approved_by !== null,
  }))
}

export type TrustOrderPart = {
  orderId: string
  reference: string
  schoolName: string
  status: OrderStatus
  grossPence: number
  lines: { id: string; description: string; status: OrderStatus; unitPricePence: number; netPence: number; vatPence: number; grossPence: number }[]
}

export type TrustOrderDetail = {
  id: string
  reference: string
  status: TrustOrderStatus
  poNumber: string | null
  netPence: number
  vatPence: number
  grossPence: number
  submittedAt: Date
  submittedBy: string
  submittedByUserId: string
  approvedBy: string | null
  approvedAt: Date | null
  rejectionReason: string | null
  parts: TrustOrderPart[]
}

/** One of the trust's orders with its member schools' parts; undefined for any other trust's, or none. */
export async function getTrustOrder(
  db: DB,
  actor: Pick<TrustActor, 'authorityId' | 'trustId'>,
  trustOrderId: string,
): Promise<TrustOrderDetail | undefined> {
  if (!/^[0-9a-f-]{36}$/.test(trustOrderId)) return undefined
  const order = await db
    .selectFrom('trust_orders as t')
    .innerJoin('users as u', (j) => j.onRef('u.authority_id', '=', 't.authority_id').onRef('u.id', '=', 't.submitted_by'))
    .leftJoin('users as a', (j) => j.onRef('a.authority_id', '=', 't.authority_id').onRef('a.id', '=', 't.approved_by'))
    .select([
      't.id',
      't.reference',
      't.status',
      't.po_number',
      't.net_pence',
      't.vat_pence',
      't.gross_pence',
      't.submitted_at',
      't.submitted_by',
      't.approved_at',
      't.rejection_reason',
      'u.name as submitted_by_name',
      'a.name as approved_by_name',
    ])
    .where('t.authority_id', '=', actor.authorityId)
    .where('t.trust_id', '=', actor.trustId)
    .where('t.id', '=', trustOrderId)
    .executeTakeFirst()
  if (!order) return undefined
  const members = await memberSchools(db, actor)
  const memberIds = members.map((m) => m.id)
  const orders = memberIds.length
    ? await db
        .selectFrom('orders as o')
        .innerJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'o.authority_id').onRef('s.id', '=', 'o.school_id'))
        .select(['o.id', 'o.reference', 'o.status', 'o.gross_pence', 's.name'])
        .where('o.authority_id', '=', actor.authorityId)
        .where('o.trust_order_id', '=', order.id)
        .where('o.school_id', 'in', memberIds)
        .orderBy('s.name')
        .execute()
    : []
  const lines = await partLines(
    db,
    actor.authorityId,
    orders.map((o) => o.id),
  )
  return {
    id: order.id,
    reference: order.reference,
    status: order.status,
    poNumber: order.po_number,
    netPence: order.net_pence,
    vatPence: order.vat_pence,
    grossPence: order.gross_pence,
    submittedAt: new Date(order.submitted_at),
    submittedBy: order.submitted_by_name,
    submittedByUserId: order.submitted_by,
    approvedBy: order.approved_by_name,
    approvedAt: order.approved_at ? new Date(order.approved_at) : null,
    rejectionReason: order.rejection_reason,
    parts: orders.map((o) => ({
      orderId: o.id,
      reference: o.reference,
      schoolName: o.name,
      status: o.status,
      grossPence: o.gross_pence,
      lines: lines
        .filter((l) => l.order_id === o.id)
        .map((l) => ({
          id: l.id,
          description: `${l.service_name}: ${l.offer_name}, ${quantityText(l.quantity, l.unit_one, l.unit_other)}`,
          status: l.status,
          unitPricePence: l.unit_price_pence,
          netPence: l.net_pence,
          vatPence: l.vat_pence,
          grossPence: l.gross_pence,
        })),
    })),
  }
}

/** The lines of a trust order's school orders, by service. */
async function partLines(db: DB, authorityId: string, orderIds: readonly string[]) {
  if (orderIds.length === 0) return []
  return db
    .selectFrom('order_lines as l')
    .innerJoin('offers as f', (j) => j.onRef('f.authority_id', '=', 'l.authority_id').onRef('f.id', '=', 'l.offer_id'))
    .innerJoin('services as sv', (j) => j.onRef('sv.authority_id', '=', 'f.authority_id').onRef('sv.id', '=', 'f.service_id'))
    .select([
      'l.id',
      'l.order_id',
      'l.status',
      'l.quantity',
      'l.unit_price_pence',
      'l.net_pence',
      'l.vat_pence',
      'l.gross_pence',
      'f.name as offer_name',
      'f.unit_one',
      'f.unit_other',
      'sv.name as service_name',
    ])
    .where('l.authority_id', '=', authorityId)
    .where('l.order_id', 'in', [...orderIds])
    .orderBy('sv.name')
    .orderBy('l.created_at')
    .orderBy('l.id')
    .execute()
}
