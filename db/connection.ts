import { Kysely, PostgresDialect } from 'kysely'
import { Migrator, type MigrationResultSet } from 'kysely/migration'
import pg from 'pg'
import { migrations } from './migrations/index'
import type { Database } from './schema'

// Pence are bigint and hours/FTE are numeric in the database; both fit a
// JavaScript number exactly at the sizes this product handles.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10))
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number.parseFloat(v))
// Calendar dates stay 'YYYY-MM-DD' strings: no time zone can shift them.
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v)

export type DB = Kysely<Database>

export function createDatabase(connectionString: string, options: { max?: number } = {}): DB {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    // A request never waits for ever: a stuck lock becomes a clear error.
    connectionTimeoutMillis: 15_000,
    statement_timeout: 30_000,
  } as pg.PoolConfig)
  // A connection the server ends (a restart, a dropped test database) must not
  // crash the process: the pool replaces it on the next query.
  pool.on('error', (error) => console.warn('Database connection lost:', error.message))
  pool.on('connect', (client) => {
    client.on('error', (error) => console.warn('Database connection lost:', error.message))
  })
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
}

export async function migrateToLatest(db: Kysely<Database>): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  })
  const result = await migrator.migrateToLatest()
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')
    throw new Error(`Migration ${failed?.migrationName ?? ''} failed: ${String(result.error)}`, {
      cause: result.error,
    })
  }
  return result
}
