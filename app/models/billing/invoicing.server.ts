import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from '../../../db/schema'
import { enqueue } from '../../utils/jobs.server'

/**
 * Where ordering hands over to billing: an order whose lines were confirmed,
 * promoted from a waiting list or cancelled gets a `bill-order` job, which
 * runs billOrders (billing-run.server.ts) for it.
 */

/**
 * Queues billing for an order whose lines were just confirmed or cancelled,
 * in the caller's transaction (so it exists if and only if they were).
 */
export async function queueBilling(
  trx: Kysely<Database>,
  authorityId: string,
  orderId: string,
  event: 'confirmed' | 'promoted' | 'cancelled',
  lineIds: readonly string[],
): Promise<void> {
  const lines = createHash('sha256')
    .update([...lineIds].sort().join(','))
    .digest('hex')
    .slice(0, 24)
  await enqueue(trx, 'bill-order', { authorityId, orderId }, { idempotencyKey: `${orderId}:${event}:${lines}` })
}
