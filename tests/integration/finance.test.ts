import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clock } from '~/utils/clock'
import { addDays } from '~/domain/dates'
import { monthOf, nextMonth } from '~/domain/invoicing'
import { postJournal } from '~/models/billing/journals.server'
import { loader as financeLoader } from '~/routes/finance._index'
import { loader as agedDebtLoader } from '~/routes/finance.aged-debt'
import { loader as agedDebtCsvLoader } from '~/routes/finance.aged-debt[.csv]'
import { loader as invoicesLoader } from '~/routes/finance.invoices'
import { loader as invoicesCsvLoader } from '~/routes/finance.invoices[.csv]'
import { action as invoiceAction, loader as invoiceLoader } from '~/routes/finance.invoices_.$invoiceId'
import { action as paymentAction } from '~/routes/finance.reconciliation.payments.$paymentId'
import { action as settingsAction } from '~/routes/la.admin.settings'
import { action as journalAction, loader as journalLoader } from '~/routes/finance.journals.$month'
import { loader as journalCsvLoader } from '~/routes/finance.journals.$month[.csv]'
import { loader as journalsLoader } from '~/routes/finance.journals._index'
import { action as reconciliationAction, loader as reconciliationLoader } from '~/routes/finance.reconciliation._index'
import { loader as payoutLoader } from '~/routes/finance.reconciliation.payouts.$payoutId'
import { action as remittanceAction, loader as remittanceLoader } from '~/routes/finance.reconciliation.remittance'
import { loader as orderLoader } from '~/routes/orders.$orderId'
import { getDb } from '~/utils/db.server'
import { getBoss, jobQueueSchema } from '~/utils/jobs.server'
import { testServerUrl } from '../support/database'
import { buildInvoiceFixture, type InvoiceFixture } from '../support/invoice-fixture'
import { get, settle } from '../support/order-fixture'

// Finance's pages (/finance/*) through their
// loaders and actions, on an authority of the tests' own (so that journals,
// aged debt and unallocated payments can be counted exactly).

let f: InvoiceFixture
const cookies: Record<'finance' | 'admin' | 'oakBuyer' | 'elmBuyer', string> = { finance: '', admin: '', oakBuyer: '', elmBuyer: '' }
const today = clock.today()
/** Last month: its journal can be posted today. */
const lastMonth = monthOf(addDays(monthOf(today), -1))
const slug = (month: string) => month.slice(0, 7)

type Fn = (args: any) => unknown
const context = { clientIp: '127.0.0.1' }
const load = (loader: Fn, path: string, cookie: string, params: Record<string, string> = {}) =>
  settle(loader({ request: get(path, cookie), params, context }))

function postForm(path: string, entries: [string, string][], cookie: string) {
  const body = new URLSearchParams()
  for (const [k, v] of entries) body.append(k, v)
  return new Request(`http://localhost${path}`, {
    method: 'POST',
    body,
    headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
  })
}
const act = (action: Fn, path: string, entries: [string, string][], cookie: string, params: Record<string, string> = {}) =>
  settle(action({ request: postForm(path, entries, cookie), params, context }))

/** The text of a CSV download, with its headers. */
async function download(loader: Fn, path: string, cookie: string, params: Record<string, string> = {}) {
  const response = (await loader({ request: get(path, cookie), params, context })) as Response
  expect(response).toBeInstanceOf(Response)
  const text = await response.text()
  return {
    response,
    text,
    lines: text
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .slice(0, -1),
  }
}

beforeAll(async () => {
  const db = await getDb()
  await getBoss()
  f = await buildInvoiceFixture(db)
  cookies.finance = await f.cookieFor(f.users.finance)
  cookies.admin = await f.cookieFor(f.users.admin)
  cookies.oakBuyer = await f.cookieFor(f.users.oakBuyer)
  cookies.elmBuyer = await f.cookieFor(f.users.elmBuyer)
})

afterAll(async () => {
  // The fixture's authority is left in place: nothing else reads it, and its rows explain a failure.
})

describe('the invoices list and its CSV', () => {
  let month: string
  beforeAll(async () => {
    month = monthOf(addDays(monthOf(today), -62))
    const order = await f.order(f.schools.oak, 'PO "urgent", 2026')
    await f.invoice({
      schoolId: f.schools.oak,
      orderId: order.id,
      poNumber: 'PO "urgent", 2026',
      issuedAt: `${month.slice(0, 8)}15T11:00:00Z`,
      dueOn: addDays(today, -10),
      lines: [{ serviceId: f.services.music, description: 'Whole-class strings', netPence: 145_000 }],
    })
    // 55 small invoices for Ash, issued this month: more than a page.
    for (let i = 0; i < 55; i += 1) {
      await f.invoice({
        schoolId: f.schools.ash,
        dueOn: addDays(today, 20),
        issuedAt: clock.now().toISOString(),
        lines: [{ description: `Visit ${i}`, netPence: 1_001 }],
      })
    }
  })

  it('filters by service and by the month issued, and marks open invoices past due as overdue', async () => {
    const music = await load(invoicesLoader, `/finance/invoices?service=${f.services.music}`, cookies.finance)
    expect(music.status).toBe(200)
    expect(music.body.invoices.map((i: { schoolName: string }) => i.schoolName)).toEqual(['Oak Primary, Testtown'])
    const inMonth = await load(invoicesLoader, `/finance/invoices?month=${slug(month)}`, cookies.finance)
    expect(inMonth.body.total).toBe(1)
    expect(inMonth.body.months.map((m: { value: string }) => m.value)).toContain(slug(month))
    const overdue = inMonth.body.invoices[0]
    expect(overdue.dueOn < inMonth.body.today).toBe(true)
    expect(overdue.outstandingPence).toBe(145_000)

    const all = await load(invoicesLoader, `/finance/invoices?school=${f.schools.ash}`, cookies.finance)
    expect(all.body.total).toBe(55)
    expect(all.body.invoices).toHaveLength(50)
  })

  it('reports a service of another authority as not in the list, and shows everything', async () => {
    const db = await getDb()
    const other = await db.selectFrom('services').select('id').where('authority_id', '!=', f.authorityId).limit(1).executeTakeFirstOrThrow()
    const data = await load(invoicesLoader, `/finance/invoices?service=${other.id}&month=2026-13`, cookies.finance)
    expect(data.body.search.errors).toEqual({ service: 'Choose a service from the list', month: 'Choose a month from the list' })
    expect(data.body.total).toBe(56)
  })

  it('exports every invoice the filters choose, without a page limit, quoted, in pounds with two decimals', async () => {
    const { response, lines } = await download(invoicesCsvLoader, `/finance/invoices.csv?school=${f.schools.ash}`, cookies.finance)
    expect(response.headers.get('Content-Type')).toBe('text/csv; charset=utf-8')
    expect(response.headers.get('Content-Disposition')).toMatch(/^attachment; filename="invoices-\d{4}-\d{2}-\d{2}\.csv"$/)
    expect(lines[0]).toBe('Number,Issued,Due,School,URN,Route,Status,Net,VAT,Gross,Paid,Credited,Outstanding,Order reference,PO number')
    expect(lines).toHaveLength(56)
    expect(lines[1]).toMatch(
      new RegExp(
        `^${f.prefix}-\\d{6},\\d{4}-\\d{2}-\\d{2},\\d{4}-\\d{2}-\\d{2},Ash Primary,800002,Internal recharge,Open,10\\.01,0\\.00,10\\.01,0\\.00,0\\.00,10\\.01,,$`,
      ),
    )

    const music = await download(invoicesCsvLoader, `/finance/invoices.csv?service=${f.services.music}`, cookies.finance)
    expect(music.lines).toHaveLength(2)
    expect(music.lines[1]).toContain(
      ',"Oak Primary, Testtown",800001,Internal recharge,Open,1450.00,0.00,1450.00,0.00,0.00,1450.00,ORD-2026-00001,"PO ""urgent"", 2026"',
    )
  })

  it('is refused to a school business manager (403)', async () => {
    expect((await load(invoicesCsvLoader, '/finance/invoices.csv', cookies.oakBuyer)).status).toBe(403)
    expect((await load(invoicesLoader, '/finance/invoices', cookies.oakBuyer)).status).toBe(403)
  })
})

