import path from 'node:path'
import { createDatabase, migrateToLatest, type DB } from '../../db/connection'
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../db/embedded'
import { getEnv } from './env.server'

type DatabaseState = {
  db: DB
  /** The connection string `db` uses (the embedded database's local port when embedded). */
  url: string
  embedded?: EmbeddedPostgres
  ready: Promise<void>
}

// Kept on globalThis so that `remix dev` reloading the server bundle does not
// start a second embedded database.
const globalForDb = globalThis as typeof globalThis & { __buybackDb?: DatabaseState }

/**
 * The application's database, ready to use: connected to DATABASE_URL or to
 * the embedded PostgreSQL started on first use, and migrated to the latest
 * schema. (The server loads the demo data into an empty one at boot.)
 */
export async function getDb(): Promise<DB> {
  const state = (globalForDb.__buybackDb ??= startDatabase())
  await state.ready
  return state.db
}

/**
 * The connection string of the application's database, once it is ready: for
 * other pools on the same database (the job queue). With the embedded
 * database it is a port on 127.0.0.1 that lives as long as this process.
 */
export async function getDatabaseUrl(): Promise<string> {
  await getDb()
  const state = globalForDb.__buybackDb
  if (!state) throw new Error('The database was closed')
  return state.url
}

function startDatabase(): DatabaseState {
  const env = getEnv()
  const state = {} as DatabaseState
  state.ready = (async () => {
    let url = env.DATABASE_URL
    if (!url) {
      const dataDir = path.resolve(env.PGLITE_DATA_DIR)
      state.embedded = await startEmbeddedPostgres({ dataDir })
      url = state.embedded.connectionString
      console.info(`Embedded PostgreSQL (PGlite) keeps its data in ${dataDir}`)
    }
    state.url = url
    state.db = createDatabase(url, { max: env.DATABASE_POOL_SIZE ?? (state.embedded ? 4 : 10) })
    await migrateToLatest(state.db)
  })()
  return state
}

/** Closes the pool and, when embedded, shuts PGlite down cleanly. */
export async function closeDb(): Promise<void> {
  const state = globalForDb.__buybackDb
  if (!state) return
  globalForDb.__buybackDb = undefined
  await state.ready.catch(() => undefined)
  await state.db?.destroy()
  await state.embedded?.stop()
}
