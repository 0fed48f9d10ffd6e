import type { DB } from '../../../db/connection'
import type { FinanceRoute } from '../../../db/schema'
import { chargesDue, financeRouteOn } from '../../domain/invoicing'
import { billableLines } from '../billing/billable-lines.server'
import type { AccessScope } from '../shared/access-scope.server'
import { getOrderDetail, type OrderDetail } from './order-detail.server'

/**
 * What a school agreed to and what it will be charged when (issue 15 items
 * 3 and 4, docs/decisions/0026): the terms each service's lines were
 * submitted under, who accepted them and when; each delivery recorded
 * against each line; and the invoice plan, every charge of the order with
 * its day, from the invoicing rules themselves (app/domain/invoicing.ts
 * chargesDue), never a second rule. /orders/:id, its printable schedule and
 * the schedule's PDF all read these.
 */

/** One service's terms as accepted on the order: the version its lines record. */
export type AcceptedTerms = {
  serviceName: string
  version: number
  /** The day that version of the terms was made. */
  versionDate: Date
  terms: string
}

export type TermsAcceptance = {
  /** Who submitted the order (accepting the terms) and when; null when not recorded (orders placed before issue 15). */
  acceptedBy: string | null
  acceptedAt: Date | null
  /** The headteacher who approved the order, accepting the same terms for the school; null when there was no approval. */
  approvedBy: string | null
  approvedAt: Date | null
  /** One entry per service whose lines record a terms version, by service name. */
  services: AcceptedTerms[]
  /** Services of the order whose lines record no terms version (submitted before terms were versioned). */
  unversioned: string[]
}

export type DeliveryRecordDetail = {
  id: string
  deliveredOn: string
  practitioner: string
  units: number
  hours: number
  note: string | null
}

/** One charge of the invoice plan. */
export type PlannedCharge = {
  key: string
  lineId: string
  /** The day it is (or was) invoiced. */
  issueOn: string
  description: string
  netPence: number
  vatPence: number
  grossPence: number
  /** How it is charged on that day: invoice, or internal recharge in that month's journal. */
  route: FinanceRoute
  /** The invoice that already charged it, if any. */
  invoiceNumber: string | null
  isFee: boolean
}

export type PlanNote = { lineId: string; description: string; note: string }

export type InvoicePlan = {
  charges: PlannedCharge[]
  /** Lines with nothing dated yet, and why (awaiting confirmation, invoiced as delivered…). */
  notes: PlanNote[]
  /** Sum of the charges listed, gross. */
  totalPence: number
}

export type OrderSchedule = {
  authority: { name: string; address: string | null }
  order: OrderDetail
  acceptance: TermsAcceptance
  deliveries: Record<string, DeliveryRecordDetail[]>
  plan: InvoicePlan
}

/** Every day up to this is "ever": the whole plan, not only what is due today. */
const EVER = '9999-12-31'

/**
 * The order's schedule, or undefined when the order is not in the scope
 * (another school's, another authority's, a basket): the same answer as a
 * missing one.
 */
export async function getOrderSchedule(db: DB, scope: AccessScope, orderId: string): Promise<OrderSchedule | undefined> {
  const order = await getOrderDetail(db, scope, orderId)
  if (!order) return undefined
  const authorityId = scope.authorityId
  const [authority, acceptance, deliveries, plan] = await Promise.all([
    db.selectFrom('authorities').select(['name', 'address']).where('id', '=', authorityId).executeTakeFirstOrThrow(),
    termsAcceptance(db, authorityId, order.id),
    deliveryRecords(db, authorityId, order.id),
    invoicePlan(db, authorityId, order),
  ])
  return { authority, order, acceptance, deliveries, plan }
}

/** Who accepted the order's terms and when, with each service's version and text. */
export async function termsAcceptance(db: DB, authorityId: string, orderId: string): Promise<TermsAcceptance> {
  const [who, lines] = await Promise.all([
    db
      .selectFrom('orders as o')
      .leftJoin('users as ua', (j) => j.onRef('ua.authority_id', '=', 'o.authority_id').onRef('ua.id', '=', 'o.terms_accepted_by'))
      .leftJoin('users as up', (j) => j.onRef('up.authority_id', '=', 'o.authority_id').onRef('up.id', '=', 'o.terms_approved_by'))
      .select(['o.terms_accepted_at', 'o.terms_approved_at', 'ua.name as accepted_by', 'up.name as approved_by'])
      .where('o.authority_id', '=', authorityId)
      .where('o.id', '=', orderId)
      .executeTakeFirst(),
    db
      .selectFrom('order_lines as l')
      .innerJoin('offers as f', (j) => j.onRef('f.authority_id', '=', 'l.authority_id').onRef('f.id', '=', 'l.offer_id'))
      .innerJoin('services as sv', (j) => j.onRef('sv.authority_id', '=', 'f.authority_id').onRef('sv.id', '=', 'f.service_id'))
      .leftJoin('service_terms_versions as v', (j) => j.onRef('v.authority_id', '=', 'l.authority_id').onRef('v.id', '=', 'l.terms_version_id'))
      .select(['sv.name as service_name', 'v.id as version_id', 'v.version', 'v.terms', 'v.created_at'])
      .where('l.authority_id', '=', authorityId)
      .where('l.order_id', '=', orderId)
      .orderBy('sv.name')
      .orderBy('v.version')
      .execute(),
  ])
  const services = new Map<string, AcceptedTerms>()
  const unversioned = new Set<string>()
  for (const l of lines) {
    if (l.version_id && l.version !== null && l.terms !== null && l.created_at) {
      // Lines of one service in one order share one version (submitted together); keyed by version in case they ever differ.
      services.set(`${l.service_name}\u0000${l.version}`, {
        serviceName: l.service_name,
        version: l.version,
        versionDate: l.created_at,
        terms: l.terms,
      })
    } else {
      unversioned.add(l.service_name)
    }
  }
  return {
    acceptedBy: who?.accepted_by ?? null,
    acceptedAt: who?.terms_accepted_at ?? null,
    approvedBy: who?.approved_by ?? null,
    approvedAt: who?.terms_approved_at ?? null,
    services: [...services.values()],
    unversioned: [...unversioned].filter((name) => ![...services.values()].some((s) => s.serviceName === name)),
  }
}

