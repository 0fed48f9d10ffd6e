import { decideForgottenLines } from '../models/ordering/decisions.server'
import { getDb } from '../utils/db.server'

/**
 * Every few minutes: order lines left submitted but undecided (the process
 * stopped between submitting and deciding, or a lock timed out) are offered
 * to capacity again. Safe to run any number of times.
 */
export async function decideSubmittedLinesJob(): Promise<{ orders: number }> {
  return { orders: await decideForgottenLines(await getDb()) }
}
