import { clock } from '../../utils/clock'
import { sql } from 'kysely'
import type { DB } from '../../../db/connection'
import { journalPostingProblem, journalSettlement, type JournalPostingProblem } from '../../domain/finance'
import { monthLabel } from '../../domain/invoicing'
import { recordAudit } from '../admin/audit.server'
import type { Actor } from '../shared/actor.server'
import { forUpdate } from '../../utils/locks.server'

/**
 * Maintained schools' monthly internal recharge journals (docs/product.md:
 * "an internal recharge line in the monthly journal export";
 * /finance/journals). A journal holds the month's internal-recharge invoices
 * (one line per invoice line) and credit notes (negative lines). Finance
 * downloads it for the council's ledger, then marks it posted: that pays its
 * invoices, once.
 */

export type JournalSummary = {
  id: string
  month: string
  status: 'open' | 'posted'
  postedAt: Date | null
  postedBy: string | null
  invoiceCount: number
  creditNoteCount: number
  /** Invoices less credit notes. */
  totalPence: number
}

/** The authority's journals (or one month's), newest month first. */
export async function listJournals(db: DB, authorityId: string, month?: string): Promise<JournalSummary[]> {
  const rows = await db
    .selectFrom('recharge_journals as rj')
    .leftJoin('users as u', (j) => j.onRef('u.authority_id', '=', 'rj.authority_id').onRef('u.id', '=', 'rj.posted_by'))
    .select((eb) => [
      'rj.id',
      'rj.month',
      'rj.status',
      'rj.posted_at',
      'u.name as posted_by',
      eb
        .selectFrom('invoices as i')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('i.authority_id', '=', 'rj.authority_id')
        .whereRef('i.journal_id', '=', 'rj.id')
        .where('i.status', '!=', 'void')
        .as('invoice_count'),
      eb
        .selectFrom('invoices as i')
        .select(sql<number>`coalesce(sum(i.gross_pence), 0)::bigint`.as('n'))
        .whereRef('i.authority_id', '=', 'rj.authority_id')
        .whereRef('i.journal_id', '=', 'rj.id')
        .where('i.status', '!=', 'void')
        .as('invoices_pence'),
      eb
        .selectFrom('credit_notes as c')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('c.authority_id', '=', 'rj.authority_id')
        .whereRef('c.journal_id', '=', 'rj.id')
        .as('credit_count'),
      eb
        .selectFrom('credit_notes as c')
        .select(sql<number>`coalesce(sum(c.gross_pence), 0)::bigint`.as('n'))
        .whereRef('c.authority_id', '=', 'rj.authority_id')
        .whereRef('c.journal_id', '=', 'rj.id')
        .as('credits_pence'),
    ])
    .where('rj.authority_id', '=', authorityId)
    .$if(month !== undefined, (q) => q.where('rj.month', '=', month as string))
    .orderBy('rj.month', 'desc')
    .execute()
  return rows.map((r) => ({
    id: r.id,
    month: r.month,
    status: r.status,
    postedAt: r.posted_at,
    postedBy: r.posted_by,
    invoiceCount: r.invoice_count ?? 0,
    creditNoteCount: r.credit_count ?? 0,
    totalPence: Number(r.invoices_pence ?? 0) - Number(r.credits_pence ?? 0),
  }))
}

export type JournalLine = {
  kind: 'invoice' | 'credit_note'
  /** The invoice charged or credited (for links). */
  invoiceId: string
  documentNumber: string
  costCentre: string | null
  schoolName: string
  urn: string
  incomeCode: string | null
  serviceName: string
  description: string
  /** Credits are negative. */
  amountPence: number
}

export type JournalDetail = JournalSummary & { lines: JournalLine[] }

const byName = new Intl.Collator('en-GB')

/**
 * A month's journal with its lines, by school, then document: one line per
 * invoice line, and one negative line per credit note (against the service
 * of the line it credits, or of the invoice's first line). Undefined when the
 * authority has no journal for that month.
 */
export async function getJournal(db: DB, authorityId: string, month: string): Promise<JournalDetail | undefined> {
  const [journal] = await listJournals(db, authorityId, month)
  if (!journal) return undefined
  const [invoiceLines, credits] = await Promise.all([journalInvoiceLines(db, authorityId, journal.id), journalCredits(db, authorityId, journal.id)])
  const lines: (JournalLine & { order: string })[] = [
    ...invoiceLines.map((l) => ({
      kind: 'invoice' as const,
      invoiceId: l.invoice_id,
      documentNumber: l.number,
      costCentre: l.cost_centre,
      schoolName: l.school_name,
      urn: l.urn,
      incomeCode: l.income_code,
      serviceName: l.service_name,
      description: l.description,
      amountPence: l.gross_pence,
      order: `0|${String(l.sequence_number).padStart(10, '0')}|${l.description}|${l.line_id}`,
    })),
    ...credits.map((c) => ({
      kind: 'credit_note' as const,
      invoiceId: c.invoice_id,
      documentNumber: c.number,
      costCentre: c.cost_centre,
      schoolName: c.school_name,
      urn: c.urn,
      incomeCode: c.income_code,
      serviceName: c.service_name ?? '',
      description: c.reason,
      amountPence: -c.gross_pence,
      order: `1|${String(c.sequence_number).padStart(10, '0')}`,
    })),
  ]
  lines.sort((a, b) => byName.compare(a.schoolName, b.schoolName) || a.urn.localeCompare(b.urn) || a.order.localeCompare(b.order))
  // The total is the sum of the lines, so that the export always adds up.
  return {
    ...journal,
    totalPence: lines.reduce((n, l) => n + l.amountPence, 0),
    lines: lines.map(({ order: _order, ...line }) => line),
  }
}

