import { sql } from 'kysely'
import type { DB } from '../../../db/connection'
import { allocationProblem, refundProblem } from '../../domain/finance'
import { outstandingPence, settledStatus } from '../../domain/invoicing'
import { formatPence } from '../../domain/money'
import { clock } from '../../utils/clock'
import { recordAudit } from '../admin/audit.server'
import type { Actor } from '../shared/actor.server'
import { forUpdate } from '../../utils/locks.server'

/**
 * Resolving a payment with money unallocated (reconciliation): allocate it to
 * the same school's open invoices, or record that it was refunded. The
 * payment row is locked (FOR UPDATE) first, so two officers at once never
 * allocate or refund more than it has unallocated; then the invoices, in
 * number order, as recording a remittance takes them.
 */

type Who = Pick<Actor, 'userId' | 'authorityId' | 'ip' | 'userAgent'>

export type PaymentCorrectionResult = { ok: true; message: string } | { ok: false; notFound: true } | { ok: false; errors: Record<string, string> }

/** The payment, locked, with what it has unallocated: its amount less its allocations and its refunds. */
async function lockPayment(trx: DB, authorityId: string, paymentId: string) {
  await sql`set local lock_timeout = '5s'`.execute(trx)
  const payment = await trx
    .selectFrom('payments')
    .select(['id', 'school_id', 'amount_pence', 'reference'])
    .where('authority_id', '=', authorityId)
    .where('id', '=', paymentId)
    .$call(forUpdate)
    .executeTakeFirst()
  if (!payment) return undefined
  const used = await trx
    .selectFrom('payments as p')
    .select([
      sql<number>`(select coalesce(sum(a.amount_pence), 0) from payment_allocations a where a.authority_id = p.authority_id and a.payment_id = p.id)::bigint`.as(
        'allocated',
      ),
      sql<number>`(select coalesce(sum(r.amount_pence), 0) from refunds r where r.authority_id = p.authority_id and r.payment_id = p.id and r.invoice_id is null)::bigint`.as(
        'refunded',
      ),
    ])
    .where('p.authority_id', '=', authorityId)
    .where('p.id', '=', paymentId)
    .executeTakeFirstOrThrow()
  return { ...payment, unallocatedPence: payment.amount_pence - Number(used.allocated) - Number(used.refunded) }
}

