import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD_HASH } from '../../db/seed/factories'
import { readGiasExtract } from '~/models/admin/gias-csv.server'
import { applyImport, previewImport, storeImport, type ImportPreview } from '~/models/admin/school-import.server'
import type { Actor } from '~/models/shared/actor.server'
import { isNotFound } from '~/models/shared/results'
import { action as importAction, loader as importLoader } from '~/routes/la.admin.schools.import'
import { action as newSchoolAction } from '~/routes/la.admin.schools.new'
import { action as editSchoolAction, loader as editSchoolLoader } from '~/routes/la.admin.schools.$schoolId'
import { getDb } from '~/utils/db.server'
import { createSession } from '~/utils/session.server'
import { addToBasket } from '~/models/ordering/basket-changes.server'
import { submitBasket } from '~/models/ordering/place-order.server'
import { buildOrderFixture } from '../support/order-fixture'
import { settle } from '../support/answers'

/**
 * The GIAS import and "Add a school", on an authority of their own made for
 * this file (LA code 331, like Coventry's) and removed afterwards, so that
 * the demo's 116 schools, which other tests count, are never touched.
 */

const run = randomUUID().slice(0, 8)
const context = { clientIp: '127.0.0.1' }
const authorityId = randomUUID()
const adminId = randomUUID()
let actor: Actor
let cookie: string

const kind = process.env.BUYBACK_TEST_SERVER_URL ? 'PostgreSQL' : 'embedded PGlite'

// ---------------------------------------------------------------------------
// A GIAS-format extract: the columns SPEC §8 names among many others, a BOM,
// quoted fields with commas, CRLF line ends.

const EXTRA = Array.from({ length: 40 }, (_, i) => `Extra column ${i + 1} (name)`)
const HEADER = [
  'URN',
  'LA (code)',
  'LA (name)',
  'EstablishmentNumber',
  'EstablishmentName',
  'TypeOfEstablishment (name)',
  'EstablishmentTypeGroup (name)',
  'EstablishmentStatus (name)',
  'OpenDate',
  'CloseDate',
  'PhaseOfEducation (name)',
  'NumberOfPupils',
  'Trusts (name)',
  'Street',
  ...EXTRA,
]

type Row = {
  urn: string
  la?: string
  name: string
  type?: 'maintained' | 'academy'
  status?: string
  open?: string
  close?: string
  phase?: string
  pupils?: string
  trust?: string
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value
}

function line(r: Row): string {
  const academy = r.type === 'academy'
  const cells = [
    r.urn,
    r.la ?? '331',
    'Coventry',
    '2001',
    r.name,
    academy ? 'Academy converter' : 'Community school',
    academy ? 'Academies' : 'Local authority maintained schools',
    r.status ?? 'Open',
    r.open ?? '',
    r.close ?? '',
    r.phase ?? 'Primary',
    r.pupils ?? '300',
    r.trust ?? '',
    '1, High Street, Coventry',
    ...EXTRA.map((_, i) => (i % 7 === 0 ? 'Yes, with "quotes", and commas' : `value ${i}`)),
  ]
  return cells.map(csvField).join(',')
}

function extract(rows: Row[]): Uint8Array {
  return new TextEncoder().encode(`\uFEFF${[HEADER.map(csvField).join(','), ...rows.map(line)].join('\r\n')}\r\n`)
}

const bigRows: Row[] = Array.from({ length: 25_000 }, (_, i) => ({
  urn: String(500_000 + i),
  name: `Generated School ${i}, Coventry`,
  type: i % 3 === 0 ? 'academy' : 'maintained',
  phase: i % 5 === 0 ? 'Secondary' : 'Primary',
  pupils: String(100 + (i % 900)),
  trust: i % 3 === 0 ? `Trust ${i % 50}, Midlands` : '',
  open: '01-09-2010',
}))
// Another LA's rows, ignored.
const otherLa: Row[] = Array.from({ length: 300 }, (_, i) => ({ urn: String(600_000 + i), la: '330', name: `Elsewhere ${i}` }))
const bigFile = extract([...bigRows, ...otherLa])

async function importBytes(bytes: Uint8Array) {
  const db = await getDb()
  const read = await readGiasExtract(bytes, '331')
  if (!read.ok) throw new Error(read.message)
  const id = await storeImport(db, actor, { fileName: 'extract.csv', laCode: '331', extract: read.extract })
  const preview = await previewImport(db, authorityId, id)
  if (isNotFound(preview)) throw new Error('no preview')
  return { id, preview: preview as ImportPreview }
}