/** A journal's invoice lines (of invoices not void), with school and service. */
function journalInvoiceLines(db: DB, authorityId: string, journalId: string) {
  return db
    .selectFrom('invoice_lines as l')
    .innerJoin('invoices as i', (j) => j.onRef('i.authority_id', '=', 'l.authority_id').onRef('i.id', '=', 'l.invoice_id'))
    .innerJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'i.authority_id').onRef('s.id', '=', 'i.school_id'))
    .innerJoin('services as sv', (j) => j.onRef('sv.authority_id', '=', 'l.authority_id').onRef('sv.id', '=', 'l.service_id'))
    .select([
      'i.id as invoice_id',
      'i.number',
      'i.sequence_number',
      's.cost_centre',
      's.name as school_name',
      's.urn',
      'sv.income_code',
      'sv.name as service_name',
      'l.description',
      'l.gross_pence',
      'l.id as line_id',
    ])
    .where('l.authority_id', '=', authorityId)
    .where('i.journal_id', '=', journalId)
    .where('i.status', '!=', 'void')
    .execute()
}

/**
 * A journal's credit notes, each against the service of the line it
 * credits, or of the invoice's largest line.
 */
function journalCredits(db: DB, authorityId: string, journalId: string) {
  return db
    .selectFrom('credit_notes as c')
    .innerJoin('invoices as i', (j) => j.onRef('i.authority_id', '=', 'c.authority_id').onRef('i.id', '=', 'c.invoice_id'))
    .innerJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'i.authority_id').onRef('s.id', '=', 'i.school_id'))
    .leftJoin('invoice_lines as l', (j) =>
      j
        .onRef('l.authority_id', '=', 'c.authority_id')
        .on((eb) =>
          eb(
            'l.id',
            '=',
            eb.fn.coalesce(
              'c.invoice_line_id',
              eb
                .selectFrom('invoice_lines as fl')
                .select('fl.id')
                .whereRef('fl.authority_id', '=', 'c.authority_id')
                .whereRef('fl.invoice_id', '=', 'c.invoice_id')
                .orderBy('fl.gross_pence', 'desc')
                .orderBy('fl.id')
                .limit(1),
            ),
          ),
        ),
    )
    .leftJoin('services as sv', (j) => j.onRef('sv.authority_id', '=', 'l.authority_id').onRef('sv.id', '=', 'l.service_id'))
    .select([
      'i.id as invoice_id',
      'c.number',
      'c.sequence_number',
      's.cost_centre',
      's.name as school_name',
      's.urn',
      'sv.income_code',
      'sv.name as service_name',
      'c.reason',
      'c.gross_pence',
    ])
    .where('c.authority_id', '=', authorityId)
    .where('c.journal_id', '=', journalId)
    .execute()
}

export type PostJournalResult =
  | { ok: true; month: string; paymentId: string | null; totalPence: number; invoiceCount: number }
  | { ok: false; problem: JournalPostingProblem; postedAt?: Date | null; postedBy?: string | null }

/**
 * Marks a month's journal posted, in one transaction that locks the journal
 * row first (FOR UPDATE), then its invoices in number order: sets it posted
 * (when, by whom); records one payment (method 'journal') of what its
 * invoices still owed, allocated to each; settles each invoice
 * (amount paid, status, paid at); and writes an audit event.
 *
 * Posting twice (a double click, two finance officers at once) posts once:
 * the second waits for the lock, then finds the journal posted and is told
 * so. The payment's unique journal_id is a second guard.
 */
