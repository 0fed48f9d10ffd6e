import { sql } from 'kysely'
import { getDb } from '~/utils/db.server'
import { getBoss, jobsStarted } from '~/utils/jobs.server'

const plain = (status: number, text: string) =>
  new Response(`${text}\n`, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' } })

/**
 * 200 when this process can serve: the database answers and the job queue
 * has started and answers through its own connections. 503 otherwise, naming
 * what is not ready. For load balancers and orchestrators (docs/deployment.md).
 */
export async function loader() {
  try {
    await sql`select 1`.execute(await getDb())
  } catch (error) {
    console.warn('Readiness: the database did not answer:', error)
    return plain(503, 'Not ready: the database does not answer')
  }
  if (!jobsStarted()) return plain(503, 'Not ready: the job queue has not started')
  try {
    await (await getBoss()).getQueues(['send-email'])
  } catch (error) {
    console.warn('Readiness: the job queue did not answer:', error)
    return plain(503, 'Not ready: the job queue does not answer')
  }
  return plain(200, 'Ready')
}
