import { clock } from '../../utils/clock'
import { randomUUID } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import type { DB } from '../../../db/connection'
import type { Database, RenewalProposalStatus } from '../../../db/schema'
import { lineHours } from '../../domain/capacity'
import { longDate, ukDate } from '../../domain/dates'
import { formatPence } from '../../domain/money'
import { MAX_QUANTITY, quotePrice, type PricedOffer, type Quote, type SchoolType } from '../../domain/pricing'
import {
  canAnswer,
  effectiveStatus,
  proposalAsRead,
  lastYearText,
  proposalLinesFrom,
  reminderDue,
  RENEWABLE_STATUSES,
  windowProblems,
  windowState,
  type ReminderKind,
  type WindowProblem,
  type WindowState,
} from '../../domain/renewals'
import { tradingYearBounds, tradingYearLabel, tradingYearOf } from '../../domain/trading-year'
import { appUrl, queueEmail } from '../../utils/email.server'
import { getBoss } from '../../utils/jobs.server'
import { recordAudit } from '../admin/audit.server'
import { placeOrder } from '../ordering/basket.server'
import { loadPricedOffers } from '../catalogue/offers.server'
import { decideSubmittedLines } from '../ordering/decisions.server'
import type { SchoolToContact } from '../trading/trading.server'
import { quantityText } from '../../domain/quantities'

/**
 * The annual renewal cycle (issue 7, docs/decisions/0012): the LA
 * administrator's window for next year, the proposals it makes for each
 * school from this year's confirmed lines, and the school's answers. An
 * accepted proposal becomes an order through the same path as a basket
 * (placeOrder: approval limit, reference, history, emails; then capacity).
 *
 * Lapsed and declined proposals are listed on /la/trading for following up
 * (renewalFollowUp below).
 */

type Trx = Kysely<Database>
const LOCK_TIMEOUT = '5s'

async function startMonthOf(db: Trx, authorityId: string): Promise<number> {
  const row = await db.selectFrom('authorities').select('financial_year_start_month').where('id', '=', authorityId).executeTakeFirstOrThrow()
  return row.financial_year_start_month
}

function lastDayOf(tradingYear: number, startMonth: number): string {
  const { end } = tradingYearBounds(tradingYear, startMonth)
  return new Date(end.getTime() - 86_400_000).toISOString().slice(0, 10)
}

function firstDayOf(tradingYear: number, startMonth: number): string {
  return tradingYearBounds(tradingYear, startMonth).start.toISOString().slice(0, 10)
}

/** The trading year renewals are for on a day: the one after the current year. */
export async function renewalYear(db: DB, authorityId: string, now: Date = clock.now()): Promise<{ year: number; startMonth: number }> {
  const startMonth = await startMonthOf(db, authorityId)
  return { year: tradingYearOf(now, startMonth) + 1, startMonth }
}

// ---------------------------------------------------------------------------
// The window (LA administrator)

export type RenewalWindow = {
  id: string
  tradingYear: number
  opensOn: string
  closesOn: string
  openedAt: Date | null
  state: WindowState
}

export async function getRenewalWindow(db: DB | Trx, authorityId: string, tradingYear: number, now: Date = clock.now()): Promise<RenewalWindow | null> {
  const row = await db
    .selectFrom('renewal_windows')
    .select(['id', 'trading_year', 'opens_on', 'closes_on', 'opened_at'])
    .where('authority_id', '=', authorityId)
    .where('trading_year', '=', tradingYear)
    .executeTakeFirst()
  if (!row) return null
  return {
    id: row.id,
    tradingYear: row.trading_year,
    opensOn: row.opens_on,
    closesOn: row.closes_on,
    openedAt: row.opened_at,
    state: windowState({ opensOn: row.opens_on, closesOn: row.closes_on }, ukDate(now)),
  }
}

export type ProposalCounts = Record<RenewalProposalStatus, number> & { total: number }

/** How many proposals of the year stand where on a day (open ones past their closing day count as lapsed). */
export async function proposalCounts(db: DB, authorityId: string, tradingYear: number, today: string = clock.today()): Promise<ProposalCounts> {
  const rows = await db
    .selectFrom('renewal_proposals as p')
    .innerJoin('renewal_windows as w', (j) => j.onRef('w.authority_id', '=', 'p.authority_id').onRef('w.id', '=', 'p.window_id'))
    .select(['p.status', 'w.closes_on', (eb) => eb.fn.countAll<number>().as('n')])
    .where('p.authority_id', '=', authorityId)
    .where('p.trading_year', '=', tradingYear)
    .groupBy(['p.status', 'w.closes_on'])
    .execute()
  const counts: ProposalCounts = { open: 0, accepted: 0, declined: 0, lapsed: 0, total: 0 }
  for (const r of rows) {
    counts[effectiveStatus(r.status, r.closes_on, today)] += Number(r.n)
    counts.total += Number(r.n)
  }
  return counts
}

