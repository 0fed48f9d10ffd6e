import { writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { vatByRate } from '~/domain/invoice-printout'
import { formatPence } from '~/domain/money'
import { loader as creditNoteLoader } from '~/routes/credit-notes.$creditNoteId'
import { loader as creditNotePdfLoader } from '~/routes/credit-notes.$creditNoteId[.pdf]'
import { loader as invoiceLoader } from '~/routes/invoices.$invoiceId'
import { loader as invoicePdfLoader } from '~/routes/invoices.$invoiceId[.pdf]'
import { loader as invoicesLoader } from '~/routes/invoices._index'
import { getDb } from '~/utils/db.server'
import { createSession } from '~/utils/session.server'
import { setStripeSettingsForTests } from '~/utils/stripe.server'
import { pdfText } from '../support/pdf'
import { get, settle } from '../support/order-fixture'

// Schools' invoices and credit notes (/invoices, /invoices/:id, /credit-notes/:id
// and their PDFs) on the seeded demo: Foleshill Park Academy (pays by
// invoice) and Elm Bank Primary School (maintained: internal recharge).
// Nothing here changes the demo's data.

type Fn = (args: any) => unknown
const context = { clientIp: '127.0.0.1' }
const kind = process.env.BUYBACK_TEST_SERVER_URL ? 'PostgreSQL' : 'embedded PGlite'

let coventryId: string
const cookies = { foleshill: '', elmBank: '', finance: '', lead: '' }
let foleshillInvoiceId: string
let elmBankInvoiceId: string
let creditNote: { id: string; number: string; schoolName: string } | undefined

async function cookieFor(email: string): Promise<string> {
  const db = await getDb()
  const user = await db
    .selectFrom('users')
    .select(['id', 'authority_id'])
    .where('authority_id', '=', coventryId)
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  const setCookie = await createSession(db, new Request('http://localhost/'), { id: user.id, authorityId: user.authority_id }, '127.0.0.1')
  return setCookie.split(';')[0]!
}

const load = (loader: Fn, urlPath: string, cookie: string, params: Record<string, string> = {}) =>
  settle(loader({ request: get(urlPath, cookie), params, context }))

async function download(loader: Fn, urlPath: string, cookie: string, params: Record<string, string>) {
  const response = (await loader({ request: get(urlPath, cookie), params, context })) as Response
  expect(response).toBeInstanceOf(Response)
  return { response, bytes: new Uint8Array(await response.arrayBuffer()) }
}

beforeAll(async () => {
  // The demo's Stripe is not configured: invoices are paid by bank transfer.
  setStripeSettingsForTests(null)
  const db = await getDb()
  coventryId = (await db.selectFrom('authorities').select('id').where('slug', '=', 'coventry').executeTakeFirstOrThrow()).id
  const invoiceOf = (schoolName: string) =>
    db
      .selectFrom('invoices as i')
      .innerJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'i.authority_id').onRef('s.id', '=', 'i.school_id'))
      .select('i.id')
      .where('i.authority_id', '=', coventryId)
      .where('s.name', '=', schoolName)
      .orderBy('i.sequence_number')
      .limit(1)
      .executeTakeFirstOrThrow()
  foleshillInvoiceId = (await invoiceOf('Foleshill Park Academy')).id
  elmBankInvoiceId = (await invoiceOf('Elm Bank Primary School')).id
  const note = await db
    .selectFrom('credit_notes as c')
    .innerJoin('invoices as i', (j) => j.onRef('i.authority_id', '=', 'c.authority_id').onRef('i.id', '=', 'c.invoice_id'))
    .innerJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'i.authority_id').onRef('s.id', '=', 'i.school_id'))
    .select(['c.id', 'c.number', 's.name as school_name'])
    .where('c.authority_id', '=', coventryId)
    .orderBy('c.sequence_number')
    .limit(1)
    .executeTakeFirst()
  creditNote = note ? { id: note.id, number: note.number, schoolName: note.school_name } : undefined
  cookies.foleshill = await cookieFor('buyer@foleshill-park.example')
  cookies.elmBank = await cookieFor('buyer@elm-bank.example')
  cookies.finance = await cookieFor('finance@coventry.example')
  cookies.lead = await cookieFor('lead.ep@coventry.example')
})

afterAll(() => setStripeSettingsForTests(undefined))

