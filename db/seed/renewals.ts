/**
 * The demo's renewal window (docs/decisions/0012): whatever the day, Coventry
 * opened renewals into next year twenty days ago and they close ten weeks on
 * (never after this year's last day): on 22 November 2026, 2 November 2026 to
 * 31 January 2027. Every school that bought this year has its proposal, made
 * by the application's own code (openRenewals) without sending any email.
 * Elm Bank's business manager sees it at /renewals.
 */
import type { Kysely } from 'kysely'
import { openRenewals } from '../../app/models/renewals/opening.server'
import type { Database } from '../schema'
import { addDays, dayBefore } from '../../app/domain/dates'
import { tradingYearOfDay } from './calendar'

/** The renewal window open on `today`: into next year, opened 20 days ago, closing 70 days on or on this year's last day. */
export function renewalWindowOn(today: string): { tradingYear: number; opensOn: string; closesOn: string; setUpOn: string } {
  const tradingYear = tradingYearOfDay(today) + 1
  const lastDay = dayBefore(`${tradingYear}-04-01`)
  const closesOn = [addDays(today, 70), lastDay].sort()[0]!
  return { tradingYear, opensOn: addDays(today, -20), closesOn, setUpOn: addDays(today, -33) }
}

export async function seedRenewals(trx: Kysely<Database>, today: string): Promise<{ proposals: number }> {
  const window = renewalWindowOn(today)
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
  const openedAt = new Date(`${window.opensOn}T09:00:00Z`)
  await trx
    .insertInto('renewal_windows')
    .values({
      authority_id: authority.id,
      trading_year: window.tradingYear,
      opens_on: window.opensOn,
      closes_on: window.closesOn,
      updated_by: admin?.id ?? null,
      created_at: new Date(`${window.setUpOn}T10:00:00Z`),
      updated_at: new Date(`${window.setUpOn}T10:00:00Z`),
    })
    .execute()
  const opened = await openRenewals(trx, {
    authorityId: authority.id,
    tradingYear: window.tradingYear,
    actorUserId: admin?.id ?? null,
    now: openedAt,
    notify: false,
  })
  return { proposals: opened.proposals }
}