export type SaveWindowResult = { ok: true; opened: OpenResult | null } | { ok: false; problems: WindowProblem[] }

/**
 * Sets the window's dates for next year (creating it), and with `open`
 * makes the proposals now. Dates already opened can still be moved (say to
 * give schools longer), within the same rules.
 */
export async function saveRenewalWindow(
  db: DB,
  actor: { authorityId: string; userId: string; ip: string; userAgent: string | null },
  input: { tradingYear: number; opensOn: string; closesOn: string; open: boolean },
  now: Date = clock.now(),
): Promise<SaveWindowResult> {
  const startMonth = await startMonthOf(db, actor.authorityId)
  const problems = windowProblems(input, input.tradingYear, startMonth)
  if (input.open && problems.length === 0 && input.closesOn < ukDate(now)) {
    problems.push({ field: 'closesOn', message: 'The closing date has passed: choose a later one to open renewals' })
  }
  if (problems.length) return { ok: false, problems }
  if (input.open) await getBoss()
  return db.transaction().execute(async (trx): Promise<SaveWindowResult> => {
    const window = await trx
      .insertInto('renewal_windows')
      .values({
        authority_id: actor.authorityId,
        trading_year: input.tradingYear,
        opens_on: input.opensOn,
        closes_on: input.closesOn,
        updated_by: actor.userId,
      })
      .onConflict((oc) =>
        oc.columns(['authority_id', 'trading_year']).doUpdateSet({
          opens_on: input.opensOn,
          closes_on: input.closesOn,
          updated_by: actor.userId,
          updated_at: now,
        }),
      )
      .returning('id')
      .executeTakeFirstOrThrow()
    const opened = input.open ? await openRenewals(trx, { authorityId: actor.authorityId, tradingYear: input.tradingYear, actorUserId: actor.userId, now }) : null
    await recordAudit(trx, {
      authorityId: actor.authorityId,
      actorUserId: actor.userId,
      action: opened ? 'renewal.opened' : 'renewal.window_saved',
      subjectType: 'renewal_window',
      subjectId: window.id,
      ip: actor.ip,
      userAgent: actor.userAgent,
      details: { tradingYear: input.tradingYear, opensOn: input.opensOn, closesOn: input.closesOn, ...(opened ? { proposalsMade: opened.created, emailsQueued: opened.emails } : {}) },
    })
    return { ok: true, opened }
  })
}

// ---------------------------------------------------------------------------
// Opening: proposals from this year's lines

export type OpenResult = { created: number; proposals: number; emails: number }

type PricingSchool = { id: string; name: string; school_type: SchoolType; pupil_count: number }