async function school(urn: string) {
  const db = await getDb()
  return db.selectFrom('schools').selectAll().where('authority_id', '=', authorityId).where('urn', '=', urn).executeTakeFirstOrThrow()
}

beforeAll(async () => {
  const db = await getDb()
  await db
    .insertInto('authorities')
    .values({
      id: authorityId,
      slug: `import-test-${run}`,
      name: `Import Test Council ${run}`,
      invoice_prefix: 'IMP',
      contact_email: `traded@import-${run}.example`,
      la_code: '331',
    })
    .execute()
  await db
    .insertInto('users')
    .values({ authority_id: authorityId, id: adminId, email: `admin@import-${run}.example`, name: 'Import Admin', password_hash: DEMO_PASSWORD_HASH })
    .execute()
  await db.insertInto('user_roles').values({ authority_id: authorityId, user_id: adminId, role: 'la_admin' }).execute()
  actor = { userId: adminId, name: 'Import Admin', authorityId, schoolId: null, ip: '127.0.0.1', userAgent: 'vitest' }
  cookie = (await createSession(db, new Request('http://localhost/'), { id: adminId, authorityId }, '127.0.0.1')).split(';')[0]!
})

afterAll(async () => {
  const db = await getDb()
  for (const table of ['audit_events', 'sessions', 'school_imports', 'user_roles', 'users', 'schools'] as const) {
    await db.deleteFrom(table).where('authority_id', '=', authorityId).execute()
  }
  await db.deleteFrom('authorities').where('id', '=', authorityId).execute()
})

