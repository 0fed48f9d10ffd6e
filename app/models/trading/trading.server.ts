import { clock } from '../../utils/clock'
import { sql } from 'kysely'
import type { DB } from '../../../db/connection'
import type { Phase } from '../../../db/schema'
import {
  attributeInvoices,
  buyBackPercent,
  cumulative,
  isLapsed,
  monthOfTradingYear,
  monthsBegun,
  renewalEmailKey,
  type InvoiceForAttribution,
} from '../../domain/trading'
import { formatPence } from '../../domain/money'
import { ukDate } from '../../domain/dates'
import { tradingYearLabel } from '../../domain/trading-year'
import { appUrl, queueEmail } from '../../utils/email.server'
import { getBoss } from '../../utils/jobs.server'
import type { SessionUser } from '../../utils/session.server'
import { recordAudit } from '../admin/audit.server'

/**
 * Trading income against targets (issue 6, SPEC §3, /la/trading): income
 * booked, invoiced and paid per service, buy-back, lapsed schools and top
 * buyers for a trading year. A service lead sees the services they lead;
 * the LA administrator every service of the authority. Every query filters
 * by authority_id. The counting rules are in app/domain/trading.ts.
 */

/** Whose figures a person sees: every service of the authority, or some of them. */
export type TradingScope = { authorityId: string; serviceIds: readonly string[] | 'all' }

export function tradingScopeFor(user: Pick<SessionUser, 'authorityId' | 'roles' | 'serviceIds'>): TradingScope | null {
  if (user.roles.includes('la_admin')) return { authorityId: user.authorityId, serviceIds: 'all' }
  if (user.roles.includes('service_lead')) return { authorityId: user.authorityId, serviceIds: user.serviceIds }
  return null
}

export type ServiceInfo = {
  id: string
  slug: string
  name: string
  incomeCode: string | null
  teamId: string
  teamSlug: string
  teamName: string
  phases: Phase[]
  contactName: string
  contactEmail: string
  contactPhone: string | null
}

/** The services a scope covers, by name. */
export async function servicesInScope(db: DB, scope: TradingScope): Promise<ServiceInfo[]> {
  if (scope.serviceIds !== 'all' && scope.serviceIds.length === 0) return []
  let query = db
    .selectFrom('services as s')
    .innerJoin('teams as t', (j) => j.onRef('t.authority_id', '=', 's.authority_id').onRef('t.id', '=', 's.team_id'))
    .select([
      's.id',
      's.slug',
      's.name',
      's.income_code',
      's.team_id',
      't.slug as team_slug',
      't.name as team_name',
      's.phases',
      's.contact_name',
      's.contact_email',
      's.contact_phone',
    ])
    .where('s.authority_id', '=', scope.authorityId)
  if (scope.serviceIds !== 'all') query = query.where('s.id', 'in', [...scope.serviceIds])
  const rows = await query.orderBy('s.name').orderBy('s.id').execute()
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    name: r.name,
    incomeCode: r.income_code,
    teamId: r.team_id,
    teamSlug: r.team_slug,
    teamName: r.team_name,
    phases: r.phases as Phase[],
    contactName: r.contact_name,
    contactEmail: r.contact_email,
    contactPhone: r.contact_phone,
  }))
}

/**
 * The trading years anyone could ask about: those with targets or orders,
 * the current one, and next year once its renewals are set.
 */
export async function tradingYearsOf(db: DB, authorityId: string, current: number): Promise<number[]> {
  const rows = await sql<{ y: number }>`
    select distinct trading_year as y from income_targets where authority_id = ${authorityId}
    union select distinct trading_year from team_years where authority_id = ${authorityId} and trading_year <= ${current}
    union select trading_year from renewal_windows where authority_id = ${authorityId}
  `.execute(db)
  return [...new Set([current, ...rows.rows.map((r) => r.y)])].filter((y) => y <= current + 1).sort((a, b) => b - a)
}

// ---------------------------------------------------------------------------
// Income by service

export type ServiceIncome = {
  bookedPence: number
  invoicedPence: number
  paidPence: number
  targetPence: number
  bookedLastYearPence: number
}

const zeroIncome = (): ServiceIncome => ({ bookedPence: 0, invoicedPence: 0, paidPence: 0, targetPence: 0, bookedLastYearPence: 0 })

/**
 * Income booked per service and trading year (rule "income booked"), from the
 * summary the order-line triggers keep (migration 0005).
 */
