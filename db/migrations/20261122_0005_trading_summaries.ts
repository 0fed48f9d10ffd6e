import { type Kysely, sql } from 'kysely'

/**
 * Summaries for /la/trading and /la/capacity (docs/decisions/0010),
 * kept fresh on every change by triggers, so that the pages read a few
 * thousand summary rows per authority and year instead of every order line
 * (at England scale, 3 million lines: see BENCHMARKS.md).
 *
 * - trading_school_services: per authority, trading year, service and
 *   school: income booked (net of confirmed and completed lines, plus
 *   late-cancellation fees), booked lines, live lines (awaiting approval,
 *   undecided, confirmed, waitlisted or completed), booked and waitlisted hours.
 * - trading_service_months: per authority, trading year, service and the
 *   calendar month it was booked in: income booked.
 *
 * A row trigger on order_lines takes out what the old row counted and adds
 * what the new row counts, in the same transaction as the change. Deleting an
 * order takes its lines out first (a trigger on orders), because its lines
 * are then deleted by the cascade when the order, and so its school, can no
 * longer be read. Orders never change school. Existing lines are counted once
 * when the migration runs; a bulk load that bypasses triggers
 * (session_replication_role = replica) must call refresh_trading_summaries().
 *
 * Also covering indexes for the invoice figures (invoiced and paid per
 * service are spread per invoice, so they are read from the invoices of the
 * year, index-only).
 */
