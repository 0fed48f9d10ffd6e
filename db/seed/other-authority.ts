/**
 * Northfield Borough Council: a second, small, invented authority that proves
 * tenant isolation. It has its own schools, catalogue (including its own
 * "educational-psychology" service, the same slug as Coventry's), users and a
 * few orders. Nothing of Coventry's is visible from here, and vice versa.
 */
import { buildCatalogue } from './catalogue'
import { buildAuthority, buildSchool, buildUser, buildUserRole, financeRouteFor } from './factories'
import { buildOrders, type OrderPlan } from './orders'
import { termDateRows } from './dates'
import { idFor } from './random'
import type { CatalogueSpec, SchoolRow, SeedRows, TeamYearSpec, UserRow } from './types'
import { emptyRows } from './types'

export const NORTHFIELD_ID = idFor('authority/northfield')

const team = (fte: number, cost: number): Record<number, TeamYearSpec> => {
  const y = { fte, chargeableHoursPerFte: 1000, costPerFtePounds: cost, sessionalHours: 0, centralFundingPounds: 0 }
  return { 2025: y, 2026: { ...y }, 2027: { ...y } }
}

export const NORTHFIELD_CATALOGUE: CatalogueSpec = {
  categories: [
    { slug: 'send-support', name: 'SEND support', description: 'Specialist support for pupils with special educational needs.' },
    { slug: 'other', name: 'Other', description: 'Networks and other services for schools.' },
  ],
  teams: [
    { slug: 'educational-psychology', name: 'Northfield Educational Psychology', years: team(3, 75_000) },
    { slug: 'learning-support', name: 'Northfield Learning Support', years: team(2, 52_000) },
  ],
  services: [
    {
      slug: 'educational-psychology',
      name: 'Educational Psychology',
      category: 'send-support',
      team: 'educational-psychology',
      summary: 'Educational psychologist time for Northfield schools, bought by the day.',
      description: [
        'Northfield’s educational psychologists help schools understand and meet the needs of pupils who find learning or relationships hard.',
        'Schools buy days for the year and plan their use each term with their link psychologist.',
      ].join('\n\n'),
      included: ['A link educational psychologist', 'Termly planning meetings', 'Written advice after each visit'],
      excluded: ['Statutory assessment advice', 'Medical diagnosis', 'Carrying days over to the next year'],
      terms:
        'Days are bought for the trading year and do not carry over. Visits cancelled with less than 10 school days’ notice are charged in full.',
      phases: ['primary', 'secondary', 'special'],
      contact: { name: 'Northfield Educational Psychology', email: 'ep@northfield.example', phone: '01632 960101' },
      incomeCode: 'NBC-EP01',
      targetsPounds: { 2025: 30_000, 2026: 32_000 },
      offers: [
        {
          slug: 'ep-days',
          name: 'Educational psychologist days',
          description: 'Full days with your link educational psychologist.',
          pricingModel: 'per_unit',
          unit: ['day', 'days'],
          hoursPerUnit: 6.5,
          vat: 'standard',
          schedule: 'termly',
          noticeDays: 10,
          lateFeePercent: 100,
          maxQuantity: 20,
          prices: {
            tiers: [
              { min: 1, max: 4, price: 60_000 },
              { min: 5, max: null, price: 56_000 },
            ],
          },
        },
      ],
    },
    {
      slug: 'specialist-teaching',
      name: 'Specialist teaching',
      category: 'send-support',
      team: 'learning-support',
      summary: 'Specialist teachers for pupils with literacy and numeracy difficulties.',
      description: 'Specialist teachers assess pupils, teach short programmes and advise class teachers.\n\nBought by the hour.',
      included: ['Assessment', 'Teaching programmes', 'Advice for staff'],
      excluded: ['Speech and language therapy', 'Exam access arrangements'],
      terms: 'Hours are invoiced monthly after delivery.',
      phases: ['primary', 'secondary'],
      contact: { name: 'Northfield Learning Support', email: 'learning.support@northfield.example', phone: '01632 960102' },
      incomeCode: 'NBC-LS01',
      targetsPounds: { 2025: 12_000, 2026: 12_500 },
      offers: [
        {
          slug: 'specialist-teacher-hours',
          name: 'Specialist teacher hours',
          description: 'Hours of a specialist teacher in your school.',
          pricingModel: 'per_unit',
          unit: ['hour', 'hours'],
          hoursPerUnit: 1,
          vat: 'standard',
          schedule: 'on_delivery',
          noticeDays: 5,
          lateFeePercent: 50,
          maxQuantity: 200,
          prices: { base: { maintained: 6_200, academy: 6_500 } },
        },
      ],
    },
    {
      slug: 'senco-network',
      name: 'SENCO network',
      category: 'other',
      team: 'learning-support',
      summary: 'A termly network and briefing for special educational needs coordinators.',
      description: 'Three network meetings a year with briefings on national changes.\n\nPriced by the size of the school.',
      included: ['Three termly meetings', 'Briefing papers'],
      excluded: ['Individual casework'],
      terms: 'Membership runs for the trading year and is invoiced in April.',
      phases: ['primary', 'secondary', 'special'],
      contact: { name: 'Northfield Learning Support', email: 'learning.support@northfield.example', phone: '01632 960102' },
      incomeCode: 'NBC-LS02',
      targetsPounds: { 2025: 3_000, 2026: 3_000 },
      offers: [
        {
          slug: 'senco-network-membership',
          name: 'SENCO network membership',
          description: 'A year’s membership for your SENCO.',
          pricingModel: 'pupil_banded',
          unit: ['year', 'years'],
          hoursPerUnit: 3,
          vat: 'exempt',
          schedule: 'annual_in_advance',
          noticeDays: 30,
          lateFeePercent: 0,
          maxQuantity: 1,
          prices: {
            bands: [
              { min: 0, max: 200, price: 45_000 },
              { min: 201, max: null, price: 70_000 },
            ],
          },
        },
      ],
    },
  ],
}

