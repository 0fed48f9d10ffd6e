import { type Kysely, sql } from 'kysely'
import type { Database } from './schema'

/**
 * Keeping the database distributable by authority (issue 18, item 10;
 * docs/decisions/0033). Every tenant table carries a non-null
 * `authority_id`, and its primary key, every unique constraint or index and
 * every foreign key include it, so that each authority's rows could live on
 * their own node (Citus's distribution column, or one database per
 * authority) with no key, uniqueness or reference crossing nodes.
 *
 * The few tables that are not any one authority's are named here, each with
 * the reason; anything not named is a tenant table.
 */
export const REFERENCE_TABLES: Readonly<Record<string, string>> = {
  authorities: 'the tenants themselves',
  sign_in_attempts: 'throttles sign-in by email address and client address before anyone is known to belong to an authority',
  stripe_events:
    "Stripe's own event log, deduplicated by Stripe's event id for the deployment's Stripe endpoint; authority_id says whose invoice an event concerned once known",
  kysely_migration: 'which migrations have run',
  kysely_migration_lock: 'the migration lock',
}

export type CatalogKey = {
  kind: 'primary key' | 'unique' | 'foreign key'
  name: string
  columns: string[]
  /** For a foreign key: the table and columns it references. */
  references?: { table: string; columns: string[] }
}

export type CatalogTable = {
  name: string
  /** The table's authority_id column, or null when it has none. */
  authorityColumn: { notNull: boolean } | null
  keys: CatalogKey[]
}

/** What stops these tables from being distributed by authority_id, one sentence each; empty when nothing does. */
export function distributionProblems(
  tables: readonly CatalogTable[],
  referenceTables: Readonly<Record<string, string>> = REFERENCE_TABLES,
): string[] {
  const problems: string[] = []
  for (const table of tables) {
    if (table.name in referenceTables) continue
    if (!table.authorityColumn) {
      problems.push(`${table.name} has no authority_id column and is not a named reference table`)
      continue
    }
    if (!table.authorityColumn.notNull) problems.push(`${table.name}.authority_id may be null`)
    if (!table.keys.some((k) => k.kind === 'primary key')) problems.push(`${table.name} has no primary key`)
    for (const key of table.keys) {
      if (key.kind === 'foreign key' && key.references) {
        const target = key.references
        if (target.table === 'authorities') continue
        if (target.table in referenceTables) continue
        const at = key.columns.indexOf('authority_id')
        if (at === -1 || target.columns[at] !== 'authority_id') {
          problems.push(
            `${table.name}'s foreign key ${key.name} (${key.columns.join(', ')}) to ${target.table} does not match authority_id to authority_id`,
          )
        }
        continue
      }
      if (!key.columns.includes('authority_id')) {
        problems.push(`${table.name}'s ${key.kind} ${key.name} (${key.columns.join(', ')}) does not include authority_id`)
      }
    }
  }
  return problems
}

/** The public schema's tables, their authority_id columns and their keys, read from PostgreSQL's catalogue. */
export async function readCatalog(db: Kysely<Database>): Promise<CatalogTable[]> {
  const tables = await sql<{ name: string; not_null: boolean | null }>`
    select c.relname as name, a.attnotnull as not_null
    from pg_class c
    join pg_namespace n on n.oid = c.relnamespace
    left join pg_attribute a on a.attrelid = c.oid and a.attname = 'authority_id' and not a.attisdropped
    where n.nspname = 'public' and c.relkind in ('r', 'p')
    order by c.relname`.execute(db)
  // Constraints, and unique indexes made without a constraint (partial unique indexes included).
  const keys = await sql<{
    table_name: string
    kind: string
    name: string
    columns: string[]
    target: string | null
    target_columns: string[] | null
  }>`
    select c.relname as table_name,
      case con.contype when 'p' then 'primary key' when 'u' then 'unique' else 'foreign key' end as kind,
      con.conname as name,
      array(select a.attname::text from unnest(con.conkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = c.oid and a.attnum = k.n order by k.i) as columns,
      t.relname as target,
      case when con.contype = 'f' then array(select a.attname::text from unnest(con.confkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.n order by k.i) end as target_columns
    from pg_constraint con
    join pg_class c on c.oid = con.conrelid
    join pg_namespace n on n.oid = c.relnamespace
    left join pg_class t on t.oid = con.confrelid
    where n.nspname = 'public' and con.contype in ('p', 'u', 'f')
    union all
    select c.relname, 'unique', ic.relname,
      array(select coalesce(a.attname::text, '(expression)') from unnest(i.indkey::int2[]) with ordinality k(n, o) left join pg_attribute a on a.attrelid = c.oid and a.attnum = k.n order by k.o),
      null, null
    from pg_index i
    join pg_class c on c.oid = i.indrelid
    join pg_class ic on ic.oid = i.indexrelid
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and i.indisunique and not exists (select 1 from pg_constraint con where con.conindid = i.indexrelid)`.execute(db)
  return tables.rows.map((t) => ({
    name: t.name,
    authorityColumn: t.not_null === null ? null : { notNull: t.not_null },
    keys: keys.rows
      .filter((k) => k.table_name === t.name)
      .map((k) => ({
        kind: k.kind as CatalogKey['kind'],
        name: k.name,
        columns: k.columns,
        ...(k.target ? { references: { table: k.target, columns: k.target_columns ?? [] } } : {}),
      })),
  }))
}
