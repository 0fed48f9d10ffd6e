import { randomBytes } from 'node:crypto'
import { type Kysely, sql } from 'kysely'
import { createDatabase, migrateToLatest } from '../../db/connection'
import { startEmbeddedPostgres } from '../../db/embedded'
import type { Database } from '../../db/schema'

export type FreshDatabase = {
  db: Kysely<Database>
  /** A connection string for this database, for other pools or processes. */
  url: string
  /** Closes this pool and drops the database (or stops the embedded one). Safe to call twice. */
  close(): Promise<void>
  /** A new database on a PostgreSQL server, or an embedded PGlite. */
  kind: 'postgresql' | 'embedded'
}

/**
 * A new, empty, migrated database for a test run:
 * - when TEST_DATABASE_URL or DATABASE_URL is set, a randomly named database
 *   created on that server (dropped again by close());
 * - otherwise a new embedded PGlite in memory.
 * A developer's own database is never touched.
 */
export async function withFreshDatabase(options: { max?: number } = {}): Promise<FreshDatabase> {
  const serverUrl = testServerUrl()
  return serverUrl ? freshOnServer(serverUrl, options) : freshEmbedded(options)
}

/**
 * The PostgreSQL server tests may create databases on. Integration workers
 * point DATABASE_URL at the run's seeded database (for the app's own code), so
 * they record the server they were given first (tests/support/setup-database-env.ts).
 */
export function testServerUrl(): string | undefined {
  const recorded = process.env.BUYBACK_TEST_SERVER_URL
  if (recorded !== undefined) return recorded || undefined
  return process.env.TEST_DATABASE_URL || process.env.DATABASE_URL || undefined
}

async function freshOnServer(serverUrl: string, options: { max?: number }): Promise<FreshDatabase> {
  const name = `buyback_test_${randomBytes(6).toString('hex')}`
  const admin = createDatabase(serverUrl, { max: 1 })
  try {
    await sql`create database ${sql.id(name)}`.execute(admin)
  } finally {
    await admin.destroy()
  }
  const url = withDatabaseName(serverUrl, name)
  const db = createDatabase(url, { max: options.max ?? 4 })
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    await db.destroy().catch(() => undefined)
    const dropper = createDatabase(serverUrl, { max: 1 })
    try {
      await sql`drop database if exists ${sql.id(name)} with (force)`.execute(dropper)
    } finally {
      await dropper.destroy()
    }
  }
  try {
    await migrateToLatest(db)
  } catch (error) {
    await close()
    throw error
  }
  return { db, url, close, kind: 'postgresql' }
}

async function freshEmbedded(options: { max?: number }): Promise<FreshDatabase> {
  const embedded = await startEmbeddedPostgres({})
  const db = createDatabase(embedded.connectionString, { max: options.max ?? 4 })
  let closed = false
  const close = async () => {
    if (closed) return
    closed = true
    await db.destroy().catch(() => undefined)
    await embedded.stop()
  }
  try {
    await migrateToLatest(db)
  } catch (error) {
    await close()
    throw error
  }
  return { db, url: embedded.connectionString, close, kind: 'embedded' }
}

/** The same server and credentials, another database. */
function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url)
  parsed.pathname = `/${name}`
  return parsed.toString()
}