function quoteLine(priced: PricedOffer | undefined, school: PricingSchool, authorityId: string, quantity: number, tradingYear: number, startMonth: number) {
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

/**
 * Opens renewals into a trading year: the window is marked opened and each
 * school of the authority with confirmed or completed lines in the year
 * before gets a proposal made from them (domain rules: proposalLinesFrom),
 * and, with `notify`, an email to its active business managers. Idempotent:
 * a school that already has a proposal for the year gets no second one (the
 * unique key decides, even when two openings run at once), and no email.
 * Runs in the caller's transaction when given one (the seed), otherwise in
 * its own.
 */
export async function openRenewals(
  db: Kysely<Database>,
  input: { authorityId: string; tradingYear: number; actorUserId: string | null; now?: Date; notify?: boolean },
): Promise<OpenResult> {
  const notify = input.notify ?? true
  const now = input.now ?? clock.now()
  if (notify && !db.isTransaction) await getBoss()
  const run = async (trx: Trx): Promise<OpenResult> => {
    const { authorityId, tradingYear } = input
    const window = await trx
      .selectFrom('renewal_windows')
      .select(['id', 'opened_at', 'closes_on'])
      .where('authority_id', '=', authorityId)
      .where('trading_year', '=', tradingYear)
      .forUpdate()
      .executeTakeFirst()
    if (!window) throw new Error(`No renewal window for ${tradingYear}`)
    if (!window.opened_at) {
      await trx
        .updateTable('renewal_windows')
        .set({ opened_at: now, opened_by: input.actorUserId, updated_at: now })
        .where('authority_id', '=', authorityId)
        .where('id', '=', window.id)
        .execute()
    }
    const startMonth = await startMonthOf(trx, authorityId)
    const lines = await trx
      .selectFrom('order_lines as l')
      .innerJoin('orders as o', (j) => j.onRef('o.authority_id', '=', 'l.authority_id').onRef('o.id', '=', 'l.order_id'))
      .innerJoin('offers as f', (j) => j.onRef('f.authority_id', '=', 'l.authority_id').onRef('f.id', '=', 'l.offer_id'))
      .select([
        'o.school_id',
        'l.offer_id',
        'l.status',
        'l.quantity',
        'f.pricing_model',
        'f.max_quantity',
        (eb) =>
          eb
            .selectFrom('delivery_records as d')
            .select(sql<number | null>`sum(d.units)`.as('units'))
            .whereRef('d.authority_id', '=', 'l.authority_id')
            .whereRef('d.order_line_id', '=', 'l.id')
            .as('used_units'),
        (eb) =>
          eb
            .exists(
              eb
                .selectFrom('order_lines as tl')
                .innerJoin('delivery_records as td', (j) => j.onRef('td.authority_id', '=', 'tl.authority_id').onRef('td.order_line_id', '=', 'tl.id'))
                .select('td.id')
                .whereRef('tl.authority_id', '=', 'l.authority_id')
                .whereRef('tl.offer_id', '=', 'l.offer_id'),
            )
            .as('tracked'),
      ])
      .where('l.authority_id', '=', authorityId)
      .where('l.trading_year', '=', tradingYear - 1)
      .where('l.status', 'in', [...RENEWABLE_STATUSES] as ('confirmed' | 'completed')[])
      .orderBy('o.school_id')
      .orderBy('l.created_at')
      .orderBy('l.id')
      .execute()
    const bySchool = new Map<string, typeof lines>()
    for (const line of lines) {
      const list = bySchool.get(line.school_id) ?? []
      list.push(line)
      bySchool.set(line.school_id, list)
    }
    const existing = new Set(
      (
        await trx
          .selectFrom('renewal_proposals')
          .select('school_id')
          .where('authority_id', '=', authorityId)
          .where('trading_year', '=', tradingYear)
          .execute()
      ).map((r) => r.school_id),
    )
    let created = 0
    let emails = 0
    const newProposals: { id: string; schoolId: string }[] = []
    for (const [schoolId, schoolLines] of bySchool) {
      if (existing.has(schoolId)) continue
      const proposed = proposalLinesFrom(
        schoolLines.map((l) => ({
          offerId: l.offer_id,
          pricingModel: l.pricing_model,
          status: l.status,
          quantity: l.quantity,
          usedUnits: l.used_units !== null ? Number(l.used_units) : l.tracked ? 0 : null,
          maxQuantity: l.max_quantity,
        })),
      )
      if (proposed.length === 0) continue
      const inserted = await trx
        .insertInto('renewal_proposals')
        .values({ authority_id: authorityId, window_id: window.id, school_id: schoolId, trading_year: tradingYear, created_at: now, updated_at: now })
        .onConflict((oc) => oc.columns(['authority_id', 'school_id', 'trading_year']).doNothing())
        .returning('id')
        .executeTakeFirst()
      if (!inserted) continue
      await trx
        .insertInto('renewal_proposal_lines')
        .values(
          proposed.map((p) => ({
            authority_id: authorityId,
            proposal_id: inserted.id,
            offer_id: p.offerId,
            quantity: Math.min(p.quantity, MAX_QUANTITY),
            last_year_quantity: p.lastYearQuantity,
            last_year_used_units: p.lastYearUsedUnits,
            created_at: now,
            updated_at: now,
          })),
        )
        .execute()
      created += 1
      newProposals.push({ id: inserted.id, schoolId })
    }
    if (notify) {
      for (const p of newProposals) emails += await queueProposalEmails(trx, authorityId, p.id, startMonth, window.closes_on)
    }
    const total = await trx
      .selectFrom('renewal_proposals')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('authority_id', '=', authorityId)
      .where('trading_year', '=', tradingYear)
      .executeTakeFirstOrThrow()
    return { created, proposals: Number(total.n), emails }
  }
  return db.isTransaction ? run(db) : db.transaction().execute(run)
}

/**
 * The proposal email, or a reminder of it, to each active business manager
 * of the school; returns how many were queued. Each is keyed by proposal,
 * kind and person, so none is ever sent twice.
 */
async function queueProposalEmails(
  trx: Trx,
  authorityId: string,
  proposalId: string,
  startMonth: number,
  closesOn: string,
  reminder?: { kind: ReminderKind; daysLeft: number },
): Promise<number> {
  // Emails go out while the window is open: read the proposal as on a day it is still open.
  const view = await proposalView(trx, authorityId, proposalId, startMonth, closesOn)
  if (!view) return 0
  const [authority, buyers] = await Promise.all([
    trx.selectFrom('authorities').select(['name', 'contact_email']).where('id', '=', authorityId).executeTakeFirstOrThrow(),
    trx
      .selectFrom('users as u')
      .innerJoin('user_roles as r', (j) => j.onRef('r.authority_id', '=', 'u.authority_id').onRef('r.user_id', '=', 'u.id'))
      .select(['u.id', 'u.email', 'u.name'])
      .where('u.authority_id', '=', authorityId)
      .where('u.school_id', '=', view.schoolId)
      .where('u.is_active', '=', true)
      .where('r.role', '=', 'school_buyer')
      .orderBy('u.email')
      .execute(),
  ])
  let queued = 0
  for (const buyer of buyers) {
    const { created } = await queueEmail(trx, {
      authorityId,
      template: 'renewal-proposal',
      to: buyer.email,
      idempotencyKey: `renewal:${proposalId}:${reminder ? `reminder-${reminder.kind}` : 'proposal'}:${buyer.id}`,
      props: {
        authorityName: authority.name,
        contactEmail: authority.contact_email,
        schoolName: view.schoolName,
        recipientName: buyer.name,
        yearLabel: tradingYearLabel(view.tradingYear),
        closesOn: longDate(closesOn),
        lines: view.lines.map(
          (l) => `${l.serviceName}: ${l.offerName}, ${l.quantityText}, ${formatPence(l.quote.grossPence)} (${l.lastYear ? l.lastYear.charAt(0).toLowerCase() + l.lastYear.slice(1) : 'added'})`,
        ),
        total: view.vatPence > 0 ? `${formatPence(view.grossPence)} (${formatPence(view.netPence)} plus ${formatPence(view.vatPence)} VAT)` : `${formatPence(view.grossPence)} (no VAT)`,
        notYetPriced: view.notPriced.map((l) => `${l.serviceName}: ${l.offerName}`),
        renewalsUrl: appUrl('/renewals'),
        ...(reminder ? { reminderDaysLeft: reminder.daysLeft } : {}),
      },
    })
    if (created) queued += 1
  }
  return queued
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
async function proposalView(db: Trx, authorityId: string, proposalId: string, startMonth: number, today: string = clock.today()): Promise<ProposalView | null> {
  const p = await db
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
  if (!p) return null
  const rows = await db
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
    .where('l.proposal_id', '=', p.id)
    .orderBy('sv.name')
    .orderBy('f.position')
    .orderBy('f.name')
    .execute()
  const priced = await loadPricedOffers(db as DB, authorityId, rows.map((r) => ({ ...r, id: r.offer_id })))
  const school: PricingSchool = { id: p.school_id, name: p.school_name, school_type: p.school_type, pupil_count: p.pupil_count }
  const lines: ProposalLineView[] = []
  const notPriced: NotPricedLine[] = []
  for (const r of rows) {
    const lastYear =
      r.last_year_quantity !== null
        ? lastYearText(r.last_year_quantity, r.last_year_used_units === null ? null : Number(r.last_year_used_units), { one: r.unit_one, other: r.unit_other })
        : null
    const quote = r.is_published && r.service_published ? quoteLine(priced.get(r.offer_id), school, authorityId, r.quantity, p.trading_year, startMonth) : null
    const base = { id: r.id, serviceName: r.service_name, offerName: r.offer_name, quantityText: quantityText(r.quantity, r.unit_one, r.unit_other), lastYear }
    if (!quote) {
      notPriced.push(base)
      continue
    }
    lines.push({ ...base, offerId: r.offer_id, unitOne: r.unit_one, unitOther: r.unit_other, maxQuantity: r.max_quantity, quantity: r.quantity, quote })
  }
  const netPence = lines.reduce((n, l) => n + l.quote.netPence, 0)
  const vatPence = lines.reduce((n, l) => n + l.quote.vatPence, 0)
  return proposalAsRead({
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
  }, p.closes_on, today)
}

export type AddableOffer = { id: string; label: string }

/** Next year's published offers that can be added (priced for the year, not dated courses, not already proposed). */
async function addableOffers(db: DB, authorityId: string, view: ProposalView, startMonth: number, school: PricingSchool): Promise<AddableOffer[]> {
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
export type RenewalActor = { authorityId: string; schoolId: string; userId: string; ip?: string; userAgent?: string | null }

function auditAnswer(trx: Trx, actor: RenewalActor, action: 'renewal.accepted' | 'renewal.declined', proposalId: string, details: Record<string, unknown>) {
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
export type ChangeResult = { ok: true } | { ok: false; field: string; message: string } | { ok: false; notFound: true } | { ok: false; closed: true }

/** The school's proposal for the year, locked, if it can still be answered. */
async function lockAnswerable(trx: Trx, actor: RenewalActor, now: Date, proposalId?: string) {
  await sql`set local lock_timeout = ${sql.lit(LOCK_TIMEOUT)}`.execute(trx)
  const startMonth = await startMonthOf(trx, actor.authorityId)
  const year = tradingYearOf(now, startMonth) + 1
  let query = trx
    .selectFrom('renewal_proposals as p')
    .innerJoin('renewal_windows as w', (j) => j.onRef('w.authority_id', '=', 'p.authority_id').onRef('w.id', '=', 'p.window_id'))
    .select(['p.id', 'p.status', 'p.trading_year', 'w.closes_on', 'w.opened_at'])
    .where('p.authority_id', '=', actor.authorityId)
    .where('p.school_id', '=', actor.schoolId)
  query = proposalId ? query.where('p.id', '=', proposalId) : query.where('p.trading_year', '=', year)
  const p = await query.forUpdate('p').executeTakeFirst()
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

async function schoolForPricing(trx: Trx, actor: RenewalActor) {
  return trx
    .selectFrom('schools')
    .select(['id', 'name', 'school_type', 'pupil_count', 'approval_limit_pence', 'po_number_required'])
    .where('authority_id', '=', actor.authorityId)
    .where('id', '=', actor.schoolId)
    .executeTakeFirstOrThrow()
}

/** Checks that an offer can be proposed for the year at a quantity; the problem in words otherwise. */
async function checkOfferQuantity(trx: Trx, actor: RenewalActor, offerId: string, quantity: number, tradingYear: number, startMonth: number, field: string) {
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
    return { ok: false as const, field, message: `You can have up to ${quantityText(offer.max_quantity, offer.unit_one, offer.unit_other)} of ${offer.name}` }
  }
  const school = await schoolForPricing(trx, actor)
  const priced = (await loadPricedOffers(trx as DB, actor.authorityId, [offer])).get(offer.id)
  const result = priced
    ? quotePrice(priced, { authorityId: actor.authorityId, type: school.school_type, pupilCount: school.pupil_count }, quantity, tradingYearBounds(tradingYear, startMonth).start, startMonth)
    : { ok: false as const, reason: `${offer.name} is not on sale` }
  if (!result.ok) return { ok: false as const, field, message: result.reason }
  return { ok: true as const }
}

/** Changes the quantity of a line of the school's proposal. */
export async function updateProposalLine(db: DB, actor: RenewalActor, input: { lineId: string; quantity: number }, now: Date = clock.now()): Promise<ChangeResult> {
  return db.transaction().execute(async (trx): Promise<ChangeResult> => {
    const found = await lockAnswerable(trx, actor, now)
    if (found.kind === 'not_found') return { ok: false, notFound: true }
    if (found.kind === 'closed') return { ok: false, closed: true }
    const line = await trx
      .selectFrom('renewal_proposal_lines')
      .select(['id', 'offer_id'])
      .where('authority_id', '=', actor.authorityId)
      .where('proposal_id', '=', found.proposal.id)
      .where('id', '=', input.lineId)
      .executeTakeFirst()
    if (!line) return { ok: false, notFound: true }
    const field = `quantity-${line.id}`
    const check = await checkOfferQuantity(trx, actor, line.offer_id, input.quantity, found.proposal.trading_year, found.startMonth, field)
    if (!check.ok) return check
    await trx
      .updateTable('renewal_proposal_lines')
      .set({ quantity: input.quantity, updated_at: now })
      .where('authority_id', '=', actor.authorityId)
      .where('id', '=', line.id)
      .execute()
    await touch(trx, actor.authorityId, found.proposal.id, now)
    return { ok: true }
  })
}

async function touch(trx: Trx, authorityId: string, proposalId: string, now: Date) {
  await trx.updateTable('renewal_proposals').set({ updated_at: now }).where('authority_id', '=', authorityId).where('id', '=', proposalId).execute()
}

/** Takes a line out of the school's proposal. */
export async function removeProposalLine(db: DB, actor: RenewalActor, lineId: string, now: Date = clock.now()): Promise<ChangeResult> {
  return db.transaction().execute(async (trx): Promise<ChangeResult> => {
    const found = await lockAnswerable(trx, actor, now)
    if (found.kind === 'not_found') return { ok: false, notFound: true }
    if (found.kind === 'closed') return { ok: false, closed: true }
    const deleted = await trx
      .deleteFrom('renewal_proposal_lines')
      .where('authority_id', '=', actor.authorityId)
      .where('proposal_id', '=', found.proposal.id)
      .where('id', '=', lineId)
      .executeTakeFirst()
    if (Number(deleted.numDeletedRows) === 0) return { ok: false, notFound: true }
    await touch(trx, actor.authorityId, found.proposal.id, now)
    return { ok: true }
  })
}

/** Adds one of next year's offers to the school's proposal (or adds to its quantity when already there). */
export async function addProposalLine(db: DB, actor: RenewalActor, input: { offerId: string; quantity: number }, now: Date = clock.now()): Promise<ChangeResult> {
  return db.transaction().execute(async (trx): Promise<ChangeResult> => {
    const found = await lockAnswerable(trx, actor, now)
    if (found.kind === 'not_found') return { ok: false, notFound: true }
    if (found.kind === 'closed') return { ok: false, closed: true }
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
      await trx.updateTable('renewal_proposal_lines').set({ quantity, updated_at: now }).where('authority_id', '=', actor.authorityId).where('id', '=', same.id).execute()
    } else {
      await trx
        .insertInto('renewal_proposal_lines')
        .values({ authority_id: actor.authorityId, proposal_id: found.proposal.id, offer_id: input.offerId, quantity, created_at: now, updated_at: now })
        .execute()
    }
    await touch(trx, actor.authorityId, found.proposal.id, now)
    return { ok: true }
  })
}

export type AcceptResult =
  | { kind: 'accepted'; orderId: string; reference: string; status: 'submitted' | 'awaiting_approval' }
  | { kind: 'already'; status: RenewalProposalStatus; orderId: string | null }
  | { kind: 'closed' }
  | { kind: 'problem'; field: string; message: string }
  | { kind: 'not_found' }

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
  actor: RenewalActor,
  input: { proposalId: string; poNumber: string | null },
  now: Date = clock.now(),
): Promise<AcceptResult> {
  await getBoss()
  const result = await db.transaction().execute(async (trx): Promise<AcceptResult> => {
    const found = await lockAnswerable(trx, actor, now, input.proposalId)
    if (found.kind === 'not_found') return { kind: 'not_found' }
    if (found.kind === 'closed') {
      const p = await trx.selectFrom('renewal_proposals').select(['status', 'order_id']).where('authority_id', '=', actor.authorityId).where('id', '=', found.proposal.id).executeTakeFirstOrThrow()
      return p.status === 'open' ? { kind: 'closed' } : { kind: 'already', status: p.status, orderId: p.order_id }
    }
    const { proposal, startMonth } = found
    const school = await schoolForPricing(trx, actor)
    if (school.po_number_required && !input.poNumber) return { kind: 'problem', field: 'poNumber', message: 'Enter your school’s purchase order number' }
    const view = await proposalView(trx, actor.authorityId, proposal.id, startMonth, ukDate(now))
    if (!view || view.lines.length === 0) {
      return { kind: 'problem', field: 'lines', message: 'Your proposal has nothing priced for next year in it: add a package, or decline' }
    }
    const hoursPerUnit = new Map(
      (
        await trx
          .selectFrom('offers')
          .select(['id', 'hours_per_unit'])
          .where('authority_id', '=', actor.authorityId)
          .where(
            'id',
            'in',
            view.lines.map((l) => l.offerId),
          )
          .execute()
      ).map((o) => [o.id, o.hours_per_unit]),
    )
    const order = await trx
      .insertInto('orders')
      .values({
        authority_id: actor.authorityId,
        school_id: actor.schoolId,
        reference: `RENEWAL-${randomUUID()}`,
        status: 'submitted',
        po_number: input.poNumber,
        created_by: actor.userId,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const periodStart = firstDayOf(proposal.trading_year, startMonth)
    const periodEnd = lastDayOf(proposal.trading_year, startMonth)
    await trx
      .insertInto('order_lines')
      .values(
        view.lines.map((l) => ({
          authority_id: actor.authorityId,
          order_id: order.id,
          offer_id: l.offerId,
          status: 'submitted' as const,
          trading_year: l.quote.tradingYear,
          period_start: periodStart,
          period_end: periodEnd,
          quantity: l.quote.quantity,
          hours: lineHours(hoursPerUnit.get(l.offerId) ?? 0, l.quote.quantity),
          unit_price_pence: l.quote.unitPricePence,
          net_pence: l.quote.netPence,
          vat_rate_basis_points: l.quote.vatRateBasisPoints,
          vat_pence: l.quote.vatPence,
          gross_pence: l.quote.grossPence,
          price_explanation: l.quote.explanation,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute()
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
    await decideSubmittedLines(db, actor.authorityId, result.orderId, actor.userId)
  }
  return result
}

export type DeclineResult = { ok: true } | { ok: false; closed: true } | { ok: false; notFound: true } | { ok: false; already: RenewalProposalStatus }

/** Declines the school's proposal, with its reason (required: the council follows it up). */
export async function declineProposal(db: DB, actor: RenewalActor, input: { proposalId: string; reason: string }, now: Date = clock.now()): Promise<DeclineResult> {
  const reason = input.reason.trim()
  if (!reason) throw new Error('A reason is needed to decline a renewal')
  return db.transaction().execute(async (trx): Promise<DeclineResult> => {
    const found = await lockAnswerable(trx, actor, now, input.proposalId)
    if (found.kind === 'not_found') return { ok: false, notFound: true }
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

// ---------------------------------------------------------------------------
// The daily job: open windows whose day has come, lapse what nobody answered

/**
 * Proposals still open after their window's closing day become `lapsed`
 * (lapsed_at = now). For every authority, or one. Returns how many lapsed.
 */
export async function lapseOverdueProposals(db: DB | Trx, now: Date = clock.now(), authorityId?: string): Promise<number> {
  const today = ukDate(now)
  // Rows are locked in one order (by id), so that pages and the daily job lapsing at once never wait on each other in a circle.
  let overdue = db
    .selectFrom('renewal_proposals as p')
    .innerJoin('renewal_windows as w', (j) => j.onRef('w.authority_id', '=', 'p.authority_id').onRef('w.id', '=', 'p.window_id'))
    .select('p.id')
    .where('p.status', '=', 'open')
    .where('w.closes_on', '<', today)
    .orderBy('p.id')
    .forUpdate('p')
  if (authorityId) overdue = overdue.where('p.authority_id', '=', authorityId)
  const result = await db
    .updateTable('renewal_proposals')
    .set({ status: 'lapsed', lapsed_at: now, updated_at: now })
    .where('id', 'in', overdue)
    .where('status', '=', 'open')
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

/**
 * Reminds the business managers of every school whose proposal is still
 * waiting, two weeks and three days before its window closes (rule
 * "renewal reminders", reminderDue). Each reminder goes once per proposal
 * and person, however often this runs. For every authority, or one.
 * Returns how many emails were queued.
 */
export async function remindOpenProposals(db: DB, now: Date = clock.now(), authorityId?: string): Promise<number> {
  const today = ukDate(now)
  let query = db
    .selectFrom('renewal_proposals as p')
    .innerJoin('renewal_windows as w', (j) => j.onRef('w.authority_id', '=', 'p.authority_id').onRef('w.id', '=', 'p.window_id'))
    .select(['p.id', 'p.authority_id', 'p.created_at', 'w.closes_on'])
    .where('p.status', '=', 'open')
    .where('w.opened_at', 'is not', null)
    .where('w.opens_on', '<=', today)
    .where('w.closes_on', '>=', today)
    .orderBy('p.authority_id')
    .orderBy('p.id')
  if (authorityId) query = query.where('p.authority_id', '=', authorityId)
  const waiting = await query.execute()
  const due = waiting.flatMap((p) => {
    const reminder = reminderDue({ closesOn: p.closes_on, today, proposedOn: ukDate(new Date(p.created_at)) })
    return reminder ? [{ ...p, reminder }] : []
  })
  if (due.length === 0) return 0
  await getBoss()
  const startMonths = new Map<string, number>()
  let queued = 0
  for (const p of due) {
    const startMonth = startMonths.get(p.authority_id) ?? (await startMonthOf(db, p.authority_id))
    startMonths.set(p.authority_id, startMonth)
    queued += await db.transaction().execute(async (trx) => {
      // Answered since it was read (the lock waits for an answer being given): no reminder.
      const still = await trx
        .selectFrom('renewal_proposals')
        .select('status')
        .where('authority_id', '=', p.authority_id)
        .where('id', '=', p.id)
        .forUpdate()
        .executeTakeFirst()
      return still?.status === 'open' ? queueProposalEmails(trx, p.authority_id, p.id, startMonth, p.closes_on, p.reminder) : 0
    })
  }
  return queued
}

/** Windows whose opening day has come (and not yet closed) that have not been opened: opened now, with emails. */
export async function openDueRenewalWindows(db: DB, now: Date = clock.now()): Promise<number> {
  const today = ukDate(now)
  const due = await db
    .selectFrom('renewal_windows')
    .select(['authority_id', 'trading_year'])
    .where('opened_at', 'is', null)
    .where('opens_on', '<=', today)
    .where('closes_on', '>=', today)
    .execute()
  for (const w of due) await openRenewals(db, { authorityId: w.authority_id, tradingYear: w.trading_year, actorUserId: null, now })
  return due.length
}

export type FollowUpSchool = SchoolToContact & {
  proposalId: string
  status: 'lapsed' | 'declined'
  /** The school's reason, when it declined. */
  reason: string | null
  /** When it lapsed or was declined. */
  at: Date | null
  /** The services of the proposal's lines (within the scope asked for). */
  services: string[]
}

export type RenewalFollowUp = { window: RenewalWindow & { openedAt: Date }; counts: ProposalCounts; schools: FollowUpSchool[] }

/**
 * Renewals into a trading year as /la/trading shows them on a day (open
 * proposals past the closing day read as lapsed): how many proposals stand where, and the schools to follow
 * up, those whose proposal lapsed or was declined, lapsed first, with the
 * services their proposal held. For a service lead (a list of services),
 * only proposals holding one of those services count. Null when no window
 * was opened for the year.
 */
export async function renewalFollowUp(
  db: DB,
  authorityId: string,
  tradingYear: number,
  serviceIds: readonly string[] | 'all',
  now: Date = clock.now(),
): Promise<RenewalFollowUp | null> {
  const window = await getRenewalWindow(db, authorityId, tradingYear, now)
  const openedAt = window?.openedAt
  if (!window || !openedAt) return null
  const today = ukDate(now)
  const rows = await db
    .selectFrom('renewal_proposals as p')
    .innerJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'p.authority_id').onRef('s.id', '=', 'p.school_id'))
    .leftJoin('renewal_proposal_lines as l', (j) => j.onRef('l.authority_id', '=', 'p.authority_id').onRef('l.proposal_id', '=', 'p.id'))
    .leftJoin('offers as f', (j) => j.onRef('f.authority_id', '=', 'l.authority_id').onRef('f.id', '=', 'l.offer_id'))
    .leftJoin('services as v', (j) => j.onRef('v.authority_id', '=', 'f.authority_id').onRef('v.id', '=', 'f.service_id'))
    .select([
      'p.id',
      'p.school_id',
      'p.status',
      'p.decline_reason',
      'p.decided_at',
      'p.lapsed_at',
      's.name as school_name',
      's.phase',
      's.email',
      's.phone',
      's.headteacher_name',
      'v.id as service_id',
      'v.name as service_name',
    ])
    .where('p.authority_id', '=', authorityId)
    .where('p.trading_year', '=', tradingYear)
    .orderBy('s.name')
    .orderBy('p.id')
    .orderBy('v.name')
    .execute()
  const inScope = (serviceId: string | null) => serviceIds === 'all' || (serviceId !== null && serviceIds.includes(serviceId))
  const proposals = new Map<string, (typeof rows)[number] & { services: Set<string>; held: boolean }>()
  for (const r of rows) {
    const p = proposals.get(r.id) ?? { ...r, services: new Set<string>(), held: serviceIds === 'all' }
    if (r.service_id !== null && inScope(r.service_id)) {
      p.services.add(r.service_name!)
      p.held = true
    }
    proposals.set(r.id, p)
  }
  const counts: ProposalCounts = { open: 0, accepted: 0, declined: 0, lapsed: 0, total: 0 }
  const schools: FollowUpSchool[] = []
  for (const held of proposals.values()) {
    if (!held.held) continue
    const p = { ...held, ...proposalAsRead({ status: held.status, lapsedAt: held.lapsed_at }, window.closesOn, today) }
    counts[p.status] += 1
    counts.total += 1
    if (p.status !== 'lapsed' && p.status !== 'declined') continue
    schools.push({
      proposalId: p.id,
      schoolId: p.school_id,
      schoolName: p.school_name,
      phase: p.phase,
      email: p.email,
      phone: p.phone,
      headteacher: p.headteacher_name,
      status: p.status,
      reason: p.status === 'declined' ? p.decline_reason : null,
      at: p.status === 'lapsed' ? p.lapsedAt : p.decided_at,
      services: [...p.services],
    })
  }
  schools.sort((a, b) => (a.status === b.status ? 0 : a.status === 'lapsed' ? -1 : 1))
  return { window: { ...window, openedAt }, counts, schools }
}

/**
 * One proposal of the authority as the LA administrator reads it on a day
 * (read as lapsed once its window has closed): the school, its lines at next year's prices beside this
 * year's use, and its answer. Null when the authority has no such proposal.
 */
export async function getProposalForAdmin(db: DB, authorityId: string, proposalId: string, now: Date = clock.now()) {
  const [proposal, window] = await Promise.all([
    proposalView(db, authorityId, proposalId, await startMonthOf(db, authorityId), ukDate(now)),
    db
      .selectFrom('renewal_proposals as p')
      .innerJoin('renewal_windows as w', (j) => j.onRef('w.authority_id', '=', 'p.authority_id').onRef('w.id', '=', 'p.window_id'))
      .select(['w.closes_on'])
      .where('p.authority_id', '=', authorityId)
      .where('p.id', '=', proposalId)
      .executeTakeFirst(),
  ])
  return proposal && window ? { proposal, closesOn: window.closes_on } : null
}

/** The proposals of a year for the administrator's list, as read on a day: school, status, decision. */
export async function listProposals(db: DB, authorityId: string, tradingYear: number, today: string = clock.today()) {
  const rows = await db
    .selectFrom('renewal_proposals as p')
    .innerJoin('renewal_windows as w', (j) => j.onRef('w.authority_id', '=', 'p.authority_id').onRef('w.id', '=', 'p.window_id'))
    .innerJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'p.authority_id').onRef('s.id', '=', 'p.school_id'))
    .leftJoin('orders as o', (j) => j.onRef('o.authority_id', '=', 'p.authority_id').onRef('o.id', '=', 'p.order_id'))
    .select(['p.id', 's.name as school_name', 'p.status', 'p.decline_reason', 'p.decided_at', 'p.lapsed_at', 'w.closes_on', 'o.id as order_id', 'o.reference as order_reference'])
    .where('p.authority_id', '=', authorityId)
    .where('p.trading_year', '=', tradingYear)
    .orderBy('s.name')
    .execute()
  return rows.map(({ closes_on, ...row }) => {
    const read = proposalAsRead({ status: row.status, lapsedAt: row.lapsed_at }, closes_on, today)
    return { ...row, status: read.status, lapsed_at: read.lapsedAt }
  })
}
