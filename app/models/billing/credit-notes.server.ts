import { sql, type Kysely } from 'kysely'
import type { DB } from '../../../db/connection'
import type { Database, FinanceRoute, StripeSyncStatus } from '../../../db/schema'
import { ukDate } from '../../domain/dates'
import { creditProblem, partCreditVat, refundOnCredit } from '../../domain/finance'
import { creditNoteNumber, monthOf, settledStatus, type InvoiceStatus } from '../../domain/invoicing'
import { clock } from '../../utils/clock'
import { enqueue } from '../../utils/jobs.server'
import { isStripeConfigured } from '../../utils/stripe.server'
import type { IssuingAuthority } from './billing-batch.server'
import { emailCreditNoteIssued, invoiceAddressee, type SchoolAddressee } from './billing-emails.server'
import { takeNumbers } from './numbering.server'
import { openJournals, type OpenJournal } from './open-journals.server'
import { forUpdate } from '../../utils/locks.server'

/**
 * Credit notes (docs/decisions/0009). An issued invoice is never edited:
 * cancelling an invoiced line credits what was invoiced for it, a finance
 * officer corrects an invoice with a credit note for part or all of it, and
 * a credit note made in Stripe's dashboard is recorded here too. All three
 * issue through `issueCreditNotes`: the number, the row, the journal, the
 * credit applied to the invoice, Stripe and the school's email.
 */

type Trx = Kysely<Database>

/** The invoice a credit note is against, as it was read under its lock. */
export type CreditedInvoice = { id: string; number: string; route: FinanceRoute; stripeStatus: StripeSyncStatus; orderId: string | null }

export type CreditNoteDraft = {
  invoice: CreditedInvoice
  school: SchoolAddressee
  reason: string
  netPence: number
  vatPence: number
  grossPence: number
  issuedAt: Date
  /** The open recharge journal it goes in (internal recharges only). */
  journal: OpenJournal | null
  /** The invoice line it credits in full (a cancelled line's). */
  invoiceLineId?: string
  /** What it credits, unique per authority, so that nothing is credited twice. */
  creditKey?: string
  issuedBy?: string | null
}

export type CreditNoteSending = {
  /** Email the school. */
  notify: boolean
  /**
   * `true`: an academy's credit note goes to Stripe by a job (when its
   * invoice went there); `false`: Stripe is not in use; or the credit note
   * Stripe already has (made in Stripe's dashboard).
   */
  stripe: boolean | { creditNoteId: string }
}

/**
 * Issues credit notes against invoices the caller has locked (after taking
 * the journals, in the order posting takes them: see lockForCredit), in the
 * order given, with consecutive numbers.
 */
