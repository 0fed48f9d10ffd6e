import { clock } from '../../utils/clock'
import { renewalPeriod, soldByOf } from '../../domain/periods'
import { loadTerms } from '../shared/terms.server'
import { randomUUID } from 'node:crypto'
import type { DB } from '../../../db/connection'
import type { RenewalProposalStatus } from '../../../db/schema'
import { lineHours } from '../../domain/capacity'
import { ukDate } from '../../domain/dates'
import { quotePrice } from '../../domain/pricing'
import { canAnswer, effectiveStatus } from '../../domain/renewals'
import { tradingYearBounds, tradingYearLabel, tradingYearOf } from '../../domain/trading-year'
import { getBoss } from '../../utils/jobs.server'
import { recordAudit } from '../admin/audit.server'
import { placeOrder } from '../ordering/place-order.server'
import { loadPricedOffers } from '../catalogue/offers.server'
import { decideSubmittedLines } from '../ordering/decisions.server'
import { renewalYear } from './year.server'
import { addableOffers, proposalView, type AddableOffer, type ProposalView } from './proposal-view.server'
import { getRenewalWindow, type RenewalWindow } from './window.server'
import { quantityText } from '../../domain/quantities'
import { limitLockWait, startMonthOf } from '../shared/authority.server'
import { firstDayOfTradingYear, lastDayOfTradingYear } from '../../domain/trading-year'
import type { SchoolActor } from '../shared/actor.server'
import { NOT_FOUND, type NotFound } from '../shared/results'
import { forUpdate } from '../../utils/locks.server'

/**
 * The school's side of renewals: its renewal for next year as it reads it,
 * and its answers (changing lines, accepting into an order, declining).
 */

export type SchoolRenewal = {
  tradingYear: number
  window: RenewalWindow | null
  proposal: ProposalView | null
  canAnswer: boolean
  poNumberRequired: boolean
  addable: AddableOffer[]
}

/**
 * A school's renewal for next year: the window, its proposal (read as lapsed
 * once the window has closed), whether it can still be answered, and what
 * could be added.
 */
export async function getSchoolRenewal(db: DB, scope: { authorityId: string; schoolId: string }, now: Date = clock.now()): Promise<SchoolRenewal> {
  const { year, startMonth } = await renewalYear(db, scope.authorityId, now)
  // A proposal of the year just started is still shown until next year's window exists.
  const window = (await getRenewalWindow(db, scope.authorityId, year, now)) ?? null
  const school = await db
    .selectFrom('schools')
    .select(['id', 'name', 'school_type', 'pupil_count', 'po_number_required'])
    .where('authority_id', '=', scope.authorityId)
    .where('id', '=', scope.schoolId)
    .executeTakeFirstOrThrow()
  const row = await db
    .selectFrom('renewal_proposals')
    .select('id')
    .where('authority_id', '=', scope.authorityId)
    .where('school_id', '=', scope.schoolId)
    .where('trading_year', '=', year)
    .executeTakeFirst()
  const proposal = row ? await proposalView(db, scope.authorityId, row.id, startMonth, ukDate(now)) : null
  const answerable = Boolean(proposal && window && window.openedAt && canAnswer(proposal.status, window.closesOn, ukDate(now)))
  return {
    tradingYear: year,
    window,
    proposal,
    canAnswer: answerable,
    poNumberRequired: school.po_number_required,
    addable: proposal && answerable ? await addableOffers(db, scope.authorityId, proposal, startMonth, school) : [],
  }
}

// ---------------------------------------------------------------------------
// Answering (the school's business manager)

/** A school's business manager answering its proposal; where from, for the audit log. */

