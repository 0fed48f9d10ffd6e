import { type Kysely, sql } from 'kysely'

/**
 * Sign-in attempts, for slowing down password guessing per account and per
 * network address. Not tenant data: an attempt may name an email address that
 * belongs to no one (in Citus this would be a local table). Rows older than a
 * day are of no use and are deleted as new attempts arrive.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
create table sign_in_attempts (
  id uuid primary key default gen_random_uuid(),
  email text not null,
  ip_address text not null,
  succeeded boolean not null,
  created_at timestamptz not null default now()
);
create index sign_in_attempts_email_idx on sign_in_attempts (email, created_at desc);
create index sign_in_attempts_ip_idx on sign_in_attempts (ip_address, created_at desc);
`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists sign_in_attempts`.execute(db)
}
