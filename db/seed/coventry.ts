/**
 * Coventry City Council, the demo authority (docs/product.md): its schools, staff and
 * school accounts, catalogue, and two years of orders.
 */
import { buildCatalogue } from './catalogue'
import { COVENTRY_CATALOGUE } from './coventry-catalogue'
import { coventryOrderPlans, withCancellations } from './coventry-demand'
import { daysBetween, termDateRows } from './dates'
import { buildAuthority, buildSchool, buildUser, buildUserRole, financeRouteFor } from './factories'
import { buildOrders, type DeliveryRule } from './orders'
import { idFor, randomFor } from './random'
import { asThreeSpiresOrders, threeSpiresOrderPlans } from './trust-orders'
import { assignBlockDeliveries, elmBankCluster, elmBankClusterPlans } from './clusters'
import { coventrySchools, FOLESHILL_PARK, type SchoolPlan } from './schools'
import { emptyRows, type SchoolRow, type SeedRows, type TrustMembershipRow, type TrustRow, type UserRow } from './types'
import { buildCoventryUsers, COVENTRY_STAFF } from './users'

export const COVENTRY_ID = idFor('authority/coventry')

const PRACTITIONERS: Record<string, string[]> = {
  'educational-psychology': [
    'Dr Miriam Achebe',
    'Dr Tom Hallam',
    'Dr Sunita Rai',
    'Dr Peter Kelsall',
    'Dr Alys Morgan',
    'Dr Ben Okoro',
    'Dr Clare Whitfield',
    'Dr Imogen Shah',
  ],
  semh: ['Jas Sohal', 'Rebecca Tandy', 'Liam Carver', 'Mariam Siddiqui', 'Neil Drury'],
  'complex-communication-and-learning': ['Kirsty Hale', 'Anil Mehta', 'Rosie Penrose', 'Dawn Ashworth'],
  'sensory-support': ['Helen Cartwright (teacher of the deaf)', 'Simon Yeo (vision impairment)'],
  'sen-early-years': ['Joy Adebayo', 'Fiona Larkin'],
  'school-attendance': ['Stacey Flynn', 'Rob Kendrick', 'Usha Chauhan'],
}

const DELIVERY_OFFERS = new Set([
  'educational-psychology/ep-days',
  'educational-psychology/ep-half-day',
  'semh-support/semh-outreach-days',
  'complex-communication-and-learning/autism-outreach-days',
  'complex-communication-and-learning/dyslexia-assessment',
  'sensory-support/sensory-specialist-visits',
  'sen-early-years/reception-transition-support',
  'school-attendance/attendance-casework-days',
])

/** Time-based services log their visits: last year nearly all used, this year in proportion to the year so far. */
const coventryDelivery = (today: string): DeliveryRule => ({
  practitioners: PRACTITIONERS,
  unitsDelivered(line, offer) {
    if (!DELIVERY_OFFERS.has(offer.key)) return 0
    const r = randomFor(`coventry/delivered/${line.id}`)
    const quantity = line.quantity
    if (line.period_end < today) return Math.max(1, Math.floor(quantity * (0.85 + 0.15 * r.float())))
    const total = Math.max(1, daysBetween(line.period_start, line.period_end))
    const elapsed = Math.min(1, Math.max(0, daysBetween(line.period_start, today) / total))
    return Math.min(quantity, Math.floor(quantity * elapsed * (0.55 + 0.3 * r.float())))
  },
})

function schoolRow(authorityId: string, plan: SchoolPlan): SchoolRow {
  return buildSchool({
    authority_id: authorityId,
    id: idFor(`coventry/school/${plan.slug}`),
    urn: plan.urn,
    name: plan.name,
    phase: plan.phase,
    school_type: plan.type,
    pupil_count: plan.pupils,
    approval_limit_pence: plan.approvalLimitPence,
    finance_route: financeRouteFor(plan.type),
    converted_to_academy_on: plan.convertedOn,
    po_number_required: plan.poRequired,
    cost_centre: plan.costCentre,
    address_line1: plan.addressLine1,
    town: 'Coventry',
    postcode: plan.postcode,
    email: `office@${plan.slug}.example`,
    phone: plan.phone,
    headteacher_name: plan.headteacher,
  })
}