function auditAnswer(
  trx: DB,
  actor: SchoolActor,
  action: 'renewal.accepted' | 'renewal.declined',
  proposalId: string,
  details: Record<string, unknown>,
) {
  return recordAudit(trx, {
    authorityId: actor.authorityId,
    actorUserId: actor.userId,
    action,
    subjectType: 'renewal_proposal',
    subjectId: proposalId,
    ip: actor.ip ?? 'unknown',
    userAgent: actor.userAgent,
    details: { schoolId: actor.schoolId, ...details },
  })
}
export type ChangeResult = { ok: true } | { ok: false; field: string; message: string } | NotFound | { ok: false; closed: true }

/** The school's proposal for the year, locked, if it can still be answered. */
async function lockAnswerable(trx: DB, actor: SchoolActor, now: Date, proposalId?: string) {
  await limitLockWait(trx)
  const startMonth = await startMonthOf(trx, actor.authorityId)
  const year = tradingYearOf(now, startMonth) + 1
  let query = trx
    .selectFrom('renewal_proposals as p')
    .innerJoin('renewal_windows as w', (j) => j.onRef('w.authority_id', '=', 'p.authority_id').onRef('w.id', '=', 'p.window_id'))
    .select(['p.id', 'p.status', 'p.trading_year', 'w.closes_on', 'w.opened_at'])
    .where('p.authority_id', '=', actor.authorityId)
    .where('p.school_id', '=', actor.schoolId)
  query = proposalId ? query.where('p.id', '=', proposalId) : query.where('p.trading_year', '=', year)
  const p = await forUpdate(query, 'p').executeTakeFirst()
  if (!p) return { kind: 'not_found' as const }
  if (!p.opened_at || !canAnswer(p.status, p.closes_on, ukDate(now))) {
    if (effectiveStatus(p.status, p.closes_on, ukDate(now)) === 'lapsed' && p.status === 'open') {
      await trx
        .updateTable('renewal_proposals')
        .set({ status: 'lapsed', lapsed_at: now, updated_at: now })
        .where('authority_id', '=', actor.authorityId)
        .where('id', '=', p.id)
        .execute()
    }
    return { kind: 'closed' as const, proposal: p }
  }
  return { kind: 'open' as const, proposal: p, startMonth }
}

async function schoolForPricing(trx: DB, actor: SchoolActor) {
  return trx
    .selectFrom('schools')
    .select(['id', 'name', 'school_type', 'pupil_count', 'approval_limit_pence', 'po_number_required'])
    .where('authority_id', '=', actor.authorityId)
    .where('id', '=', actor.schoolId)
    .executeTakeFirstOrThrow()
}

/** Checks that an offer can be proposed for the year at a quantity; the problem in words otherwise. */
async function checkOfferQuantity(
  trx: DB,
  actor: SchoolActor,
  offerId: string,
  quantity: number,
  tradingYear: number,
  startMonth: number,
  field: string,
) {
  const offer = await trx
    .selectFrom('offers as f')
    .innerJoin('services as sv', (j) => j.onRef('sv.authority_id', '=', 'f.authority_id').onRef('sv.id', '=', 'f.service_id'))
    .select(['f.id', 'f.authority_id', 'f.name', 'f.pricing_model', 'f.unit_one', 'f.unit_other', 'f.vat_category', 'f.max_quantity'])
    .where('f.authority_id', '=', actor.authorityId)
    .where('f.id', '=', offerId)
    .where('f.is_published', '=', true)
    .where('sv.is_published', '=', true)
    .executeTakeFirst()
  if (!offer || offer.pricing_model === 'per_place') return { ok: false as const, field, message: 'Choose a package from the list' }
  if (offer.max_quantity !== null && quantity > offer.max_quantity) {
    return {
      ok: false as const,
      field,
      message: `You can have up to ${quantityText(offer.max_quantity, offer.unit_one, offer.unit_other)} of ${offer.name}`,
    }
  }
  const school = await schoolForPricing(trx, actor)
  const priced = (await loadPricedOffers(trx as DB, actor.authorityId, [offer])).get(offer.id)
  const result = priced
    ? quotePrice(
        priced,
        { authorityId: actor.authorityId, type: school.school_type, pupilCount: school.pupil_count },
        quantity,
        tradingYearBounds(tradingYear, startMonth).start,
        startMonth,
      )
    : { ok: false as const, reason: `${offer.name} is not on sale` }
  if (!result.ok) return { ok: false as const, field, message: result.reason }
  return { ok: true as const }
}