/** Every delivery recorded against the order's lines, by line id, oldest first. */
export async function deliveryRecords(db: DB, authorityId: string, orderId: string): Promise<Record<string, DeliveryRecordDetail[]>> {
  const rows = await db
    .selectFrom('delivery_records as d')
    .innerJoin('order_lines as l', (j) => j.onRef('l.authority_id', '=', 'd.authority_id').onRef('l.id', '=', 'd.order_line_id'))
    .select(['d.id', 'd.order_line_id', 'd.delivered_on', 'd.practitioner', 'd.units', 'd.hours', 'd.note'])
    .where('d.authority_id', '=', authorityId)
    .where('l.order_id', '=', orderId)
    .orderBy('d.delivered_on')
    .orderBy('d.created_at')
    .orderBy('d.id')
    .execute()
  const byLine: Record<string, DeliveryRecordDetail[]> = {}
  for (const d of rows) {
    ;(byLine[d.order_line_id] ??= []).push({
      id: d.id,
      deliveredOn: d.delivered_on,
      practitioner: d.practitioner,
      units: Number(d.units),
      hours: Number(d.hours),
      note: d.note,
    })
  }
  return byLine
}

const NOT_YET: Record<string, string> = {
  awaiting_approval: 'Invoiced once the headteacher approves the order and the service confirms it',
  submitted: 'Invoiced once the service confirms it',
  waitlisted: 'On the waiting list: invoiced only if a place is confirmed',
  rejected: 'Rejected: not invoiced',
}

/**
 * The order's invoice plan: every charge its lines make, issued or still to
 * come, with its day (chargesDue over all time, so termly instalments and
 * annual charges are listed in full); charges already invoiced carry their
 * invoice number. Lines with no dated charge get a note saying why.
 */
export async function invoicePlan(db: DB, authorityId: string, order: OrderDetail): Promise<InvoicePlan> {
  const [lines, issued] = await Promise.all([
    billableLines(db, authorityId, [order.id]),
    db
      .selectFrom('invoice_lines as il')
      .innerJoin('invoices as i', (j) => j.onRef('i.authority_id', '=', 'il.authority_id').onRef('i.id', '=', 'il.invoice_id'))
      .select(['il.charge_key', 'i.number'])
      .where('il.authority_id', '=', authorityId)
      .where('i.order_id', '=', order.id)
      .where('il.charge_key', 'is not', null)
      .execute(),
  ])
  const invoiceOf = new Map(issued.map((r) => [r.charge_key!, r.number]))
  const charges: PlannedCharge[] = lines
    .flatMap((line) => chargesDue(line, EVER))
    .map((c) => ({
      key: c.key,
      lineId: c.lineId,
      issueOn: c.issueOn,
      description: c.description,
      netPence: c.netPence,
      vatPence: c.vatPence,
      grossPence: c.netPence + c.vatPence,
      route: financeRouteOn(order.school, c.issueOn),
      invoiceNumber: invoiceOf.get(c.key) ?? null,
      isFee: c.isFee,
    }))
    .sort((a, b) => a.issueOn.localeCompare(b.issueOn) || a.description.localeCompare(b.description))
  const byId = new Map(lines.map((l) => [l.id, l]))
  const notes: PlanNote[] = []
  for (const l of order.lines) {
    const description = `${l.serviceName}: ${l.offerName}`
    const billable = byId.get(l.id)
    if (billable?.schedule === 'on_delivery' && billable.status !== 'cancelled') {
      notes.push({ lineId: l.id, description, note: 'Invoiced monthly as delivered: each month’s delivery is invoiced on the 1st of the next month' })
    } else if (!billable && NOT_YET[l.status]) {
      notes.push({ lineId: l.id, description, note: NOT_YET[l.status]! })
    } else if (l.status === 'cancelled' && !charges.some((c) => c.lineId === l.id)) {
      notes.push({ lineId: l.id, description, note: 'Cancelled before anything was invoiced' })
    }
  }
  return { charges, notes, totalPence: charges.reduce((s, c) => s + c.grossPence, 0) }
}
