/**
 * The demo's billing history: every confirmed line of the seeded orders
 * invoiced as the application would have invoiced it. The real billing code
 * (app/models/billing/billing-run.server.ts) is run for each day on which
 * something fell due, with that day's date and clock, as the hourly job would
 * have run then, so documents are dated their own day and numbers follow
 * issue dates. Then payments that give finance a realistic ledger on
 * 22 November 2026:
 *
 * - recharge journals up to September 2026 posted (their invoices settled by
 *   the journal), October's and November's still open to export and post;
 * - academies' invoices: most paid by BACS some days after issue, some part
 *   paid, some overdue, recent ones mostly still open;
 * - corrections: a few invoices credited in part or in full, in both years;
 * - one BACS remittance nobody has matched yet, for reconciliation.
 *
 * Stripe is not configured in the demo, so nothing here pretends to come
 * from Stripe. Numbers and amounts are the same on every run; the rows' ids
 * are the database's own.
 */
import { randomUUID } from 'node:crypto'
import { sql, type Insertable, type Kysely } from 'kysely'
import { billableLines } from '../../app/models/billing/billable-lines.server'
import { billOrders } from '../../app/models/billing/billing-run.server'
import { issueCreditNote } from '../../app/models/billing/credit-notes.server'
import { addDays } from '../../app/domain/dates'
import { chargesDue, nextMonth, outstandingPence, settledStatus, type InvoiceStatus } from '../../app/domain/invoicing'
import type { Database } from '../schema'
import { tradingYearOf } from '../../app/domain/trading-year'
import { blockSettlesOn } from '../../app/domain/trusts'
import { dateParts, daysBetween } from '../../app/domain/dates'
import { randomFor } from './random'

/** Finance posts each month's journal early in the month after next: last month's and this month's are still open. */
function firstOpenJournal(today: string): string {
  const { year, month } = dateParts(today)
  const m = month === 1 ? 12 : month - 1
  return `${month === 1 ? year - 1 : year}-${String(m).padStart(2, '0')}-01`
}
/** Rows per INSERT. */
const CHUNK = 500

/** Bills the seeded orders as the authority would have, up to `today`, and records the payments that would have come in by then. */
export async function seedBillingHistory(trx: Kysely<Database>, today: string): Promise<{ invoices: number; payments: number }> {
  const authorities = await trx.selectFrom('authorities').select(['id', 'slug']).orderBy('slug').execute()
  let invoices = 0
  let payments = 0
  for (const authority of authorities) {
    for (const { day, orderIds } of await billingDays(trx, authority.id, today)) {
      // History: nothing is emailed, and the demo's Stripe is not in use.
      const billed = await billOrders(trx, authority.id, { orderIds, asOf: day, now: new Date(`${day}T09:00:00Z`), notify: false, stripe: false })
      invoices += billed.invoiceIds.length
    }
    await seedCorrections(trx, authority.id, today)
    const journal = await postJournals(trx, authority.id, today)
    await applyPayments(trx, journal)
    const academies = await payAcademyInvoices(trx, authority.id, today)
    await applyPayments(trx, academies)
    payments += journal.length + academies.length
  }
  return { invoices, payments }
}

/**
 * The days up to today on which the hourly billing job would have issued
 * something for the seeded orders, each with the orders it would have
 * billed: the day each charge fell due (by the domain's rules), and the day
 * each line was cancelled (its credits).
 */
async function billingDays(trx: Kysely<Database>, authorityId: string, today: string): Promise<{ day: string; orderIds: string[] }[]> {
  const ordersByDay = new Map<string, Set<string>>()
  const add = (day: string, orderId: string) => ordersByDay.set(day, (ordersByDay.get(day) ?? new Set()).add(orderId))
  for (const line of await billableLines(trx, authorityId)) {
    // A pooled block is shared out to its cluster's members on the day it settles.
    const settles = line.clusterId ? blockSettlesOn(line, today) : null
    if (settles) add(settles, line.orderId)
    for (const charge of chargesDue(line, today)) add(charge.issueOn, line.orderId)
    if (line.status === 'cancelled' && line.cancelledOn !== null && line.cancelledOn <= today) add(line.cancelledOn, line.orderId)
  }
  return [...ordersByDay].sort(([a], [b]) => a.localeCompare(b)).map(([day, orderIds]) => ({ day, orderIds: [...orderIds].sort() }))
}

type NewPayment = {
  row: Insertable<Database['payments']> & { id: string }
  settles: { invoice: OpenInvoice; amount: number }[]
  at: Date
}

