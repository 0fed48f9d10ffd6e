import { sql, type ExpressionBuilder } from 'kysely'
import type { DB } from '../../../db/connection'
import type { Database, InvoiceSchedule, OrderStatus } from '../../../db/schema'
import type { DeliveryInput } from '../../schemas/delivery'
import { describeDelivery } from './order-detail.server'
import { quantityText } from '../../domain/quantities'
import type { StaffScope } from '../shared/access-scope.server'
import { forUpdate } from '../../utils/locks.server'

/**
 * Delivery records (/la/delivery): a
 * service lead records what was delivered against the lines of the services
 * they lead; the LA administrator against any. Recording more than was bought
 * is refused unless the offer bills on delivery.
 */

type LineEB = ExpressionBuilder<Database & { l: Database['order_lines']; f: Database['offers'] }, 'l' | 'f'>

function inScope(eb: LineEB, scope: StaffScope) {
  if (scope.kind === 'authority') return eb('l.authority_id', '=', scope.authorityId)
  if (scope.serviceIds.length === 0) return sql<boolean>`false`
  return eb.and([eb('l.authority_id', '=', scope.authorityId), eb('f.service_id', 'in', [...scope.serviceIds])])
}

export type DeliveryLine = {
  id: string
  orderId: string
  reference: string
  schoolId: string
  schoolName: string
  serviceName: string
  offerName: string
  status: OrderStatus
  tradingYear: number
  periodStart: string
  periodEnd: string
  quantity: number
  unitOne: string
  unitOther: string
  hoursPerUnit: number
  invoiceSchedule: InvoiceSchedule
  usedUnits: number
  /** "4 of 10 days used" */
  usedText: string
  /** A pooled block: its cluster and members, one named on each delivery (decision 0036). */
  cluster: { id: string; name: string; members: { id: string; name: string }[] } | null
}

function baseQuery(db: DB, scope: StaffScope) {
  return db
    .selectFrom('order_lines as l')
    .innerJoin('offers as f', (j) => j.onRef('f.authority_id', '=', 'l.authority_id').onRef('f.id', '=', 'l.offer_id'))
    .innerJoin('services as sv', (j) => j.onRef('sv.authority_id', '=', 'f.authority_id').onRef('sv.id', '=', 'f.service_id'))
    .innerJoin('orders as o', (j) => j.onRef('o.authority_id', '=', 'l.authority_id').onRef('o.id', '=', 'l.order_id'))
    .innerJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'o.authority_id').onRef('s.id', '=', 'o.school_id'))
    .where((eb) => inScope(eb as unknown as LineEB, scope))
    .select((eb) => [
      'l.id',
      'l.order_id',
      'l.status',
      'l.trading_year',
      'l.period_start',
      'l.period_end',
      'l.quantity',
      'o.reference',
      's.id as school_id',
      's.name as school_name',
      'sv.name as service_name',
      'f.name as offer_name',
      'f.unit_one',
      'f.unit_other',
      'f.hours_per_unit',
      'f.invoice_schedule',
      'l.cluster_id',
      eb
        .selectFrom('delivery_records as d')
        .select(sql<number>`coalesce(sum(d.units), 0)::float8`.as('u'))
        .whereRef('d.authority_id', '=', 'l.authority_id')
        .whereRef('d.order_line_id', '=', 'l.id')
        .as('used_units'),
    ])
}

type Row = Awaited<ReturnType<ReturnType<typeof baseQuery>['execute']>>[number]

function toLine(r: Row): DeliveryLine {
  const used = Number(r.used_units ?? 0)
  return {
    id: r.id,
    orderId: r.order_id,
    reference: r.reference,
    schoolId: r.school_id,
    schoolName: r.school_name,
    serviceName: r.service_name,
    offerName: r.offer_name,
    status: r.status,
    tradingYear: r.trading_year,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    quantity: r.quantity,
    unitOne: r.unit_one,
    unitOther: r.unit_other,
    hoursPerUnit: Number(r.hours_per_unit),
    invoiceSchedule: r.invoice_schedule,
    usedUnits: used,
    usedText: describeDelivery(used, r.quantity, r.unit_one, r.unit_other),
    cluster: null,
  }
}

