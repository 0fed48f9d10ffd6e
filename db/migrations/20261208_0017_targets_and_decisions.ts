import { type Kysely, sql } from 'kysely'

/**
 * A team's recommendation taken into next year's plan: what the capacity
 * model advised, the establishment it changed from and to, who decided,
 * when and why. Kept as history: rows are only ever added.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
create table team_plan_decisions (
  authority_id uuid not null,
  id uuid not null default gen_random_uuid(),
  team_id uuid not null,
  trading_year integer not null check (trading_year between 2000 and 2100),
  recommendation_kind text not null check (recommendation_kind in ('expand', 'hold', 'reduce')),
  recommended_fte_change numeric(7, 2) not null,
  from_fte numeric(7, 2) not null check (from_fte >= 0),
  to_fte numeric(7, 2) not null check (to_fte >= 0),
  reason text not null check (char_length(reason) between 1 and 1000),
  decided_by uuid,
  decided_at timestamptz not null default now(),
  primary key (authority_id, id),
  foreign key (authority_id, team_id) references teams (authority_id, id)
);
create index team_plan_decisions_team_idx on team_plan_decisions (authority_id, team_id, decided_at desc);
create index audit_events_actor_idx on audit_events (authority_id, actor_user_id, created_at desc);
`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists audit_events_actor_idx; drop table team_plan_decisions`.execute(db)
}
