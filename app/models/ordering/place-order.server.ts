import { clock } from '../../utils/clock'
import { sql } from 'kysely'
import type { DB } from '../../../db/connection'
import type { OrderStatus } from '../../../db/schema'
import { formatPence } from '../../domain/money'
import { tradingYearOf } from '../../domain/trading-year'
import { getBoss } from '../../utils/jobs.server'
import { decideSubmittedLines } from './decisions.server'
import { queueOrderEmails } from './notifications.server'
import { quantityText } from '../../domain/quantities'
import { limitLockWait, startMonthOf } from '../shared/authority.server'
import { frozen, lockDraft, publishedOffer, quoteFor, refreshTotals } from './basket-changes.server'
import { periodOfLine, soldByOfRow } from './periods.server'
import { closedSchoolMessage, draftLines, schoolOf, type BasketLine, type Trx } from './basket.server'
import { duplicateProblem } from './offer-rules.server'
import type { SchoolActor } from '../shared/actor.server'
import { NOT_FOUND, type NotFound } from '../shared/results'
import { termsVersionInForce } from '../catalogue/terms-versions.server'
import { forNoKeyUpdate } from '../../utils/locks.server'

/**
 * Placing an order, from a basket or an accepted renewal proposal: every
 * line re-quoted, the order's reference allocated and, below the school's
 * approval limit, each line offered to its team's capacity (confirmed or
 * waitlisted); at or above it, the order waits for the headteacher.
 */

export type PriceChange = { lineId: string; description: string; fromPence: number; toPence: number }

export type SubmitResult =
  | { kind: 'submitted'; orderId: string; reference: string; status: 'submitted' | 'awaiting_approval' }
  | { kind: 'already_submitted'; orderId: string }
  | { kind: 'prices_changed'; changes: PriceChange[] }
  | { kind: 'problem'; field: string; message: string }
  | NotFound

/**
 * The next order reference of the authority, from its counter, locked and
 * incremented in the caller's transaction (so a reference is never used
 * twice, and one that rolls back is never seen). A counter that does not
 * exist yet starts above the highest reference already used.
 */
async function allocateReference(trx: Trx, authorityId: string, tradingYear: number): Promise<string> {
  const next = () =>
    trx
      .updateTable('document_counters')
      .set((eb) => ({ last_number: eb('last_number', '+', 1) }))
      .where('authority_id', '=', authorityId)
      .where('kind', '=', 'order')
      .returning('last_number')
      .executeTakeFirst()
  let row = await next()
  if (!row) {
    await sql`
      insert into document_counters (authority_id, kind, last_number)
      select ${authorityId}, 'order', coalesce(max((substring(reference from '^ORD-[0-9]{4}-([0-9]+)$'))::integer), 0)
      from orders where authority_id = ${authorityId}
      on conflict (authority_id, kind) do nothing`.execute(trx)
    row = await next()
  }
  if (!row) throw new Error('No order counter')
  return `ORD-${tradingYear}-${String(row.last_number).padStart(5, '0')}`
}

function lineDescription(line: BasketLine): string {
  const units = quantityText(line.quantity, line.unitOne, line.unitOther)
  return `${line.serviceName}: ${line.offerName} (${units})`
}

/**
 * Places an order whose lines are written (the basket's, or an accepted
 * renewal's), in the caller's transaction: totals from its lines; at or
 * above the school's approval limit it waits for the headteacher, otherwise
 * it is submitted; the reference is allocated; the order's history and
 * emails are written. The caller then offers a submitted order's lines to
 * capacity (decideSubmittedLines) once the transaction has committed.
 */
