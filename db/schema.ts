import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

/**
 * The database as Kysely sees it. Kept by hand beside the migrations.
 * bigint (pence) and numeric (FTE, hours) columns are parsed to numbers by
 * db/connection.ts; dates (`date`) stay 'YYYY-MM-DD' strings.
 */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type CreatedAt = ColumnType<Date, Date | string | undefined, never>
type Id = Generated<string>
type Money = ColumnType<number, number | undefined, number>
type DateOnly = ColumnType<string, string, string>

export type Phase = 'nursery' | 'primary' | 'secondary' | 'all_through' | 'special' | 'alternative_provision'
export type SchoolType = 'maintained' | 'academy'
export type FinanceRoute = 'internal_recharge' | 'invoice'
export type Role = 'school_buyer' | 'school_approver' | 'service_lead' | 'finance' | 'la_admin' | 'trust_buyer' | 'trust_approver'
export type PricingModel = 'fixed' | 'per_unit' | 'pupil_banded' | 'per_pupil' | 'per_place'
export type VatCategory = 'standard' | 'exempt' | 'outside_scope'
export type InvoiceSchedule = 'annual_in_advance' | 'termly' | 'on_delivery'
/** What an offer's price buys: a year (pro-rated by terms), one term, or a quantity valid for the year. */
export type OfferSoldBy = 'year' | 'term' | 'quantity'
export type OrderStatus = 'draft' | 'awaiting_approval' | 'submitted' | 'confirmed' | 'waitlisted' | 'cancelled' | 'completed' | 'rejected'
export type InvoiceStatus = 'open' | 'paid' | 'credited' | 'void' | 'uncollectible'
/** Where an invoice or credit note stands with Stripe. */
export type StripeSyncStatus = 'not_applicable' | 'not_configured' | 'pending' | 'sent'
export type PaymentMethod = 'stripe' | 'bacs' | 'journal' | 'manual'

export interface AuthoritiesTable {
  id: Id
  slug: string
  name: string
  invoice_prefix: string
  financial_year_start_month: Generated<number>
  vat_number: string | null
  contact_email: string
  contact_phone: string | null
  address: string | null
  bank_name: string | null
  bank_sort_code: string | null
  bank_account_number: string | null
  bank_account_name: string | null
  remittance_address: string | null
  remittance_email: string | null
  days_to_pay: Generated<number>
  settings_updated_at: Timestamp | null
  settings_updated_by: string | null
  created_at: CreatedAt
}

export interface DocumentCountersTable {
  authority_id: string
  kind: 'invoice' | 'credit_note' | 'order' | 'trust_order'
  last_number: Generated<number>
}

