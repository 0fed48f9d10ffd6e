import { type Kysely, sql } from 'kysely'

/**
 * The authority edits its own services (issue 14, docs/decisions/0019):
 *
 * - services.statutory_core: what every school receives without charge (the
 *   statutory core, e.g. statutory EP advice for EHC needs assessments), and
 *   services.charges_begin: where charges begin. Shown above the offers.
 * - service_terms_versions: every text of a service's terms, numbered from 1
 *   per service. The highest version is the one in force (services.terms
 *   keeps its text). Version 1 is the terms each service has today.
 * - order_lines.terms_version_id: the version in force when the line was
 *   submitted, which the school accepted. Lines submitted before terms were
 *   versioned keep null: nobody can say which text they accepted.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
alter table services add column statutory_core text not null default '';
alter table services add column charges_begin text not null default '';

create table service_terms_versions (
  authority_id uuid not null,
  id uuid not null default gen_random_uuid(),
  service_id uuid not null,
  version integer not null check (version >= 1),
  terms text not null,
  created_by uuid,
  created_at timestamptz not null default now(),
  primary key (authority_id, id),
  unique (authority_id, service_id, version),
  foreign key (authority_id, service_id) references services (authority_id, id),
  foreign key (authority_id, created_by) references users (authority_id, id)
);

insert into service_terms_versions (authority_id, service_id, version, terms, created_at)
select authority_id, id, 1, terms, updated_at from services;

alter table order_lines add column terms_version_id uuid;
alter table order_lines add constraint order_lines_terms_version_fk
  foreign key (authority_id, terms_version_id) references service_terms_versions (authority_id, id);
create index order_lines_terms_version_idx on order_lines (authority_id, terms_version_id) where terms_version_id is not null;
`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
drop index order_lines_terms_version_idx;
alter table order_lines drop constraint order_lines_terms_version_fk;
alter table order_lines drop column terms_version_id;
drop table service_terms_versions;
alter table services drop column charges_begin;
alter table services drop column statutory_core;
`.execute(db)
}
