import { sql } from 'kysely'
import type { DB } from '../../../db/connection'
import { longDate } from '../../domain/dates'
import { outstandingPence } from '../../domain/invoicing'
import { formatPence } from '../../domain/money'
import type { Role } from '../../domain/roles'
import { tradingYearLabel, tradingYearOf } from '../../domain/trading-year'
import { clock } from '../../utils/clock'
import { formatHours, formatPoundsRounded } from '../../utils/format'
import { listUnallocatedPayments } from '../billing/payments.server'
import { listStripeJobProblems } from '../billing/finance-jobs.server'
import { openInvoicesOfSchool } from '../billing/payments.server'
import { serviceForPrices, servicePriceLists } from '../catalogue/price-lists.server'
import { listAwaitingApproval } from '../ordering/approvals.server'
import { waitingListPlaces } from '../ordering/capacity-left.server'
import { getSchoolRenewal } from '../renewals/school.server'
import { getRenewalWindow, proposalCounts } from '../renewals/window.server'
import { renewalYear } from '../renewals/year.server'
import { loadCapacityPage, teamsInScope } from '../trading/capacity-model.server'
import { servicesInScope } from '../trading/scope.server'
import { staffScopeFor } from './access-scope.server'

/**
 * The signed-in home (issue 15 item 6): for each of the user's roles, what
 * needs doing, gathered from the models the pages themselves use (approvals,
 * renewals, waiting lists, invoices, finance's overview, price lists'
 * cost-recovery check, the capacity model). Every query filters by the
 * user's authority (and school, for school users).
 */

export type HomeItem = {
  /** Stable, for tests and React keys. */
  key: string
  /** What needs doing, in words: "2 orders are waiting for your approval". */
  text: string
  /** A line under it, e.g. the closing date or the total. */
  detail?: string
  href: string
  linkText: string
}

export type HomeSection = {
  /** Stable: "approvals", "school", "services", "finance", "admin". */
  id: string
  role: Role
  heading: string
  items: HomeItem[]
  /** Said when there is nothing to do. */
  nothing: string
}

export type HomeUser = {
  authorityId: string
  roles: Role[]
  schoolId: string | null
  serviceIds: string[]
}

function plural(n: number, one: string, other: string): string {
  return `${n} ${n === 1 ? one : other}`
}

async function approverSection(db: DB, authorityId: string, schoolId: string): Promise<HomeSection> {
  const awaiting = await listAwaitingApproval(db, authorityId, schoolId)
  const items: HomeItem[] = []
  if (awaiting.length > 0) {
    items.push({
      key: 'approvals',
      text: `${plural(awaiting.length, 'order is', 'orders are')} waiting for your approval`,
      detail: `Worth ${formatPence(awaiting.reduce((sum, o) => sum + o.grossPence, 0))} in all, including VAT.`,
      href: '/approvals',
      linkText: 'Review orders awaiting approval',
    })
  }
  return { id: 'approvals', role: 'school_approver', heading: 'Approvals', items, nothing: 'No orders are waiting for your approval.' }
}

