import { sql } from 'kysely'
import { beforeAll, describe, expect, it } from 'vitest'
import { placeOrder } from '~/models/ordering/place-order.server'
import { listTermsVersions } from '~/models/catalogue/terms-versions.server'
import { loader as listLoader } from '~/routes/la.services._index'
import { action as editAction, loader as editLoader } from '~/routes/la.services.$slug'
import { loader as publicLoader } from '~/routes/services.$slug'
import { getDb } from '~/utils/db.server'
import { getBoss } from '~/utils/jobs.server'
import { createSession } from '~/utils/session.server'
import { clock } from '~/utils/clock'
import { buildOrderFixture, get, settle, type OrderFixture } from '../support/order-fixture'

/**
 * Editing a service (/la/services, /la/services/:slug), its statutory core on
 * the public page, and versioned terms kept on submitted lines. Changes are
 * made only to a throwaway service (tests/support/order-fixture.ts); the
 * demo's services are only read, and forms posted to them are refused.
 */

const context = { clientIp: '127.0.0.1' }
let f: OrderFixture
let coventryId: string
const cookies = { epLead: '', musicLead: '', admin: '', buyer: '', finance: '', fixtureLead: '' }

async function cookieFor(email: string): Promise<string> {
  const db = await getDb()
  const { id } = await db.selectFrom('users').select('id').where('authority_id', '=', coventryId).where('email', '=', email).executeTakeFirstOrThrow()
  const setCookie = await createSession(db, new Request('http://localhost/'), { id, authorityId: coventryId }, '127.0.0.1')
  return setCookie.split(';')[0]!
}

/** A POST of the form's fields; a list gives a field several values (checkboxes). */
function postForm(path: string, fields: Record<string, string | string[]>, cookie: string) {
  const body = new URLSearchParams()
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v)
  return new Request(`http://localhost${path}`, {
    method: 'POST',
    body,
    headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
  })
}

const list = (cookie: string) => settle(listLoader({ request: get('/la/services', cookie), params: {}, context }))
const page = (slug: string, cookie: string) => settle(editLoader({ request: get(`/la/services/${slug}`, cookie), params: { slug }, context }))
/** When the service was last saved, as the edit page gives it to the form. */
async function savedAtOf(slug: string): Promise<string> {
  const db = await getDb()
  const row = await db
    .selectFrom('services')
    .select(sql<string>`updated_at::text`.as('saved_at'))
    .where('authority_id', '=', coventryId)
    .where('slug', '=', slug)
    .executeTakeFirst()
  return row?.saved_at ?? ''
}

/** Posts the edit form as if just opened (with the service's last save), unless `savedAt` is given. */
const save = async (slug: string, fields: Record<string, string | string[]>, cookie: string) =>
  settle(
    editAction({
      request: postForm(`/la/services/${slug}`, { savedAt: await savedAtOf(slug), ...fields }, cookie),
      params: { slug },
      context,
    }),
  )
const publicPage = (slug: string, query = '', cookie?: string) =>
  publicLoader({
    request: new Request(`http://localhost/services/${slug}${query}`, { headers: cookie ? { Cookie: cookie } : {} }),
    params: { slug },
    context,
  })

const slugOf = () => `s-${f.run}`

function form(overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    name: `Test service ${f.run}`,
    summary: 'Time with a specialist for your pupils.',
    description: 'First paragraph.\r\n\r\nSecond paragraph.',
    phases: ['secondary', 'primary'],
    included: '- A named specialist\r\n\r\n• A termly plan\r\n',
    excluded: '',
    statutoryCore: 'Statutory assessments for every school.',
    chargesBegin: 'Charges begin with work the school asks for.',
    terms: 'Terms A',
    contactName: 'Test Team',
    contactEmail: 'Test.Team@Coventry.example',
    contactPhone: '024 7601 0000',
    incomeCode: 'inc-t01',
    published: 'no',
    ...overrides,
  }
}

async function serviceRow() {
  const db = await getDb()
  return db.selectFrom('services').selectAll().where('authority_id', '=', coventryId).where('id', '=', f.serviceId).executeTakeFirstOrThrow()
}

