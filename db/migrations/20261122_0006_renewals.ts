import { type Kysely, sql } from 'kysely'

/**
 * The annual renewal cycle (docs/decisions/0012).
 *
 * - renewal_windows: per authority and trading year (2027 = 2027/28), the
 *   days schools may answer their proposals; opened_at says when proposals
 *   were made (by "Open renewals" or the daily job on opens_on).
 * - renewal_proposals: one per school and trading year (unique, so opening
 *   twice never proposes twice): open → accepted (with the order it became)
 *   | declined (with a reason) | lapsed (unanswered after closes_on).
 * - renewal_proposal_lines: what is proposed, one line per offer; prices
 *   are not stored here but quoted at next year's prices when shown and
 *   frozen on the order's lines when accepted. last_year_* keep what the
 *   school bought and used this year ("You used 8 of 10 days").
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
create table renewal_windows (
  authority_id uuid not null references authorities(id),
  id uuid not null default gen_random_uuid(),
  trading_year integer not null check (trading_year between 2000 and 2100),
  opens_on date not null,
  closes_on date not null,
  opened_at timestamptz,
  opened_by uuid,
  updated_by uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (authority_id, id),
  unique (authority_id, trading_year),
  check (closes_on > opens_on),
  foreign key (authority_id, opened_by) references users (authority_id, id),
  foreign key (authority_id, updated_by) references users (authority_id, id)
);

create table renewal_proposals (
  authority_id uuid not null,
  id uuid not null default gen_random_uuid(),
  window_id uuid not null,
  school_id uuid not null,
  trading_year integer not null check (trading_year between 2000 and 2100),
  status text not null default 'open' check (status in ('open', 'accepted', 'declined', 'lapsed')),
  decline_reason text check (char_length(decline_reason) <= 1000),
  decided_by uuid,
  decided_at timestamptz,
  lapsed_at timestamptz,
  order_id uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (authority_id, id),
  unique (authority_id, school_id, trading_year),
  check (status <> 'declined' or decline_reason is not null),
  check (status <> 'lapsed' or lapsed_at is not null),
  check (status <> 'accepted' or order_id is not null),
  foreign key (authority_id, window_id) references renewal_windows (authority_id, id),
  foreign key (authority_id, school_id) references schools (authority_id, id),
  foreign key (authority_id, decided_by) references users (authority_id, id),
  foreign key (authority_id, order_id) references orders (authority_id, id)
);
create index renewal_proposals_status_idx on renewal_proposals (authority_id, trading_year, status);

create table renewal_proposal_lines (
  authority_id uuid not null,
  id uuid not null default gen_random_uuid(),
  proposal_id uuid not null,
  offer_id uuid not null,
  quantity integer not null check (quantity > 0),
  last_year_quantity integer check (last_year_quantity > 0),
  last_year_used_units numeric(10, 2) check (last_year_used_units >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (authority_id, id),
  unique (authority_id, proposal_id, offer_id),
  foreign key (authority_id, proposal_id) references renewal_proposals (authority_id, id) on delete cascade,
  foreign key (authority_id, offer_id) references offers (authority_id, id)
);
`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
drop table if exists renewal_proposal_lines;
drop table if exists renewal_proposals;
drop table if exists renewal_windows;
`.execute(db)
}
