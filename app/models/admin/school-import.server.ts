import { sql, type Kysely } from 'kysely'
import type { DB } from '../../../db/connection'
import type { Database } from '../../../db/schema'
import {
  DEFAULT_APPROVAL_LIMIT_PENCE,
  diffCounts,
  diffRegister,
  type GiasBadRow,
  type GiasSchool,
  type RegisterDiff,
  type RegisterSchool,
} from '../../domain/gias'
import { isUuid } from '../../schemas/common'
import { clock } from '../../utils/clock'
import type { Actor } from '../shared/actor.server'
import { NOT_FOUND, type NotFound } from '../shared/results'
import { recordAudit, recordAudits } from './audit.server'
import type { GiasExtract, GiasIgnored } from './gias-csv.server'
import { forUpdate } from '../../utils/locks.server'

/**
 * GIAS imports: an uploaded extract is kept as parsed ("Check import"); its
 * preview compares it with the register as it is when read; "Apply import"
 * compares it again, inside one transaction with the register's rows locked,
 * and applies exactly that: new schools inserted, changed ones updated (one
 * statement each, however many rows), every school's change audited, and the
 * import marked applied with its summary, so that it is applied once.
 */

export type ImportSummary = ReturnType<typeof diffCounts>

export type StoredImport = {
  id: string
  fileName: string
  laCode: string
  rowCount: number
  schools: GiasSchool[]
  bad: GiasBadRow[]
  ignored: GiasIgnored
  uploadedAt: Date
  uploadedBy: string
  applied: { at: Date; by: string; summary: ImportSummary } | null
}

/** The authority's LA code, the import form's default. */
export async function authorityLaCode(db: DB, authorityId: string): Promise<string | null> {
  const row = await db.selectFrom('authorities').select('la_code').where('id', '=', authorityId).executeTakeFirst()
  return row?.la_code ?? null
}

