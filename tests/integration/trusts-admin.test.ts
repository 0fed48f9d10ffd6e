import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { idFor } from '../../db/seed/random'
import { action as addAction } from '~/routes/la.admin.trusts.new'
import { loader as listLoader } from '~/routes/la.admin.trusts._index'
import { action as trustAction, loader as trustLoader } from '~/routes/la.admin.trusts.$trustId'
import { getDb } from '~/utils/db.server'
import { clock } from '~/utils/clock'
import { createSession } from '~/utils/session.server'
import { settle } from '../support/answers'
import { insertTestSchool } from '../support/schools'

/**
 * The LA administrator's trusts (issue 16, item 1), through the pages'
 * loaders and actions on the run's shared seeded database. The demo's Three
 * Spires Academy Trust is only read; each test adds trusts and schools of
 * its own.
 */

const context = { clientIp: '127.0.0.1' }
const THREE_SPIRES_ID = idFor('coventry/trust/three-spires')
const run = randomUUID().slice(0, 8)
let coventryId: string
let adminCookie: string
let northfieldCookie: string

async function cookieFor(email: string): Promise<string> {
  const db = await getDb()
  const user = await db.selectFrom('users').select(['id', 'authority_id']).where('email', '=', email).executeTakeFirstOrThrow()
  const setCookie = await createSession(db, new Request('http://localhost/'), { id: user.id, authorityId: user.authority_id }, '127.0.0.1')
  return setCookie.split(';')[0]!
}

