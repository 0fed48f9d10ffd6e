import { type Kysely, sql } from 'kysely'

/**
 * Multi-academy trusts (issue 16, docs/decisions/0035): each authority's
 * trusts, with the approval limit their own approver signs above and how
 * they are invoiced, and which schools are members when. A school is in one
 * trust at a time; leaving ends its membership on a day, and the trust sees
 * nothing of it from that day.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
create table trusts (
  authority_id uuid not null references authorities(id),
  id uuid not null default gen_random_uuid(),
  name text not null check (length(trim(name)) between 2 and 120),
  companies_house_number text check (companies_house_number ~ '^[0-9A-Z]{8}$'),
  approval_limit_pence integer not null check (approval_limit_pence >= 0),
  invoicing text not null default 'per_school' check (invoicing in ('per_school', 'consolidated')),
  address_line1 text,
  town text,
  postcode text,
  finance_email text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (authority_id, id),
  unique (authority_id, name)
);

create table trust_memberships (
  authority_id uuid not null,
  id uuid not null default gen_random_uuid(),
  trust_id uuid not null,
  school_id uuid not null,
  joined_on date not null,
  left_on date,
  created_at timestamptz not null default now(),
  primary key (authority_id, id),
  check (left_on is null or left_on > joined_on),
  foreign key (authority_id, trust_id) references trusts (authority_id, id),
  foreign key (authority_id, school_id) references schools (authority_id, id)
);
create unique index trust_memberships_one_trust_idx on trust_memberships (authority_id, school_id) where left_on is null;
create index trust_memberships_trust_idx on trust_memberships (authority_id, trust_id);
`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table trust_memberships`.execute(db)
  await sql`drop table trusts`.execute(db)
}