export async function issueCreditNotes(
  trx: Trx,
  authority: IssuingAuthority,
  drafts: readonly CreditNoteDraft[],
  sending: CreditNoteSending,
): Promise<{ id: string; number: string }[]> {
  if (drafts.length === 0) return []
  const first = await takeNumbers(trx, authority.id, 'credit_note', drafts.length)
  const issued: { id: string; number: string }[] = []
  for (const [i, draft] of drafts.entries()) {
    const number = creditNoteNumber(authority.invoicePrefix, first + i)
    const stripeStatus = creditNoteStripeStatus(draft.invoice, sending.stripe)
    const note = await trx
      .insertInto('credit_notes')
      .values({
        authority_id: authority.id,
        number,
        sequence_number: first + i,
        invoice_id: draft.invoice.id,
        invoice_line_id: draft.invoiceLineId ?? null,
        credit_key: draft.creditKey ?? null,
        reason: draft.reason,
        net_pence: draft.netPence,
        vat_pence: draft.vatPence,
        gross_pence: draft.grossPence,
        issued_at: draft.issuedAt,
        issued_by: draft.issuedBy ?? null,
        journal_id: draft.journal?.id ?? null,
        stripe_status: stripeStatus,
        stripe_credit_note_id: typeof sending.stripe === 'object' ? sending.stripe.creditNoteId : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await applyCredit(trx, authority.id, draft.invoice.id, draft.grossPence, {
      creditNoteId: note.id,
      journalId: draft.journal?.id ?? null,
      issuedOn: ukDate(draft.issuedAt),
      issuedBy: draft.issuedBy ?? null,
    })
    if (stripeStatus === 'pending') {
      await enqueue(
        trx,
        'stripe-sync-credit-note',
        { authorityId: authority.id, creditNoteId: note.id },
        { idempotencyKey: `credit-note-${note.id}` },
      )
    }
    if (sending.notify) {
      await emailCreditNoteIssued(trx, authority.id, authority, draft.school, {
        ...draft,
        id: note.id,
        number,
        journalMonth: draft.journal?.month ?? null,
      })
    }
    issued.push({ id: note.id, number })
  }
  return issued
}

/** Only an academy's invoice is in Stripe, and only if it was sent there. */
function creditNoteStripeStatus(invoice: CreditedInvoice, stripe: CreditNoteSending['stripe']): StripeSyncStatus {
  if (typeof stripe === 'object') return 'sent'
  if (invoice.route !== 'invoice') return 'not_applicable'
  return stripe && invoice.stripeStatus !== 'not_configured' ? 'pending' : 'not_configured'
}

/**
 * Before crediting: the open journal of each month credits are issued in
 * (read FOR SHARE), then the invoices (FOR UPDATE, in id order). Posting a
 * journal takes it, then its invoices, in the same order, so the two never
 * deadlock.
 */
export async function lockForCredit(
  trx: Trx,
  authorityId: string,
  invoiceIds: readonly string[],
  journalMonths: readonly string[],
): Promise<Map<string, OpenJournal>> {
  const journals = await openJournals(trx, authorityId, journalMonths)
  if (invoiceIds.length > 0) {
    await trx
      .selectFrom('invoices')
      .select('id')
      .where('authority_id', '=', authorityId)
      .where('id', 'in', [...new Set(invoiceIds)])
      .orderBy('id')
      .$call(forUpdate)
      .execute()
  }
  return journals
}

/**
 * Adds a credit to an invoice (already locked) and settles its status. The
 * part of the credit the invoice had already been paid (by a posted journal,
 * a BACS payment) is refunded: a refund row against the payment that paid it
 * last, in the credit note's journal for a recharge, and no longer counted
 * as paid, so the invoice is never overpaid (docs/decisions/0016).
 */
async function applyCredit(
  trx: Trx,
  authorityId: string,
  invoiceId: string,
  grossPence: number,
  note: { creditNoteId: string; journalId: string | null; issuedOn: string; issuedBy: string | null },
): Promise<void> {
  const invoice = await trx
    .selectFrom('invoices')
    .select(['status', 'gross_pence', 'amount_paid_pence', 'amount_credited_pence'])
    .where('authority_id', '=', authorityId)
    .where('id', '=', invoiceId)
    .executeTakeFirstOrThrow()
  const amounts = { grossPence: invoice.gross_pence, amountPaidPence: invoice.amount_paid_pence, amountCreditedPence: invoice.amount_credited_pence }
  const refund = refundOnCredit(grossPence, amounts)
  const paid = invoice.amount_paid_pence - (refund > 0 ? await refundCredit(trx, authorityId, invoiceId, refund, note) : 0)
  const credited = Math.min(invoice.gross_pence, invoice.amount_credited_pence + grossPence)
  const status = settledStatus(invoice.status as InvoiceStatus, {
    grossPence: invoice.gross_pence,
    amountPaidPence: paid,
    amountCreditedPence: credited,
  })
  await trx
    .updateTable('invoices')
    .set({ amount_credited_pence: credited, amount_paid_pence: paid, status })
    .where('authority_id', '=', authorityId)
    .where('id', '=', invoiceId)
    .execute()
}

/** Records the refund of a credit against the payments allocated to the invoice, latest first; returns what was refunded. */
async function refundCredit(
  trx: Trx,
  authorityId: string,
  invoiceId: string,
  amountPence: number,
  note: { creditNoteId: string; journalId: string | null; issuedOn: string; issuedBy: string | null },
): Promise<number> {
  const paid = await trx
    .selectFrom('payment_allocations as pa')
    .select([
      'pa.payment_id',
      'pa.amount_pence',
      (eb) =>
        eb
          .selectFrom('refunds as r')
          .select(sql<number>`coalesce(sum(r.amount_pence), 0)::bigint`.as('n'))
          .whereRef('r.authority_id', '=', 'pa.authority_id')
          .whereRef('r.payment_id', '=', 'pa.payment_id')
          .whereRef('r.invoice_id', '=', 'pa.invoice_id')
          .as('refunded'),
    ])
    .where('pa.authority_id', '=', authorityId)
    .where('pa.invoice_id', '=', invoiceId)
    .orderBy('pa.created_at', 'desc')
    .orderBy('pa.payment_id')
    .execute()
  let left = amountPence
  for (const p of paid) {
    const amount = Math.min(left, p.amount_pence - Number(p.refunded ?? 0))
    if (amount <= 0) continue
    await trx
      .insertInto('refunds')
      .values({
        authority_id: authorityId,
        payment_id: p.payment_id,
        invoice_id: invoiceId,
        credit_note_id: note.creditNoteId,
        journal_id: note.journalId,
        amount_pence: amount,
        reason: 'Credit note against an invoice already paid',
        refunded_on: note.issuedOn,
        recorded_by: note.issuedBy,
      })
      .execute()
    left -= amount
    if (left === 0) break
  }
  return amountPence - left
}

export type CreditNoteResult =
  | { ok: true; creditNoteId: string; number: string; grossPence: number }
  | { ok: false; notFound: true }
  | { ok: false; tooMuch: true; creditablePence: number }

/**
 * A correction: a credit note for part or all of an issued invoice. The VAT
 * credited is in the invoice's own proportion. In one transaction, with the
 * invoice locked: the number, the credit note, the invoice's credited amount
 * and status, the Stripe job and the email.
 */
export async function issueCreditNote(
  db: DB,
  authorityId: string,
  invoiceId: string,
  input: {
    /** What to credit, or 'rest': all that is left to credit. */
    grossPence: number | 'rest'
    reason: string
    actorUserId: string | null
    /** The moment of issue (the app's clock by default): the credit note's date and journal month. */
    now?: Date
    /** Email the school (yes by default). */
    notify?: boolean
    /** Send it to Stripe when its invoice is there (whenever Stripe is configured, by default). */
    stripe?: boolean
  },
): Promise<CreditNoteResult> {
  const now = input.now ?? clock.now()
  const sending = { notify: input.notify ?? true, stripe: input.stripe ?? isStripeConfigured() }
  const run = async (trx: Trx): Promise<CreditNoteResult> => {
    const month = monthOf(ukDate(now))
    // An invoice's route never changes, so it is read before the locks it decides.
    const unlocked = await trx
      .selectFrom('invoices')
      .select('route')
      .where('authority_id', '=', authorityId)
      .where('id', '=', invoiceId)
      .executeTakeFirst()
    if (!unlocked) return { ok: false, notFound: true }
    const journals = await lockForCredit(trx, authorityId, [invoiceId], unlocked.route === 'internal_recharge' ? [month] : [])
    const invoice = await invoiceToCorrect(trx, authorityId, invoiceId)
    if (!invoice || invoice.status === 'void') return { ok: false, notFound: true }
    const creditable = invoice.gross_pence - invoice.amount_credited_pence
    const grossPence = input.grossPence === 'rest' ? creditable : input.grossPence
    if (creditProblem(grossPence, creditable) !== null) {
      return { ok: false, tooMuch: true, creditablePence: creditable }
    }
    const split = partCreditVat(grossPence, {
      grossPence: invoice.gross_pence,
      vatPence: invoice.vat_pence,
      amountCreditedPence: invoice.amount_credited_pence,
      vatCreditedPence: Number(invoice.vat_credited),
    })
    const [note] = await issueCreditNotes(
      trx,
      { id: authorityId, invoicePrefix: invoice.invoice_prefix, name: invoice.authority_name, contactEmail: invoice.contact_email },
      [
        {
          invoice: { id: invoice.id, number: invoice.number, route: invoice.route, stripeStatus: invoice.stripe_status, orderId: invoice.order_id },
          school: await invoiceAddressee(trx, authorityId, { schoolId: invoice.school_id, trustId: invoice.trust_id }),
          reason: input.reason,
          ...split,
          issuedAt: now,
          issuedBy: input.actorUserId,
          journal: journals.get(month) ?? null,
        },
      ],
      sending,
    )
    return { ok: true, creditNoteId: note!.id, number: note!.number, grossPence }
  }
  return db.isTransaction ? run(db) : db.transaction().execute(run)
}

/** The invoice and its authority, as a correction needs them. */
async function invoiceToCorrect(trx: Trx, authorityId: string, invoiceId: string) {
  return trx
    .selectFrom('invoices as i')
    .innerJoin('authorities as a', 'a.id', 'i.authority_id')
    .select([
      'i.id',
      'i.number',
      'i.route',
      'i.status',
      'i.school_id',
      'i.trust_id',
      'i.order_id',
      'i.vat_pence',
      'i.gross_pence',
      'i.amount_credited_pence',
      'i.stripe_status',
      (eb) =>
        eb
          .selectFrom('credit_notes as cn')
          .select(sql<number>`coalesce(sum(cn.vat_pence), 0)::bigint`.as('n'))
          .whereRef('cn.authority_id', '=', 'i.authority_id')
          .whereRef('cn.invoice_id', '=', 'i.id')
          .as('vat_credited'),
      'a.invoice_prefix',
      'a.name as authority_name',
      'a.contact_email',
    ])
    .where('i.authority_id', '=', authorityId)
    .where('i.id', '=', invoiceId)
    .executeTakeFirst()
}
