import { sql, type Kysely } from 'kysely'
import type { Database, FinanceRoute, TrustInvoicing } from '../../../db/schema'
import { chargesDue, type BillableLine, type Charge } from '../../domain/invoicing'
import { clusterShareCharges, type PooledBlock } from '../../domain/trusts'
import { billableLines } from './billable-lines.server'
import type { Letterhead, SchoolAddressee } from './billing-emails.server'
import { forUpdate } from '../../utils/locks.server'

/**
 * One batch of a billing run: its orders locked, their lines loaded, and the
 * authority and schools the documents are issued by and to. Each step of
 * billing (invoices, then credit notes for cancelled lines) reads it.
 */

type Trx = Kysely<Database>

/** What a billing run issues with: up to which day, dated when, and what it sends. */
export type BillingRun = {
  authorityId: string
  /** Charges due on or before this UK day are issued, dated this day. */
  asOf: string
  /** The moment of issue. */
  now: Date
  /** Email the schools. */
  notify: boolean
  /** Send academies' documents to Stripe (by a job). */
  stripe: boolean
}

export type IssuingAuthority = Letterhead & { id: string; invoicePrefix: string; daysToPay?: number }

export type BillingSchool = SchoolAddressee & { financeRoute: FinanceRoute; convertedToAcademyOn: string | null }

export type LockedOrder = { id: string; schoolId: string; poNumber: string | null; reference: string; trustOrderId: string | null }

/** A trust order of the batch, with the trust that is invoiced for it when the trust chose consolidated invoicing. */
export type BillingTrustOrder = {
  id: string
  reference: string
  poNumber: string | null
  trust: { id: string; name: string; email: string | null; invoicing: TrustInvoicing }
}

export type Batch = {
  trx: Trx
  run: BillingRun
  authority: IssuingAuthority
  orders: ReadonlyMap<string, LockedOrder>
  lines: ReadonlyMap<string, BillableLine>
  schools: ReadonlyMap<string, BillingSchool>
  trustOrders: ReadonlyMap<string, BillingTrustOrder>
  /** The pooled blocks' clusters, by cluster id. */
  clusters: ReadonlyMap<string, PooledBlock>
}

/**
 * Locks the orders (FOR UPDATE, in id order, so that two runs for one order
 * wait for each other) and loads what billing them needs; undefined when
 * none of them has a billable line. An order of a trust order brings its
 * sibling orders with it, so that a consolidated invoice holds every member
 * school's charges of the day, however the orders come to be billed.
 */
export async function lockAndLoad(trx: Trx, run: BillingRun, orderIds: readonly string[]): Promise<Batch | undefined> {
  if (orderIds.length === 0) return undefined
  await sql`set local lock_timeout = '10s'`.execute(trx)
  const orders = await lockOrders(trx, run.authorityId, await withTrustSiblings(trx, run.authorityId, orderIds))
  if (orders.size === 0) return undefined
  const lines = await billableLines(trx, run.authorityId, [...orders.keys()])
  if (lines.length === 0) return undefined
  const clusters = await billedClusters(trx, run.authorityId, lines)
  // The orders' schools, and the members of their pooled blocks' clusters (each is invoiced its share).
  const schoolIds = [...new Set([...lines.map((l) => orders.get(l.orderId)!.schoolId), ...[...clusters.values()].flatMap((c) => c.members)])]
  return {
    trx,
    run,
    authority: await issuingAuthority(trx, run.authorityId),
    orders,
    lines: new Map(lines.map((l) => [l.id, l])),
    schools: await billedSchools(trx, run.authorityId, schoolIds),
    trustOrders: await billedTrustOrders(trx, run.authorityId, [...orders.values()]),
    clusters,
  }
}

/** The clusters of the pooled blocks among the lines: their members today, and how they share a block. */
async function billedClusters(trx: Trx, authorityId: string, lines: readonly BillableLine[]): Promise<Map<string, PooledBlock>> {
  const ids = [...new Set(lines.map((l) => l.clusterId).filter((id): id is string => Boolean(id)))]
  if (ids.length === 0) return new Map()
  const rows = await trx
    .selectFrom('clusters as c')
    .innerJoin('cluster_members as m', (j) => j.onRef('m.authority_id', '=', 'c.authority_id').onRef('m.cluster_id', '=', 'c.id'))
    .select(['c.id as cluster_id', 'c.split_basis', 'm.school_id', 'm.share'])
    .where('c.authority_id', '=', authorityId)
    .where('c.id', 'in', ids)
    .orderBy('m.school_id')
    .execute()
  const blocks = new Map<string, PooledBlock>()
  for (const id of ids) {
    const members = rows.filter((r) => r.cluster_id === id)
    const basis = members[0]?.split_basis ?? 'use'
    blocks.set(id, {
      members: members.map((m) => m.school_id),
      split: basis === 'use' ? { basis } : { basis, shares: new Map(members.map((m) => [m.school_id, Number(m.share)])) },
    })
  }
  return blocks
}

