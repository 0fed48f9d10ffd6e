import { randomUUID } from 'node:crypto'
import type { FinanceRoute, StripeSyncStatus } from '../../../db/schema'
import { dueOn, financeRouteOn, groupIntoInvoices, invoiceNumber, monthLabel, monthOf, type Charge, type InvoiceDraft } from '../../domain/invoicing'
import { enqueue } from '../../utils/jobs.server'
import { emailInvoiceIssued } from './billing-emails.server'
import { invoicedToTrust } from '../../domain/trusts'
import type { Batch, BillingSchool, BillingTrustOrder, LockedOrder } from './billing-batch.server'
import { takeNumbers } from './numbering.server'
import { openJournals, type OpenJournal } from './open-journals.server'

/**
 * Issuing invoices for a batch's charges (docs/decisions/0009): one invoice
 * per order and day the charges fell due (per trust order, to the trust,
 * when the trust chose consolidated invoicing: decision 0036), dated the
 * run's day, numbered from the authority's counter. An academy's goes to Stripe by a job (or reads
 * "Stripe not configured"); a maintained school's goes in the open recharge
 * journal of its month. The school is emailed in the same transaction.
 */

/** Rows per INSERT. */
const CHUNK = 500

/**
 * Who an invoice is to: a school for its order, a trust for its trust order
 * (consolidated invoicing), or a cluster's member school for its share of a
 * pooled block in the lead school's order (`sharedBlock`: no order or PO of
 * its own on the invoice).
 */
type Payer = { kind: 'school'; school: BillingSchool; order: LockedOrder; sharedBlock: boolean } | { kind: 'trust'; trustOrder: BillingTrustOrder }

type PlannedInvoice = {
  id: string
  draft: InvoiceDraft
  payer: Payer
  route: FinanceRoute
  sequence: number
  number: string
  journal: OpenJournal | null
  dueOn: string
  stripeStatus: StripeSyncStatus
}

/** Issues the charges as invoices; returns their ids, in number order. */
export async function issueInvoices(batch: Batch, charges: readonly Charge[]): Promise<string[]> {
  const drafts = groupIntoInvoices(charges, (c) => trustOrderInvoiced(batch, c))
  if (drafts.length === 0) return []
  const planned = await planInvoices(batch, drafts)
  await insertInvoices(batch, planned)
  for (const invoice of planned) await announceInvoice(batch, invoice)
  return planned.map((p) => p.id)
}

/**
 * Numbers, routes, journals and due dates. The route is decided on the issue
 * day, so a maintained school that has become an academy is invoiced from
 * then on; an internal recharge goes in its month's journal, or the next one
 * still open.
 */
async function planInvoices(batch: Batch, drafts: readonly InvoiceDraft[]): Promise<PlannedInvoice[]> {
  const { trx, run } = batch
  const issueOn = run.asOf
  const first = await takeNumbers(trx, run.authorityId, 'invoice', drafts.length)
  const routed = drafts.map((draft, i) => {
    const payer = payerOf(batch, draft)
    const route: FinanceRoute = payer.kind === 'trust' ? 'invoice' : financeRouteOn(payer.school, issueOn)
    return { draft, payer, route, sequence: first + i, number: invoiceNumber(batch.authority.invoicePrefix, first + i) }
  })
  const month = monthOf(issueOn)
  const journals = await openJournals(trx, run.authorityId, routed.some((p) => p.route === 'internal_recharge') ? [month] : [])
  return routed.map((p) => {
    const journal = p.route === 'internal_recharge' ? journals.get(month)! : null
    const stripeStatus: StripeSyncStatus = p.route === 'invoice' ? (run.stripe ? 'pending' : 'not_configured') : 'not_applicable'
    return { ...p, id: randomUUID(), journal, dueOn: dueOn(p.route, issueOn, journal?.month, batch.authority.daysToPay), stripeStatus }
  })
}

/**
 * The trust order whose consolidated invoice a charge goes on (rule
 * invoicedToTrust, with the school's route on the issue day), or null when
 * its school is invoiced for its own order.
 */
function trustOrderInvoiced(batch: Batch, charge: Charge): string | null {
  if (charge.schoolId) return null
  const order = batch.orders.get(charge.orderId)!
  const trustOrder = order.trustOrderId ? batch.trustOrders.get(order.trustOrderId) : undefined
  if (!trustOrder) return null
  const route = financeRouteOn(batch.schools.get(order.schoolId)!, batch.run.asOf)
  return invoicedToTrust(trustOrder.trust.invoicing, route) ? trustOrder.id : null
}

function payerOf(batch: Batch, draft: InvoiceDraft): Payer {
  if (draft.trustOrderId !== null) return { kind: 'trust', trustOrder: batch.trustOrders.get(draft.trustOrderId)! }
  const order = batch.orders.get(draft.orderId!)!
  if (draft.schoolId !== null) return { kind: 'school', school: batch.schools.get(draft.schoolId)!, order, sharedBlock: true }
  return { kind: 'school', school: batch.schools.get(order.schoolId)!, order, sharedBlock: false }
}

