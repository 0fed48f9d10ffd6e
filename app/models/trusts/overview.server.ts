import type { DB } from '../../../db/connection'
import type { InvoiceStatus, OrderStatus, RenewalProposalStatus, TrustInvoicing } from '../../../db/schema'
import { outstandingPence } from '../../domain/invoicing'
import { tradingYearOf } from '../../domain/trading-year'
import { memberSchoolIds } from '../../domain/trusts'
import { clock } from '../../utils/clock'
import { membershipOf } from '../admin/trusts.server'

/**
 * What a trust's users see of their member schools on `/trust` (issue 16,
 * item 2, docs/decisions/0035): the schools that are members today, each
 * with this year's orders, what its open invoices still owe and how it has
 * answered next year's renewal, and the members' latest orders. A school
 * that has left is not there at all: its history stays with the school.
 */

export type TrustMemberSummary = {
  schoolId: string
  name: string
  urn: string
  /** This trading year's orders that are going ahead or waiting (not drafts, cancelled or rejected ones). */
  orders: number
  /** Their gross value, in pence. */
  orderedPence: number
  /** What the school's open invoices still owe, in pence. */
  owedPence: number
  /** Its answer to next year's renewal proposal, when it has one. */
  renewal: RenewalProposalStatus | null
}

export type TrustOverview = {
  trust: { name: string; approvalLimitPence: number; invoicing: TrustInvoicing }
  tradingYear: number
  members: TrustMemberSummary[]
  recentOrders: { reference: string; schoolName: string; status: OrderStatus; submittedAt: Date | null; grossPence: number }[]
  /** The trust's own consolidated invoices, newest first (the latest 20). */
  invoices: TrustInvoiceSummary[]
}

export type TrustInvoiceSummary = {
  id: string
  number: string
  trustOrderReference: string | null
  issuedAt: Date
  dueOn: string
  status: InvoiceStatus
  grossPence: number
  outstandingPence: number
}

const LIVE: OrderStatus[] = ['awaiting_approval', 'submitted', 'confirmed', 'waitlisted', 'completed']

export async function getTrustOverview(db: DB, authorityId: string, trustId: string, now: Date = clock.now()): Promise<TrustOverview | undefined> {
  const trust = await db
    .selectFrom('trusts')
    .select(['name', 'approval_limit_pence', 'invoicing'])
    .where('authority_id', '=', authorityId)
    .where('id', '=', trustId)
    .executeTakeFirst()
  if (!trust) return undefined
  const today = clock.today()
  const tradingYear = tradingYearOf(now)
  const memberships = await db
    .selectFrom('trust_memberships')
    .select(['school_id', 'joined_on', 'left_on'])
    .where('authority_id', '=', authorityId)
    .where('trust_id', '=', trustId)
    .execute()
  const schoolIds = memberSchoolIds(memberships.map(membershipOf), today)
  const overview: TrustOverview = {
    trust: { name: trust.name, approvalLimitPence: trust.approval_limit_pence, invoicing: trust.invoicing },
    tradingYear,
    members: [],
    recentOrders: [],
    invoices: await trustInvoices(db, authorityId, trustId),
  }
  if (schoolIds.length === 0) return overview
  return { ...overview, ...(await memberFigures(db, authorityId, schoolIds, tradingYear)) }
}

