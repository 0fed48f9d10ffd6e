import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database, OrderStatus } from '../../../db/schema'
import type { OrderEmailEvent, OrderEmailLine, OrderEmailProps } from '../../../emails/order-update'
import { formatPence } from '../../domain/money'
import { ORDER_STATUS_TAGS } from '../../schemas/orders'
import { appUrl, queueEmail, type EmailTemplateName } from '../../utils/email.server'
import { formatDate } from '../../utils/format'
import { quantityText } from '../../domain/quantities'

export type { OrderEmailEvent } from '../../../emails/order-update'

/**
 * The emails about an order (docs/product.md): queued in the caller's
 * transaction (or one of its own, given the pool) so that they are sent if
 * and only if what they announce is committed. Inside a transaction the job
 * queue must already be started (see enqueue in app/utils/jobs.server.ts).
 *
 * Who gets them:
 * - the school's business manager(s) who ordered (orders.created_by and
 *   submitted_by), else the school's active business managers;
 * - 'awaiting_approval': the school's active headteachers;
 * - 'approved' and 'rejected': both.
 *
 * Idempotent: each message is keyed `order:<orderId>:<event>[:<lineIds>]:<userId>`,
 * so announcing the same thing twice sends nothing new.
 */
export async function queueOrderEmails(
  trx: Kysely<Database>,
  input: { authorityId: string; orderId: string; event: OrderEmailEvent; reason?: string; lineIds?: string[] },
): Promise<void> {
  const { authorityId, orderId, event } = input
  if (input.lineIds && input.lineIds.length === 0) return
  const order = await orderForEmail(trx, authorityId, orderId)
  if (!order) throw new Error(`queueOrderEmails: no order ${orderId}`)
  const decidedBy = event === 'rejected' ? await rejectedBy(trx, authorityId, orderId) : order.decided_by
  const lines = await linesForEmail(trx, authorityId, orderId, input.lineIds)
  if (lines.length === 0) return
  const recipients = await recipientsFor(trx, authorityId, order, event)
  if (recipients.length === 0) return

  const fees = lines.reduce((n, l) => n + l.cancellation_fee_pence, 0)
  const total =
    order.vat_pence > 0
      ? `${formatPence(order.gross_pence)} (${formatPence(order.net_pence)} plus ${formatPence(order.vat_pence)} VAT)`
      : `${formatPence(order.gross_pence)} (no VAT)`
  const lineKey = input.lineIds ? `:${keyOfLines(lines.map((l) => l.id))}` : ''
  for (const recipient of recipients) {
    const props: OrderEmailProps = {
      authorityName: order.authority_name,
      contactEmail: order.contact_email,
      recipientName: recipient.name,
      audience: recipient.audience,
      reference: order.reference,
      schoolName: order.school_name,
      orderedBy: order.ordered_by ?? undefined,
      poNumber: order.po_number ?? undefined,
      decidedBy: event === 'approved' || event === 'rejected' ? (decidedBy ?? undefined) : undefined,
      reason: event === 'rejected' ? (input.reason ?? order.rejection_reason ?? undefined) : input.reason,
      lines: lines.map(emailLine),
      total,
      cancellationFee: event === 'cancelled' && fees > 0 ? formatPence(fees) : undefined,
      orderUrl: appUrl(`/orders/${order.id}`),
      approvalsUrl: appUrl('/approvals'),
    }
    await queueEmail(trx, {
      authorityId,
      template: TEMPLATES[event],
      to: recipient.email,
      props,
      idempotencyKey: `order:${orderId}:${event}${lineKey}:${recipient.id}`,
    })
  }
}

