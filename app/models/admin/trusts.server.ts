import type { DB } from '../../../db/connection'
import type { TrustInvoicing } from '../../../db/schema'
import { memberSchoolIds, sameTrustName, type Membership } from '../../domain/trusts'
import { type FieldErrors, fieldErrors, isUuid } from '../../schemas/common'
import { addMemberSchema, trustSchema, type AddMemberValues, type TrustDetails, type TrustValues } from '../../schemas/trusts'
import { clock } from '../../utils/clock'
import { forUpdate } from '../../utils/locks.server'
import type { Actor } from '../shared/actor.server'
import { recordAudit } from './audit.server'

/**
 * The authority's multi-academy trusts, as the LA administrator keeps them
 * (issue 16, docs/decisions/0035): each trust's details, approval limit and
 * invoicing, and which schools are its members when. A school is in one
 * trust at a time; it joins on the day it is added and leaves on the day it
 * is taken off, and from then on the trust sees nothing of it.
 */

/** A `trust_memberships` row as the membership rules read it. */
export function membershipOf(row: { school_id: string; joined_on: string; left_on: string | null }): Membership {
  return { schoolId: row.school_id, joinedOn: row.joined_on, leftOn: row.left_on }
}

export type TrustSummary = {
  id: string
  name: string
  memberCount: number
  approvalLimitPence: number
  invoicing: TrustInvoicing
}

export async function listTrusts(db: DB, authorityId: string, today: string = clock.today()): Promise<TrustSummary[]> {
  const [trusts, memberships] = await Promise.all([
    db
      .selectFrom('trusts')
      .select(['id', 'name', 'approval_limit_pence', 'invoicing'])
      .where('authority_id', '=', authorityId)
      .orderBy('name')
      .execute(),
    db.selectFrom('trust_memberships').select(['trust_id', 'school_id', 'joined_on', 'left_on']).where('authority_id', '=', authorityId).execute(),
  ])
  return trusts.map((t) => ({
    id: t.id,
    name: t.name,
    approvalLimitPence: t.approval_limit_pence,
    invoicing: t.invoicing,
    memberCount: memberSchoolIds(memberships.filter((m) => m.trust_id === t.id).map(membershipOf), today).length,
  }))
}

export type TrustMember = { membershipId: string; schoolId: string; name: string; urn: string; joinedOn: string; leftOn: string | null }

export type TrustPage = {
  trust: TrustDetails & { id: string }
  members: TrustMember[]
  /** Schools that were members and have left, most recent first. */
  former: TrustMember[]
  /** Open schools of the authority in no trust today: those that can be added. */
  candidates: { id: string; name: string; urn: string }[]
  /** Those of them GIAS's `Trusts (name)` puts in this trust. */
  fromGias: { id: string; name: string; urn: string }[]
}

export async function getTrust(db: DB, authorityId: string, trustId: string, today: string = clock.today()): Promise<TrustPage | undefined> {
  if (!isUuid(trustId)) return undefined
  const trust = await db.selectFrom('trusts').selectAll().where('authority_id', '=', authorityId).where('id', '=', trustId).executeTakeFirst()
  if (!trust) return undefined
  const [memberships, candidates] = await Promise.all([
    db
      .selectFrom('trust_memberships as m')
      .innerJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'm.authority_id').onRef('s.id', '=', 'm.school_id'))
      .select(['m.id', 'm.school_id', 'm.joined_on', 'm.left_on', 's.name', 's.urn'])
      .where('m.authority_id', '=', authorityId)
      .where('m.trust_id', '=', trustId)
      .orderBy('s.name')
      .execute(),
    db
      .selectFrom('schools as s')
      .select(['s.id', 's.name', 's.urn', 's.trust_name'])
      .where('s.authority_id', '=', authorityId)
      .where('s.status', '=', 'open')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('trust_memberships as m')
              .select('m.id')
              .whereRef('m.authority_id', '=', 's.authority_id')
              .whereRef('m.school_id', '=', 's.id')
              .where('m.joined_on', '<=', today)
              .where((eb) => eb.or([eb('m.left_on', 'is', null), eb('m.left_on', '>', today)])),
          ),
        ),
      )
      .orderBy('s.name')
      .execute(),
  ])
  const toMember = (m: (typeof memberships)[number]): TrustMember => ({
    membershipId: m.id,
    schoolId: m.school_id,
    name: m.name,
    urn: m.urn,
    joinedOn: m.joined_on,
    leftOn: m.left_on,
  })
  const current = new Set(memberSchoolIds(memberships.map(membershipOf), today))
  return {
    trust: {
      id: trust.id,
      name: trust.name,
      companiesHouseNumber: trust.companies_house_number,
      approvalLimitPence: trust.approval_limit_pence,
      invoicing: trust.invoicing,
      addressLine1: trust.address_line1,
      town: trust.town,
      postcode: trust.postcode,
      financeEmail: trust.finance_email,
    },
    members: memberships.filter((m) => m.left_on === null && current.has(m.school_id)).map(toMember),
    former: memberships
      .filter((m) => m.left_on !== null)
      .map(toMember)
      .sort((a, b) => (b.leftOn ?? '').localeCompare(a.leftOn ?? '')),
    candidates: candidates.map(({ id, name, urn }) => ({ id, name, urn })),
    fromGias: candidates.filter((c) => sameTrustName(c.trust_name, trust.name)).map(({ id, name, urn }) => ({ id, name, urn })),
  }
}