export async function postJournal(
  db: DB,
  actor: Pick<Actor, 'userId' | 'authorityId' | 'ip' | 'userAgent'>,
  month: string,
  today: string,
): Promise<PostJournalResult> {
  return db.transaction().execute(async (trx) => {
    await sql`set local lock_timeout = '5s'`.execute(trx)
    const journal = await lockJournal(trx, actor.authorityId, month)
    const invoices = journal ? await lockJournalInvoices(trx, actor.authorityId, journal.id) : []
    const credits = journal ? await creditNoteCount(trx, actor.authorityId, journal.id) : 0
    const documentCount = invoices.filter((i) => i.status !== 'void').length + credits
    const problem = journalPostingProblem(journal ? { status: journal.status, month: journal.month, documentCount } : null, today)
    if (problem || !journal) {
      const postedBy = journal?.posted_by ? await userName(trx, actor.authorityId, journal.posted_by) : null
      return { ok: false, problem: problem ?? 'missing', postedAt: journal?.posted_at ?? null, postedBy }
    }

    const settlement = journalSettlement(
      invoices.map((i) => ({
        id: i.id,
        status: i.status,
        grossPence: i.gross_pence,
        amountPaidPence: i.amount_paid_pence,
        amountCreditedPence: i.amount_credited_pence,
      })),
    )
    const now = clock.now()
    await trx
      .updateTable('recharge_journals')
      .set({ status: 'posted', posted_at: now, posted_by: actor.userId })
      .where('authority_id', '=', actor.authorityId)
      .where('id', '=', journal.id)
      .execute()

    const paymentId = settlement.totalPence > 0 ? await payJournalInvoices(trx, actor, journal, { today, now, settlement, invoices }) : null

    await recordAudit(trx, {
      authorityId: actor.authorityId,
      actorUserId: actor.userId,
      action: 'journal.posted',
      subjectType: 'recharge_journal',
      subjectId: journal.id,
      ip: actor.ip,
      userAgent: actor.userAgent,
      details: {
        month: journal.month,
        paymentId,
        totalPence: settlement.totalPence,
        invoicesSettled: settlement.allocations.length,
        documents: documentCount,
      },
    })
    return { ok: true, month: journal.month, paymentId, totalPence: settlement.totalPence, invoiceCount: settlement.allocations.length }
  })
}

/** The month's journal, locked first, as posting always takes it. */
function lockJournal(trx: DB, authorityId: string, month: string) {
  return trx
    .selectFrom('recharge_journals')
    .select(['id', 'month', 'status', 'posted_at', 'posted_by'])
    .where('authority_id', '=', authorityId)
    .where('month', '=', month)
    .$call(forUpdate)
    .executeTakeFirst()
}

/** Its invoices, locked after it, in number order. */
function lockJournalInvoices(trx: DB, authorityId: string, journalId: string) {
  return trx
    .selectFrom('invoices')
    .select(['id', 'status', 'gross_pence', 'amount_paid_pence', 'amount_credited_pence', 'paid_at'])
    .where('authority_id', '=', authorityId)
    .where('journal_id', '=', journalId)
    .orderBy('sequence_number')
    .$call(forUpdate)
    .execute()
}

async function creditNoteCount(trx: DB, authorityId: string, journalId: string): Promise<number> {
  const row = await trx
    .selectFrom('credit_notes')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('authority_id', '=', authorityId)
    .where('journal_id', '=', journalId)
    .executeTakeFirstOrThrow()
  return row.n
}

async function userName(trx: DB, authorityId: string, userId: string): Promise<string | null> {
  const user = await trx.selectFrom('users').select('name').where('authority_id', '=', authorityId).where('id', '=', userId).executeTakeFirst()
  return user?.name ?? null
}

/**
 * One payment (method 'journal') of what the journal's invoices still owed,
 * allocated to each, and each invoice settled; returns the payment's id.
 */
async function payJournalInvoices(
  trx: DB,
  actor: Pick<Actor, 'userId' | 'authorityId' | 'ip' | 'userAgent'>,
  journal: { id: string; month: string },
  posting: {
    today: string
    now: Date
    settlement: ReturnType<typeof journalSettlement>
    invoices: readonly { id: string; paid_at: Date | null }[]
  },
): Promise<string> {
  const { settlement } = posting
  const payment = await trx
    .insertInto('payments')
    .values({
      authority_id: actor.authorityId,
      method: 'journal',
      amount_pence: settlement.totalPence,
      received_on: posting.today,
      reference: `Internal recharge journal, ${monthLabel(journal.month)}`,
      journal_id: journal.id,
      recorded_by: actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  await trx
    .insertInto('payment_allocations')
    .values(
      settlement.allocations.map((a) => ({
        authority_id: actor.authorityId,
        payment_id: payment.id,
        invoice_id: a.invoiceId,
        amount_pence: a.amountPence,
      })),
    )
    .execute()
  const paidAtById = new Map(posting.invoices.map((i) => [i.id, i.paid_at]))
  for (const a of settlement.allocations) {
    await trx
      .updateTable('invoices')
      .set({
        amount_paid_pence: a.amountPaidPence,
        status: a.status,
        paid_at: a.status === 'paid' ? (paidAtById.get(a.invoiceId) ?? posting.now) : null,
      })
      .where('authority_id', '=', actor.authorityId)
      .where('id', '=', a.invoiceId)
      .execute()
  }
  return payment.id
}