async function postJournals(trx: Kysely<Database>, authorityId: string, today: string): Promise<NewPayment[]> {
  const finance = await trx
    .selectFrom('users as u')
    .innerJoin('user_roles as r', (j) => j.onRef('r.authority_id', '=', 'u.authority_id').onRef('r.user_id', '=', 'u.id'))
    .select('u.id')
    .where('u.authority_id', '=', authorityId)
    .where('r.role', '=', 'finance')
    .orderBy('u.email')
    .executeTakeFirst()
  const journals = await trx
    .selectFrom('recharge_journals')
    .select(['id', 'month'])
    .where('authority_id', '=', authorityId)
    .where('month', '<', firstOpenJournal(today))
    .orderBy('month')
    .execute()
  const open = await openInvoices(trx, authorityId)
  const payments: NewPayment[] = []
  for (const journal of journals) {
    const postedOn = addDays(nextMonth(journal.month), 4)
    const postedAt = new Date(`${postedOn}T10:00:00Z`)
    await trx
      .updateTable('recharge_journals')
      .set({ status: 'posted', posted_at: postedAt, posted_by: finance?.id ?? null })
      .where('authority_id', '=', authorityId)
      .where('id', '=', journal.id)
      .execute()
    const owing = open.filter((i) => i.journal_id === journal.id && i.outstanding > 0)
    const total = owing.reduce((n, i) => n + i.outstanding, 0)
    if (total === 0) continue
    payments.push({
      row: {
        id: randomUUID(),
        authority_id: authorityId,
        method: 'journal',
        amount_pence: total,
        received_on: postedOn,
        reference: `Recharge journal ${journal.month.slice(0, 7)}`,
        journal_id: journal.id,
        recorded_by: finance?.id ?? null,
      },
      settles: owing.map((invoice) => ({ invoice, amount: invoice.outstanding })),
      at: postedAt,
    })
  }
  return payments
}

/**
 * How likely an academy's invoice is to have been paid by now: nearly all
 * of last year's, most of this year's overdue ones, some early payers.
 */
function academyPayment(invoice: OpenInvoice, today: string): NewPayment | null {
  const random = randomFor(`billing/${invoice.number}`)
  const issuedOn = invoice.issued_at.toISOString().slice(0, 10)
  const daysOverdue = daysBetween(invoice.due_on, today)
  const r = random.float()
  let amount = 0
  if (daysOverdue > 0) {
    const paidShare = daysOverdue > 120 ? 0.96 : daysOverdue > 60 ? 0.85 : 0.72
    if (r < paidShare) amount = invoice.outstanding
    else if (r < paidShare + 0.08) amount = Math.floor(invoice.outstanding / 2)
  } else if (r < 0.3) {
    amount = invoice.outstanding
  }
  if (amount <= 0) return null
  const paidOn = minDay(addDays(issuedOn, daysOverdue > 0 ? random.int(7, 35) : random.int(3, 20)), addDays(today, -1))
  return {
    row: {
      id: randomUUID(),
      authority_id: invoice.authority_id,
      school_id: invoice.school_id,
      method: 'bacs',
      amount_pence: amount,
      received_on: paidOn,
      reference: `BACS ${invoice.urn} ${invoice.number}`,
    },
    settles: [{ invoice, amount }],
    at: new Date(`${paidOn}T12:00:00Z`),
  }
}

async function payAcademyInvoices(trx: Kysely<Database>, authorityId: string, today: string): Promise<NewPayment[]> {
  const owing = (await openInvoices(trx, authorityId)).filter((i) => i.route === 'invoice' && i.outstanding > 0)
  const payments = owing.map((invoice) => academyPayment(invoice, today)).filter((p): p is NewPayment => p !== null)
  // The school of an invoice left owing, so that finance has something to allocate the remittance to.
  const paidInFull = new Set(payments.flatMap((p) => p.settles.filter((s) => s.amount >= s.invoice.outstanding).map((s) => s.invoice.id)))
  const ofSchools = owing.filter((i) => i.school_id !== null)
  const first = ofSchools.find((i) => !paidInFull.has(i.id)) ?? ofSchools[0]
  if (first) {
    // A remittance that quoted no invoice: finance has yet to match it.
    payments.push({
      row: {
        id: randomUUID(),
        authority_id: authorityId,
        school_id: first.school_id,
        method: 'bacs',
        amount_pence: 123_400,
        received_on: addDays(today, -4),
        reference: `BACS ${first.urn} NO INVOICE QUOTED`,
        note: 'The remittance advice did not say which invoice this pays.',
      },
      settles: [],
      at: new Date(`${addDays(today, -4)}T12:00:00Z`),
    })
  }
  return payments
}

/**
 * Corrections: a few academies' invoices partly or wholly credited, the way
 * finance corrects an issued invoice (issueCreditNote), in both years.
 */
