import { sql } from 'kysely'
import type { DB } from '../../../db/connection'
import { agedDebt } from '../../domain/finance'
import { AGE_BANDS, outstandingPence, type AgeBand } from '../../domain/invoicing'
import { closingEvent, statementLedger, type LedgerEntry, type LedgerEvent, type StatementEntryKind } from '../../domain/statement'
import { firstDayOfTradingYear, lastDayOfTradingYear } from '../../domain/trading-year'

/**
 * A school's statement of account (issue 15 item 2, docs/decisions/0025):
 * what it owed at the start of a period, then day by day the invoices, credit
 * notes, payments (as allocated to its invoices), refunds, write-offs and
 * voids, with a running balance, the closing balance, and the ageing of what
 * is open by finance's own rule (agedDebt). The page and the PDF both read it.
 *
 * Each invoice's entries add up to what it still owes: its gross, less its
 * credit notes, less the payments allocated to it, plus what was paid back,
 * less what was written off or voided. So the closing balance on a day is
 * the school's aged debt on that day.
 */

export type { StatementEntryKind }
export type StatementEntry = LedgerEntry

export type Statement = {
  authority: { name: string; address: string | null }
  school: { name: string; urn: string }
  tradingYear: number
  from: string
  to: string
  openingBalancePence: number
  entries: StatementEntry[]
  closingBalancePence: number
  /** What is open on `ageingAsOf`, by finance's age bands. */
  ageingAsOf: string
  ageing: { band: AgeBand; label: string; pence: number }[]
  ageingTotalPence: number
  /** Payments received but not yet matched to an invoice (not in the balance). */
  onAccountPence: number
}

const METHOD_NAMES = { stripe: 'card or Direct Debit', bacs: 'BACS', journal: 'internal recharge journal', manual: 'recorded by finance' } as const

const ukDay = (column: string) => sql<string>`to_char(${sql.ref(column)} at time zone 'Europe/London', 'YYYY-MM-DD')`
const day = (column: string) => sql<string>`to_char(${sql.ref(column)}, 'YYYY-MM-DD')`

/** Everything a school's statement is made of: its invoices, and the credit notes, allocated payments and refunds on them. */
async function statementRows(db: DB, authorityId: string, schoolId: string) {
  const [invoices, credits, allocations, refunds, onAccount] = await Promise.all([
    db
      .selectFrom('invoices')
      .select([
        'id',
        'number',
        'status',
        'gross_pence',
        'amount_paid_pence',
        'amount_credited_pence',
        'period_label',
        day('due_on').as('due_on'),
        ukDay('issued_at').as('issued_on'),
        ukDay('voided_at').as('voided_on'),
        ukDay('written_off_at').as('written_off_on'),
      ])
      .where('authority_id', '=', authorityId)
      .where('school_id', '=', schoolId)
      .execute(),
    db
      .selectFrom('credit_notes as c')
      .innerJoin('invoices as i', (j) => j.onRef('i.id', '=', 'c.invoice_id').onRef('i.authority_id', '=', 'c.authority_id'))
      .select(['c.number', 'c.gross_pence', 'c.reason', 'i.id as invoice_id', 'i.number as invoice_number', ukDay('c.issued_at').as('issued_on')])
      .where('c.authority_id', '=', authorityId)
      .where('i.school_id', '=', schoolId)
      .execute(),
    db
      .selectFrom('payment_allocations as pa')
      .innerJoin('payments as p', (j) => j.onRef('p.id', '=', 'pa.payment_id').onRef('p.authority_id', '=', 'pa.authority_id'))
      .innerJoin('invoices as i', (j) => j.onRef('i.id', '=', 'pa.invoice_id').onRef('i.authority_id', '=', 'pa.authority_id'))
      .select([
        'pa.amount_pence',
        'p.method',
        'p.reference',
        'i.id as invoice_id',
        'i.number as invoice_number',
        day('p.received_on').as('received_on'),
      ])
      .where('pa.authority_id', '=', authorityId)
      .where('i.school_id', '=', schoolId)
      .execute(),
    db
      .selectFrom('refunds as r')
      .innerJoin('invoices as i', (j) => j.onRef('i.id', '=', 'r.invoice_id').onRef('i.authority_id', '=', 'r.authority_id'))
      .select(['r.amount_pence', 'r.reason', 'i.id as invoice_id', 'i.number as invoice_number', day('r.refunded_on').as('refunded_on')])
      .where('r.authority_id', '=', authorityId)
      .where('i.school_id', '=', schoolId)
      .execute(),
    db
      .selectFrom('payments as p')
      .select(
        sql<number>`coalesce(sum(p.amount_pence
          - (select coalesce(sum(a.amount_pence), 0) from payment_allocations a where a.authority_id = p.authority_id and a.payment_id = p.id)
          - (select coalesce(sum(r.amount_pence), 0) from refunds r where r.authority_id = p.authority_id and r.payment_id = p.id and r.invoice_id is null)), 0)::bigint`.as(
          'pence',
        ),
      )
      .where('p.authority_id', '=', authorityId)
      .where('p.school_id', '=', schoolId)
      .executeTakeFirst(),
  ])
  return { invoices, credits, allocations, refunds, onAccountPence: Math.max(0, Number(onAccount?.pence ?? 0)) }
}

