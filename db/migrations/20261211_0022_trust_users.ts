import { type Kysely, sql } from 'kysely'

/**
 * Trust users (issue 16, docs/decisions/0035): a trust's business manager
 * (`trust_buyer`) and approver (`trust_approver`) belong to a trust, not to
 * a school, and see its member schools of the day.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
alter table users
  add column trust_id uuid,
  add constraint users_trust_fk foreign key (authority_id, trust_id) references trusts (authority_id, id),
  add constraint users_school_or_trust check (school_id is null or trust_id is null);
alter table user_roles drop constraint user_roles_role_check;
alter table user_roles add constraint user_roles_role_check
  check (role in ('school_buyer', 'school_approver', 'service_lead', 'finance', 'la_admin', 'trust_buyer', 'trust_approver'));
`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
delete from user_roles where role in ('trust_buyer', 'trust_approver');
alter table user_roles drop constraint user_roles_role_check;
alter table user_roles add constraint user_roles_role_check
  check (role in ('school_buyer', 'school_approver', 'service_lead', 'finance', 'la_admin'));
alter table users drop constraint users_school_or_trust, drop constraint users_trust_fk, drop column trust_id;
`.execute(db)
}