describe('one invoice', () => {
  it('shows the authority, the school, lines with VAT rates, totals, payments and credit notes', async () => {
    const inv = await f.invoice({
      schoolId: f.schools.elm,
      route: 'invoice',
      dueOn: addDays(today, 30),
      poNumber: 'PO-77',
      stripeHostedInvoiceUrl: 'https://invoice.stripe.com/i/test_123',
      lines: [
        { serviceId: f.services.ep, description: 'Consultation day', netPence: 55_000, vatRate: 2000 },
        { serviceId: f.services.music, description: 'Exempt lessons', netPence: 10_000, vatRate: 0 },
      ],
    })
    await f.creditNote({ invoiceId: inv.id, lineId: inv.lineIds[1], grossPence: 10_000, reason: 'Lessons not given' })
    const page = await load(invoiceLoader, `/finance/invoices/${inv.id}`, cookies.finance, { invoiceId: inv.id })
    expect(page.status).toBe(200)
    const d = page.body.invoice
    expect(d.authority).toMatchObject({ vatNumber: 'GB 999 9999 99', address: 'Council House, Finance Street, Testtown' })
    expect(d.school).toMatchObject({ name: 'Elm Academy', urn: '800003', addressLines: ['1 School Lane', 'Testtown', 'TT1 1TT'] })
    expect(d.lines.map((l: { vatRateBasisPoints: number; grossPence: number }) => [l.vatRateBasisPoints, l.grossPence])).toEqual([
      [2000, 66_000],
      [0, 10_000],
    ])
    expect([d.netPence, d.vatPence, d.grossPence, d.outstandingPence]).toEqual([65_000, 11_000, 76_000, 66_000])
    expect(d.creditNotes).toHaveLength(1)
    expect(d.stripe.hostedUrl).toBe('https://invoice.stripe.com/i/test_123')
    expect(page.body.canRecordPayment).toBe(true)
    // The LA administrator reads it but does not record payments.
    expect((await load(invoiceLoader, `/finance/invoices/${inv.id}`, cookies.admin, { invoiceId: inv.id })).body.canRecordPayment).toBe(false)
  })

  it('is not found in another authority', async () => {
    const db = await getDb()
    const other = await db.selectFrom('invoices').select('id').where('authority_id', '!=', f.authorityId).limit(1).executeTakeFirst()
    const id = other?.id ?? '00000000-0000-4000-8000-000000000000'
    expect((await load(invoiceLoader, `/finance/invoices/${id}`, cookies.finance, { invoiceId: id })).status).toBe(404)
  })
})