/** Allocates what a payment has unallocated to one or more of its school's open invoices, each up to what it owes. */
export async function allocateUnallocatedPayment(
  db: DB,
  actor: Who,
  paymentId: string,
  requests: readonly { invoiceId: string; amountPence: number }[],
): Promise<PaymentCorrectionResult> {
  return db.transaction().execute(async (trx) => {
    const payment = await lockPayment(trx, actor.authorityId, paymentId)
    if (!payment || !payment.school_id) return { ok: false, notFound: true }
    const ids = [...new Set(requests.map((r) => r.invoiceId))]
    const invoices = ids.length
      ? await trx
          .selectFrom('invoices')
          .select(['id', 'number', 'status', 'gross_pence', 'amount_paid_pence', 'amount_credited_pence', 'paid_at'])
          .where('authority_id', '=', actor.authorityId)
          .where('school_id', '=', payment.school_id)
          .where('id', 'in', ids)
          .orderBy('sequence_number')
          .$call(forUpdate)
          .execute()
      : []
    const byId = new Map(invoices.map((i) => [i.id, i]))
    const due = (id: string) => {
      const i = byId.get(id)
      if (!i || (i.status !== 'open' && i.status !== 'uncollectible')) return 0
      return outstandingPence({ grossPence: i.gross_pence, amountPaidPence: i.amount_paid_pence, amountCreditedPence: i.amount_credited_pence })
    }
    const problem = allocationProblem(
      requests.map((r) => ({ ...r, amountDuePence: due(r.invoiceId) })),
      payment.unallocatedPence,
    )
    if (problem) {
      if (problem.kind === 'none') return { ok: false, errors: { allocations: 'Enter an amount for at least one invoice' } }
      if (problem.kind === 'above_payment') {
        return {
          ok: false,
          errors: { allocations: `The amounts must add up to no more than ${formatPence(problem.unallocatedPence)}, what is unallocated` },
        }
      }
      const number = byId.get(problem.invoiceId)?.number ?? 'this invoice'
      const error =
        problem.kind === 'not_positive'
          ? `Enter an amount above £0 for ${number}`
          : problem.amountDuePence === 0
            ? `${number} owes nothing now: leave it blank`
            : `The amount for ${number} must be no more than ${formatPence(problem.amountDuePence)}, what it still owes`
      return { ok: false, errors: { [`amount-${problem.invoiceId}`]: error } }
    }
    const now = clock.now()
    for (const r of requests) {
      const i = byId.get(r.invoiceId)!
      await trx
        .insertInto('payment_allocations')
        .values({ authority_id: actor.authorityId, payment_id: payment.id, invoice_id: i.id, amount_pence: r.amountPence })
        .onConflict((oc) =>
          oc
            .columns(['authority_id', 'payment_id', 'invoice_id'])
            .doUpdateSet({ amount_pence: sql`payment_allocations.amount_pence + excluded.amount_pence` }),
        )
        .execute()
      const amounts = {
        grossPence: i.gross_pence,
        amountPaidPence: i.amount_paid_pence + r.amountPence,
        amountCreditedPence: i.amount_credited_pence,
      }
      const status = settledStatus(i.status, amounts)
      await trx
        .updateTable('invoices')
        .set({ amount_paid_pence: amounts.amountPaidPence, status, paid_at: status === 'paid' ? (i.paid_at ?? now) : i.paid_at })
        .where('authority_id', '=', actor.authorityId)
        .where('id', '=', i.id)
        .execute()
    }
    const total = requests.reduce((sum, r) => sum + r.amountPence, 0)
    await recordAudit(trx, {
      authorityId: actor.authorityId,
      actorUserId: actor.userId,
      action: 'payment.allocated',
      subjectType: 'payment',
      subjectId: payment.id,
      ip: actor.ip,
      userAgent: actor.userAgent,
      details: { allocations: requests.map((r) => ({ invoice: byId.get(r.invoiceId)!.number, amountPence: r.amountPence })) },
    })
    const to = requests.map((r) => `${formatPence(r.amountPence)} to ${byId.get(r.invoiceId)!.number}`).join(', ')
    return { ok: true, message: `${formatPence(total)} allocated: ${to}` }
  })
}

/** Records that what a payment had unallocated (or part of it) was paid back to the school. */
export async function refundUnallocatedPayment(
  db: DB,
  actor: Who,
  paymentId: string,
  input: { amountPence: number; reason: string },
): Promise<PaymentCorrectionResult> {
  return db.transaction().execute(async (trx) => {
    const payment = await lockPayment(trx, actor.authorityId, paymentId)
    if (!payment) return { ok: false, notFound: true }
    const problem = refundProblem(input.amountPence, payment.unallocatedPence)
    if (problem) {
      const error =
        problem === 'too_much'
          ? `The refund must be no more than ${formatPence(payment.unallocatedPence)}, what is unallocated`
          : 'Enter an amount above £0'
      return { ok: false, errors: { refundAmount: error } }
    }
    await trx
      .insertInto('refunds')
      .values({
        authority_id: actor.authorityId,
        payment_id: payment.id,
        amount_pence: input.amountPence,
        reason: input.reason,
        refunded_on: clock.today(),
        recorded_by: actor.userId,
      })
      .execute()
    await recordAudit(trx, {
      authorityId: actor.authorityId,
      actorUserId: actor.userId,
      action: 'payment.refunded',
      subjectType: 'payment',
      subjectId: payment.id,
      ip: actor.ip,
      userAgent: actor.userAgent,
      details: { amountPence: input.amountPence, reason: input.reason },
    })
    return { ok: true, message: `Refund of ${formatPence(input.amountPence)} recorded` }
  })
}
