import { clock } from '../../utils/clock'
import { sql, type Kysely } from 'kysely'
import { mayApprove, orderedBy } from '../../domain/approvals'
import type { DB } from '../../../db/connection'
import type { Database, PricingModel } from '../../../db/schema'
import { decideSubmittedLines } from './decisions.server'
import { queueOrderEmails } from './notifications.server'
import type { SchoolActor } from '../shared/actor.server'
import { forUpdate } from '../../utils/locks.server'

/**
 * The headteacher's approvals (docs/product.md): orders at or
 * above the school's approval limit wait here until approved or rejected.
 * Every query is limited to the headteacher's authority and school.
 */

export type ApprovalLine = {
  id: string
  serviceName: string
  offerName: string
  quantity: number
  unitOne: string
  unitOther: string
  pricingModel: PricingModel
  periodStart: string
  periodEnd: string
  courseTitle: string | null
  grossPence: number
  offerId: string
  courseId: string | null
  tradingYear: number
  capacityChoice: 'split' | 'wait_all'
}

export type AwaitingOrder = {
  id: string
  reference: string
  orderedBy: string | null
  /** The user who placed it (submitted, else created), for the segregation-of-duties rule. */
  orderedByUserId: string | null
  orderedAt: Date
  poNumber: string | null
  netPence: number
  vatPence: number
  grossPence: number
  lines: ApprovalLine[]
}

/** The school's orders awaiting approval, oldest first. */
export async function listAwaitingApproval(db: DB, authorityId: string, schoolId: string): Promise<AwaitingOrder[]> {
  const orders = await db
    .selectFrom('orders as o')
    .leftJoin('users as u', (j) =>
      j.onRef('u.authority_id', '=', 'o.authority_id').on((eb) => eb('u.id', '=', eb.fn.coalesce('o.submitted_by', 'o.created_by'))),
    )
    .select([
      'o.id',
      'o.reference',
      'o.po_number',
      'o.submitted_at',
      'o.created_at',
      'o.net_pence',
      'o.vat_pence',
      'o.gross_pence',
      'u.name as ordered_by',
      'o.submitted_by',
      'o.created_by',
    ])
    .where('o.authority_id', '=', authorityId)
    .where('o.school_id', '=', schoolId)
    .where('o.status', '=', 'awaiting_approval')
    // A trust's order waits for the trust's approver, not the school's headteacher.
    .where('o.trust_order_id', 'is', null)
    .orderBy(sql`coalesce(o.submitted_at, o.created_at)`)
    .orderBy('o.reference')
    .execute()
  if (orders.length === 0) return []
  const lines = await db
    .selectFrom('order_lines as l')
    .innerJoin('offers as f', (j) => j.onRef('f.authority_id', '=', 'l.authority_id').onRef('f.id', '=', 'l.offer_id'))
    .innerJoin('services as sv', (j) => j.onRef('sv.authority_id', '=', 'f.authority_id').onRef('sv.id', '=', 'f.service_id'))
    .leftJoin('courses as c', (j) => j.onRef('c.authority_id', '=', 'l.authority_id').onRef('c.id', '=', 'l.course_id'))
    .select([
      'l.id',
      'l.order_id',
      'l.quantity',
      'l.period_start',
      'l.period_end',
      'l.gross_pence',
      'l.offer_id',
      'l.course_id',
      'l.trading_year',
      'l.capacity_choice',
      'f.name as offer_name',
      'f.unit_one',
      'f.pricing_model',
      'f.unit_other',
      'sv.name as service_name',
      'c.title as course_title',
    ])
    .where('l.authority_id', '=', authorityId)
    .where(
      'l.order_id',
      'in',
      orders.map((o) => o.id),
    )
    .orderBy('sv.name')
    .orderBy('l.period_start')
    .orderBy('l.id')
    .execute()
  return orders.map((o) => ({
    id: o.id,
    reference: o.reference,
    orderedBy: o.ordered_by,
    orderedByUserId: orderedBy({ submittedBy: o.submitted_by, createdBy: o.created_by }),
    orderedAt: o.submitted_at ?? o.created_at,
    poNumber: o.po_number,
    netPence: o.net_pence,
    vatPence: o.vat_pence,
    grossPence: o.gross_pence,
    lines: lines
      .filter((l) => l.order_id === o.id)
      .map((l) => ({
        id: l.id,
        serviceName: l.service_name,
        offerName: l.offer_name,
        quantity: l.quantity,
        unitOne: l.unit_one,
        pricingModel: l.pricing_model,
        unitOther: l.unit_other,
        periodStart: l.period_start,
        periodEnd: l.period_end,
        courseTitle: l.course_title,
        grossPence: l.gross_pence,
        offerId: l.offer_id,
        courseId: l.course_id,
        tradingYear: l.trading_year,
        capacityChoice: l.capacity_choice,
      })),
  }))
}

