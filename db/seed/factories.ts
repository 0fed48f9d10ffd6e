/**
 * Small typed builders for rows, used by the seed and reusable by tests:
 *
 *   const school = buildSchool({ authority_id, name: 'Test Primary', pupil_count: 200 })
 *   await db.insertInto('schools').values(school).execute()
 *
 * Every builder returns a complete, valid row: the caller gives what matters
 * to the test and the rest gets sensible defaults. Defaults that must be
 * unique (ids, URNs, e-mails, slugs) come from a per-process sequence, so a
 * test can build many rows without clashes; the seed always passes its own.
 * Nothing here reads the clock or Math.random().
 */
import type { Phase, Role, SchoolType } from '../schema'
import { idFor } from './random'
import type {
  AuthorityRow,
  CategoryRow,
  CourseRow,
  IncomeTargetRow,
  OfferPriceBandRow,
  OfferPriceRow,
  OfferRow,
  SchoolRow,
  ServiceRow,
  TeamRow,
  TeamYearRow,
  UserRoleRow,
  UserRow,
} from './types'

/** When rows are created, unless the caller says otherwise. */
export const DEFAULT_CREATED_AT = '2025-01-06T09:00:00.000Z'

let sequence = 0
function next(kind: string): { n: number; id: string } {
  sequence += 1
  return { n: sequence, id: idFor(`factory/${kind}/${sequence}`) }
}

type With<T, K extends keyof T> = Partial<T> & Pick<T, K>

export function buildAuthority(overrides: Partial<AuthorityRow> = {}): AuthorityRow {
  const { n, id } = next('authority')
  return {
    id,
    slug: `test-authority-${n}`,
    name: `Test Authority ${n}`,
    invoice_prefix: 'TST',
    financial_year_start_month: 4,
    vat_number: null,
    contact_email: `traded.services@test-authority-${n}.example`,
    contact_phone: null,
    address: null,
    bank_name: null,
    bank_sort_code: null,
    bank_account_number: null,
    bank_account_name: null,
    remittance_address: null,
    remittance_email: null,
    days_to_pay: 30,
    settings_updated_at: null,
    settings_updated_by: null,
    created_at: DEFAULT_CREATED_AT,
    ...overrides,
  }
}

/** The finance route follows the school type: academies are invoiced, maintained schools recharged. */
export function financeRouteFor(type: SchoolType): 'invoice' | 'internal_recharge' {
  return type === 'academy' ? 'invoice' : 'internal_recharge'
}

export function buildSchool(overrides: With<SchoolRow, 'authority_id'>): SchoolRow {
  const { n, id } = next('school')
  const type: SchoolType = overrides.school_type ?? 'maintained'
  const phase: Phase = overrides.phase ?? 'primary'
  return {
    id,
    urn: String(900_000 + (n % 100_000)).padStart(6, '0'),
    name: `Test School ${n}`,
    phase,
    school_type: type,
    pupil_count: phase === 'secondary' ? 1000 : 300,
    approval_limit_pence: 250_000,
    finance_route: financeRouteFor(type),
    converted_to_academy_on: null,
    po_number_required: false,
    cost_centre: type === 'maintained' ? `CC-9${String(n % 10_000).padStart(4, '0')}` : null,
    address_line1: null,
    town: null,
    postcode: null,
    email: null,
    phone: null,
    headteacher_name: null,
    stripe_customer_id: null,
    created_at: DEFAULT_CREATED_AT,
    updated_at: DEFAULT_CREATED_AT,
    ...overrides,
  }
}

/**
 * The argon2id hash of the demo password `demo-password-2026` (docs/product.md),
 * computed once with a fixed salt so that the seed stays deterministic. Every
 * demo account shares it; real accounts get their own salt.
 */
export const DEMO_PASSWORD = 'demo-password-2026'
export const DEMO_PASSWORD_HASH = '$argon2id$v=19$m=19456,t=2,p=1$YnV5YmFjay1kZW1vLXNhbHQtMjAyNg$zsnW4ZB0OfHvibDO+rc78sCouD66MdSspTgYJptaHeg'