function orderForEmail(trx: Kysely<Database>, authorityId: string, orderId: string) {
  return trx
    .selectFrom('orders as o')
    .innerJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'o.authority_id').onRef('s.id', '=', 'o.school_id'))
    .innerJoin('authorities as a', 'a.id', 'o.authority_id')
    .leftJoin('users as ub', (j) =>
      j.onRef('ub.authority_id', '=', 'o.authority_id').on((eb) => eb('ub.id', '=', eb.fn.coalesce('o.submitted_by', 'o.created_by'))),
    )
    .leftJoin('users as ua', (j) => j.onRef('ua.authority_id', '=', 'o.authority_id').onRef('ua.id', '=', 'o.approved_by'))
    .select([
      'o.id',
      'o.reference',
      'o.school_id',
      'o.trust_id',
      'o.trust_order_id',
      'o.po_number',
      'o.created_by',
      'o.submitted_by',
      'o.rejection_reason',
      'o.net_pence',
      'o.vat_pence',
      'o.gross_pence',
      's.name as school_name',
      'a.name as authority_name',
      'a.contact_email',
      'ub.name as ordered_by',
      'ua.name as decided_by',
    ])
    .where('o.authority_id', '=', authorityId)
    .where('o.id', '=', orderId)
    .executeTakeFirst()
}

/** Who rejected the order: the person on its latest move to rejected. */
async function rejectedBy(trx: Kysely<Database>, authorityId: string, orderId: string): Promise<string | null> {
  const rejection = await trx
    .selectFrom('order_events as e')
    .innerJoin('users as u', (j) => j.onRef('u.authority_id', '=', 'e.authority_id').onRef('u.id', '=', 'e.actor_user_id'))
    .select('u.name')
    .where('e.authority_id', '=', authorityId)
    .where('e.order_id', '=', orderId)
    .where('e.to_status', '=', 'rejected')
    .orderBy('e.created_at', 'desc')
    .executeTakeFirst()
  return rejection?.name ?? null
}

/** The order's lines (or some of them) as the email lists them. */
function linesForEmail(trx: Kysely<Database>, authorityId: string, orderId: string, lineIds?: string[]) {
  let query = trx
    .selectFrom('order_lines as l')
    .innerJoin('offers as f', (j) => j.onRef('f.authority_id', '=', 'l.authority_id').onRef('f.id', '=', 'l.offer_id'))
    .innerJoin('services as sv', (j) => j.onRef('sv.authority_id', '=', 'f.authority_id').onRef('sv.id', '=', 'f.service_id'))
    .leftJoin('courses as c', (j) => j.onRef('c.authority_id', '=', 'l.authority_id').onRef('c.id', '=', 'l.course_id'))
    .select([
      'l.id',
      'l.status',
      'l.quantity',
      'l.period_start',
      'l.period_end',
      'l.gross_pence',
      'l.cancellation_fee_pence',
      'f.name as offer_name',
      'f.unit_one',
      'f.unit_other',
      'sv.name as service_name',
      'c.title as course_title',
      'c.starts_at as course_starts_at',
      'c.venue as course_venue',
    ])
    .where('l.authority_id', '=', authorityId)
    .where('l.order_id', '=', orderId)
  if (lineIds) query = query.where('l.id', 'in', lineIds)
  return query.orderBy('sv.name').orderBy('l.period_start').orderBy('l.id').execute()
}

function emailLine(l: Awaited<ReturnType<typeof linesForEmail>>[number]): OrderEmailLine {
  return {
    description: `${l.service_name}: ${l.offer_name}`,
    quantity: quantityText(l.quantity, l.unit_one, l.unit_other),
    when: l.course_title
      ? `${l.course_title}, ${formatDate(l.course_starts_at!)}, ${l.course_venue ?? ''}`.replace(/, $/, '')
      : l.period_start === l.period_end
        ? formatDate(l.period_start)
        : `${formatDate(l.period_start)} to ${formatDate(l.period_end)}`,
    total: formatPence(l.gross_pence),
    status: lineStatusText(l.status),
    fee: l.cancellation_fee_pence > 0 ? `Cancellation charge ${formatPence(l.cancellation_fee_pence)}` : undefined,
  }
}

