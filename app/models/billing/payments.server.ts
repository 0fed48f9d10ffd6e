import { clock } from '../../utils/clock'
import { sql } from 'kysely'
import type { DB } from '../../../db/connection'
import type { FinanceRoute, InvoiceStatus, PaymentMethod } from '../../../db/schema'
import { remittanceOrder } from '../../domain/finance'
import { allocatePayment, outstandingPence, settledStatus } from '../../domain/invoicing'
import { formatPence } from '../../domain/money'
import type { Remittance } from '../../schemas/finance'
import { formatDate } from '../../utils/format'
import { recordAudit } from '../admin/audit.server'
import { emailPaymentReceived } from './billing-emails.server'
import { type FieldErrors } from '../../schemas/common'
import type { Actor } from '../shared/actor.server'
import { advisoryLock, forUpdate } from '../../utils/locks.server'

/**
 * Payments finance records by hand (docs/product.md Payment: "a BACS remittance
 * recorded by finance"), and what is left unallocated for finance to resolve.
 */

export type OpenInvoice = {
  id: string
  number: string
  issuedAt: Date
  dueOn: string
  status: InvoiceStatus
  route: FinanceRoute
  grossPence: number
  outstandingPence: number
}

/** A school's invoices that still owe something (open or written off), oldest due first. */
export async function openInvoicesOfSchool(db: DB, authorityId: string, schoolId: string): Promise<OpenInvoice[]> {
  const rows = await db
    .selectFrom('invoices')
    .select(['id', 'number', 'issued_at', 'due_on', 'status', 'route', 'gross_pence', 'amount_paid_pence', 'amount_credited_pence'])
    .where('authority_id', '=', authorityId)
    .where('school_id', '=', schoolId)
    .where('status', 'in', ['open', 'uncollectible'])
    .orderBy('due_on')
    .orderBy('sequence_number')
    .execute()
  return rows
    .map((r) => ({
      id: r.id,
      number: r.number,
      issuedAt: r.issued_at,
      dueOn: r.due_on,
      status: r.status,
      route: r.route,
      grossPence: r.gross_pence,
      outstandingPence: outstandingPence({
        grossPence: r.gross_pence,
        amountPaidPence: r.amount_paid_pence,
        amountCreditedPence: r.amount_credited_pence,
      }),
    }))
    .filter((i) => i.outstandingPence > 0)
}

/** The authority's schools for the remittance form: name and URN, with what each still owes. */
export async function remittanceSchools(db: DB, authorityId: string): Promise<{ id: string; name: string; urn: string; outstandingPence: number }[]> {
  const rows = await db
    .selectFrom('schools as s')
    .select((eb) => [
      's.id',
      's.name',
      's.urn',
      eb
        .selectFrom('invoices as i')
        .select(sql<number>`coalesce(sum(greatest(i.gross_pence - i.amount_paid_pence - i.amount_credited_pence, 0)), 0)::bigint`.as('owed'))
        .whereRef('i.authority_id', '=', 's.authority_id')
        .whereRef('i.school_id', '=', 's.id')
        .where('i.status', 'in', ['open', 'uncollectible'])
        .as('outstanding'),
    ])
    .where('s.authority_id', '=', authorityId)
    .orderBy('s.name')
    .orderBy('s.id')
    .execute()
  return rows.map((r) => ({ id: r.id, name: r.name, urn: r.urn, outstandingPence: Number(r.outstanding ?? 0) }))
}

export type RecordedRemittance = {
  paymentId: string
  amountPence: number
  allocations: { invoiceId: string; number: string; amountPence: number }[]
  unallocatedPence: number
}

export type RecordRemittanceResult = { ok: true; payment: RecordedRemittance } | { ok: false; errors: FieldErrors }

/**
 * Records a BACS remittance in one transaction: the payment (method 'bacs'),
 * its allocations to the invoices chosen, in the order they were ticked (each
 * up to what it still owes; what is left stays unallocated and is listed for
 * finance), and each invoice's amount paid and status. The invoices are
 * locked (FOR UPDATE, in number order) and re-read, so a payment that arrived
 * meanwhile (Stripe, another officer) is counted and never paid twice.
 * Recording the same remittance again (same school, reference, amount and
 * date: a double click, or a second officer) is refused.
 */
