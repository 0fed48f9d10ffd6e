import { sql } from 'kysely'
import { getDb } from '~/utils/db.server'

/** 200 when the database answers, 503 otherwise. For monitoring. */
export async function loader() {
  try {
    const db = await getDb()
    await sql`select 1`.execute(db)
    return new Response('OK', { headers: { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' } })
  } catch (error) {
    console.warn('Health check failed:', error)
    return new Response('Database unavailable', {
      status: 503,
      headers: { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' },
    })
  }
}
