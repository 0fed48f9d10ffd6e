import { type Kysely, sql } from 'kysely'

/**
 * Clusters and pooled blocks (issue 16, docs/decisions/0036): schools of any
 * type form a cluster, led by one of them, that buys a pooled block as one
 * order line (`order_lines.cluster_id`) in the lead school's order. The
 * volume tier applies to the pooled quantity, and an offer's partnership
 * discount (a percentage off from a quantity) to a pooled block only. Each
 * delivery is recorded against the member school it was for
 * (`delivery_records.school_id`), and the block's price is shared between
 * the members by use or by their fixed shares (`cluster_members.share`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
create table clusters (
  authority_id uuid not null references authorities(id),
  id uuid not null default gen_random_uuid(),
  name text not null check (length(trim(name)) between 2 and 120),
  lead_school_id uuid not null,
  split_basis text not null check (split_basis in ('use', 'shares')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (authority_id, id),
  unique (authority_id, name),
  foreign key (authority_id, lead_school_id) references schools (authority_id, id)
);

create table cluster_members (
  authority_id uuid not null,
  cluster_id uuid not null,
  school_id uuid not null,
  share numeric(7, 2) not null default 1 check (share >= 0),
  created_at timestamptz not null default now(),
  primary key (authority_id, cluster_id, school_id),
  foreign key (authority_id, cluster_id) references clusters (authority_id, id),
  foreign key (authority_id, school_id) references schools (authority_id, id)
);
create index cluster_members_school_idx on cluster_members (authority_id, school_id);

alter table offers
  add column partnership_from_quantity numeric(10, 2) check (partnership_from_quantity > 0),
  add column partnership_percent_off numeric(5, 2) check (partnership_percent_off > 0 and partnership_percent_off <= 100),
  add constraint offers_partnership_whole check ((partnership_from_quantity is null) = (partnership_percent_off is null));

alter table order_lines
  add column cluster_id uuid,
  add constraint order_lines_cluster_fk foreign key (authority_id, cluster_id) references clusters (authority_id, id);
create index order_lines_cluster_idx on order_lines (authority_id, cluster_id) where cluster_id is not null;

alter table delivery_records
  add column school_id uuid,
  add constraint delivery_records_school_fk foreign key (authority_id, school_id) references schools (authority_id, id);
`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
alter table delivery_records drop constraint delivery_records_school_fk, drop column school_id;
drop index order_lines_cluster_idx;
alter table order_lines drop constraint order_lines_cluster_fk, drop column cluster_id;
alter table offers drop constraint offers_partnership_whole, drop column partnership_from_quantity, drop column partnership_percent_off;
drop table cluster_members;
drop table clusters;
`.execute(db)
}