/** On a trust's invoice each line names the member school it is for. */
function lineSchool(batch: Batch, p: PlannedInvoice, charge: Charge): { schoolId: string | null; description: string } {
  if (p.payer.kind === 'school') return { schoolId: charge.schoolId ?? null, description: charge.description }
  const school = batch.schools.get(batch.orders.get(charge.orderId)!.schoolId)!
  return { schoolId: school.id, description: `${school.name}: ${charge.description}` }
}

async function insertInvoices(batch: Batch, planned: readonly PlannedInvoice[]): Promise<void> {
  const { trx, run } = batch
  const invoiceRows = planned.map((p) => ({
    authority_id: run.authorityId,
    id: p.id,
    number: p.number,
    sequence_number: p.sequence,
    school_id: p.payer.kind === 'school' ? p.payer.school.id : null,
    order_id: p.payer.kind === 'school' && !p.payer.sharedBlock ? p.payer.order.id : null,
    trust_id: p.payer.kind === 'trust' ? p.payer.trustOrder.trust.id : null,
    trust_order_id: p.payer.kind === 'trust' ? p.payer.trustOrder.id : null,
    route: p.route,
    status: 'open' as const,
    trading_year: batch.lines.get(p.draft.charges[0]!.lineId)!.tradingYear,
    instalment: p.draft.instalment,
    billing_month: p.draft.billingMonth,
    issued_at: run.now,
    due_on: p.dueOn,
    net_pence: p.draft.netPence,
    vat_pence: p.draft.vatPence,
    gross_pence: p.draft.grossPence,
    po_number: p.payer.kind === 'trust' ? p.payer.trustOrder.poNumber : p.payer.sharedBlock ? null : p.payer.order.poNumber,
    journal_id: p.journal?.id ?? null,
    stripe_status: p.stripeStatus,
    period_label: periodLabel(p.draft.charges),
  }))
  const lineRows = planned.flatMap((p) =>
    p.draft.charges.map((c) => ({
      authority_id: run.authorityId,
      invoice_id: p.id,
      order_line_id: c.lineId,
      service_id: c.serviceId,
      ...((named) => ({ school_id: named.schoolId, description: named.description }))(lineSchool(batch, p, c)),
      quantity: c.quantity,
      unit_price_pence: c.unitPricePence,
      net_pence: c.netPence,
      vat_rate_basis_points: c.vatRateBasisPoints,
      vat_pence: c.vatPence,
      gross_pence: c.netPence + c.vatPence,
      charge_key: c.key,
    })),
  )
  for (let i = 0; i < invoiceRows.length; i += CHUNK) {
    await trx
      .insertInto('invoices')
      .values(invoiceRows.slice(i, i + CHUNK))
      .execute()
  }
  for (let i = 0; i < lineRows.length; i += CHUNK) {
    await trx
      .insertInto('invoice_lines')
      .values(lineRows.slice(i, i + CHUNK))
      .execute()
  }
}

/** Queues an academy's invoice for Stripe, and tells the school. */
async function announceInvoice(batch: Batch, p: PlannedInvoice): Promise<void> {
  const { trx, run } = batch
  if (p.stripeStatus === 'pending') {
    await enqueue(trx, 'stripe-sync-invoice', { authorityId: run.authorityId, invoiceId: p.id }, { idempotencyKey: `invoice-${p.id}` })
  }
  if (!run.notify) return
  const { payer } = p
  const addressee =
    payer.kind === 'school'
      ? payer.school
      : { id: payer.trustOrder.trust.id, name: payer.trustOrder.trust.name, email: payer.trustOrder.trust.email, trust: true }
  const order =
    payer.kind === 'school'
      ? { ...payer.order, sharedBlock: payer.sharedBlock }
      : { id: payer.trustOrder.id, reference: payer.trustOrder.reference, trustOrder: true }
  await emailInvoiceIssued(trx, run.authorityId, batch.authority, addressee, {
    id: p.id,
    number: p.number,
    order,
    grossPence: p.draft.grossPence,
    vatPence: p.draft.vatPence,
    dueOn: p.dueOn,
    route: p.route,
    journalMonth: p.journal?.month ?? null,
    lines: p.draft.charges.map((c) => ({ description: lineSchool(batch, p, c).description, grossPence: c.netPence + c.vatPence })),
    payOnline: p.stripeStatus === 'pending',
  })
}

/** "Delivered in November 2026" or "Instalment 2 of 3", when every charge on the invoice is of that month or instalment. */
function periodLabel(charges: readonly Charge[]): string | null {
  const first = charges[0]
  if (!first) return null
  if (first.billingMonth && charges.every((c) => c.billingMonth === first.billingMonth)) return `Delivered in ${monthLabel(first.billingMonth)}`
  if (first.instalment && charges.every((c) => c.instalment === first.instalment)) return `Instalment ${first.instalment} of 3`
  return null
}
