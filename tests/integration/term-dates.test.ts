import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { action, loader } from '~/routes/la.admin.term-dates'
import { loadTerms } from '~/models/shared/terms.server'
import { getDb } from '~/utils/db.server'
import { createSession } from '~/utils/session.server'
import { settle } from '../support/answers'

/**
 * The LA administrator's term dates page, through its loader and action, on
 * the run's shared seeded database. Only 2028/29 (which the seed leaves
 * without terms) is written, and removed afterwards: the demo's terms,
 * which other tests price and bill by, are only read.
 */

const context = { clientIp: '127.0.0.1' }
const YEAR = 2028
let coventryId: string
let northfieldId: string
let adminCookie: string
let northfieldCookie: string
let financeCookie: string

async function cookieFor(email: string, authorityId: string): Promise<string> {
  const db = await getDb()
  const { id } = await db
    .selectFrom('users')
    .select('id')
    .where('authority_id', '=', authorityId)
    .where('email', '=', email)
    .executeTakeFirstOrThrow()
  const setCookie = await createSession(db, new Request('http://localhost/'), { id, authorityId }, '127.0.0.1')
  return setCookie.split(';')[0]!
}

const page = (query: string, cookie = adminCookie) =>
  settle(loader({ request: new Request(`http://localhost/la/admin/term-dates${query}`, { headers: { Cookie: cookie } }), params: {}, context }))

const save = (fields: Record<string, string>, cookie = adminCookie) =>
  settle(
    action({
      request: new Request(`http://localhost/la/admin/term-dates?year=${fields.year ?? ''}`, {
        method: 'POST',
        body: new URLSearchParams(fields),
        headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
      params: {},
      context,
    }),
  )

const year2028 = (overrides: Record<string, string> = {}) => ({
  year: String(YEAR),
  summerStartsOn: '2028-04-19',
  summerEndsOn: '2028-07-21',
  autumnStartsOn: '2028-09-04',
  autumnEndsOn: '2028-12-20',
  springStartsOn: '2029-01-08',
  springEndsOn: '2029-03-23',
  ...overrides,
})

const auditCount = async () => {
  const db = await getDb()
  const rows = await db
    .selectFrom('audit_events')
    .select('details')
    .where('authority_id', '=', coventryId)
    .where('action', '=', 'term_dates.updated')
    .where('subject_id', '=', String(YEAR))
    .execute()
  return rows
}

beforeAll(async () => {
  const db = await getDb()
  const authorities = await db.selectFrom('authorities').select(['id', 'slug']).execute()
  coventryId = authorities.find((a) => a.slug === 'coventry')!.id
  northfieldId = authorities.find((a) => a.slug === 'northfield')!.id
  adminCookie = await cookieFor('admin@coventry.example', coventryId)
  northfieldCookie = await cookieFor('admin@northfield.example', northfieldId)
  financeCookie = await cookieFor('finance@coventry.example', coventryId)
})

afterAll(async () => {
  const db = await getDb()
  await db.deleteFrom('term_dates').where('trading_year', '=', YEAR).execute()
})

describe('the term dates page', () => {
  it('shows this year’s seeded terms, and offers last, this and next trading years', async () => {
    const answer = await page('')
    expect(answer.status).toBe(200)
    expect(answer.body.yearLabel).toBe('2026/27')
    expect(answer.body.years.map((y: { label: string }) => y.label)).toEqual(expect.arrayContaining(['2025/26', '2026/27', '2027/28']))
    expect(answer.body.terms).toEqual([
      { name: 'summer', label: 'Summer term 2026', startsOn: '13 April 2026', endsOn: '22 July 2026' },
      { name: 'autumn', label: 'Autumn term 2026', startsOn: '2 September 2026', endsOn: '18 December 2026' },
      { name: 'spring', label: 'Spring term 2027', startsOn: '5 January 2027', endsOn: '26 March 2027' },
    ])
    expect((await page('?year=1999')).status).toBe(404)
  })

  it('adds a year’s terms when it has none, then changes one date; each save audited from and to', async () => {
    expect((await page(`?year=${YEAR}`)).body.terms).toEqual([])
    const added = await save(year2028())
    expect(added.status).toBe(302)
    expect(added.location).toBe(`/la/admin/term-dates?year=${YEAR}&saved=1`)
    const changed = await save(year2028({ autumnEndsOn: '2028-12-15' }))
    expect(changed.status).toBe(302)
    const shown = await page(`?year=${YEAR}&saved=1`)
    expect(shown.body.saved).toBe(true)
    expect(shown.body.terms[1]).toMatchObject({ label: 'Autumn term 2028', endsOn: '15 December 2028' })
    const db = await getDb()
    expect((await loadTerms(db, coventryId, [YEAR])).map((t) => [t.name, t.startsOn, t.endsOn])).toEqual([
      ['summer', '2028-04-19', '2028-07-21'],
      ['autumn', '2028-09-04', '2028-12-15'],
      ['spring', '2029-01-08', '2029-03-23'],
    ])
    const audits = await auditCount()
    expect(audits).toHaveLength(2)
    const last = audits.map((a) => (typeof a.details === 'string' ? JSON.parse(a.details) : a.details)).find((d) => !d.changes.summer)
    expect(last.changes).toEqual({
      autumn: { from: { startsOn: '2028-09-04', endsOn: '2028-12-20' }, to: { startsOn: '2028-09-04', endsOn: '2028-12-15' } },
    })
    expect(await loadTerms(db, northfieldId, [YEAR])).toEqual([])
  })

  it('refuses a start after the end, a term outside the year and a missing date, each at its field, and changes nothing', async () => {
    const db = await getDb()
    const before = await loadTerms(db, coventryId)
    const answer = await save(
      year2028({ year: '2026', summerStartsOn: '2026-07-30', summerEndsOn: '2026-07-22', autumnStartsOn: '2027-04-06', springEndsOn: '' }),
    )
    expect(answer.status).toBe(400)
    expect(answer.body.errors).toEqual({
      summerEndsOn: 'The last day of the summer term must be on or after its first day',
      autumnStartsOn: 'Enter the first day of the autumn term as a date in 2026/27',
      autumnEndsOn: 'Enter the last day of the autumn term as a date in 2026/27',
      springStartsOn: 'Enter the first day of the spring term as a date in 2026/27',
      springEndsOn: 'Enter the last day of the spring term as a date in 2026/27',
    })
    expect(answer.body.values.summerStartsOn).toBe('2026-07-30')
    expect(await loadTerms(db, coventryId)).toEqual(before)
    const junk = await save({ year: '2026', summerStartsOn: '<script>', summerEndsOn: '31/02/2027' })
    expect(junk.status).toBe(400)
    expect(junk.body.errors.summerStartsOn).toBe('Enter the first day of the summer term as a date in 2026/27')
    expect((await save({ year: 'x' })).status).toBe(404)
    expect(await loadTerms(db, coventryId)).toEqual(before)
  })

  it('lets only an LA administrator in, each to their own authority’s terms', async () => {
    expect((await page('', financeCookie)).status).toBe(403)
    expect((await save(year2028(), financeCookie)).status).toBe(403)
    const northfield = await page('', northfieldCookie)
    expect(northfield.status).toBe(200)
    expect(northfield.body.authorityName).toMatch(/Northfield/)
  })
})