describe('who sees a school’s invoices', () => {
  it('a school’s business manager opens their own invoice and its PDF', async () => {
    const page = await load(invoiceLoader, `/invoices/${foleshillInvoiceId}`, cookies.foleshill, { invoiceId: foleshillInvoiceId })
    expect(page.status).toBe(200)
    expect(page.body.invoice.school.name).toBe('Foleshill Park Academy')
    const { response } = await download(invoicePdfLoader, `/invoices/${foleshillInvoiceId}.pdf`, cookies.foleshill, { invoiceId: foleshillInvoiceId })
    expect(response.status).toBe(200)
    expect(response.headers.get('Content-Type')).toBe('application/pdf')
    expect(response.headers.get('Cache-Control')).toBe('private, no-store')
  })

  it('another school’s invoice and its PDF answer 404, exactly as a missing one', async () => {
    const params = { invoiceId: foleshillInvoiceId }
    expect(await load(invoiceLoader, `/invoices/${foleshillInvoiceId}`, cookies.elmBank, params)).toMatchObject({ status: 404 })
    expect(await load(invoicePdfLoader, `/invoices/${foleshillInvoiceId}.pdf`, cookies.elmBank, params)).toMatchObject({ status: 404 })
    const missing = '00000000-0000-4000-8000-000000000000'
    expect(await load(invoiceLoader, `/invoices/${missing}`, cookies.elmBank, { invoiceId: missing })).toMatchObject({ status: 404 })
    expect(await load(invoicePdfLoader, `/invoices/${missing}.pdf`, cookies.elmBank, { invoiceId: missing })).toMatchObject({ status: 404 })
    expect(await load(invoicePdfLoader, '/invoices/nonsense.pdf', cookies.elmBank, { invoiceId: 'nonsense' })).toMatchObject({ status: 404 })
  })

  it('finance opens any invoice of the authority and its PDF; a service lead is refused; anyone signed out signs in', async () => {
    const params = { invoiceId: foleshillInvoiceId }
    expect(await load(invoiceLoader, `/invoices/${foleshillInvoiceId}`, cookies.finance, params)).toMatchObject({ status: 200 })
    const { response } = await download(invoicePdfLoader, `/invoices/${foleshillInvoiceId}.pdf`, cookies.finance, params)
    expect(response.status).toBe(200)
    expect(await load(invoiceLoader, `/invoices/${foleshillInvoiceId}`, cookies.lead, params)).toMatchObject({ status: 403 })
    const signedOut = await load(invoicePdfLoader, `/invoices/${foleshillInvoiceId}.pdf`, '', params)
    expect(signedOut.status).toBe(302)
    expect(signedOut.location).toBe(`/login?${new URLSearchParams({ redirectTo: `/invoices/${foleshillInvoiceId}.pdf` })}`)
  })

  it('/invoices lists only the school’s own documents, newest first; finance is sent to its own list', async () => {
    const list = await load(invoicesLoader, '/invoices', cookies.elmBank)
    expect(list.status).toBe(200)
    const docs = list.body.documents as { kind: string; id: string; route: string; journalMonth: string | null; issuedAt: Date }[]
    expect(docs.length).toBeGreaterThan(0)
    expect(docs.some((d) => d.id === foleshillInvoiceId)).toBe(false)
    // Elm Bank is maintained: every invoice is an internal recharge, each in a month's journal.
    for (const d of docs.filter((x) => x.kind === 'invoice')) {
      expect(d.route).toBe('internal_recharge')
      expect(d.journalMonth).toMatch(/^\d{4}-\d{2}-01$/)
    }
    const times = docs.map((d) => new Date(d.issuedAt).getTime())
    expect(times).toEqual([...times].sort((a, b) => b - a))
    expect(await load(invoicesLoader, '/invoices', cookies.finance)).toMatchObject({ status: 302, location: '/finance/invoices' })
    expect(await load(invoicesLoader, '/invoices', cookies.lead)).toMatchObject({ status: 403 })
  })
})