async function auditActions() {
  const db = await getDb()
  const rows = await db
    .selectFrom('audit_events')
    .select(['action', 'details', 'actor_user_id'])
    .where('authority_id', '=', coventryId)
    .where('subject_type', '=', 'service')
    .where('subject_id', '=', f.serviceId)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
  return rows
}

/** Submits a one-line draft order of the fixture's offer, as the basket and renewals do (placeOrder), and returns the line's terms version. */
async function submitOneLine(): Promise<string | null> {
  const db = await getDb()
  const order = await f.order({ status: 'draft', lines: [{ quantity: 1 }] })
  await db.transaction().execute((trx) =>
    placeOrder(trx, {
      authorityId: f.authorityId,
      orderId: order.id,
      userId: f.buyer.id,
      approvalLimitPence: 250_000,
      startMonth: 4,
      fromStatus: 'draft',
      now: clock.now(),
    }),
  )
  const line = await db
    .selectFrom('order_lines')
    .select(['status', 'terms_version_id'])
    .where('authority_id', '=', f.authorityId)
    .where('id', '=', order.lineIds[0]!)
    .executeTakeFirstOrThrow()
  expect(line.status).toBe('submitted')
  return line.terms_version_id
}

beforeAll(async () => {
  const db = await getDb()
  await getBoss()
  coventryId = (await db.selectFrom('authorities').select('id').where('slug', '=', 'coventry').executeTakeFirstOrThrow()).id
  f = await buildOrderFixture(db, { roomForDays: 20 })
  cookies.epLead = await cookieFor('lead.ep@coventry.example')
  cookies.musicLead = await cookieFor('lead.music@coventry.example')
  cookies.admin = await cookieFor('admin@coventry.example')
  cookies.buyer = await cookieFor('buyer@elm-bank.example')
  cookies.finance = await cookieFor('finance@coventry.example')
  cookies.fixtureLead = await f.cookieFor(f.lead.id)
})

describe('/la/services', () => {
  it('shows a service lead their own services, with offers counted by status', async () => {
    const answer = await list(cookies.epLead)
    expect(answer.status).toBe(200)
    expect(answer.body.categories).toEqual([
      {
        slug: 'send-support',
        name: 'SEND support',
        services: [{ slug: 'educational-psychology', name: 'Educational Psychology', isPublished: true, offers: expect.any(Object) }],
      },
    ])
    const db = await getDb()
    const offers = await db
      .selectFrom('offers as o')
      .innerJoin('services as s', (j) => j.onRef('s.authority_id', '=', 'o.authority_id').onRef('s.id', '=', 'o.service_id'))
      .select(['o.is_published'])
      .where('o.authority_id', '=', coventryId)
      .where('s.slug', '=', 'educational-psychology')
      .execute()
    const counts = answer.body.categories[0].services[0].offers
    expect(counts.on_sale + counts.draft + counts.retired).toBe(offers.length)
    expect(counts.on_sale).toBe(offers.filter((o) => o.is_published).length)
  })

  it('shows the LA administrator every service, by category; a throwaway draft service counts its draft offer', async () => {
    const answer = await list(cookies.admin)
    expect(answer.status).toBe(200)
    const slugs = answer.body.categories.flatMap((c: { services: { slug: string }[] }) => c.services.map((s) => s.slug))
    expect(slugs).toEqual(expect.arrayContaining(['educational-psychology', 'coventry-music', 'school-attendance', slugOf()]))
    expect(answer.body.categories[0].name).toBe('SEND support')
    const mine = answer.body.categories.flatMap((c: { services: unknown[] }) => c.services).find((s: { slug: string }) => s.slug === slugOf())
    expect(mine).toMatchObject({ isPublished: false, offers: { on_sale: 0, draft: 1, retired: 0 } })
  })

  it('refuses school users and finance (403), and sends anonymous people to sign in', async () => {
    expect((await list(cookies.buyer)).status).toBe(403)
    expect((await list(cookies.finance)).status).toBe(403)
    const anonymous = await settle(listLoader({ request: new Request('http://localhost/la/services'), params: {}, context }))
    expect(anonymous.status).toBe(302)
    expect(anonymous.location).toBe('/login?redirectTo=%2Fla%2Fservices')
  })
})

