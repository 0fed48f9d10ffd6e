import type { TestProject } from 'vitest/node'
import { seedDemoData } from '../../db/seed/index'
import { withFreshDatabase } from './database'

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string
    databaseKind: 'postgresql' | 'embedded'
  }
}

/**
 * One migrated and seeded database for the integration run: a new database on
 * the server of TEST_DATABASE_URL or DATABASE_URL when either is set (dropped
 * at the end), otherwise the embedded PGlite in memory.
 */
export default async function setup(project: TestProject) {
  const started = Date.now()
  const database = await withFreshDatabase()
  await seedDemoData(database.db)
  const kind = database.kind
  console.info(`Integration tests use ${kind} PostgreSQL, seeded in ${Date.now() - started} ms`)
  project.provide('databaseUrl', database.url)
  project.provide('databaseKind', kind)
  await database.db.destroy()
  return async () => {
    await database.close()
  }
}
