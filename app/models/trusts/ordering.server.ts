import { sql } from 'kysely'
import type { DB } from '../../../db/connection'
import type { TrustOrderStatus } from '../../../db/schema'
import { mayApprove } from '../../domain/approvals'
import { ukDate } from '../../domain/dates'
import { formatPence } from '../../domain/money'
import { tradingYearOf } from '../../domain/trading-year'
import { memberSchoolIds, trustBasketNeedsApproval } from '../../domain/trusts'
import { clock } from '../../utils/clock'
import { getBoss } from '../../utils/jobs.server'
import { forNoKeyUpdate, forUpdate } from '../../utils/locks.server'
import { membershipOf } from '../admin/trusts.server'
import { markDecided } from '../ordering/approvals.server'
import { draftLines, type BasketLine, type Trx } from '../ordering/basket.server'
import { refreshTotals } from '../ordering/basket-changes.server'
import { decideSubmittedLines } from '../ordering/decisions.server'
import { placeOrder, priceLinesAgain, type PriceChange } from '../ordering/place-order.server'
import { limitLockWait, startMonthOf } from '../shared/authority.server'
import type { SchoolActor } from '../shared/actor.server'

/**
 * A trust's basket and orders (issue 16, docs/decisions/0035). The basket is
 * one draft order per member school, marked with the trust, each line at the
 * school's own price; changing a line is the school basket's own code, acting
 * for the line's school (`memberActor`, `lineActor`). Submitting places every
 * school's order in one transaction, grouped by a `trust_orders` row; at or
 * above the trust's limit, all schools' lines together, the group waits for
 * the trust's approver, who approves or rejects it as one.
 */

/** A trust user acting for their trust. */
export type TrustActor = { userId: string; authorityId: string; trustId: string }

/** The trust's member schools today, by name. */
export async function memberSchools(db: DB, actor: Pick<TrustActor, 'authorityId' | 'trustId'>, today = clock.today()) {
  const memberships = await db
    .selectFrom('trust_memberships')
    .select(['school_id', 'joined_on', 'left_on'])
    .where('authority_id', '=', actor.authorityId)
    .where('trust_id', '=', actor.trustId)
    .execute()
  const ids = memberSchoolIds(memberships.map(membershipOf), today)
  if (ids.length === 0) return []
  return db
    .selectFrom('schools')
    .select(['id', 'name', 'status'])
    .where('authority_id', '=', actor.authorityId)
    .where('id', 'in', ids)
    .orderBy('name')
    .execute()
}

/** The trust buyer acting for a member school of today; null for any other school. */
export async function memberActor(db: DB, actor: TrustActor, schoolId: string): Promise<SchoolActor | null> {
  const members = await memberSchools(db, actor)
  return members.some((m) => m.id === schoolId) ? { ...actor, schoolId } : null
}

/** The trust buyer acting for the school whose part of the trust's basket holds the line; null when it is not in the basket. */
export async function lineActor(db: DB, actor: TrustActor, lineId: string): Promise<SchoolActor | null> {
  if (!/^[0-9a-f-]{36}$/.test(lineId)) return null
  const row = await db
    .selectFrom('order_lines as l')
    .innerJoin('orders as o', (j) => j.onRef('o.authority_id', '=', 'l.authority_id').onRef('o.id', '=', 'l.order_id'))
    .select('o.school_id')
    .where('l.authority_id', '=', actor.authorityId)
    .where('l.id', '=', lineId)
    .where('o.trust_id', '=', actor.trustId)
    .where('o.status', '=', 'draft')
    .executeTakeFirst()
  return row ? { ...actor, schoolId: row.school_id } : null
}

export type TrustBasketPart = { orderId: string; schoolId: string; schoolName: string; lines: BasketLine[]; grossPence: number }

export type TrustBasket = {
  trustName: string
  approvalLimitPence: number
  parts: TrustBasketPart[]
  poNumber: string | null
  netPence: number
  vatPence: number
  grossPence: number
  needsApproval: boolean
}

