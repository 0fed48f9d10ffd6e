import { createHash, randomUUID } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import type { DB } from '../../../db/connection'
import type { Database, FinanceRoute, InvoiceSchedule, StripeSyncStatus } from '../../../db/schema'
import { ukDate } from '../../domain/dates'
import { clock } from '../../utils/clock'
import {
  chargesDue,
  creditNoteNumber,
  dueOn,
  financeRouteOn,
  groupIntoInvoices,
  invoiceNumber,
  monthOf,
  monthLabel,
  settledStatus,
  type BillableLine,
  type Charge,
  type InvoiceStatus,
} from '../../domain/invoicing'
import { enqueue } from '../../utils/jobs.server'
import { isStripeConfigured } from '../../utils/stripe.server'
import { emailCreditNoteIssued, emailInvoiceIssued } from './billing-emails.server'
import { takeNumbers } from './numbering.server'
import { openJournals } from './open-journals.server'

/**
 * Issuing invoices and credit notes (issue 5; docs/decisions/0009).
 *
 * `billOrders` works out, with the pure rules of app/domain/invoicing.ts,
 * what each order's lines owe by a day and what cancelled lines must have
 * credited, and issues whatever is not yet issued, in one transaction per
 * batch of orders:
 *
 * - the orders are locked (FOR UPDATE) so that two runs for one order wait
 *   for each other, and every charge and credit has a key with a unique
 *   index, so nothing is ever invoiced or credited twice;
 * - numbers come from the authority's counter row, incremented in the same
 *   transaction (consecutive, no gaps: a rolled-back run gives its numbers
 *   back);
 * - academies' invoices get a `stripe-sync-invoice` job (or are marked
 *   "Stripe not configured"), maintained schools' go in the month's recharge
 *   journal; the school is emailed. The jobs and emails are written in the
 *   same transaction, so they exist if and only if the invoice does.
 *
 * It runs after orders are confirmed or cancelled (a `bill-order` job) and
 * every hour for everything (termly instalments, monthly delivery, anything
 * missed), so an invoice is never lost if a job is.
 */

type Trx = Kysely<Database>

export type BillingResult = { invoiceIds: string[]; creditNoteIds: string[] }

export type BillOptions = {
  /** Only these orders (all the authority's orders with billable lines otherwise). */
  orderIds?: readonly string[]
  /** Charges due on or before this UK day ('YYYY-MM-DD'); today by default. */
  asOf?: string
  /** The moment of issue (now by default). */
  now?: Date
  /**
   * The seed's history: date each document on the day it fell due rather
   * than today, and send nothing (no emails, no Stripe).
   */
  backdate?: boolean
}

/** Orders per transaction when billing everything. */
const BATCH = 200
/** Rows per INSERT. */
const CHUNK = 500

/** Issues everything due for the authority's orders. */
export async function billOrders(db: DB, authorityId: string, options: BillOptions = {}): Promise<BillingResult> {
  const now = options.now ?? clock.now()
  const asOf = options.asOf ?? ukDate(now)
  // Given a transaction (the seed), work inside it.
  const inTransaction = <T>(fn: (trx: Trx) => Promise<T>) => (db.isTransaction ? fn(db) : db.transaction().execute(fn))
  if (options.backdate) {
    // Numbering follows issue dates across the whole history: one run, over
    // the given orders or all of the authority's.
    return inTransaction((trx) => billInTransaction(trx, authorityId, options.orderIds ?? 'all', { ...options, asOf, now }))
  }
  const orderIds = options.orderIds ?? (await ordersWithBillableLines(db, authorityId))
  const result: BillingResult = { invoiceIds: [], creditNoteIds: [] }
  for (let i = 0; i < orderIds.length; i += BATCH) {
    const batch = orderIds.slice(i, i + BATCH)
    const r = await inTransaction((trx) => billInTransaction(trx, authorityId, batch, { ...options, asOf, now }))
    result.invoiceIds.push(...r.invoiceIds)
    result.creditNoteIds.push(...r.creditNoteIds)
  }
  return result
}

