import { type ExpressionBuilder, sql } from 'kysely'
import type { DB } from '../../../db/connection'
import type { Database, OrderStatus } from '../../../db/schema'
import type { OrderFilters } from '../../schemas/orders'
import type { AccessScope } from '../shared/access-scope.server'

/**
 * Orders as people read them: the list on /orders (one order's page is in
 * order-detail.server.ts). Every query is
 * limited to the user's authority and then to what the user may see:
 *
 * - a school user (business manager, headteacher): their own school's orders;
 * - finance officers and LA administrators: every order of their authority;
 * - a service lead: the orders holding at least one line of a service they lead.
 *
 * Baskets (draft orders) are not orders yet: they are never listed here.
 */
type OrdersEB = ExpressionBuilder<Database & { o: Database['orders'] }, 'o'>

/** The scope as a condition on `orders as o`. */
export function inScope(eb: OrdersEB, scope: AccessScope) {
  const conditions = [eb('o.authority_id', '=', scope.authorityId), eb('o.status', '!=', 'draft')]
  if (scope.kind === 'school') conditions.push(eb('o.school_id', '=', scope.schoolId))
  if (scope.kind === 'schools') {
    if (scope.schoolIds.length === 0) return sql<boolean>`false`
    conditions.push(eb('o.school_id', 'in', [...scope.schoolIds]))
  }
  if (scope.kind === 'services') {
    if (scope.serviceIds.length === 0) return sql<boolean>`false`
    conditions.push(
      eb.exists(
        eb
          .selectFrom('order_lines as sl')
          .innerJoin('offers as sf', (j) => j.onRef('sf.authority_id', '=', 'sl.authority_id').onRef('sf.id', '=', 'sl.offer_id'))
          .select(sql`1`.as('one'))
          .whereRef('sl.authority_id', '=', 'o.authority_id')
          .whereRef('sl.order_id', '=', 'o.id')
          .where('sf.service_id', 'in', [...scope.serviceIds]),
      ),
    )
  }
  return eb.and(conditions)
}

export type OrderSummary = {
  id: string
  reference: string
  schoolName: string
  status: OrderStatus
  orderedAt: Date
  tradingYears: number[]
  lineCount: number
  grossPence: number
}

export const ORDERS_PAGE_SIZE = 50

/**
 * One page of the orders the scope may see, newest first, filtered by
 * trading year (orders with a line in it) and school.
 */
export async function listOrders(
  db: DB,
  scope: AccessScope,
  filters: OrderFilters,
): Promise<{ orders: OrderSummary[]; total: number; page: number; pageCount: number }> {
  const base = db
    .selectFrom('orders as o')
    .where((eb) => inScope(eb, scope))
    .$if(filters.schoolId !== undefined, (q) => q.where('o.school_id', '=', filters.schoolId as string))
    .$if(filters.year !== undefined, (q) =>
      q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('order_lines as yl')
            .select(sql`1`.as('one'))
            .whereRef('yl.authority_id', '=', 'o.authority_id')
            .whereRef('yl.order_id', '=', 'o.id')
            .where('yl.trading_year', '=', filters.year as number),
        ),
      ),
    )
  const { total } = await base.select(sql<number>`count(*)::int`.as('total')).executeTakeFirstOrThrow()
  const pageCount = Math.max(1, Math.ceil(total / ORDERS_PAGE_SIZE))
  const page = Math.min(filters.page, pageCount)
  const rows = await base
    .innerJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'o.authority_id').onRef('s.id', '=', 'o.school_id'))
    .select((eb) => [
      'o.id',
      'o.reference',
      'o.status',
      'o.gross_pence',
      'o.submitted_at',
      'o.created_at',
      's.name as school_name',
      eb
        .selectFrom('order_lines as l')
        .select(sql<number>`count(*)::int`.as('n'))
        .whereRef('l.authority_id', '=', 'o.authority_id')
        .whereRef('l.order_id', '=', 'o.id')
        .as('line_count'),
      eb
        .selectFrom('order_lines as l')
        .select(sql<number[]>`array_agg(distinct l.trading_year order by l.trading_year)`.as('years'))
        .whereRef('l.authority_id', '=', 'o.authority_id')
        .whereRef('l.order_id', '=', 'o.id')
        .as('trading_years'),
    ])
    .orderBy(sql`coalesce(o.submitted_at, o.created_at)`, 'desc')
    .orderBy('o.reference', 'desc')
    .limit(ORDERS_PAGE_SIZE)
    .offset((page - 1) * ORDERS_PAGE_SIZE)
    .execute()
  return {
    total,
    page,
    pageCount,
    orders: rows.map((r) => ({
      id: r.id,
      reference: r.reference,
      schoolName: r.school_name,
      status: r.status,
      orderedAt: r.submitted_at ?? r.created_at,
      tradingYears: r.trading_years ?? [],
      lineCount: r.line_count ?? 0,
      grossPence: r.gross_pence,
    })),
  }
}

/** The trading years the scope has orders in, newest first. */
export async function orderTradingYears(db: DB, scope: AccessScope): Promise<number[]> {
  const rows = await db
    .selectFrom('orders as o')
    .innerJoin('order_lines as l', (j) => j.onRef('l.authority_id', '=', 'o.authority_id').onRef('l.order_id', '=', 'o.id'))
    .where((eb) => inScope(eb, scope))
    .select('l.trading_year')
    .distinct()
    .orderBy('l.trading_year', 'desc')
    .execute()
  return rows.map((r) => r.trading_year)
}

/** The authority's schools, by name, for the school filter. */
export async function schoolOptions(db: DB, authorityId: string, only?: readonly string[]): Promise<{ id: string; name: string }[]> {
  if (only && only.length === 0) return []
  return db
    .selectFrom('schools')
    .select(['id', 'name'])
    .where('authority_id', '=', authorityId)
    .$if(only !== undefined, (q) => q.where('id', 'in', [...only!]))
    .orderBy('name')
    .orderBy('id')
    .execute()
}
