import { sql } from 'kysely'
import type { DB } from '../../../db/connection'
import type { FinanceRoute, InvoiceStatus, OrderStatus, PricingModel, StripeSyncStatus } from '../../../db/schema'
import { outstandingPence } from '../../domain/invoicing'
import { formatCount, quantityText } from '../../domain/quantities'
import { upcomingInvoiceDates } from '../billing/upcoming-invoices.server'
import type { AccessScope } from '../shared/access-scope.server'
import { inScope } from './orders.server'
import { waitingListPlaces } from './capacity-left.server'

/**
 * One order as /orders/:id shows it, to whoever may see it (the same scope
 * as the list): its lines with what was delivered, its history, and its
 * invoices with their credit notes.
 */

export type OrderLineDetail = {
  id: string
  serviceName: string
  serviceSlug: string
  offerName: string
  pricingModel: PricingModel
  status: OrderStatus
  tradingYear: number
  periodStart: string
  periodEnd: string
  course: { title: string; startsAt: Date; venue: string } | null
  quantity: number
  unitOne: string
  unitOther: string
  unitPricePence: number
  netPence: number
  vatPence: number
  grossPence: number
  vatRateBasisPoints: number
  priceExplanation: string
  cancellationFeePence: number
  /** Units delivered so far, and the sentence for it ("4 of 10 days used"), or null when not recorded for this line. */
  delivery: { usedUnits: number; text: string } | null
  /** A waitlisted line's place on its team's waiting list for the year (1 = next), else null. */
  queuePlace: number | null
  /** The day a confirmed line will next be invoiced ('YYYY-MM-DD'), or null (nothing left, or invoiced as delivered). */
  nextInvoiceOn: string | null
}

export type OrderEventDetail = {
  id: string
  fromStatus: OrderStatus | null
  toStatus: OrderStatus
  at: Date
  actorName: string | null
  note: string | null
  /** For a change of one line: its service and offer. */
  line: string | null
}

export type OrderInvoice = {
  id: string
  number: string
  status: InvoiceStatus
  route: FinanceRoute
  issuedAt: Date
  dueOn: string
  grossPence: number
  amountPaidPence: number
  amountCreditedPence: number
  outstandingPence: number
  instalment: number | null
  /** Stripe's page for an academy's invoice, where the school pays or downloads it. */
  stripeHostedInvoiceUrl: string | null
  stripeStatus: StripeSyncStatus
  /** For internal recharge: the month of the journal it is charged in ('YYYY-MM-01'). */
  journalMonth: string | null
  creditNotes: { id: string; number: string; issuedAt: Date; reason: string; grossPence: number }[]
}

export type OrderDetail = {
  id: string
  reference: string
  status: OrderStatus
  school: { id: string; name: string; type: 'maintained' | 'academy'; financeRoute: FinanceRoute; convertedToAcademyOn: string | null }
  poNumber: string | null
  orderedBy: string | null
  orderedAt: Date | null
  approvedBy: string | null
  approvedAt: Date | null
  rejectionReason: string | null
  netPence: number
  vatPence: number
  grossPence: number
  tradingYears: number[]
  lines: OrderLineDetail[]
  events: OrderEventDetail[]
  invoices: OrderInvoice[]
}

/** "4 of 10 days used", "0.5 of 1 day used". */
export function describeDelivery(usedUnits: number, quantity: number, unitOne: string, unitOther: string): string {
  return `${formatCount(usedUnits)} of ${quantityText(quantity, unitOne, unitOther)} used`
}

/**
 * Whether to show a line's use: when delivery has been recorded against it, or
 * when it is confirmed and its offer is one whose delivery the team records
 * (visits, days: any line of the offer has delivery records). Weekly provision
 * such as whole-class music is not logged unit by unit, and "0 of 2 classes
 * used" would mislead.
 */
function countsDelivery(line: { offer_id: string; status: OrderStatus }, used: number | undefined, trackedOffers: Set<string>) {
  if (used !== undefined) return true
  return (line.status === 'confirmed' || line.status === 'completed') && trackedOffers.has(line.offer_id)
}