export async function recordRemittance(
  db: DB,
  actor: Pick<Actor, 'userId' | 'authorityId' | 'ip' | 'userAgent'>,
  input: Remittance,
): Promise<RecordRemittanceResult> {
  return db.transaction().execute(async (trx) => {
    await sql`set local lock_timeout = '5s'`.execute(trx)
    const school = await trx
      .selectFrom('schools')
      .select(['id', 'name'])
      .where('authority_id', '=', actor.authorityId)
      .where('id', '=', input.schoolId)
      .executeTakeFirst()
    if (!school) return { ok: false, errors: { school: 'Select the school that paid' } }
    // One remittance of a school at a time, so that the duplicate check below sees the other's row.
    await advisoryLock(trx, `remittance:${actor.authorityId}:${school.id}`)

    const duplicate = await sameRemittance(trx, actor.authorityId, school.id, input)
    if (duplicate) {
      return {
        ok: false,
        errors: {
          reference: `A remittance from ${school.name} with this reference, amount and date was recorded on ${formatDate(duplicate.created_at)}: it has not been recorded again`,
        },
      }
    }

    const invoices = await lockInvoicesToPay(trx, actor.authorityId, school.id, input.invoiceIds)
    const problem = invoicesProblem(school.name, input.invoiceIds, invoices)
    if (problem) return { ok: false, errors: { invoices: problem } }
    const byId = new Map(invoices.map((i) => [i.id, i]))

    const ordered = remittanceOrder(input.invoiceIds, input.tickOrder)
    const { allocations, unallocatedPence } = allocatePayment(
      input.amountPence,
      ordered.map((id) => ({ id, outstandingPence: owing(byId.get(id)!) })),
    )
    const payment = await insertRemittance(trx, actor, school.id, input, allocations)
    await settleInvoices(
      trx,
      actor.authorityId,
      school.id,
      input.receivedOn,
      allocations.map((a) => ({ ...a, invoice: byId.get(a.invoiceId)! })),
    )

    await recordAudit(trx, {
      authorityId: actor.authorityId,
      actorUserId: actor.userId,
      action: 'payment.recorded',
      subjectType: 'payment',
      subjectId: payment.id,
      ip: actor.ip,
      userAgent: actor.userAgent,
      details: {
        method: 'bacs',
        schoolId: school.id,
        amountPence: input.amountPence,
        receivedOn: input.receivedOn,
        reference: input.reference,
        allocations: allocations.map((a) => ({ invoice: byId.get(a.invoiceId)!.number, amountPence: a.amountPence })),
        unallocatedPence,
      },
    })
    return {
      ok: true,
      payment: {
        paymentId: payment.id,
        amountPence: input.amountPence,
        allocations: allocations.map((a) => ({ invoiceId: a.invoiceId, number: byId.get(a.invoiceId)!.number, amountPence: a.amountPence })),
        unallocatedPence,
      },
    }
  })
}

/** The same remittance recorded before: same school, reference, amount and day. */
function sameRemittance(trx: DB, authorityId: string, schoolId: string, input: Remittance) {
  return trx
    .selectFrom('payments')
    .select(['id', 'created_at'])
    .where('authority_id', '=', authorityId)
    .where('school_id', '=', schoolId)
    .where('method', '=', 'bacs')
    .where('reference', '=', input.reference)
    .where('amount_pence', '=', input.amountPence)
    .where('received_on', '=', input.receivedOn)
    .executeTakeFirst()
}

type InvoiceToPay = Awaited<ReturnType<typeof lockInvoicesToPay>>[number]

