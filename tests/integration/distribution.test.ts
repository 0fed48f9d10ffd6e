import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { REFERENCE_TABLES, distributionProblems, readCatalog } from '../../db/distribution'
import { type FreshDatabase, withFreshDatabase } from '../support/database'

let fresh: FreshDatabase
beforeAll(async () => {
  fresh = await withFreshDatabase({ max: 2 })
})
afterAll(() => fresh?.close())

describe('the migrated schema is distributable by authority_id (issue 18, item 10)', () => {
  it('has no key, unique index or reference that crosses authorities, outside the named reference tables', async () => {
    const tables = await readCatalog(fresh.db)
    expect(tables.length).toBeGreaterThan(40)
    expect(distributionProblems(tables)).toEqual([])
    // Every named reference table exists, so the list does not go stale.
    expect(Object.keys(REFERENCE_TABLES).filter((name) => !tables.some((t) => t.name === name))).toEqual([])
  })

  it('finds a new table that forgets authority_id in a unique index', async () => {
    await sql`create table notes (authority_id uuid not null references authorities(id), id uuid not null, slug text not null, primary key (authority_id, id))`.execute(
      fresh.db,
    )
    await sql`create unique index notes_slug on notes (slug)`.execute(fresh.db)
    expect(distributionProblems(await readCatalog(fresh.db))).toEqual(["notes's unique notes_slug (slug) does not include authority_id"])
    await sql`drop table notes`.execute(fresh.db)
  })
})