export async function placeOrder(
  trx: Trx,
  input: {
    authorityId: string
    orderId: string
    userId: string
    approvalLimitPence: number
    startMonth: number
    fromStatus: OrderStatus | null
    now: Date
    /** Said first in the order's history, e.g. "Renewal for 2027/28 accepted". */
    notePrefix?: string
    /** A trust's order: whether the whole trust order waits for the trust's approver, and why (instead of the school's limit). */
    trustApproval?: { needed: boolean; note: string }
  },
): Promise<{ reference: string; status: 'submitted' | 'awaiting_approval'; grossPence: number }> {
  const { authorityId, orderId, now } = input
  const totals = await refreshTotals(trx, authorityId, orderId)
  const waits = input.trustApproval ? input.trustApproval.needed : totals.gross >= input.approvalLimitPence
  const status: 'submitted' | 'awaiting_approval' = waits ? 'awaiting_approval' : 'submitted'
  const reference = await allocateReference(trx, authorityId, tradingYearOf(now, input.startMonth))
  await trx
    .updateTable('orders')
    .set({
      status,
      reference,
      submitted_by: input.userId,
      submitted_at: now,
      // Submitting accepts the terms versions recorded on the lines below (docs/decisions/0026).
      terms_accepted_by: input.userId,
      terms_accepted_at: now,
      submission_key: orderId,
      updated_at: now,
    })
    .where('authority_id', '=', authorityId)
    .where('id', '=', orderId)
    .execute()
  await trx
    .updateTable('order_lines')
    .set((eb) => ({ status, updated_at: now, terms_version_id: termsVersionInForce(eb) }))
    .where('authority_id', '=', authorityId)
    .where('order_id', '=', orderId)
    .execute()
  const note = input.trustApproval
    ? input.trustApproval.note
    : status === 'awaiting_approval'
      ? `Order submitted: ${formatPence(totals.gross)} is at or above the school’s approval limit of ${formatPence(input.approvalLimitPence)}`
      : 'Order submitted'
  await trx
    .insertInto('order_events')
    .values({
      authority_id: authorityId,
      order_id: orderId,
      from_status: input.fromStatus,
      to_status: status,
      actor_user_id: input.userId,
      note: input.notePrefix ? `${input.notePrefix}. ${note}` : note,
    })
    .execute()
  await queueOrderEmails(trx, { authorityId, orderId, event: 'received' })
  if (status === 'awaiting_approval') {
    await queueOrderEmails(trx, { authorityId, orderId, event: 'awaiting_approval' })
  }
  return { reference, status, grossPence: totals.gross }
}

/**
 * Submits the school's basket as an order, in one transaction:
 * - the basket is locked (`FOR UPDATE`) while still a draft: a second submit
 *   (double click, another tab) waits, then finds it submitted and is sent
 *   to that order, so one basket is one order;
 * - every line is priced again: if any price changed since it was added,
 *   the lines are updated and the order is NOT submitted, so that the school
 *   sees the new prices first;
 * - the reference is allocated; at or above the school's approval limit the
 *   order waits for the headteacher, otherwise it is submitted;
 * - its history and emails are written in the same transaction.
 * Then, for a submitted order, each line is offered to its team's capacity
 * (in team order) and the school is told what was confirmed or waitlisted.
 */