/** The school's invoices chosen, locked in number order and read afresh. */
async function lockInvoicesToPay(trx: DB, authorityId: string, schoolId: string, invoiceIds: readonly string[]) {
  if (invoiceIds.length === 0) return []
  return trx
    .selectFrom('invoices')
    .select(['id', 'number', 'order_id', 'status', 'gross_pence', 'amount_paid_pence', 'amount_credited_pence', 'paid_at'])
    .where('authority_id', '=', authorityId)
    .where('school_id', '=', schoolId)
    .where('id', 'in', invoiceIds)
    .orderBy('sequence_number')
    .$call(forUpdate)
    .execute()
}

function owing(i: InvoiceToPay): number {
  return outstandingPence({ grossPence: i.gross_pence, amountPaidPence: i.amount_paid_pence, amountCreditedPence: i.amount_credited_pence })
}

/** Why the invoices chosen cannot be paid: another school's, or settled since the page was opened. */
function invoicesProblem(schoolName: string, chosen: readonly string[], invoices: readonly InvoiceToPay[]): string | undefined {
  const found = new Set(invoices.map((i) => i.id))
  if (chosen.some((id) => !found.has(id))) return `Select invoices of ${schoolName} from the list`
  const settled = invoices.filter((i) => (i.status !== 'open' && i.status !== 'uncollectible') || owing(i) === 0)
  if (settled.length === 0) return undefined
  const numbers = settled.map((i) => i.number).join(', ')
  return `${numbers} ${settled.length === 1 ? 'has' : 'have'} been settled since this page was opened: check the invoices and choose again`
}

async function insertRemittance(
  trx: DB,
  actor: Pick<Actor, 'userId' | 'authorityId' | 'ip' | 'userAgent'>,
  schoolId: string,
  input: Remittance,
  allocations: readonly { invoiceId: string; amountPence: number }[],
): Promise<{ id: string }> {
  const payment = await trx
    .insertInto('payments')
    .values({
      authority_id: actor.authorityId,
      school_id: schoolId,
      method: 'bacs',
      amount_pence: input.amountPence,
      received_on: input.receivedOn,
      reference: input.reference,
      recorded_by: actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  if (allocations.length > 0) {
    await trx
      .insertInto('payment_allocations')
      .values(
        allocations.map((a) => ({
          authority_id: actor.authorityId,
          payment_id: payment.id,
          invoice_id: a.invoiceId,
          amount_pence: a.amountPence,
        })),
      )
      .execute()
  }
  return payment
}

/** Each invoice's amount paid and status, and an email to the school for each. */
async function settleInvoices(
  trx: DB,
  authorityId: string,
  schoolId: string,
  receivedOn: string,
  allocations: readonly { invoice: InvoiceToPay; amountPence: number }[],
): Promise<void> {
  const now = clock.now()
  for (const { invoice: i, amountPence } of allocations) {
    const amounts = {
      grossPence: i.gross_pence,
      amountPaidPence: i.amount_paid_pence + amountPence,
      amountCreditedPence: i.amount_credited_pence,
    }
    const status = settledStatus(i.status, amounts)
    await trx
      .updateTable('invoices')
      .set({ amount_paid_pence: amounts.amountPaidPence, status, paid_at: status === 'paid' ? (i.paid_at ?? now) : i.paid_at })
      .where('authority_id', '=', authorityId)
      .where('id', '=', i.id)
      .execute()
    await emailPaymentReceived(trx, {
      authorityId,
      invoiceId: i.id,
      number: i.number,
      schoolId,
      orderId: i.order_id,
      amountPence,
      paidOn: receivedOn,
      how: 'by bank transfer (BACS)',
      outstandingPence: outstandingPence(amounts),
    })
  }
}

export type PaymentSummary = {
  id: string
  schoolId: string | null
  /** Paid back to the school from what was unallocated. */
  refundedPence: number
  method: PaymentMethod
  schoolName: string | null
  receivedOn: string
  reference: string | null
  amountPence: number
  allocatedPence: number
  unallocatedPence: number
  allocations: { invoiceId: string; number: string; amountPence: number }[]
}

function paymentsQuery(db: DB, authorityId: string) {
  return db
    .selectFrom('payments as p')
    .leftJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'p.authority_id').onRef('s.id', '=', 'p.school_id'))
    .select((eb) => [
      'p.id',
      'p.method',
      'p.received_on',
      'p.reference',
      'p.amount_pence',
      's.name as school_name',
      eb
        .selectFrom('payment_allocations as pa')
        .select(sql<number>`coalesce(sum(pa.amount_pence), 0)::bigint`.as('n'))
        .whereRef('pa.authority_id', '=', 'p.authority_id')
        .whereRef('pa.payment_id', '=', 'p.id')
        .as('allocated'),
      eb
        .selectFrom('refunds as r')
        .select(sql<number>`coalesce(sum(r.amount_pence), 0)::bigint`.as('n'))
        .whereRef('r.authority_id', '=', 'p.authority_id')
        .whereRef('r.payment_id', '=', 'p.id')
        .where('r.invoice_id', 'is', null)
        .as('refunded'),
      'p.school_id',
    ])
    .where('p.authority_id', '=', authorityId)
}