export type DecisionResult =
  | { ok: true; reference: string; confirmed: string[]; waitlisted: string[] }
  | { ok: false; notFound: true }
  | { ok: false; alreadyDecided: true; reference: string; status: string }
  | { ok: false; ownOrder: true; reference: string }

/**
 * Locks the school's order and checks it still awaits approval; undefined
 * when it is not the school's (or not there at all).
 */
async function lockAwaitingOrder(trx: DB, actor: SchoolActor, orderId: string) {
  return trx
    .selectFrom('orders')
    .select(['id', 'reference', 'status', 'submitted_by', 'created_by'])
    .where('authority_id', '=', actor.authorityId)
    .where('school_id', '=', actor.schoolId)
    .where('id', '=', orderId)
    .where('status', '!=', 'draft')
    .where('trust_order_id', 'is', null)
    .$call(forUpdate)
    .executeTakeFirst()
}

/**
 * Approves an order: in one transaction (the order locked, so two approvals
 * at once approve it once) the order and its lines become `submitted`, the
 * approval is recorded and both sides are emailed. Then each line is
 * confirmed or waitlisted by capacity, and the school is told which.
 * Nobody approves an order they placed (app/domain/approvals.ts): that is
 * refused and changes nothing.
 */
export async function approveOrder(db: DB, actor: SchoolActor, orderId: string): Promise<DecisionResult> {
  const decided = await db.transaction().execute(async (trx) => {
    const order = await lockAwaitingOrder(trx, actor, orderId)
    if (!order) return { ok: false as const, notFound: true as const }
    if (order.status !== 'awaiting_approval') {
      return { ok: false as const, alreadyDecided: true as const, reference: order.reference, status: order.status }
    }
    if (!mayApprove({ submittedBy: order.submitted_by, createdBy: order.created_by }, actor)) {
      return { ok: false as const, ownOrder: true as const, reference: order.reference }
    }
    await markDecided(trx, { authorityId: actor.authorityId, orderId, userId: actor.userId, note: 'Approved by the headteacher', approve: true })
    return { ok: true as const, reference: order.reference }
  })
  if (!decided.ok) return decided

  // Capacity is decided line by line, each under its own team-year lock.
  const { confirmed, waitlisted } = await decideSubmittedLines(db, actor.authorityId, orderId)
  return { ok: true, reference: decided.reference, confirmed, waitlisted }
}

/** Rejects an order with the headteacher's reason: the order and its lines become `rejected`, both sides are emailed. */
export async function rejectOrder(db: DB, actor: SchoolActor, orderId: string, reason: string): Promise<DecisionResult> {
  return db.transaction().execute(async (trx) => {
    const order = await lockAwaitingOrder(trx, actor, orderId)
    if (!order) return { ok: false as const, notFound: true as const }
    if (order.status !== 'awaiting_approval') {
      return { ok: false as const, alreadyDecided: true as const, reference: order.reference, status: order.status }
    }
    await markDecided(trx, {
      authorityId: actor.authorityId,
      orderId,
      userId: actor.userId,
      note: `Rejected by the headteacher: ${reason}`,
      approve: false,
      reason,
    })
    return { ok: true as const, reference: order.reference, confirmed: [], waitlisted: [] }
  })
}

type Decision = { authorityId: string; orderId: string; userId: string; note: string } & ({ approve: true } | { approve: false; reason: string })

/**
 * An order awaiting approval (locked by the caller) decided, in the caller's
 * transaction: approved, the order and its lines become `submitted` and the
 * approval is recorded (accepting, for the school, the terms versions its
 * lines record: docs/decisions/0026); rejected, they become `rejected` with
 * the reason. Both sides are emailed. After an approval the caller offers the
 * lines to capacity (decideSubmittedLines) once committed.
 */
export async function markDecided(trx: Kysely<Database>, input: Decision): Promise<void> {
  const { authorityId, orderId, userId } = input
  const now = clock.now()
  const to = input.approve ? ('submitted' as const) : ('rejected' as const)
  await trx
    .updateTable('orders')
    .set(
      input.approve
        ? { status: to, approved_by: userId, approved_at: now, terms_approved_by: userId, terms_approved_at: now, updated_at: now }
        : { status: to, rejection_reason: input.reason, updated_at: now },
    )
    .where('authority_id', '=', authorityId)
    .where('id', '=', orderId)
    .execute()
  await trx
    .updateTable('order_lines')
    .set({ status: to, updated_at: now })
    .where('authority_id', '=', authorityId)
    .where('order_id', '=', orderId)
    .where('status', '=', 'awaiting_approval')
    .execute()
  await trx
    .insertInto('order_events')
    .values({
      authority_id: authorityId,
      order_id: orderId,
      from_status: 'awaiting_approval',
      to_status: to,
      actor_user_id: userId,
      note: input.note,
    })
    .execute()
  await queueOrderEmails(
    trx,
    input.approve ? { authorityId, orderId, event: 'approved' } : { authorityId, orderId, event: 'rejected', reason: input.reason },
  )
}
