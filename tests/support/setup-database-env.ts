import { afterAll, inject } from 'vitest'

// Point the application's own database module at the run's seeded database.
process.env.DATABASE_URL = inject('databaseUrl')
process.env.SEED_DEMO_DATA = 'false'
process.env.DATABASE_POOL_SIZE = '4'

afterAll(async () => {
  const { closeDb } = await import('../../app/utils/db.server')
  await closeDb()
})