describe('recharge journals', () => {
  let oak1: Awaited<ReturnType<InvoiceFixture['invoice']>>
  let oak2: Awaited<ReturnType<InvoiceFixture['invoice']>>
  let ash1: Awaited<ReturnType<InvoiceFixture['invoice']>>
  let credit: Awaited<ReturnType<InvoiceFixture['creditNote']>>
  beforeAll(async () => {
    const due = addDays(nextMonth(lastMonth), -1)
    oak1 = await f.invoice({
      schoolId: f.schools.oak,
      dueOn: due,
      journalMonth: lastMonth,
      lines: [{ description: 'EP day, term 2', netPence: 55_000 }],
    })
    oak2 = await f.invoice({
      schoolId: f.schools.oak,
      dueOn: due,
      journalMonth: lastMonth,
      lines: [{ serviceId: f.services.music, description: '=SUM(A1) strings, "group"', netPence: 20_000 }],
    })
    ash1 = await f.invoice({ schoolId: f.schools.ash, dueOn: due, journalMonth: lastMonth, lines: [{ description: 'EP day', netPence: 30_000 }] })
    // A credit of part of oak2, in the same journal: the journal pays what is left.
    credit = await f.creditNote({
      invoiceId: oak2.id,
      lineId: oak2.lineIds[0],
      grossPence: 5_000,
      reason: 'One lesson not given',
      journalMonth: lastMonth,
    })
  })

  it('lists the month with its invoices, credits and total', async () => {
    const list = await load(journalsLoader, '/finance/journals', cookies.finance)
    const row = list.body.journals.find((j: { month: string }) => j.month === lastMonth)
    expect(row).toMatchObject({ status: 'open', invoiceCount: 3, creditNoteCount: 1, totalPence: 55_000 + 20_000 + 30_000 - 5_000 })
  })

  it('exports the journal: cost centre, school, URN, income code, service, document, description, amount (credits negative), total', async () => {
    const { response, lines } = await download(journalCsvLoader, `/finance/journals/${slug(lastMonth)}.csv`, cookies.finance, {
      month: slug(lastMonth),
    })
    expect(response.headers.get('Content-Disposition')).toBe(`attachment; filename="recharge-journal-${slug(lastMonth)}.csv"`)
    const m = slug(lastMonth)
    expect(lines).toEqual([
      'Journal month,School cost centre,School,URN,Service income code,Service,Invoice or credit note,Description,Amount',
      `${m},CC-8002,Ash Primary,800002,INC-EP01,Educational Psychology,${ash1.number},EP day,300.00`,
      `${m},CC-8001,"Oak Primary, Testtown",800001,INC-EP01,Educational Psychology,${oak1.number},"EP day, term 2",550.00`,
      `${m},CC-8001,"Oak Primary, Testtown",800001,INC-MUS01,"Music, ""Strings"" & more",${oak2.number},"'=SUM(A1) strings, ""group""",200.00`,
      `${m},CC-8001,"Oak Primary, Testtown",800001,INC-MUS01,"Music, ""Strings"" & more",${credit.number},One lesson not given,-50.00`,
      `${m},,Total,,,,,,1000.00`,
    ])
  })

  it('is posted once, whoever posts it at the same moment: one payment, each invoice settled exactly once', async () => {
    const db = await getDb()
    const month = slug(lastMonth)
    if (testServerUrl()) {
      // Two finance officers (or a double click) posting at once, through the route.
      const answers = await Promise.all(
        [1, 2].map(() => act(journalAction, `/finance/journals/${month}`, [['intent', 'post']], cookies.finance, { month })),
      )
      expect(answers.map((a) => a.status).sort()).toEqual([302, 409])
      const refused = answers.find((a) => a.status === 409)!
      expect(refused.body.message).toMatch(
        new RegExp(`^The .* journal has already been posted on .* by finance ${f.run}\\. Nothing has been changed\\.$`),
      )
    } else {
      // The embedded database mixes up plain queries sent at once on different connections
      // (electric-sql/pglite#1046): here the postings themselves race, each in its own transaction.
      const actor = { userId: f.users.finance, authorityId: f.authorityId, ip: '127.0.0.1', userAgent: null }
      const results = await Promise.all([1, 2].map(() => postJournal(db, actor, lastMonth, today)))
      expect(results.filter((r) => r.ok)).toHaveLength(1)
      expect(results.filter((r) => !r.ok && r.problem === 'posted')).toHaveLength(1)
    }

    const payments = await db
      .selectFrom('payments')
      .select(['id', 'method', 'amount_pence', 'received_on', 'journal_id'])
      .where('authority_id', '=', f.authorityId)
      .where('method', '=', 'journal')
      .execute()
    expect(payments).toHaveLength(1)
    expect(payments[0]).toMatchObject({ amount_pence: 55_000 + 15_000 + 30_000, received_on: today })
    const allocations = await db
      .selectFrom('payment_allocations')
      .select(['invoice_id', 'amount_pence'])
      .where('authority_id', '=', f.authorityId)
      .where('payment_id', '=', payments[0]!.id)
      .orderBy('amount_pence')
      .execute()
    expect(allocations).toEqual([
      { invoice_id: oak2.id, amount_pence: 15_000 },
      { invoice_id: ash1.id, amount_pence: 30_000 },
      { invoice_id: oak1.id, amount_pence: 55_000 },
    ])
    for (const [invoice, paid] of [
      [oak1, 55_000],
      [oak2, 15_000],
      [ash1, 30_000],
    ] as const) {
      const row = await f.invoiceRow(invoice.id)
      expect(row).toMatchObject({ status: 'paid', amount_paid_pence: paid })
      expect(row.paid_at).toBeInstanceOf(Date)
    }
    const audits = await db
      .selectFrom('audit_events')
      .select(['action', 'actor_user_id'])
      .where('authority_id', '=', f.authorityId)
      .where('action', '=', 'journal.posted')
      .execute()
    expect(audits).toEqual([{ action: 'journal.posted', actor_user_id: f.users.finance }])

    // Later attempts are told it is posted, and change nothing.
    const again = await act(journalAction, `/finance/journals/${month}`, [['intent', 'post']], cookies.finance, { month })
    expect(again.status).toBe(409)
    const page = await load(journalLoader, `/finance/journals/${month}?posted=1`, cookies.finance, { month })
    expect(page.body.journal.status).toBe('posted')
    expect(page.body.problem).toBe('posted')
  })

  it('is posted only by finance officers, and only once its month has begun', async () => {
    const month = slug(lastMonth)
    expect((await act(journalAction, `/finance/journals/${month}`, [['intent', 'post']], cookies.admin, { month })).status).toBe(403)
    const future = nextMonth(monthOf(today))
    await f.invoice({
      schoolId: f.schools.oak,
      dueOn: addDays(nextMonth(future), -1),
      journalMonth: future,
      lines: [{ description: 'Early', netPence: 100 }],
    })
    const early = await act(journalAction, `/finance/journals/${slug(future)}`, [['intent', 'post']], cookies.finance, { month: slug(future) })
    expect(early.status).toBe(409)
    expect(early.body.message).toMatch(/can be posted from 1 /)
    const bad = await act(journalAction, `/finance/journals/${month}`, [['intent', 'delete']], cookies.finance, { month })
    expect(bad.status).toBe(400)
  })
})