/** Keeps a parsed extract for its preview; returns its id. */
export async function storeImport(db: DB, actor: Actor, input: { fileName: string; laCode: string; extract: GiasExtract }): Promise<string> {
  const { id } = await db
    .insertInto('school_imports')
    .values({
      authority_id: actor.authorityId,
      file_name: input.fileName.slice(0, 200) || 'extract.csv',
      la_code: input.laCode,
      row_count: input.extract.rowCount,
      schools: JSON.stringify(input.extract.schools),
      bad_rows: JSON.stringify(input.extract.bad),
      ignored: JSON.stringify(input.extract.ignored),
      uploaded_by: actor.userId,
      uploaded_at: clock.now(),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return id
}

export async function getImport(db: Kysely<Database>, authorityId: string, importId: string): Promise<StoredImport | undefined> {
  if (!isUuid(importId)) return undefined
  const r = await db
    .selectFrom('school_imports as i')
    .innerJoin('users as u', (j) => j.onRef('u.authority_id', '=', 'i.authority_id').onRef('u.id', '=', 'i.uploaded_by'))
    .leftJoin('users as a', (j) => j.onRef('a.authority_id', '=', 'i.authority_id').onRef('a.id', '=', 'i.applied_by'))
    .select([
      'i.id',
      'i.file_name',
      'i.la_code',
      'i.row_count',
      'i.schools',
      'i.bad_rows',
      'i.ignored',
      'i.uploaded_at',
      'u.name as uploaded_by',
      'i.applied_at',
      'a.name as applied_by',
      'i.summary',
    ])
    .where('i.authority_id', '=', authorityId)
    .where('i.id', '=', importId)
    .executeTakeFirst()
  if (!r) return undefined
  return {
    id: r.id,
    fileName: r.file_name,
    laCode: r.la_code,
    rowCount: r.row_count,
    schools: r.schools as GiasSchool[],
    bad: r.bad_rows as GiasBadRow[],
    ignored: r.ignored as GiasIgnored,
    uploadedAt: r.uploaded_at,
    uploadedBy: r.uploaded_by,
    applied: r.applied_at ? { at: r.applied_at, by: r.applied_by ?? '', summary: r.summary as ImportSummary } : null,
  }
}

/** The register's schools with these URNs, in one query (locked for the caller's transaction when `lock`). */
async function registerSchools(db: Kysely<Database>, authorityId: string, urns: string[], lock = false): Promise<RegisterSchool[]> {
  if (urns.length === 0) return []
  const rows = await db
    .selectFrom('schools')
    .select([
      'id',
      'urn',
      'name',
      'phase',
      'school_type',
      'gias_type',
      'pupil_count',
      'status',
      'opened_on',
      'closed_on',
      'trust_name',
      'converted_to_academy_on',
    ])
    .where('authority_id', '=', authorityId)
    .where(sql<boolean>`urn = any(${urns}::text[])`)
    .$if(lock, forUpdate)
    .execute()
  return rows.map((r) => ({
    id: r.id,
    urn: r.urn,
    name: r.name,
    phase: r.phase,
    schoolType: r.school_type,
    giasType: r.gias_type,
    pupilCount: r.pupil_count,
    status: r.status,
    openedOn: r.opened_on,
    closedOn: r.closed_on,
    trustName: r.trust_name,
    convertedToAcademyOn: r.converted_to_academy_on,
  }))
}

export type ImportPreview = { stored: StoredImport; diff: RegisterDiff }

/** What applying the import would do now (a read: nothing is written). */
export async function previewImport(db: DB, authorityId: string, importId: string): Promise<ImportPreview | NotFound> {
  const stored = await getImport(db, authorityId, importId)
  if (!stored) return NOT_FOUND
  const register = await registerSchools(
    db,
    authorityId,
    stored.schools.map((s) => s.urn),
  )
  return { stored, diff: diffRegister(register, stored.schools, clock.today()) }
}

export type ApplyResult = { kind: 'applied'; summary: ImportSummary } | { kind: 'already_applied' } | { kind: 'register_changed' } | NotFound

/**
 * Applies the import in one transaction: the import row is locked (a second
 * click waits, then finds it applied), the register's rows for its URNs are
 * locked and compared again, and every change is written and audited.
 */
export async function applyImport(db: DB, actor: Actor, importId: string): Promise<ApplyResult> {
  if (!isUuid(importId)) return NOT_FOUND
  try {
    return await applyInTransaction(db, actor, importId)
  } catch (error) {
    // A school added by hand with one of the new URNs while this ran: nothing was applied.
    if (typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505') return { kind: 'register_changed' }
    throw error
  }
}

async function applyInTransaction(db: DB, actor: Actor, importId: string): Promise<ApplyResult> {
  return db.transaction().execute(async (trx): Promise<ApplyResult> => {
    const locked = await trx
      .selectFrom('school_imports')
      .select(['id', 'applied_at'])
      .where('authority_id', '=', actor.authorityId)
      .where('id', '=', importId)
      .$call(forUpdate)
      .executeTakeFirst()
    if (!locked) return NOT_FOUND
    if (locked.applied_at) return { kind: 'already_applied' }
    const stored = (await getImport(trx, actor.authorityId, importId))!
    const urns = stored.schools.map((s) => s.urn)
    const register = await registerSchools(trx, actor.authorityId, urns, true)
    const now = clock.now()
    const diff = diffRegister(register, stored.schools, clock.today())
    const created = await insertSchools(trx, actor.authorityId, diff.added, now)
    await updateSchools(trx, actor.authorityId, diff, now)
    const base = { authorityId: actor.authorityId, actorUserId: actor.userId, ip: actor.ip, userAgent: actor.userAgent, subjectType: 'school' }
    await recordAudits(trx, [
      ...created.map((c) => ({ ...base, action: 'school.created' as const, subjectId: c.id, details: { import: importId, urn: c.urn } })),
      ...diff.updated.map((u) => ({
        ...base,
        action: 'school.updated' as const,
        subjectId: u.id,
        details: { import: importId, changes: Object.fromEntries(u.changes.map((c) => [c.field, { from: c.from, to: c.to }])) },
      })),
    ])
    const summary = diffCounts(diff)
    await recordAudit(trx, {
      ...base,
      action: 'schools.imported',
      subjectType: 'school_import',
      subjectId: importId,
      details: { ...summary, bad: stored.bad.length, rows: stored.rowCount, file: stored.fileName },
    })
    await trx
      .updateTable('school_imports')
      .set({ applied_at: now, applied_by: actor.userId, summary: JSON.stringify(summary) })
      .where('authority_id', '=', actor.authorityId)
      .where('id', '=', importId)
      .execute()
    return { kind: 'applied', summary }
  })
}

/** The new schools, in one statement, open, paying by the route their type decides. */
async function insertSchools(trx: Kysely<Database>, authorityId: string, added: GiasSchool[], now: Date) {
  if (added.length === 0) return []
  const rows = added.map((s) => ({
    urn: s.urn,
    name: s.name,
    phase: s.phase,
    school_type: s.schoolType,
    finance_route: s.schoolType === 'academy' ? 'invoice' : 'internal_recharge',
    pupil_count: s.pupilCount ?? 0,
    status: s.status,
    opened_on: s.openedOn,
    gias_type: s.giasType,
    trust_name: s.trustName,
  }))
  const result = await sql<{ id: string; urn: string }>`
    insert into schools (authority_id, urn, name, phase, school_type, finance_route, pupil_count, approval_limit_pence,
                         status, opened_on, gias_type, trust_name, created_at, updated_at)
    select ${authorityId}::uuid, v.urn, v.name, v.phase, v.school_type, v.finance_route, v.pupil_count, ${DEFAULT_APPROVAL_LIMIT_PENCE}::bigint,
           v.status, v.opened_on, v.gias_type, v.trust_name, ${now}::timestamptz, ${now}::timestamptz
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as v(urn text, name text, phase text, school_type text, finance_route text, pupil_count integer,
           status text, opened_on date, gias_type text, trust_name text)
    returning id, urn`.execute(trx)
  return result.rows
}

/** The changed schools, in one statement; a school converting to academy pays by invoice from its conversion date. */
async function updateSchools(trx: Kysely<Database>, authorityId: string, diff: RegisterDiff, now: Date) {
  if (diff.updated.length === 0) return
  const rows = diff.updated.map((u) => ({
    id: u.id,
    name: u.next.name,
    phase: u.next.phase,
    school_type: u.next.schoolType,
    pupil_count: u.next.pupilCount,
    status: u.next.status,
    opened_on: u.next.openedOn,
    closed_on: u.next.closedOn,
    gias_type: u.next.giasType,
    trust_name: u.next.trustName,
    converted_to_academy_on: u.next.convertedToAcademyOn,
  }))
  await sql`
    update schools s
    set name = v.name, phase = v.phase, school_type = v.school_type, pupil_count = v.pupil_count, status = v.status,
        opened_on = v.opened_on, closed_on = v.closed_on, gias_type = v.gias_type, trust_name = v.trust_name,
        converted_to_academy_on = v.converted_to_academy_on,
        finance_route = case when v.school_type = 'academy' then 'invoice' else s.finance_route end,
        updated_at = ${now}
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as v(id uuid, name text, phase text, school_type text, pupil_count integer, status text, opened_on date,
           closed_on date, gias_type text, trust_name text, converted_to_academy_on date)
    where s.authority_id = ${authorityId} and s.id = v.id`.execute(trx)
}
