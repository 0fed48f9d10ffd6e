import { clock } from '../../utils/clock'
import { sql, type Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { longDate } from '../../domain/dates'
import { formatPence } from '../../domain/money'
import { MAX_QUANTITY } from '../../domain/pricing'
import { proposalLinesFrom, RENEWABLE_STATUSES, type ReminderKind } from '../../domain/renewals'
import { tradingYearLabel } from '../../domain/trading-year'
import { appUrl, queueEmail } from '../../utils/email.server'
import { getBoss } from '../../utils/jobs.server'
import { proposalView } from './proposal-view.server'
import { startMonthOf } from '../shared/authority.server'
import type { DB } from '../../../db/connection'
import { forUpdate } from '../../utils/locks.server'

/**
 * Opening renewals: one proposal per school from this year's confirmed
 * lines, and the proposal emails (and reminders) to business managers.
 */

export type OpenResult = { created: number; proposals: number; emails: number }

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
  const run = async (trx: DB): Promise<OpenResult> => {
    const { authorityId, tradingYear } = input
    const window = await markWindowOpened(trx, authorityId, tradingYear, input.actorUserId, now)
    const startMonth = await startMonthOf(trx, authorityId)
    const bySchool = new Map<string, Awaited<ReturnType<typeof renewableLines>>>()
    for (const line of await renewableLines(trx, authorityId, tradingYear - 1))
      bySchool.set(line.school_id, [...(bySchool.get(line.school_id) ?? []), line])
    const existing = await schoolsWithProposals(trx, authorityId, tradingYear)
    const newProposals: string[] = []
    for (const [schoolId, schoolLines] of bySchool) {
      if (existing.has(schoolId)) continue
      const id = await proposeFromLines(trx, { authorityId, windowId: window.id, schoolId, tradingYear, now }, schoolLines)
      if (id) newProposals.push(id)
    }
    let emails = 0
    if (notify) {
      for (const id of newProposals) emails += await queueProposalEmails(trx, authorityId, id, startMonth, window.closes_on)
    }
    const total = await trx
      .selectFrom('renewal_proposals')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('authority_id', '=', authorityId)
      .where('trading_year', '=', tradingYear)
      .executeTakeFirstOrThrow()
    return { created: newProposals.length, proposals: Number(total.n), emails }
  }
  return db.isTransaction ? run(db) : db.transaction().execute(run)
}

/** The year's window, locked, marked opened (once) by whoever opened it. */
async function markWindowOpened(trx: DB, authorityId: string, tradingYear: number, actorUserId: string | null, now: Date) {
  const window = await trx
    .selectFrom('renewal_windows')
    .select(['id', 'opened_at', 'closes_on'])
    .where('authority_id', '=', authorityId)
    .where('trading_year', '=', tradingYear)
    .$call(forUpdate)
    .executeTakeFirst()
  if (!window) throw new Error(`No renewal window for ${tradingYear}`)
  if (!window.opened_at) {
    await trx
      .updateTable('renewal_windows')
      .set({ opened_at: now, opened_by: actorUserId, updated_at: now })
      .where('authority_id', '=', authorityId)
      .where('id', '=', window.id)
      .execute()
  }
  return window
}

/** A year's confirmed and completed lines, school by school, with what was used of each (null when its offer's use is not recorded). */
function renewableLines(trx: DB, authorityId: string, tradingYear: number) {
  return trx
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
    .where('l.trading_year', '=', tradingYear)
    .where('l.status', 'in', [...RENEWABLE_STATUSES] as ('confirmed' | 'completed')[])
    .orderBy('o.school_id')
    .orderBy('l.created_at')
    .orderBy('l.id')
    .execute()
}

async function schoolsWithProposals(trx: DB, authorityId: string, tradingYear: number): Promise<Set<string>> {
  const rows = await trx
    .selectFrom('renewal_proposals')
    .select('school_id')
    .where('authority_id', '=', authorityId)
    .where('trading_year', '=', tradingYear)
    .execute()
  return new Set(rows.map((r) => r.school_id))
}

/**
 * One school's proposal made from its lines (domain rules:
 * proposalLinesFrom). The id of the new proposal, or null when nothing is
 * renewable or another opening got there first (the unique key decides).
 */
async function proposeFromLines(
  trx: DB,
  at: { authorityId: string; windowId: string; schoolId: string; tradingYear: number; now: Date },
  schoolLines: Awaited<ReturnType<typeof renewableLines>>,
): Promise<string | null> {
  const { authorityId, now } = at
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
  if (proposed.length === 0) return null
  const inserted = await trx
    .insertInto('renewal_proposals')
    .values({
      authority_id: authorityId,
      window_id: at.windowId,
      school_id: at.schoolId,
      trading_year: at.tradingYear,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(['authority_id', 'school_id', 'trading_year']).doNothing())
    .returning('id')
    .executeTakeFirst()
  if (!inserted) return null
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
  return inserted.id
}

/**
 * The proposal email, or a reminder of it, to each active business manager
 * of the school; returns how many were queued. Each is keyed by proposal,
 * kind and person, so none is ever sent twice.
 */
export async function queueProposalEmails(
  trx: DB,
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
          (l) =>
            `${l.serviceName}: ${l.offerName}, ${l.quantityText}, ${formatPence(l.quote.grossPence)} (${l.lastYear ? l.lastYear.charAt(0).toLowerCase() + l.lastYear.slice(1) : 'added'})`,
        ),
        total:
          view.vatPence > 0
            ? `${formatPence(view.grossPence)} (${formatPence(view.netPence)} plus ${formatPence(view.vatPence)} VAT)`
            : `${formatPence(view.grossPence)} (no VAT)`,
        notYetPriced: view.notPriced.map((l) => `${l.serviceName}: ${l.offerName}`),
        renewalsUrl: appUrl('/renewals'),
        ...(reminder ? { reminderDaysLeft: reminder.daysLeft } : {}),
      },
    })
    if (created) queued += 1
  }
  return queued
}
