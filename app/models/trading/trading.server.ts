import { clock } from '../../utils/clock'
import { sql } from 'kysely'
import type { DB } from '../../../db/connection'
import type { Phase } from '../../../db/schema'
import { buyBackPercent, cumulative, isLapsed, monthOfTradingYear, monthsBegun, renewalEmailKey } from '../../domain/trading'
import { ukDate } from '../../domain/dates'
import { incomeByService, zeroIncome, type ServiceIncome } from './income.server'
import { type ServiceInfo } from './scope.server'
import type { StaffScope } from '../shared/access-scope.server'

/**
 * Trading income against targets, as /la/trading shows it for a trading
 * year: income per service, buy-back by phase, schools that lapsed and the
 * top buyers, in the scope of the person reading.
 */

export type BuyBackFigures = {
  buyers: number
  eligible: number
  percent: number | null
  lastYearBuyers: number
  lastYearEligible: number
  lastYearPercent: number | null
}

type BuyerRow = { school_id: string; phase: Phase; service_id: string; trading_year: number }

/** Each school that bought each service (a confirmed or completed line) in the two years. */
async function buyerRows(db: DB, authorityId: string, serviceIds: readonly string[], tradingYear: number): Promise<BuyerRow[]> {
  if (serviceIds.length === 0) return []
  return db
    .selectFrom('trading_school_services as t')
    .innerJoin('schools as sc', (j) => j.onRef('sc.authority_id', '=', 't.authority_id').onRef('sc.id', '=', 't.school_id'))
    .select(['t.school_id', 'sc.phase', 't.service_id', 't.trading_year'])
    .where('t.authority_id', '=', authorityId)
    .where('t.trading_year', 'in', [tradingYear, tradingYear - 1])
    .where('t.service_id', 'in', [...serviceIds])
    .where('t.booked_lines', '>', 0)
    .execute()
}

async function schoolsByPhase(db: DB, authorityId: string): Promise<{ id: string; phase: Phase }[]> {
  return db.selectFrom('schools').select(['id', 'phase']).where('authority_id', '=', authorityId).execute()
}

/** Buy-back of a group of services: schools buying any of them, of the schools eligible for any of them. */
function buyBackOf(
  schools: { id: string; phase: Phase }[],
  rows: BuyerRow[],
  services: Pick<ServiceInfo, 'id' | 'phases'>[],
  tradingYear: number,
  phase?: Phase,
): BuyBackFigures {
  const ids = new Set(services.map((s) => s.id))
  const phases = new Set(services.flatMap((s) => s.phases))
  const inPhase = (p: Phase) => phase === undefined || p === phase
  const figures = (year: number) => {
    const buyers = new Set(rows.filter((r) => r.trading_year === year && ids.has(r.service_id) && inPhase(r.phase)).map((r) => r.school_id))
    const eligible = new Set(schools.filter((s) => phases.has(s.phase) && inPhase(s.phase)).map((s) => s.id))
    for (const b of buyers) eligible.add(b)
    return { buyers: buyers.size, eligible: eligible.size }
  }
  const now = figures(tradingYear)
  const last = figures(tradingYear - 1)
  return {
    buyers: now.buyers,
    eligible: now.eligible,
    percent: buyBackPercent(now.buyers, now.eligible),
    lastYearBuyers: last.buyers,
    lastYearEligible: last.eligible,
    lastYearPercent: buyBackPercent(last.buyers, last.eligible),
  }
}

/** Buy-back of each group of services (e.g. each team's), keyed as given. */
export async function buyBackOfGroups(
  db: DB,
  authorityId: string,
  groups: Map<string, Pick<ServiceInfo, 'id' | 'phases'>[]>,
  tradingYear: number,
): Promise<Map<string, BuyBackFigures>> {
  const serviceIds = [...new Set([...groups.values()].flat().map((s) => s.id))]
  const [schools, rows] = await Promise.all([schoolsByPhase(db, authorityId), buyerRows(db, authorityId, serviceIds, tradingYear)])
  return new Map([...groups].map(([key, services]) => [key, buyBackOf(schools, rows, services, tradingYear)]))
}

// ---------------------------------------------------------------------------
// The trading page

export type MonthPoint = { month: string; thisYear: number | null; lastYear: number }

/** A school to follow up, and how to reach it. */
export type SchoolToContact = {
  schoolId: string
  schoolName: string
  phase: Phase
  email: string | null
  phone: string | null
  headteacher: string | null
}

export type LapsedSchool = SchoolToContact & {
  serviceId: string
  serviceName: string
  lastYearPence: number
  emailedAt: string | null
}

export type TopBuyer = { schoolId: string; schoolName: string; phase: Phase; bookedPence: number; lastYearPence: number }

export type TradingPage = {
  tradingYear: number
  services: (ServiceInfo & ServiceIncome & { gapPence: number; buyBack: BuyBackFigures })[]
  total: ServiceIncome & { gapPence: number }
  months: MonthPoint[]
  buyBack: { overall: BuyBackFigures; byPhase: (BuyBackFigures & { phase: Phase })[] }
  lapsed: LapsedSchool[]
  topBuyers: TopBuyer[]
}

