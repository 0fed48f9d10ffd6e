import { clock } from '../../utils/clock'
import type { DB } from '../../../db/connection'
import type { RenewalProposalStatus } from '../../../db/schema'
import { formatPence } from '../../domain/money'
import { quotePrice, type PricedOffer, type Quote, type SchoolType } from '../../domain/pricing'
import { proposalAsRead, lastYearText } from '../../domain/renewals'
import { tradingYearBounds } from '../../domain/trading-year'
import { loadPricedOffers } from '../catalogue/offers.server'
import { quantityText } from '../../domain/quantities'

/**
 * A proposal as people read it: its lines priced at next year's prices
 * beside this year's use, its answer, and the offers that could be added.
 */

export type PricingSchool = { id: string; name: string; school_type: SchoolType; pupil_count: number }

export function quoteLine(
  priced: PricedOffer | undefined,
  school: PricingSchool,
  authorityId: string,
  quantity: number,
  tradingYear: number,
  startMonth: number,
) {
  if (!priced) return null
  const result = quotePrice(
    priced,
    { authorityId, type: school.school_type, pupilCount: school.pupil_count },
    quantity,
    tradingYearBounds(tradingYear, startMonth).start,
    startMonth,
  )
  return result.ok ? result.quote : null
}

// ---------------------------------------------------------------------------
// Reading a proposal

export type ProposalLineView = {
  id: string
  offerId: string
  serviceName: string
  offerName: string
  unitOne: string
  unitOther: string
  maxQuantity: number | null
  quantity: number
  quantityText: string
  /** "You used 8 of 10 days", or null for a line added this time. */
  lastYear: string | null
  quote: Quote
}

export type NotPricedLine = { id: string; serviceName: string; offerName: string; quantityText: string; lastYear: string | null }

export type ProposalView = {
  id: string
  schoolId: string
  schoolName: string
  tradingYear: number
  status: RenewalProposalStatus
  declineReason: string | null
  decidedAt: Date | null
  lapsedAt: Date | null
  order: { id: string; reference: string; status: string } | null
  lines: ProposalLineView[]
  /** Lines whose offer has no price for the year (or is no longer on sale): left out of the total and of the order. */
  notPriced: NotPricedLine[]
  netPence: number
  vatPence: number
  grossPence: number
}

/** A proposal as read on a day (today in England unless given): lines priced for its year, and its answer. */
export async function proposalView(
  db: DB,
  authorityId: string,
  proposalId: string,
  startMonth: number,
  today: string = clock.today(),
): Promise<ProposalView | null> {
  const p = await proposalRow(db, authorityId, proposalId)
  if (!p) return null
  const rows = await proposalLineRows(db, authorityId, p.id)
  const priced = await loadPricedOffers(
    db as DB,
    authorityId,
    rows.map((r) => ({ ...r, id: r.offer_id })),
  )
  const school: PricingSchool = { id: p.school_id, name: p.school_name, school_type: p.school_type, pupil_count: p.pupil_count }
  const lines: ProposalLineView[] = []
  const notPriced: NotPricedLine[] = []
  for (const r of rows) {
    const lastYear =
      r.last_year_quantity !== null
        ? lastYearText(r.last_year_quantity, r.last_year_used_units === null ? null : Number(r.last_year_used_units), {
            one: r.unit_one,
            other: r.unit_other,
          })
        : null
    const quote =
      r.is_published && r.service_published ? quoteLine(priced.get(r.offer_id), school, authorityId, r.quantity, p.trading_year, startMonth) : null
    const base = {
      id: r.id,
      serviceName: r.service_name,
      offerName: r.offer_name,
      quantityText: quantityText(r.quantity, r.unit_one, r.unit_other),
      lastYear,
    }
    if (!quote) {
      notPriced.push(base)
      continue
    }
    lines.push({
      ...base,
      offerId: r.offer_id,
      unitOne: r.unit_one,
      unitOther: r.unit_other,
      maxQuantity: r.max_quantity,
      quantity: r.quantity,
      quote,
    })
  }
  const netPence = lines.reduce((n, l) => n + l.quote.netPence, 0)
  const vatPence = lines.reduce((n, l) => n + l.quote.vatPence, 0)
  return proposalAsRead(
    {
      id: p.id,
      schoolId: p.school_id,
      schoolName: p.school_name,
      tradingYear: p.trading_year,
      status: p.status,
      declineReason: p.decline_reason,
      decidedAt: p.decided_at,
      lapsedAt: p.lapsed_at,
      order: p.order_id && p.order_reference && p.order_status ? { id: p.order_id, reference: p.order_reference, status: p.order_status } : null,
      lines,
      notPriced,
      netPence,
      vatPence,
      grossPence: netPence + vatPence,
    },
    p.closes_on,
    today,
  )
}

