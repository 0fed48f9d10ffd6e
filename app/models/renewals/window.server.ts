import { clock } from '../../utils/clock'
import type { DB } from '../../../db/connection'
import type { RenewalProposalStatus } from '../../../db/schema'
import { ukDate } from '../../domain/dates'
import { effectiveStatus, windowProblems, windowState, type WindowProblem, type WindowState } from '../../domain/renewals'
import { getBoss } from '../../utils/jobs.server'
import { recordAudit } from '../admin/audit.server'
import { openRenewals, type OpenResult } from './opening.server'
import { startMonthOf } from '../shared/authority.server'
import type { Actor } from '../shared/actor.server'

/**
 * The renewal window (LA administrator): when schools may answer next year's
 * proposals, how many proposals stand where, and saving (and opening) it.
 */

export type RenewalWindow = {
  id: string
  tradingYear: number
  opensOn: string
  closesOn: string
  openedAt: Date | null
  state: WindowState
}

export async function getRenewalWindow(db: DB, authorityId: string, tradingYear: number, now: Date = clock.now()): Promise<RenewalWindow | null> {
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
  actor: Pick<Actor, 'userId' | 'authorityId' | 'ip' | 'userAgent'>,
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
    const opened = input.open
      ? await openRenewals(trx, { authorityId: actor.authorityId, tradingYear: input.tradingYear, actorUserId: actor.userId, now })
      : null
    await recordAudit(trx, {
      authorityId: actor.authorityId,
      actorUserId: actor.userId,
      action: opened ? 'renewal.opened' : 'renewal.window_saved',
      subjectType: 'renewal_window',
      subjectId: window.id,
      ip: actor.ip,
      userAgent: actor.userAgent,
      details: {
        tradingYear: input.tradingYear,
        opensOn: input.opensOn,
        closesOn: input.closesOn,
        ...(opened ? { proposalsMade: opened.created, emailsQueued: opened.emails } : {}),
      },
    })
    return { ok: true, opened }
  })
}