export interface SchoolsTable {
  authority_id: string
  id: Id
  urn: string
  name: string
  phase: Phase
  school_type: SchoolType
  pupil_count: number
  approval_limit_pence: Money
  finance_route: FinanceRoute
  converted_to_academy_on: DateOnly | null
  po_number_required: Generated<boolean>
  cost_centre: string | null
  address_line1: string | null
  town: string | null
  postcode: string | null
  email: string | null
  phone: string | null
  headteacher_name: string | null
  stripe_customer_id: string | null
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface UsersTable {
  authority_id: string
  id: Id
  email: string
  name: string
  password_hash: string | null
  school_id: string | null
  /** The trust of a trust user (trust_buyer, trust_approver); null for everyone else. */
  trust_id: Generated<string | null>
  is_active: Generated<boolean>
  last_signed_in_at: Timestamp | null
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface UserRolesTable {
  authority_id: string
  user_id: string
  role: Role
  granted_at: CreatedAt
}

export interface SessionsTable {
  authority_id: string
  id: Id
  user_id: string
  created_at: CreatedAt
  last_seen_at: Timestamp
  expires_at: Timestamp
  ip_address: string | null
  user_agent: string | null
}

export interface PasswordResetTokensTable {
  authority_id: string
  id: Id
  user_id: string
  token_hash: string
  purpose: 'reset' | 'invitation'
  expires_at: Timestamp
  used_at: Timestamp | null
  created_at: CreatedAt
}

export interface CategoriesTable {
  authority_id: string
  id: Id
  slug: string
  name: string
  description: Generated<string>
  position: Generated<number>
}

export interface TeamsTable {
  authority_id: string
  id: Id
  slug: string
  name: string
}

export interface TeamYearsTable {
  authority_id: string
  team_id: string
  trading_year: number
  establishment_fte: number
  chargeable_hours_per_fte: number
  cost_per_fte_pence: Money
  sessional_hours: Generated<number>
  central_funding_pence: Generated<number>
}

export interface ServicesTable {
  authority_id: string
  id: Id
  slug: string
  name: string
  category_id: string
  team_id: string
  summary: string
  description: string
  included: Generated<string[]>
  excluded: Generated<string[]>
  terms: Generated<string>
  phases: Generated<Phase[]>
  contact_name: string
  contact_email: string
  contact_phone: string | null
  income_code: string | null
  is_published: Generated<boolean>
  search_vector: ColumnType<string, never, never>
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface ServiceLeadsTable {
  authority_id: string
  service_id: string
  user_id: string
}

export interface OffersTable {
  authority_id: string
  id: Id
  service_id: string
  slug: string
  name: string
  description: Generated<string>
  pricing_model: PricingModel
  unit_one: string
  unit_other: string
  hours_per_unit: number
  vat_category: VatCategory
  invoice_schedule: InvoiceSchedule
  sold_by: Generated<OfferSoldBy>
  cancellation_notice_days: Generated<number>
  late_cancellation_fee_percent: Generated<number>
  /** The notice is counted in school days (the offer's terms say so), else in calendar days. */
  notice_in_school_days: Generated<boolean>
  max_quantity: number | null
  position: Generated<number>
  is_published: Generated<boolean>
  /** May a school buy it more than once in a trading year (false: a yearly agreement). */
  repeatable: Generated<boolean>
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface OfferPricesTable {
  authority_id: string
  id: Id
  offer_id: string
  trading_year: number
  base_maintained_pence: Money
  base_academy_pence: Money
  per_pupil_maintained_pence: number | null
  per_pupil_academy_pence: number | null
  minimum_charge_pence: number | null
}

export interface OfferPriceBandsTable {
  authority_id: string
  id: Id
  offer_price_id: string
  kind: 'quantity' | 'pupils'
  lower_bound: number
  upper_bound: number | null
  maintained_pence: number
  academy_pence: number
}

export interface CoursesTable {
  authority_id: string
  id: Id
  offer_id: string
  title: string
  starts_at: Timestamp
  ends_at: Timestamp
  venue: string
  places: number
  is_cancelled: Generated<boolean>
}

export interface IncomeTargetsTable {
  authority_id: string
  service_id: string
  trading_year: number
  target_pence: number
}

export interface OrdersTable {
  authority_id: string
  id: Id
  reference: string
  school_id: string
  status: OrderStatus
  po_number: string | null
  submission_key: string | null
  created_by: string | null
  submitted_by: string | null
  submitted_at: Timestamp | null
  approved_by: string | null
  approved_at: Timestamp | null
  rejection_reason: string | null
  net_pence: Money
  vat_pence: Money
  gross_pence: Money
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface OrderLinesTable {
  authority_id: string
  id: Id
  order_id: string
  offer_id: string
  course_id: string | null
  status: Generated<OrderStatus>
  trading_year: number
  period_start: DateOnly
  period_end: DateOnly
  quantity: number
  hours: number
  unit_price_pence: number
  net_pence: number
  vat_rate_basis_points: number
  vat_pence: number
  gross_pence: number
  price_explanation: string
  confirmed_at: Timestamp | null
  waitlisted_at: Timestamp | null
  cancelled_at: Timestamp | null
  cancellation_fee_pence: Money
  /** When the team has less time left than asked for: confirm what fits and waitlist the rest, or waitlist all. */
  capacity_choice: Generated<CapacityChoice>
  /** The line this waitlisted remainder was split from. */
  split_from_line_id: Generated<string | null>
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface OrderEventsTable {
  authority_id: string
  id: Id
  order_id: string
  order_line_id: string | null
  from_status: OrderStatus | null
  to_status: OrderStatus
  actor_user_id: string | null
  note: string | null
  created_at: CreatedAt
}

export interface CapacityReservationsTable {
  authority_id: string
  id: Id
  order_line_id: string
  team_id: string
  trading_year: number
  course_id: string | null
  hours: number
  places: Generated<number>
  released_at: Timestamp | null
  created_at: CreatedAt
}

export interface DeliveryRecordsTable {
  authority_id: string
  id: Id
  order_line_id: string
  delivered_on: DateOnly
  units: number
  hours: number
  practitioner: string
  note: string | null
  recorded_by: string | null
  created_at: CreatedAt
}

export interface RechargeJournalsTable {
  authority_id: string
  id: Id
  month: DateOnly
  status: Generated<'open' | 'posted'>
  posted_at: Timestamp | null
  posted_by: string | null
}

export interface InvoicesTable {
  authority_id: string
  id: Id
  number: string
  sequence_number: number
  /** The school invoiced; null on a trust's consolidated invoice (migration 0024). */
  school_id: string | null
  /** The trust invoiced, on a consolidated invoice for one of its trust orders; null otherwise. */
  trust_id: Generated<string | null>
  trust_order_id: Generated<string | null>
  order_id: string | null
  route: FinanceRoute
  status: InvoiceStatus
  trading_year: number
  instalment: number | null
  billing_month: DateOnly | null
  issued_at: Timestamp
  due_on: DateOnly
  net_pence: number
  vat_pence: number
  gross_pence: number
  amount_paid_pence: Money
  amount_credited_pence: Money
  po_number: string | null
  journal_id: string | null
  stripe_invoice_id: string | null
  stripe_hosted_invoice_url: string | null
  paid_at: Timestamp | null
  created_at: CreatedAt
  stripe_status: Generated<StripeSyncStatus>
  stripe_items_added_at: Timestamp | null
  stripe_finalized_at: Timestamp | null
  stripe_sent_at: Timestamp | null
  last_payment_error: string | null
  period_label: string | null
  written_off_at: Timestamp | null
  written_off_by: string | null
  written_off_reason: string | null
  voided_at: Timestamp | null
  voided_by: string | null
  void_reason: string | null
}

export interface InvoiceLinesTable {
  authority_id: string
  id: Id
  invoice_id: string
  order_line_id: string | null
  service_id: string
  description: string
  quantity: number
  unit_price_pence: number
  net_pence: number
  vat_rate_basis_points: number
  vat_pence: number
  gross_pence: number
  charge_key: string | null
  /** On a trust's consolidated invoice, the member school the line is for. */
  school_id: Generated<string | null>
}

export interface CreditNotesTable {
  authority_id: string
  id: Id
  number: string
  sequence_number: number
  invoice_id: string
  reason: string
  net_pence: number
  vat_pence: number
  gross_pence: number
  issued_at: Timestamp
  issued_by: string | null
  stripe_credit_note_id: string | null
  credit_key: string | null
  invoice_line_id: string | null
  journal_id: string | null
  stripe_status: Generated<StripeSyncStatus>
}

export interface PaymentsTable {
  authority_id: string
  id: Id
  school_id: string | null
  method: PaymentMethod
  amount_pence: number
  received_on: DateOnly
  reference: string | null
  stripe_payment_id: string | null
  stripe_payout_id: string | null
  journal_id: string | null
  recorded_by: string | null
  created_at: CreatedAt
  stripe_invoice_id: string | null
  stripe_payment_intent_id: string | null
  note: string | null
}

export interface StripeEventsTable {
  id: string
  type: string
  authority_id: string | null
  stripe_created_at: Timestamp
  received_at: CreatedAt
  applied_at: Timestamp | null
  outcome: string | null
  payload: ColumnType<unknown, string, string>
}

export interface StripePayoutsTable {
  authority_id: string
  id: Id
  stripe_payout_id: string
  amount_pence: number
  arrival_date: DateOnly
  status: string
  reconciled_at: Timestamp | null
  created_at: CreatedAt
}

export interface StripePayoutTransactionsTable {
  authority_id: string
  payout_id: string
  balance_transaction_id: string
  type: string
  amount_pence: number
  fee_pence: Money
  net_pence: number
  payment_intent_id: string | null
  description: string | null
  payment_id: string | null
}

export interface PaymentAllocationsTable {
  authority_id: string
  payment_id: string
  invoice_id: string
  amount_pence: number
  created_at: CreatedAt
}

export interface RefundsTable {
  authority_id: string
  id: Id
  payment_id: string
  invoice_id: string | null
  credit_note_id: string | null
  journal_id: string | null
  amount_pence: number
  reason: string
  refunded_on: DateOnly
  recorded_by: string | null
  created_at: CreatedAt
}

export interface EmailMessagesTable {
  authority_id: string
  id: Id
  idempotency_key: string
  template: string
  to_address: string
  subject: string
  html: string
  text: string
  status: Generated<'queued' | 'sent' | 'held' | 'failed'>
  attempts: Generated<number>
  last_error: string | null
  sent_at: Timestamp | null
  created_at: CreatedAt
}

export interface AuditEventsTable {
  authority_id: string
  id: Id
  actor_user_id: string | null
  action: string
  subject_type: string | null
  subject_id: string | null
  ip_address: string | null
  user_agent: string | null
  details: ColumnType<Record<string, unknown>, string | undefined, string>
  created_at: CreatedAt
}

export interface SignInAttemptsTable {
  id: Id
  email: string
  ip_address: string
  succeeded: boolean
  created_at: CreatedAt
}

export interface Database {
  authorities: AuthoritiesTable
  document_counters: DocumentCountersTable
  schools: SchoolsTable
  users: UsersTable
  user_roles: UserRolesTable
  sessions: SessionsTable
  password_reset_tokens: PasswordResetTokensTable
  categories: CategoriesTable
  teams: TeamsTable
  team_years: TeamYearsTable
  services: ServicesTable
  service_leads: ServiceLeadsTable
  offers: OffersTable
  offer_prices: OfferPricesTable
  offer_price_bands: OfferPriceBandsTable
  courses: CoursesTable
  income_targets: IncomeTargetsTable
  orders: OrdersTable
  order_lines: OrderLinesTable
  order_events: OrderEventsTable
  capacity_reservations: CapacityReservationsTable
  delivery_records: DeliveryRecordsTable
  recharge_journals: RechargeJournalsTable
  invoices: InvoicesTable
  invoice_lines: InvoiceLinesTable
  credit_notes: CreditNotesTable
  payments: PaymentsTable
  payment_allocations: PaymentAllocationsTable
  refunds: RefundsTable
  stripe_events: StripeEventsTable
  stripe_payouts: StripePayoutsTable
  stripe_payout_transactions: StripePayoutTransactionsTable
  email_messages: EmailMessagesTable
  audit_events: AuditEventsTable
  sign_in_attempts: SignInAttemptsTable
  trading_school_services: TradingSchoolServicesTable
  trading_service_months: TradingServiceMonthsTable
}

export type School = Selectable<SchoolsTable>
export type NewSchool = Insertable<SchoolsTable>
export type SchoolUpdate = Updateable<SchoolsTable>
export type Service = Selectable<ServicesTable>
export type Offer = Selectable<OffersTable>
export type Order = Selectable<OrdersTable>
export type OrderLine = Selectable<OrderLinesTable>
export type Invoice = Selectable<InvoicesTable>

/** Kept by triggers on order_lines and orders (migration 0005): what each school bought of each service in a trading year. */
export interface TradingSchoolServicesTable {
  authority_id: string
  trading_year: number
  service_id: string
  school_id: string
  booked_pence: Money
  booked_lines: Generated<number>
  live_lines: Generated<number>
  booked_hours: Generated<number>
  waitlisted_hours: Generated<number>
}

/** Kept by triggers on order_lines and orders (migration 0005): income booked per service and calendar month. */
export interface TradingServiceMonthsTable {
  authority_id: string
  trading_year: number
  service_id: string
  month: DateOnly
  booked_pence: Money
}

/** The renewal cycle (migration 0006, docs/decisions/0012). */
export type RenewalProposalStatus = 'open' | 'accepted' | 'declined' | 'lapsed'

export interface RenewalWindowsTable {
  authority_id: string
  id: Id
  /** The year renewed into: 2027 means 2027/28. */
  trading_year: number
  opens_on: DateOnly
  closes_on: DateOnly
  opened_at: Timestamp | null
  opened_by: string | null
  updated_by: string | null
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface RenewalProposalsTable {
  authority_id: string
  id: Id
  window_id: string
  school_id: string
  trading_year: number
  status: Generated<RenewalProposalStatus>
  decline_reason: string | null
  decided_by: string | null
  decided_at: Timestamp | null
  lapsed_at: Timestamp | null
  order_id: string | null
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface RenewalProposalLinesTable {
  authority_id: string
  id: Id
  proposal_id: string
  offer_id: string
  quantity: number
  last_year_quantity: number | null
  last_year_used_units: number | null
  created_at: CreatedAt
  updated_at: Timestamp
}

// Declaration merging: the renewal tables join the Database interface above.
export interface Database {
  renewal_windows: RenewalWindowsTable
  renewal_proposals: RenewalProposalsTable
  renewal_proposal_lines: RenewalProposalLinesTable
}

// ---------------------------------------------------------------------------
// Term dates: each authority's three school terms per trading year.

export type TermName = 'summer' | 'autumn' | 'spring'

export interface TermDatesTable {
  authority_id: string
  trading_year: number
  term: TermName
  starts_on: DateOnly
  ends_on: DateOnly
  updated_by: string | null
  updated_at: Generated<Date>
}

export interface Database {
  term_dates: TermDatesTable
}

export type CapacityChoice = 'split' | 'wait_all'

/** An offer (a subscription) that includes another: holding it for a year, the included offer costs nothing. */
export interface OfferInclusionsTable {
  authority_id: string
  offer_id: string
  included_offer_id: string
  created_at: CreatedAt
}

// Declaration merging: the offer rules join the Database interface above.
export interface Database {
  offer_inclusions: OfferInclusionsTable
}

// ---------------------------------------------------------------------------
// The offer editor (issue 14). Declaration merging: these columns join OffersTable above.

export interface OffersTable {
  /** The CFR code of the offer's income; null: the service's income_code. */
  cfr_code: string | null
  /** When the offer was retired (it is then also unpublished); null while it is not. */
  retired_at: Timestamp | null
}

// Services the authority edits itself (migration 0013, docs/decisions/0019):
// the statutory core, where charges begin, and versioned terms.

export interface ServicesTable {
  /** What every school receives without charge (the statutory core); '' when the service says nothing. */
  statutory_core: Generated<string>
  /** Where charges begin; '' when the service says nothing. */
  charges_begin: Generated<string>
}

// The catalogue search (migration 0019, docs/decisions/0030).

export interface ServicesTable {
  /** Words schools use for the service that its text does not say; ranked just below the name. */
  search_terms: Generated<string[]>
}

export interface ServiceTermsVersionsTable {
  authority_id: string
  id: Id
  service_id: string
  /** 1, 2, 3… per service; the highest is in force (its text is services.terms). */
  version: number
  terms: string
  created_by: string | null
  created_at: CreatedAt
}

export interface OrderLinesTable {
  /** The service's terms in force when the line was submitted (null: submitted before terms were versioned). */
  terms_version_id: Generated<string | null>
}

export interface Database {
  service_terms_versions: ServiceTermsVersionsTable
}

// The school register: open or closed schools kept from GIAS extracts, the
// authority's LA code, and the extracts uploaded (migration 0016).

export type SchoolStatus = 'open' | 'closed'
/** A jsonb column of school_imports: written as JSON text, read parsed. */
type SchoolImportJson = ColumnType<unknown, string, string>

export interface SchoolsTable {
  status: Generated<SchoolStatus>
  opened_on: DateOnly | null
  closed_on: DateOnly | null
  /** GIAS's `TypeOfEstablishment (name)`, e.g. "Academy converter". */
  gias_type: string | null
  /** GIAS's `Trusts (name)`, kept for trust features. */
  trust_name: string | null
}

export interface AuthoritiesTable {
  /** The three-digit local authority code GIAS uses (Coventry: 331). */
  la_code: string | null
}

export interface SchoolImportsTable {
  authority_id: string
  id: Generated<string>
  file_name: string
  la_code: string
  row_count: number
  /** The good rows of the authority, as parsed (GiasSchool[], app/domain/gias.ts). */
  schools: SchoolImportJson
  /** The rows left out, with their line and reason (GiasBadRow[]). */
  bad_rows: SchoolImportJson
  /** How many rows were ignored, and why (GiasIgnored). */
  ignored: SchoolImportJson
  uploaded_by: string
  uploaded_at: Generated<Date>
  applied_by: string | null
  applied_at: Date | null
  summary: SchoolImportJson | null
}

export interface Database {
  school_imports: SchoolImportsTable
}

// Declaration merging: price lists per trading year (docs/decisions/0021).
// A later year's prices are on sale to schools from published_on; this
// year's and earlier ones whatever it says (app/domain/price-lists.ts).
export interface OfferPricesTable {
  published_on: ColumnType<string | null, string | null | undefined, string | null>
  published_by: ColumnType<string | null, string | null | undefined, string | null>
  published_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>
}

export interface Database {
  offer_prices: OfferPricesTable
}

/** A team's capacity recommendation taken into next year's plan (issue 14). */
export interface TeamPlanDecisionsTable {
  authority_id: string
  id: Id
  team_id: string
  /** The year the establishment was planned for (next year). */
  trading_year: number
  recommendation_kind: 'expand' | 'hold' | 'reduce'
  recommended_fte_change: ColumnType<number, number | string, number | string>
  from_fte: ColumnType<number, number | string, number | string>
  to_fte: ColumnType<number, number | string, number | string>
  reason: string
  decided_by: string | null
  decided_at: CreatedAt
}

// Declaration merging: targets and plan decisions join the Database interface above.
export interface Database {
  team_plan_decisions: TeamPlanDecisionsTable
}

/** Who accepted an order's terms and when: at submission, and at the headteacher's approval (issue 15, migration 0018). */
export interface OrdersTable {
  /** The user who submitted the order, accepting the terms versions its lines record (null: submitted before acceptance was recorded). */
  terms_accepted_by: Generated<string | null>
  terms_accepted_at: Generated<Date | null>
  /** The headteacher who approved the order, accepting the same terms for the school (null: no approval, or before it was recorded). */
  terms_approved_by: Generated<string | null>
  terms_approved_at: Generated<Date | null>
}

// ---------------------------------------------------------------------------
// Multi-academy trusts (issue 16, migration 0021, docs/decisions/0035).

export type TrustInvoicing = 'per_school' | 'consolidated'

export interface TrustsTable {
  authority_id: string
  id: Id
  name: string
  /** Companies House number (8 characters), when known. */
  companies_house_number: string | null
  /** A trust basket at or above this gross total waits for the trust's approver. */
  approval_limit_pence: number
  invoicing: Generated<TrustInvoicing>
  address_line1: string | null
  town: string | null
  postcode: string | null
  finance_email: string | null
  /** The trust's Stripe customer, for its consolidated invoices (migration 0024). */
  stripe_customer_id: Generated<string | null>
  created_at: CreatedAt
  updated_at: Timestamp
}

/** A school's time in a trust: from `joined_on` up to (not including) `left_on`. */
export interface TrustMembershipsTable {
  authority_id: string
  id: Id
  trust_id: string
  school_id: string
  joined_on: DateOnly
  left_on: DateOnly | null
  created_at: CreatedAt
}

export type TrustOrderStatus = 'awaiting_approval' | 'submitted' | 'rejected'

/** A trust's submitted basket: one order per member school (orders.trust_order_id), approved as one. */
export interface TrustOrdersTable {
  authority_id: string
  id: Id
  trust_id: string
  reference: string
  status: TrustOrderStatus
  po_number: string | null
  net_pence: Money
  vat_pence: Money
  gross_pence: Money
  submitted_by: string
  submitted_at: Timestamp
  approved_by: string | null
  approved_at: Timestamp | null
  rejection_reason: string | null
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface OrdersTable {
  /** The trust whose basket (draft) or order this is; null for a school's own. */
  trust_id: Generated<string | null>
  /** The trust order grouping this school's part of it. */
  trust_order_id: Generated<string | null>
}

export interface Database {
  trusts: TrustsTable
  trust_memberships: TrustMembershipsTable
  trust_orders: TrustOrdersTable
}

// ---------------------------------------------------------------------------
// Clusters and pooled blocks (issue 16, migration 0025, docs/decisions/0036).

export type ClusterSplitBasis = 'use' | 'shares'

export interface ClustersTable {
  authority_id: string
  id: Id
  name: string
  /** The member school that orders the cluster's pooled blocks. */
  lead_school_id: string
  /** How a block's price is shared: by each school's recorded use, or by the members' fixed shares. */
  split_basis: ClusterSplitBasis
  created_at: CreatedAt
  updated_at: Timestamp
}

export interface ClusterMembersTable {
  authority_id: string
  cluster_id: string
  school_id: string
  /** The school's agreed share (any positive weights; used when split by shares). */
  share: Generated<number>
  created_at: CreatedAt
}

export interface OffersTable {
  /** Partnership discount: `partnership_percent_off` % off a pooled block of at least this quantity (both or neither). */
  partnership_from_quantity: Generated<number | null>
  partnership_percent_off: Generated<number | null>
}

export interface OrderLinesTable {
  /** The cluster whose pooled block this line is (in its lead school's order); null for a school's own line. */
  cluster_id: Generated<string | null>
}

export interface DeliveryRecordsTable {
  /** For a pooled block: the member school the delivery was for. */
  school_id: Generated<string | null>
}

export interface Database {
  clusters: ClustersTable
  cluster_members: ClusterMembersTable
}
