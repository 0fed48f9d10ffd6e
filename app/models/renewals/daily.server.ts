import { clock } from '../../utils/clock'
import type { DB } from '../../../db/connection'
import { ukDate } from '../../domain/dates'
import { reminderDue } from '../../domain/renewals'
import { getBoss } from '../../utils/jobs.server'
import { openRenewals, queueProposalEmails } from './opening.server'
import { startMonthOf } from '../shared/authority.server'
import { forUpdate } from '../../utils/locks.server'

/**
 * The daily renewals job's work: open windows whose day has come, remind
 * schools that have not answered, and record as lapsed what nobody answered
 * by the closing day.
 */

/**
 * Proposals still open after their window's closing day become `lapsed`
 * (lapsed_at = now). For every authority, or one. Returns how many lapsed.
 */
export async function lapseOverdueProposals(db: DB, now: Date = clock.now(), authorityId?: string): Promise<number> {
  const today = ukDate(now)
  // Rows are locked in one order (by id), so that pages and the daily job lapsing at once never wait on each other in a circle.
  let overdue = db
    .selectFrom('renewal_proposals as p')
    .innerJoin('renewal_windows as w', (j) => j.onRef('w.authority_id', '=', 'p.authority_id').onRef('w.id', '=', 'p.window_id'))
    .select('p.id')
    .where('p.status', '=', 'open')
    .where('w.closes_on', '<', today)
    .orderBy('p.id')
    .$call((q) => forUpdate(q, 'p'))
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
        .$call(forUpdate)
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