async function seedCorrections(trx: Kysely<Database>, authorityId: string, today: string): Promise<number> {
  const candidates = (await openInvoices(trx, authorityId)).filter(
    (i) => i.route === 'invoice' && i.school_id !== null && i.amount_paid_pence === 0 && i.gross_pence >= 20_000,
  )
  let count = 0
  const thisYear = tradingYearOf(new Date(`${today}T12:00:00Z`))
  for (const year of [thisYear - 1, thisYear]) {
    const ofYear = candidates.filter((i) => i.trading_year === year)
    const picks = [ofYear[Math.floor(ofYear.length / 3)], ofYear[Math.floor((2 * ofYear.length) / 3)]].filter(
      (i): i is OpenInvoice => i !== undefined,
    )
    for (const [n, invoice] of picks.entries()) {
      const full = n === 0
      const issuedOn = addDays(invoice.issued_at.toISOString().slice(0, 10), 9)
      await issueCreditNote(trx, authorityId, invoice.id, {
        grossPence: full ? invoice.gross_pence : Math.round(invoice.gross_pence / 10),
        reason: full
          ? 'Correction: this invoice repeated one already issued for the same order.'
          : 'Correction: 10% goodwill reduction agreed with the service lead after a rescheduled visit.',
        actorUserId: null,
        now: new Date(`${minDay(issuedOn, today)}T11:00:00Z`),
        notify: false,
        stripe: false,
      })
      count += 1
    }
  }
  return count
}

/** Inserts payments and their allocations, and settles the invoices, in a few statements. */
async function applyPayments(trx: Kysely<Database>, payments: NewPayment[]): Promise<void> {
  for (let i = 0; i < payments.length; i += CHUNK) {
    await trx
      .insertInto('payments')
      .values(payments.slice(i, i + CHUNK).map((p) => p.row))
      .execute()
  }
  const allocations = payments.flatMap((p) =>
    p.settles.map((s) => ({
      authority_id: s.invoice.authority_id,
      payment_id: p.row.id,
      invoice_id: s.invoice.id,
      amount_pence: s.amount,
      at: p.at,
      invoice: s.invoice,
    })),
  )
  for (let i = 0; i < allocations.length; i += CHUNK) {
    const chunk = allocations.slice(i, i + CHUNK)
    await trx
      .insertInto('payment_allocations')
      .values(chunk.map(({ authority_id, payment_id, invoice_id, amount_pence }) => ({ authority_id, payment_id, invoice_id, amount_pence })))
      .execute()
    const updates = chunk.map((a) => {
      const paid = a.invoice.amount_paid_pence + a.amount_pence
      const status = settledStatus(a.invoice.status, {
        grossPence: a.invoice.gross_pence,
        amountPaidPence: paid,
        amountCreditedPence: a.invoice.amount_credited_pence,
      })
      return sql`(${a.authority_id}::uuid, ${a.invoice_id}::uuid, ${paid}::bigint, ${status}::text, ${status === 'paid' ? a.at : null}::timestamptz)`
    })
    await sql`
      update invoices i set amount_paid_pence = v.paid, status = v.status, paid_at = v.paid_at
      from (values ${sql.join(updates)}) as v(authority_id, id, paid, status, paid_at)
      where i.authority_id = v.authority_id and i.id = v.id`.execute(trx)
  }
}

type OpenInvoice = {
  authority_id: string
  trading_year: number
  id: string
  number: string
  route: string
  status: InvoiceStatus
  /** Null on a trust's consolidated invoice (paid by the trust). */
  school_id: string | null
  /** The school's URN, or the trust's name on its consolidated invoice. */
  urn: string
  journal_id: string | null
  issued_at: Date
  due_on: string
  gross_pence: number
  amount_paid_pence: number
  amount_credited_pence: number
  outstanding: number
}

async function openInvoices(trx: Kysely<Database>, authorityId: string): Promise<OpenInvoice[]> {
  const rows = await trx
    .selectFrom('invoices as i')
    .leftJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'i.authority_id').onRef('s.id', '=', 'i.school_id'))
    .leftJoin('trusts as t', (j) => j.onRef('t.authority_id', '=', 'i.authority_id').onRef('t.id', '=', 'i.trust_id'))
    .select([
      'i.authority_id',
      'i.trading_year',
      'i.id',
      'i.number',
      'i.route',
      'i.status',
      'i.school_id',
      sql<string>`coalesce(s.urn, upper(replace(t.name, ' ', '-')))`.as('urn'),
      'i.journal_id',
      'i.issued_at',
      'i.due_on',
      'i.gross_pence',
      'i.amount_paid_pence',
      'i.amount_credited_pence',
    ])
    .where('i.authority_id', '=', authorityId)
    .where('i.status', '=', 'open')
    .orderBy('i.sequence_number')
    .execute()
  return rows.map((r) => ({
    ...r,
    status: r.status as InvoiceStatus,
    issued_at: new Date(r.issued_at),
    outstanding: outstandingPence({ grossPence: r.gross_pence, amountPaidPence: r.amount_paid_pence, amountCreditedPence: r.amount_credited_pence }),
  }))
}

function minDay(a: string, b: string): string {
  return a < b ? a : b
}