async function schoolSection(db: DB, authorityId: string, schoolId: string, isBuyer: boolean, today: string, now: Date): Promise<HomeSection> {
  const items: HomeItem[] = []
  if (isBuyer) {
    const renewal = await getSchoolRenewal(db, { authorityId, schoolId }, now)
    if (renewal.proposal && renewal.proposal.status === 'open' && renewal.canAnswer && renewal.window) {
      items.push({
        key: 'renewal',
        text: `Your renewal proposal for ${tradingYearLabel(renewal.tradingYear)} is waiting for your answer`,
        detail: `Answer it by ${longDate(renewal.window.closesOn)}.`,
        href: '/renewals',
        linkText: 'Answer your renewal proposal',
      })
    }
  }

  const waiting = await db
    .selectFrom('order_lines as l')
    .innerJoin('orders as o', (j) => j.onRef('o.authority_id', '=', 'l.authority_id').onRef('o.id', '=', 'l.order_id'))
    .innerJoin('offers as f', (j) => j.onRef('f.authority_id', '=', 'l.authority_id').onRef('f.id', '=', 'l.offer_id'))
    .innerJoin('services as s', (j) => j.onRef('s.authority_id', '=', 'f.authority_id').onRef('s.id', '=', 'f.service_id'))
    .select(['l.id', 'o.id as order_id', 'o.reference', 's.name as service_name', 'f.name as offer_name'])
    .where('l.authority_id', '=', authorityId)
    .where('o.school_id', '=', schoolId)
    .where('l.status', '=', 'waitlisted')
    .orderBy('l.waitlisted_at')
    .orderBy('l.id')
    .execute()
  const places = await waitingListPlaces(
    db,
    authorityId,
    waiting.map((w) => w.id),
  )
  for (const w of waiting) {
    const place = places.get(w.id)
    items.push({
      key: `waitlisted:${w.id}`,
      text: `${w.service_name}: ${w.offer_name} is on the waiting list`,
      detail: place ? `Number ${place} in the queue (order ${w.reference}).` : `Order ${w.reference}.`,
      href: `/orders/${w.order_id}`,
      linkText: `Open order ${w.reference}`,
    })
  }

  const open = await openInvoicesOfSchool(db, authorityId, schoolId)
  const overdue = open.filter((i) => i.status === 'open' && i.dueOn < today)
  const due = open.filter((i) => i.status === 'open' && i.dueOn >= today)
  const total = (list: typeof open) => formatPence(list.reduce((sum, i) => sum + i.outstandingPence, 0))
  if (overdue.length > 0) {
    items.push({
      key: 'invoices-overdue',
      text: `${plural(overdue.length, 'invoice is', 'invoices are')} overdue`,
      detail: `${total(overdue)} to pay, due since ${longDate(overdue[0]!.dueOn)}.`,
      href: '/invoices',
      linkText: 'See your invoices',
    })
  }
  if (due.length > 0) {
    items.push({
      key: 'invoices-due',
      text: `${plural(due.length, 'invoice is', 'invoices are')} due`,
      detail: `${total(due)} to pay, the first by ${longDate(due[0]!.dueOn)}.`,
      href: '/invoices',
      linkText: 'See your invoices',
    })
  }
  return {
    id: 'school',
    role: isBuyer ? 'school_buyer' : 'school_approver',
    heading: 'Your school',
    items,
    nothing: 'Nothing needs doing for your school.',
  }
}

async function financeSection(db: DB, authorityId: string, today: string): Promise<HomeSection> {
  const [invoices, unallocated, jobs] = await Promise.all([
    db
      .selectFrom('invoices')
      .select(['gross_pence', 'amount_paid_pence', 'amount_credited_pence'])
      .where('authority_id', '=', authorityId)
      .where('status', '=', 'open')
      .where('due_on', '<', today)
      .execute(),
    listUnallocatedPayments(db, authorityId),
    listStripeJobProblems(db, authorityId),
  ])
  const overdue = invoices
    .map((i) => outstandingPence({ grossPence: i.gross_pence, amountPaidPence: i.amount_paid_pence, amountCreditedPence: i.amount_credited_pence }))
    .filter((p) => p > 0)
  const items: HomeItem[] = []
  if (overdue.length > 0) {
    items.push({
      key: 'overdue',
      text: `${plural(overdue.length, 'invoice is', 'invoices are')} overdue`,
      detail: `${formatPoundsRounded(overdue.reduce((a, b) => a + b, 0))} overdue in all.`,
      href: '/finance/aged-debt',
      linkText: 'See aged debt',
    })
  }
  if (unallocated.length > 0) {
    items.push({
      key: 'unallocated',
      text: `${plural(unallocated.length, 'payment is', 'payments are')} not allocated to an invoice`,
      href: '/finance/reconciliation',
      linkText: 'Allocate payments',
    })
  }
  if (jobs.length > 0) {
    items.push({
      key: 'stripe-jobs',
      text: `${plural(jobs.length, 'Stripe job has', 'Stripe jobs have')} failed or are being retried`,
      href: '/finance/reconciliation',
      linkText: 'See failed Stripe jobs',
    })
  }
  return { id: 'finance', role: 'finance', heading: 'Finance', items, nothing: 'No overdue invoices, unallocated payments or failed Stripe jobs.' }
}

