import type { DB } from '../../../db/connection'
import type { Kysely } from 'kysely'
import type { Database, FinanceRoute, Phase, SchoolStatus, SchoolType } from '../../../db/schema'
import { clock } from '../../utils/clock'
import { newSchoolSchema, schoolEditSchema, type NewSchoolValues, type SchoolEditValues } from '../../schemas/schools'
import { likePattern } from '../shared/like-pattern'
import { recordAudit } from './audit.server'
import { type FieldErrors, fieldErrors, isUuid } from '../../schemas/common'
import type { Actor } from '../shared/actor.server'
import { forUpdate } from '../../utils/locks.server'

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
  status: SchoolStatus
}

export async function listSchools(db: DB, authorityId: string, filters: { q?: string }): Promise<SchoolListItem[]> {
  let query = db
    .selectFrom('schools')
    .select(['id', 'name', 'urn', 'phase', 'school_type', 'pupil_count', 'approval_limit_pence', 'finance_route', 'status'])
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
    status: r.status,
  }))
}

export type SchoolDetail = SchoolListItem & {
  convertedToAcademyOn: string | null
  poNumberRequired: boolean
  status: SchoolStatus
  closedOn: string | null
  costCentre: string | null
  addressLine1: string | null
  town: string | null
  postcode: string | null
  email: string | null
  phone: string | null
  headteacherName: string | null
  giasType: string | null
  trustName: string | null
}

export async function getSchool(db: DB, authorityId: string, schoolId: string): Promise<SchoolDetail | undefined> {
  if (!isUuid(schoolId)) return undefined
  const r = await db.selectFrom('schools').selectAll().where('authority_id', '=', authorityId).where('id', '=', schoolId).executeTakeFirst()
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
    status: r.status,
    closedOn: r.closed_on,
    costCentre: r.cost_centre,
    addressLine1: r.address_line1,
    town: r.town,
    postcode: r.postcode,
    email: r.email,
    phone: r.phone,
    headteacherName: r.headteacher_name,
    giasType: r.gias_type,
    trustName: r.trust_name,
  }
}

type Change = { from: unknown; to: unknown }

export type SaveSchoolResult = { ok: true; changed: string[] } | { ok: false; notFound: true } | { ok: false; errors: FieldErrors }

/** The school of the authority with this URN, other than `exceptId`. */
async function schoolWithUrn(db: Kysely<Database>, authorityId: string, urn: string, exceptId?: string) {
  return db
    .selectFrom('schools')
    .select(['id', 'name'])
    .where('authority_id', '=', authorityId)
    .where('urn', '=', urn)
    .$if(Boolean(exceptId), (q) => q.where('id', '<>', exceptId!))
    .executeTakeFirst()
}

const duplicateUrn = (urn: string, name: string): FieldErrors => ({ urn: `URN ${urn} is already in the register: ${name}` })

/** Postgres's unique_violation: two administrators adding the same URN at once. */
function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505'
}

/**
 * Checks the edit form against the school as it is now (locked, so that two
 * administrators saving at once are applied one after the other) and saves
 * it with an audit event listing each changed field, old → new. Nothing is
 * saved when anything is wrong. Invoices already issued are never touched: a
 * conversion to academy applies to invoices issued from now on. Closing a
 * school (it can no longer order) records today as its closing date.
 */
export async function saveSchool(db: DB, actor: Actor, schoolId: string, values: SchoolEditValues): Promise<SaveSchoolResult> {
  if (!isUuid(schoolId)) return { ok: false, notFound: true }
  return db.transaction().execute(async (trx) => {
    const school = await trx
      .selectFrom('schools')
      .selectAll()
      .where('authority_id', '=', actor.authorityId)
      .where('id', '=', schoolId)
      .$call(forUpdate)
      .executeTakeFirst()
    if (!school) return { ok: false as const, notFound: true as const }
    const parsed = schoolEditSchema({ schoolType: school.school_type }, clock.today()).safeParse(values)
    if (!parsed.success) return { ok: false as const, errors: fieldErrors(parsed.error.issues) }
    const next = parsed.data
    if (next.urn !== school.urn) {
      const other = await schoolWithUrn(trx, actor.authorityId, next.urn, schoolId)
      if (other) return { ok: false as const, errors: duplicateUrn(next.urn, other.name) }
    }
    const closedOn = next.status === 'open' ? null : school.status === 'closed' ? school.closed_on : clock.today()
    const row = {
      urn: next.urn,
      name: next.name,
      phase: next.phase,
      status: next.status,
      closed_on: closedOn,
      school_type: next.schoolType,
      pupil_count: next.pupilCount,
      approval_limit_pence: next.approvalLimitPence,
      finance_route: next.financeRoute,
      po_number_required: next.poNumberRequired,
      converted_to_academy_on: next.convertedToAcademyOn,
      cost_centre: next.costCentre,
      address_line1: next.addressLine1,
      town: next.town,
      postcode: next.postcode,
      email: next.email,
      phone: next.phone,
      headteacher_name: next.headteacherName,
    }
    const changes: Record<string, Change> = {}
    for (const [field, to] of Object.entries(row)) {
      const from = school[field as keyof typeof row]
      if (from !== to) changes[field] = { from, to }
    }
    const changed = Object.keys(changes)
    if (changed.length === 0) return { ok: true as const, changed }
    await trx
      .updateTable('schools')
      .set({ ...row, updated_at: clock.now() })
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

export type AddSchoolResult = { ok: true; schoolId: string } | { ok: false; errors: FieldErrors }

/**
 * Adds a school to the register, open, its finance route following its type
 * (maintained: internal recharge; academy: invoice), with an audit event.
 * A URN already in the authority's register is refused at its field.
 */
export async function addSchool(db: DB, actor: Actor, values: NewSchoolValues): Promise<AddSchoolResult> {
  const parsed = newSchoolSchema.safeParse(values)
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues) }
  const s = parsed.data
  try {
    return await db.transaction().execute(async (trx) => {
      const other = await schoolWithUrn(trx, actor.authorityId, s.urn)
      if (other) return { ok: false as const, errors: duplicateUrn(s.urn, other.name) }
      const now = clock.now()
      const { id } = await trx
        .insertInto('schools')
        .values({
          authority_id: actor.authorityId,
          urn: s.urn,
          name: s.name,
          phase: s.phase,
          school_type: s.schoolType,
          pupil_count: s.pupilCount,
          approval_limit_pence: s.approvalLimitPence,
          finance_route: s.financeRoute,
          po_number_required: s.poNumberRequired,
          cost_centre: s.costCentre,
          address_line1: s.addressLine1,
          town: s.town,
          postcode: s.postcode,
          email: s.email,
          phone: s.phone,
          headteacher_name: s.headteacherName,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      await recordAudit(trx, {
        authorityId: actor.authorityId,
        actorUserId: actor.userId,
        action: 'school.created',
        subjectType: 'school',
        subjectId: id,
        ip: actor.ip,
        userAgent: actor.userAgent,
        details: { school: s },
      })
      return { ok: true as const, schoolId: id }
    })
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, errors: duplicateUrn(s.urn, 'another school') }
    throw error
  }
}
