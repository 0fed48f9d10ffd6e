import { type Kysely, sql } from 'kysely'

/**
 * Rules of an offer that protect a school from buying by accident, and the
 * school's choice when a team has less time left than it asks for.
 *
 * - offers.repeatable: whether a school may buy the offer more than once in a
 *   trading year (another class of ensemble tuition, more EP days) or not (a
 *   yearly agreement such as clerking). Existing offers priced per unit or
 *   per place are naturally additive, so they start repeatable.
 * - offer_inclusions: an offer (a subscription) that includes another; a
 *   school holding the first for a year pays nothing for the second.
 * - order_lines.capacity_choice: when more is asked for than the team has
 *   left, 'split' confirms what fits and waitlists the rest on a new line;
 *   'wait_all' waitlists the whole line. split_from_line_id links the
 *   waitlisted remainder to the line it came from.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
alter table offers add column repeatable boolean not null default false;
update offers set repeatable = true where pricing_model in ('per_unit', 'per_place');

create table offer_inclusions (
  authority_id uuid not null,
  offer_id uuid not null,
  included_offer_id uuid not null,
  created_at timestamptz not null default now(),
  primary key (authority_id, offer_id, included_offer_id),
  foreign key (authority_id, offer_id) references offers (authority_id, id) on delete cascade,
  foreign key (authority_id, included_offer_id) references offers (authority_id, id) on delete cascade,
  check (offer_id <> included_offer_id)
);
create index offer_inclusions_included on offer_inclusions (authority_id, included_offer_id);

alter table order_lines add column capacity_choice text not null default 'wait_all'
  check (capacity_choice in ('split', 'wait_all'));
alter table order_lines add column split_from_line_id uuid;
alter table order_lines add constraint order_lines_split_from_fk
  foreign key (authority_id, split_from_line_id) references order_lines (authority_id, id);
`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
alter table order_lines drop constraint order_lines_split_from_fk;
alter table order_lines drop column split_from_line_id;
alter table order_lines drop column capacity_choice;
drop table offer_inclusions;
alter table offers drop column repeatable;
`.execute(db)
}