async function withAllocations(db: DB, authorityId: string, rows: Awaited<ReturnType<ReturnType<typeof paymentsQuery>['execute']>>) {
  const ids = rows.map((r) => r.id)
  const allocations = ids.length
    ? await db
        .selectFrom('payment_allocations as pa')
        .innerJoin('invoices as i', (j) => j.onRef('i.authority_id', '=', 'pa.authority_id').onRef('i.id', '=', 'pa.invoice_id'))
        .select(['pa.payment_id', 'pa.invoice_id', 'pa.amount_pence', 'i.number'])
        .where('pa.authority_id', '=', authorityId)
        .where('pa.payment_id', 'in', ids)
        .orderBy('i.sequence_number')
        .execute()
    : []
  return rows.map((r) => {
    const allocated = Number(r.allocated ?? 0)
    const refunded = Number(r.refunded ?? 0)
    return {
      id: r.id,
      schoolId: r.school_id,
      refundedPence: refunded,
      method: r.method,
      schoolName: r.school_name,
      receivedOn: r.received_on,
      reference: r.reference,
      amountPence: r.amount_pence,
      allocatedPence: allocated,
      unallocatedPence: r.amount_pence - allocated - refunded,
      allocations: allocations
        .filter((a) => a.payment_id === r.id)
        .map((a) => ({ invoiceId: a.invoice_id, number: a.number, amountPence: a.amount_pence })),
    }
  })
}

/** Payments with money not allocated to any invoice nor refunded (amount − allocations − refunds > 0), oldest first. */
export async function listUnallocatedPayments(db: DB, authorityId: string): Promise<PaymentSummary[]> {
  const rows = await paymentsQuery(db, authorityId)
    .where(
      (eb) =>
        sql<boolean>`${eb.ref('p.amount_pence')} > (select coalesce(sum(ua.amount_pence), 0) from payment_allocations ua where ua.authority_id = p.authority_id and ua.payment_id = p.id) + (select coalesce(sum(ur.amount_pence), 0) from refunds ur where ur.authority_id = p.authority_id and ur.payment_id = p.id and ur.invoice_id is null)`,
    )
    .orderBy('p.received_on')
    .orderBy('p.created_at')
    .limit(500)
    .execute()
  return withAllocations(db, authorityId, rows)
}

/** One payment of the authority, with what it paid. */
export async function getPayment(db: DB, authorityId: string, paymentId: string): Promise<PaymentSummary | undefined> {
  const rows = await paymentsQuery(db, authorityId).where('p.id', '=', paymentId).execute()
  return (await withAllocations(db, authorityId, rows))[0]
}

/** "£1,250.50 from Elm Bank: £1,000 to COV-000012, £250.50 unallocated" (for a banner). */
export function describeAllocation(payment: Pick<PaymentSummary, 'allocations' | 'unallocatedPence'>): string {
  const parts = payment.allocations.map((a) => `${formatPence(a.amountPence)} to ${a.number}`)
  if (payment.unallocatedPence > 0) parts.push(`${formatPence(payment.unallocatedPence)} unallocated`)
  return parts.join(', ')
}