describe('importing a GIAS extract', () => {
  it('imports 25,000 rows in one transaction, streamed, and audits it', async () => {
    const started = performance.now()
    const { id, preview } = await importBytes(bigFile)
    expect(preview.diff.added).toHaveLength(25_000)
    expect(preview.stored.ignored).toEqual({ otherLa: 300, notSoldTo: 0 })
    const applied = await applyImport(await getDb(), actor, id)
    const ms = Math.round(performance.now() - started)
    console.info(`25,000-row GIAS import: ${ms} ms on ${kind}`)
    expect(applied).toEqual({ kind: 'applied', summary: { added: 25_000, updated: 0, closed: 0, converted: 0, unchanged: 0 } })

    const db = await getDb()
    const { count } = await db
      .selectFrom('schools')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('authority_id', '=', authorityId)
      .executeTakeFirstOrThrow()
    expect(Number(count)).toBe(25_000)
    expect(await school('500003')).toMatchObject({
      name: 'Generated School 3, Coventry',
      school_type: 'academy',
      finance_route: 'invoice',
      phase: 'primary',
      pupil_count: 103,
      trust_name: 'Trust 3, Midlands',
      opened_on: '2010-09-01',
      status: 'open',
      approval_limit_pence: 250_000,
    })
    expect(await school('500001')).toMatchObject({ school_type: 'maintained', finance_route: 'internal_recharge' })
    const audits = await db
      .selectFrom('audit_events')
      .select(['action', (eb) => eb.fn.countAll<string>().as('count')])
      .where('authority_id', '=', authorityId)
      .groupBy('action')
      .execute()
    expect(Object.fromEntries(audits.map((a) => [a.action, Number(a.count)]))).toEqual({ 'school.created': 25_000, 'schools.imported': 1 })

    // Applying the same import again does nothing.
    expect(await applyImport(db, actor, id)).toEqual({ kind: 'already_applied' })
  })

  it('changes nothing when the same file is imported again: the preview says no changes', async () => {
    const before = await school('500010')
    const { id, preview } = await importBytes(bigFile)
    expect(preview.diff).toMatchObject({ added: [], updated: [], unchanged: 25_000 })
    expect(await applyImport(await getDb(), actor, id)).toEqual({
      kind: 'applied',
      summary: { added: 0, updated: 0, closed: 0, converted: 0, unchanged: 25_000 },
    })
    expect(await school('500010')).toEqual(before)
  })

  it('reports a bad row by its line and applies the others: changed, closed and converted schools, through the page', async () => {
    const rows: Row[] = [
      { urn: '500001', name: 'Generated School 1, Coventry', pupils: '150', open: '01-09-2010' },
      { urn: '12345', name: 'Too Short URN School' },
      { urn: '500002', name: 'Generated School 2, Coventry', status: 'Closed', close: '31-08-2026', pupils: '102', open: '01-09-2010' },
      { urn: '500004', name: 'Generated School 4, Coventry', type: 'academy', open: '01-10-2026', trust: 'Spire Trust', pupils: '104' },
      { urn: '500005', name: 'No Phase School', phase: 'Not applicable' },
      { urn: '700001', name: 'Brand New Academy', type: 'academy', pupils: '', phase: 'All-through' },
    ]
    const form = new FormData()
    form.set('laCode', '331')
    form.set('file', new File([extract(rows) as BlobPart], 'small.csv', { type: 'text/csv' }))
    const checked = await settle(
      importAction({
        request: new Request('http://localhost/la/admin/schools/import', { method: 'POST', body: form, headers: { Cookie: cookie } }),
        params: {},
        context,
      }),
    )
    expect(checked.status).toBe(302)
    const location = checked.location!
    const id = new URL(location, 'http://localhost').searchParams.get('id')!
    const page = await settle(
      importLoader({ request: new Request(`http://localhost${location}`, { headers: { Cookie: cookie } }), params: {}, context }),
    )
    const preview = page.body.preview
    expect(preview.counts).toMatchObject({ added: 1, changed: 1, closed: 1, converted: 1, bad: 2 })
    expect(preview.bad.map((b: { cells: string[] }) => b.cells)).toEqual([
      ['3', '12345', 'URN “12345” is not 6 digits'],
      ['6', '500005', 'Unknown phase “Not applicable”'],
    ])
    expect(preview.changed[0].cells).toEqual(['Generated School 1, Coventry', '500001', 'Pupils: 101 → 150'])
    expect(preview.converted[0].cells).toEqual(['Generated School 4, Coventry', '500004', '1 October 2026', 'Spire Trust'])

    const applied = await settle(
      importAction({
        request: new Request('http://localhost/la/admin/schools/import', {
          method: 'POST',
          body: new URLSearchParams({ intent: 'apply', importId: id }),
          headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
        }),
        params: {},
        context,
      }),
    )
    expect(applied).toMatchObject({ status: 302, location: `/la/admin/schools/import?id=${id}` })
    expect(await school('500001')).toMatchObject({ pupil_count: 150 })
    expect(await school('500002')).toMatchObject({ status: 'closed', closed_on: '2026-08-31' })
    expect(await school('500004')).toMatchObject({
      school_type: 'academy',
      finance_route: 'invoice',
      converted_to_academy_on: '2026-10-01',
      trust_name: 'Spire Trust',
    })
    expect(await school('700001')).toMatchObject({ school_type: 'academy', phase: 'all_through', pupil_count: 0 })
    const after = await settle(
      importLoader({ request: new Request(`http://localhost${location}`, { headers: { Cookie: cookie } }), params: {}, context }),
    )
    expect(after.body.preview.applied.summary).toEqual({ added: 1, updated: 3, closed: 1, converted: 1, unchanged: 0 })
  })

  it('refuses an upload without a file or with a bad LA code, and a file that is not an extract, with GOV.UK errors', async () => {
    const post = async (fields: Record<string, string | File>) => {
      const form = new FormData()
      for (const [k, v] of Object.entries(fields)) form.set(k, v)
      return settle(
        importAction({
          request: new Request('http://localhost/la/admin/schools/import', { method: 'POST', body: form, headers: { Cookie: cookie } }),
          params: {},
          context,
        }),
      )
    }
    const none = await post({ laCode: '33' })
    expect(none.status).toBe(400)
    expect(none.body.errors).toEqual({ laCode: 'LA code must be 3 digits, like 331', file: 'Select a GIAS establishment CSV file' })
    const wrong = await post({ laCode: '331', file: new File(['Name,Email\nA,b@c.d\n'], 'people.csv') })
    expect(wrong.status).toBe(400)
    expect(wrong.body.errors.file).toContain('not a GIAS establishment extract')
  })
})