/**
 * One order with its lines, history and invoices, or undefined when there is
 * no such order in the scope (another school's, another authority's, a
 * service lead's order without their services, or a basket).
 */
export async function getOrderDetail(db: DB, scope: AccessScope, orderId: string): Promise<OrderDetail | undefined> {
  const order = await orderHeader(db, scope, orderId)
  if (!order) return undefined
  const authorityId = scope.authorityId
  const [lines, delivered, events, invoices, upcoming] = await Promise.all([
    orderLines(db, authorityId, orderId),
    deliveredUnits(db, authorityId, orderId),
    orderEvents(db, authorityId, orderId),
    orderInvoices(db, authorityId, orderId),
    upcomingInvoiceDates(db, authorityId, orderId),
  ])
  const [creditNotes, trackedOffers] = await Promise.all([
    creditNotesOf(
      db,
      authorityId,
      invoices.map((i) => i.id),
    ),
    offersWithDelivery(db, authorityId, [...new Set(lines.map((l) => l.offer_id))]),
  ])
  const used = new Map(delivered.map((d) => [d.order_line_id, Number(d.units)]))
  const places = await waitingListPlaces(
    db,
    authorityId,
    lines.filter((l) => l.status === 'waitlisted').map((l) => l.id),
  )
  return {
    id: order.id,
    reference: order.reference,
    status: order.status,
    school: {
      id: order.school_id,
      name: order.school_name,
      type: order.school_type,
      financeRoute: order.finance_route,
      convertedToAcademyOn: order.converted_to_academy_on,
    },
    poNumber: order.po_number,
    orderedBy: order.ordered_by,
    orderedAt: order.submitted_at ?? order.created_at,
    approvedBy: order.approved_by,
    approvedAt: order.approved_at,
    rejectionReason: order.rejection_reason,
    netPence: order.net_pence,
    vatPence: order.vat_pence,
    grossPence: order.gross_pence,
    tradingYears: [...new Set(lines.map((l) => l.trading_year))].sort(),
    lines: lines.map((l) => ({
      ...lineDetail(l, used.get(l.id), trackedOffers),
      queuePlace: places.get(l.id) ?? null,
      nextInvoiceOn: upcoming.get(l.id) ?? null,
    })),
    events: events.map(eventDetail),
    invoices: invoices.map((i) =>
      invoiceDetail(
        i,
        creditNotes.filter((c) => c.invoice_id === i.id),
      ),
    ),
  }
}

function orderHeader(db: DB, scope: AccessScope, orderId: string) {
  return db
    .selectFrom('orders as o')
    .innerJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'o.authority_id').onRef('s.id', '=', 'o.school_id'))
    .leftJoin('users as ub', (j) =>
      j.onRef('ub.authority_id', '=', 'o.authority_id').on((eb) => eb('ub.id', '=', eb.fn.coalesce('o.submitted_by', 'o.created_by'))),
    )
    .leftJoin('users as ua', (j) => j.onRef('ua.authority_id', '=', 'o.authority_id').onRef('ua.id', '=', 'o.approved_by'))
    .select([
      'o.id',
      'o.reference',
      'o.status',
      'o.po_number',
      'o.submitted_at',
      'o.created_at',
      'o.approved_at',
      'o.rejection_reason',
      'o.net_pence',
      'o.vat_pence',
      'o.gross_pence',
      's.id as school_id',
      's.name as school_name',
      's.school_type',
      's.finance_route',
      's.converted_to_academy_on',
      'ub.name as ordered_by',
      'ua.name as approved_by',
    ])
    .where((eb) => inScope(eb, scope))
    .where('o.id', '=', orderId)
    .executeTakeFirst()
}