const TEMPLATES: Record<OrderEmailEvent, EmailTemplateName> = {
  received: 'order-received',
  awaiting_approval: 'order-awaiting-approval',
  approved: 'order-approved',
  rejected: 'order-rejected',
  confirmed: 'order-confirmed',
  waitlisted: 'order-waitlisted',
  promoted: 'order-promoted',
  cancelled: 'order-cancelled',
}

function lineStatusText(status: OrderStatus): string {
  if (status === 'waitlisted') return 'On the waiting list'
  return ORDER_STATUS_TAGS[status].label
}

/** The lines in a key: their ids, or a digest of them when there are many. */
function keyOfLines(ids: string[]): string {
  const sorted = [...ids].sort()
  if (sorted.length <= 3) return sorted.join(',')
  return createHash('sha256').update(sorted.join(',')).digest('hex').slice(0, 32)
}

type Recipient = { id: string; email: string; name: string; audience: 'buyer' | 'approver' }

async function recipientsFor(
  trx: Kysely<Database>,
  authorityId: string,
  order: { school_id: string; trust_id: string | null; trust_order_id: string | null; created_by: string | null; submitted_by: string | null },
  event: OrderEmailEvent,
): Promise<Recipient[]> {
  const wantBuyers = event !== 'awaiting_approval'
  const wantApprovers = event === 'awaiting_approval' || event === 'approved' || event === 'rejected'
  const found: Recipient[] = []
  if (wantBuyers) {
    const orderedBy = [order.created_by, order.submitted_by].filter((id): id is string => id !== null)
    let buyers = orderedBy.length
      ? await trx
          .selectFrom('users')
          .select(['id', 'email', 'name'])
          .where('authority_id', '=', authorityId)
          .where('id', 'in', orderedBy)
          .where('is_active', '=', true)
          .orderBy('email')
          .execute()
      : []
    if (buyers.length === 0) buyers = await schoolUsersWithRole(trx, authorityId, order.school_id, 'school_buyer')
    found.push(...buyers.map((u) => ({ ...u, audience: 'buyer' as const })))
  }
  if (wantApprovers) {
    // A trust's order is approved by the trust's approvers, not the school's headteachers.
    const approvers =
      order.trust_order_id && order.trust_id
        ? await trustUsersWithRole(trx, authorityId, order.trust_id, 'trust_approver')
        : await schoolUsersWithRole(trx, authorityId, order.school_id, 'school_approver')
    found.push(...approvers.map((u) => ({ ...u, audience: 'approver' as const })))
  }
  // One email per person, even when they ordered and approve.
  const seen = new Set<string>()
  return found.filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)))
}

/** A school's active users with a role, by email. */
export async function schoolUsersWithRole(trx: Kysely<Database>, authorityId: string, schoolId: string, role: 'school_buyer' | 'school_approver') {
  return trx
    .selectFrom('users as u')
    .innerJoin('user_roles as r', (j) => j.onRef('r.authority_id', '=', 'u.authority_id').onRef('r.user_id', '=', 'u.id'))
    .select(['u.id', 'u.email', 'u.name'])
    .where('u.authority_id', '=', authorityId)
    .where('u.school_id', '=', schoolId)
    .where('u.is_active', '=', true)
    .where('r.role', '=', role)
    .orderBy('u.email')
    .execute()
}

/** A trust's active users with a role, by email. */
export async function trustUsersWithRole(trx: Kysely<Database>, authorityId: string, trustId: string, role: 'trust_buyer' | 'trust_approver') {
  return trx
    .selectFrom('users as u')
    .innerJoin('user_roles as r', (j) => j.onRef('r.authority_id', '=', 'u.authority_id').onRef('r.user_id', '=', 'u.id'))
    .select(['u.id', 'u.email', 'u.name'])
    .where('u.authority_id', '=', authorityId)
    .where('u.trust_id', '=', trustId)
    .where('u.is_active', '=', true)
    .where('r.role', '=', role)
    .orderBy('u.email')
    .execute()
}
