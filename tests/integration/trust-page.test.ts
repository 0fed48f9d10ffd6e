import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { idFor } from '../../db/seed/random'
import { tradingYearOf } from '~/domain/trading-year'
import { loader } from '~/routes/trust'
import { clock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { createSession } from '~/utils/session.server'
import { settle } from '../support/answers'

/**
 * `/trust` for Three Spires Academy Trust's users (issue 16, item 2): every
 * figure recomputed here from the raw rows of the run's seeded database.
 */

const context = { clientIp: '127.0.0.1' }
const THREE_SPIRES_ID = idFor('coventry/trust/three-spires')
let coventryId: string

async function cookieFor(email: string): Promise<string> {
  const db = await getDb()
  const user = await db.selectFrom('users').select(['id', 'authority_id']).where('email', '=', email).executeTakeFirstOrThrow()
  return (await createSession(db, new Request('http://localhost/'), { id: user.id, authorityId: user.authority_id }, '127.0.0.1')).split(';')[0]!
}
const page = async (email: string) =>
  settle(loader({ request: new Request('http://localhost/trust', { headers: { Cookie: await cookieFor(email) } }), params: {}, context }))

beforeAll(async () => {
  const db = await getDb()
  coventryId = (await db.selectFrom('authorities').select('id').where('slug', '=', 'coventry').executeTakeFirstOrThrow()).id
})

describe('the trust’s page', () => {
  it('shows the trust’s four member academies with this year’s orders, what they owe and their renewals, as the rows say', async () => {
    const db = await getDb()
    const first = await page('buyer@three-spires.example')
    expect(first.status).toBe(200)
    const year = tradingYearOf(clock.now())
    expect(first.body.trust).toEqual({ name: 'Three Spires Academy Trust', approvalLimitPence: 500_000, invoicing: 'consolidated' })
    const members = await db
      .selectFrom('trust_memberships as m')
      .innerJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'm.authority_id').onRef('s.id', '=', 'm.school_id'))
      .select(['s.id', 's.name'])
      .where('m.authority_id', '=', coventryId)
      .where('m.trust_id', '=', THREE_SPIRES_ID)
      .where('m.left_on', 'is', null)
      .orderBy('s.name')
      .execute()
    expect(members.map((m) => m.name)).toEqual([
      'Foleshill Park Academy',
      'Kingfisher Primary Academy',
      'Skylark Junior Academy',
      'Spire View Academy',
    ])
    const expectedMembers = async () => {
      const expected = []
      for (const m of members) {
        const { rows: orders } = await sql<{ gross: number }>`
          select o.gross_pence::int as gross from orders o
          where o.authority_id = ${coventryId} and o.school_id = ${m.id}
            and o.status in ('awaiting_approval', 'submitted', 'confirmed', 'waitlisted', 'completed')
            and exists (select 1 from order_lines l where l.authority_id = o.authority_id and l.order_id = o.id and l.trading_year = ${year})`.execute(
          db,
        )
        const { rows: invoices } = await sql<{ owed: number }>`
          select (gross_pence - amount_paid_pence - amount_credited_pence)::int as owed from invoices
          where authority_id = ${coventryId} and school_id = ${m.id} and status = 'open'`.execute(db)
        const proposal = await db
          .selectFrom('renewal_proposals')
          .select('status')
          .where('authority_id', '=', coventryId)
          .where('school_id', '=', m.id)
          .where('trading_year', '=', year + 1)
          .executeTakeFirst()
        expected.push({
          schoolId: m.id,
          name: m.name,
          orders: orders.length,
          orderedPence: orders.reduce((sum, o) => sum + o.gross, 0),
          owedPence: invoices.reduce((sum, i) => sum + i.owed, 0),
          renewal: proposal?.status ?? null,
        })
      }
      return expected
    }
    // Other files order for these schools while this runs: compare a page read between two equal readings of the rows.
    let answer = await page('buyer@three-spires.example')
    let expected = await expectedMembers()
    for (let attempt = 0; attempt < 5; attempt++) {
      const before = await expectedMembers()
      answer = await page('buyer@three-spires.example')
      expected = await expectedMembers()
      if (JSON.stringify(before) === JSON.stringify(expected)) break
    }
    expect(answer.body.members.map(({ urn: _urn, ...m }: { urn: string }) => m)).toEqual(expected)
    // The story: Foleshill Park buys in both years.
    expect(expected[0]!.orders).toBeGreaterThan(0)
    // Latest orders: members' only, newest first, ten at most.
    const names = new Set(members.map((m) => m.name))
    expect(answer.body.recentOrders.length).toBeLessThanOrEqual(10)
    for (const o of answer.body.recentOrders) expect(names.has(o.schoolName)).toBe(true)
    const times = answer.body.recentOrders.map((o: { submittedAt: Date | null }) => o.submittedAt?.getTime() ?? 0)
    expect(times).toEqual([...times].sort((a, b) => b - a))
    // The trust's approver sees the same page.
    expect((await page('approver@three-spires.example')).body.members).toEqual(answer.body.members)
  })

  it('is refused to school users and council staff', async () => {
    for (const email of ['buyer@foleshill-park.example', 'head@elm-bank.example', 'admin@coventry.example', 'finance@coventry.example']) {
      expect((await page(email)).status, email).toBe(403)
    }
  })
})