describe('editing a service', () => {
  it('shows its lead the form, its offers with their status, and where to add offers and prices', async () => {
    const answer = await page(slugOf(), cookies.fixtureLead)
    expect(answer.status).toBe(200)
    expect(answer.body.values).toMatchObject({ name: `Test service ${f.run}`, published: 'no', statutoryCore: '', chargesBegin: '' })
    expect(answer.body.offers).toEqual([{ id: f.offerId, name: 'Day', pricingModel: 'per_unit', status: 'draft' }])
    expect((await page(slugOf(), cookies.admin)).status).toBe(200)
  })

  it('saves every field, the statutory core included, audits each change from and to, and makes the terms version 1', async () => {
    const before = await auditActions()
    const answer = await save(slugOf(), form(), cookies.fixtureLead)
    expect(answer.status).toBe(302)
    expect(answer.location).toBe(`/la/services/${slugOf()}?saved=1&terms=1`)
    const row = await serviceRow()
    expect(row).toMatchObject({
      summary: 'Time with a specialist for your pupils.',
      description: 'First paragraph.\n\nSecond paragraph.',
      phases: ['primary', 'secondary'],
      included: ['A named specialist', 'A termly plan'],
      excluded: [],
      statutory_core: 'Statutory assessments for every school.',
      charges_begin: 'Charges begin with work the school asks for.',
      terms: 'Terms A',
      contact_email: 'test.team@coventry.example',
      contact_phone: '024 7601 0000',
      income_code: 'INC-T01',
      is_published: false,
    })
    // Both events are written in the save's transaction (one timestamp): found by action.
    const audit = (await auditActions()).slice(before.length)
    expect(audit.map((a) => a.action).sort()).toEqual(['service.terms_versioned', 'service.updated'])
    const updated = audit.find((a) => a.action === 'service.updated')!
    expect(updated.actor_user_id).toBe(f.lead.id)
    expect(updated.details).toMatchObject({
      changes: {
        statutory_core: { from: '', to: 'Statutory assessments for every school.' },
        terms: { from: '', to: 'Terms A' },
        income_code: { from: null, to: 'INC-T01' },
      },
    })
    expect(audit.find((a) => a.action === 'service.terms_versioned')!.details).toMatchObject({ version: 1 })

    // The page shows the version in force.
    const shown = await page(slugOf(), cookies.fixtureLead)
    expect(shown.body.versions.map((v: { version: number }) => v.version)).toEqual([1])
    expect(shown.body.values.included).toBe('A named specialist\nA termly plan')

    // Saving the same again changes and audits nothing.
    expect((await save(slugOf(), form(), cookies.fixtureLead)).location).toBe(`/la/services/${slugOf()}?saved=1`)
    expect((await auditActions()).length).toBe(before.length + 2)
  })

  it('answers bad input with 400 and a message for each field, and saves nothing', async () => {
    const before = await serviceRow()
    const answer = await save(
      slugOf(),
      form({
        name: '  ',
        phases: ['martian'],
        included: '\n \n',
        contactEmail: 'not an email',
        contactPhone: 'call me',
        incomeCode: 'INC 01!',
        published: 'maybe',
        terms: 'x'.repeat(5_001),
      }),
      cookies.fixtureLead,
    )
    expect(answer.status).toBe(400)
    expect(answer.body.errors).toEqual({
      name: 'Enter the name of the service',
      phases: 'Select phases from the list',
      included: 'Enter at least one thing the service includes, one a line',
      contactEmail: 'Enter the contact email address in the correct format, like name@example.com',
      contactPhone: 'Enter the contact phone number with numbers, spaces and brackets only, like 024 7601 0101',
      incomeCode: 'CFR or income code must be letters, numbers, hyphens, dots or slashes, like INC-EP01',
      published: 'Select whether schools can see the service',
      terms: 'Terms must be 5,000 characters or fewer',
    })
    expect(answer.body.values.name).toBe('  ')
    expect(await serviceRow()).toEqual(before)
    // No phase at all, and an empty form: refused too.
    expect((await save(slugOf(), form({ phases: [] }), cookies.fixtureLead)).body.errors).toEqual({
      phases: 'Select the phases of school the service is for',
    })
    expect((await save(slugOf(), {}, cookies.fixtureLead)).status).toBe(400)
    expect(await serviceRow()).toEqual(before)
  })

  it('tells a second editor that someone saved first, and saves nothing until they save again', async () => {
    const opened = (await page(slugOf(), cookies.fixtureLead)).body.savedAt as string
    expect(opened).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/)
    // The administrator saves first.
    expect((await save(slugOf(), form({ summary: 'Saved by the administrator.' }), cookies.admin)).status).toBe(302)
    const after = await serviceRow()
    const second = await save(slugOf(), form({ summary: 'Saved by the lead.', savedAt: opened }), cookies.fixtureLead)
    expect(second.status).toBe(409)
    expect(second.body.notice).toMatch(/^Someone else saved this service after you opened this page/)
    expect(second.body.values.summary).toBe('Saved by the lead.')
    expect(await serviceRow()).toEqual(after)
    // Saving again (the form now carries the latest save) goes through.
    expect((await save(slugOf(), form({ summary: 'Saved by the lead.', savedAt: second.body.savedAt }), cookies.fixtureLead)).status).toBe(302)
    expect((await serviceRow()).summary).toBe('Saved by the lead.')
    await save(slugOf(), form(), cookies.fixtureLead)
  })

  it('refuses a service lead another service (403): the EP lead on this one, the music lead on Educational Psychology', async () => {
    const before = await serviceRow()
    expect((await page(slugOf(), cookies.epLead)).status).toBe(403)
    expect((await save(slugOf(), form({ name: 'Taken over' }), cookies.epLead)).status).toBe(403)
    expect(await serviceRow()).toEqual(before)

    expect((await page('educational-psychology', cookies.musicLead)).status).toBe(403)
    expect((await save('educational-psychology', form({ name: 'Taken over' }), cookies.musicLead)).status).toBe(403)
    expect((await page('coventry-music', cookies.musicLead)).status).toBe(200)
    // School users and finance are refused; an unknown service is not found.
    expect((await page(slugOf(), cookies.buyer)).status).toBe(403)
    expect((await save(slugOf(), form(), cookies.finance)).status).toBe(403)
    expect((await page('no-such-service', cookies.admin)).status).toBe(404)
    expect((await page('Not A Slug', cookies.admin)).status).toBe(404)
    expect(await serviceRow()).toEqual(before)
  })
})

