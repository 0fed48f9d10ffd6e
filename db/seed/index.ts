/**
 * The deterministic demo seed (docs/product.md): Coventry City Council with 116
 * schools, its traded services and two years of orders, and a small second
 * authority (Northfield) that proves tenant isolation.
 *
 * The demo is built for the day it is loaded on (the app's clock, or the day
 * given): see calendar.ts. For a given day every row, id and timestamp is the
 * same on every run: ids come from seeded generators, and nothing else reads
 * the clock or Math.random(). Tests pin the day to 22 November 2026, the day
 * the demo's figures were written for. The billing history is then made
 * by the application's own billing code (db/seed/billing.ts). Everything is inserted in one
 * transaction with multi-row inserts of at most 500 rows, so it takes
 * seconds even on the embedded PGlite.
 */
import { sql, type Kysely } from 'kysely'
import type { Database } from '../schema'
import { clock } from '../../app/utils/clock'
import { seedBillingHistory } from './billing'
import { seedCalendar, shiftRows, withCoursesAhead } from './calendar'
import { buildCoventry } from './coventry'
import { buildNorthfield } from './other-authority'
import { seedRenewals } from './renewals'
import { seedTermsVersions } from './terms-versions'
import { emptyRows, TABLE_ORDER, type SeedRows } from './types'

export type SeedSummary = {
  authorities: number
  schools: number
  services: number
  offers: number
  users: number
  orders: number
  orderLines: number
  invoices: number
  payments: number
}

/** Rows per INSERT statement. */
export const CHUNK_SIZE = 500

/** Every row of the demo data as it stands on `today`, built in memory (no database needed). */
export function buildDemoRows(today: string = clock.today()): SeedRows {
  const { referenceDay, years } = seedCalendar(today)
  const all = emptyRows()
  for (const part of [buildCoventry(referenceDay), buildNorthfield(referenceDay)]) {
    for (const table of TABLE_ORDER) {
      ;(all[table] as unknown[]).push(...(part[table] as unknown[]))
    }
  }
  return withCoursesAhead(shiftRows(all, years), today)
}

/** True when any authority exists (the database already holds data). */
export async function hasDemoData(db: Kysely<Database>): Promise<boolean> {
  const row = await db.selectFrom('authorities').select('id').limit(1).executeTakeFirst()
  return row !== undefined
}

/**
 * Inserts the demo data in one transaction. Throws, changing nothing, when
 * the authorities table already has rows.
 */
export async function seedDemoData(db: Kysely<Database>, today: string = clock.today()): Promise<SeedSummary> {
  const rows = buildDemoRows(today)
  let billing = { invoices: 0, payments: 0 }
  await db.transaction().execute(async (trx) => {
    if (await hasDemoData(trx)) {
      throw new Error('The database already holds data (the authorities table is not empty): not seeding')
    }
    for (const table of TABLE_ORDER) {
      const list = rows[table] as Record<string, unknown>[]
      for (let i = 0; i < list.length; i += CHUNK_SIZE) {
        // The rows are typed per table in SeedRows; Kysely cannot follow a loop over table names.
        await trx
          .insertInto(table)
          .values(list.slice(i, i + CHUNK_SIZE) as never)
          .execute()
      }
    }
    await seedTermsVersions(trx, rows.services)
    billing = await seedBillingHistory(trx, today)
    await seedRenewals(trx, today)
  })
  // Fresh statistics, so that the planner knows the tables are no longer
  // empty (the embedded PGlite runs no autovacuum to gather them later):
  // without them, reports that join orders to schools take seconds.
  await sql`analyze`.execute(db)
  return {
    authorities: rows.authorities.length,
    schools: rows.schools.length,
    services: rows.services.length,
    offers: rows.offers.length,
    users: rows.users.length,
    orders: rows.orders.length,
    orderLines: rows.order_lines.length,
    invoices: billing.invoices,
    payments: billing.payments,
  }
}