describe('the invoice as printed', () => {
  it('adds up: lines to net, VAT by rate to VAT, net and VAT to the total, and what is due', async () => {
    const { body } = await load(invoiceLoader, `/invoices/${foleshillInvoiceId}`, cookies.foleshill, { invoiceId: foleshillInvoiceId })
    const invoice = body.invoice
    const lines = invoice.lines as { netPence: number; vatPence: number; grossPence: number; vatRateBasisPoints: number; period: unknown }[]
    expect(lines.length).toBeGreaterThan(0)
    expect(lines.reduce((t, l) => t + l.netPence, 0)).toBe(invoice.netPence)
    expect(vatByRate(lines).reduce((t, r) => t + r.vatPence, 0)).toBe(invoice.vatPence)
    expect(invoice.netPence + invoice.vatPence).toBe(invoice.grossPence)
    expect(invoice.outstandingPence).toBe(Math.max(0, invoice.grossPence - invoice.amountPaidPence - invoice.amountCreditedPence))
    // Each line says the period it covers.
    for (const l of lines) expect(l.period).toMatchObject({ start: expect.any(String), end: expect.any(String) })
    expect(invoice.authority.vatNumber).toBeTruthy()
    expect(invoice.school.urn).toBeTruthy()
    // Stripe is not configured: bank details, never a link to pay online.
    expect(body.how.kind).toBe('bank')
  })

  it('an unpaid academy invoice says how to pay by bank transfer, with the remittance address', async () => {
    const db = await getDb()
    const unpaid = await db
      .selectFrom('invoices as i')
      .innerJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'i.authority_id').onRef('s.id', '=', 'i.school_id'))
      .select('i.id')
      .where('i.authority_id', '=', coventryId)
      .where('i.route', '=', 'invoice')
      .where('i.status', '=', 'open')
      .orderBy('i.sequence_number', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow()
    const { body } = await load(invoiceLoader, `/invoices/${unpaid.id}`, cookies.finance, { invoiceId: unpaid.id })
    const { bytes } = await download(invoicePdfLoader, `/invoices/${unpaid.id}.pdf`, cookies.finance, { invoiceId: unpaid.id })
    // For docs/screenshots/invoice-pdf.png (pdftoppm -png -r 70 -f 1 -l 1).
    writeFileSync(path.join(tmpdir(), 'buyback-unpaid-invoice.pdf'), bytes)
    const text = await pdfText(bytes)
    expect(text).toContain('30-96-34')
    expect(text).toContain('Income Team')
    expect(body.how).toMatchObject({
      kind: 'bank',
      settled: false,
      bank: { sortCode: '309634', accountNumber: '41526378', accountName: 'Coventry City Council Traded Services' },
      remittanceAddress: expect.stringContaining('Income Team'),
    })
  })

  it('Elm Bank’s invoice is charged by internal recharge in its month’s journal', async () => {
    const { body } = await load(invoiceLoader, `/invoices/${elmBankInvoiceId}`, cookies.elmBank, { invoiceId: elmBankInvoiceId })
    expect(body.how).toEqual({ kind: 'recharge', journalMonth: body.invoice.journal.month })
    const { bytes } = await download(invoicePdfLoader, `/invoices/${elmBankInvoiceId}.pdf`, cookies.elmBank, { invoiceId: elmBankInvoiceId })
    expect(await pdfText(bytes)).toMatch(/Charged by internal recharge in the [A-Z][a-z]+ \d{4} journal/)
  })

  it('the PDF has the number, the total, the amount due and the bank details', async () => {
    const { body } = await load(invoiceLoader, `/invoices/${foleshillInvoiceId}`, cookies.foleshill, { invoiceId: foleshillInvoiceId })
    const { bytes } = await download(invoicePdfLoader, `/invoices/${foleshillInvoiceId}.pdf`, cookies.foleshill, { invoiceId: foleshillInvoiceId })
    writeFileSync(path.join(tmpdir(), 'buyback-invoice.pdf'), bytes)
    const text = await pdfText(bytes)
    expect(text).toContain(body.invoice.number)
    expect(text).toContain(formatPence(body.invoice.grossPence))
    expect(text).toContain('Foleshill Park Academy')
    expect(text).toContain(`URN ${body.invoice.school.urn}`)
    expect(text).toContain('Date and tax point')
    expect(text).toContain('30-96-34')
    expect(text).toContain('41526378')
    expect(text).not.toMatch(/pay online|paid online/i)
  })

  it(`renders an invoice PDF quickly (goal under 300 ms, on ${kind})`, async () => {
    const params = { invoiceId: foleshillInvoiceId }
    // The first render loads the fonts; the second is what a school waits for.
    await download(invoicePdfLoader, `/invoices/${foleshillInvoiceId}.pdf`, cookies.foleshill, params)
    const times: number[] = []
    for (let i = 0; i < 3; i++) {
      const started = performance.now()
      await download(invoicePdfLoader, `/invoices/${foleshillInvoiceId}.pdf`, cookies.foleshill, params)
      times.push(Math.round(performance.now() - started))
    }
    const median = [...times].sort((a, b) => a - b)[1]!
    console.info(`invoice PDF: ${median} ms (median of ${times.join(', ')} ms, on ${kind})`)
    // A shared, busy test machine: fail only when far off the goal.
    expect(median).toBeLessThan(1500)
  })
})

describe('credit notes', () => {
  it('a credit note’s page and PDF, for its own school and finance only', async (ctx) => {
    if (!creditNote) return ctx.skip()
    const params = { creditNoteId: creditNote.id }
    const page = await load(creditNoteLoader, `/credit-notes/${creditNote.id}`, cookies.finance, params)
    expect(page.status).toBe(200)
    expect(page.body.note.number).toBe(creditNote.number)
    const { bytes } = await download(creditNotePdfLoader, `/credit-notes/${creditNote.id}.pdf`, cookies.finance, params)
    writeFileSync(path.join(tmpdir(), 'buyback-credit-note.pdf'), bytes)
    const text = await pdfText(bytes)
    expect(text).toContain(creditNote.number)
    expect(text).toContain(page.body.note.invoice.number)
    expect(text).toContain(formatPence(page.body.note.grossPence))
    // Another school's business manager finds nothing.
    const other = creditNote.schoolName === 'Elm Bank Primary School' ? cookies.foleshill : cookies.elmBank
    expect(await load(creditNoteLoader, `/credit-notes/${creditNote.id}`, other, params)).toMatchObject({ status: 404 })
    expect(await load(creditNotePdfLoader, `/credit-notes/${creditNote.id}.pdf`, other, params)).toMatchObject({ status: 404 })
  })
})
