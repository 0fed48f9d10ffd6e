import { clock } from '~/utils/clock'
import { randomUUID } from 'node:crypto'
import type { DB } from '../../db/connection'
import type { FinanceRoute, InvoiceStatus, Role } from '../../db/schema'
import { DEMO_PASSWORD_HASH } from '../../db/seed/factories'
import { invoiceNumber, creditNoteNumber, settledStatus } from '../../app/domain/invoicing'
import { createSession } from '../../app/utils/session.server'

/**
 * An authority of its own for finance tests on the shared integration
 * database: its journals, aged debt, unmatched payments and invoice numbers
 * are nobody else's, so tests can count them exactly while other files run.
 * It has two services (with income codes), two maintained schools (with cost
 * centres) and an academy, a finance officer, an LA administrator and a
 * business manager at the first maintained school and at the academy.
 * Invoices and credit notes are written directly, numbered from 1.
 */
export async function buildInvoiceFixture(db: DB) {
  const run = randomUUID().slice(0, 8)
  const letters = run
    .replace(/[^a-f]/g, '')
    .toUpperCase()
    .padEnd(3, 'X')
    .slice(0, 3)
  const prefix = `F${letters}`
  const authority = await db
    .insertInto('authorities')
    .values({
      slug: `finance-${run}`,
      name: `Finance Test Council ${run}`,
      invoice_prefix: prefix,
      vat_number: 'GB 999 9999 99',
      contact_email: `finance-${run}@test.example`,
      contact_phone: '0100 000 0000',
      address: 'Council House, Finance Street, Testtown',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  const a = authority.id
  const category = await db
    .insertInto('categories')
    .values({ authority_id: a, slug: 'send', name: 'SEND support' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const team = await db
    .insertInto('teams')
    .values({ authority_id: a, slug: 'ep', name: 'Educational Psychology' })
    .returning('id')
    .executeTakeFirstOrThrow()
  const service = async (slug: string, name: string, incomeCode: string) =>
    (
      await db
        .insertInto('services')
        .values({
          authority_id: a,
          slug,
          name,
          category_id: category.id,
          team_id: team.id,
          summary: name,
          description: name,
          contact_name: 'Test',
          contact_email: 'test@test.example',
          income_code: incomeCode,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
  const services = {
    ep: await service('educational-psychology', 'Educational Psychology', 'INC-EP01'),
    music: await service('music', 'Music, "Strings" & more', 'INC-MUS01'),
  }
  const school = async (name: string, urn: string, type: 'maintained' | 'academy', costCentre: string | null) =>
    (
      await db
        .insertInto('schools')
        .values({
          authority_id: a,
          urn,
          name,
          phase: 'primary',
          school_type: type,
          pupil_count: 300,
          approval_limit_pence: 250_000,
          finance_route: type === 'academy' ? 'invoice' : 'internal_recharge',
          cost_centre: costCentre,
          address_line1: '1 School Lane',
          town: 'Testtown',
          postcode: 'TT1 1TT',
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id
  const schools = {
    oak: await school('Oak Primary, Testtown', '800001', 'maintained', 'CC-8001'),
    ash: await school('Ash Primary', '800002', 'maintained', 'CC-8002'),
    elm: await school('Elm Academy', '800003', 'academy', null),
  }
  const user = async (label: string, role: Role, schoolId: string | null) => {
    const row = await db
      .insertInto('users')
      .values({
        authority_id: a,
        email: `${label}.${run}@test.example`,
        name: `${label} ${run}`,
        password_hash: DEMO_PASSWORD_HASH,
        school_id: schoolId,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db.insertInto('user_roles').values({ authority_id: a, user_id: row.id, role }).execute()
    return row.id
  }
  const users = {
    finance: await user('finance', 'finance', null),
    admin: await user('admin', 'la_admin', null),
    oakBuyer: await user('oak-buyer', 'school_buyer', schools.oak),
    elmBuyer: await user('elm-buyer', 'school_buyer', schools.elm),
  }

  let orderCount = 0
  async function order(schoolId: string, po: string | null = 'PO-1') {
    orderCount += 1
    const reference = `ORD-2026-${String(orderCount).padStart(5, '0')}`
    const row = await db
      .insertInto('orders')
      .values({
        authority_id: a,
        reference,
        school_id: schoolId,
        status: 'confirmed',
        po_number: po,
        submitted_at: clock.now(),
        net_pence: 0,
        gross_pence: 0,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return { id: row.id, reference }
  }

  async function journal(month: string) {
    await db
      .insertInto('recharge_journals')
      .values({ authority_id: a, month })
      .onConflict((oc) => oc.columns(['authority_id', 'month']).doNothing())
      .execute()
    return (await db.selectFrom('recharge_journals').select('id').where('authority_id', '=', a).where('month', '=', month).executeTakeFirstOrThrow())
      .id
  }

  let invoiceCount = 0
  /** An issued invoice: lines of `netPence` at `vatRate` basis points; a journal month for internal recharge. */
  async function invoice(input: {
    schoolId: string
    route?: FinanceRoute
    status?: InvoiceStatus
    issuedAt?: string
    dueOn: string
    orderId?: string | null
    poNumber?: string | null
    journalMonth?: string
    lines: { serviceId?: string; description: string; netPence: number; vatRate?: number; quantity?: number }[]
    amountPaidPence?: number
    stripeHostedInvoiceUrl?: string | null
  }) {
    invoiceCount += 1
    const lines = input.lines.map((l) => {
      const vat = Math.round((l.netPence * (l.vatRate ?? 0)) / 10_000)
      return { ...l, vatPence: vat, grossPence: l.netPence + vat }
    })
    const net = lines.reduce((n, l) => n + l.netPence, 0)
    const vat = lines.reduce((n, l) => n + l.vatPence, 0)
    const route = input.route ?? 'internal_recharge'
    const number = invoiceNumber(prefix, invoiceCount)
    const row = await db
      .insertInto('invoices')
      .values({
        authority_id: a,
        number,
        sequence_number: invoiceCount,
        school_id: input.schoolId,
        order_id: input.orderId ?? null,
        route,
        status: input.status ?? 'open',
        trading_year: 2026,
        issued_at: input.issuedAt ?? '2026-11-02T10:00:00Z',
        due_on: input.dueOn,
        net_pence: net,
        vat_pence: vat,
        gross_pence: net + vat,
        amount_paid_pence: input.amountPaidPence ?? 0,
        po_number: input.poNumber ?? null,
        journal_id: input.journalMonth ? await journal(input.journalMonth) : null,
        stripe_status: route === 'invoice' ? (input.stripeHostedInvoiceUrl ? 'sent' : 'not_configured') : 'not_applicable',
        stripe_hosted_invoice_url: input.stripeHostedInvoiceUrl ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const lineRows = await db
      .insertInto('invoice_lines')
      .values(
        lines.map((l) => ({
          authority_id: a,
          invoice_id: row.id,
          service_id: l.serviceId ?? services.ep,
          description: l.description,
          quantity: l.quantity ?? 1,
          unit_price_pence: l.netPence,
          net_pence: l.netPence,
          vat_rate_basis_points: l.vatRate ?? 0,
          vat_pence: l.vatPence,
          gross_pence: l.grossPence,
        })),
      )
      .returning('id')
      .execute()
    return { id: row.id, number, grossPence: net + vat, lineIds: lineRows.map((l) => l.id) }
  }

  let creditCount = 0
  /** A credit note against an invoice (and its line), settling the invoice's status as the issuing code does. */
  async function creditNote(input: { invoiceId: string; lineId?: string; grossPence: number; reason: string; journalMonth?: string }) {
    creditCount += 1
    const number = creditNoteNumber(prefix, creditCount)
    const row = await db
      .insertInto('credit_notes')
      .values({
        authority_id: a,
        number,
        sequence_number: creditCount,
        invoice_id: input.invoiceId,
        invoice_line_id: input.lineId ?? null,
        reason: input.reason,
        net_pence: input.grossPence,
        vat_pence: 0,
        gross_pence: input.grossPence,
        journal_id: input.journalMonth ? await journal(input.journalMonth) : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const invoice = await db
      .selectFrom('invoices')
      .select(['status', 'gross_pence', 'amount_paid_pence', 'amount_credited_pence'])
      .where('authority_id', '=', a)
      .where('id', '=', input.invoiceId)
      .executeTakeFirstOrThrow()
    const credited = invoice.amount_credited_pence + input.grossPence
    await db
      .updateTable('invoices')
      .set({
        amount_credited_pence: credited,
        status: settledStatus(invoice.status, {
          grossPence: invoice.gross_pence,
          amountPaidPence: invoice.amount_paid_pence,
          amountCreditedPence: credited,
        }),
      })
      .where('authority_id', '=', a)
      .where('id', '=', input.invoiceId)
      .execute()
    return { id: row.id, number }
  }

  async function invoiceRow(id: string) {
    return db
      .selectFrom('invoices')
      .select(['status', 'amount_paid_pence', 'amount_credited_pence', 'paid_at', 'gross_pence'])
      .where('authority_id', '=', a)
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  }

  async function cookieFor(userId: string) {
    const setCookie = await createSession(db, new Request('http://localhost/'), { id: userId, authorityId: a }, '127.0.0.1')
    return setCookie.split(';')[0]!
  }

  /** Another school, for a test that needs one to itself. */
  async function addSchool(name: string, urn: string, type: 'maintained' | 'academy') {
    return school(name, urn, type, type === 'maintained' ? `CC-${urn}` : null)
  }

  return { run, prefix, authorityId: a, services, schools, users, order, journal, invoice, creditNote, invoiceRow, addSchool, cookieFor }
}

export type InvoiceFixture = Awaited<ReturnType<typeof buildInvoiceFixture>>
