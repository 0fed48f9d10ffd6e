/**
 * npm run db:migrate | db:seed | db:reset
 *
 * Works on DATABASE_URL when it is set, otherwise on the embedded database in
 * PGLITE_DATA_DIR (stop the app first: only one process can open it).
 */
import path from 'node:path'
import { sql } from 'kysely'
import { getEnv } from '../app/utils/env.server'
import { createDatabase, migrateToLatest } from './connection'
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded'
import { hasDemoData, seedDemoData } from './seed/index'

const command = process.argv[2]
if (!['migrate', 'seed', 'reset'].includes(command ?? '')) {
  console.error('Usage: tsx db/cli.ts migrate|seed|reset')
  process.exit(2)
}

const env = getEnv()
let embedded: EmbeddedPostgres | undefined
let url = env.DATABASE_URL
if (!url) {
  const dataDir = path.resolve(env.PGLITE_DATA_DIR)
  embedded = await startEmbeddedPostgres({ dataDir })
  url = embedded.connectionString
  console.info(`Embedded database in ${dataDir}`)
} else {
  console.info(`Database ${url.replace(/:[^:@/]*@/, ':***@')}`)
}
const db = createDatabase(url, { max: 2 })

try {
  if (command === 'reset') {
    await sql`drop schema if exists public cascade`.execute(db)
    await sql`drop schema if exists ${sql.id(getEnv().JOB_QUEUE_SCHEMA)} cascade`.execute(db)
    await sql`create schema public`.execute(db)
    console.info('Dropped every table')
  }
  const migrated = await migrateToLatest(db)
  const applied = migrated.results?.map((r) => r.migrationName) ?? []
  console.info(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'The schema is up to date')
  if (command === 'seed' || command === 'reset') {
    if (await hasDemoData(db)) {
      console.info('The database already holds data; nothing seeded (use npm run db:reset to start again)')
    } else {
      const started = Date.now()
      const summary = await seedDemoData(db)
      console.info(`Seeded in ${Date.now() - started} ms: ${JSON.stringify(summary)}`)
    }
  }
} catch (error) {
  console.error(error)
  process.exitCode = 1
} finally {
  await db.destroy()
  await embedded?.stop()
}