/** Changes the quantity of a line of the school's proposal. */
export async function updateProposalLine(
  db: DB,
  actor: SchoolActor,
  input: { lineId: string; quantity: number },
  now: Date = clock.now(),
): Promise<ChangeResult> {
  return changeProposal(db, actor, now, async (trx, found) => {
    const line = await trx
      .selectFrom('renewal_proposal_lines')
      .select(['id', 'offer_id'])
      .where('authority_id', '=', actor.authorityId)
      .where('proposal_id', '=', found.proposal.id)
      .where('id', '=', input.lineId)
      .executeTakeFirst()
    if (!line) return NOT_FOUND
    const field = `quantity-${line.id}`
    const check = await checkOfferQuantity(trx, actor, line.offer_id, input.quantity, found.proposal.trading_year, found.startMonth, field)
    if (!check.ok) return check
    await trx
      .updateTable('renewal_proposal_lines')
      .set({ quantity: input.quantity, updated_at: now })
      .where('authority_id', '=', actor.authorityId)
      .where('id', '=', line.id)
      .execute()
    return { ok: true }
  })
}

/**
 * A change to the school's proposal, in one transaction once the proposal is
 * locked and can still be answered; the proposal is marked changed when the
 * change succeeds.
 */
async function changeProposal(
  db: DB,
  actor: SchoolActor,
  now: Date,
  change: (trx: DB, found: { proposal: { id: string; trading_year: number }; startMonth: number }) => Promise<ChangeResult>,
): Promise<ChangeResult> {
  return db.transaction().execute(async (trx): Promise<ChangeResult> => {
    const found = await lockAnswerable(trx, actor, now)
    if (found.kind === 'not_found') return NOT_FOUND
    if (found.kind === 'closed') return { ok: false, closed: true }
    const result = await change(trx, found)
    if (result.ok) {
      await trx
        .updateTable('renewal_proposals')
        .set({ updated_at: now })
        .where('authority_id', '=', actor.authorityId)
        .where('id', '=', found.proposal.id)
        .execute()
    }
    return result
  })
}

/** Takes a line out of the school's proposal. */
export async function removeProposalLine(db: DB, actor: SchoolActor, lineId: string, now: Date = clock.now()): Promise<ChangeResult> {
  return changeProposal(db, actor, now, async (trx, found) => {
    const deleted = await trx
      .deleteFrom('renewal_proposal_lines')
      .where('authority_id', '=', actor.authorityId)
      .where('proposal_id', '=', found.proposal.id)
      .where('id', '=', lineId)
      .executeTakeFirst()
    if (Number(deleted.numDeletedRows) === 0) return NOT_FOUND
    return { ok: true }
  })
}

/** Adds one of next year's offers to the school's proposal (or adds to its quantity when already there). */
export async function addProposalLine(
  db: DB,
  actor: SchoolActor,
  input: { offerId: string; quantity: number },
  now: Date = clock.now(),
): Promise<ChangeResult> {
  return changeProposal(db, actor, now, async (trx, found) => {
    const same = await trx
      .selectFrom('renewal_proposal_lines')
      .select(['id', 'quantity'])
      .where('authority_id', '=', actor.authorityId)
      .where('proposal_id', '=', found.proposal.id)
      .where('offer_id', '=', input.offerId)
      .executeTakeFirst()
    const quantity = (same?.quantity ?? 0) + input.quantity
    const check = await checkOfferQuantity(trx, actor, input.offerId, quantity, found.proposal.trading_year, found.startMonth, 'offerId')
    if (!check.ok) return { ...check, field: check.field === 'offerId' && check.message.startsWith('Choose') ? 'offerId' : 'addQuantity' }
    if (same) {
      await trx
        .updateTable('renewal_proposal_lines')
        .set({ quantity, updated_at: now })
        .where('authority_id', '=', actor.authorityId)
        .where('id', '=', same.id)
        .execute()
    } else {
      await trx
        .insertInto('renewal_proposal_lines')
        .values({
          authority_id: actor.authorityId,
          proposal_id: found.proposal.id,
          offer_id: input.offerId,
          quantity,
          created_at: now,
          updated_at: now,
        })
        .execute()
    }
    return { ok: true }
  })
}

