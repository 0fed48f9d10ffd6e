import type { ExpressionBuilder } from 'kysely'
import type { DB } from '../../../db/connection'
import type { Database } from '../../../db/schema'
import { clock } from '../../utils/clock'

/**
 * A service's terms are versioned (docs/decisions/0019): each change of the
 * text is a new version, numbered 1, 2, 3… per service; the highest is in
 * force, and services.terms keeps its text. An order line records the
 * version in force when it was submitted: what the school accepted.
 */

type Trx = DB

/**
 * The version of the line's service's terms in force now, as an expression
 * of an update of order_lines (set when the lines leave the basket).
 */
export function termsVersionInForce(eb: ExpressionBuilder<Database, 'order_lines'>) {
  return eb
    .selectFrom('offers as o')
    .innerJoin('service_terms_versions as v', (j) => j.onRef('v.authority_id', '=', 'o.authority_id').onRef('v.service_id', '=', 'o.service_id'))
    .select('v.id')
    .whereRef('o.authority_id', '=', 'order_lines.authority_id')
    .whereRef('o.id', '=', 'order_lines.offer_id')
    .orderBy('v.version', 'desc')
    .limit(1)
}

export type TermsVersion = { id: string; version: number; terms: string; createdAt: Date; createdBy: string | null }

/** Every version of a service's terms, the newest (the one in force) first. */
export async function listTermsVersions(db: DB, authorityId: string, serviceId: string): Promise<TermsVersion[]> {
  const rows = await db
    .selectFrom('service_terms_versions as v')
    .leftJoin('users as u', (j) => j.onRef('u.authority_id', '=', 'v.authority_id').onRef('u.id', '=', 'v.created_by'))
    .select(['v.id', 'v.version', 'v.terms', 'v.created_at', 'u.name as created_by_name'])
    .where('v.authority_id', '=', authorityId)
    .where('v.service_id', '=', serviceId)
    .orderBy('v.version', 'desc')
    .execute()
  return rows.map((r) => ({ id: r.id, version: r.version, terms: r.terms, createdAt: r.created_at, createdBy: r.created_by_name }))
}

/**
 * Makes `terms` the version in force unless it already is, in the caller's
 * transaction (which holds the service's row locked, so two saves never
 * take the same number). Returns the new version, or null when the text in
 * force is already `terms`.
 */
export async function versionTerms(
  trx: Trx,
  input: { authorityId: string; serviceId: string; terms: string; userId: string | null },
): Promise<{ id: string; version: number } | null> {
  const current = await trx
    .selectFrom('service_terms_versions')
    .select(['version', 'terms'])
    .where('authority_id', '=', input.authorityId)
    .where('service_id', '=', input.serviceId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst()
  if (current && current.terms === input.terms) return null
  return trx
    .insertInto('service_terms_versions')
    .values({
      authority_id: input.authorityId,
      service_id: input.serviceId,
      version: (current?.version ?? 0) + 1,
      terms: input.terms,
      created_by: input.userId,
      created_at: clock.now(),
    })
    .returning(['id', 'version'])
    .executeTakeFirstOrThrow()
}