export type AddableOffer = { id: string; label: string }

/** Next year's published offers that can be added (priced for the year, not dated courses, not already proposed). */
export async function addableOffers(
  db: DB,
  authorityId: string,
  view: ProposalView,
  startMonth: number,
  school: PricingSchool,
): Promise<AddableOffer[]> {
  const offers = await db
    .selectFrom('offers as f')
    .innerJoin('services as sv', (j) => j.onRef('sv.authority_id', '=', 'f.authority_id').onRef('sv.id', '=', 'f.service_id'))
    .select(['f.id', 'f.authority_id', 'f.name', 'f.pricing_model', 'f.unit_one', 'f.unit_other', 'f.vat_category', 'sv.name as service_name'])
    .where('f.authority_id', '=', authorityId)
    .where('f.is_published', '=', true)
    .where('sv.is_published', '=', true)
    .where('f.pricing_model', '!=', 'per_place')
    .orderBy('sv.name')
    .orderBy('f.position')
    .orderBy('f.name')
    .execute()
  const taken = new Set([...view.lines.map((l) => l.offerId)])
  const proposedOfferIds = await db
    .selectFrom('renewal_proposal_lines')
    .select('offer_id')
    .where('authority_id', '=', authorityId)
    .where('proposal_id', '=', view.id)
    .execute()
  for (const r of proposedOfferIds) taken.add(r.offer_id)
  const priced = await loadPricedOffers(db, authorityId, offers)
  const result: AddableOffer[] = []
  for (const o of offers) {
    if (taken.has(o.id)) continue
    const quote = quoteLine(priced.get(o.id), school, authorityId, 1, view.tradingYear, startMonth)
    if (!quote) continue
    result.push({ id: o.id, label: `${o.service_name}: ${o.name} (${formatPence(quote.grossPence)} for 1 ${o.unit_one})` })
  }
  return result
}

function proposalRow(db: DB, authorityId: string, proposalId: string) {
  return db
    .selectFrom('renewal_proposals as p')
    .innerJoin('renewal_windows as w', (j) => j.onRef('w.authority_id', '=', 'p.authority_id').onRef('w.id', '=', 'p.window_id'))
    .innerJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'p.authority_id').onRef('s.id', '=', 'p.school_id'))
    .leftJoin('orders as o', (j) => j.onRef('o.authority_id', '=', 'p.authority_id').onRef('o.id', '=', 'p.order_id'))
    .select([
      'p.id',
      'p.school_id',
      'p.trading_year',
      'p.status',
      'p.decline_reason',
      'p.decided_at',
      'p.lapsed_at',
      'w.closes_on',
      's.name as school_name',
      's.school_type',
      's.pupil_count',
      'o.id as order_id',
      'o.reference as order_reference',
      'o.status as order_status',
    ])
    .where('p.authority_id', '=', authorityId)
    .where('p.id', '=', proposalId)
    .executeTakeFirst()
}

/** The proposal's lines with their offers and services, in the order the page lists them. */
function proposalLineRows(db: DB, authorityId: string, proposalId: string) {
  return db
    .selectFrom('renewal_proposal_lines as l')
    .innerJoin('offers as f', (j) => j.onRef('f.authority_id', '=', 'l.authority_id').onRef('f.id', '=', 'l.offer_id'))
    .innerJoin('services as sv', (j) => j.onRef('sv.authority_id', '=', 'f.authority_id').onRef('sv.id', '=', 'f.service_id'))
    .select([
      'l.id',
      'l.offer_id',
      'l.quantity',
      'l.last_year_quantity',
      'l.last_year_used_units',
      'f.authority_id',
      'f.name as offer_name',
      'f.pricing_model',
      'f.unit_one',
      'f.unit_other',
      'f.vat_category',
      'f.max_quantity',
      'f.is_published',
      'sv.is_published as service_published',
      'sv.name as service_name',
    ])
    .where('l.authority_id', '=', authorityId)
    .where('l.proposal_id', '=', proposalId)
    .orderBy('sv.name')
    .orderBy('f.position')
    .orderBy('f.name')
    .execute()
}
