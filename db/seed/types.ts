/**
 * The shapes of the seed: a catalogue written as plain data (specs), and the
 * rows it becomes (one array per table, in insert order).
 */
import type { Insertable } from 'kysely'
import type {
  AuthoritiesTable,
  CapacityReservationsTable,
  CategoriesTable,
  CoursesTable,
  DeliveryRecordsTable,
  DocumentCountersTable,
  IncomeTargetsTable,
  InvoiceSchedule,
  OfferSoldBy,
  OfferInclusionsTable,
  OfferPriceBandsTable,
  OfferPricesTable,
  OffersTable,
  OrderEventsTable,
  OrderLinesTable,
  OrdersTable,
  Phase,
  PricingModel,
  SchoolsTable,
  ServiceLeadsTable,
  ServicesTable,
  TeamsTable,
  TermDatesTable,
  TrustMembershipsTable,
  TrustOrdersTable,
  ClustersTable,
  ClusterMembersTable,
  TrustsTable,
  TeamYearsTable,
  UserRolesTable,
  UsersTable,
  VatCategory,
} from '../schema'

/** A row with its id always set (the seed chooses every id). */
type WithId<T> = Insertable<T> & { id: string }

export type AuthorityRow = WithId<AuthoritiesTable>
export type DocumentCounterRow = Insertable<DocumentCountersTable>
export type TermDateRow = Insertable<TermDatesTable>
export type SchoolRow = WithId<SchoolsTable>
export type TrustRow = WithId<TrustsTable>
export type TrustMembershipRow = WithId<TrustMembershipsTable>
export type TrustOrderRow = WithId<TrustOrdersTable>
export type ClusterRow = WithId<ClustersTable>
export type ClusterMemberRow = Insertable<ClusterMembersTable>
export type UserRow = WithId<UsersTable>
export type UserRoleRow = Insertable<UserRolesTable>
export type CategoryRow = WithId<CategoriesTable>
export type TeamRow = WithId<TeamsTable>
export type TeamYearRow = Insertable<TeamYearsTable> & { sessional_hours: number; central_funding_pence: number }
export type ServiceRow = WithId<ServicesTable>
export type ServiceLeadRow = Insertable<ServiceLeadsTable>
export type OfferRow = WithId<OffersTable> & {
  hours_per_unit: number
  cancellation_notice_days: number
  late_cancellation_fee_percent: number
}
export type OfferPriceRow = WithId<OfferPricesTable> & {
  base_maintained_pence: number
  base_academy_pence: number
}
export type OfferPriceBandRow = WithId<OfferPriceBandsTable>
export type OfferInclusionRow = Insertable<OfferInclusionsTable>
export type CourseRow = WithId<CoursesTable> & { starts_at: Date; ends_at: Date }
export type IncomeTargetRow = Insertable<IncomeTargetsTable>
export type OrderRow = WithId<OrdersTable> & { net_pence: number; vat_pence: number; gross_pence: number }
export type OrderLineRow = WithId<OrderLinesTable>
export type OrderEventRow = WithId<OrderEventsTable>
export type CapacityReservationRow = WithId<CapacityReservationsTable>
export type DeliveryRecordRow = WithId<DeliveryRecordsTable>

/** Every table the seed fills, in an order that respects foreign keys. */
export type SeedRows = {
  authorities: AuthorityRow[]
  document_counters: DocumentCounterRow[]
  term_dates: TermDateRow[]
  schools: SchoolRow[]
  trusts: TrustRow[]
  trust_memberships: TrustMembershipRow[]
  trust_orders: TrustOrderRow[]
  clusters: ClusterRow[]
  cluster_members: ClusterMemberRow[]
  users: UserRow[]
  user_roles: UserRoleRow[]
  categories: CategoryRow[]
  teams: TeamRow[]
  team_years: TeamYearRow[]
  services: ServiceRow[]
  service_leads: ServiceLeadRow[]
  offers: OfferRow[]
  offer_prices: OfferPriceRow[]
  offer_price_bands: OfferPriceBandRow[]
  offer_inclusions: OfferInclusionRow[]
  courses: CourseRow[]
  income_targets: IncomeTargetRow[]
  orders: OrderRow[]
  order_lines: OrderLineRow[]
  order_events: OrderEventRow[]
  capacity_reservations: CapacityReservationRow[]
  delivery_records: DeliveryRecordRow[]
}

