import { type Kysely, sql } from 'kysely'

/**
 * The authority's own school register, kept from GIAS (Get Information
 * About Schools) extracts as well as by hand:
 * - each school is open or closed (a closed school stops ordering), with the
 *   dates GIAS gives, its GIAS type name and its trust's name;
 * - each authority has its three-digit LA code (Coventry: 331), which picks
 *   its schools out of a national extract;
 * - each uploaded extract is kept as parsed, with who uploaded it, so that
 *   "Apply import" applies exactly the file that was previewed, once, and
 *   what it did is recorded beside it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
alter table schools
  add column status text not null default 'open' check (status in ('open', 'closed')),
  add column opened_on date,
  add column closed_on date,
  add column gias_type text,
  add column trust_name text,
  add constraint schools_closed_on_only_when_closed check (closed_on is null or status = 'closed')
`.execute(db)
  await sql`alter table authorities add column la_code text check (la_code ~ '^[0-9]{3}$')`.execute(db)
  await sql`
create table school_imports (
  authority_id uuid not null references authorities(id),
  id uuid not null default gen_random_uuid(),
  file_name text not null,
  la_code text not null check (la_code ~ '^[0-9]{3}$'),
  row_count integer not null check (row_count >= 0),
  schools jsonb not null,
  bad_rows jsonb not null,
  ignored jsonb not null,
  uploaded_by uuid not null,
  uploaded_at timestamptz not null default now(),
  applied_by uuid,
  applied_at timestamptz,
  summary jsonb,
  primary key (authority_id, id),
  check ((applied_at is null) = (applied_by is null)),
  foreign key (authority_id, uploaded_by) references users (authority_id, id),
  foreign key (authority_id, applied_by) references users (authority_id, id)
);
create index school_imports_uploaded_idx on school_imports (authority_id, uploaded_at desc);
`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table school_imports`.execute(db)
  await sql`alter table authorities drop column la_code`.execute(db)
  await sql`
alter table schools
  drop constraint schools_closed_on_only_when_closed,
  drop column status,
  drop column opened_on,
  drop column closed_on,
  drop column gias_type,
  drop column trust_name
`.execute(db)
}