/** Whether the trust is one of the authority's (a malformed id is no trust). */
export async function trustExists(db: DB, authorityId: string, trustId: string): Promise<boolean> {
  if (!isUuid(trustId)) return false
  return Boolean(await db.selectFrom('trusts').select('id').where('authority_id', '=', authorityId).where('id', '=', trustId).executeTakeFirst())
}

const row = (t: TrustDetails) => ({
  name: t.name,
  companies_house_number: t.companiesHouseNumber,
  approval_limit_pence: t.approvalLimitPence,
  invoicing: t.invoicing,
  address_line1: t.addressLine1,
  town: t.town,
  postcode: t.postcode,
  finance_email: t.financeEmail,
})

const nameTaken = (name: string): FieldErrors => ({ name: `There is already a trust called ${name}` })

export type SaveTrustResult = { ok: true; trustId: string; changed: string[] } | { ok: false; errors: FieldErrors } | { ok: false; notFound: true }

/** Adds a trust (no `trustId`) or saves one's details, with an audit event naming each changed field. Names are unique. */
export async function saveTrust(db: DB, actor: Actor, trustId: string | null, values: TrustValues): Promise<SaveTrustResult> {
  const parsed = trustSchema.safeParse(values)
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues) }
  const next = row(parsed.data)
  if (trustId !== null && !isUuid(trustId)) return { ok: false, notFound: true }
  return db.transaction().execute(async (trx) => {
    const sameName = await trx
      .selectFrom('trusts')
      .select('id')
      .where('authority_id', '=', actor.authorityId)
      .where('name', '=', next.name)
      .$call(forUpdate)
      .executeTakeFirst()
    if (sameName && sameName.id !== trustId) return { ok: false as const, errors: nameTaken(next.name) }
    if (trustId === null) {
      const created = await trx
        .insertInto('trusts')
        .values({ authority_id: actor.authorityId, ...next })
        .onConflict((oc) => oc.columns(['authority_id', 'name']).doNothing())
        .returning('id')
        .executeTakeFirst()
      if (!created) return { ok: false as const, errors: nameTaken(next.name) }
      await audit(trx, actor, 'trust.created', created.id, { name: next.name })
      return { ok: true as const, trustId: created.id, changed: Object.keys(next) }
    }
    const before = await trx
      .selectFrom('trusts')
      .selectAll()
      .where('authority_id', '=', actor.authorityId)
      .where('id', '=', trustId)
      .$call(forUpdate)
      .executeTakeFirst()
    if (!before) return { ok: false as const, notFound: true as const }
    const changes = Object.fromEntries(
      Object.entries(next)
        .filter(([field, to]) => before[field as keyof typeof next] !== to)
        .map(([field, to]) => [field, { from: before[field as keyof typeof next], to }]),
    )
    const changed = Object.keys(changes)
    if (changed.length === 0) return { ok: true as const, trustId, changed }
    await trx
      .updateTable('trusts')
      .set({ ...next, updated_at: clock.now() })
      .where('authority_id', '=', actor.authorityId)
      .where('id', '=', trustId)
      .execute()
    await audit(trx, actor, 'trust.updated', trustId, { name: next.name, changes })
    return { ok: true as const, trustId, changed }
  })
}

export type MembershipResult = { ok: true; schoolName: string } | { ok: false; errors: FieldErrors } | { ok: false; notFound: true }

