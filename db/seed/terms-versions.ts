/**
 * Version 1 of every seeded service's terms (the text in services.terms),
 * and, on every line the demo's schools have already submitted, the version
 * they accepted: version 1, the only terms the demo has known, with who
 * accepted them and when (the submitter, and the approver if any). Ids are
 * derived from the service's, so every run writes the same rows.
 */
import { sql, type Kysely } from 'kysely'
import type { Database } from '../schema'
import { idFor } from './random'
import type { ServiceRow } from './types'

export async function seedTermsVersions(trx: Kysely<Database>, services: readonly ServiceRow[]): Promise<void> {
  if (services.length === 0) return
  await trx
    .insertInto('service_terms_versions')
    .values(
      services.map((s) => ({
        authority_id: s.authority_id,
        id: idFor(`terms-version/${s.id}/1`),
        service_id: s.id,
        version: 1,
        terms: s.terms ?? '',
        created_at: s.created_at,
      })),
    )
    .execute()
  await sql`
    update order_lines l set terms_version_id = v.id
    from offers o, service_terms_versions v
    where o.authority_id = l.authority_id and o.id = l.offer_id
      and v.authority_id = o.authority_id and v.service_id = o.service_id and v.version = 1
      and l.status <> 'draft' and l.terms_version_id is null`.execute(trx)
  // The demo's buyers accepted those terms when they submitted, and its headteachers when they approved.
  await sql`
    update orders set
      terms_accepted_by = submitted_by, terms_accepted_at = case when submitted_by is null then null else submitted_at end,
      terms_approved_by = approved_by, terms_approved_at = case when approved_by is null then null else approved_at end
    where status <> 'draft' and submitted_at is not null and terms_accepted_at is null and terms_approved_at is null`.execute(trx)
}
