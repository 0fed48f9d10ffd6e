import type { DB } from '../../../db/connection'
import type { FinanceRoute, Phase, SchoolType } from '../../../db/schema'
import { clock } from '../../utils/clock'
import { schoolUpdateSchema, type SchoolValues } from '../../schemas/admin'
import { likePattern } from '../shared/like-pattern'
import { recordAudit } from './audit.server'
import { type FieldErrors, fieldErrors, isUuid } from '../../schemas/common'
import type { Actor } from '../shared/actor.server'

/**
 * The LA administrator's work on the authority's schools: list, search and
 * change the facts that decide prices, approvals and how the school pays.
 * Every query is limited to the administrator's own authority.
 */

export type SchoolListItem = {
  id: string
  name: string
  urn: string
  phase: Phase
  schoolType: SchoolType
  pupilCount: number
  approvalLimitPence: number
  financeRoute: FinanceRoute
}

export async function listSchools(db: DB, authorityId: string, filters: { q?: string }): Promise<SchoolListItem[]> {
  let query = db
    .selectFrom('schools')
    .select(['id', 'name', 'urn', 'phase', 'school_type', 'pupil_count', 'approval_limit_pence', 'finance_route'])
    .where('authority_id', '=', authorityId)
  if (filters.q) {
    const q = filters.q
    query = query.where((eb) =>
      eb.or([eb('name', 'ilike', likePattern(q)), eb('town', 'ilike', likePattern(q)), ...(/^\d{1,6}$/.test(q) ? [eb('urn', 'like', `${q}%`)] : [])]),
    )
  }
  const rows = await query.orderBy('name').orderBy('urn').execute()
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    urn: r.urn,
    phase: r.phase,
    schoolType: r.school_type,
    pupilCount: r.pupil_count,
    approvalLimitPence: r.approval_limit_pence,
    financeRoute: r.finance_route,
  }))
}

export type SchoolDetail = SchoolListItem & {
  convertedToAcademyOn: string | null
  poNumberRequired: boolean
}

export async function getSchool(db: DB, authorityId: string, schoolId: string): Promise<SchoolDetail | undefined> {
  if (!isUuid(schoolId)) return undefined
  const r = await db
    .selectFrom('schools')
    .select([
      'id',
      'name',
      'urn',
      'phase',
      'school_type',
      'pupil_count',
      'approval_limit_pence',
      'finance_route',
      'converted_to_academy_on',
      'po_number_required',
    ])
    .where('authority_id', '=', authorityId)
    .where('id', '=', schoolId)
    .executeTakeFirst()
  if (!r) return undefined
  return {
    id: r.id,
    name: r.name,
    urn: r.urn,
    phase: r.phase,
    schoolType: r.school_type,
    pupilCount: r.pupil_count,
    approvalLimitPence: r.approval_limit_pence,
    financeRoute: r.finance_route,
    convertedToAcademyOn: r.converted_to_academy_on,
    poNumberRequired: r.po_number_required,
  }
}

type Change = { from: unknown; to: unknown }

export type SaveSchoolResult = { ok: true; changed: string[] } | { ok: false; notFound: true } | { ok: false; errors: FieldErrors }

/**
 * Checks the edit form against the school as it is now (locked, so that two
 * administrators saving at once are applied one after the other) and saves
 * it with an audit event listing each changed field, old → new. Nothing is
 * saved when anything is wrong. Invoices already issued are never touched: a
 * conversion to academy applies to invoices issued from now on.
 */
export async function saveSchool(db: DB, actor: Actor, schoolId: string, values: SchoolValues): Promise<SaveSchoolResult> {
  if (!isUuid(schoolId)) return { ok: false, notFound: true }
  return db.transaction().execute(async (trx) => {
    const school = await trx
      .selectFrom('schools')
      .select(['school_type', 'pupil_count', 'approval_limit_pence', 'finance_route', 'po_number_required', 'converted_to_academy_on'])
      .where('authority_id', '=', actor.authorityId)
      .where('id', '=', schoolId)
      .forUpdate()
      .executeTakeFirst()
    if (!school) return { ok: false as const, notFound: true as const }
    const parsed = schoolUpdateSchema({ schoolType: school.school_type }, clock.today()).safeParse(values)
    if (!parsed.success) return { ok: false as const, errors: fieldErrors(parsed.error.issues) }
    const next = parsed.data
    const candidates = {
      school_type: [school.school_type, next.schoolType],
      pupil_count: [school.pupil_count, next.pupilCount],
      approval_limit_pence: [school.approval_limit_pence, next.approvalLimitPence],
      finance_route: [school.finance_route, next.financeRoute],
      po_number_required: [school.po_number_required, next.poNumberRequired],
      converted_to_academy_on: [school.converted_to_academy_on, next.convertedToAcademyOn],
    } as const
    const changes: Record<string, Change> = {}
    for (const [field, [from, to]] of Object.entries(candidates)) {
      if (from !== to) changes[field] = { from, to }
    }
    const changed = Object.keys(changes)
    if (changed.length === 0) return { ok: true as const, changed }
    await trx
      .updateTable('schools')
      .set({
        school_type: next.schoolType,
        pupil_count: next.pupilCount,
        approval_limit_pence: next.approvalLimitPence,
        finance_route: next.financeRoute,
        po_number_required: next.poNumberRequired,
        converted_to_academy_on: next.convertedToAcademyOn,
        updated_at: clock.now(),
      })
      .where('authority_id', '=', actor.authorityId)
      .where('id', '=', schoolId)
      .execute()
    await recordAudit(trx, {
      authorityId: actor.authorityId,
      actorUserId: actor.userId,
      action: 'school.updated',
      subjectType: 'school',
      subjectId: schoolId,
      ip: actor.ip,
      userAgent: actor.userAgent,
      details: { changes },
    })
    return { ok: true as const, changed }
  })
}