/** A pooled block's cluster and its members, by name. */
async function clusterOfLine(db: DB, authorityId: string, clusterId: string): Promise<DeliveryLine['cluster']> {
  const rows = await db
    .selectFrom('clusters as c')
    .innerJoin('cluster_members as m', (j) => j.onRef('m.authority_id', '=', 'c.authority_id').onRef('m.cluster_id', '=', 'c.id'))
    .innerJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'm.authority_id').onRef('s.id', '=', 'm.school_id'))
    .select(['c.id', 'c.name', 's.id as school_id', 's.name as school_name'])
    .where('c.authority_id', '=', authorityId)
    .where('c.id', '=', clusterId)
    .orderBy('s.name')
    .execute()
  if (rows.length === 0) return null
  return { id: rows[0]!.id, name: rows[0]!.name, members: rows.map((r) => ({ id: r.school_id, name: r.school_name })) }
}

/** Confirmed lines of the trading year in scope, by school, optionally of one school. */
export async function listDeliveryLines(db: DB, scope: StaffScope, filters: { tradingYear: number; schoolId?: string }): Promise<DeliveryLine[]> {
  const rows = await baseQuery(db, scope)
    .where('l.status', '=', 'confirmed')
    .where('l.trading_year', '=', filters.tradingYear)
    .$if(filters.schoolId !== undefined, (q) => q.where('o.school_id', '=', filters.schoolId!))
    .orderBy('s.name')
    .orderBy('sv.name')
    .orderBy('f.position')
    .orderBy('o.reference')
    .orderBy('l.id')
    .limit(500)
    .execute()
  return rows.map(toLine)
}

/** Schools with confirmed lines in scope this year, for the filter. */
export async function deliverySchools(db: DB, scope: StaffScope, tradingYear: number) {
  return db
    .selectFrom('order_lines as l')
    .innerJoin('offers as f', (j) => j.onRef('f.authority_id', '=', 'l.authority_id').onRef('f.id', '=', 'l.offer_id'))
    .innerJoin('orders as o', (j) => j.onRef('o.authority_id', '=', 'l.authority_id').onRef('o.id', '=', 'l.order_id'))
    .innerJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'o.authority_id').onRef('s.id', '=', 'o.school_id'))
    .where((eb) => inScope(eb as unknown as LineEB, scope))
    .where('l.status', '=', 'confirmed')
    .where('l.trading_year', '=', tradingYear)
    .select(['s.id', 's.name'])
    .distinct()
    .orderBy('s.name')
    .execute()
}

export type DeliveryRecordRow = {
  id: string
  /** On a pooled block: the member school it was for. */
  schoolName: string | null
  deliveredOn: string
  units: number
  hours: number
  practitioner: string
  note: string | null
  recordedBy: string | null
}

/** One line in scope with its delivery records, or undefined (another service's line answers as missing). */
export async function getDeliveryLine(
  db: DB,
  scope: StaffScope,
  lineId: string,
): Promise<(DeliveryLine & { records: DeliveryRecordRow[] }) | undefined> {
  const row = await baseQuery(db, scope).where('l.id', '=', lineId).executeTakeFirst()
  if (!row) return undefined
  const records = await db
    .selectFrom('delivery_records as d')
    .leftJoin('users as u', (j) => j.onRef('u.authority_id', '=', 'd.authority_id').onRef('u.id', '=', 'd.recorded_by'))
    .leftJoin('schools as ds', (j) => j.onRef('ds.authority_id', '=', 'd.authority_id').onRef('ds.id', '=', 'd.school_id'))
    .select(['d.id', 'd.delivered_on', 'd.units', 'd.hours', 'd.practitioner', 'd.note', 'u.name as recorded_by', 'ds.name as school_name'])
    .where('d.authority_id', '=', scope.authorityId)
    .where('d.order_line_id', '=', lineId)
    .orderBy('d.delivered_on', 'desc')
    .orderBy('d.created_at', 'desc')
    .execute()
  return {
    ...toLine(row),
    cluster: row.cluster_id ? await clusterOfLine(db, scope.authorityId, row.cluster_id) : null,
    records: records.map((r) => ({
      id: r.id,
      schoolName: r.school_name,
      deliveredOn: r.delivered_on,
      units: Number(r.units),
      hours: Number(r.hours),
      practitioner: r.practitioner,
      note: r.note,
      recordedBy: r.recorded_by,
    })),
  }
}

