import { clock } from '~/utils/clock'
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { decideForgottenLines } from '~/models/ordering/decisions.server'
import { getDb } from '~/utils/db.server'
import { buildCapacityFixture } from '../support/capacity-fixture'

describe('lines left undecided', () => {
  it('are offered to capacity again by the sweep, and recent ones are left to their request', async () => {
    const db = await getDb()
    const { authorityId, lineIds } = await buildCapacityFixture(db, { slug: `sweep-${randomUUID().slice(0, 8)}`, roomForDays: 1, lines: 3 })
    // Two lines were submitted a while ago and never decided (the process stopped); one only just now.
    await db
      .updateTable('order_lines')
      .set({ updated_at: new Date(clock.now().getTime() - 5 * 60_000) })
      .where('authority_id', '=', authorityId)
      .where('id', 'in', lineIds.slice(0, 2))
      .execute()
    expect(await decideForgottenLines(db)).toBeGreaterThanOrEqual(2)
    const lines = await db.selectFrom('order_lines').select(['id', 'status']).where('authority_id', '=', authorityId).execute()
    const statusOf = (id: string) => lines.find((l) => l.id === id)?.status
    expect([statusOf(lineIds[0]!), statusOf(lineIds[1]!)].sort()).toEqual(['confirmed', 'waitlisted'])
    expect(statusOf(lineIds[2]!)).toBe('submitted')
  })
})