/** The trust's basket: each member school's part with its lines, and the totals of all of them. */
export async function getTrustBasket(db: DB, actor: Pick<TrustActor, 'authorityId' | 'trustId'>): Promise<TrustBasket> {
  const trust = await db
    .selectFrom('trusts')
    .select(['name', 'approval_limit_pence'])
    .where('authority_id', '=', actor.authorityId)
    .where('id', '=', actor.trustId)
    .executeTakeFirstOrThrow()
  const drafts = await db
    .selectFrom('orders as o')
    .innerJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'o.authority_id').onRef('s.id', '=', 'o.school_id'))
    .select(['o.id', 'o.school_id', 's.name', 'o.po_number', 'o.net_pence', 'o.vat_pence', 'o.gross_pence'])
    .where('o.authority_id', '=', actor.authorityId)
    .where('o.trust_id', '=', actor.trustId)
    .where('o.status', '=', 'draft')
    .orderBy('s.name')
    .execute()
  const parts: TrustBasketPart[] = []
  for (const d of drafts) {
    const lines = await draftLines(db, actor.authorityId, d.id)
    if (lines.length > 0) parts.push({ orderId: d.id, schoolId: d.school_id, schoolName: d.name, lines, grossPence: d.gross_pence })
  }
  const sum = (key: 'net_pence' | 'vat_pence' | 'gross_pence') => drafts.reduce((n, d) => n + d[key], 0)
  return {
    trustName: trust.name,
    approvalLimitPence: trust.approval_limit_pence,
    parts,
    poNumber: drafts.find((d) => d.po_number)?.po_number ?? null,
    netPence: sum('net_pence'),
    vatPence: sum('vat_pence'),
    grossPence: sum('gross_pence'),
    needsApproval:
      parts.length > 0 &&
      trustBasketNeedsApproval(
        parts.flatMap((p) => p.lines),
        trust.approval_limit_pence,
      ),
  }
}

export type TrustSubmitResult =
  | { kind: 'submitted'; trustOrderId: string; reference: string; status: 'submitted' | 'awaiting_approval' }
  | { kind: 'already_submitted'; trustOrderId: string }
  | { kind: 'prices_changed'; changes: PriceChange[] }
  | { kind: 'problem'; field: string; message: string }

/** The next trust order reference of the authority, from its counter, in the caller's transaction. */
async function allocateTrustReference(trx: Trx, authorityId: string, tradingYear: number): Promise<string> {
  const row = await sql<{ last_number: number }>`
    insert into document_counters (authority_id, kind, last_number) values (${authorityId}, 'trust_order', 1)
    on conflict (authority_id, kind) do update set last_number = document_counters.last_number + 1
    returning last_number`.execute(trx)
  return `TRO-${tradingYear}-${String(row.rows[0]!.last_number).padStart(5, '0')}`
}

/**
 * Submits the trust's basket, in one transaction: the trust's row is locked,
 * so two of its buyers submitting at once submit it once (the second finds
 * no basket and is sent to the order the first placed, named by `basketIds`);
 * every line is priced again for its school (any change stops the order, as
 * for a school); each school's order is placed, waiting for the trust's
 * approver when the total of all of them is at or above the trust's limit;
 * the trust order groups them. Then the lines of a submitted order are
 * offered to capacity, each under its team-year lock.
 */
