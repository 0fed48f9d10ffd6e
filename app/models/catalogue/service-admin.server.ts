import { sql } from 'kysely'
import type { DB } from '../../../db/connection'
import type { Phase, PricingModel } from '../../../db/schema'
import { canManageService, type RoleHolder } from '../../domain/roles'
import { fieldErrors, type FieldErrors } from '../../schemas/common'
import { ServiceSchema, type OfferStatus, type ServiceInput, type ServiceValues } from '../../schemas/service-admin'
import { clock } from '../../utils/clock'
import { recordAudit } from '../admin/audit.server'
import { servicesOf, type StaffScope } from '../shared/access-scope.server'
import type { Actor } from '../shared/actor.server'
import { versionTerms } from './terms-versions.server'
import { forUpdate } from '../../utils/locks.server'

/**
 * Service leads (their own services) and the LA administrator (every
 * service) edit the authority's services: the words schools read, the
 * statutory core, contact, CFR code, phases, published or not, and terms
 * (each change of terms a new version). Every query is limited to the
 * caller's authority first.
 */

export type OfferCounts = Record<OfferStatus, number>

export type ManagedServiceItem = { slug: string; name: string; isPublished: boolean; offers: OfferCounts }
export type ManagedCategory = { slug: string; name: string; services: ManagedServiceItem[] }

/** services.updated_at as text, to the microsecond (a JavaScript date would drop the microseconds). */
const savedAt = (column: 's.updated_at' | 'updated_at') => sql<string>`${sql.ref(column)}::text`

/** An offer's status: retired, otherwise on sale when published, else a draft. */
function statusOf(row: { is_published: boolean; retired_at: Date | null }): OfferStatus {
  if (row.retired_at) return 'retired'
  return row.is_published ? 'on_sale' : 'draft'
}

/** The services the scope covers, by category (in the catalogue's order), each with its offers counted by status. */
export async function listManagedServices(db: DB, scope: StaffScope): Promise<ManagedCategory[]> {
  const ids = servicesOf(scope)
  if (ids !== 'all' && ids.length === 0) return []
  let query = db
    .selectFrom('services as s')
    .innerJoin('categories as c', (j) => j.onRef('c.authority_id', '=', 's.authority_id').onRef('c.id', '=', 's.category_id'))
    .select(['s.id', 's.slug', 's.name', 's.is_published', 'c.slug as category_slug', 'c.name as category_name'])
    .where('s.authority_id', '=', scope.authorityId)
  if (ids !== 'all') query = query.where('s.id', 'in', ids)
  const services = await query.orderBy('c.position').orderBy('c.name').orderBy('s.name').execute()
  if (services.length === 0) return []
  const offers = await db
    .selectFrom('offers as o')
    .select(['o.service_id', 'o.is_published', 'o.retired_at'])
    .where('o.authority_id', '=', scope.authorityId)
    .where(
      'o.service_id',
      'in',
      services.map((s) => s.id),
    )
    .execute()

  const categories: ManagedCategory[] = []
  for (const s of services) {
    let category = categories.at(-1)
    if (category?.slug !== s.category_slug) {
      category = { slug: s.category_slug, name: s.category_name, services: [] }
      categories.push(category)
    }
    const counts: OfferCounts = { on_sale: 0, draft: 0, retired: 0 }
    for (const o of offers) if (o.service_id === s.id) counts[statusOf(o)] += 1
    category.services.push({ slug: s.slug, name: s.name, isPublished: s.is_published, offers: counts })
  }
  return categories
}

export type ManagedService = {
  id: string
  slug: string
  name: string
  categoryName: string
  summary: string
  description: string
  included: string[]
  excluded: string[]
  terms: string
  statutoryCore: string
  chargesBegin: string
  phases: Phase[]
  contactName: string
  contactEmail: string
  contactPhone: string | null
  incomeCode: string | null
  isPublished: boolean
  /** When it was last saved, exactly (to the microsecond), for telling a second editor someone saved first. */
  savedAt: string
}

export type ManagedServiceResult = { ok: true; service: ManagedService } | { ok: false; status: 403 | 404 }

/**
 * A service of the user's authority by its slug, if they may edit it: 404
 * when the authority has no such service, 403 when it is not theirs to edit.
 */
export async function getManagedService(db: DB, user: RoleHolder & { authorityId: string }, slug: string): Promise<ManagedServiceResult> {
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) || slug.length > 100) return { ok: false, status: 404 }
  const s = await db
    .selectFrom('services as s')
    .innerJoin('categories as c', (j) => j.onRef('c.authority_id', '=', 's.authority_id').onRef('c.id', '=', 's.category_id'))
    .select([
      's.id',
      's.slug',
      's.name',
      'c.name as category_name',
      's.summary',
      's.description',
      's.included',
      's.excluded',
      's.terms',
      's.statutory_core',
      's.charges_begin',
      's.phases',
      's.contact_name',
      's.contact_email',
      's.contact_phone',
      's.income_code',
      's.is_published',
      savedAt('s.updated_at').as('saved_at'),
    ])
    .where('s.authority_id', '=', user.authorityId)
    .where('s.slug', '=', slug)
    .executeTakeFirst()
  if (!s) return { ok: false, status: 404 }
  if (!canManageService(user, s.id)) return { ok: false, status: 403 }
  return {
    ok: true,
    service: {
      id: s.id,
      slug: s.slug,
      name: s.name,
      categoryName: s.category_name,
      summary: s.summary,
      description: s.description,
      included: s.included,
      excluded: s.excluded,
      terms: s.terms,
      statutoryCore: s.statutory_core,
      chargesBegin: s.charges_begin,
      phases: s.phases,
      contactName: s.contact_name,
      contactEmail: s.contact_email,
      contactPhone: s.contact_phone,
      incomeCode: s.income_code,
      isPublished: s.is_published,
      savedAt: s.saved_at,
    },
  }
}

