import { lapseOverdueProposals, openDueRenewalWindows, remindOpenProposals } from '../models/renewals/daily.server'
import { getDb } from '../utils/db.server'

/**
 * Daily (docs/decisions/0012): renewal windows whose opening day has come
 * are opened (proposals made, business managers emailed), schools that
 * have not answered are reminded two weeks and three days before the
 * window closes, and proposals nobody answered by the closing day lapse.
 * Safe to run any number of times: opening is idempotent, each reminder is
 * keyed, and lapsing only moves open ones.
 */
export async function renewalsDailyJob(): Promise<{ opened: number; reminded: number; lapsed: number }> {
  const db = await getDb()
  const opened = await openDueRenewalWindows(db)
  const reminded = await remindOpenProposals(db)
  const lapsed = await lapseOverdueProposals(db)
  return { opened, reminded, lapsed }
}