/** The orders, and the other orders of their trust orders. */
async function withTrustSiblings(trx: Trx, authorityId: string, orderIds: readonly string[]): Promise<string[]> {
  const siblings = await trx
    .selectFrom('orders as o')
    .innerJoin('orders as sibling', (j) =>
      j.onRef('sibling.authority_id', '=', 'o.authority_id').onRef('sibling.trust_order_id', '=', 'o.trust_order_id'),
    )
    .select('sibling.id')
    .where('o.authority_id', '=', authorityId)
    .where('o.id', 'in', orderIds)
    .where('o.trust_order_id', 'is not', null)
    .execute()
  return [...new Set([...orderIds, ...siblings.map((s) => s.id)])]
}

async function billedTrustOrders(trx: Trx, authorityId: string, orders: readonly LockedOrder[]): Promise<Map<string, BillingTrustOrder>> {
  const ids = [...new Set(orders.map((o) => o.trustOrderId).filter((id): id is string => id !== null))]
  if (ids.length === 0) return new Map()
  const rows = await trx
    .selectFrom('trust_orders as tro')
    .innerJoin('trusts as t', (j) => j.onRef('t.authority_id', '=', 'tro.authority_id').onRef('t.id', '=', 'tro.trust_id'))
    .select(['tro.id', 'tro.reference', 'tro.po_number', 't.id as trust_id', 't.name', 't.finance_email', 't.invoicing'])
    .where('tro.authority_id', '=', authorityId)
    .where('tro.id', 'in', ids)
    .execute()
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        reference: r.reference,
        poNumber: r.po_number,
        trust: { id: r.trust_id, name: r.name, email: r.finance_email, invoicing: r.invoicing },
      },
    ]),
  )
}

async function lockOrders(trx: Trx, authorityId: string, orderIds: readonly string[]): Promise<Map<string, LockedOrder>> {
  const rows = await trx
    .selectFrom('orders')
    .select(['id', 'school_id', 'po_number', 'reference', 'trust_order_id'])
    .where('authority_id', '=', authorityId)
    .where('id', 'in', orderIds)
    .orderBy('id')
    .$call(forUpdate)
    .execute()
  return new Map(
    rows.map((o) => [o.id, { id: o.id, schoolId: o.school_id, poNumber: o.po_number, reference: o.reference, trustOrderId: o.trust_order_id }]),
  )
}

async function issuingAuthority(trx: Trx, authorityId: string): Promise<IssuingAuthority> {
  const row = await trx
    .selectFrom('authorities')
    .select([
      'invoice_prefix',
      'name',
      'contact_email',
      'days_to_pay',
      'vat_number',
      'bank_name',
      'bank_sort_code',
      'bank_account_number',
      'bank_account_name',
      'remittance_email',
    ])
    .where('id', '=', authorityId)
    .executeTakeFirstOrThrow()
  return {
    id: authorityId,
    invoicePrefix: row.invoice_prefix,
    name: row.name,
    contactEmail: row.contact_email,
    daysToPay: row.days_to_pay,
    vatNumber: row.vat_number,
    bank: {
      bankName: row.bank_name,
      sortCode: row.bank_sort_code,
      accountNumber: row.bank_account_number,
      accountName: row.bank_account_name,
      remittanceEmail: row.remittance_email,
    },
  }
}

async function billedSchools(trx: Trx, authorityId: string, schoolIds: readonly string[]): Promise<Map<string, BillingSchool>> {
  const rows = await trx
    .selectFrom('schools')
    .select(['id', 'name', 'email', 'finance_route', 'converted_to_academy_on'])
    .where('authority_id', '=', authorityId)
    .where('id', 'in', schoolIds)
    .execute()
  return new Map(
    rows.map((s) => [
      s.id,
      { id: s.id, name: s.name, email: s.email, financeRoute: s.finance_route, convertedToAcademyOn: s.converted_to_academy_on },
    ]),
  )
}

/** What the batch's lines owe by the run's day (the domain's rules) and has not been invoiced yet (by charge key). */
export async function chargesNotYetInvoiced(batch: Batch): Promise<Charge[]> {
  const issued = await batch.trx
    .selectFrom('invoice_lines')
    .select('charge_key')
    .where('authority_id', '=', batch.run.authorityId)
    .where('order_line_id', 'in', [...batch.lines.keys()])
    .where('charge_key', 'is not', null)
    .execute()
  const issuedKeys = new Set(issued.map((r) => r.charge_key))
  return [...batch.lines.values()]
    .flatMap((l) => {
      // A pooled block owes nothing as a line (chargesDue): it is shared out to its cluster's members.
      const block = l.clusterId ? batch.clusters.get(l.clusterId) : undefined
      return [...chargesDue(l, batch.run.asOf), ...(block ? clusterShareCharges(l, block, batch.run.asOf) : [])]
    })
    .filter((c) => !issuedKeys.has(c.key))
}