export async function submitTrustBasket(
  db: DB,
  actor: TrustActor,
  input: { basketIds: readonly string[]; poNumber: string | null },
  now: Date = clock.now(),
): Promise<TrustSubmitResult> {
  await getBoss()
  const result = await db.transaction().execute(async (trx): Promise<TrustSubmitResult> => {
    await limitLockWait(trx)
    const trust = await trx
      .selectFrom('trusts')
      .select(['name', 'approval_limit_pence'])
      .where('authority_id', '=', actor.authorityId)
      .where('id', '=', actor.trustId)
      .$call(forUpdate)
      .executeTakeFirstOrThrow()
    const drafts = await trx
      .selectFrom('orders')
      .select(['id', 'school_id'])
      .where('authority_id', '=', actor.authorityId)
      .where('trust_id', '=', actor.trustId)
      .where('status', '=', 'draft')
      .orderBy('school_id')
      .execute()
    const parts = []
    for (const d of drafts) {
      const lines = await draftLines(trx, actor.authorityId, d.id)
      if (lines.length > 0) parts.push({ ...d, lines })
    }
    if (parts.length === 0) return alreadySubmitted(trx, actor, input.basketIds)
    const members = new Set((await memberSchools(trx as DB, actor, ukDate(now))).filter((m) => m.status !== 'closed').map((m) => m.id))
    const gone = parts.find((p) => !members.has(p.school_id))
    if (gone)
      return {
        kind: 'problem',
        field: 'basket',
        message: `${await schoolName(trx, actor.authorityId, gone.school_id)} is no longer an open member school of the trust: remove its lines from the basket`,
      }

    const startMonth = await startMonthOf(trx, actor.authorityId)
    const changes: PriceChange[] = []
    for (const part of parts) {
      const school = await lockSchool(trx, actor.authorityId, part.school_id)
      const repriced = await priceLinesAgain(trx, { ...actor, schoolId: part.school_id }, part.id, school, startMonth, part.lines, now)
      if (!Array.isArray(repriced))
        return repriced.kind === 'problem'
          ? { ...repriced, message: `${school.name}: ${repriced.message}` }
          : { kind: 'problem', field: 'basket', message: 'The basket could not be submitted' }
      if (repriced.length) {
        changes.push(...repriced)
        await refreshTotals(trx, actor.authorityId, part.id)
      }
    }
    if (changes.length) return { kind: 'prices_changed', changes }

    return placeTrustOrder(trx, actor, trust, parts, { poNumber: input.poNumber, startMonth, now })
  })
  if (result.kind === 'submitted' && result.status === 'submitted') await decideGroup(db, actor.authorityId, result.trustOrderId)
  return result
}

async function schoolName(trx: Trx, authorityId: string, schoolId: string): Promise<string> {
  const row = await trx
    .selectFrom('schools')
    .select('name')
    .where('authority_id', '=', authorityId)
    .where('id', '=', schoolId)
    .executeTakeFirstOrThrow()
  return row.name
}

/** The school's row, locked while its yearly agreements are checked (as a school's own submission does). */
async function lockSchool(trx: Trx, authorityId: string, schoolId: string) {
  return trx
    .selectFrom('schools')
    .select(['id', 'name', 'school_type', 'pupil_count', 'approval_limit_pence', 'po_number_required', 'status'])
    .where('authority_id', '=', authorityId)
    .where('id', '=', schoolId)
    .$call(forNoKeyUpdate)
    .executeTakeFirstOrThrow()
}

/** A basket already submitted (by this buyer or another of the trust): its trust order; else the basket was empty. */
async function alreadySubmitted(trx: Trx, actor: TrustActor, basketIds: readonly string[]): Promise<TrustSubmitResult> {
  const ids = basketIds.filter((id) => /^[0-9a-f-]{36}$/.test(id))
  const placed = ids.length
    ? await trx
        .selectFrom('orders')
        .select('trust_order_id')
        .where('authority_id', '=', actor.authorityId)
        .where('trust_id', '=', actor.trustId)
        .where('id', 'in', ids)
        .where('trust_order_id', 'is not', null)
        .executeTakeFirst()
    : undefined
  if (placed?.trust_order_id) return { kind: 'already_submitted', trustOrderId: placed.trust_order_id }
  return { kind: 'problem', field: 'basket', message: 'The trust’s basket is empty: add something to it first' }
}

/** Every order of a trust order offered to capacity, school by school. */
async function decideGroup(db: DB, authorityId: string, trustOrderId: string): Promise<void> {
  const orders = await db
    .selectFrom('orders')
    .select('id')
    .where('authority_id', '=', authorityId)
    .where('trust_order_id', '=', trustOrderId)
    .where('status', '=', 'submitted')
    .orderBy('id')
    .execute()
  for (const o of orders) await decideSubmittedLines(db, authorityId, o.id)
}

export type TrustDecisionResult =
  | { ok: true; reference: string }
  | { ok: false; notFound: true }
  | { ok: false; alreadyDecided: true; reference: string; status: TrustOrderStatus }
  | { ok: false; ownOrder: true; reference: string }

/**
 * The trust's approver approves (or rejects) a trust order as one: the trust
 * order is locked, so two decisions at once decide it once; every school's
 * order of it moves together; nobody approves an order they placed. Approved
 * lines are then offered to capacity.
 */