describe('recording a BACS remittance', () => {
  let first: Awaited<ReturnType<InvoiceFixture['invoice']>>
  let second: Awaited<ReturnType<InvoiceFixture['invoice']>>
  const date = (iso: string): [string, string][] => [
    ['receivedOnDay', String(Number(iso.slice(8, 10)))],
    ['receivedOnMonth', String(Number(iso.slice(5, 7)))],
    ['receivedOnYear', iso.slice(0, 4)],
  ]
  beforeAll(async () => {
    const school = f.schools.elm
    first = await f.invoice({ schoolId: school, route: 'invoice', dueOn: addDays(today, -40), lines: [{ description: 'Older', netPence: 10_000 }] })
    second = await f.invoice({ schoolId: school, route: 'invoice', dueOn: addDays(today, -5), lines: [{ description: 'Newer', netPence: 5_000 }] })
  })
  const path = () => `/finance/reconciliation/remittance?school=${f.schools.elm}`

  it('shows the school’s invoices still owed, oldest due first, and comes filled in from an invoice', async () => {
    const page = await load(remittanceLoader, `${path()}&invoice=${second.id}`, cookies.finance)
    expect(page.status).toBe(200)
    const numbers = page.body.invoices.map((i: { number: string }) => i.number)
    expect(numbers.indexOf(first.number)).toBeLessThan(numbers.indexOf(second.number))
    expect(page.body.defaults).toMatchObject({ school: f.schools.elm, amount: '50', invoices: [second.id] })
    expect((await load(remittanceLoader, path(), cookies.admin)).status).toBe(403)
  })

  it('refuses bad input with every problem named, and keeps what was typed', async () => {
    const answer = await act(
      remittanceAction,
      path(),
      [
        ['school', f.schools.elm],
        ['amount', '12.345'],
        ['receivedOnDay', '31'],
        ['receivedOnMonth', '2'],
        ['receivedOnYear', '2026'],
        ['reference', ''],
        ['invoices', first.id],
      ],
      cookies.finance,
    )
    expect(answer.status).toBe(400)
    expect(answer.body.errors).toEqual({
      amount: 'Amount received must be an amount in pounds, like 1250 or 1250.50',
      receivedOnDay: 'Date received must be a real date',
      reference: 'Enter the remittance reference',
    })
    expect(answer.body.values).toMatchObject({ amount: '12.345', receivedOnDay: '31', invoices: [first.id] })
  })

  it('pays the ticked invoices in the order ticked, each in full, and keeps the rest unallocated', async () => {
    const db = await getDb()
    // £200 for both: the newer first (ticked first) takes £50, the older £100, and £50 is left over.
    const answer = await act(
      remittanceAction,
      path(),
      [
        ['school', f.schools.elm],
        ['amount', '£200'],
        ...date(addDays(today, -1)),
        ['reference', 'ELM ACADEMY BACS 0042'],
        ['invoices', first.id],
        ['invoices', second.id],
        ['tickOrder', `${second.id},${first.id}`],
      ],
      cookies.finance,
    )
    expect(answer.status).toBe(302)
    const paymentId = answer.location!.replace('/finance/reconciliation?recorded=', '')
    const payment = await db
      .selectFrom('payments')
      .selectAll()
      .where('authority_id', '=', f.authorityId)
      .where('id', '=', paymentId)
      .executeTakeFirstOrThrow()
    expect(payment).toMatchObject({
      method: 'bacs',
      amount_pence: 20_000,
      school_id: f.schools.elm,
      reference: 'ELM ACADEMY BACS 0042',
      recorded_by: f.users.finance,
    })
    const allocations = await db
      .selectFrom('payment_allocations')
      .select(['invoice_id', 'amount_pence'])
      .where('authority_id', '=', f.authorityId)
      .where('payment_id', '=', paymentId)
      .orderBy('amount_pence')
      .execute()
    expect(allocations).toEqual([
      { invoice_id: second.id, amount_pence: 5_000 },
      { invoice_id: first.id, amount_pence: 10_000 },
    ])
    expect(await f.invoiceRow(first.id)).toMatchObject({ status: 'paid', amount_paid_pence: 10_000 })
    expect(await f.invoiceRow(second.id)).toMatchObject({ status: 'paid', amount_paid_pence: 5_000 })

    const page = await load(reconciliationLoader, `/finance/reconciliation?recorded=${paymentId}`, cookies.finance)
    // Listed by invoice number.
    expect(page.body.recorded.summary).toBe(`£100 to ${first.number}, £50 to ${second.number}, £50 unallocated`)
    const unallocated = page.body.unallocated.find((p: { id: string }) => p.id === paymentId)
    expect(unallocated).toMatchObject({ amountPence: 20_000, allocatedPence: 15_000, unallocatedPence: 5_000, schoolName: 'Elm Academy' })

    const audit = await db
      .selectFrom('audit_events')
      .select(['action', 'subject_id'])
      .where('authority_id', '=', f.authorityId)
      .where('action', '=', 'payment.recorded')
      .execute()
    expect(audit).toEqual([{ action: 'payment.recorded', subject_id: paymentId }])

    // The school's business manager hears of each invoice paid.
    const mails = await db
      .selectFrom('email_messages')
      .select(['template', 'subject', 'text'])
      .where('authority_id', '=', f.authorityId)
      .where('template', '=', 'payment-received')
      .orderBy('subject')
      .execute()
    expect(mails.map((m) => m.subject).sort()).toEqual([`Payment received for ${first.number}`, `Payment received for ${second.number}`].sort())
    expect(mails.every((m) => m.text.includes('by bank transfer (BACS)'))).toBe(true)
  })

  it('pays part of an invoice when the remittance is short, leaving it open', async () => {
    const third = await f.invoice({
      schoolId: f.schools.elm,
      route: 'invoice',
      dueOn: addDays(today, 10),
      lines: [{ description: 'Third', netPence: 30_000 }],
    })
    const answer = await act(
      remittanceAction,
      path(),
      [['school', f.schools.elm], ['amount', '120.50'], ...date(today), ['reference', 'PART 1'], ['invoices', third.id]],
      cookies.finance,
    )
    expect(answer.status).toBe(302)
    expect(await f.invoiceRow(third.id)).toMatchObject({ status: 'open', amount_paid_pence: 12_050, paid_at: null })
  })

  it('does not record the same remittance twice (a double click, a second officer)', async () => {
    const entries: [string, string][] = [['school', f.schools.elm], ['amount', '10'], ...date(today), ['reference', 'DUPLICATE 1']]
    expect((await act(remittanceAction, path(), entries, cookies.finance)).status).toBe(302)
    const again = await act(remittanceAction, path(), entries, cookies.finance)
    expect(again.status).toBe(400)
    expect(again.body.errors.reference).toMatch(/^A remittance from Elm Academy with this reference, amount and date was recorded on /)
  })

  it('refuses invoices of another school, and invoices settled meanwhile', async () => {
    const oakInvoice = await f.invoice({ schoolId: f.schools.oak, dueOn: addDays(today, 10), lines: [{ description: 'Oak', netPence: 100 }] })
    const other = await act(
      remittanceAction,
      path(),
      [['school', f.schools.elm], ['amount', '1'], ...date(today), ['reference', 'X1'], ['invoices', oakInvoice.id]],
      cookies.finance,
    )
    expect(other.body.errors).toEqual({ invoices: 'Select invoices of Elm Academy from the list' })
    const settled = await act(
      remittanceAction,
      path(),
      [['school', f.schools.elm], ['amount', '1'], ...date(today), ['reference', 'X2'], ['invoices', first.id]],
      cookies.finance,
    )
    expect(settled.body.errors.invoices).toBe(`${first.number} has been settled since this page was opened: check the invoices and choose again`)
  })
})