describe('adding a school', () => {
  const add = (fields: Record<string, string>) =>
    settle(
      newSchoolAction({
        request: new Request('http://localhost/la/admin/schools/new', {
          method: 'POST',
          body: new URLSearchParams(fields),
          headers: { Cookie: cookie },
        }),
        params: {},
        context,
      }),
    )
  const good = {
    urn: '710001',
    name: 'Hand Added Academy',
    phase: 'secondary',
    schoolType: 'academy',
    pupilCount: '1,020',
    approvalLimit: '5000',
    poNumberRequired: 'yes',
    costCentre: '',
    addressLine1: '2 School Lane',
    town: 'Coventry',
    postcode: 'cv1 5rr',
    email: 'Office@Hand.example',
    phone: '024 7600 0000',
    headteacherName: 'Ms A Head',
  }

  it('refuses bad input, each problem at its field, and adds nothing', async () => {
    const answer = await add({ ...good, urn: '7100', name: ' ', phase: '', pupilCount: 'many', postcode: 'nowhere', email: 'nope' })
    expect(answer.status).toBe(400)
    expect(answer.body.errors).toEqual({
      urn: 'URN must be 6 digits, like 103456',
      name: 'Enter the school’s name',
      phase: 'Select the school’s phase',
      pupilCount: 'Pupil count must be a whole number, like 420',
      postcode: 'Enter a real postcode, like CV1 5RR',
      email: 'Enter an email address in the correct format, like office@school.example',
    })
    expect(answer.body.values.name).toBe(' ')
  })

  it('adds a school whose finance route follows its type, audited, and refuses its URN a second time', async () => {
    const answer = await add(good)
    expect(answer.status).toBe(302)
    expect(await school('710001')).toMatchObject({
      name: 'Hand Added Academy',
      phase: 'secondary',
      school_type: 'academy',
      finance_route: 'invoice',
      pupil_count: 1020,
      approval_limit_pence: 500_000,
      po_number_required: true,
      postcode: 'CV1 5RR',
      email: 'office@hand.example',
      status: 'open',
    })
    const maintained = await add({ ...good, urn: '710002', name: 'Hand Added Primary', phase: 'primary', schoolType: 'maintained' })
    expect(maintained.status).toBe(302)
    expect(await school('710002')).toMatchObject({ finance_route: 'internal_recharge' })

    const again = await add({ ...good, name: 'Another Name' })
    expect(again.status).toBe(400)
    expect(again.body.errors).toEqual({ urn: 'URN 710001 is already in the register: Hand Added Academy' })
    const db = await getDb()
    const created = await db
      .selectFrom('audit_events')
      .select('details')
      .where('authority_id', '=', authorityId)
      .where('action', '=', 'school.created')
      .where('subject_id', '=', (await school('710001')).id)
      .execute()
    expect(created).toHaveLength(1)
  })
})

describe('editing a school', () => {
  it('changes every field, closes the school with today’s date, and refuses another school’s URN', async () => {
    const { id } = await school('710002')
    const page = await settle(
      editSchoolLoader({
        request: new Request(`http://localhost/la/admin/schools/${id}`, { headers: { Cookie: cookie } }),
        params: { schoolId: id },
        context,
      }),
    )
    const values = page.body.values
    expect(values).toMatchObject({ urn: '710002', name: 'Hand Added Primary', phase: 'primary', status: 'open', postcode: 'CV1 5RR' })
    const edit = (fields: Record<string, string>) =>
      settle(
        editSchoolAction({
          request: new Request(`http://localhost/la/admin/schools/${id}`, {
            method: 'POST',
            body: new URLSearchParams({ ...values, ...fields }),
            headers: { Cookie: cookie },
          }),
          params: { schoolId: id },
          context,
        }),
      )
    const taken = await edit({ urn: '710001' })
    expect(taken.status).toBe(400)
    expect(taken.body.errors).toEqual({ urn: 'URN 710001 is already in the register: Hand Added Academy' })
    const saved = await edit({
      urn: '710003',
      name: 'Renamed Primary',
      phase: 'special',
      status: 'closed',
      town: 'Kenilworth',
      headteacherName: 'Mr B Head',
      costCentre: 'CC-77',
    })
    expect(saved.status).toBe(302)
    expect(await school('710003')).toMatchObject({
      id,
      name: 'Renamed Primary',
      phase: 'special',
      status: 'closed',
      closed_on: '2026-11-22',
      town: 'Kenilworth',
      headteacher_name: 'Mr B Head',
      cost_centre: 'CC-77',
    })
  })
})

describe('a closed school', () => {
  it('can no longer add to its basket or submit it, and is told why', async () => {
    const db = await getDb()
    const fixture = await buildOrderFixture(db, { roomForDays: 20 })
    const buyer = { userId: fixture.buyer.id, authorityId: fixture.authorityId, schoolId: fixture.schoolId }
    const basket = await fixture.order({ status: 'draft', lines: [{ quantity: 1 }] })
    await db
      .updateTable('schools')
      .set({ status: 'closed', closed_on: '2026-11-20' })
      .where('authority_id', '=', fixture.authorityId)
      .where('id', '=', fixture.schoolId)
      .execute()
    const refused = await addToBasket(db, buyer, { offerId: fixture.offerId, quantity: 1, tradingYear: 2026 })
    expect(refused).toMatchObject({
      ok: false,
      field: 'quantity',
      message: expect.stringContaining('is closed in the council’s register of schools'),
    })
    const submitted = await submitBasket(db, buyer, basket.id)
    expect(submitted).toMatchObject({ kind: 'problem', message: expect.stringContaining('so it cannot order') })
  })
})
