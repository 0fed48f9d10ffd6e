import { lapseOverdueProposals, openDueRenewalWindows } from '../models/renewals.server'
import { getDb } from '../utils/db.server'

/**
 * Daily (docs/decisions/0012): renewal windows whose opening day has come
 * are opened (proposals made, business managers emailed), and proposals
 * nobody answered by their window's closing day lapse. Safe to run any
 * number of times: opening is idempotent and lapsing only moves open ones.
 */
export async function renewalsDailyJob(): Promise<{ opened: number; lapsed: number }> {
  const db = await getDb()
  const opened = await openDueRenewalWindows(db)
  const lapsed = await lapseOverdueProposals(db)
  return { opened, lapsed }
}
