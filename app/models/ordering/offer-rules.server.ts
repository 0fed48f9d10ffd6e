import { sql, type Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { duplicateAgreement, includingSubscription, INCLUDED_REASON, type HeldLine, type HeldSubscription } from '../../domain/offer-rules'
import { tradingYearLabel } from '../../domain/trading-year'

/**
 * What a school already holds, for the rules against paying twice: its live
 * lines (in its basket, awaiting approval or ordered; not cancelled or
 * rejected) and the subscriptions among them with what they include.
 */

const LIVE_LINE = ['draft', 'awaiting_approval', 'submitted', 'confirmed', 'waitlisted', 'completed'] as const
const LIVE_ORDER = ['draft', 'awaiting_approval', 'submitted', 'confirmed', 'waitlisted', 'completed'] as const

function liveLines(db: Kysely<Database>, authorityId: string, schoolId: string) {
  return db
    .selectFrom('order_lines as l')
    .innerJoin('orders as o', (j) => j.onRef('o.authority_id', '=', 'l.authority_id').onRef('o.id', '=', 'l.order_id'))
    .where('l.authority_id', '=', authorityId)
    .where('o.school_id', '=', schoolId)
    .where('l.status', 'in', LIVE_LINE)
    .where('o.status', 'in', LIVE_ORDER)
}

/** The school's live lines of the given offers (all offers when none given), except those of `exceptOrderId`. */
export async function heldLines(
  db: Kysely<Database>,
  authorityId: string,
  schoolId: string,
  options: { offerIds?: string[]; exceptOrderId?: string } = {},
): Promise<HeldLine[]> {
  let query = liveLines(db, authorityId, schoolId).select(['l.offer_id', 'l.trading_year', 'o.status', 'o.reference'])
  if (options.offerIds) {
    if (options.offerIds.length === 0) return []
    query = query.where('l.offer_id', 'in', options.offerIds)
  }
  if (options.exceptOrderId) query = query.where('o.id', '!=', options.exceptOrderId)
  const rows = await query.orderBy('o.created_at').execute()
  return rows.map((r) => ({
    offerId: r.offer_id,
    tradingYear: r.trading_year,
    where: r.status === 'draft' ? 'basket' : 'order',
    reference: r.status === 'draft' ? null : r.reference,
  }))
}

/** The subscriptions the school holds (live lines of offers that include others), by year. */
export async function heldSubscriptions(db: Kysely<Database>, authorityId: string, schoolId: string): Promise<HeldSubscription[]> {
  const rows = await liveLines(db, authorityId, schoolId)
    .innerJoin('offers as f', (j) => j.onRef('f.authority_id', '=', 'l.authority_id').onRef('f.id', '=', 'l.offer_id'))
    .innerJoin('offer_inclusions as i', (j) => j.onRef('i.authority_id', '=', 'l.authority_id').onRef('i.offer_id', '=', 'l.offer_id'))
    .select(['l.offer_id', 'l.trading_year', 'f.name', sql<string[]>`array_agg(distinct i.included_offer_id)`.as('includes')])
    .groupBy(['l.offer_id', 'l.trading_year', 'f.name'])
    .execute()
  return rows.map((r) => ({ offerId: r.offer_id, name: r.name, tradingYear: r.trading_year, includes: r.includes }))
}

/** The sentence refusing a second yearly agreement, or null when the school may buy it. */
export async function duplicateProblem(
  db: Kysely<Database>,
  scope: { authorityId: string; schoolId: string },
  offer: { id: string; name: string; repeatable: boolean },
  tradingYear: number,
  exceptOrderId?: string,
): Promise<string | null> {
  if (offer.repeatable) return null
  const held = await heldLines(db, scope.authorityId, scope.schoolId, { offerIds: [offer.id], exceptOrderId })
  return duplicateAgreement({ offer, tradingYear, held })
}

export type OfferNotice = { duplicate: string | null; included: string | null }

/**
 * For a service page: per offer, why the school cannot buy it again this
 * year, and whether its subscription already includes it.
 */
export async function offerNoticesForSchool(
  db: Kysely<Database>,
  scope: { authorityId: string; schoolId: string },
  offerIds: string[],
  tradingYear: number,
): Promise<Record<string, OfferNotice>> {
  if (offerIds.length === 0) return {}
  const [offers, held, subscriptions] = await Promise.all([
    db.selectFrom('offers').select(['id', 'name', 'repeatable']).where('authority_id', '=', scope.authorityId).where('id', 'in', offerIds).execute(),
    heldLines(db, scope.authorityId, scope.schoolId, { offerIds }),
    heldSubscriptions(db, scope.authorityId, scope.schoolId),
  ])
  const notices: Record<string, OfferNotice> = {}
  for (const offer of offers) {
    const subscription = includingSubscription(offer.id, tradingYear, subscriptions)
    notices[offer.id] = {
      duplicate: duplicateAgreement({ offer, tradingYear, held }),
      included: subscription
        ? `${INCLUDED_REASON}: ${subscription.name} for ${tradingYearLabel(tradingYear)} includes it, so it costs your school £0.`
        : null,
    }
  }
  return notices
}