function orderLines(db: DB, authorityId: string, orderId: string) {
  return db
    .selectFrom('order_lines as l')
    .innerJoin('offers as f', (j) => j.onRef('f.authority_id', '=', 'l.authority_id').onRef('f.id', '=', 'l.offer_id'))
    .innerJoin('services as sv', (j) => j.onRef('sv.authority_id', '=', 'f.authority_id').onRef('sv.id', '=', 'f.service_id'))
    .leftJoin('courses as c', (j) => j.onRef('c.authority_id', '=', 'l.authority_id').onRef('c.id', '=', 'l.course_id'))
    .select([
      'l.id',
      'l.offer_id',
      'l.status',
      'l.trading_year',
      'l.period_start',
      'l.period_end',
      'l.quantity',
      'l.unit_price_pence',
      'l.net_pence',
      'l.vat_pence',
      'l.gross_pence',
      'l.vat_rate_basis_points',
      'l.price_explanation',
      'l.cancellation_fee_pence',
      'f.name as offer_name',
      'f.pricing_model',
      'f.unit_one',
      'f.unit_other',
      'sv.name as service_name',
      'sv.slug as service_slug',
      'c.title as course_title',
      'c.starts_at as course_starts_at',
      'c.venue as course_venue',
    ])
    .where('l.authority_id', '=', authorityId)
    .where('l.order_id', '=', orderId)
    .orderBy('sv.name')
    .orderBy('f.position')
    .orderBy('l.period_start')
    .orderBy('l.id')
    .execute()
}

function deliveredUnits(db: DB, authorityId: string, orderId: string) {
  return db
    .selectFrom('delivery_records as d')
    .innerJoin('order_lines as l', (j) => j.onRef('l.authority_id', '=', 'd.authority_id').onRef('l.id', '=', 'd.order_line_id'))
    .select(['d.order_line_id', sql<number>`sum(d.units)::float8`.as('units')])
    .where('d.authority_id', '=', authorityId)
    .where('l.order_id', '=', orderId)
    .groupBy('d.order_line_id')
    .execute()
}

function orderEvents(db: DB, authorityId: string, orderId: string) {
  return db
    .selectFrom('order_events as e')
    .leftJoin('users as u', (j) => j.onRef('u.authority_id', '=', 'e.authority_id').onRef('u.id', '=', 'e.actor_user_id'))
    .leftJoin('order_lines as l', (j) => j.onRef('l.authority_id', '=', 'e.authority_id').onRef('l.id', '=', 'e.order_line_id'))
    .leftJoin('offers as f', (j) => j.onRef('f.authority_id', '=', 'l.authority_id').onRef('f.id', '=', 'l.offer_id'))
    .leftJoin('services as sv', (j) => j.onRef('sv.authority_id', '=', 'f.authority_id').onRef('sv.id', '=', 'f.service_id'))
    .select([
      'e.id',
      'e.from_status',
      'e.to_status',
      'e.created_at',
      'e.note',
      'e.order_line_id',
      'u.name as actor_name',
      'f.name as offer_name',
      'sv.name as service_name',
    ])
    .where('e.authority_id', '=', authorityId)
    .where('e.order_id', '=', orderId)
    .orderBy('e.created_at')
    .orderBy('e.id')
    .execute()
}

function orderInvoices(db: DB, authorityId: string, orderId: string) {
  return db
    .selectFrom('invoices as i')
    .leftJoin('recharge_journals as rj', (j) => j.onRef('rj.authority_id', '=', 'i.authority_id').onRef('rj.id', '=', 'i.journal_id'))
    .select([
      'i.id',
      'i.number',
      'i.status',
      'i.route',
      'i.issued_at',
      'i.due_on',
      'i.gross_pence',
      'i.amount_paid_pence',
      'i.amount_credited_pence',
      'i.instalment',
      'i.stripe_hosted_invoice_url',
      'i.stripe_status',
      'rj.month as journal_month',
    ])
    .where('i.authority_id', '=', authorityId)
    .where('i.order_id', '=', orderId)
    .orderBy('i.issued_at')
    .orderBy('i.sequence_number')
    .execute()
}

