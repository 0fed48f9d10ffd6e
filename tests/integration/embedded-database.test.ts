import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { createDatabase, migrateToLatest } from '../../db/connection'
import { startEmbeddedPostgres } from '../../db/embedded'

const dataDir = mkdtempSync(path.join(tmpdir(), 'buyback-embedded-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

describe('the embedded database', () => {
  it('keeps its data across a restart', async () => {
    const first = await startEmbeddedPostgres({ dataDir })
    const db1 = createDatabase(first.connectionString, { max: 2 })
    await migrateToLatest(db1)
    await db1
      .insertInto('authorities')
      .values({ slug: 'restart-test', name: 'Restart Test Council', invoice_prefix: 'RTC', contact_email: 'x@rtc.example' })
      .execute()
    await db1.destroy()
    await first.stop()

    const second = await startEmbeddedPostgres({ dataDir })
    const db2 = createDatabase(second.connectionString, { max: 2 })
    const again = await migrateToLatest(db2)
    expect(again.results).toEqual([])
    const row = await db2.selectFrom('authorities').select('name').where('slug', '=', 'restart-test').executeTakeFirst()
    expect(row?.name).toBe('Restart Test Council')
    await db2.destroy()
    await second.stop()
  })

  it('runs concurrent transactions from a pool one at a time, correctly', async () => {
    const embedded = await startEmbeddedPostgres({})
    const db = createDatabase(embedded.connectionString, { max: 4 })
    await sql`create table counter (n integer not null)`.execute(db)
    await sql`insert into counter values (0)`.execute(db)
    await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction().execute(async (trx) => {
          const { rows } = await sql<{ n: number }>`select n from counter for update`.execute(trx)
          await sql`update counter set n = ${(rows[0]?.n ?? 0) + 1}`.execute(trx)
        }),
      ),
    )
    const { rows } = await sql<{ n: number }>`select n from counter`.execute(db)
    expect(rows[0]?.n).toBe(20)
    await db.destroy()
    await embedded.stop()
  })

  it('refuses rows that break the schema’s money and tenancy rules', async () => {
    const embedded = await startEmbeddedPostgres({})
    const db = createDatabase(embedded.connectionString, { max: 2 })
    await migrateToLatest(db)
    const [a, b] = await db
      .insertInto('authorities')
      .values([
        { slug: 'aa', name: 'A', invoice_prefix: 'AA', contact_email: 'a@a.example' },
        { slug: 'bb', name: 'B', invoice_prefix: 'BB', contact_email: 'b@b.example' },
      ])
      .returning('id')
      .execute()
    const school = {
      urn: '123456',
      name: 'Test School',
      phase: 'primary' as const,
      school_type: 'maintained' as const,
      pupil_count: 100,
      finance_route: 'internal_recharge' as const,
    }
    await expect(
      db
        .insertInto('schools')
        .values({ ...school, authority_id: a!.id, approval_limit_pence: -1 })
        .execute(),
    ).rejects.toThrow(/check constraint/)
    const [s] = await db
      .insertInto('schools')
      .values({ ...school, authority_id: a!.id, approval_limit_pence: 250000 })
      .returning('id')
      .execute()
    // A user of authority B cannot belong to a school of authority A.
    await expect(db.insertInto('users').values({ authority_id: b!.id, email: 'x@b.example', name: 'X', school_id: s!.id }).execute()).rejects.toThrow(
      /foreign key/,
    )
    await db.destroy()
    await embedded.stop()
  })
})