const PHASE_ORDER: Phase[] = ['nursery', 'primary', 'secondary', 'all_through', 'special', 'alternative_provision']

/** Income booked per month of the year and the year before, for the cumulative chart. */
async function monthlyBooked(db: DB, authorityId: string, serviceIds: readonly string[], tradingYear: number, startMonth: number) {
  const rows =
    serviceIds.length === 0
      ? []
      : await db
          .selectFrom('trading_service_months')
          .select(['trading_year', 'month', sql<number>`sum(booked_pence)::bigint`.as('booked')])
          .where('authority_id', '=', authorityId)
          .where('trading_year', 'in', [tradingYear, tradingYear - 1])
          .where('service_id', 'in', [...serviceIds])
          .groupBy(['trading_year', 'month'])
          .execute()
  const thisYear = new Array<number>(12).fill(0)
  const lastYear = new Array<number>(12).fill(0)
  for (const r of rows) {
    const target = r.trading_year === tradingYear ? thisYear : lastYear
    target[monthOfTradingYear(`${r.month}T00:00:00Z`, r.trading_year, startMonth)]! += Number(r.booked)
  }
  return { thisYear, lastYear }
}

/** Each school's lines of each service last year and this year, for the schools that bought last year. */
function lastYearAndThisYear(db: DB, authorityId: string, serviceIds: string[], tradingYear: number) {
  return (
    db
      .selectFrom('trading_school_services')
      .select([
        'school_id',
        'service_id',
        sql<number>`sum(case when trading_year = ${tradingYear - 1} then booked_pence else 0 end)::bigint`.as('last_year'),
        sql<number>`sum(case when trading_year = ${tradingYear - 1} then booked_lines else 0 end)::int`.as('bought'),
        sql<number>`sum(case when trading_year = ${tradingYear} then live_lines else 0 end)::int`.as('live'),
      ])
      .where('authority_id', '=', authorityId)
      .where('trading_year', 'in', [tradingYear, tradingYear - 1])
      .where('service_id', 'in', serviceIds)
      .groupBy(['school_id', 'service_id'])
      // Rule "lapsed" (isLapsed decides): only rows that bought last year can be.
      .having(sql`sum(case when trading_year = ${tradingYear - 1} then booked_lines else 0 end)`, '>', 0)
      .execute()
  )
}

/** "school:service" for each service held by a renewal proposal into the year that the school can still answer. */
async function renewalsWaiting(db: DB, authorityId: string, serviceIds: string[], tradingYear: number, today: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('renewal_proposals as p')
    .innerJoin('renewal_windows as w', (j) => j.onRef('w.authority_id', '=', 'p.authority_id').onRef('w.id', '=', 'p.window_id'))
    .innerJoin('renewal_proposal_lines as l', (j) => j.onRef('l.authority_id', '=', 'p.authority_id').onRef('l.proposal_id', '=', 'p.id'))
    .innerJoin('offers as f', (j) => j.onRef('f.authority_id', '=', 'l.authority_id').onRef('f.id', '=', 'l.offer_id'))
    .select(['p.school_id', 'f.service_id'])
    .distinct()
    .where('p.authority_id', '=', authorityId)
    .where('p.trading_year', '=', tradingYear)
    .where('p.status', '=', 'open')
    .where('w.opened_at', 'is not', null)
    .where('w.closes_on', '>=', today)
    .where('f.service_id', 'in', serviceIds)
    .execute()
  return new Set(rows.map((r) => `${r.school_id}:${r.service_id}`))
}

export async function lapsedSchools(
  db: DB,
  authorityId: string,
  services: ServiceInfo[],
  tradingYear: number,
  now: Date = clock.now(),
): Promise<LapsedSchool[]> {
  if (services.length === 0) return []
  const ids = services.map((s) => s.id)
  const [rows, waiting] = await Promise.all([
    lastYearAndThisYear(db, authorityId, ids, tradingYear),
    renewalsWaiting(db, authorityId, ids, tradingYear, ukDate(now)),
  ])
  const lapsed = rows.filter((r) => isLapsed(r.bought > 0, r.live, waiting.has(`${r.school_id}:${r.service_id}`)))
  if (lapsed.length === 0) return []
  const schoolIds = [...new Set(lapsed.map((r) => r.school_id))]
  const [schools, emails] = await Promise.all([
    db
      .selectFrom('schools')
      .select(['id', 'name', 'phase', 'email', 'phone', 'headteacher_name'])
      .where('authority_id', '=', authorityId)
      .where('id', 'in', schoolIds)
      .execute(),
    db
      .selectFrom('email_messages')
      .select(['idempotency_key', 'created_at'])
      .where('authority_id', '=', authorityId)
      .where(
        'idempotency_key',
        'in',
        lapsed.map((r) => renewalEmailKey(r.school_id, r.service_id, tradingYear)),
      )
      .execute(),
  ])
  const schoolById = new Map(schools.map((s) => [s.id, s]))
  const serviceById = new Map(services.map((s) => [s.id, s]))
  const emailed = new Map(emails.map((e) => [e.idempotency_key, e.created_at]))
  return lapsed
    .map((r) => {
      const school = schoolById.get(r.school_id)!
      const sentAt = emailed.get(renewalEmailKey(r.school_id, r.service_id, tradingYear))
      return {
        schoolId: r.school_id,
        schoolName: school.name,
        phase: school.phase,
        email: school.email,
        phone: school.phone,
        headteacher: school.headteacher_name,
        serviceId: r.service_id,
        serviceName: serviceById.get(r.service_id)?.name ?? '',
        lastYearPence: Number(r.last_year),
        emailedAt: sentAt ? new Date(sentAt).toISOString() : null,
      }
    })
    .sort((a, b) => a.serviceName.localeCompare(b.serviceName) || a.schoolName.localeCompare(b.schoolName) || a.schoolId.localeCompare(b.schoolId))
}