export type AcceptResult =
  | { kind: 'accepted'; orderId: string; reference: string; status: 'submitted' | 'awaiting_approval' }
  | { kind: 'already'; status: RenewalProposalStatus; orderId: string | null }
  | { kind: 'closed' }
  | { kind: 'problem'; field: string; message: string }
  | NotFound

/**
 * Accepts the school's proposal: its priced lines become an order for the
 * whole of next year, frozen at next year's prices, placed like a basket
 * (placeOrder: at or above the approval limit it waits for the
 * headteacher, otherwise it is submitted and each line offered to its
 * team's capacity, confirmed or waitlisted). Lines not yet priced are left
 * out. Locked and checked in one transaction: accepting twice makes one order.
 */
export async function acceptProposal(
  db: DB,
  actor: SchoolActor,
  input: { proposalId: string; poNumber: string | null },
  now: Date = clock.now(),
): Promise<AcceptResult> {
  await getBoss()
  const result = await db.transaction().execute(async (trx): Promise<AcceptResult> => {
    const found = await lockAnswerable(trx, actor, now, input.proposalId)
    if (found.kind === 'not_found') return NOT_FOUND
    if (found.kind === 'closed') {
      const p = await trx
        .selectFrom('renewal_proposals')
        .select(['status', 'order_id'])
        .where('authority_id', '=', actor.authorityId)
        .where('id', '=', found.proposal.id)
        .executeTakeFirstOrThrow()
      return p.status === 'open' ? { kind: 'closed' } : { kind: 'already', status: p.status, orderId: p.order_id }
    }
    const { proposal, startMonth } = found
    const school = await schoolForPricing(trx, actor)
    if (school.po_number_required && !input.poNumber)
      return { kind: 'problem', field: 'poNumber', message: 'Enter your school’s purchase order number' }
    const view = await proposalView(trx, actor.authorityId, proposal.id, startMonth, ukDate(now))
    if (!view || view.lines.length === 0) {
      return { kind: 'problem', field: 'lines', message: 'Your proposal has nothing priced for next year in it: add a package, or decline' }
    }
    const order = await insertRenewalOrder(trx, actor, { view, tradingYear: proposal.trading_year, startMonth, poNumber: input.poNumber, now })
    const placed = await placeOrder(trx, {
      authorityId: actor.authorityId,
      orderId: order.id,
      userId: actor.userId,
      approvalLimitPence: school.approval_limit_pence,
      startMonth,
      fromStatus: null,
      now,
      notePrefix: `Renewal for ${tradingYearLabel(proposal.trading_year)} accepted`,
    })
    await trx
      .updateTable('renewal_proposals')
      .set({ status: 'accepted', order_id: order.id, decided_by: actor.userId, decided_at: now, updated_at: now })
      .where('authority_id', '=', actor.authorityId)
      .where('id', '=', proposal.id)
      .execute()
    await auditAnswer(trx, actor, 'renewal.accepted', proposal.id, { orderId: order.id, reference: placed.reference, grossPence: view.grossPence })
    return { kind: 'accepted', orderId: order.id, reference: placed.reference, status: placed.status }
  })
  if (result.kind === 'accepted' && result.status === 'submitted') {
    await decideSubmittedLines(db, actor.authorityId, result.orderId)
  }
  return result
}