const NORTHFIELD_SCHOOLS = [
  { slug: 'ashgrove', name: 'Ashgrove Primary School', phase: 'primary', type: 'maintained', pupils: 310, urn: '208114' },
  { slug: 'millbrook', name: 'Millbrook Academy', phase: 'secondary', type: 'academy', pupils: 980, urn: '147702' },
  { slug: 'ferndown-green', name: 'Ferndown Green Infant School', phase: 'primary', type: 'maintained', pupils: 180, urn: '208231' },
  { slug: 'haywood', name: 'Haywood Primary Academy', phase: 'primary', type: 'academy', pupils: 420, urn: '148019' },
  { slug: 'larchfield', name: 'Larchfield School', phase: 'special', type: 'maintained', pupils: 95, urn: '208377' },
  { slug: 'tenterfield', name: 'Tenterfield Nursery School', phase: 'nursery', type: 'maintained', pupils: 70, urn: '208402' },
] as const

/** Northfield's rows as they stand on `today` (a day in the seed's reference year: see index.ts). */
export function buildNorthfield(today: string): SeedRows {
  const rows = emptyRows()
  const authority = buildAuthority({
    id: NORTHFIELD_ID,
    slug: 'northfield',
    name: 'Northfield Borough Council',
    invoice_prefix: 'NBC',
    contact_email: 'traded.services@northfield.example',
    contact_phone: '01632 960100',
    address: 'Town Hall, Northfield',
    vat_number: 'GB318427560',
    bank_name: 'NatWest',
    bank_sort_code: '600218',
    bank_account_number: '73049215',
    bank_account_name: 'Northfield Borough Council',
    remittance_address: 'Exchequer Services, Town Hall, Northfield',
    remittance_email: 'remittances@northfield.example',
    days_to_pay: 28,
  })
  rows.authorities.push(authority)
  // Northfield's terms start and end a day after Coventry's.
  rows.term_dates.push(...termDateRows(authority.id, 1))
  rows.document_counters.push(
    { authority_id: authority.id, kind: 'invoice', last_number: 0 },
    { authority_id: authority.id, kind: 'credit_note', last_number: 0 },
  )

  const schools = new Map<string, SchoolRow>()
  NORTHFIELD_SCHOOLS.forEach((s, i) => {
    const row = buildSchool({
      authority_id: authority.id,
      id: idFor(`northfield/school/${s.slug}`),
      urn: s.urn,
      name: s.name,
      phase: s.phase,
      school_type: s.type,
      pupil_count: s.pupils,
      approval_limit_pence: s.phase === 'secondary' ? 1_000_000 : 300_000,
      finance_route: financeRouteFor(s.type),
      cost_centre: s.type === 'maintained' ? `NB-${4100 + i}` : null,
      address_line1: `${10 + i * 7} Market Street`,
      town: 'Northfield',
      postcode: `NF${1 + (i % 4)} ${2 + i}AB`,
      email: `office@${s.slug}.example`,
      phone: `01632 960${String(200 + i).padStart(3, '0')}`,
      headteacher_name: ['Mrs Ruth Ellery', 'Mr Dev Anand', 'Ms Kate Mirren', 'Mr Jon Fairley', 'Dr Ada Nwosu', 'Mrs Lin Carter'][i] ?? null,
    })
    schools.set(s.slug, row)
    rows.schools.push(row)
  })

  const admin = buildUser({
    authority_id: authority.id,
    id: idFor('northfield/user/admin@northfield.example'),
    email: 'admin@northfield.example',
    name: 'Priya Northcott',
  })
  const ashgrove = schools.get('ashgrove') as SchoolRow
  const buyer = buildUser({
    authority_id: authority.id,
    id: idFor('northfield/user/buyer@ashgrove.example'),
    email: 'buyer@ashgrove.example',
    name: 'Tom Bellamy',
    school_id: ashgrove.id,
  })
  // One account for every other role, so that isolation is tested for each role from the other side (tests/integration/access-matrix.test.ts).
  const head = buildUser({
    authority_id: authority.id,
    id: idFor('northfield/user/head@ashgrove.example'),
    email: 'head@ashgrove.example',
    name: 'Ruth Ellery',
    school_id: ashgrove.id,
  })
  const lead = buildUser({
    authority_id: authority.id,
    id: idFor('northfield/user/lead.ep@northfield.example'),
    email: 'lead.ep@northfield.example',
    name: 'Dr Sunil Varma',
  })
  const finance = buildUser({
    authority_id: authority.id,
    id: idFor('northfield/user/finance@northfield.example'),
    email: 'finance@northfield.example',
    name: 'Helen Marsh',
  })
  rows.users.push(admin, buyer, head, lead, finance)
  rows.user_roles.push(
    buildUserRole(admin, 'la_admin'),
    buildUserRole(buyer, 'school_buyer'),
    buildUserRole(head, 'school_approver'),
    buildUserRole(lead, 'service_lead'),
    buildUserRole(finance, 'finance'),
  )

  const catalogue = buildCatalogue(authority.id, 'northfield', NORTHFIELD_CATALOGUE, { today })
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
  const ep = catalogue.serviceBySlug.get('educational-psychology')
  if (!ep) throw new Error('Northfield has no Educational Psychology service')
  rows.service_leads.push({ authority_id: authority.id, service_id: ep.id, user_id: lead.id })

  const plans: OrderPlan[] = [
    {
      key: '2025/ashgrove/annual',
      school: 'ashgrove',
      tradingYear: 2025,
      submittedOn: '2025-03-18',
      hour: 10,
      minute: 0,
      lines: [{ offer: 'educational-psychology/ep-days', quantity: 4, periodStart: '2025-04-01', periodEnd: '2026-03-31' }],
      completeOn: '2026-04-10',
    },
    {
      key: '2026/ashgrove/annual',
      school: 'ashgrove',
      tradingYear: 2026,
      submittedOn: '2026-03-17',
      hour: 10,
      minute: 30,
      lines: [
        { offer: 'educational-psychology/ep-days', quantity: 5, periodStart: '2026-04-01', periodEnd: '2027-03-31' },
        { offer: 'senco-network/senco-network-membership', quantity: 1, periodStart: '2026-04-01', periodEnd: '2027-03-31' },
      ],
    },
    {
      key: '2026/millbrook/teaching',
      school: 'millbrook',
      tradingYear: 2026,
      submittedOn: '2026-09-21',
      hour: 14,
      minute: 15,
      poNumber: 'MBA-7781',
      lines: [{ offer: 'specialist-teaching/specialist-teacher-hours', quantity: 30, periodStart: '2026-10-01', periodEnd: '2027-03-31' }],
    },
  ]
  const built = buildOrders(
    {
      authorityId: authority.id,
      authoritySlug: 'northfield',
      catalogue,
      schools: new Map(
        [...schools].map(([slug, row]) => [
          slug,
          { row, buyer: slug === 'ashgrove' ? buyer : undefined } satisfies { row: SchoolRow; buyer?: UserRow },
        ]),
      ),
      teamYears: catalogue.teamYears,
      leadsByService: new Map(),
      today,
    },
    plans,
  )
  rows.orders.push(...built.orders)
  rows.order_lines.push(...built.orderLines)
  rows.order_events.push(...built.orderEvents)
  rows.capacity_reservations.push(...built.capacityReservations)
  return rows
}
