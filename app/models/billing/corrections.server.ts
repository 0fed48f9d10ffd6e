import { sql } from 'kysely'
import type { DB } from '../../../db/connection'
import type { InvoiceStatus } from '../../../db/schema'
import { voidProblem, writeOffProblem } from '../../domain/finance'
import { formatPence } from '../../domain/money'
import { clock } from '../../utils/clock'
import { recordAudit } from '../admin/audit.server'
import type { Actor } from '../shared/actor.server'
import { issueCreditNote } from './credit-notes.server'
import { forUpdate } from '../../utils/locks.server'

/**
 * Finance's corrections on an invoice's page: a credit note for all or part
 * of it, writing it off, voiding it. Each is one transaction with the
 * invoice locked (FOR UPDATE), so two officers at once never credit more
 * than the invoice, and each is in the audit log.
 */

type Who = Pick<Actor, 'userId' | 'authorityId' | 'ip' | 'userAgent'>

export type CorrectionResult = { ok: true; message: string } | { ok: false; notFound: true } | { ok: false; field: string; error: string }

/** A credit note for `amountPence` (or all that is left to credit, when 'whole'). */
export async function creditInvoice(
  db: DB,
  actor: Who,
  invoiceId: string,
  input: { amountPence: number | 'whole'; reason: string },
): Promise<CorrectionResult> {
  return db.transaction().execute(async (trx) => {
    await sql`set local lock_timeout = '5s'`.execute(trx)
    // issueCreditNote locks the journal and then the invoice, in the order posting a journal takes them.
    const result = await issueCreditNote(trx, actor.authorityId, invoiceId, {
      grossPence: input.amountPence === 'whole' ? 'rest' : input.amountPence,
      reason: input.reason,
      actorUserId: actor.userId,
    })
    if (!result.ok) {
      if ('notFound' in result) return result
      const error =
        result.creditablePence === 0
          ? 'Nothing is left to credit on this invoice'
          : `The credit must be no more than ${formatPence(result.creditablePence)}, what is left to credit on this invoice`
      return { ok: false, field: 'creditAmount', error }
    }
    await recordAudit(trx, {
      authorityId: actor.authorityId,
      actorUserId: actor.userId,
      action: 'invoice.credited',
      subjectType: 'invoice',
      subjectId: invoiceId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      details: { creditNote: result.number, grossPence: result.grossPence, reason: input.reason },
    })
    return { ok: true, message: `Credit note ${result.number} for ${formatPence(result.grossPence)} issued` }
  })
}

/** Writes an open invoice off as uncollectible: it stays owed, but is no longer counted as debt. */
export async function writeOffInvoice(db: DB, actor: Who, invoiceId: string, reason: string): Promise<CorrectionResult> {
  return db.transaction().execute(async (trx) => {
    const invoice = await lockInvoice(trx, actor.authorityId, invoiceId)
    if (!invoice) return { ok: false, notFound: true }
    const problem = writeOffProblem({
      status: invoice.status,
      grossPence: invoice.gross_pence,
      amountPaidPence: invoice.amount_paid_pence,
      amountCreditedPence: invoice.amount_credited_pence,
    })
    if (problem) {
      return {
        ok: false,
        field: 'writeOffReason',
        error:
          problem === 'nothing_owed'
            ? 'Nothing is owed on this invoice, so there is nothing to write off'
            : 'Only an open invoice can be written off',
      }
    }
    await trx
      .updateTable('invoices')
      .set({ status: 'uncollectible', written_off_at: clock.now(), written_off_by: actor.userId, written_off_reason: reason })
      .where('authority_id', '=', actor.authorityId)
      .where('id', '=', invoiceId)
      .execute()
    const owed = invoice.gross_pence - invoice.amount_paid_pence - invoice.amount_credited_pence
    await recordAudit(trx, {
      authorityId: actor.authorityId,
      actorUserId: actor.userId,
      action: 'invoice.written_off',
      subjectType: 'invoice',
      subjectId: invoiceId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      details: { number: invoice.number, outstandingPence: owed, reason },
    })
    return { ok: true, message: `Invoice ${invoice.number} written off: ${formatPence(owed)} is no longer counted as debt` }
  })
}

/**
 * Voids an invoice issued in error: open, nothing paid or credited, its
 * journal (a recharge's) not posted, and not yet in Stripe (an invoice
 * there is voided in Stripe, which tells us).
 */
export async function voidInvoice(db: DB, actor: Who, invoiceId: string, reason: string): Promise<CorrectionResult> {
  return db.transaction().execute(async (trx) => {
    const invoice = await lockInvoice(trx, actor.authorityId, invoiceId)
    if (!invoice) return { ok: false, notFound: true }
    const problem = voidProblem(
      { status: invoice.status, amountPaidPence: invoice.amount_paid_pence, amountCreditedPence: invoice.amount_credited_pence },
      invoice.journal_status === 'posted',
    )
    const inStripe = invoice.stripe_status === 'pending' || invoice.stripe_status === 'sent'
    if (problem || inStripe) {
      const error =
        problem === 'paid_or_credited'
          ? 'Something has been paid or credited on this invoice: issue a credit note instead'
          : problem === 'journal_posted'
            ? 'Its journal has been posted: issue a credit note instead'
            : problem === 'not_open'
              ? 'Only an open invoice can be voided'
              : 'This invoice is in Stripe: void it in Stripe’s dashboard, which updates it here'
      return { ok: false, field: 'voidReason', error }
    }
    await trx
      .updateTable('invoices')
      .set({ status: 'void', voided_at: clock.now(), voided_by: actor.userId, void_reason: reason })
      .where('authority_id', '=', actor.authorityId)
      .where('id', '=', invoiceId)
      .execute()
    await recordAudit(trx, {
      authorityId: actor.authorityId,
      actorUserId: actor.userId,
      action: 'invoice.voided',
      subjectType: 'invoice',
      subjectId: invoiceId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      details: { number: invoice.number, grossPence: invoice.gross_pence, reason },
    })
    return { ok: true, message: `Invoice ${invoice.number} voided` }
  })
}

/** The invoice, locked (after its journal, as posting takes them), or undefined when it is not the authority's. */
async function lockInvoice(trx: DB, authorityId: string, invoiceId: string) {
  await sql`set local lock_timeout = '5s'`.execute(trx)
  const invoice = await trx
    .selectFrom('invoices')
    .select(['id', 'number', 'status', 'gross_pence', 'amount_paid_pence', 'amount_credited_pence', 'stripe_status', 'journal_id'])
    .where('authority_id', '=', authorityId)
    .where('id', '=', invoiceId)
    .$call(forUpdate)
    .executeTakeFirst()
  if (!invoice) return undefined
  const journal = invoice.journal_id
    ? await trx
        .selectFrom('recharge_journals')
        .select('status')
        .where('authority_id', '=', authorityId)
        .where('id', '=', invoice.journal_id)
        .executeTakeFirst()
    : undefined
  return { ...invoice, status: invoice.status as InvoiceStatus, journal_status: journal?.status ?? null }
}