export const TABLE_ORDER: (keyof SeedRows)[] = [
  'authorities',
  'document_counters',
  'term_dates',
  'schools',
  'trusts',
  'trust_memberships',
  'clusters',
  'cluster_members',
  'users',
  'user_roles',
  'trust_orders',
  'categories',
  'teams',
  'team_years',
  'services',
  'service_leads',
  'offers',
  'offer_prices',
  'offer_price_bands',
  'offer_inclusions',
  'courses',
  'income_targets',
  'orders',
  'order_lines',
  'order_events',
  'capacity_reservations',
  'delivery_records',
]

export function emptyRows(): SeedRows {
  return Object.fromEntries(TABLE_ORDER.map((t) => [t, []])) as unknown as SeedRows
}

// ---------------------------------------------------------------------------
// Catalogue specs: what a person would write down about the services.

/** Pence; one number means the same price for maintained schools and academies. */
export type Pence = number | { maintained: number; academy: number }

export type PriceSpec = {
  base?: Pence
  perPupil?: Pence
  minimumCharge?: number
  /** per_unit volume tiers: all units at the rate of the tier the quantity falls in. */
  tiers?: { min: number; max: number | null; price: Pence }[]
  /** pupil_banded bands, by the school's pupil count. */
  bands?: { min: number; max: number | null; price: Pence }[]
}

export type CourseSpec = {
  key: string
  title: string
  /** 'YYYY-MM-DD' */
  date: string
  /** Start hour (UTC) and length in hours. */
  startHour: number
  lengthHours: number
  venue: string
  places: number
}

export type OfferSpec = {
  slug: string
  name: string
  description: string
  pricingModel: PricingModel
  unit: [one: string, other: string]
  hoursPerUnit: number
  vat: VatCategory
  schedule: InvoiceSchedule
  /** 'year' or 'term' when the price is for a year or a term; a unit of 'year' is 'year'; otherwise a quantity. */
  soldBy?: OfferSoldBy
  noticeDays: number
  lateFeePercent: number
  maxQuantity?: number
  /** A partnership discount on pooled blocks: percentOff % off a block of at least fromQuantity. */
  partnership?: { fromQuantity: number; percentOff: number }
  /** May a school buy it again in the same year; by default, when priced per unit or per place. */
  repeatable?: boolean
  /** Slugs of the service's other offers this one includes (a subscription's pay-as-you-go places). */
  includes?: string[]
  /** The prices for the reference year (2026/27); other years are derived unless given. */
  prices: PriceSpec
  pricesByYear?: Partial<Record<number, PriceSpec>>
  courses?: CourseSpec[]
}

export type TeamYearSpec = {
  fte: number
  chargeableHoursPerFte: number
  costPerFtePounds: number
  sessionalHours: number
  centralFundingPounds: number
}

export type TeamSpec = {
  slug: string
  name: string
  years: Record<number, TeamYearSpec>
}

export type CategorySpec = { slug: string; name: string; description: string }

export type ServiceSpec = {
  slug: string
  name: string
  category: string
  team: string
  summary: string
  /** Paragraphs separated by blank lines. */
  description: string
  included: string[]
  excluded: string[]
  terms: string
  /** What every school receives without charge (the statutory core), and where charges begin; shown above the offers. */
  statutoryCore?: { freeToAll: string; chargesBegin: string }
  phases: Phase[]
  /** Words schools use for the service that its text does not say (services.search_terms). */
  keywords?: string[]
  contact: { name: string; email: string; phone: string }
  incomeCode: string
  /** Income targets in whole pounds, by trading year. */
  targetsPounds: Record<number, number>
  offers: OfferSpec[]
}

export type CatalogueSpec = {
  categories: CategorySpec[]
  teams: TeamSpec[]
  services: ServiceSpec[]
}