export async function decideTrustOrder(
  db: DB,
  actor: TrustActor & { name: string },
  trustOrderId: string,
  decision: { approve: true } | { approve: false; reason: string },
): Promise<TrustDecisionResult> {
  if (!/^[0-9a-f-]{36}$/.test(trustOrderId)) return { ok: false, notFound: true }
  const decided = await db.transaction().execute(async (trx): Promise<TrustDecisionResult> => {
    const order = await trx
      .selectFrom('trust_orders')
      .select(['id', 'reference', 'status', 'submitted_by'])
      .where('authority_id', '=', actor.authorityId)
      .where('trust_id', '=', actor.trustId)
      .where('id', '=', trustOrderId)
      .$call(forUpdate)
      .executeTakeFirst()
    if (!order) return { ok: false, notFound: true }
    if (order.status !== 'awaiting_approval') return { ok: false, alreadyDecided: true, reference: order.reference, status: order.status }
    if (!mayApprove({ submittedBy: order.submitted_by, createdBy: null }, actor)) return { ok: false, ownOrder: true, reference: order.reference }
    const now = clock.now()
    await trx
      .updateTable('trust_orders')
      .set(
        decision.approve
          ? { status: 'submitted', approved_by: actor.userId, approved_at: now, updated_at: now }
          : { status: 'rejected', rejection_reason: decision.reason, updated_at: now },
      )
      .where('authority_id', '=', actor.authorityId)
      .where('id', '=', order.id)
      .execute()
    const parts = await trx
      .selectFrom('orders')
      .select('id')
      .where('authority_id', '=', actor.authorityId)
      .where('trust_order_id', '=', order.id)
      .where('status', '=', 'awaiting_approval')
      .orderBy('id')
      .$call(forUpdate)
      .execute()
    for (const part of parts) {
      const base = { authorityId: actor.authorityId, orderId: part.id, userId: actor.userId }
      const note = decision.approve
        ? `Approved by the trust’s approver, ${actor.name} (${order.reference})`
        : `Rejected by the trust’s approver, ${actor.name} (${order.reference}): ${decision.reason}`
      await markDecided(trx, { ...base, ...decision, note })
    }
    return { ok: true, reference: order.reference }
  })
  if (decided.ok && decision.approve) await decideGroup(db, actor.authorityId, trustOrderId)
  return decided
}

/**
 * The trust order written and each school's part placed, in the caller's
 * transaction: the trust's limit is applied to all schools' lines together.
 */
async function placeTrustOrder(
  trx: Trx,
  actor: TrustActor,
  trust: { name: string; approval_limit_pence: number },
  parts: readonly { id: string; lines: BasketLine[] }[],
  input: { poNumber: string | null; startMonth: number; now: Date },
): Promise<TrustSubmitResult> {
  const { startMonth, now } = input
  const lines = parts.flatMap((p) => p.lines)
  const needed = trustBasketNeedsApproval(lines, trust.approval_limit_pence)
  const net = lines.reduce((n, l) => n + l.netPence, 0)
  const vat = lines.reduce((n, l) => n + l.vatPence, 0)
  const reference = await allocateTrustReference(trx, actor.authorityId, tradingYearOf(now, startMonth))
  const status = needed ? 'awaiting_approval' : 'submitted'
  const trustOrder = await trx
    .insertInto('trust_orders')
    .values({
      authority_id: actor.authorityId,
      trust_id: actor.trustId,
      reference,
      status,
      po_number: input.poNumber,
      net_pence: net,
      vat_pence: vat,
      gross_pence: net + vat,
      submitted_by: actor.userId,
      submitted_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const note = needed
    ? `Part of ${trust.name}’s order ${reference}: ${formatPence(net + vat)} for all its schools is at or above the trust’s approval limit of ${formatPence(trust.approval_limit_pence)}`
    : `Part of ${trust.name}’s order ${reference}: submitted`
  for (const part of parts) {
    await trx
      .updateTable('orders')
      .set({ trust_order_id: trustOrder.id, po_number: input.poNumber })
      .where('authority_id', '=', actor.authorityId)
      .where('id', '=', part.id)
      .execute()
    await placeOrder(trx, {
      authorityId: actor.authorityId,
      orderId: part.id,
      userId: actor.userId,
      approvalLimitPence: trust.approval_limit_pence,
      startMonth,
      fromStatus: 'draft',
      now,
      trustApproval: { needed, note },
    })
  }
  return { kind: 'submitted', trustOrderId: trustOrder.id, reference, status }
}
