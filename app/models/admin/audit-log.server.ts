import { sql } from 'kysely'
import type { DB } from '../../../db/connection'
import { actionInWords, actionKind, detailsSummary, redactDetails } from '../../domain/audit-log'
import { addDays, ukStartOfDay } from '../../domain/dates'
import type { AuditFilters } from '../../schemas/audit'

/**
 * The authority's audit trail for the LA administrator (/la/admin/audit and
 * its CSV): newest first, filtered by kind, person and date. Details are
 * summarised with anything secret left out (domain/audit-log): no token,
 * password, reset link or key ever leaves this module.
 */

export type AuditRow = {
  id: string
  at: string
  actorName: string | null
  action: string
  actionText: string
  subject: string
  summary: string
  ip: string | null
}

export const AUDIT_PER_PAGE = 50

function filtered(db: DB, authorityId: string, f: AuditFilters) {
  let q = db.selectFrom('audit_events as e').where('e.authority_id', '=', authorityId)
  if (f.kind) q = q.where((eb) => eb.or([eb('e.action', '=', f.kind!), eb('e.action', 'like', `${f.kind!.replace(/_/g, '\\_')}.%`)]))
  if (f.person) q = q.where('e.actor_user_id', '=', f.person)
  if (f.from) q = q.where('e.created_at', '>=', ukStartOfDay(f.from))
  if (f.to) q = q.where('e.created_at', '<', ukStartOfDay(addDays(f.to, 1)))
  return q
}

type Q = ReturnType<typeof filtered>

function withNames(q: Q) {
  return q
    .leftJoin('users as a', (j) => j.onRef('a.authority_id', '=', 'e.authority_id').onRef('a.id', '=', 'e.actor_user_id'))
    .select(['e.id', 'e.created_at', 'e.action', 'e.subject_type', 'e.subject_id', 'e.ip_address', 'e.details', 'a.name as actor_name'])
    .select(
      sql<string | null>`coalesce(
        (select u.name from users u where e.subject_type = 'user' and u.authority_id = e.authority_id and u.id::text = e.subject_id),
        (select s.name from schools s where e.subject_type = 'school' and s.authority_id = e.authority_id and s.id::text = e.subject_id),
        (select t.name from teams t where e.subject_type = 'team' and t.authority_id = e.authority_id and t.id::text = e.subject_id),
        (select v.name from services v where e.subject_type = 'service' and v.authority_id = e.authority_id and v.id::text = e.subject_id)
      )`.as('subject_name'),
    )
}

type RawRow = {
  id: string
  created_at: Date | string
  action: string
  subject_type: string | null
  subject_id: string | null
  ip_address: string | null
  details: unknown
  actor_name: string | null
  subject_name: string | null
}

function subjectText(r: RawRow): string {
  if (!r.subject_type) return ''
  const type = r.subject_type.replace(/_/g, ' ')
  if (r.subject_name) return `${type.charAt(0).toUpperCase()}${type.slice(1)}: ${r.subject_name}`
  if (r.subject_type === 'trading_year' && r.subject_id) return `Trading year ${r.subject_id}`
  return `${type.charAt(0).toUpperCase()}${type.slice(1)}${r.subject_id ? ` ${r.subject_id.slice(0, 8)}` : ''}`
}

function toRow(r: RawRow): AuditRow {
  const details = typeof r.details === 'string' ? JSON.parse(r.details) : r.details
  return {
    id: r.id,
    at: new Date(r.created_at).toISOString(),
    actorName: r.actor_name,
    action: r.action,
    actionText: actionInWords(r.action),
    subject: subjectText(r),
    summary: detailsSummary(redactDetails(details)),
    ip: r.ip_address,
  }
}

/** One page of the filtered events, newest first, and how many there are. */
export async function listAuditEvents(
  db: DB,
  authorityId: string,
  filters: AuditFilters,
  page: number,
): Promise<{ rows: AuditRow[]; total: number; pageCount: number; page: number }> {
  const { count } = await filtered(db, authorityId, filters)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow()
  const total = Number(count)
  const pageCount = Math.max(1, Math.ceil(total / AUDIT_PER_PAGE))
  const current = Math.min(page, pageCount)
  const rows = await withNames(filtered(db, authorityId, filters))
    .orderBy('e.created_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(AUDIT_PER_PAGE)
    .offset((current - 1) * AUDIT_PER_PAGE)
    .execute()
  return { rows: (rows as unknown as RawRow[]).map(toRow), total, pageCount, page: current }
}

/** Every filtered event, newest first, for the CSV (at most 100,000). */
export async function exportAuditEvents(db: DB, authorityId: string, filters: AuditFilters): Promise<AuditRow[]> {
  const rows = await withNames(filtered(db, authorityId, filters))
    .orderBy('e.created_at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(100_000)
    .execute()
  return (rows as unknown as RawRow[]).map(toRow)
}

/** The kinds of change and the people in the authority's log, for the filters. */
export async function auditFilterOptions(db: DB, authorityId: string): Promise<{ kinds: string[]; people: { id: string; name: string }[] }> {
  const [actions, people] = await Promise.all([
    db.selectFrom('audit_events').select('action').distinct().where('authority_id', '=', authorityId).execute(),
    db
      .selectFrom('users as u')
      .select(['u.id', 'u.name'])
      .where('u.authority_id', '=', authorityId)
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('audit_events as e')
            .select(sql`1`.as('one'))
            .whereRef('e.authority_id', '=', 'u.authority_id')
            .whereRef('e.actor_user_id', '=', 'u.id'),
        ),
      )
      .orderBy('u.name')
      .orderBy('u.id')
      .execute(),
  ])
  const kinds = [...new Set(actions.map((a) => actionKind(a.action)))].sort()
  return { kinds, people }
}