/** Each member school's figures for the year, and the members' latest orders. */
async function memberFigures(
  db: DB,
  authorityId: string,
  schoolIds: string[],
  tradingYear: number,
): Promise<Pick<TrustOverview, 'members' | 'recentOrders'>> {
  const [schools, orders, invoices, proposals, recent] = await Promise.all([
    db
      .selectFrom('schools')
      .select(['id', 'name', 'urn'])
      .where('authority_id', '=', authorityId)
      .where('id', 'in', schoolIds)
      .orderBy('name')
      .execute(),
    db
      .selectFrom('orders as o')
      .select(['o.school_id', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.sum<number>('o.gross_pence').as('gross')])
      .where('o.authority_id', '=', authorityId)
      .where('o.school_id', 'in', schoolIds)
      .where('o.status', 'in', LIVE)
      .where(({ exists, selectFrom }) =>
        exists(
          selectFrom('order_lines as l')
            .select('l.id')
            .whereRef('l.authority_id', '=', 'o.authority_id')
            .whereRef('l.order_id', '=', 'o.id')
            .where('l.trading_year', '=', tradingYear),
        ),
      )
      .groupBy('o.school_id')
      .execute(),
    db
      .selectFrom('invoices')
      .select([
        'school_id',
        (eb) => eb.fn.sum<number>(eb('gross_pence', '-', eb('amount_paid_pence', '+', eb.ref('amount_credited_pence')))).as('owed'),
      ])
      .where('authority_id', '=', authorityId)
      .where('school_id', 'in', schoolIds)
      .where('status', '=', 'open')
      .groupBy('school_id')
      .execute(),
    db
      .selectFrom('renewal_proposals')
      .select(['school_id', 'status'])
      .where('authority_id', '=', authorityId)
      .where('school_id', 'in', schoolIds)
      .where('trading_year', '=', tradingYear + 1)
      .execute(),
    db
      .selectFrom('orders as o')
      .innerJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'o.authority_id').onRef('s.id', '=', 'o.school_id'))
      .select(['o.reference', 's.name', 'o.status', 'o.submitted_at', 'o.gross_pence'])
      .where('o.authority_id', '=', authorityId)
      .where('o.school_id', 'in', schoolIds)
      .where('o.status', '!=', 'draft')
      .orderBy('o.submitted_at', (ob) => ob.desc().nullsLast())
      .orderBy('o.reference', 'desc')
      .limit(10)
      .execute(),
  ])
  const members = schools.map((s) => {
    const o = orders.find((r) => r.school_id === s.id)
    return {
      schoolId: s.id,
      name: s.name,
      urn: s.urn,
      orders: Number(o?.n ?? 0),
      orderedPence: Number(o?.gross ?? 0),
      owedPence: Number(invoices.find((i) => i.school_id === s.id)?.owed ?? 0),
      renewal: proposals.find((p) => p.school_id === s.id)?.status ?? null,
    }
  })
  const recentOrders = recent.map((r) => ({
    reference: r.reference,
    schoolName: r.name,
    status: r.status,
    submittedAt: r.submitted_at,
    grossPence: Number(r.gross_pence),
  }))
  return { members, recentOrders }
}

/** The trust's consolidated invoices (decision 0036), newest first. */
export async function trustInvoices(db: DB, authorityId: string, trustId: string, trustOrderId?: string): Promise<TrustInvoiceSummary[]> {
  const rows = await db
    .selectFrom('invoices as i')
    .leftJoin('trust_orders as tro', (j) => j.onRef('tro.authority_id', '=', 'i.authority_id').onRef('tro.id', '=', 'i.trust_order_id'))
    .select([
      'i.id',
      'i.number',
      'tro.reference',
      'i.issued_at',
      'i.due_on',
      'i.status',
      'i.gross_pence',
      'i.amount_paid_pence',
      'i.amount_credited_pence',
    ])
    .where('i.authority_id', '=', authorityId)
    .where('i.trust_id', '=', trustId)
    .$if(trustOrderId !== undefined, (q) => q.where('i.trust_order_id', '=', trustOrderId as string))
    .orderBy('i.issued_at', 'desc')
    .orderBy('i.sequence_number', 'desc')
    .limit(20)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    trustOrderReference: r.reference,
    issuedAt: r.issued_at,
    dueOn: r.due_on,
    status: r.status,
    grossPence: r.gross_pence,
    outstandingPence: outstandingPence({
      grossPence: r.gross_pence,
      amountPaidPence: r.amount_paid_pence,
      amountCreditedPence: r.amount_credited_pence,
    }),
  }))
}