/** The accepted proposal's priced lines as an order for the whole year, at the prices the school saw. */
async function insertRenewalOrder(
  trx: DB,
  actor: SchoolActor,
  at: { view: ProposalView; tradingYear: number; startMonth: number; poNumber: string | null; now: Date },
): Promise<{ id: string }> {
  const offers = new Map(
    (
      await trx
        .selectFrom('offers')
        .select(['id', 'hours_per_unit', 'pricing_model', 'sold_by'])
        .where('authority_id', '=', actor.authorityId)
        .where(
          'id',
          'in',
          at.view.lines.map((l) => l.offerId),
        )
        .execute()
    ).map((o) => [o.id, o]),
  )
  const order = await trx
    .insertInto('orders')
    .values({
      authority_id: actor.authorityId,
      school_id: actor.schoolId,
      reference: `RENEWAL-${randomUUID()}`,
      status: 'submitted',
      po_number: at.poNumber,
      created_by: actor.userId,
      created_at: at.now,
      updated_at: at.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  // The whole of next year from its summer term; an offer sold by the term renews for that term.
  const terms = await loadTerms(trx, actor.authorityId, [at.tradingYear])
  const wholeYear = { start: firstDayOfTradingYear(at.tradingYear, at.startMonth), end: lastDayOfTradingYear(at.tradingYear, at.startMonth) }
  const periodOf = (offerId: string) => {
    const offer = offers.get(offerId)
    const soldBy = offer ? soldByOf({ pricingModel: offer.pricing_model, soldBy: offer.sold_by }) : 'quantity'
    return renewalPeriod(soldBy, terms, at.tradingYear, at.startMonth) ?? wholeYear
  }
  await trx
    .insertInto('order_lines')
    .values(
      at.view.lines.map((l) => ({
        authority_id: actor.authorityId,
        order_id: order.id,
        offer_id: l.offerId,
        status: 'submitted' as const,
        trading_year: l.quote.tradingYear,
        period_start: periodOf(l.offerId).start,
        period_end: periodOf(l.offerId).end,
        quantity: l.quote.quantity,
        hours: lineHours(offers.get(l.offerId)?.hours_per_unit ?? 0, l.quote.quantity),
        unit_price_pence: l.quote.unitPricePence,
        net_pence: l.quote.netPence,
        vat_rate_basis_points: l.quote.vatRateBasisPoints,
        vat_pence: l.quote.vatPence,
        gross_pence: l.quote.grossPence,
        price_explanation: l.quote.explanation,
        created_at: at.now,
        updated_at: at.now,
      })),
    )
    .execute()
  return order
}

export type DeclineResult = { ok: true } | { ok: false; closed: true } | NotFound | { ok: false; already: RenewalProposalStatus }

/** Declines the school's proposal, with its reason (required: the council follows it up). */
export async function declineProposal(
  db: DB,
  actor: SchoolActor,
  input: { proposalId: string; reason: string },
  now: Date = clock.now(),
): Promise<DeclineResult> {
  const reason = input.reason.trim()
  if (!reason) throw new Error('A reason is needed to decline a renewal')
  return db.transaction().execute(async (trx): Promise<DeclineResult> => {
    const found = await lockAnswerable(trx, actor, now, input.proposalId)
    if (found.kind === 'not_found') return NOT_FOUND
    if (found.kind === 'closed') {
      const status = effectiveStatus(found.proposal.status, found.proposal.closes_on, ukDate(now))
      return status === 'open' ? { ok: false, closed: true } : { ok: false, already: status }
    }
    await trx
      .updateTable('renewal_proposals')
      .set({ status: 'declined', decline_reason: reason, decided_by: actor.userId, decided_at: now, updated_at: now })
      .where('authority_id', '=', actor.authorityId)
      .where('id', '=', found.proposal.id)
      .execute()
    await auditAnswer(trx, actor, 'renewal.declined', found.proposal.id, { reason })
    return { ok: true }
  })
}
