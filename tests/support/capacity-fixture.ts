import type { DB } from '../../db/connection'

/**
 * A small authority with one team that has room for exactly `roomForDays`
 * EP days (6.5 hours each) in 2026/27, and `lines` submitted one-day order
 * lines waiting to be confirmed. Shared by the contention test and the
 * checkout benchmark.
 */
export async function buildCapacityFixture(db: DB, options: { slug: string; roomForDays: number; lines: number }) {
  const [authority] = await db
    .insertInto('authorities')
    .values({ slug: options.slug, name: 'Capacity Test Council', invoice_prefix: 'CAP', contact_email: 'cap@test.example' })
    .returning('id')
    .execute()
  const a = authority!.id
  const [category] = await db.insertInto('categories').values({ authority_id: a, slug: 'send', name: 'SEND' }).returning('id').execute()
  const [team] = await db.insertInto('teams').values({ authority_id: a, slug: 'ep', name: 'EP' }).returning('id').execute()
  // 650 chargeable hours per FTE is 100 days of 6.5 hours: room for N days is N / 100 FTE, exactly.
  await db
    .insertInto('team_years')
    .values({
      authority_id: a,
      team_id: team!.id,
      trading_year: 2026,
      establishment_fte: options.roomForDays / 100,
      chargeable_hours_per_fte: 650,
      sessional_hours: 0,
      cost_per_fte_pence: 6_000_000,
    })
    .execute()
  const [service] = await db
    .insertInto('services')
    .values({
      authority_id: a,
      slug: 'ep',
      name: 'EP',
      category_id: category!.id,
      team_id: team!.id,
      summary: 's',
      description: 'd',
      contact_name: 'c',
      contact_email: 'c@test.example',
    })
    .returning('id')
    .execute()
  const [offer] = await db
    .insertInto('offers')
    .values({
      authority_id: a,
      service_id: service!.id,
      slug: 'day',
      name: 'Day',
      pricing_model: 'per_unit',
      unit_one: 'day',
      unit_other: 'days',
      hours_per_unit: 6.5,
      repeatable: true,
      vat_category: 'standard',
      invoice_schedule: 'on_delivery',
    })
    .returning('id')
    .execute()
  const [school] = await db
    .insertInto('schools')
    .values({
      authority_id: a,
      urn: '999001',
      name: 'Test School',
      phase: 'primary',
      school_type: 'maintained',
      pupil_count: 300,
      approval_limit_pence: 250000,
      finance_route: 'internal_recharge',
    })
    .returning('id')
    .execute()
  const lineIds: string[] = []
  for (let start = 0; start < options.lines; start += 500) {
    const count = Math.min(500, options.lines - start)
    const orders = await db
      .insertInto('orders')
      .values(
        Array.from({ length: count }, (_, i) => ({
          authority_id: a,
          reference: `ORD-T-${String(start + i + 1).padStart(6, '0')}`,
          school_id: school!.id,
          status: 'submitted' as const,
          net_pence: 55000,
          gross_pence: 55000,
        })),
      )
      .returning('id')
      .execute()
    const lines = await db
      .insertInto('order_lines')
      .values(
        orders.map((o) => ({
          authority_id: a,
          order_id: o.id,
          offer_id: offer!.id,
          status: 'submitted' as const,
          trading_year: 2026,
          period_start: '2026-09-01',
          period_end: '2027-03-31',
          quantity: 1,
          hours: 6.5,
          unit_price_pence: 55000,
          net_pence: 55000,
          vat_rate_basis_points: 0,
          vat_pence: 0,
          gross_pence: 55000,
          price_explanation: '1 day at £550',
        })),
      )
      .returning('id')
      .execute()
    lineIds.push(...lines.map((l) => l.id))
  }
  return { authorityId: a, lineIds }
}