async function ordersWithBillableLines(db: DB, authorityId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('order_lines')
    .select('order_id')
    .distinct()
    .where('authority_id', '=', authorityId)
    .where('status', 'in', ['confirmed', 'completed', 'cancelled'])
    .orderBy('order_id')
    .execute()
  return rows.map((r) => r.order_id)
}

type LoadedLine = BillableLine & { schoolId: string }

async function billInTransaction(
  trx: Trx,
  authorityId: string,
  orderIds: readonly string[] | 'all',
  options: BillOptions & { asOf: string; now: Date },
): Promise<BillingResult> {
  if (orderIds.length === 0) return { invoiceIds: [], creditNoteIds: [] }
  // 'all' (the seed): filter by authority only, rather than by thousands of ids.
  const some = orderIds !== 'all'
  await sql`set local lock_timeout = '10s'`.execute(trx)
  const orders = await trx
    .selectFrom('orders')
    .select(['id', 'school_id', 'po_number', 'reference'])
    .where('authority_id', '=', authorityId)
    .$if(some, (q) => q.where('id', 'in', orderIds as readonly string[]))
    .orderBy('id')
    .forUpdate()
    .execute()
  if (orders.length === 0) return { invoiceIds: [], creditNoteIds: [] }
  const orderById = new Map(orders.map((o) => [o.id, o]))
  const lockedIds = orders.map((o) => o.id)

  const lineRows = await trx
    .selectFrom('order_lines as l')
    .innerJoin('offers as f', (j) => j.onRef('f.authority_id', '=', 'l.authority_id').onRef('f.id', '=', 'l.offer_id'))
    .innerJoin('services as sv', (j) => j.onRef('sv.authority_id', '=', 'f.authority_id').onRef('sv.id', '=', 'f.service_id'))
    .select([
      'l.id',
      'l.order_id',
      'l.status',
      'l.trading_year',
      'l.quantity',
      'l.unit_price_pence',
      'l.net_pence',
      'l.vat_rate_basis_points',
      'l.vat_pence',
      'l.confirmed_at',
      'l.cancelled_at',
      'l.cancellation_fee_pence',
      'f.invoice_schedule',
      'f.name as offer_name',
      'sv.id as service_id',
      'sv.name as service_name',
    ])
    .where('l.authority_id', '=', authorityId)
    .$if(some, (q) => q.where('l.order_id', 'in', lockedIds))
    .where('l.status', 'in', ['confirmed', 'completed', 'cancelled'])
    .execute()
  if (lineRows.length === 0) return { invoiceIds: [], creditNoteIds: [] }
  const lineIds = lineRows.map((l) => l.id)

  const onDelivery = lineRows.filter((l) => l.invoice_schedule === 'on_delivery').map((l) => l.id)
  const deliveries = onDelivery.length
    ? await trx
        .selectFrom('delivery_records')
        .select(['order_line_id', 'delivered_on', 'units'])
        .where('authority_id', '=', authorityId)
        .where('order_line_id', 'in', onDelivery)
        .execute()
    : []
  const deliveriesByLine = new Map<string, { deliveredOn: string; units: number }[]>()
  for (const d of deliveries) {
    const list = deliveriesByLine.get(d.order_line_id) ?? []
    list.push({ deliveredOn: d.delivered_on, units: Number(d.units) })
    deliveriesByLine.set(d.order_line_id, list)
  }

  const lines: LoadedLine[] = lineRows.map((l) => ({
    id: l.id,
    orderId: l.order_id,
    schoolId: orderById.get(l.order_id)!.school_id,
    serviceId: l.service_id,
    description: `${l.service_name}: ${l.offer_name}`,
    schedule: l.invoice_schedule as InvoiceSchedule,
    status: l.status,
    tradingYear: l.trading_year,
    quantity: l.quantity,
    unitPricePence: l.unit_price_pence,
    netPence: l.net_pence,
    vatRateBasisPoints: l.vat_rate_basis_points,
    vatPence: l.vat_pence,
    confirmedOn: l.confirmed_at ? ukDate(new Date(l.confirmed_at)) : null,
    cancelledOn: l.cancelled_at ? ukDate(new Date(l.cancelled_at)) : null,
    cancellationFeePence: l.cancellation_fee_pence,
    deliveries: deliveriesByLine.get(l.id) ?? [],
  }))
  const lineById = new Map(lines.map((l) => [l.id, l]))

  const issuedKeys = new Set(
    (
      await trx
        .selectFrom('invoice_lines')
        .select('charge_key')
        .where('authority_id', '=', authorityId)
        .$if(some, (q) => q.where('order_line_id', 'in', lineIds))
        .where('charge_key', 'is not', null)
        .execute()
    ).map((r) => r.charge_key as string),
  )
  const charges: Charge[] = lines.flatMap((l) => chargesDue(l, options.asOf)).filter((c) => !issuedKeys.has(c.key))

  const authority = await trx
    .selectFrom('authorities')
    .select(['invoice_prefix', 'name', 'contact_email'])
    .where('id', '=', authorityId)
    .executeTakeFirstOrThrow()
  const schoolIds = [...new Set(lines.map((l) => l.schoolId))]
  const schools = new Map(
    (
      await trx
        .selectFrom('schools')
        .select(['id', 'name', 'email', 'finance_route', 'converted_to_academy_on'])
        .where('authority_id', '=', authorityId)
        .where('id', 'in', schoolIds)
        .execute()
    ).map((s) => [s.id, s]),
  )
  const stripeReady = !options.backdate && isStripeConfigured()
  const send = !options.backdate

  // Invoices -----------------------------------------------------------------
  const drafts = groupIntoInvoices(charges)
  const invoiceIds: string[] = []
  if (drafts.length > 0) {
    const first = await takeNumbers(trx, authorityId, 'invoice', drafts.length)
    const planned = drafts.map((draft, i) => {
      const order = orderById.get(draft.orderId)!
      const school = schools.get(order.school_id)!
      const issueOn = options.backdate ? draft.issueOn : options.asOf
      const route = financeRouteOn({ financeRoute: school.finance_route, convertedToAcademyOn: school.converted_to_academy_on }, issueOn)
      const journalMonth = route === 'internal_recharge' ? monthOf(issueOn) : null
      const stripeStatus: StripeSyncStatus = route === 'invoice' ? (stripeReady ? 'pending' : 'not_configured') : 'not_applicable'
      return {
        id: randomUUID(),
        draft,
        order,
        school,
        issueOn,
        route,
        journalMonth,
        journalId: null as string | null,
        stripeStatus,
        sequence: first + i,
        number: invoiceNumber(authority.invoice_prefix, first + i),
      }
    })
    const journals = await openJournals(trx, authorityId, planned.map((p) => p.journalMonth).filter((m): m is string => m !== null))
    for (const p of planned) {
      // The month's journal, or a later one if finance has posted it.
      if (!p.journalMonth) continue
      const journal = journals.get(p.journalMonth)!
      p.journalMonth = journal.month
      p.journalId = journal.id
    }
    const invoiceRows = planned.map((p) => ({
      authority_id: authorityId,
      id: p.id,
      number: p.number,
      sequence_number: p.sequence,
      school_id: p.school.id,
      order_id: p.order.id,
      route: p.route,
      status: 'open' as const,
      trading_year: lineById.get(p.draft.charges[0]!.lineId)!.tradingYear,
      instalment: p.draft.instalment,
      billing_month: p.draft.billingMonth,
      issued_at: options.backdate ? new Date(`${p.issueOn}T09:00:00Z`) : options.now,
      due_on: dueOn(p.route, p.issueOn, p.journalMonth ?? undefined),
      net_pence: p.draft.netPence,
      vat_pence: p.draft.vatPence,
      gross_pence: p.draft.grossPence,
      po_number: p.order.po_number,
      journal_id: p.journalId,
      stripe_status: p.stripeStatus,
      period_label: periodLabel(p.draft.charges),
    }))
    const lineRows = planned.flatMap((p) =>
      p.draft.charges.map((c) => ({
        authority_id: authorityId,
        invoice_id: p.id,
        order_line_id: c.lineId,
        service_id: c.serviceId,
        description: c.description,
        quantity: c.quantity,
        unit_price_pence: c.unitPricePence,
        net_pence: c.netPence,
        vat_rate_basis_points: c.vatRateBasisPoints,
        vat_pence: c.vatPence,
        gross_pence: c.netPence + c.vatPence,
        charge_key: c.key,
      })),
    )
    for (let i = 0; i < invoiceRows.length; i += CHUNK) await trx.insertInto('invoices').values(invoiceRows.slice(i, i + CHUNK)).execute()
    for (let i = 0; i < lineRows.length; i += CHUNK) await trx.insertInto('invoice_lines').values(lineRows.slice(i, i + CHUNK)).execute()
    for (const p of planned) {
      invoiceIds.push(p.id)
      if (p.stripeStatus === 'pending') {
        await enqueue(trx, 'stripe-sync-invoice', { authorityId, invoiceId: p.id }, { idempotencyKey: `invoice-${p.id}` })
      }
      if (send) {
        await emailInvoiceIssued(trx, authorityId, { name: authority.name, contactEmail: authority.contact_email }, p.school, {
          id: p.id,
          number: p.number,
          order: p.order,
          grossPence: p.draft.grossPence,
          vatPence: p.draft.vatPence,
          dueOn: dueOn(p.route, p.issueOn, p.journalMonth ?? undefined),
          route: p.route,
          journalMonth: p.journalMonth,
          lines: p.draft.charges.map((c) => ({ description: c.description, grossPence: c.netPence + c.vatPence })),
        })
      }
    }
  }

  // Credit notes for cancelled lines ----------------------------------------
  const cancelledIds = lines.filter((l) => l.status === 'cancelled').map((l) => l.id)
  const creditNoteIds: string[] = []
  if (cancelledIds.length > 0) {
    const toCredit = await trx
      .selectFrom('invoice_lines as il')
      .innerJoin('invoices as i', (j) => j.onRef('i.authority_id', '=', 'il.authority_id').onRef('i.id', '=', 'il.invoice_id'))
      .leftJoin('credit_notes as cn', (j) =>
        j.onRef('cn.authority_id', '=', 'il.authority_id').onRef('cn.invoice_line_id', '=', 'il.id'),
      )
      .select([
        'il.id',
        'il.order_line_id',
        'il.description',
        'il.net_pence',
        'il.vat_pence',
        'il.gross_pence',
        'il.charge_key',
        'i.id as invoice_id',
        'i.number as invoice_number',
        'i.school_id',
        'i.order_id',
        'i.route',
        'i.status',
        'i.stripe_status',
        'i.sequence_number',
      ])
      .where('il.authority_id', '=', authorityId)
      .where('il.order_line_id', 'in', cancelledIds)
      .where('cn.id', 'is', null)
      .where('i.status', '!=', 'void')
      .orderBy('i.sequence_number')
      .orderBy('il.id')
      .execute()
    const credits = toCredit.filter((c) => !c.charge_key?.endsWith(':late-fee'))
    if (credits.length > 0) {
      const issueDayOf = (c: (typeof credits)[number]) =>
        options.backdate ? (lineById.get(c.order_line_id!)!.cancelledOn ?? options.asOf) : options.asOf
      // Journals first (as posting takes them before their invoices), then
      // the invoices being credited, in a fixed order.
      const journals = await openJournals(
        trx,
        authorityId,
        credits.filter((c) => c.route === 'internal_recharge').map((c) => monthOf(issueDayOf(c))),
      )
      const invoiceIdsToLock = [...new Set(credits.map((c) => c.invoice_id))]
      await trx
        .selectFrom('invoices')
        .select('id')
        .where('authority_id', '=', authorityId)
        .where('id', 'in', invoiceIdsToLock)
        .orderBy('id')
        .forUpdate()
        .execute()
      let sequence = await takeNumbers(trx, authorityId, 'credit_note', credits.length)
      for (const c of credits) {
        const issueOn = issueDayOf(c)
        const journal = c.route === 'internal_recharge' ? journals.get(monthOf(issueOn))! : null
        const journalMonth = journal?.month ?? null
        const journalId = journal?.id ?? null
        const stripeStatus: StripeSyncStatus =
          c.route === 'invoice' ? (stripeReady && c.stripe_status !== 'not_configured' ? 'pending' : 'not_configured') : 'not_applicable'
        const number = creditNoteNumber(authority.invoice_prefix, sequence)
        sequence += 1
        const note = await trx
          .insertInto('credit_notes')
          .values({
            authority_id: authorityId,
            number,
            sequence_number: sequence - 1,
            invoice_id: c.invoice_id,
            invoice_line_id: c.id,
            credit_key: `credit:${c.id}`,
            reason: `Cancelled: ${c.description}`,
            net_pence: c.net_pence,
            vat_pence: c.vat_pence,
            gross_pence: c.gross_pence,
            issued_at: options.backdate ? new Date(`${issueOn}T10:00:00Z`) : options.now,
            journal_id: journalId,
            stripe_status: stripeStatus,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
        creditNoteIds.push(note.id)
        await applyCredit(trx, authorityId, c.invoice_id, c.gross_pence)
        if (stripeStatus === 'pending') {
          await enqueue(trx, 'stripe-sync-credit-note', { authorityId, creditNoteId: note.id }, { idempotencyKey: `credit-note-${note.id}` })
        }
        if (send) {
          await emailCreditNoteIssued(trx, authorityId, { name: authority.name, contactEmail: authority.contact_email }, schools.get(c.school_id)!, {
            id: note.id,
            number,
            invoice: { number: c.invoice_number, route: c.route, orderId: c.order_id },
            grossPence: c.gross_pence,
            reason: `Cancelled: ${c.description}`,
            journalMonth,
          })
        }
      }
    }
  }
  return { invoiceIds, creditNoteIds }
}

/** Adds a credit to an invoice (already locked) and settles its status. */
export async function applyCredit(trx: Trx, authorityId: string, invoiceId: string, grossPence: number): Promise<void> {
  const invoice = await trx
    .selectFrom('invoices')
    .select(['status', 'gross_pence', 'amount_paid_pence', 'amount_credited_pence'])
    .where('authority_id', '=', authorityId)
    .where('id', '=', invoiceId)
    .executeTakeFirstOrThrow()
  const credited = Math.min(invoice.gross_pence, invoice.amount_credited_pence + grossPence)
  const status = settledStatus(invoice.status as InvoiceStatus, {
    grossPence: invoice.gross_pence,
    amountPaidPence: invoice.amount_paid_pence,
    amountCreditedPence: credited,
  })
  await trx
    .updateTable('invoices')
    .set({ amount_credited_pence: credited, status })
    .where('authority_id', '=', authorityId)
    .where('id', '=', invoiceId)
    .execute()
}

function periodLabel(charges: readonly Charge[]): string | null {
  const first = charges[0]
  if (!first) return null
  if (first.billingMonth && charges.every((c) => c.billingMonth === first.billingMonth)) return `Delivered in ${monthLabel(first.billingMonth)}`
  if (first.instalment && charges.every((c) => c.instalment === first.instalment)) return `Instalment ${first.instalment} of 3`
  return null
}

/**
 * Queues billing for an order whose lines were just confirmed or cancelled,
 * in the caller's transaction (so it exists if and only if they were).
 */
export async function queueBilling(
  trx: Trx,
  authorityId: string,
  orderId: string,
  event: 'confirmed' | 'promoted' | 'cancelled',
  lineIds: readonly string[],
): Promise<void> {
  const lines = createHash('sha256').update([...lineIds].sort().join(',')).digest('hex').slice(0, 24)
  await enqueue(trx, 'bill-order', { authorityId, orderId }, { idempotencyKey: `${orderId}:${event}:${lines}` })
}

export type { FinanceRoute }

export type CreditNoteResult =
  | { ok: true; creditNoteId: string; number: string }
  | { ok: false; notFound: true }
  | { ok: false; tooMuch: true; creditablePence: number }

/**
 * A correction: a credit note for part or all of an issued invoice (which is
 * never edited). The VAT credited is in the invoice's own proportion. In one
 * transaction with the invoice locked: the number, the credit note, the
 * invoice's credited amount and status, the Stripe job and the email.
 */
export async function issueCreditNote(
  db: DB,
  authorityId: string,
  invoiceId: string,
  input: { grossPence: number; reason: string; actorUserId: string | null; now?: Date; backdate?: boolean },
): Promise<CreditNoteResult> {
  const now = input.now ?? clock.now()
  const run = async (trx: Trx): Promise<CreditNoteResult> => {
    const issueOn = ukDate(now)
    // The journal before the invoice, in the order posting takes them.
    const unlocked = await trx.selectFrom('invoices').select('route').where('authority_id', '=', authorityId).where('id', '=', invoiceId).executeTakeFirst()
    const journal = unlocked?.route === 'internal_recharge' ? (await openJournals(trx, authorityId, [monthOf(issueOn)])).get(monthOf(issueOn))! : null
    const invoice = await trx
      .selectFrom('invoices as i')
      .innerJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'i.authority_id').onRef('s.id', '=', 'i.school_id'))
      .innerJoin('authorities as a', 'a.id', 'i.authority_id')
      .select([
        'i.id',
        'i.number',
        'i.route',
        'i.status',
        'i.order_id',
        'i.net_pence',
        'i.vat_pence',
        'i.gross_pence',
        'i.amount_credited_pence',
        'i.stripe_status',
        's.id as school_id',
        's.name as school_name',
        's.email as school_email',
        'a.invoice_prefix',
        'a.name as authority_name',
        'a.contact_email',
      ])
      .where('i.authority_id', '=', authorityId)
      .where('i.id', '=', invoiceId)
      .forUpdate('i')
      .executeTakeFirst()
    if (!invoice || invoice.status === 'void') return { ok: false, notFound: true }
    const creditable = invoice.gross_pence - invoice.amount_credited_pence
    if (!Number.isSafeInteger(input.grossPence) || input.grossPence <= 0 || input.grossPence > creditable) {
      return { ok: false, tooMuch: true, creditablePence: creditable }
    }
    const vat = invoice.gross_pence > 0 ? Math.round((input.grossPence * invoice.vat_pence) / invoice.gross_pence) : 0
    const sequence = await takeNumbers(trx, authorityId, 'credit_note', 1)
    const number = creditNoteNumber(invoice.invoice_prefix, sequence)
    const journalMonth = journal?.month ?? null
    const stripeStatus: StripeSyncStatus =
      invoice.route !== 'invoice' ? 'not_applicable' : !input.backdate && isStripeConfigured() && invoice.stripe_status !== 'not_configured' ? 'pending' : 'not_configured'
    const note = await trx
      .insertInto('credit_notes')
      .values({
        authority_id: authorityId,
        number,
        sequence_number: sequence,
        invoice_id: invoice.id,
        reason: input.reason,
        net_pence: input.grossPence - vat,
        vat_pence: vat,
        gross_pence: input.grossPence,
        issued_at: now,
        issued_by: input.actorUserId,
        journal_id: journal?.id ?? null,
        stripe_status: stripeStatus,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await applyCredit(trx, authorityId, invoice.id, input.grossPence)
    if (stripeStatus === 'pending') {
      await enqueue(trx, 'stripe-sync-credit-note', { authorityId, creditNoteId: note.id }, { idempotencyKey: `credit-note-${note.id}` })
    }
    if (!input.backdate) {
      await emailCreditNoteIssued(
        trx,
        authorityId,
        { name: invoice.authority_name, contactEmail: invoice.contact_email },
        { id: invoice.school_id, name: invoice.school_name, email: invoice.school_email },
        {
          id: note.id,
          number,
          invoice: { number: invoice.number, route: invoice.route, orderId: invoice.order_id },
          grossPence: input.grossPence,
          reason: input.reason,
          journalMonth,
        },
      )
    }
    return { ok: true, creditNoteId: note.id, number }
  }
  return db.isTransaction ? run(db) : db.transaction().execute(run)
}
