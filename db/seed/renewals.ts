/**
 * The demo's renewal window (issue 7, docs/decisions/0012): Coventry opened
 * renewals into 2027/28 on 2 November 2026, closing on 31 January 2027, and
 * every school that bought this year has its proposal, made by the
 * application's own code (openRenewals) without sending any email. Elm Bank's
 * business manager sees it at /renewals.
 */
import type { Kysely } from 'kysely'
import { openRenewals } from '../../app/models/renewals.server'
import type { Database } from '../schema'

export const RENEWAL_WINDOW = { tradingYear: 2027, opensOn: '2026-11-02', closesOn: '2027-01-31' } as const

export async function seedRenewals(trx: Kysely<Database>): Promise<{ proposals: number }> {
  const authority = await trx.selectFrom('authorities').select('id').where('slug', '=', 'coventry').executeTakeFirst()
  if (!authority) return { proposals: 0 }
  const admin = await trx
    .selectFrom('users as u')
    .innerJoin('user_roles as r', (j) => j.onRef('r.authority_id', '=', 'u.authority_id').onRef('r.user_id', '=', 'u.id'))
    .select('u.id')
    .where('u.authority_id', '=', authority.id)
    .where('r.role', '=', 'la_admin')
    .orderBy('u.email')
    .executeTakeFirst()
  const openedAt = new Date(`${RENEWAL_WINDOW.opensOn}T09:00:00Z`)
  await trx
    .insertInto('renewal_windows')
    .values({
      authority_id: authority.id,
      trading_year: RENEWAL_WINDOW.tradingYear,
      opens_on: RENEWAL_WINDOW.opensOn,
      closes_on: RENEWAL_WINDOW.closesOn,
      updated_by: admin?.id ?? null,
      created_at: new Date(`2026-10-20T10:00:00Z`),
      updated_at: new Date(`2026-10-20T10:00:00Z`),
    })
    .execute()
  const opened = await openRenewals(trx, {
    authorityId: authority.id,
    tradingYear: RENEWAL_WINDOW.tradingYear,
    actorUserId: admin?.id ?? null,
    now: openedAt,
    notify: false,
  })
  return { proposals: opened.proposals }
}