/**
 * Adds one of the authority's open schools to the trust from today. A school
 * already in a trust (this or another) is refused with the trust's name.
 * The school's row is locked, so two administrators adding it at once add it once.
 */
export async function addMember(db: DB, actor: Actor, trustId: string, values: AddMemberValues): Promise<MembershipResult> {
  if (!isUuid(trustId)) return { ok: false, notFound: true }
  const parsed = addMemberSchema.safeParse(values)
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues) }
  const today = clock.today()
  return db.transaction().execute(async (trx) => {
    const trust = await trx
      .selectFrom('trusts')
      .select(['id', 'name'])
      .where('authority_id', '=', actor.authorityId)
      .where('id', '=', trustId)
      .executeTakeFirst()
    if (!trust) return { ok: false as const, notFound: true as const }
    const school = await trx
      .selectFrom('schools')
      .select(['id', 'name', 'status'])
      .where('authority_id', '=', actor.authorityId)
      .where('id', '=', parsed.data.schoolId)
      .$call(forUpdate)
      .executeTakeFirst()
    if (!school || school.status !== 'open') return { ok: false as const, errors: { schoolId: 'Select one of the council’s open schools' } }
    const current = await trx
      .selectFrom('trust_memberships as m')
      .innerJoin('trusts as t', (j) => j.onRef('t.authority_id', '=', 'm.authority_id').onRef('t.id', '=', 'm.trust_id'))
      .select('t.name')
      .where('m.authority_id', '=', actor.authorityId)
      .where('m.school_id', '=', school.id)
      .where('m.left_on', 'is', null)
      .executeTakeFirst()
    if (current) return { ok: false as const, errors: { schoolId: `${school.name} is already a member of ${current.name}` } }
    await trx
      .insertInto('trust_memberships')
      .values({ authority_id: actor.authorityId, trust_id: trust.id, school_id: school.id, joined_on: today })
      .execute()
    await audit(trx, actor, 'trust.member_added', trust.id, { name: trust.name, school: school.name, joinedOn: today })
    return { ok: true as const, schoolName: school.name }
  })
}

/**
 * Records a member school leaving the trust today: from today the trust sees
 * nothing of it, and its orders, invoices and history stay the school's. A
 * school added today and taken off the same day was never a member: its
 * membership is removed.
 */
export async function endMembership(db: DB, actor: Actor, trustId: string, membershipId: string): Promise<MembershipResult> {
  if (!isUuid(trustId) || !isUuid(membershipId)) return { ok: false, notFound: true }
  const today = clock.today()
  return db.transaction().execute(async (trx) => {
    const membership = await trx
      .selectFrom('trust_memberships as m')
      .innerJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'm.authority_id').onRef('s.id', '=', 'm.school_id'))
      .innerJoin('trusts as t', (j) => j.onRef('t.authority_id', '=', 'm.authority_id').onRef('t.id', '=', 'm.trust_id'))
      .select(['m.id', 'm.joined_on', 'm.left_on', 's.name as school', 't.name as trust'])
      .where('m.authority_id', '=', actor.authorityId)
      .where('m.trust_id', '=', trustId)
      .where('m.id', '=', membershipId)
      .$call((q) => forUpdate(q, 'm'))
      .executeTakeFirst()
    if (!membership || membership.left_on !== null) return { ok: false as const, notFound: true as const }
    if (membership.joined_on >= today) {
      await trx.deleteFrom('trust_memberships').where('authority_id', '=', actor.authorityId).where('id', '=', membership.id).execute()
    } else {
      await trx
        .updateTable('trust_memberships')
        .set({ left_on: today })
        .where('authority_id', '=', actor.authorityId)
        .where('id', '=', membership.id)
        .execute()
    }
    await audit(trx, actor, 'trust.member_left', trustId, { name: membership.trust, school: membership.school, leftOn: today })
    return { ok: true as const, schoolName: membership.school }
  })
}

async function audit(
  trx: DB,
  actor: Actor,
  action: 'trust.created' | 'trust.updated' | 'trust.member_added' | 'trust.member_left',
  trustId: string,
  details: Record<string, unknown>,
) {
  await recordAudit(trx, {
    authorityId: actor.authorityId,
    actorUserId: actor.userId,
    action,
    subjectType: 'trust',
    subjectId: trustId,
    ip: actor.ip,
    userAgent: actor.userAgent,
    details,
  })
}