export async function submitBasket(db: DB, actor: SchoolActor, basketId: string, now: Date = clock.now()): Promise<SubmitResult> {
  // Emails are queued inside the transaction: the queue must be running first.
  await getBoss()
  const result = await db.transaction().execute(async (trx): Promise<SubmitResult> => {
    await limitLockWait(trx)
    const draft = await lockDraft(trx, actor, basketId)
    if (!draft) {
      const order = await trx
        .selectFrom('orders')
        .select(['id', 'status'])
        .where('authority_id', '=', actor.authorityId)
        .where('school_id', '=', actor.schoolId)
        .where('id', '=', basketId)
        .executeTakeFirst()
      if (order && order.status !== 'draft') return { kind: 'already_submitted', orderId: order.id }
      return NOT_FOUND
    }
    const [school, startMonth, lines] = await Promise.all([
      schoolOf(trx, actor),
      startMonthOf(trx, actor.authorityId),
      draftLines(trx, actor.authorityId, draft.id),
    ])
    if (lines.length === 0) return { kind: 'problem', field: 'basket', message: 'Your basket is empty: add something to it first' }
    if (school.status === 'closed') return { kind: 'problem', field: 'basket', message: closedSchoolMessage(school.name) }
    if (school.po_number_required && !draft.po_number) {
      return { kind: 'problem', field: 'poNumber', message: 'Enter your school’s purchase order number' }
    }

    // The school's row is locked while yearly agreements are checked, so that
    // two submissions at once cannot both find the year free.
    await trx
      .selectFrom('schools')
      .select('id')
      .where('authority_id', '=', actor.authorityId)
      .where('id', '=', actor.schoolId)
      .$call(forNoKeyUpdate)
      .execute()
    const repriced = await priceLinesAgain(trx, actor, draft.id, school, startMonth, lines, now)
    if (!Array.isArray(repriced)) return repriced
    const changes = repriced
    if (changes.length) {
      await refreshTotals(trx, actor.authorityId, draft.id)
      return { kind: 'prices_changed', changes }
    }

    const { reference, status } = await placeOrder(trx, {
      authorityId: actor.authorityId,
      orderId: draft.id,
      userId: actor.userId,
      approvalLimitPence: school.approval_limit_pence,
      startMonth,
      fromStatus: 'draft',
      now,
    })
    return { kind: 'submitted', orderId: draft.id, reference, status }
  })

  if (result.kind === 'submitted' && result.status === 'submitted') {
    await decideSubmittedLines(db, actor.authorityId, result.orderId)
  }
  return result
}

/**
 * Every basket line priced again, as it would be priced now: a yearly
 * agreement the school already holds stops the order; a changed price is
 * written to the line and listed.
 */
export async function priceLinesAgain(
  trx: Trx,
  actor: SchoolActor,
  draftId: string,
  school: Awaited<ReturnType<typeof schoolOf>>,
  startMonth: number,
  lines: Awaited<ReturnType<typeof draftLines>>,
  now: Date,
): Promise<PriceChange[] | SubmitResult> {
  const changes: PriceChange[] = []
  for (const line of lines) {
    const offer = await publishedOffer(trx, actor.authorityId, line.offerId)
    const duplicate = offer ? await duplicateProblem(trx, actor, offer, line.tradingYear, draftId) : null
    if (duplicate) return { kind: 'problem', field: `quantity-${line.id}`, message: `${duplicate}: remove it from your basket` }
    const quoted = offer
      ? await quoteFor(
          trx,
          offer,
          school,
          actor.authorityId,
          line.quantity,
          await periodOfLine(trx, actor.authorityId, soldByOfRow(offer), {
            trading_year: line.tradingYear,
            period_start: line.periodStart,
            period_end: line.periodEnd,
          }),
          startMonth,
          line.cluster !== null,
        )
      : { ok: false as const, reason: '' }
    if (!offer || !quoted.ok) {
      return {
        kind: 'problem',
        field: `quantity-${line.id}`,
        message: `${line.serviceName}: ${line.offerName} is no longer on sale${quoted.ok || !quoted.reason ? '' : ` (${quoted.reason.replace(/\.$/, '')})`}: remove it from your basket`,
      }
    }
    const q = quoted.quote
    const same =
      q.unitPricePence === line.unitPricePence &&
      q.netPence === line.netPence &&
      q.vatPence === line.vatPence &&
      q.grossPence === line.grossPence &&
      q.tradingYear === line.tradingYear
    if (!same) {
      changes.push({ lineId: line.id, description: lineDescription(line), fromPence: line.grossPence, toPence: q.grossPence })
      await trx
        .updateTable('order_lines')
        .set({ ...frozen(q, offer.hours_per_unit), updated_at: now })
        .where('authority_id', '=', actor.authorityId)
        .where('id', '=', line.id)
        .execute()
    }
  }
  return changes
}