async function creditNotesOf(db: DB, authorityId: string, invoiceIds: string[]) {
  if (invoiceIds.length === 0) return []
  return db
    .selectFrom('credit_notes')
    .select(['id', 'invoice_id', 'number', 'issued_at', 'reason', 'gross_pence'])
    .where('authority_id', '=', authorityId)
    .where('invoice_id', 'in', invoiceIds)
    .orderBy('issued_at')
    .orderBy('sequence_number')
    .execute()
}

/** Offers whose delivery is recorded at all (on any order): only their lines show what was used. */
async function offersWithDelivery(db: DB, authorityId: string, offerIds: string[]): Promise<Set<string>> {
  if (offerIds.length === 0) return new Set()
  const tracked = await db
    .selectFrom('order_lines as tl')
    .select('tl.offer_id')
    .distinct()
    .where('tl.authority_id', '=', authorityId)
    .where('tl.offer_id', 'in', offerIds)
    .where(({ exists, selectFrom }) =>
      exists(
        selectFrom('delivery_records as td')
          .select('td.id')
          .whereRef('td.authority_id', '=', 'tl.authority_id')
          .whereRef('td.order_line_id', '=', 'tl.id'),
      ),
    )
    .execute()
  return new Set(tracked.map((t) => t.offer_id))
}

function lineDetail(
  l: Awaited<ReturnType<typeof orderLines>>[number],
  usedUnits: number | undefined,
  trackedOffers: Set<string>,
): Omit<OrderLineDetail, 'queuePlace' | 'nextInvoiceOn'> {
  return {
    id: l.id,
    serviceName: l.service_name,
    serviceSlug: l.service_slug,
    offerName: l.offer_name,
    pricingModel: l.pricing_model,
    status: l.status,
    tradingYear: l.trading_year,
    periodStart: l.period_start,
    periodEnd: l.period_end,
    course: l.course_title && l.course_starts_at ? { title: l.course_title, startsAt: l.course_starts_at, venue: l.course_venue ?? '' } : null,
    quantity: l.quantity,
    unitOne: l.unit_one,
    unitOther: l.unit_other,
    unitPricePence: l.unit_price_pence,
    netPence: l.net_pence,
    vatPence: l.vat_pence,
    grossPence: l.gross_pence,
    vatRateBasisPoints: l.vat_rate_basis_points,
    priceExplanation: l.price_explanation,
    cancellationFeePence: l.cancellation_fee_pence,
    delivery: countsDelivery(l, usedUnits, trackedOffers)
      ? { usedUnits: usedUnits ?? 0, text: describeDelivery(usedUnits ?? 0, l.quantity, l.unit_one, l.unit_other) }
      : null,
  }
}

function eventDetail(e: Awaited<ReturnType<typeof orderEvents>>[number]): OrderEventDetail {
  return {
    id: e.id,
    fromStatus: e.from_status,
    toStatus: e.to_status,
    at: e.created_at,
    actorName: e.actor_name,
    note: e.note,
    line: e.order_line_id && e.service_name ? `${e.service_name}: ${e.offer_name ?? ''}` : null,
  }
}

function invoiceDetail(i: Awaited<ReturnType<typeof orderInvoices>>[number], creditNotes: Awaited<ReturnType<typeof creditNotesOf>>): OrderInvoice {
  return {
    id: i.id,
    number: i.number,
    status: i.status,
    route: i.route,
    issuedAt: i.issued_at,
    dueOn: i.due_on,
    grossPence: i.gross_pence,
    amountPaidPence: i.amount_paid_pence,
    amountCreditedPence: i.amount_credited_pence,
    outstandingPence: outstandingPence({
      grossPence: i.gross_pence,
      amountPaidPence: i.amount_paid_pence,
      amountCreditedPence: i.amount_credited_pence,
    }),
    instalment: i.instalment,
    stripeHostedInvoiceUrl: i.stripe_hosted_invoice_url,
    stripeStatus: i.stripe_status,
    journalMonth: i.journal_month,
    creditNotes: creditNotes.map((c) => ({ id: c.id, number: c.number, issuedAt: c.issued_at, reason: c.reason, grossPence: c.gross_pence })),
  }
}