describe('aged debt', () => {
  it('puts each school’s open amounts in the bands of days overdue, most overdue first, with totals', async () => {
    const willow = await f.addSchool('Willow Primary', '800009', 'academy')
    const birch = await f.addSchool('Birch Primary', '800010', 'academy')
    for (const [days, pence] of [
      [-5, 1_000], // not yet due
      [1, 2_000],
      [45, 3_000],
      [75, 4_000],
      [120, 5_000],
    ] as const) {
      await f.invoice({ schoolId: willow, route: 'invoice', dueOn: addDays(today, -days), lines: [{ description: `${days} days`, netPence: pence }] })
    }
    // Birch owes more, but none of it over 90 days.
    await f.invoice({ schoolId: birch, route: 'invoice', dueOn: addDays(today, -80), lines: [{ description: 'Big', netPence: 900_000 }] })
    // Paid in part: only what is still owed counts.
    await f.invoice({
      schoolId: birch,
      route: 'invoice',
      dueOn: addDays(today, -10),
      amountPaidPence: 400,
      lines: [{ description: 'Part paid', netPence: 1_000 }],
    })

    const page = await load(agedDebtLoader, '/finance/aged-debt?route=invoice', cookies.finance)
    const rows = page.body.report.rows as { schoolName: string; bands: Record<string, number>; totalPence: number }[]
    const willowRow = rows.find((r) => r.schoolName === 'Willow Primary')!
    expect(willowRow.bands).toEqual({ not_due: 1_000, days_1_30: 2_000, days_31_60: 3_000, days_61_90: 4_000, over_90: 5_000 })
    expect(willowRow.totalPence).toBe(15_000)
    const birchRow = rows.find((r) => r.schoolName === 'Birch Primary')!
    expect(birchRow.bands).toEqual({ not_due: 0, days_1_30: 600, days_31_60: 0, days_61_90: 900_000, over_90: 0 })
    expect(rows.findIndex((r) => r.schoolName === 'Willow Primary')).toBeLessThan(rows.findIndex((r) => r.schoolName === 'Birch Primary'))
    const sum = (band: string) => rows.reduce((n, r) => n + r.bands[band]!, 0)
    expect(page.body.report.totals.bands.over_90).toBe(sum('over_90'))
    expect(page.body.report.totals.totalPence).toBe(rows.reduce((n, r) => n + r.totalPence, 0))

    // Maintained schools' recharges are not in the invoice route's table.
    expect(rows.some((r) => r.schoolName === 'Ash Primary')).toBe(false)

    const csv = await download(agedDebtCsvLoader, '/finance/aged-debt.csv?route=invoice', cookies.finance)
    expect(csv.lines[0]).toBe('As of,School,URN,Invoices,Oldest due,Not yet due,1 to 30 days,31 to 60 days,61 to 90 days,Over 90 days,Total')
    expect(csv.lines).toContain(`${today},Willow Primary,800009,5,${addDays(today, -120)},10.00,20.00,30.00,40.00,50.00,150.00`)
    expect(csv.lines.at(-1)).toMatch(new RegExp(`^${today},Total,,\\d+,,`))

    const bad = await load(agedDebtLoader, '/finance/aged-debt?route=cash', cookies.finance)
    expect(bad.body.filter.error).toBe('Choose how the school pays from the list')
  })
})

describe('schools see their own invoices on the order page', () => {
  it('shows a maintained school its invoices charged in a journal, and credit notes; another school’s order is not found', async () => {
    const order = await f.order(f.schools.oak)
    const month = monthOf(today)
    const inv = await f.invoice({
      schoolId: f.schools.oak,
      orderId: order.id,
      dueOn: addDays(nextMonth(month), -1),
      journalMonth: month,
      lines: [{ description: 'Day', netPence: 55_000 }],
    })
    await f.creditNote({ invoiceId: inv.id, grossPence: 1_000, reason: 'Correction', journalMonth: month })
    const page = await load(orderLoader, `/orders/${order.id}`, cookies.oakBuyer, { orderId: order.id })
    expect(page.status).toBe(200)
    expect(page.body.order.invoices).toEqual([
      expect.objectContaining({
        number: inv.number,
        journalMonth: month,
        stripeHostedInvoiceUrl: null,
        outstandingPence: 54_000,
        creditNotes: [expect.objectContaining({ reason: 'Correction', grossPence: 1_000 })],
      }),
    ])
    expect(page.body.financeLinks).toBe(false)
    // The academy's business manager cannot open it.
    expect((await load(orderLoader, `/orders/${order.id}`, cookies.elmBuyer, { orderId: order.id })).status).toBe(404)
  })

  it('gives an academy the Stripe link to pay or download', async () => {
    const order = await f.order(f.schools.elm)
    await f.invoice({
      schoolId: f.schools.elm,
      orderId: order.id,
      route: 'invoice',
      dueOn: addDays(today, 30),
      stripeHostedInvoiceUrl: 'https://invoice.stripe.com/i/elm',
      lines: [{ description: 'Day', netPence: 55_000, vatRate: 2000 }],
    })
    const page = await load(orderLoader, `/orders/${order.id}`, cookies.elmBuyer, { orderId: order.id })
    expect(page.body.order.invoices[0]).toMatchObject({ stripeHostedInvoiceUrl: 'https://invoice.stripe.com/i/elm', grossPence: 66_000 })
  })

  it('refuses every finance page to a school business manager (403)', async () => {
    for (const [loader, path] of [
      [financeLoader, '/finance'],
      [journalsLoader, '/finance/journals'],
      [reconciliationLoader, '/finance/reconciliation'],
      [remittanceLoader, '/finance/reconciliation/remittance'],
      [agedDebtLoader, '/finance/aged-debt'],
    ] as const) {
      expect((await load(loader, path, cookies.oakBuyer)).status, path).toBe(403)
    }
    expect((await act(remittanceAction, '/finance/reconciliation/remittance', [], cookies.oakBuyer)).status).toBe(403)
  })
})

