import { type Kysely, sql } from 'kysely'

/**
 * The whole domain (docs/product.md), designed once.
 *
 * Every tenant table carries `authority_id`, its primary key is
 * (authority_id, id) and every foreign key between tenant tables includes
 * authority_id. That keeps one authority's rows from ever pointing at
 * another's, and is exactly what a distributed PostgreSQL (Citus, distributed
 * by authority_id) requires, so moving there needs no schema change.
 *
 * Money is integer pence (bigint) and checked non-negative where it must be.
 * Trading years are stored as the starting calendar year (2026 = 2026/27).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
create table authorities (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text not null,
  invoice_prefix text not null check (invoice_prefix ~ '^[A-Z]{2,6}$'),
  financial_year_start_month integer not null default 4 check (financial_year_start_month between 1 and 12),
  vat_number text,
  contact_email text not null,
  contact_phone text,
  address text,
  created_at timestamptz not null default now()
);

-- Numbers for invoices and credit notes: one row per authority and kind,
-- locked and incremented in the transaction that issues the document.
create table document_counters (
  authority_id uuid not null references authorities(id),
  kind text not null check (kind in ('invoice', 'credit_note')),
  last_number integer not null default 0 check (last_number >= 0),
  primary key (authority_id, kind)
);

create table schools (
  authority_id uuid not null references authorities(id),
  id uuid not null default gen_random_uuid(),
  urn text not null check (urn ~ '^[0-9]{6}$'),
  name text not null,
  phase text not null check (phase in ('nursery', 'primary', 'secondary', 'all_through', 'special', 'alternative_provision')),
  school_type text not null check (school_type in ('maintained', 'academy')),
  pupil_count integer not null check (pupil_count >= 0),
  approval_limit_pence bigint not null check (approval_limit_pence >= 0),
  finance_route text not null check (finance_route in ('internal_recharge', 'invoice')),
  converted_to_academy_on date,
  po_number_required boolean not null default false,
  cost_centre text,
  address_line1 text,
  town text,
  postcode text,
  email text,
  phone text,
  headteacher_name text,
  stripe_customer_id text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (authority_id, id),
  unique (authority_id, urn)
);
create index schools_name_idx on schools (authority_id, name);

create table users (
  authority_id uuid not null references authorities(id),
  id uuid not null default gen_random_uuid(),
  email text not null check (email = lower(email) and email like '%_@_%'),
  name text not null,
  password_hash text,
  school_id uuid,
  is_active boolean not null default true,
  last_signed_in_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (authority_id, id),
  unique (authority_id, email),
  foreign key (authority_id, school_id) references schools (authority_id, id)
);
create index users_email_idx on users (email);

create table user_roles (
  authority_id uuid not null,
  user_id uuid not null,
  role text not null check (role in ('school_buyer', 'school_approver', 'service_lead', 'finance', 'la_admin')),
  granted_at timestamptz not null default now(),
  primary key (authority_id, user_id, role),
  foreign key (authority_id, user_id) references users (authority_id, id) on delete cascade
);

create table sessions (
  authority_id uuid not null,
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null,
  ip_address text,
  user_agent text,
  primary key (authority_id, id),
  foreign key (authority_id, user_id) references users (authority_id, id) on delete cascade
);

create table password_reset_tokens (
  authority_id uuid not null,
  id uuid not null default gen_random_uuid(),
  user_id uuid not null,
  token_hash text not null,
  purpose text not null check (purpose in ('reset', 'invitation')),
  expires_at timestamptz not null,
  used_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (authority_id, id),
  foreign key (authority_id, user_id) references users (authority_id, id) on delete cascade
);
create index password_reset_tokens_hash_idx on password_reset_tokens (token_hash);

create table categories (
  authority_id uuid not null references authorities(id),
  id uuid not null default gen_random_uuid(),
  slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text not null,
  description text not null default '',
  position integer not null default 0,
  primary key (authority_id, id),
  unique (authority_id, slug)
);

create table teams (
  authority_id uuid not null references authorities(id),
  id uuid not null default gen_random_uuid(),
  slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text not null,
  primary key (authority_id, id),
  unique (authority_id, slug)
);

-- A team's establishment for one trading year. Confirming an order line locks
-- this row, recounts the reservations and only then decides.
create table team_years (
  authority_id uuid not null,
  team_id uuid not null,
  trading_year integer not null check (trading_year between 2000 and 2100),
  establishment_fte numeric(7, 2) not null check (establishment_fte >= 0),
  chargeable_hours_per_fte integer not null check (chargeable_hours_per_fte between 0 and 2000),
  cost_per_fte_pence bigint not null check (cost_per_fte_pence >= 0),
  sessional_hours integer not null default 0 check (sessional_hours >= 0),
  central_funding_pence bigint not null default 0 check (central_funding_pence >= 0),
  primary key (authority_id, team_id, trading_year),
  foreign key (authority_id, team_id) references teams (authority_id, id)
);

create table services (
  authority_id uuid not null,
  id uuid not null default gen_random_uuid(),
  slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text not null,
  category_id uuid not null,
  team_id uuid not null,
  summary text not null,
  description text not null,
  included text[] not null default '{}',
  excluded text[] not null default '{}',
  terms text not null default '',
  phases text[] not null default '{}',
  contact_name text not null,
  contact_email text not null,
  contact_phone text,
  income_code text,
  is_published boolean not null default true,
  search_vector tsvector generated always as (
    setweight(to_tsvector('english', coalesce(name, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(summary, '')), 'B') ||
    setweight(to_tsvector('english', coalesce(description, '')), 'C')
  ) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (authority_id, id),
  unique (authority_id, slug),
  foreign key (authority_id, category_id) references categories (authority_id, id),
  foreign key (authority_id, team_id) references teams (authority_id, id),
  check (phases <@ array['nursery', 'primary', 'secondary', 'all_through', 'special', 'alternative_provision']::text[])
);
create index services_category_idx on services (authority_id, category_id);
create index services_search_idx on services using gin (search_vector);

create table service_leads (
  authority_id uuid not null,
  service_id uuid not null,
  user_id uuid not null,
  primary key (authority_id, service_id, user_id),
  foreign key (authority_id, service_id) references services (authority_id, id) on delete cascade,
  foreign key (authority_id, user_id) references users (authority_id, id) on delete cascade
);
create index service_leads_user_idx on service_leads (authority_id, user_id);

create table offers (
  authority_id uuid not null,
  id uuid not null default gen_random_uuid(),
  service_id uuid not null,
  slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text not null,
  description text not null default '',
  pricing_model text not null check (pricing_model in ('fixed', 'per_unit', 'pupil_banded', 'per_pupil', 'per_place')),
  unit_one text not null,
  unit_other text not null,
  hours_per_unit numeric(8, 2) not null check (hours_per_unit >= 0),
  vat_category text not null check (vat_category in ('standard', 'exempt', 'outside_scope')),
  invoice_schedule text not null check (invoice_schedule in ('annual_in_advance', 'termly', 'on_delivery')),
  cancellation_notice_days integer not null default 0 check (cancellation_notice_days >= 0),
  late_cancellation_fee_percent integer not null default 0 check (late_cancellation_fee_percent between 0 and 100),
  max_quantity integer check (max_quantity > 0),
  position integer not null default 0,
  is_published boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (authority_id, id),
  unique (authority_id, service_id, slug),
  foreign key (authority_id, service_id) references services (authority_id, id)
);
create index offers_service_idx on offers (authority_id, service_id, position);

-- An offer's prices for one trading year (next year's prices sit beside this
-- year's). The meaning of base and per-pupil follows the pricing model.
create table offer_prices (
  authority_id uuid not null,
  id uuid not null default gen_random_uuid(),
  offer_id uuid not null,
  trading_year integer not null check (trading_year between 2000 and 2100),
  base_maintained_pence bigint not null default 0 check (base_maintained_pence >= 0),
  base_academy_pence bigint not null default 0 check (base_academy_pence >= 0),
  per_pupil_maintained_pence bigint check (per_pupil_maintained_pence >= 0),
  per_pupil_academy_pence bigint check (per_pupil_academy_pence >= 0),
  minimum_charge_pence bigint check (minimum_charge_pence >= 0),
  primary key (authority_id, id),
  unique (authority_id, offer_id, trading_year),
  foreign key (authority_id, offer_id) references offers (authority_id, id) on delete cascade,
  check ((per_pupil_maintained_pence is null) = (per_pupil_academy_pence is null))
);

-- Volume tiers (per_unit) and pupil-count bands (pupil_banded).
create table offer_price_bands (
  authority_id uuid not null,
  id uuid not null default gen_random_uuid(),
  offer_price_id uuid not null,
  kind text not null check (kind in ('quantity', 'pupils')),
  lower_bound integer not null check (lower_bound >= 0),
  upper_bound integer check (upper_bound >= lower_bound),
  maintained_pence bigint not null check (maintained_pence >= 0),
  academy_pence bigint not null check (academy_pence >= 0),
  primary key (authority_id, id),
  unique (authority_id, offer_price_id, kind, lower_bound),
  foreign key (authority_id, offer_price_id) references offer_prices (authority_id, id) on delete cascade
);

create table courses (
  authority_id uuid not null,
  id uuid not null default gen_random_uuid(),
  offer_id uuid not null,
  title text not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  venue text not null,
  places integer not null check (places > 0),
  is_cancelled boolean not null default false,
  primary key (authority_id, id),
  foreign key (authority_id, offer_id) references offers (authority_id, id),
  check (ends_at > starts_at)
);
create index courses_offer_idx on courses (authority_id, offer_id, starts_at);

create table income_targets (
  authority_id uuid not null,
  service_id uuid not null,
  trading_year integer not null check (trading_year between 2000 and 2100),
  target_pence bigint not null check (target_pence >= 0),
  primary key (authority_id, service_id, trading_year),
  foreign key (authority_id, service_id) references services (authority_id, id)
);

create table orders (
  authority_id uuid not null,
  id uuid not null default gen_random_uuid(),
  reference text not null,
  school_id uuid not null,
  status text not null check (status in ('draft', 'awaiting_approval', 'submitted', 'confirmed', 'waitlisted', 'cancelled', 'completed', 'rejected')),
  po_number text check (char_length(po_number) <= 35),
  submission_key uuid,
  created_by uuid,
  submitted_by uuid,
  submitted_at timestamptz,
  approved_by uuid,
  approved_at timestamptz,
  rejection_reason text,
  net_pence bigint not null default 0 check (net_pence >= 0),
  vat_pence bigint not null default 0 check (vat_pence >= 0),
  gross_pence bigint not null default 0 check (gross_pence = net_pence + vat_pence),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (authority_id, id),
  unique (authority_id, reference),
  unique (authority_id, submission_key),
  foreign key (authority_id, school_id) references schools (authority_id, id),
  foreign key (authority_id, created_by) references users (authority_id, id),
  foreign key (authority_id, submitted_by) references users (authority_id, id),
  foreign key (authority_id, approved_by) references users (authority_id, id)
);
create unique index orders_one_basket_per_school on orders (authority_id, school_id) where status = 'draft';
create index orders_school_idx on orders (authority_id, school_id, created_at desc);
create index orders_status_idx on orders (authority_id, status, created_at);

create table order_lines (
  authority_id uuid not null,
  id uuid not null default gen_random_uuid(),
  order_id uuid not null,
  offer_id uuid not null,
  course_id uuid,
  status text not null default 'draft' check (status in ('draft', 'awaiting_approval', 'submitted', 'confirmed', 'waitlisted', 'cancelled', 'completed', 'rejected')),
  trading_year integer not null check (trading_year between 2000 and 2100),
  period_start date not null,
  period_end date not null,
  quantity integer not null check (quantity > 0),
  hours numeric(10, 2) not null check (hours >= 0),
  unit_price_pence bigint not null check (unit_price_pence >= 0),
  net_pence bigint not null check (net_pence >= 0),
  vat_rate_basis_points integer not null check (vat_rate_basis_points between 0 and 10000),
  vat_pence bigint not null check (vat_pence >= 0),
  gross_pence bigint not null check (gross_pence = net_pence + vat_pence),
  price_explanation text not null,
  confirmed_at timestamptz,
  waitlisted_at timestamptz,
  cancelled_at timestamptz,
  cancellation_fee_pence bigint not null default 0 check (cancellation_fee_pence >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (authority_id, id),
  foreign key (authority_id, order_id) references orders (authority_id, id) on delete cascade,
  foreign key (authority_id, offer_id) references offers (authority_id, id),
  foreign key (authority_id, course_id) references courses (authority_id, id),
  check (period_end >= period_start)
);
create index order_lines_order_idx on order_lines (authority_id, order_id);
create index order_lines_offer_year_idx on order_lines (authority_id, offer_id, trading_year, status);
create index order_lines_waitlist_idx on order_lines (authority_id, waitlisted_at) where status = 'waitlisted';

-- Every change of state of an order or of one of its lines, with who and when.
create table order_events (
  authority_id uuid not null,
  id uuid not null default gen_random_uuid(),
  order_id uuid not null,
  order_line_id uuid,
  from_status text,
  to_status text not null,
  actor_user_id uuid,
  note text,
  created_at timestamptz not null default now(),
  primary key (authority_id, id),
  foreign key (authority_id, order_id) references orders (authority_id, id) on delete cascade,
  foreign key (authority_id, order_line_id) references order_lines (authority_id, id) on delete cascade,
  foreign key (authority_id, actor_user_id) references users (authority_id, id)
);
create index order_events_order_idx on order_events (authority_id, order_id, created_at);

-- Team hours (or course places) held by a confirmed line.
create table capacity_reservations (
  authority_id uuid not null,
  id uuid not null default gen_random_uuid(),
  order_line_id uuid not null,
  team_id uuid not null,
  trading_year integer not null,
  course_id uuid,
  hours numeric(10, 2) not null check (hours >= 0),
  places integer not null default 0 check (places >= 0),
  released_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (authority_id, id),
  foreign key (authority_id, order_line_id) references order_lines (authority_id, id) on delete cascade,
  foreign key (authority_id, team_id, trading_year) references team_years (authority_id, team_id, trading_year),
  foreign key (authority_id, course_id) references courses (authority_id, id)
);
create unique index capacity_reservations_one_held_per_line on capacity_reservations (authority_id, order_line_id) where released_at is null;
create index capacity_reservations_team_year_idx on capacity_reservations (authority_id, team_id, trading_year) where released_at is null;
create index capacity_reservations_course_idx on capacity_reservations (authority_id, course_id) where released_at is null and course_id is not null;

create table delivery_records (
  authority_id uuid not null,
  id uuid not null default gen_random_uuid(),
  order_line_id uuid not null,
  delivered_on date not null,
  units numeric(10, 2) not null check (units > 0),
  hours numeric(10, 2) not null check (hours >= 0),
  practitioner text not null,
  note text,
  recorded_by uuid,
  created_at timestamptz not null default now(),
  primary key (authority_id, id),
  foreign key (authority_id, order_line_id) references order_lines (authority_id, id),
  foreign key (authority_id, recorded_by) references users (authority_id, id)
);
create index delivery_records_line_idx on delivery_records (authority_id, order_line_id, delivered_on);

-- The monthly internal-recharge journal for maintained schools.
create table recharge_journals (
  authority_id uuid not null references authorities(id),
  id uuid not null default gen_random_uuid(),
  month date not null check (extract(day from month) = 1),
  status text not null default 'open' check (status in ('open', 'posted')),
  posted_at timestamptz,
  posted_by uuid,
  primary key (authority_id, id),
  unique (authority_id, month),
  foreign key (authority_id, posted_by) references users (authority_id, id)
);

-- An issued invoice is never edited; corrections are credit notes.
create table invoices (
  authority_id uuid not null,
  id uuid not null default gen_random_uuid(),
  number text not null,
  sequence_number integer not null check (sequence_number > 0),
  school_id uuid not null,
  order_id uuid,
  route text not null check (route in ('invoice', 'internal_recharge')),
  status text not null check (status in ('open', 'paid', 'void', 'uncollectible')),
  trading_year integer not null,
  instalment integer check (instalment between 1 and 3),
  billing_month date,
  issued_at timestamptz not null default now(),
  due_on date not null,
  net_pence bigint not null check (net_pence >= 0),
  vat_pence bigint not null check (vat_pence >= 0),
  gross_pence bigint not null check (gross_pence = net_pence + vat_pence),
  amount_paid_pence bigint not null default 0 check (amount_paid_pence >= 0),
  amount_credited_pence bigint not null default 0 check (amount_credited_pence >= 0),
  po_number text,
  journal_id uuid,
  stripe_invoice_id text,
  stripe_hosted_invoice_url text,
  paid_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (authority_id, id),
  unique (authority_id, number),
  unique (authority_id, sequence_number),
  foreign key (authority_id, school_id) references schools (authority_id, id),
  foreign key (authority_id, order_id) references orders (authority_id, id),
  foreign key (authority_id, journal_id) references recharge_journals (authority_id, id)
);
create index invoices_school_idx on invoices (authority_id, school_id, issued_at desc);
create index invoices_status_due_idx on invoices (authority_id, status, due_on);
create index invoices_issued_idx on invoices (authority_id, issued_at desc);
create index invoices_order_idx on invoices (authority_id, order_id);
create index invoices_stripe_idx on invoices (stripe_invoice_id) where stripe_invoice_id is not null;

create table invoice_lines (
  authority_id uuid not null,
  id uuid not null default gen_random_uuid(),
  invoice_id uuid not null,
  order_line_id uuid,
  service_id uuid not null,
  description text not null,
  quantity numeric(10, 2) not null check (quantity > 0),
  unit_price_pence bigint not null check (unit_price_pence >= 0),
  net_pence bigint not null check (net_pence >= 0),
  vat_rate_basis_points integer not null check (vat_rate_basis_points between 0 and 10000),
  vat_pence bigint not null check (vat_pence >= 0),
  gross_pence bigint not null check (gross_pence = net_pence + vat_pence),
  primary key (authority_id, id),
  foreign key (authority_id, invoice_id) references invoices (authority_id, id),
  foreign key (authority_id, order_line_id) references order_lines (authority_id, id),
  foreign key (authority_id, service_id) references services (authority_id, id)
);
create index invoice_lines_invoice_idx on invoice_lines (authority_id, invoice_id);
create index invoice_lines_service_idx on invoice_lines (authority_id, service_id);

create table credit_notes (
  authority_id uuid not null,
  id uuid not null default gen_random_uuid(),
  number text not null,
  sequence_number integer not null check (sequence_number > 0),
  invoice_id uuid not null,
  reason text not null,
  net_pence bigint not null check (net_pence >= 0),
  vat_pence bigint not null check (vat_pence >= 0),
  gross_pence bigint not null check (gross_pence = net_pence + vat_pence),
  issued_at timestamptz not null default now(),
  issued_by uuid,
  stripe_credit_note_id text,
  primary key (authority_id, id),
  unique (authority_id, number),
  unique (authority_id, sequence_number),
  foreign key (authority_id, invoice_id) references invoices (authority_id, id),
  foreign key (authority_id, issued_by) references users (authority_id, id)
);
create index credit_notes_invoice_idx on credit_notes (authority_id, invoice_id);

create table payments (
  authority_id uuid not null,
  id uuid not null default gen_random_uuid(),
  school_id uuid,
  method text not null check (method in ('stripe', 'bacs', 'journal', 'manual')),
  amount_pence bigint not null check (amount_pence > 0),
  received_on date not null,
  reference text,
  stripe_payment_id text,
  stripe_payout_id text,
  journal_id uuid,
  recorded_by uuid,
  created_at timestamptz not null default now(),
  primary key (authority_id, id),
  foreign key (authority_id, school_id) references schools (authority_id, id),
  foreign key (authority_id, journal_id) references recharge_journals (authority_id, id),
  foreign key (authority_id, recorded_by) references users (authority_id, id)
);
create index payments_received_idx on payments (authority_id, received_on desc);
create unique index payments_stripe_payment_idx on payments (authority_id, stripe_payment_id) where stripe_payment_id is not null;

-- Which invoices a payment settles (reconciliation).
create table payment_allocations (
  authority_id uuid not null,
  payment_id uuid not null,
  invoice_id uuid not null,
  amount_pence bigint not null check (amount_pence > 0),
  created_at timestamptz not null default now(),
  primary key (authority_id, payment_id, invoice_id),
  foreign key (authority_id, payment_id) references payments (authority_id, id),
  foreign key (authority_id, invoice_id) references invoices (authority_id, id)
);
create index payment_allocations_invoice_idx on payment_allocations (authority_id, invoice_id);

-- Mail rendered by the application; kept here when no SMTP server is set.
create table email_messages (
  authority_id uuid not null references authorities(id),
  id uuid not null default gen_random_uuid(),
  idempotency_key text not null,
  template text not null,
  to_address text not null,
  subject text not null,
  html text not null,
  text text not null,
  status text not null default 'queued' check (status in ('queued', 'sent', 'held', 'failed')),
  attempts integer not null default 0,
  last_error text,
  sent_at timestamptz,
  created_at timestamptz not null default now(),
  primary key (authority_id, id),
  unique (authority_id, idempotency_key)
);
create index email_messages_created_idx on email_messages (authority_id, created_at desc);

-- Who did what, when and from where.
create table audit_events (
  authority_id uuid not null references authorities(id),
  id uuid not null default gen_random_uuid(),
  actor_user_id uuid,
  action text not null,
  subject_type text,
  subject_id text,
  ip_address text,
  user_agent text,
  details jsonb not null default '{}',
  created_at timestamptz not null default now(),
  primary key (authority_id, id)
);
create index audit_events_authority_idx on audit_events (authority_id, created_at desc);
`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
drop table if exists audit_events, email_messages, payment_allocations, payments, credit_notes,
  invoice_lines, invoices, recharge_journals, delivery_records, capacity_reservations, order_events,
  order_lines, orders, income_targets, courses, offer_price_bands, offer_prices, offers, service_leads,
  services, team_years, teams, categories, password_reset_tokens, sessions, user_roles, users, schools,
  document_counters, authorities cascade;
`.execute(db)
}