/** The edit form's values for a service as it is saved. */
export function serviceValuesOf(service: ManagedService): ServiceValues {
  return {
    name: service.name,
    summary: service.summary,
    description: service.description,
    included: service.included.join('\n'),
    excluded: service.excluded.join('\n'),
    statutoryCore: service.statutoryCore,
    chargesBegin: service.chargesBegin,
    terms: service.terms,
    contactName: service.contactName,
    contactEmail: service.contactEmail,
    contactPhone: service.contactPhone ?? '',
    incomeCode: service.incomeCode ?? '',
    published: service.isPublished ? 'yes' : 'no',
    phases: [...service.phases],
  }
}

export type ServiceOffer = { id: string; name: string; pricingModel: PricingModel; status: OfferStatus }

/** The service's offers in the catalogue's order, each with its status. */
export async function listServiceOffers(db: DB, authorityId: string, serviceId: string): Promise<ServiceOffer[]> {
  const rows = await db
    .selectFrom('offers as o')
    .select(['o.id', 'o.name', 'o.pricing_model', 'o.is_published', 'o.retired_at'])
    .where('o.authority_id', '=', authorityId)
    .where('o.service_id', '=', serviceId)
    .orderBy('o.position')
    .orderBy('o.name')
    .execute()
  return rows.map((r) => ({ id: r.id, name: r.name, pricingModel: r.pricing_model, status: statusOf(r) }))
}

type Change = { from: unknown; to: unknown }

export type SaveServiceResult =
  | { ok: true; changed: string[]; termsVersion: number | null }
  | { ok: false; status: 403 | 404 }
  | { ok: false; errors: FieldErrors }
  /** Someone saved the service after this form was opened (`savedAt` is when): nothing is saved. */
  | { ok: false; savedAt: string }

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/**
 * Checks the form and saves the service in one transaction, with the row
 * locked (two people saving at once are applied one after the other): an
 * audit event lists each changed field, old → new; changed terms become a
 * new version, audited too. Nothing is saved when anything is wrong, or
 * when someone else saved the service after this form was opened (the
 * second editor is told, and saves again knowingly). Order lines keep the
 * version they were submitted under.
 */
export async function saveService(
  db: DB,
  actor: Actor & RoleHolder,
  serviceId: string,
  values: ServiceValues,
  /** When the service had last been saved as the form was opened (ManagedService.savedAt). */
  openedAt: string,
): Promise<SaveServiceResult> {
  if (!canManageService(actor, serviceId)) return { ok: false, status: 403 }
  const parsed = ServiceSchema.safeParse(values)
  if (!parsed.success) return { ok: false, errors: fieldErrors(parsed.error.issues) }
  const next: ServiceInput = parsed.data
  return db.transaction().execute(async (trx): Promise<SaveServiceResult> => {
    const s = await trx
      .selectFrom('services')
      .select([
        'name',
        'summary',
        'description',
        'included',
        'excluded',
        'terms',
        'statutory_core',
        'charges_begin',
        'phases',
        'contact_name',
        'contact_email',
        'contact_phone',
        'income_code',
        'is_published',
        savedAt('updated_at').as('saved_at'),
      ])
      .where('authority_id', '=', actor.authorityId)
      .where('id', '=', serviceId)
      .$call(forUpdate)
      .executeTakeFirst()
    if (!s) return { ok: false as const, status: 404 as const }
    if (s.saved_at !== openedAt) return { ok: false as const, savedAt: s.saved_at }
    const row = {
      name: next.name,
      summary: next.summary,
      description: next.description,
      included: next.included,
      excluded: next.excluded,
      terms: next.terms,
      statutory_core: next.statutoryCore,
      charges_begin: next.chargesBegin,
      phases: next.phases,
      contact_name: next.contactName,
      contact_email: next.contactEmail,
      contact_phone: next.contactPhone,
      income_code: next.incomeCode,
      is_published: next.published,
    }
    const changes: Record<string, Change> = {}
    for (const [field, to] of Object.entries(row)) {
      const from = s[field as keyof typeof row]
      if (!same(from, to)) changes[field] = { from, to }
    }
    // A service whose terms were never versioned (made outside this page) gets its version 1 now.
    const version = await versionTerms(trx, { authorityId: actor.authorityId, serviceId, terms: next.terms, userId: actor.userId })
    const changed = Object.keys(changes)
    if (changed.length === 0 && !version) return { ok: true as const, changed, termsVersion: null }
    const audit = {
      authorityId: actor.authorityId,
      actorUserId: actor.userId,
      subjectType: 'service',
      subjectId: serviceId,
      ip: actor.ip,
      userAgent: actor.userAgent,
    }
    if (changed.length) {
      await trx
        .updateTable('services')
        // Each save moves updated_at on, even two in the same millisecond, so that the next editor's check sees it.
        .set({ ...row, updated_at: sql<Date>`greatest(${clock.now()}::timestamptz, updated_at + interval '1 millisecond')` })
        .where('authority_id', '=', actor.authorityId)
        .where('id', '=', serviceId)
        .execute()
      await recordAudit(trx, { ...audit, action: 'service.updated', details: { changes } })
    }
    if (version) {
      await recordAudit(trx, { ...audit, action: 'service.terms_versioned', details: { version: version.version, termsVersionId: version.id } })
    }
    return { ok: true as const, changed, termsVersion: version?.version ?? null }
  })
}