async function serviceLeadSection(db: DB, user: HomeUser, today: string): Promise<HomeSection> {
  const scope = staffScopeFor({ authorityId: user.authorityId, roles: ['service_lead'], serviceIds: user.serviceIds })
  const items: HomeItem[] = []
  if (scope) {
    const services = await servicesInScope(db, scope)
    for (const s of services) {
      const service = await serviceForPrices(db, scope, s.slug)
      if (typeof service === 'string') continue
      const lists = await servicePriceLists(db, service, user.authorityId, today)
      for (const offer of lists.offers) {
        for (const year of [offer.thisYear, offer.nextYear]) {
          if (year?.costRecovery.kind === 'checked' && year.costRecovery.warning) {
            items.push({
              key: `below-cost:${offer.id}:${year.tradingYear}`,
              text: `${s.name}: ${offer.name} is priced below cost in ${tradingYearLabel(year.tradingYear)}`,
              detail: `${year.costRecovery.warning}.`,
              href: `/la/services/${s.slug}/prices`,
              linkText: `Check ${s.name} prices`,
            })
          }
        }
      }
    }
    const authority = await db
      .selectFrom('authorities')
      .select('financial_year_start_month')
      .where('id', '=', user.authorityId)
      .executeTakeFirstOrThrow()
    const year = tradingYearOf(new Date(`${today}T12:00:00Z`), authority.financial_year_start_month)
    const teams = await teamsInScope(db, scope)
    for (const team of await loadCapacityPage(db, user.authorityId, teams, year)) {
      if (team.model.waitlistedHours > 0) {
        items.push({
          key: `unmet:${team.teamId}`,
          text: `${team.teamName}: ${formatHours(team.model.waitlistedHours)} waitlisted in ${tradingYearLabel(year)}`,
          detail:
            team.model.unmetDemandHours > 0
              ? `${formatHours(team.model.unmetDemandHours)} of demand above the team’s capacity.`
              : 'Within the team’s capacity.',
          href: '/la/capacity',
          linkText: `See ${team.teamName} capacity`,
        })
      }
    }
  }
  return { id: 'services', role: 'service_lead', heading: 'Your services', items, nothing: 'No offers are priced below cost and nobody is waiting.' }
}

async function adminSection(db: DB, authorityId: string, today: string, now: Date): Promise<HomeSection> {
  const { year } = await renewalYear(db, authorityId, now)
  const [window, schoolsWithoutUsers, unsent] = await Promise.all([
    getRenewalWindow(db, authorityId, year, now),
    db
      .selectFrom('schools as s')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('s.authority_id', '=', authorityId)
      .where('s.status', '=', 'open')
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('users as u').select('u.id').whereRef('u.authority_id', '=', 's.authority_id').whereRef('u.school_id', '=', 's.id'))),
      )
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('email_messages')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('authority_id', '=', authorityId)
      .where('status', '=', 'failed')
      .executeTakeFirstOrThrow(),
  ])
  const items: HomeItem[] = []
  if (!window) {
    items.push({
      key: 'renewal-window',
      text: `No renewal window is set for ${tradingYearLabel(year)}`,
      href: '/la/admin/renewals',
      linkText: 'Set the renewal window',
    })
  } else if (window.openedAt && window.closesOn >= today) {
    const counts = await proposalCounts(db, authorityId, year, today)
    items.push({
      key: 'renewal-window',
      text: `Renewals for ${tradingYearLabel(year)} are open until ${longDate(window.closesOn)}`,
      detail: `${counts.open} of ${counts.total} proposals still to be answered.`,
      href: '/la/admin/renewals',
      linkText: 'See renewals',
    })
  }
  if (schoolsWithoutUsers.n > 0) {
    items.push({
      key: 'schools-without-users',
      text: `${plural(schoolsWithoutUsers.n, 'open school has', 'open schools have')} nobody who can sign in`,
      href: '/la/admin/schools',
      linkText: 'See schools',
    })
  }
  if (unsent.n > 0) {
    items.push({
      key: 'failed-email',
      text: `${plural(unsent.n, 'email', 'emails')} could not be sent`,
      href: '/la/admin/outbox',
      linkText: 'See the outbox',
    })
  }
  return { id: 'admin', role: 'la_admin', heading: 'Administration', items, nothing: 'Nothing needs your attention.' }
}

/** What needs doing for each of the user's roles, in the order of the roles. */
export async function homeSections(db: DB, user: HomeUser, now: Date = clock.now(), today: string = clock.today()): Promise<HomeSection[]> {
  const sections: HomeSection[] = []
  const isBuyer = user.roles.includes('school_buyer')
  if (user.schoolId && user.roles.includes('school_approver')) sections.push(await approverSection(db, user.authorityId, user.schoolId))
  if (user.schoolId && (isBuyer || user.roles.includes('school_approver')))
    sections.push(await schoolSection(db, user.authorityId, user.schoolId, isBuyer, today, now))
  if (user.roles.includes('service_lead')) sections.push(await serviceLeadSection(db, user, today))
  if (user.roles.includes('finance')) sections.push(await financeSection(db, user.authorityId, today))
  if (user.roles.includes('la_admin')) sections.push(await adminSection(db, user.authorityId, today, now))
  const trustRole = user.roles.find((r) => r === 'trust_buyer' || r === 'trust_approver')
  if (trustRole) {
    sections.push({
      id: 'trust',
      role: trustRole,
      heading: 'Your trust',
      items: [
        { key: 'trust', text: 'Your member schools, their orders, what they owe and their renewals', href: '/trust', linkText: 'See your trust' },
      ],
      nothing: 'Nothing needs your attention.',
    })
  }
  return sections
}
