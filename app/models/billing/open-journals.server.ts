import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { nextMonth } from '../../domain/invoicing'

export type OpenJournal = { id: string; month: string }

/**
 * The open recharge journal for documents issued in each month: that month's
 * (created the first time it is needed), or, if finance has posted it, the
 * first later one still open (the rule of journalMonthFor). Each journal row
 * is read FOR SHARE: posting takes it FOR UPDATE, so a journal being posted
 * right now is waited for and then seen as posted, and nothing is ever added
 * to a journal after it is posted. Callers take journals before the invoices
 * they lock, in the order posting takes them.
 */
export async function openJournals(trx: Kysely<Database>, authorityId: string, months: readonly string[]): Promise<Map<string, OpenJournal>> {
  const found = new Map<string, OpenJournal>()
  for (const requested of [...new Set(months)].sort()) {
    let month = requested
    for (;;) {
      await trx
        .insertInto('recharge_journals')
        .values({ authority_id: authorityId, month })
        .onConflict((oc) => oc.columns(['authority_id', 'month']).doNothing())
        .execute()
      const row = await trx
        .selectFrom('recharge_journals')
        .select(['id', 'status'])
        .where('authority_id', '=', authorityId)
        .where('month', '=', month)
        .forShare()
        .executeTakeFirstOrThrow()
      if (row.status !== 'posted') {
        found.set(requested, { id: row.id, month })
        break
      }
      month = nextMonth(month)
    }
  }
  return found
}