export function buildUser(overrides: With<UserRow, 'authority_id'>): UserRow {
  const { n, id } = next('user')
  return {
    id,
    email: `user${n}@test.example`,
    name: `Test User ${n}`,
    password_hash: DEMO_PASSWORD_HASH,
    school_id: null,
    is_active: true,
    last_signed_in_at: null,
    created_at: DEFAULT_CREATED_AT,
    updated_at: DEFAULT_CREATED_AT,
    ...overrides,
  }
}

export function buildUserRole(user: Pick<UserRow, 'authority_id' | 'id'>, role: Role, grantedAt = DEFAULT_CREATED_AT): UserRoleRow {
  return { authority_id: user.authority_id, user_id: user.id, role, granted_at: grantedAt }
}

export function buildCategory(overrides: With<CategoryRow, 'authority_id'>): CategoryRow {
  const { n, id } = next('category')
  return { id, slug: `category-${n}`, name: `Category ${n}`, description: '', position: n, ...overrides }
}

export function buildTeam(overrides: With<TeamRow, 'authority_id'>): TeamRow {
  const { n, id } = next('team')
  return { id, slug: `team-${n}`, name: `Team ${n}`, ...overrides }
}

export function buildTeamYear(overrides: With<TeamYearRow, 'authority_id' | 'team_id' | 'trading_year'>): TeamYearRow {
  return {
    establishment_fte: 1,
    chargeable_hours_per_fte: 1000,
    cost_per_fte_pence: 5_000_000,
    sessional_hours: 0,
    central_funding_pence: 0,
    ...overrides,
  }
}

export function buildService(overrides: With<ServiceRow, 'authority_id' | 'category_id' | 'team_id'>): ServiceRow {
  const { n, id } = next('service')
  return {
    id,
    slug: `service-${n}`,
    name: `Service ${n}`,
    summary: 'A test service.',
    description: 'A test service for schools.',
    included: [],
    excluded: [],
    terms: '',
    phases: ['primary', 'secondary'],
    contact_name: 'Test Team',
    contact_email: 'team@test.example',
    contact_phone: null,
    income_code: null,
    is_published: true,
    created_at: DEFAULT_CREATED_AT,
    updated_at: DEFAULT_CREATED_AT,
    ...overrides,
  }
}

export function buildOffer(overrides: With<OfferRow, 'authority_id' | 'service_id'>): OfferRow {
  const { n, id } = next('offer')
  return {
    id,
    slug: `offer-${n}`,
    name: `Offer ${n}`,
    description: '',
    pricing_model: 'per_unit',
    unit_one: 'day',
    unit_other: 'days',
    hours_per_unit: 6.5,
    vat_category: 'standard',
    invoice_schedule: 'on_delivery',
    cancellation_notice_days: 0,
    late_cancellation_fee_percent: 0,
    max_quantity: null,
    position: 0,
    is_published: true,
    // Units and places add up; a fixed-price, banded or per-pupil offer is a yearly agreement.
    repeatable: ['per_unit', 'per_place'].includes(overrides.pricing_model ?? 'per_unit'),
    created_at: DEFAULT_CREATED_AT,
    updated_at: DEFAULT_CREATED_AT,
    ...overrides,
  }
}

export function buildOfferPrice(overrides: With<OfferPriceRow, 'authority_id' | 'offer_id' | 'trading_year'>): OfferPriceRow {
  const { id } = next('offer-price')
  return {
    id,
    base_maintained_pence: 0,
    base_academy_pence: 0,
    per_pupil_maintained_pence: null,
    per_pupil_academy_pence: null,
    minimum_charge_pence: null,
    ...overrides,
  }
}

export function buildOfferPriceBand(
  overrides: With<OfferPriceBandRow, 'authority_id' | 'offer_price_id' | 'kind' | 'lower_bound' | 'maintained_pence' | 'academy_pence'>,
): OfferPriceBandRow {
  const { id } = next('offer-price-band')
  return { id, upper_bound: null, ...overrides }
}

export function buildCourse(overrides: With<CourseRow, 'authority_id' | 'offer_id' | 'starts_at' | 'ends_at'>): CourseRow {
  const { n, id } = next('course')
  return { id, title: `Course ${n}`, venue: 'Online', places: 20, is_cancelled: false, ...overrides }
}

export function buildIncomeTarget(
  overrides: With<IncomeTargetRow, 'authority_id' | 'service_id' | 'trading_year' | 'target_pence'>,
): IncomeTargetRow {
  return { ...overrides }
}