export async function up(db: Kysely<any>): Promise<void> {
  // Counting every existing line takes longer than a request may (minutes at England scale).
  await sql`set local statement_timeout = 0`.execute(db)
  await sql`
create table trading_school_services (
  authority_id uuid not null,
  trading_year integer not null,
  service_id uuid not null,
  school_id uuid not null,
  booked_pence bigint not null default 0,
  booked_lines integer not null default 0,
  live_lines integer not null default 0,
  booked_hours numeric(12, 2) not null default 0,
  waitlisted_hours numeric(12, 2) not null default 0,
  primary key (authority_id, trading_year, service_id, school_id),
  -- Derived rows: they go with the school or service (which only goes once its orders have).
  foreign key (authority_id, service_id) references services (authority_id, id) on delete cascade,
  foreign key (authority_id, school_id) references schools (authority_id, id) on delete cascade
);

create table trading_service_months (
  authority_id uuid not null,
  trading_year integer not null,
  service_id uuid not null,
  month date not null check (extract(day from month) = 1),
  booked_pence bigint not null default 0,
  primary key (authority_id, trading_year, service_id, month),
  foreign key (authority_id, service_id) references services (authority_id, id) on delete cascade
);

-- Adds to a school's and a month's figures (negative amounts take away); nothing when all are 0.
create function trading_summaries_add(authority uuid, year integer, service uuid, school uuid,
  booked bigint, booked_lines integer, live_lines integer, booked_hours numeric, waitlisted_hours numeric) returns void
language plpgsql as $$
begin
  if booked = 0 and booked_lines = 0 and live_lines = 0 and booked_hours = 0 and waitlisted_hours = 0 then
    return;
  end if;
  insert into trading_school_services as t
    (authority_id, trading_year, service_id, school_id, booked_pence, booked_lines, live_lines, booked_hours, waitlisted_hours)
  values (authority, year, service, school, booked, booked_lines, live_lines, booked_hours, waitlisted_hours)
  on conflict (authority_id, trading_year, service_id, school_id) do update set
    booked_pence = t.booked_pence + excluded.booked_pence,
    booked_lines = t.booked_lines + excluded.booked_lines,
    live_lines = t.live_lines + excluded.live_lines,
    booked_hours = t.booked_hours + excluded.booked_hours,
    waitlisted_hours = t.waitlisted_hours + excluded.waitlisted_hours;
end
$$;

create function trading_months_add(authority uuid, year integer, service uuid, booked_month date, booked bigint) returns void
language plpgsql as $$
begin
  if booked = 0 then
    return;
  end if;
  insert into trading_service_months as m (authority_id, trading_year, service_id, month, booked_pence)
  values (authority, year, service, booked_month, booked)
  on conflict (authority_id, trading_year, service_id, month) do update set booked_pence = m.booked_pence + excluded.booked_pence;
end
$$;

-- What an order line counts for (rule "income booked" and the rest: app/domain/trading.ts).
create function trading_line_booked(line order_lines) returns bigint language sql immutable as $$
  select case when line.status in ('confirmed', 'completed') then line.net_pence
              when line.status = 'cancelled' then line.cancellation_fee_pence else 0 end
$$;
create function trading_line_is_booked(line order_lines) returns integer language sql immutable as $$
  select case when line.status in ('confirmed', 'completed') then 1 else 0 end
$$;
create function trading_line_is_live(line order_lines) returns integer language sql immutable as $$
  select case when line.status in ('awaiting_approval', 'submitted', 'confirmed', 'waitlisted', 'completed') then 1 else 0 end
$$;
create function trading_line_waiting(line order_lines) returns numeric language sql immutable as $$
  select case when line.status = 'waitlisted' then line.hours else 0 end
$$;
create function trading_line_month(line order_lines) returns date language sql immutable as $$
  select date_trunc('month', coalesce(case when line.status = 'cancelled' then line.cancelled_at else line.confirmed_at end, line.created_at) at time zone 'UTC')::date
$$;

create function order_lines_trading_summaries() returns trigger
language plpgsql as $$
declare
  old_school uuid;
  new_school uuid;
  old_service uuid;
  new_service uuid;
  old_found boolean := false;
begin
  if tg_op in ('UPDATE', 'DELETE') then
    select o.school_id into old_school from orders o where o.authority_id = old.authority_id and o.id = old.order_id;
    -- No order: it is being deleted, and its own trigger has already taken its lines out.
    old_found := found;
    select f.service_id into old_service from offers f where f.authority_id = old.authority_id and f.id = old.offer_id;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    select o.school_id into new_school from orders o where o.authority_id = new.authority_id and o.id = new.order_id;
    select f.service_id into new_service from offers f where f.authority_id = new.authority_id and f.id = new.offer_id;
  end if;
  if tg_op = 'UPDATE' and old_found and old.authority_id = new.authority_id and old.trading_year = new.trading_year
      and old_service = new_service and old_school = new_school then
    -- The same school, service and year: one change by the difference.
    perform trading_summaries_add(new.authority_id, new.trading_year, new_service, new_school,
      trading_line_booked(new) - trading_line_booked(old),
      trading_line_is_booked(new) - trading_line_is_booked(old),
      trading_line_is_live(new) - trading_line_is_live(old),
      trading_line_is_booked(new) * new.hours - trading_line_is_booked(old) * old.hours,
      trading_line_waiting(new) - trading_line_waiting(old));
    if trading_line_month(new) is distinct from trading_line_month(old) or trading_line_booked(new) <> trading_line_booked(old) then
      perform trading_months_add(old.authority_id, old.trading_year, old_service, trading_line_month(old), -trading_line_booked(old));
      perform trading_months_add(new.authority_id, new.trading_year, new_service, trading_line_month(new), trading_line_booked(new));
    end if;
    return null;
  end if;
  if old_found then
    perform trading_summaries_add(old.authority_id, old.trading_year, old_service, old_school, -trading_line_booked(old),
      -trading_line_is_booked(old), -trading_line_is_live(old), -trading_line_is_booked(old) * old.hours, -trading_line_waiting(old));
    perform trading_months_add(old.authority_id, old.trading_year, old_service, trading_line_month(old), -trading_line_booked(old));
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    perform trading_summaries_add(new.authority_id, new.trading_year, new_service, new_school, trading_line_booked(new),
      trading_line_is_booked(new), trading_line_is_live(new), trading_line_is_booked(new) * new.hours, trading_line_waiting(new));
    perform trading_months_add(new.authority_id, new.trading_year, new_service, trading_line_month(new), trading_line_booked(new));
  end if;
  return null;
end
$$;

create trigger order_lines_trading_summaries
  after insert or update or delete on order_lines
  for each row execute function order_lines_trading_summaries();

create function orders_trading_summaries() returns trigger
language plpgsql as $$
declare
  line order_lines;
begin
  for line in select * from order_lines l where l.authority_id = old.authority_id and l.order_id = old.id loop
    perform trading_summaries_add(line.authority_id, line.trading_year,
      (select f.service_id from offers f where f.authority_id = line.authority_id and f.id = line.offer_id), old.school_id,
      -trading_line_booked(line), -trading_line_is_booked(line), -trading_line_is_live(line),
      -trading_line_is_booked(line) * line.hours, -trading_line_waiting(line));
    perform trading_months_add(line.authority_id, line.trading_year,
      (select f.service_id from offers f where f.authority_id = line.authority_id and f.id = line.offer_id),
      trading_line_month(line), -trading_line_booked(line));
  end loop;
  return old;
end
$$;

create trigger orders_trading_summaries
  before delete on orders
  for each row execute function orders_trading_summaries();

-- Counts every line again, for one authority or all (after a bulk load without triggers).
create function refresh_trading_summaries(authority uuid default null) returns void
language plpgsql as $$
begin
  delete from trading_school_services where authority is null or authority_id = authority;
  delete from trading_service_months where authority is null or authority_id = authority;
  insert into trading_school_services
    (authority_id, trading_year, service_id, school_id, booked_pence, booked_lines, live_lines, booked_hours, waitlisted_hours)
  select l.authority_id, l.trading_year, f.service_id, o.school_id,
    sum(case when l.status in ('confirmed', 'completed') then l.net_pence when l.status = 'cancelled' then l.cancellation_fee_pence else 0 end),
    count(*) filter (where l.status in ('confirmed', 'completed')),
    count(*) filter (where l.status in ('awaiting_approval', 'submitted', 'confirmed', 'waitlisted', 'completed')),
    coalesce(sum(l.hours) filter (where l.status in ('confirmed', 'completed')), 0),
    coalesce(sum(l.hours) filter (where l.status = 'waitlisted'), 0)
  from order_lines l
  join offers f on f.authority_id = l.authority_id and f.id = l.offer_id
  join orders o on o.authority_id = l.authority_id and o.id = l.order_id
  where (authority is null or l.authority_id = authority)
    and l.status in ('awaiting_approval', 'submitted', 'confirmed', 'waitlisted', 'completed', 'cancelled')
  group by l.authority_id, l.trading_year, f.service_id, o.school_id;
  insert into trading_service_months (authority_id, trading_year, service_id, month, booked_pence)
  select l.authority_id, l.trading_year, f.service_id,
    date_trunc('month', coalesce(case when l.status = 'cancelled' then l.cancelled_at else l.confirmed_at end, l.created_at) at time zone 'UTC')::date,
    sum(case when l.status = 'cancelled' then l.cancellation_fee_pence else l.net_pence end)
  from order_lines l
  join offers f on f.authority_id = l.authority_id and f.id = l.offer_id
  where (authority is null or l.authority_id = authority) and l.status in ('confirmed', 'completed', 'cancelled')
  group by 1, 2, 3, 4;
end
$$;

select refresh_trading_summaries();

create index invoices_year_idx on invoices (authority_id, trading_year) include (id, status, net_pence, gross_pence);
create index invoice_lines_invoice_cover_idx on invoice_lines (authority_id, invoice_id) include (id, service_id, net_pence);
create index payment_allocations_invoice_cover_idx on payment_allocations (authority_id, invoice_id) include (amount_pence);
`.execute(db)
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
drop index if exists invoices_year_idx, invoice_lines_invoice_cover_idx, payment_allocations_invoice_cover_idx;
drop trigger if exists orders_trading_summaries on orders;
drop trigger if exists order_lines_trading_summaries on order_lines;
drop function if exists orders_trading_summaries(), order_lines_trading_summaries(), refresh_trading_summaries(uuid),
  trading_summaries_add(uuid, integer, uuid, uuid, bigint, integer, integer, numeric, numeric),
  trading_months_add(uuid, integer, uuid, date, bigint), trading_line_booked(order_lines), trading_line_is_booked(order_lines),
  trading_line_is_live(order_lines), trading_line_waiting(order_lines), trading_line_month(order_lines);
drop table if exists trading_service_months, trading_school_services;
`.execute(db)
}
