import { clock } from '../../utils/clock'
import type { DB } from '../../../db/connection'
import { ukDate } from '../../domain/dates'
import { proposalAsRead } from '../../domain/renewals'
import type { SchoolToContact } from '../trading/trading.server'
import { proposalView } from './proposal-view.server'
import { getRenewalWindow, type ProposalCounts, type RenewalWindow } from './window.server'
import { startMonthOf } from '../shared/authority.server'

/**
 * Following renewals up (LA administrator and service leads): the lapsed
 * and declined schools, one proposal as the administrator reads it, and the
 * year's list.
 */

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
    .select([
      'p.id',
      's.name as school_name',
      'p.status',
      'p.decline_reason',
      'p.decided_at',
      'p.lapsed_at',
      'w.closes_on',
      'o.id as order_id',
      'o.reference as order_reference',
    ])
    .where('p.authority_id', '=', authorityId)
    .where('p.trading_year', '=', tradingYear)
    .orderBy('s.name')
    .execute()
  return rows.map(({ closes_on, ...row }) => {
    const read = proposalAsRead({ status: row.status, lapsedAt: row.lapsed_at }, closes_on, today)
    return { ...row, status: read.status, lapsed_at: read.lapsedAt }
  })
}
