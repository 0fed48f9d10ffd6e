import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HIDDEN_LINK, redactHtml, redactText } from '~/domain/email-secrets'
import { homeSections, type HomeSection } from '~/models/shared/home.server'
import { listAwaitingApproval } from '~/models/ordering/approvals.server'
import { loader as homeLoader } from '~/routes/_index'
import { action as forgotAction } from '~/routes/forgot-password'
import { loader as messageLoader } from '~/routes/la.admin.outbox.$messageId'
import { loader as previewLoader } from '~/routes/la.admin.outbox.$messageId_.preview'
import { clock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { getBoss, stopJobs } from '~/utils/jobs.server'
import { createSession, getSessionUser } from '~/utils/session.server'
import { settle } from '../support/answers'

/**
 * The signed-in home (issue 15 item 6) for each persona, and the outbox that
 * never shows a secret link (item 7). Demo data is only read; a reset is
 * requested for a demo account, which changes nothing but adds a token.
 */

const context = { clientIp: '127.0.0.1' }
let coventryId: string

async function cookieFor(email: string): Promise<string> {
  const db = await getDb()
  const user = await db.selectFrom('users').select('id').where('authority_id', '=', coventryId).where('email', '=', email).executeTakeFirstOrThrow()
  const setCookie = await createSession(db, new Request('http://localhost/'), { id: user.id, authorityId: coventryId }, '127.0.0.1')
  return setCookie.split(';')[0]!
}

function get(path: string, cookie?: string) {
  return new Request(`http://localhost${path}`, { headers: cookie ? { Cookie: cookie } : {} })
}

async function sectionsOf(email: string): Promise<HomeSection[]> {
  const db = await getDb()
  const user = await getSessionUser(db, get('/', await cookieFor(email)))
  return homeSections(db, user!)
}

const item = (sections: HomeSection[], id: string, key: string) => sections.find((s) => s.id === id)?.items.find((i) => i.key === key)

beforeAll(async () => {
  const db = await getDb()
  await getBoss()
  coventryId = (await db.selectFrom('authorities').select('id').where('slug', '=', 'coventry').executeTakeFirstOrThrow()).id
})

afterAll(async () => {
  await stopJobs()
})

describe('the signed-in home', () => {
  it('anonymous visitors get today’s page; signed-in users their sections', async () => {
    const anonymous = await settle(homeLoader({ request: get('/'), params: {}, context }))
    expect(anonymous.body).toEqual({ signedIn: null })
    const head = await settle(homeLoader({ request: get('/', await cookieFor('head@elm-bank.example')), params: {}, context }))
    expect(head.status).toBe(200)
    expect(head.body.signedIn.schoolName).toBe('Elm Bank Primary School')
    expect(head.body.signedIn.sections.map((s: HomeSection) => s.id)).toEqual(['approvals', 'school'])
  })

  it('the headteacher sees the orders awaiting approval, as /approvals lists them', async () => {
    const db = await getDb()
    const head = await db
      .selectFrom('users')
      .select('school_id')
      .where('authority_id', '=', coventryId)
      .where('email', '=', 'head@elm-bank.example')
      .executeTakeFirstOrThrow()
    const awaiting = await listAwaitingApproval(db, coventryId, head.school_id!)
    const sections = await sectionsOf('head@elm-bank.example')
    const approvals = item(sections, 'approvals', 'approvals')
    if (awaiting.length === 0) expect(approvals).toBeUndefined()
    else {
      expect(approvals?.text).toBe(`${awaiting.length} ${awaiting.length === 1 ? 'order is' : 'orders are'} waiting for your approval`)
      expect(approvals?.href).toBe('/approvals')
    }
    // A headteacher does not answer the renewal proposal: the business manager does.
    expect(item(sections, 'school', 'renewal')).toBeUndefined()
  })

  it('Elm Bank’s business manager sees the renewal proposal and its closing date, and its invoices due', async () => {
    const db = await getDb()
    const school = await db
      .selectFrom('schools')
      .select('id')
      .where('authority_id', '=', coventryId)
      .where('name', '=', 'Elm Bank Primary School')
      .executeTakeFirstOrThrow()
    // Other test files answer Elm Bank's proposal (the renewals tests): the home asks for an answer while it is open.
    const proposal = await db
      .selectFrom('renewal_proposals')
      .select('status')
      .where('authority_id', '=', coventryId)
      .where('school_id', '=', school.id)
      .where('trading_year', '=', 2027)
      .executeTakeFirstOrThrow()
    const sections = await sectionsOf('buyer@elm-bank.example')
    expect(sections.map((s) => s.id)).toEqual(['school'])
    const renewal = item(sections, 'school', 'renewal')
    if (proposal.status === 'open') {
      expect(renewal?.text).toBe('Your renewal proposal for 2027/28 is waiting for your answer')
      expect(renewal?.detail).toBe('Answer it by 31 January 2027.')
      expect(renewal?.href).toBe('/renewals')
    } else expect(renewal).toBeUndefined()
    // Invoices: what is open for the school, as due and overdue, from the raw rows.
    const open = await db
      .selectFrom('invoices')
      .select(['due_on', 'gross_pence', 'amount_paid_pence', 'amount_credited_pence'])
      .where('authority_id', '=', coventryId)
      .where('school_id', '=', school.id)
      .where('status', '=', 'open')
      .execute()
    const owing = open.filter((i) => i.gross_pence - i.amount_paid_pence - i.amount_credited_pence > 0)
    const today = clock.today()
    const overdue = owing.filter((i) => i.due_on < today).length
    const due = owing.length - overdue
    expect(item(sections, 'school', 'invoices-overdue') ? overdue : 0).toBe(overdue)
    if (due > 0) expect(item(sections, 'school', 'invoices-due')?.text).toMatch(new RegExp(`^${due} invoices? (is|are) due$`))
    if (overdue > 0) expect(item(sections, 'school', 'invoices-overdue')?.text).toMatch(new RegExp(`^${overdue} invoices? (is|are) overdue$`))
  })

  it('finance sees the overdue invoices counted from the raw rows', async () => {
    const db = await getDb()
    const rows = await db
      .selectFrom('invoices')
      .select(['gross_pence', 'amount_paid_pence', 'amount_credited_pence'])
      .where('authority_id', '=', coventryId)
      .where('status', '=', 'open')
      .where('due_on', '<', clock.today())
      .execute()
    const overdue = rows.filter((i) => i.gross_pence - i.amount_paid_pence - i.amount_credited_pence > 0).length
    expect(overdue).toBeGreaterThan(0)
    const sections = await sectionsOf('finance@coventry.example')
    expect(sections.map((s) => s.id)).toEqual(['finance'])
    expect(item(sections, 'finance', 'overdue')?.text).toBe(`${overdue} ${overdue === 1 ? 'invoice is' : 'invoices are'} overdue`)
  })

  it('a service lead sees only their own services’ offers below cost and teams’ waiting lists; the LA admin a short list', async () => {
    const lead = await sectionsOf('lead.music@coventry.example')
    expect(lead.map((s) => s.id)).toEqual(['services'])
    for (const i of lead[0]!.items) {
      if (i.key.startsWith('below-cost:')) expect(i.href).toMatch(/^\/la\/services\/(coventry-music|instrument-hire)\/prices$/)
      else expect(i.href).toBe('/la/capacity')
    }
    const admin = await sectionsOf('admin@coventry.example')
    expect(admin.map((s) => s.id)).toEqual(['admin'])
    expect(item(admin, 'admin', 'renewal-window')?.text).toBe('Renewals for 2027/28 are open until 31 January 2027')
  })
})

describe('the outbox and secret links', () => {
  it('hides token links in text and HTML, leaving other links', () => {
    const text = 'Reset: http://localhost:3000/reset-password?token=abc_DEF-123 then http://localhost:3000/orders/1.'
    expect(redactText(text)).toBe(`Reset: ${HIDDEN_LINK} then http://localhost:3000/orders/1.`)
    const html =
      '<a href="http://x.example/set-password?token=s3cret" style="a">http://x.example/set-password?token=s3cret</a><a href="http://x.example/a?b=1&amp;token=t2">x</a>'
    const redacted = redactHtml(html)
    expect(redacted).not.toMatch(/s3cret|t2"/)
    expect(redacted).toContain('href="#link-hidden"')
  })

  it('the LA admin sees a password reset was sent, to whom and when, but never its link', async () => {
    const db = await getDb()
    const email = 'buyer@kingfisher.example'
    const before = clock.now()
    const asked = await settle(
      forgotAction({
        request: new Request('http://localhost/forgot-password', {
          method: 'POST',
          body: new URLSearchParams({ email }),
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        }),
        params: {},
        context,
      }),
    )
    expect(asked.status).toBe(200)
    const message = await db
      .selectFrom('email_messages')
      .selectAll()
      .where('authority_id', '=', coventryId)
      .where('to_address', '=', email)
      .where('template', '=', 'password-reset')
      .where('created_at', '>=', new Date(before.getTime() - 1000))
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow()
    const token = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(message.text)![1]!
    expect(message.html).toContain(token)

    const page = await settle(
      messageLoader({
        request: get(`/la/admin/outbox/${message.id}`, await cookieFor('admin@coventry.example')),
        params: { messageId: message.id },
        context,
      }),
    )
    expect(page.status).toBe(200)
    expect(page.body.message).toMatchObject({ to: email, template: 'password-reset', secret: true, links: [] })
    const served = JSON.stringify(page.body)
    expect(served).not.toContain(token)
    expect(served).not.toContain('reset-password?token')
    expect(page.body.message.text).toContain(HIDDEN_LINK)
    // The HTML preview, served to the page's frame: the email as sent, its link hidden, in a policy that runs no script.
    const preview = await previewLoader({
      request: get(`/la/admin/outbox/${message.id}/preview`, await cookieFor('admin@coventry.example')),
      params: { messageId: message.id },
      context,
    })
    expect(preview.status).toBe(200)
    expect(preview.headers.get('Content-Security-Policy')).toContain("script-src 'none'")
    const previewHtml = await preview.text()
    expect(previewHtml).toContain('Reset your password')
    expect(previewHtml).toContain('#link-hidden')
    expect(previewHtml).not.toContain(token)
    expect(previewHtml).not.toContain('reset-password?token')
  })

  it('other emails keep their links, built from APP_URL', async () => {
    const db = await getDb()
    const message = await db
      .selectFrom('email_messages')
      .select(['id', 'text'])
      .where('authority_id', '=', coventryId)
      .where('template', 'not in', ['invitation', 'password-reset'])
      .limit(1)
      .executeTakeFirst()
    if (!message) return
    const page = await settle(
      messageLoader({
        request: get(`/la/admin/outbox/${message.id}`, await cookieFor('admin@coventry.example')),
        params: { messageId: message.id },
        context,
      }),
    )
    expect(page.body.message.secret).toBe(false)
    for (const link of page.body.message.links) expect(link.startsWith(process.env.APP_URL ?? 'http://localhost:3000')).toBe(true)
  })
})