async function bookedByService(db: DB, authorityId: string, serviceIds: readonly string[], years: number[]) {
  if (serviceIds.length === 0) return []
  return db
    .selectFrom('trading_school_services')
    .select(['service_id', 'trading_year', sql<number>`sum(booked_pence)::bigint`.as('booked')])
    .where('authority_id', '=', authorityId)
    .where('trading_year', 'in', years)
    .where('service_id', 'in', [...serviceIds])
    .groupBy(['service_id', 'trading_year'])
    .execute()
}

/**
 * The invoices of a trading year that charge any of the services, with
 * every line (the other services' lines weigh in the split of credit notes
 * and payments), their credit notes and the payments allocated to them.
 */
export async function invoicesForAttribution(
  db: DB,
  authorityId: string,
  serviceIds: readonly string[],
  tradingYear: number,
): Promise<InvoiceForAttribution[]> {
  if (serviceIds.length === 0) return []
  const ids = [...serviceIds]
  // The year's invoices (index-only on invoices_year_idx), those charging any of the services.
  const yearInvoices = () =>
    db
      .selectFrom('invoices as i')
      .where('i.authority_id', '=', authorityId)
      .where('i.trading_year', '=', tradingYear)
      .where('i.status', '<>', 'void')
  const [lines, credits, allocations] = await Promise.all([
    yearInvoices()
      .innerJoin('invoice_lines as il', (j) => j.onRef('il.authority_id', '=', 'i.authority_id').onRef('il.invoice_id', '=', 'i.id'))
      .select(['i.id as invoice_id', 'i.status', 'i.net_pence as invoice_net', 'i.gross_pence as invoice_gross', 'il.id', 'il.service_id', 'il.net_pence'])
      .execute(),
    yearInvoices()
      .innerJoin('credit_notes as c', (j) => j.onRef('c.authority_id', '=', 'i.authority_id').onRef('c.invoice_id', '=', 'i.id'))
      .select(['c.invoice_id', 'c.invoice_line_id', 'c.net_pence'])
      .execute(),
    yearInvoices()
      .innerJoin('payment_allocations as pa', (j) => j.onRef('pa.authority_id', '=', 'i.authority_id').onRef('pa.invoice_id', '=', 'i.id'))
      .select(['pa.invoice_id', sql<number>`sum(pa.amount_pence)::bigint`.as('amount')])
      .groupBy('pa.invoice_id')
      .execute(),
  ])
  const wanted = new Set(ids)
  const charging = new Set(lines.filter((l) => wanted.has(l.service_id)).map((l) => l.invoice_id))
  const invoices = [
    ...new Map(
      lines
        .filter((l) => charging.has(l.invoice_id))
        .map((l) => [l.invoice_id, { id: l.invoice_id, status: l.status, net_pence: l.invoice_net, gross_pence: l.invoice_gross }]),
    ).values(),
  ]
  const byId = new Map<string, InvoiceForAttribution>()
  for (const i of invoices) {
    byId.set(i.id, { status: i.status, netPence: i.net_pence, grossPence: i.gross_pence, lines: [], credits: [], allocatedPence: 0 })
  }
  for (const l of lines) byId.get(l.invoice_id)?.lines.push({ id: l.id, serviceId: l.service_id, netPence: l.net_pence })
  for (const c of credits) byId.get(c.invoice_id)?.credits.push({ netPence: c.net_pence, invoiceLineId: c.invoice_line_id })
  for (const a of allocations) {
    const invoice = byId.get(a.invoice_id)
    if (invoice) invoice.allocatedPence = Number(a.amount)
  }
  return [...byId.values()]
}

/** Booked (this year and last), invoiced, paid and target, for each of the services. */
export async function incomeByService(
  db: DB,
  authorityId: string,
  serviceIds: readonly string[],
  tradingYear: number,
): Promise<Map<string, ServiceIncome>> {
  const result = new Map<string, ServiceIncome>(serviceIds.map((id) => [id, zeroIncome()]))
  if (serviceIds.length === 0) return result
  const [booked, invoices, targets] = await Promise.all([
    bookedByService(db, authorityId, serviceIds, [tradingYear, tradingYear - 1]),
    invoicesForAttribution(db, authorityId, serviceIds, tradingYear),
    db
      .selectFrom('income_targets')
      .select(['service_id', 'target_pence'])
      .where('authority_id', '=', authorityId)
      .where('trading_year', '=', tradingYear)
      .where('service_id', 'in', [...serviceIds])
      .execute(),
  ])
  for (const b of booked) {
    const income = result.get(b.service_id)
    if (!income) continue
    if (b.trading_year === tradingYear) income.bookedPence = Number(b.booked)
    else income.bookedLastYearPence = Number(b.booked)
  }
  for (const [serviceId, money] of attributeInvoices(invoices)) {
    const income = result.get(serviceId)
    if (!income) continue
    income.invoicedPence = money.invoicedPence
    income.paidPence = money.paidPence
  }
  for (const t of targets) {
    const income = result.get(t.service_id)
    if (income) income.targetPence = t.target_pence
  }
  return result
}