describe('versioned terms', () => {
  it('a submitted line keeps the version the school accepted when the terms change', async () => {
    await save(slugOf(), form({ terms: 'Terms A' }), cookies.fixtureLead)
    const db = await getDb()
    const [v1] = await listTermsVersions(db, coventryId, f.serviceId)
    expect(v1).toMatchObject({ version: 1, terms: 'Terms A' })

    const first = await submitOneLine()
    expect(first).toBe(v1!.id)

    const changed = await save(slugOf(), form({ terms: 'Terms B: 30 days’ notice' }), cookies.fixtureLead)
    expect(changed.location).toBe(`/la/services/${slugOf()}?saved=1&terms=2`)
    const versions = await listTermsVersions(db, coventryId, f.serviceId)
    expect(versions.map((v) => [v.version, v.terms])).toEqual([
      [2, 'Terms B: 30 days’ notice'],
      [1, 'Terms A'],
    ])
    expect((await serviceRow()).terms).toBe('Terms B: 30 days’ notice')

    // The line submitted before keeps version 1; a line submitted now takes version 2.
    const kept = await db
      .selectFrom('order_lines')
      .select('terms_version_id')
      .where('authority_id', '=', coventryId)
      .where('terms_version_id', '=', v1!.id)
      .execute()
    expect(kept).toHaveLength(1)
    expect(await submitOneLine()).toBe(versions[0]!.id)

    // A change of something else makes no new version.
    await save(slugOf(), form({ terms: 'Terms B: 30 days’ notice', summary: 'Another summary.' }), cookies.fixtureLead)
    expect(await listTermsVersions(db, coventryId, f.serviceId)).toHaveLength(2)
  })

  it('every seeded service has its terms as version 1, and the demo’s submitted lines name it', async () => {
    const db = await getDb()
    const services = await db
      .selectFrom('services as s')
      .leftJoin('service_terms_versions as v', (j) =>
        j.onRef('v.authority_id', '=', 's.authority_id').onRef('v.service_id', '=', 's.id').on('v.version', '=', 1),
      )
      .select(['s.slug', 's.terms', 'v.terms as version_terms'])
      .where('s.authority_id', '=', coventryId)
      .where('s.slug', 'not like', 's-%')
      .execute()
    expect(services.length).toBeGreaterThan(10)
    for (const s of services) expect(s.version_terms, s.slug).toBe(s.terms)

    const lines = await db
      .selectFrom('order_lines as l')
      .innerJoin('orders as o', (j) => j.onRef('o.authority_id', '=', 'l.authority_id').onRef('o.id', '=', 'l.order_id'))
      .innerJoin('offers as f', (j) => j.onRef('f.authority_id', '=', 'l.authority_id').onRef('f.id', '=', 'l.offer_id'))
      .leftJoin('service_terms_versions as v', (j) => j.onRef('v.authority_id', '=', 'l.authority_id').onRef('v.id', '=', 'l.terms_version_id'))
      .select(['l.status', 'v.service_id', 'v.version', 'f.service_id as offer_service_id'])
      .where('l.authority_id', '=', coventryId)
      .where('o.reference', 'like', 'ORD-%')
      .where('l.status', '<>', 'draft')
      .execute()
    expect(lines.length).toBeGreaterThan(100)
    for (const line of lines) {
      expect(line.version).not.toBeNull()
      expect(line.service_id).toBe(line.offer_service_id)
    }
  })
})