/** The dated events of a school's invoices, for the ledger. */
function ledgerEvents({ invoices, credits, allocations, refunds }: Awaited<ReturnType<typeof statementRows>>): LedgerEvent[] {
  const raw: LedgerEvent[] = []
  for (const i of invoices) {
    const base = { invoiceId: i.id, invoiceNumber: i.number }
    raw.push({
      ...base,
      date: i.issued_on,
      kind: 'invoice',
      description: `Invoice ${i.number}${i.period_label ? ` (${i.period_label})` : ''}`,
      debitPence: i.gross_pence,
      creditPence: 0,
    })
    // What a voided or written-off invoice still owed leaves the balance on that day.
    const closing = closingEvent({
      id: i.id,
      number: i.number,
      status: i.status,
      outstandingPence: outstandingPence({
        grossPence: i.gross_pence,
        amountPaidPence: i.amount_paid_pence,
        amountCreditedPence: i.amount_credited_pence,
      }),
      voidedOn: i.voided_on,
      writtenOffOn: i.written_off_on,
    })
    if (closing) raw.push(closing)
  }
  for (const c of credits) {
    raw.push({
      invoiceId: c.invoice_id,
      invoiceNumber: c.invoice_number,
      date: c.issued_on,
      kind: 'credit_note',
      description: `Credit note ${c.number} against ${c.invoice_number}`,
      debitPence: 0,
      creditPence: c.gross_pence,
    })
  }
  for (const a of allocations) {
    const how = METHOD_NAMES[a.method]
    raw.push({
      invoiceId: a.invoice_id,
      invoiceNumber: a.invoice_number,
      date: a.received_on,
      kind: 'payment',
      description: `Payment (${how})${a.reference && !a.reference.includes(a.invoice_number) ? ` ${a.reference}` : ''} to ${a.invoice_number}`,
      debitPence: 0,
      creditPence: a.amount_pence,
    })
  }
  for (const r of refunds) {
    raw.push({
      invoiceId: r.invoice_id,
      invoiceNumber: r.invoice_number,
      date: r.refunded_on,
      kind: 'refund',
      description: `Refund to you on ${r.invoice_number}: ${r.reason}`,
      debitPence: r.amount_pence,
      creditPence: 0,
    })
  }
  return raw
}

/**
 * The statement of a school for a trading year, up to `today` (or the year's
 * last day if it has ended). Null when the school is not the authority's.
 */
export async function schoolStatement(
  db: DB,
  scope: { authorityId: string; schoolId: string },
  options: { tradingYear: number; today: string; startMonth: number },
): Promise<Statement | null> {
  const { authorityId, schoolId } = scope
  const school = await db
    .selectFrom('schools')
    .innerJoin('authorities', 'authorities.id', 'schools.authority_id')
    .select(['schools.name', 'schools.urn', 'authorities.name as authorityName', 'authorities.address'])
    .where('schools.authority_id', '=', authorityId)
    .where('schools.id', '=', schoolId)
    .executeTakeFirst()
  if (!school) return null

  const from = firstDayOfTradingYear(options.tradingYear, options.startMonth)
  const lastDay = lastDayOfTradingYear(options.tradingYear, options.startMonth)
  const to = lastDay < options.today ? lastDay : options.today

  const rows = await statementRows(db, authorityId, schoolId)
  const { invoices } = rows
  const ledger = statementLedger(ledgerEvents(rows), from, to)

  // Finance's ageing rule, on the school's invoices as they stand today.
  const aged = agedDebt(
    invoices.map((i) => ({
      schoolId,
      dueOn: i.due_on,
      status: i.status,
      grossPence: i.gross_pence,
      amountPaidPence: i.amount_paid_pence,
      amountCreditedPence: i.amount_credited_pence,
    })),
    options.today,
  )
  const row = aged.rows[0]
  return {
    authority: { name: school.authorityName, address: school.address },
    school: { name: school.name, urn: school.urn },
    tradingYear: options.tradingYear,
    from,
    to,
    ...ledger,
    ageingAsOf: options.today,
    ageing: AGE_BANDS.map((b) => ({ band: b.band, label: b.label, pence: row?.bands[b.band] ?? 0 })),
    ageingTotalPence: row?.totalPence ?? 0,
    onAccountPence: rows.onAccountPence,
  }
}

/** The trading years a school has invoices in, with the current one, newest first. */
export async function statementYears(db: DB, scope: { authorityId: string; schoolId: string }, current: number): Promise<number[]> {
  const rows = await db
    .selectFrom('invoices')
    .select('trading_year')
    .distinct()
    .where('authority_id', '=', scope.authorityId)
    .where('school_id', '=', scope.schoolId)
    .execute()
  return [...new Set([current, ...rows.map((r) => r.trading_year).filter((y) => y <= current)])].sort((a, b) => b - a)
}