async function topBuyers(db: DB, authorityId: string, serviceIds: readonly string[], tradingYear: number, limit = 10): Promise<TopBuyer[]> {
  if (serviceIds.length === 0) return []
  const thisYear = sql<number>`sum(case when t.trading_year = ${tradingYear} then t.booked_pence else 0 end)`
  const rows = await db
    .selectFrom('trading_school_services as t')
    .innerJoin('schools as sc', (j) => j.onRef('sc.authority_id', '=', 't.authority_id').onRef('sc.id', '=', 't.school_id'))
    .select([
      't.school_id',
      'sc.name',
      'sc.phase',
      sql<number>`${thisYear}::bigint`.as('booked'),
      sql<number>`sum(case when t.trading_year = ${tradingYear - 1} then t.booked_pence else 0 end)::bigint`.as('last_year'),
    ])
    .where('t.authority_id', '=', authorityId)
    .where('t.trading_year', 'in', [tradingYear, tradingYear - 1])
    .where('t.service_id', 'in', [...serviceIds])
    .groupBy(['t.school_id', 'sc.name', 'sc.phase'])
    .having(thisYear, '>', 0)
    .orderBy('booked', 'desc')
    .orderBy('sc.name')
    .limit(limit)
    .execute()
  return rows.map((r) => ({
    schoolId: r.school_id,
    schoolName: r.name,
    phase: r.phase,
    bookedPence: Number(r.booked),
    lastYearPence: Number(r.last_year),
  }))
}

/** Everything /la/trading shows for the services of a scope (or some of them) in a trading year. */
export async function loadTradingPage(
  db: DB,
  scope: StaffScope,
  options: { tradingYear: number; services: ServiceInfo[]; startMonth: number; today?: Date },
): Promise<TradingPage> {
  const { tradingYear, services, startMonth } = options
  const ids = services.map((s) => s.id)
  const authorityId = scope.authorityId
  const [income, schools, buyers, months, lapsed, top] = await Promise.all([
    incomeByService(db, authorityId, ids, tradingYear),
    schoolsByPhase(db, authorityId),
    buyerRows(db, authorityId, ids, tradingYear),
    monthlyBooked(db, authorityId, ids, tradingYear, startMonth),
    lapsedSchools(db, authorityId, services, tradingYear, options.today),
    topBuyers(db, authorityId, ids, tradingYear),
  ])
  const rows = services.map((s) => {
    const i = income.get(s.id) ?? zeroIncome()
    return { ...s, ...i, gapPence: i.bookedPence - i.targetPence, buyBack: buyBackOf(schools, buyers, [s], tradingYear) }
  })
  const total = rows.reduce(
    (t, r) => ({
      bookedPence: t.bookedPence + r.bookedPence,
      invoicedPence: t.invoicedPence + r.invoicedPence,
      paidPence: t.paidPence + r.paidPence,
      targetPence: t.targetPence + r.targetPence,
      bookedLastYearPence: t.bookedLastYearPence + r.bookedLastYearPence,
    }),
    zeroIncome(),
  )
  const begun = monthsBegun(options.today ?? clock.now(), tradingYear, startMonth)
  const thisYear = cumulative(months.thisYear, begun)
  const lastYear = cumulative(months.lastYear)
  const phases = PHASE_ORDER.filter((p) => schools.some((s) => s.phase === p) && services.some((s) => s.phases.includes(p)))
  return {
    tradingYear,
    services: rows,
    total: { ...total, gapPence: total.bookedPence - total.targetPence },
    months: thisYear.map((v, i) => ({
      month: new Date(Date.UTC(tradingYear, startMonth - 1 + i, 1)).toISOString().slice(0, 10),
      thisYear: v,
      lastYear: lastYear[i] ?? 0,
    })),
    buyBack: {
      overall: buyBackOf(schools, buyers, services, tradingYear),
      byPhase: phases.map((phase) => ({ phase, ...buyBackOf(schools, buyers, services, tradingYear, phase) })),
    },
    lapsed,
    topBuyers: top,
  }
}