describe('the public service page', () => {
  it('says what every school receives without charge, and where charges begin', async () => {
    const ep = await publicPage('educational-psychology')
    expect(ep.service.statutoryCore).toContain('education, health and care plan')
    expect(ep.service.chargesBegin).toMatch(/^Charges begin/)
    const attendance = await publicPage('school-attendance')
    expect(attendance.service.statutoryCore).toContain('core attendance functions')
  })

  it('shows council staff the page as an academy or a maintained school would see it; anyone else’s ?preview= is ignored', async () => {
    const outreach = (data: Awaited<ReturnType<typeof publicPage>>) => data.service.offers.find((o) => o.slug === 'semh-outreach-days')!.pricing
    const anonymous = await publicPage('semh-support')
    expect(outreach(anonymous)).toHaveLength(2)
    expect(outreach(anonymous)[0]).toMatch(/^Maintained schools: /)

    const asAcademy = await publicPage('semh-support', '?preview=academy', cookies.admin)
    expect(asAcademy.preview).toBe('academy')
    expect(asAcademy.canOrder).toBe(false)
    expect(outreach(asAcademy)).toEqual([outreach(anonymous)[1]!.replace(/^Academies: /, '')])
    const asMaintained = await publicPage('semh-support', '?preview=maintained', cookies.epLead)
    expect(outreach(asMaintained)).toEqual([outreach(anonymous)[0]!.replace(/^Maintained schools: /, '')])

    // Not for anyone else: the preview is ignored.
    const anonymousPreview = await publicPage('semh-support', '?preview=academy')
    expect(anonymousPreview.preview).toBeNull()
    expect(outreach(anonymousPreview)).toEqual(outreach(anonymous))
    const buyer = await publicPage('semh-support', '?preview=academy', cookies.buyer)
    expect(buyer.preview).toBeNull()
    expect(buyer.canOrder).toBe(true)
    expect(outreach(buyer)).toEqual(outreach(asMaintained))
    const nonsense = await publicPage('semh-support', '?preview=%3Cscript%3E', cookies.admin)
    expect(nonsense.preview).toBeNull()
  })
})