/** Coventry's rows as they stand on `today` (a day in the seed's reference year: see index.ts). */
export function buildCoventry(today: string): SeedRows {
  const rows = emptyRows()
  const authority = buildAuthority({
    id: COVENTRY_ID,
    slug: 'coventry',
    name: 'Coventry City Council',
    invoice_prefix: 'COV',
    la_code: '331',
    // Invented but well-formed invoice settings (the demo is not the real council's bank).
    vat_number: 'GB274612893',
    contact_email: 'traded.services@coventry.example',
    contact_phone: '024 7601 0100',
    address: 'Education Traded Services, Coventry City Council, Coventry',
    bank_name: 'Lloyds Bank',
    bank_sort_code: '309634',
    bank_account_number: '41526378',
    bank_account_name: 'Coventry City Council Traded Services',
    remittance_address: 'Income Team, Coventry City Council, Council House, Earl Street, Coventry CV1 5RR',
    remittance_email: 'remittances@coventry.example',
    days_to_pay: 30,
  })
  rows.authorities.push(authority)
  rows.term_dates.push(...termDateRows(authority.id))
  rows.document_counters.push(
    { authority_id: authority.id, kind: 'invoice', last_number: 0 },
    { authority_id: authority.id, kind: 'credit_note', last_number: 0 },
  )

  const plans = coventrySchools()
  const schools = new Map<string, { plan: SchoolPlan; row: SchoolRow }>()
  for (const plan of plans) {
    const row = schoolRow(authority.id, plan)
    schools.set(plan.slug, { plan, row })
    rows.schools.push(row)
  }

  const idOfSchool = (slug: string) => {
    const school = schools.get(slug)
    if (!school) throw new Error(`No school ${slug}`)
    return school.row.id
  }
  const cluster = elmBankCluster(authority.id, plans, idOfSchool)
  rows.clusters.push(cluster.cluster)
  rows.cluster_members.push(...cluster.members)
  rows.trusts.push(...coventryTrusts(authority.id))
  rows.trust_memberships.push(...coventryTrustMemberships(authority.id, schools))

  const { users, roles, staff, accounts } = buildCoventryUsers(authority.id, schools)
  rows.users.push(...users)
  rows.user_roles.push(...roles)
  // Three Spires' business manager and approver (SPEC §10): they belong to the trust, not to a school.
  for (const [email, name, role] of [
    ['buyer@three-spires.example', 'Helen Okoro', 'trust_buyer'],
    ['approver@three-spires.example', 'Dr Marcus Lyle', 'trust_approver'],
  ] as const) {
    const user = buildUser({ authority_id: authority.id, id: idFor(`coventry/user/${email}`), email, name, trust_id: THREE_SPIRES_ID })
    rows.users.push(user)
    rows.user_roles.push(buildUserRole(user, role))
  }

  // Next year's single half-day visits are left as a draft for the EP lead to publish
  // ("Publish prices"); no demo renewal or test prices them for next year.
  const catalogue = buildCatalogue(authority.id, 'coventry', COVENTRY_CATALOGUE, { today, drafts: ['educational-psychology/ep-half-day'] })
  rows.categories.push(...catalogue.categories)
  rows.teams.push(...catalogue.teams)
  rows.team_years.push(...catalogue.teamYears)
  rows.services.push(...catalogue.services)
  rows.offers.push(...catalogue.offers)
  rows.offer_prices.push(...catalogue.offerPrices)
  rows.offer_price_bands.push(...catalogue.offerPriceBands)
  rows.offer_inclusions.push(...catalogue.offerInclusions)
  rows.courses.push(...catalogue.courses)
  rows.income_targets.push(...catalogue.incomeTargets)

  const leadsByService = new Map<string, UserRow>()
  for (const s of COVENTRY_STAFF) {
    const user = staff.get(s.email)
    for (const slug of s.services) {
      const service = catalogue.serviceBySlug.get(slug)
      if (!service || !user) throw new Error(`Service lead ${s.email}: unknown service ${slug}`)
      rows.service_leads.push({ authority_id: authority.id, service_id: service.id, user_id: user.id })
      if (!leadsByService.has(slug)) leadsByService.set(slug, user)
    }
  }

  const built = buildOrders(
    {
      authorityId: authority.id,
      authoritySlug: 'coventry',
      catalogue,
      schools: new Map([...schools].map(([slug, s]) => [slug, { row: s.row, buyer: accounts.get(slug)?.buyer, head: accounts.get(slug)?.head }])),
      teamYears: catalogue.teamYears,
      leadsByService,
      today,
      delivery: coventryDelivery(today),
    },
    [...withCancellations(coventryOrderPlans(plans, today), today), ...threeSpiresOrderPlans(today), ...elmBankClusterPlans()],
  )
  assignBlockDeliveries(built, 'coventry', plans, idOfSchool)
  const threeSpires = asThreeSpiresOrders(built, {
    authorityId: authority.id,
    authoritySlug: 'coventry',
    trustId: THREE_SPIRES_ID,
    buyerId: idFor('coventry/user/buyer@three-spires.example'),
    today,
  })
  rows.trust_orders.push(...threeSpires.trustOrders)
  rows.document_counters.push(threeSpires.counter)
  rows.orders.push(...built.orders)
  rows.order_lines.push(...built.orderLines)
  rows.order_events.push(...built.orderEvents)
  rows.capacity_reservations.push(...built.capacityReservations)
  rows.delivery_records.push(...built.deliveryRecords)
  return rows
}

/** Three Spires Academy Trust (SPEC §10): Foleshill Park Academy and three other Coventry academies. */
export const THREE_SPIRES_ID = idFor('coventry/trust/three-spires')
const THREE_SPIRES_MEMBERS = [
  { school: FOLESHILL_PARK, joinedOn: '2019-09-01' },
  { school: 'spire-view', joinedOn: '2019-09-01' },
  { school: 'kingfisher', joinedOn: '2021-04-01' },
  { school: 'skylark', joinedOn: '2023-09-01' },
] as const

function coventryTrusts(authorityId: string): TrustRow[] {
  return [
    {
      authority_id: authorityId,
      id: THREE_SPIRES_ID,
      name: 'Three Spires Academy Trust',
      companies_house_number: '09876543',
      approval_limit_pence: 500_000,
      invoicing: 'consolidated',
      address_line1: 'Three Spires House, 4 Priory Row',
      town: 'Coventry',
      postcode: 'CV1 5EX',
      finance_email: 'finance@three-spires.example',
      created_at: '2024-01-15T09:00:00Z',
      updated_at: '2024-01-15T09:00:00Z',
    },
  ]
}

function coventryTrustMemberships(authorityId: string, schools: ReadonlyMap<string, { row: SchoolRow }>): TrustMembershipRow[] {
  return THREE_SPIRES_MEMBERS.map((m) => {
    const school = schools.get(m.school)
    if (!school) throw new Error(`Three Spires: no school ${m.school}`)
    return {
      authority_id: authorityId,
      id: idFor(`coventry/trust/three-spires/${m.school}`),
      trust_id: THREE_SPIRES_ID,
      school_id: school.row.id,
      joined_on: m.joinedOn,
      left_on: null,
      created_at: `${m.joinedOn}T09:00:00Z`,
    }
  })
}
