import { clock } from '~/utils/clock'
import { randomUUID } from 'node:crypto'
import type { DB } from '../../db/connection'
import type { InvoiceSchedule, OrderStatus } from '../../db/schema'
import { DEMO_PASSWORD_HASH } from '../../db/seed/factories'
import { createSession } from '../../app/utils/session.server'
import { insertTestSchool } from './schools'

/**
 * A throwaway corner of Coventry for tests that change orders on the shared
 * integration database: its own school (with a business manager and a
 * headteacher), its own team with room for `roomForDays` EP-style days in
 * 2026/27, a service led by its own service lead, and one offer. Demo data is
 * never touched.
 */
export async function buildOrderFixture(
  db: DB,
  options: {
    roomForDays: number
    invoiceSchedule?: InvoiceSchedule
    noticeDays?: number
    lateFeePercent?: number
  },
) {
  const run = randomUUID().slice(0, 8)
  const authority = await db.selectFrom('authorities').select('id').where('slug', '=', 'coventry').executeTakeFirstOrThrow()
  const a = authority.id
  const category = await db.selectFrom('categories').select('id').where('authority_id', '=', a).orderBy('position').executeTakeFirstOrThrow()
  const team = await db
    .insertInto('teams')
    .values({ authority_id: a, slug: `t-${run}`, name: `Test team ${run}` })
    .returning('id')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('team_years')
    .values({
      authority_id: a,
      team_id: team.id,
      trading_year: 2026,
      establishment_fte: options.roomForDays / 100,
      chargeable_hours_per_fte: 650,
      sessional_hours: 0,
      cost_per_fte_pence: 6_000_000,
    })
    .execute()
  const service = await db
    .insertInto('services')
    .values({
      authority_id: a,
      slug: `s-${run}`,
      name: `Test service ${run}`,
      category_id: category.id,
      team_id: team.id,
      summary: 'A test service',
      description: 'A test service',
      contact_name: 'Test',
      contact_email: 'test@coventry.example',
      is_published: false,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const offer = await db
    .insertInto('offers')
    .values({
      authority_id: a,
      service_id: service.id,
      slug: 'day',
      name: 'Day',
      pricing_model: 'per_unit',
      unit_one: 'day',
      unit_other: 'days',
      hours_per_unit: 6.5,
      repeatable: true,
      vat_category: 'exempt',
      invoice_schedule: options.invoiceSchedule ?? 'annual_in_advance',
      cancellation_notice_days: options.noticeDays ?? 30,
      late_cancellation_fee_percent: options.lateFeePercent ?? 50,
      is_published: false,
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const school = await insertTestSchool(db, {
    authority_id: a,
    name: `Test School ${run}`,
    phase: 'primary',
    school_type: 'maintained',
    pupil_count: 300,
    approval_limit_pence: 250_000,
    finance_route: 'internal_recharge',
  })
  const user = async (role: 'school_buyer' | 'school_approver' | 'service_lead', label: string, schoolId: string | null) => {
    const row = await db
      .insertInto('users')
      .values({
        authority_id: a,
        email: `${label}.${run}@test.example`,
        name: `${label} ${run}`,
        password_hash: DEMO_PASSWORD_HASH,
        school_id: schoolId,
      })
      .returning(['id', 'email'])
      .executeTakeFirstOrThrow()
    await db.insertInto('user_roles').values({ authority_id: a, user_id: row.id, role }).execute()
    return row
  }
  const buyer = await user('school_buyer', 'buyer', school.id)
  const head = await user('school_approver', 'head', school.id)
  const lead = await user('service_lead', 'lead', null)
  await db.insertInto('service_leads').values({ authority_id: a, service_id: service.id, user_id: lead.id }).execute()

  let orderNumber = 0
  /** An order of one or more lines of `quantity` days each, in the given state. */
  async function order(input: {
    status: OrderStatus
    lines: { quantity: number; periodStart?: string; status?: OrderStatus }[]
    schoolId?: string
    createdBy?: string | null
  }) {
    orderNumber += 1
    const net = input.lines.reduce((n, l) => n + l.quantity * 55_000, 0)
    const row = await db
      .insertInto('orders')
      .values({
        authority_id: a,
        reference: `T-${run}-${orderNumber}`,
        school_id: input.schoolId ?? school.id,
        status: input.status,
        created_by: input.createdBy === undefined ? buyer.id : input.createdBy,
        submitted_by: input.createdBy === undefined ? buyer.id : input.createdBy,
        submitted_at: clock.now(),
        po_number: 'PO-TEST',
        net_pence: net,
        gross_pence: net,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const lines = await db
      .insertInto('order_lines')
      .values(
        input.lines.map((l) => ({
          authority_id: a,
          order_id: row.id,
          offer_id: offer.id,
          status: l.status ?? input.status,
          trading_year: 2026,
          period_start: l.periodStart ?? '2026-04-01',
          period_end: '2027-03-31',
          quantity: l.quantity,
          hours: l.quantity * 6.5,
          unit_price_pence: 55_000,
          net_pence: l.quantity * 55_000,
          vat_rate_basis_points: 0,
          vat_pence: 0,
          gross_pence: l.quantity * 55_000,
          price_explanation: `${l.quantity} days at £550`,
        })),
      )
      .returning('id')
      .execute()
    return { id: row.id, reference: `T-${run}-${orderNumber}`, lineIds: lines.map((l) => l.id) }
  }

  async function cookieFor(userId: string) {
    const setCookie = await createSession(db, new Request('http://localhost/'), { id: userId, authorityId: a }, '127.0.0.1')
    return setCookie.split(';')[0]!
  }

  async function emails(orderId: string) {
    return db
      .selectFrom('email_messages')
      .select(['to_address', 'template', 'idempotency_key', 'subject', 'text'])
      .where('authority_id', '=', a)
      .where('idempotency_key', 'like', `order:${orderId}:%`)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
  }

  return {
    run,
    authorityId: a,
    teamId: team.id,
    serviceId: service.id,
    offerId: offer.id,
    schoolId: school.id,
    buyer,
    head,
    lead,
    order,
    cookieFor,
    emails,
  }
}

export type OrderFixture = Awaited<ReturnType<typeof buildOrderFixture>>

export { settle } from './answers'

export function get(path: string, cookie: string) {
  return new Request(`http://localhost${path}`, { headers: { Cookie: cookie } })
}

export function post(path: string, fields: Record<string, string>, cookie: string) {
  return new Request(`http://localhost${path}`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
  })
}