describe('reconciliation', () => {
  it('lists payouts with matched and unmatched counts, and each payout’s transactions with the invoices they paid', async () => {
    const db = await getDb()
    const inv = await f.invoice({
      schoolId: f.schools.elm,
      route: 'invoice',
      status: 'paid',
      amountPaidPence: 10_000,
      dueOn: addDays(today, 10),
      lines: [{ description: 'Paid online', netPence: 10_000 }],
    })
    const payment = await db
      .insertInto('payments')
      .values({
        authority_id: f.authorityId,
        school_id: f.schools.elm,
        method: 'stripe',
        amount_pence: 10_000,
        received_on: today,
        stripe_payment_intent_id: `pi_${f.run}`,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db
      .insertInto('payment_allocations')
      .values({ authority_id: f.authorityId, payment_id: payment.id, invoice_id: inv.id, amount_pence: 10_000 })
      .execute()
    const payout = await db
      .insertInto('stripe_payouts')
      .values({ authority_id: f.authorityId, stripe_payout_id: `po_${f.run}`, amount_pence: 9_000, arrival_date: today, status: 'paid' })
      .returning('id')
      .executeTakeFirstOrThrow()
    await db
      .insertInto('stripe_payout_transactions')
      .values([
        {
          authority_id: f.authorityId,
          payout_id: payout.id,
          balance_transaction_id: `txn_a_${f.run}`,
          type: 'charge',
          amount_pence: 10_000,
          fee_pence: 200,
          net_pence: 9_800,
          payment_intent_id: `pi_${f.run}`,
          payment_id: payment.id,
        },
        {
          authority_id: f.authorityId,
          payout_id: payout.id,
          balance_transaction_id: `txn_b_${f.run}`,
          type: 'refund',
          amount_pence: -800,
          fee_pence: 0,
          net_pence: -800,
          description: 'Refund to a school',
        },
        {
          authority_id: f.authorityId,
          payout_id: payout.id,
          balance_transaction_id: `txn_c_${f.run}`,
          type: 'payout',
          amount_pence: -9_000,
          fee_pence: 0,
          net_pence: -9_000,
        },
      ])
      .execute()

    const page = await load(reconciliationLoader, '/finance/reconciliation', cookies.finance)
    expect(page.body.payouts).toEqual([
      expect.objectContaining({
        stripePayoutId: `po_${f.run}`,
        transactionCount: 2,
        matchedCount: 1,
        matchedPence: 10_000,
        unmatchedCount: 1,
        unmatchedPence: -800,
      }),
    ])
    expect(page.body.unmatched.map((t: { balanceTransactionId: string }) => t.balanceTransactionId)).toEqual([`txn_b_${f.run}`])
    expect(page.body.stripeConfigured).toBe(false)

    const detail = await load(payoutLoader, `/finance/reconciliation/payouts/${payout.id}`, cookies.finance, { payoutId: payout.id })
    const charge = detail.body.payout.transactions.find((t: { type: string }) => t.type === 'charge')
    expect(charge.invoices).toEqual([{ id: inv.id, number: inv.number, amountPence: 10_000 }])
    const otherCookie = (await load(payoutLoader, `/finance/reconciliation/payouts/${payout.id}`, cookies.oakBuyer, { payoutId: payout.id })).status
    expect(otherCookie).toBe(403)
  })

  it('lists the authority’s failed Stripe jobs and retries one, once, audited', async () => {
    const db = await getDb()
    const boss = await getBoss()
    const inv = await f.invoice({
      schoolId: f.schools.elm,
      route: 'invoice',
      dueOn: addDays(today, 30),
      lines: [{ description: 'To Stripe', netPence: 100 }],
    })
    // A job no worker will pick up (it starts in a year), marked as failed for good.
    const jobId = await boss.send(
      'stripe-sync-invoice',
      { authorityId: f.authorityId, invoiceId: inv.id },
      { startAfter: new Date(Date.now() + 365 * 86_400_000) },
    )
    expect(jobId).toBeTruthy()
    await sql`update ${sql.table(`${jobQueueSchema()}.job`)} set state = 'failed', completed_on = now(), output = ${JSON.stringify({ message: 'Stripe is down' })}::jsonb where name = 'stripe-sync-invoice' and id = ${jobId}::uuid`.execute(
      db,
    )

    const page = await load(reconciliationLoader, '/finance/reconciliation', cookies.finance)
    expect(page.body.jobs.ok).toBe(true)
    expect(page.body.jobs.list).toEqual([
      expect.objectContaining({
        id: jobId,
        queue: 'stripe-sync-invoice',
        state: 'failed',
        error: 'Stripe is down',
        subject: `Invoice ${inv.number}`,
        invoiceId: inv.id,
      }),
    ])
    // Another authority's finance officer does not see it.
    const coventryFinance = await db
      .selectFrom('users')
      .innerJoin('authorities', 'authorities.id', 'users.authority_id')
      .select(['users.id', 'users.authority_id'])
      .where('authorities.slug', '=', 'coventry')
      .where('users.email', '=', 'finance@coventry.example')
      .executeTakeFirstOrThrow()
    const { createSession } = await import('~/utils/session.server')
    const coventryCookie = (
      await createSession(db, new Request('http://localhost/'), { id: coventryFinance.id, authorityId: coventryFinance.authority_id }, '127.0.0.1')
    ).split(';')[0]!
    const theirs = await load(reconciliationLoader, '/finance/reconciliation', coventryCookie)
    expect(theirs.body.jobs.list.map((j: { id: string }) => j.id)).not.toContain(jobId)
    expect(
      (
        await act(
          reconciliationAction,
          '/finance/reconciliation',
          [
            ['intent', 'retry'],
            ['queue', 'stripe-sync-invoice'],
            ['jobId', jobId!],
          ],
          coventryCookie,
        )
      ).status,
    ).toBe(404)

    const retried = await act(
      reconciliationAction,
      '/finance/reconciliation',
      [
        ['intent', 'retry'],
        ['queue', 'stripe-sync-invoice'],
        ['jobId', jobId!],
      ],
      cookies.finance,
    )
    expect(retried).toMatchObject({ status: 302, location: '/finance/reconciliation?retried=1' })
    const state = await sql<{
      state: string
    }>`select state from ${sql.table(`${jobQueueSchema()}.job`)} where name = 'stripe-sync-invoice' and id = ${jobId}::uuid`.execute(db)
    expect(state.rows[0]?.state).toBe('retry')
    const again = await act(
      reconciliationAction,
      '/finance/reconciliation',
      [
        ['intent', 'retry'],
        ['queue', 'stripe-sync-invoice'],
        ['jobId', jobId!],
      ],
      cookies.finance,
    )
    expect(again.status).toBe(409)
    const audits = await db
      .selectFrom('audit_events')
      .select('subject_id')
      .where('authority_id', '=', f.authorityId)
      .where('action', '=', 'job.retried')
      .execute()
    expect(audits).toEqual([{ subject_id: jobId }])
    // The LA administrator sees failed work but does not retry it.
    expect(
      (
        await act(
          reconciliationAction,
          '/finance/reconciliation',
          [
            ['intent', 'retry'],
            ['queue', 'stripe-sync-invoice'],
            ['jobId', jobId!],
          ],
          cookies.admin,
        )
      ).status,
    ).toBe(403)
    await boss.cancel('stripe-sync-invoice', jobId!)
  })
})

describe('the finance start page', () => {
  it('sums what is owed and overdue, journals waiting, and payments to resolve', async () => {
    const page = await load(financeLoader, '/finance', cookies.finance)
    expect(page.status).toBe(200)
    expect(page.body.owedPence).toBeGreaterThan(0)
    expect(page.body.overduePence).toBeGreaterThan(0)
    expect(page.body.toResolve).toBeGreaterThanOrEqual(2)
  })
})

describe('finance corrections', () => {
  beforeAll(async () => {
    // The fixture numbers its credit notes itself: issuing ones number on from them.
    await sql`
      insert into document_counters (authority_id, kind, last_number)
      select ${f.authorityId}, 'credit_note', coalesce(max(sequence_number), 0) from credit_notes where authority_id = ${f.authorityId}
      on conflict (authority_id, kind) do update set last_number = excluded.last_number`.execute(await getDb())
  })
  const invoicePath = (id: string) => `/finance/invoices/${id}`
  const credit = (id: string, amount: string, reason = 'Goodwill') =>
    act(
      invoiceAction,
      invoicePath(id),
      [
        ['intent', 'credit'],
        ['creditWhole', 'part'],
        ['creditAmount', amount],
        ['creditReason', reason],
      ],
      cookies.finance,
      { invoiceId: id },
    )

  it('issues a part credit note, refuses one above what is left, and never over-credits when officers credit at once', async () => {
    const db = await getDb()
    const inv = await f.invoice({
      schoolId: f.schools.elm,
      route: 'invoice',
      dueOn: addDays(today, 20),
      lines: [{ description: 'EP day', netPence: 10_000, vatRate: 2000 }],
    })
    expect((await credit(inv.id, '30')).status).toBe(302)
    const note = await db
      .selectFrom('credit_notes')
      .select(['net_pence', 'vat_pence', 'gross_pence'])
      .where('invoice_id', '=', inv.id)
      .executeTakeFirstOrThrow()
    expect(note).toEqual({ net_pence: 2_500, vat_pence: 500, gross_pence: 3_000 })
    // £90 is left: £90.01 is refused with the field's error, and nothing changes.
    const tooMuch = await credit(inv.id, '90.01')
    expect(tooMuch.status).toBe(400)
    expect(tooMuch.body.errors.creditAmount).toMatch(/no more than £90/)
    const blank = await act(
      invoiceAction,
      invoicePath(inv.id),
      [
        ['intent', 'credit'],
        ['creditWhole', 'part'],
        ['creditAmount', '10'],
        ['creditReason', ' '],
      ],
      cookies.finance,
      { invoiceId: inv.id },
    )
    expect(blank.body.errors.creditReason).toBe('Enter the reason for the credit note')
    expect((await f.invoiceRow(inv.id)).amount_credited_pence).toBe(3_000)
    // Five officers credit £40 each at once: only two fit in the £90 left.
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => credit(inv.id, '40')))
    expect(results.filter((r) => r.status === 302)).toHaveLength(2)
    const row = await f.invoiceRow(inv.id)
    expect(row.amount_credited_pence).toBe(11_000)
    const notes = await db.selectFrom('credit_notes').select(['vat_pence', 'gross_pence']).where('invoice_id', '=', inv.id).execute()
    expect(notes.reduce((n, c) => n + c.gross_pence, 0)).toBe(11_000)
  })

  it('refunds a credit against a recharge settled by a posted journal in the next journal, leaving it not overpaid', async () => {
    const db = await getDb()
    // A month of its own, three months back, so that no other test posts its journal.
    const month = monthOf(addDays(monthOf(addDays(monthOf(addDays(lastMonth, -1)), -1)), -1))
    const inv = await f.invoice({
      schoolId: f.schools.ash,
      route: 'internal_recharge',
      journalMonth: month,
      dueOn: addDays(month, 27),
      lines: [{ description: 'Music', netPence: 20_000 }],
    })
    const actor = { userId: f.users.finance, authorityId: f.authorityId, ip: '127.0.0.1', userAgent: null }
    expect(await postJournal(db, actor, month, today)).toMatchObject({ ok: true })
    expect((await f.invoiceRow(inv.id)).status).toBe('paid')
    expect((await credit(inv.id, '50', 'Lesson not given')).status).toBe(302)
    const after = await f.invoiceRow(inv.id)
    expect(after.amount_paid_pence + after.amount_credited_pence).toBe(after.gross_pence)
    const refund = await db.selectFrom('refunds').select(['amount_pence', 'journal_id']).where('invoice_id', '=', inv.id).executeTakeFirstOrThrow()
    expect(refund.amount_pence).toBe(5_000)
    expect(refund.journal_id).not.toBeNull()
  })

  it('writes an invoice off: out of aged debt, in the audit log; refuses without a reason', async () => {
    const db = await getDb()
    const inv = await f.invoice({
      schoolId: f.schools.elm,
      route: 'invoice',
      dueOn: addDays(today, -40),
      lines: [{ description: 'Old debt', netPence: 7_000 }],
    })
    const noReason = await act(
      invoiceAction,
      invoicePath(inv.id),
      [
        ['intent', 'write-off'],
        ['writeOffReason', ''],
      ],
      cookies.finance,
      { invoiceId: inv.id },
    )
    expect(noReason.status).toBe(400)
    expect((await f.invoiceRow(inv.id)).status).toBe('open')
    const before = await load(agedDebtLoader, '/finance/aged-debt', cookies.finance)
    const done = await act(
      invoiceAction,
      invoicePath(inv.id),
      [
        ['intent', 'write-off'],
        ['writeOffReason', 'School closed'],
      ],
      cookies.finance,
      { invoiceId: inv.id },
    )
    expect(done.status).toBe(302)
    expect((await f.invoiceRow(inv.id)).status).toBe('uncollectible')
    const after = await load(agedDebtLoader, '/finance/aged-debt', cookies.finance)
    expect(after.body.report.totals.totalPence).toBe(before.body.report.totals.totalPence - 7_000)
    expect(after.body.report.writtenOff.pence).toBe(before.body.report.writtenOff.pence + 7_000)
    const audit = await db
      .selectFrom('audit_events')
      .select('action')
      .where('authority_id', '=', f.authorityId)
      .where('subject_id', '=', inv.id)
      .execute()
    expect(audit.map((a) => a.action)).toContain('invoice.written_off')
  })

  it('voids an unpaid invoice issued in error, never one with a credit', async () => {
    const inv = await f.invoice({
      schoolId: f.schools.oak,
      route: 'internal_recharge',
      journalMonth: monthOf(today),
      dueOn: addDays(today, 5),
      lines: [{ description: 'Wrong school', netPence: 1_000 }],
    })
    const credited = await f.invoice({
      schoolId: f.schools.oak,
      route: 'internal_recharge',
      journalMonth: monthOf(today),
      dueOn: addDays(today, 5),
      lines: [{ description: 'Part credited', netPence: 1_000 }],
    })
    expect((await credit(credited.id, '1')).status).toBe(302)
    const refused = await act(
      invoiceAction,
      invoicePath(credited.id),
      [
        ['intent', 'void'],
        ['voidReason', 'Error'],
      ],
      cookies.finance,
      { invoiceId: credited.id },
    )
    expect(refused.status).toBe(400)
    expect(refused.body.errors.voidReason).toMatch(/credit note instead/)
    expect(
      (
        await act(
          invoiceAction,
          invoicePath(inv.id),
          [
            ['intent', 'void'],
            ['voidReason', 'Issued to the wrong school'],
          ],
          cookies.finance,
          { invoiceId: inv.id },
        )
      ).status,
    ).toBe(302)
    expect((await f.invoiceRow(inv.id)).status).toBe('void')
  })

  it('allocates an unallocated payment to invoices, refuses more than it holds, and never over-allocates when officers allocate at once', async () => {
    const db = await getDb()
    const a = await f.invoice({ schoolId: f.schools.elm, route: 'invoice', dueOn: addDays(today, 10), lines: [{ description: 'A', netPence: 800 }] })
    const b = await f.invoice({ schoolId: f.schools.elm, route: 'invoice', dueOn: addDays(today, 10), lines: [{ description: 'B', netPence: 800 }] })
    const payment = await db
      .insertInto('payments')
      .values({
        authority_id: f.authorityId,
        school_id: f.schools.elm,
        method: 'bacs',
        amount_pence: 1_000,
        received_on: today,
        reference: 'NO INVOICE',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const path = `/finance/reconciliation/payments/${payment.id}`
    const allocate = (entries: [string, string][]) =>
      act(paymentAction, path, [['intent', 'allocate'], ['invoice', a.id], ['invoice', b.id], ...entries], cookies.finance, { paymentId: payment.id })
    const above = await allocate([
      [`amount-${a.id}`, '6'],
      [`amount-${b.id}`, '5'],
    ])
    expect(above.status).toBe(400)
    expect(above.body.errors.allocations).toMatch(/no more than £10/)
    expect((await f.invoiceRow(a.id)).amount_paid_pence).toBe(0)
    // Three officers allocate £6 to A or B at once: only one fits in the £10.
    const results = await Promise.all([a.id, b.id, a.id].map((id) => allocate([[`amount-${id}`, '6']])))
    expect(results.filter((r) => r.status === 302)).toHaveLength(1)
    const allocated = await db.selectFrom('payment_allocations').select('amount_pence').where('payment_id', '=', payment.id).execute()
    expect(allocated.reduce((n, r) => n + r.amount_pence, 0)).toBe(600)
    // The £4 left is refunded; more is refused.
    const refund = (amount: string) =>
      act(
        paymentAction,
        path,
        [
          ['intent', 'refund'],
          ['refundAmount', amount],
          ['refundReason', 'Paid twice'],
        ],
        cookies.finance,
        { paymentId: payment.id },
      )
    expect((await refund('4.01')).status).toBe(400)
    expect((await refund('4')).status).toBe(302)
    const list = await load(reconciliationLoader, '/finance/reconciliation', cookies.finance)
    expect(list.body.unallocated.map((p: { id: string }) => p.id)).not.toContain(payment.id)
  })

  it('lets the LA admin set the invoice settings, validated, and uses days to pay', async () => {
    const entries = (over: Record<string, string> = {}): [string, string][] =>
      Object.entries({
        vatNumber: 'GB 123 4567 89',
        bankName: 'Test Bank',
        sortCode: '30-96-26',
        accountNumber: '12345678',
        accountName: 'Finance Test Council',
        remittanceAddress: 'Council House, Testtown',
        remittanceEmail: 'remit@test.example',
        daysToPay: '14',
        ...over,
      })
    const bad = await act(settingsAction, '/la/admin/settings', entries({ sortCode: '1234', daysToPay: '200' }), cookies.admin)
    expect(bad.status).toBe(400)
    expect(Object.keys(bad.body.errors).sort()).toEqual(['daysToPay', 'sortCode'])
    expect((await act(settingsAction, '/la/admin/settings', entries(), cookies.finance)).status).toBe(403)
    expect((await act(settingsAction, '/la/admin/settings', entries(), cookies.admin)).status).toBe(302)
    const db = await getDb()
    const row = await db
      .selectFrom('authorities')
      .select(['vat_number', 'bank_sort_code', 'days_to_pay'])
      .where('id', '=', f.authorityId)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ vat_number: 'GB123456789', bank_sort_code: '309626', days_to_pay: 14 })
  })
})