// ---------------------------------------------------------------------------
// Buy-back

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
  return db
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
}

/** "school:service" for each service held by a renewal proposal into the year that the school can still answer. */
async function renewalsWaiting(db: DB, authorityId: string, serviceIds: string[], tradingYear: number): Promise<Set<string>> {
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
    .where('w.closes_on', '>=', ukDate(clock.now()))
    .where('f.service_id', 'in', serviceIds)
    .execute()
  return new Set(rows.map((r) => `${r.school_id}:${r.service_id}`))
}

async function lapsedSchools(db: DB, authorityId: string, services: ServiceInfo[], tradingYear: number): Promise<LapsedSchool[]> {
  if (services.length === 0) return []
  const ids = services.map((s) => s.id)
  const [rows, waiting] = await Promise.all([lastYearAndThisYear(db, authorityId, ids, tradingYear), renewalsWaiting(db, authorityId, ids, tradingYear)])
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
      .where('idempotency_key', 'in', lapsed.map((r) => renewalEmailKey(r.school_id, r.service_id, tradingYear)))
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
  scope: TradingScope,
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
    lapsedSchools(db, authorityId, services, tradingYear),
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

// ---------------------------------------------------------------------------
// "Email about renewing"

export type RenewalActor = {
  id: string
  name: string
  authorityId: string
  authorityName: string
  ip: string
  userAgent: string | null
}

export type RenewalEmailResult =
  | { ok: true; created: boolean; to: string; schoolName: string; serviceName: string; queuedAt: string }
  | { ok: false; reason: 'not-found' | 'not-lapsed' | 'no-email' }

/**
 * Emails a lapsed school about buying a service again this trading year:
 * one message per school, service and year (the idempotency key; a second
 * click returns the first message and sends nothing), queued through the
 * outbox with its audit event in one transaction. The service must be in
 * the actor's scope (the caller checks) and the school must still be lapsed.
 */
export async function queueRenewalEmail(
  db: DB,
  actor: RenewalActor,
  input: { schoolId: string; service: ServiceInfo; tradingYear: number },
): Promise<RenewalEmailResult> {
  const { service, tradingYear } = input
  const school = await db
    .selectFrom('schools')
    .select(['id', 'name', 'email', 'headteacher_name'])
    .where('authority_id', '=', actor.authorityId)
    .where('id', '=', input.schoolId)
    .executeTakeFirst()
  if (!school) return { ok: false, reason: 'not-found' }
  const lapsed = (await lapsedSchools(db, actor.authorityId, [service], tradingYear)).find((l) => l.schoolId === school.id)
  if (!lapsed) return { ok: false, reason: 'not-lapsed' }
  if (!school.email) return { ok: false, reason: 'no-email' }
  // The email is queued inside the transaction: the job queue must be started first.
  await getBoss()
  const idempotencyKey = renewalEmailKey(school.id, service.id, tradingYear)
  const to = school.email
  return db.transaction().execute(async (trx) => {
    const { message, created } = await queueEmail(trx, {
      authorityId: actor.authorityId,
      template: 'renewal-reminder',
      to,
      idempotencyKey,
      props: {
        authorityName: actor.authorityName,
        schoolName: school.name,
        recipientName: school.headteacher_name ?? undefined,
        serviceName: service.name,
        lastYearLabel: tradingYearLabel(tradingYear - 1),
        thisYearLabel: tradingYearLabel(tradingYear),
        lastYearSpend: formatPence(lapsed.lastYearPence),
        serviceUrl: appUrl(`/services/${service.slug}`),
        senderName: actor.name,
        contactName: service.contactName,
        contactEmail: service.contactEmail,
        contactPhone: service.contactPhone ?? undefined,
      },
    })
    if (created) {
      await recordAudit(trx, {
        authorityId: actor.authorityId,
        actorUserId: actor.id,
        action: 'renewal_email.queued',
        subjectType: 'school',
        subjectId: school.id,
        ip: actor.ip,
        userAgent: actor.userAgent,
        details: { serviceId: service.id, tradingYear, messageId: message.id, idempotencyKey },
      })
    }
    return {
      ok: true as const,
      created,
      to: message.to_address,
      schoolName: school.name,
      serviceName: service.name,
      queuedAt: new Date(message.created_at).toISOString(),
    }
  })
}
