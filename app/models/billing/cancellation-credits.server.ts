import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { monthOf } from '../../domain/invoicing'
import type { Batch } from './billing-batch.server'
import { invoiceAddressee, type SchoolAddressee } from './billing-emails.server'
import { issueCreditNotes, lockForCredit } from './credit-notes.server'

/**
 * Cancelling a line that was invoiced credits everything invoiced for it but
 * its cancellation charge (invoiced on its own: delivered work, terms begun,
 * late fee) and the monthly invoices of work delivered, which stays charged: one credit note per invoice line, keyed by that
 * line (`credit:<invoice line id>`), so it is credited once whatever runs
 * twice. Credit notes are dated the run's day, from the day the line was
 * cancelled.
 */

/** Credits the batch's cancelled lines; returns the credit notes' ids, in number order. */
export async function creditCancelledLines(batch: Batch): Promise<string[]> {
  const { trx, run } = batch
  const cancelled = [...batch.lines.values()]
    .filter((l) => l.status === 'cancelled' && (l.cancelledOn === null || l.cancelledOn <= run.asOf))
    .map((l) => l.id)
  if (cancelled.length === 0) return []
  const credits = (await uncreditedInvoiceLines(trx, run.authorityId, cancelled)).filter(
    (c) => !c.charge_key?.endsWith(':late-fee') && !c.charge_key?.includes(':delivery:'),
  )
  if (credits.length === 0) return []
  const month = monthOf(run.asOf)
  const internal = credits.some((c) => c.route === 'internal_recharge')
  const journals = await lockForCredit(
    trx,
    run.authorityId,
    credits.map((c) => c.invoice_id),
    internal ? [month] : [],
  )
  const addressees = new Map<string, SchoolAddressee>()
  for (const c of credits) {
    const payerId = c.school_id ?? c.trust_id!
    if (!addressees.has(payerId)) {
      addressees.set(
        payerId,
        batch.schools.get(payerId) ?? (await invoiceAddressee(trx, run.authorityId, { schoolId: c.school_id, trustId: c.trust_id })),
      )
    }
  }
  const notes = await issueCreditNotes(
    trx,
    batch.authority,
    credits.map((c) => ({
      invoice: { id: c.invoice_id, number: c.invoice_number, route: c.route, stripeStatus: c.stripe_status, orderId: c.order_id },
      school: addressees.get(c.school_id ?? c.trust_id!)!,
      reason: `Cancelled: ${c.description}`,
      netPence: c.net_pence,
      vatPence: c.vat_pence,
      grossPence: c.gross_pence,
      issuedAt: run.now,
      journal: c.route === 'internal_recharge' ? journals.get(month)! : null,
      invoiceLineId: c.id,
      creditKey: `credit:${c.id}`,
    })),
    run,
  )
  return notes.map((n) => n.id)
}

/** The invoice lines of these order lines not yet credited, on invoices not void, in number order. */
async function uncreditedInvoiceLines(trx: Kysely<Database>, authorityId: string, orderLineIds: readonly string[]) {
  return trx
    .selectFrom('invoice_lines as il')
    .innerJoin('invoices as i', (j) => j.onRef('i.authority_id', '=', 'il.authority_id').onRef('i.id', '=', 'il.invoice_id'))
    .leftJoin('credit_notes as cn', (j) => j.onRef('cn.authority_id', '=', 'il.authority_id').onRef('cn.invoice_line_id', '=', 'il.id'))
    .select([
      'il.id',
      'il.description',
      'il.net_pence',
      'il.vat_pence',
      'il.gross_pence',
      'il.charge_key',
      'i.id as invoice_id',
      'i.number as invoice_number',
      'i.school_id',
      'i.trust_id',
      'i.order_id',
      'i.route',
      'i.stripe_status',
    ])
    .where('il.authority_id', '=', authorityId)
    .where('il.order_line_id', 'in', orderLineIds)
    .where('cn.id', 'is', null)
    .where('i.status', '!=', 'void')
    .orderBy('i.sequence_number')
    .orderBy('il.id')
    .execute()
}