export type RecordDeliveryResult =
  { ok: true; recordId: string; overBought: boolean } | { ok: false; notFound: true } | { ok: false; errors: Record<string, string> }

/**
 * Records delivery against a line in scope. The line is locked while its
 * total is checked, so two recordings at once cannot together exceed what
 * was bought.
 */
export async function recordDelivery(
  db: DB,
  scope: StaffScope,
  actorUserId: string,
  lineId: string,
  input: DeliveryInput,
): Promise<RecordDeliveryResult> {
  return db.transaction().execute(async (trx): Promise<RecordDeliveryResult> => {
    const line = await trx
      .selectFrom('order_lines as l')
      .innerJoin('offers as f', (j) => j.onRef('f.authority_id', '=', 'l.authority_id').onRef('f.id', '=', 'l.offer_id'))
      .select(['l.id', 'l.status', 'l.quantity', 'l.cluster_id', 'f.unit_one', 'f.unit_other', 'f.invoice_schedule'])
      .where((eb) => inScope(eb as unknown as LineEB, scope))
      .where('l.id', '=', lineId)
      .$call((q) => forUpdate(q, 'l'))
      .executeTakeFirst()
    if (!line) return { ok: false as const, notFound: true as const }
    if (line.status !== 'confirmed') {
      return { ok: false as const, errors: { units: 'Delivery can only be recorded against a confirmed order line' } }
    }
    // A pooled block's delivery names one of its cluster's schools; any other line's names none.
    const forSchool = line.cluster_id ? await memberOf(trx, scope.authorityId, line.cluster_id, input.schoolId) : null
    if (line.cluster_id && !forSchool) return { ok: false as const, errors: { schoolId: 'Choose the school this was for' } }
    const { used } = await trx
      .selectFrom('delivery_records')
      .select(sql<number>`coalesce(sum(units), 0)::float8`.as('used'))
      .where('authority_id', '=', scope.authorityId)
      .where('order_line_id', '=', lineId)
      .executeTakeFirstOrThrow()
    // Half units are exact in hundredths.
    const usedH = Math.round(Number(used) * 100)
    const leftH = Math.round(line.quantity * 100) - usedH
    const overBought = usedH + Math.round(input.units * 100) > Math.round(line.quantity * 100)
    if (overBought && line.invoice_schedule !== 'on_delivery') {
      const left = Math.max(0, leftH) / 100
      return {
        ok: false as const,
        errors: {
          units:
            left === 0
              ? `All ${quantityText(line.quantity, line.unit_one, line.unit_other)} on this order have been recorded: you cannot record more`
              : `You can record at most ${quantityText(left, line.unit_one, line.unit_other).replace(' ', ' more ')} on this order`,
        },
      }
    }
    const record = await trx
      .insertInto('delivery_records')
      .values({
        authority_id: scope.authorityId,
        order_line_id: lineId,
        delivered_on: input.deliveredOn,
        units: input.units,
        hours: input.hours,
        practitioner: input.practitioner,
        note: input.note,
        school_id: forSchool,
        recorded_by: actorUserId,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return { ok: true as const, recordId: record.id, overBought }
  })
}

/** The school, when it is a member of the cluster. */
async function memberOf(trx: DB, authorityId: string, clusterId: string, schoolId: string | null): Promise<string | null> {
  if (!schoolId) return null
  const row = await trx
    .selectFrom('cluster_members')
    .select('school_id')
    .where('authority_id', '=', authorityId)
    .where('cluster_id', '=', clusterId)
    .where('school_id', '=', schoolId)
    .executeTakeFirst()
  return row?.school_id ?? null
}