const request = (path: string, cookie: string, fields?: Record<string, string>) =>
  new Request(`http://localhost${path}`, {
    method: fields ? 'POST' : 'GET',
    body: fields ? new URLSearchParams(fields) : undefined,
    headers: fields ? { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' } : { Cookie: cookie },
  })
const trustPage = (trustId: string, cookie = adminCookie) =>
  settle(trustLoader({ request: request(`/la/admin/trusts/${trustId}`, cookie), params: { trustId }, context }))
const postTrust = (trustId: string, fields: Record<string, string>, cookie = adminCookie) =>
  settle(trustAction({ request: request(`/la/admin/trusts/${trustId}`, cookie, fields), params: { trustId }, context }))
const addTrust = (fields: Record<string, string>) =>
  settle(addAction({ request: request('/la/admin/trusts/new', adminCookie, fields), params: {}, context }))

const trustForm = (name: string, overrides: Record<string, string> = {}) => ({
  name,
  companiesHouseNumber: '',
  approvalLimit: '6000',
  invoicing: 'per_school',
  addressLine1: '',
  town: '',
  postcode: '',
  financeEmail: '',
  ...overrides,
})

async function newTrust(name: string): Promise<string> {
  const added = await addTrust(trustForm(name))
  expect(added.status).toBe(302)
  return added.location!.match(/\/la\/admin\/trusts\/([0-9a-f-]{36})\?added=1$/)![1]!
}

const school = async (name: string) =>
  (
    await insertTestSchool(await getDb(), {
      authority_id: coventryId,
      name: `${name} ${run}`,
      phase: 'secondary',
      school_type: 'academy',
      pupil_count: 900,
      approval_limit_pence: 500_000,
      finance_route: 'invoice',
    })
  ).id

beforeAll(async () => {
  const db = await getDb()
  coventryId = (await db.selectFrom('authorities').select('id').where('slug', '=', 'coventry').executeTakeFirstOrThrow()).id
  adminCookie = await cookieFor('admin@coventry.example')
  northfieldCookie = await cookieFor('admin@northfield.example')
})

describe('the trusts list and a trust’s page', () => {
  it('lists Three Spires Academy Trust with its four member academies, its limit and its invoicing', async () => {
    const list = await settle(listLoader({ request: request('/la/admin/trusts', adminCookie), params: {}, context }))
    expect(list.body.trusts.find((t: { id: string }) => t.id === THREE_SPIRES_ID)).toEqual({
      id: THREE_SPIRES_ID,
      name: 'Three Spires Academy Trust',
      memberCount: 4,
      approvalLimitPence: 500_000,
      invoicing: 'consolidated',
    })
    const page = await trustPage(THREE_SPIRES_ID)
    expect(page.body.members.map((m: { name: string }) => m.name)).toEqual([
      'Foleshill Park Academy',
      'Kingfisher Primary Academy',
      'Skylark Junior Academy',
      'Spire View Academy',
    ])
    // A school in a trust cannot be added to another.
    expect(page.body.candidates.map((c: { name: string }) => c.name)).not.toContain('Foleshill Park Academy')
    // Northfield's administrator finds no such trust.
    expect((await trustPage(THREE_SPIRES_ID, northfieldCookie)).status).toBe(404)
    const northfieldList = await settle(listLoader({ request: request('/la/admin/trusts', northfieldCookie), params: {}, context }))
    expect(northfieldList.body.trusts).toEqual([])
  })
})

describe('adding and editing a trust', () => {
  it('tells the administrator every mistake at once, and adds nothing', async () => {
    const db = await getDb()
    const before = await db.selectFrom('trusts').select('id').where('authority_id', '=', coventryId).execute()
    const answer = await addTrust(
      trustForm(' ', { approvalLimit: 'lots', invoicing: '', postcode: 'nowhere', companiesHouseNumber: '12', financeEmail: 'x' }),
    )
    expect(answer.status).toBe(400)
    expect(answer.body.errors).toEqual({
      name: 'Enter the trust’s name',
      companiesHouseNumber: 'Companies House number must be 8 characters, like 09876543',
      approvalLimit: 'Approval limit must be an amount in pounds, like 2500, or pounds and pence, like 2500.50',
      invoicing: 'Select how the trust is invoiced',
      postcode: 'Enter a real postcode, like CV1 5RR',
      financeEmail: 'Enter an email address in the correct format, like office@school.example',
    })
    expect(await db.selectFrom('trusts').select('id').where('authority_id', '=', coventryId).execute()).toHaveLength(before.length)
  })

  it('adds a trust, refuses a second of the same name, and records both changes in the audit log', async () => {
    const db = await getDb()
    const name = `Canal Basin Learning Trust ${run}`
    const id = await newTrust(name)
    const again = await addTrust(trustForm(name))
    expect(again).toMatchObject({ status: 400, body: { errors: { name: `There is already a trust called ${name}` } } })
    const saved = await postTrust(id, {
      ...trustForm(name, { approvalLimit: '7500.50', invoicing: 'consolidated', postcode: 'cv1 4ly' }),
      intent: 'save',
    })
    expect(saved).toMatchObject({ status: 302, location: `/la/admin/trusts/${id}?saved=1` })
    const unchanged = await postTrust(id, {
      ...trustForm(name, { approvalLimit: '7500.50', invoicing: 'consolidated', postcode: 'CV1 4LY' }),
      intent: 'save',
    })
    expect(unchanged.location).toBe(`/la/admin/trusts/${id}?unchanged=1`)
    const page = await trustPage(id)
    expect(page.body.trust).toMatchObject({ name, approvalLimitPence: 750_050, invoicing: 'consolidated', postcode: 'CV1 4LY' })
    const audit = await db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('authority_id', '=', coventryId)
      .where('subject_id', '=', id)
      .orderBy('created_at')
      .execute()
    expect(audit.map((a) => a.action)).toEqual(['trust.created', 'trust.updated'])
    expect(audit[1]!.details).toMatchObject({
      changes: {
        approval_limit_pence: { from: 600_000, to: 750_050 },
        invoicing: { from: 'per_school', to: 'consolidated' },
        postcode: { from: null, to: 'CV1 4LY' },
      },
    })
  })
})

describe('member schools', () => {
  it('adds a school from today, refuses one already in a trust (naming it), and records a school leaving', async () => {
    const db = await getDb()
    const id = await newTrust(`Meadow Trust ${run}`)
    const meadow = await school('Meadow Academy')
    const foleshill = idFor('coventry/school/foleshill-park')

    const taken = await postTrust(id, { intent: 'add-member', schoolId: foleshill })
    expect(taken).toMatchObject({
      status: 400,
      body: { errors: { schoolId: 'Foleshill Park Academy is already a member of Three Spires Academy Trust' } },
    })
    expect((await postTrust(id, { intent: 'add-member', schoolId: '' })).body.errors).toEqual({ schoolId: 'Select a school to add' })
    expect((await postTrust(id, { intent: 'add-member', schoolId: randomUUID() })).body.errors).toEqual({
      schoolId: 'Select one of the council’s open schools',
    })

    const added = await postTrust(id, { intent: 'add-member', schoolId: meadow })
    expect(added.location).toBe(`/la/admin/trusts/${id}?joined=1&school=${encodeURIComponent(`Meadow Academy ${run}`)}`)
    const page = await trustPage(id)
    expect(page.body.members).toEqual([
      expect.objectContaining({ schoolId: meadow, name: `Meadow Academy ${run}`, joinedOn: clock.today(), leftOn: null }),
    ])
    expect(page.body.candidates.map((c: { id: string }) => c.id)).not.toContain(meadow)

    // Taken off the same day it was added: it was never a member.
    const membershipId = page.body.members[0].membershipId
    expect((await postTrust(id, { intent: 'end-membership', membershipId })).status).toBe(302)
    expect(await db.selectFrom('trust_memberships').select('id').where('authority_id', '=', coventryId).where('trust_id', '=', id).execute()).toEqual(
      [],
    )

    // A member since last year leaves today: the trust sees it no longer, and the history stays.
    const since = await db
      .insertInto('trust_memberships')
      .values({ authority_id: coventryId, trust_id: id, school_id: meadow, joined_on: '2025-09-01' })
      .returning('id')
      .executeTakeFirstOrThrow()
    expect((await postTrust(id, { intent: 'end-membership', membershipId: since.id })).status).toBe(302)
    const after = await trustPage(id)
    expect(after.body.members).toEqual([])
    expect(after.body.former).toEqual([expect.objectContaining({ schoolId: meadow, joinedOn: '2025-09-01', leftOn: clock.today() })])
    // Removing it again finds no current membership.
    expect((await postTrust(id, { intent: 'end-membership', membershipId: since.id })).status).toBe(404)
    // Another authority's administrator cannot touch the trust at all.
    expect((await postTrust(id, { intent: 'add-member', schoolId: meadow }, northfieldCookie)).status).toBe(404)
  })

  it('offers the schools GIAS puts in the trust (by its “Trusts (name)”), and adds one from there', async () => {
    const db = await getDb()
    const name = `Weavers Learning Trust ${run}`
    const trustId = await newTrust(name)
    const named = await insertTestSchool(db, {
      authority_id: coventryId,
      name: `Weavers Academy ${run}`,
      phase: 'secondary',
      school_type: 'academy',
      pupil_count: 900,
      approval_limit_pence: 500_000,
      finance_route: 'invoice',
      trust_name: `${name.toUpperCase()} LTD`,
    })
    const other = await insertTestSchool(db, {
      authority_id: coventryId,
      name: `Looms Academy ${run}`,
      phase: 'secondary',
      school_type: 'academy',
      pupil_count: 900,
      approval_limit_pence: 500_000,
      finance_route: 'invoice',
      trust_name: `Other Trust ${run}`,
    })
    const before = await trustPage(trustId)
    expect(before.body.fromGias.map((c: { id: string }) => c.id)).toEqual([named.id])
    expect(before.body.candidates.map((c: { id: string }) => c.id)).toEqual(expect.arrayContaining([named.id, other.id]))
    expect((await postTrust(trustId, { intent: 'add-member', schoolId: named.id })).status).toBe(302)
    const after = await trustPage(trustId)
    expect(after.body.fromGias).toEqual([])
    expect(after.body.members.map((m: { schoolId: string }) => m.schoolId)).toEqual([named.id])
  })

  it('adds a school to one trust only when two administrators add it to two trusts at once', async () => {
    const db = await getDb()
    const [first, second] = [await newTrust(`Oak Trust ${run}`), await newTrust(`Ash Trust ${run}`)]
    const contested = await school('Contested Academy')
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => postTrust(i % 2 === 0 ? first : second, { intent: 'add-member', schoolId: contested })),
    )
    expect(answers.filter((a) => a.status === 302)).toHaveLength(1)
    expect(answers.filter((a) => a.status === 400)).toHaveLength(5)
    const memberships = await db
      .selectFrom('trust_memberships')
      .select('trust_id')
      .where('authority_id', '=', coventryId)
      .where('school_id', '=', contested)
      .execute()
    expect(memberships).toHaveLength(1)
  })
})
