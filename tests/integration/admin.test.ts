import { clock } from '~/utils/clock'
import { randomInt, randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findUsableToken, hashToken } from '~/models/accounts/accounts.server'
import { action as userAction, loader as userLoader } from '~/routes/la.admin.users.$userId'
import { loader as usersLoader } from '~/routes/la.admin.users._index'
import { action as inviteAction, loader as inviteLoader } from '~/routes/la.admin.users.new'
import { action as schoolAction, loader as schoolLoader } from '~/routes/la.admin.schools.$schoolId'
import { loader as schoolsLoader } from '~/routes/la.admin.schools._index'
import { loader as outboxLoader } from '~/routes/la.admin.outbox._index'
import { loader as messageLoader } from '~/routes/la.admin.outbox.$messageId'
import { getDb } from '~/utils/db.server'
import { getBoss, stopJobs } from '~/utils/jobs.server'
import { createSession, getSessionUser } from '~/utils/session.server'
import { settle } from '../support/answers'
import { idFor } from '../../db/seed/random'

/**
 * The LA administrator's pages (users, schools, outbox), through their
 * loaders and actions, on the run's shared seeded database. Every change is
 * made to throwaway users and a throwaway school: demo accounts are only
 * read, never changed.
 */

const run = randomUUID().slice(0, 8)
const context = { clientIp: '127.0.0.1' }

let coventryId: string
let northfieldId: string
let adminId: string
let elmBankId: string
let epServiceId: string
let musicServiceId: string
let schoolId: string
let schoolUrn: string

/** What a loader or action answered, returned or thrown: a Response, data() with its status, or plain data. */

async function userIdOf(email: string, authorityId = coventryId): Promise<string> {
  const db = await getDb()
  const row = await db.selectFrom('users').select('id').where('authority_id', '=', authorityId).where('email', '=', email).executeTakeFirstOrThrow()
  return row.id
}

/** A Cookie header for a new session of the user. */
async function cookieFor(email: string, authorityId = coventryId): Promise<string> {
  const id = await userIdOf(email, authorityId)
  const setCookie = await createSession(await getDb(), new Request('http://localhost/'), { id, authorityId }, '127.0.0.1')
  return setCookie.split(';')[0]!
}

let adminCookie: string
let financeCookie: string
let northfieldCookie: string

function get(path: string, cookie: string) {
  return new Request(`http://localhost${path}`, { headers: { Cookie: cookie } })
}

function post(path: string, fields: [string, string][] | Record<string, string>, cookie: string) {
  return new Request(`http://localhost${path}`, {
    method: 'POST',
    body: new URLSearchParams(fields),
    headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded', 'User-Agent': 'admin.test' },
  })
}

function invite(fields: Record<string, string | string[]>, cookie = adminCookie) {
  const pairs: [string, string][] = []
  for (const [name, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) pairs.push([name, v])
  }
  return settle(inviteAction({ request: post('/la/admin/users/new', pairs, cookie), params: {}, context }))
}

function onUser(userId: string, fields: [string, string][] | Record<string, string>, cookie = adminCookie) {
  return settle(userAction({ request: post(`/la/admin/users/${userId}`, fields, cookie), params: { userId }, context }))
}

function onSchool(id: string, fields: Record<string, string>, cookie = adminCookie) {
  return settle(schoolAction({ request: post(`/la/admin/schools/${id}`, fields, cookie), params: { schoolId: id }, context }))
}

async function counts(email: string) {
  const db = await getDb()
  const [users, tokens, messages] = await Promise.all([
    db.selectFrom('users').select('id').where('authority_id', '=', coventryId).where('email', '=', email).execute(),
    db
      .selectFrom('password_reset_tokens as t')
      .innerJoin('users as u', (j) => j.onRef('u.authority_id', '=', 't.authority_id').onRef('u.id', '=', 't.user_id'))
      .select('t.id')
      .where('t.authority_id', '=', coventryId)
      .where('u.email', '=', email)
      .execute(),
    db.selectFrom('email_messages').select('id').where('authority_id', '=', coventryId).where('to_address', '=', email).execute(),
  ])
  return { users: users.length, tokens: tokens.length, messages: messages.length }
}

async function auditFor(subjectId: string, action: string) {
  const db = await getDb()
  return db
    .selectFrom('audit_events')
    .selectAll()
    .where('authority_id', '=', coventryId)
    .where('subject_id', '=', subjectId)
    .where('action', '=', action)
    .orderBy('created_at')
    .execute()
}

/** Invites a throwaway user and returns their id. */
async function invited(role: string, extra: Record<string, string | string[]> = {}): Promise<{ id: string; email: string }> {
  const email = `${role.replace('_', '-')}.${run}.${randomInt(1e9)}@example.org`
  const answer = await invite({ name: `Test ${role}`, email, role, schoolId: '', ...extra })
  expect(answer.status, JSON.stringify(answer.body)).toBe(302)
  return { id: await userIdOf(email), email }
}

const schoolForm = (overrides: Record<string, string> = {}) => ({
  // The school's details, as its edit page posts them (unchanged here).
  urn: schoolUrn,
  name: `Admin Test School ${run}`,
  phase: 'primary',
  status: 'open',
  schoolType: 'maintained',
  pupilCount: '321',
  approvalLimit: '2500',
  financeRoute: 'internal_recharge',
  poNumberRequired: '',
  convertedOnDay: '',
  convertedOnMonth: '',
  convertedOnYear: '',
  ...overrides,
})

beforeAll(async () => {
  const db = await getDb()
  // queueEmail enqueues a job inside the caller's transaction: the queue must be started (no workers here).
  await getBoss()
  const authorities = await db.selectFrom('authorities').select(['id', 'slug']).execute()
  coventryId = authorities.find((a) => a.slug === 'coventry')!.id
  northfieldId = authorities.find((a) => a.slug === 'northfield')!.id
  adminId = await userIdOf('admin@coventry.example')
  const buyer = await db
    .selectFrom('users')
    .select('school_id')
    .where('authority_id', '=', coventryId)
    .where('email', '=', 'buyer@elm-bank.example')
    .executeTakeFirstOrThrow()
  elmBankId = buyer.school_id!
  const services = await db
    .selectFrom('services')
    .select(['id', 'slug'])
    .where('authority_id', '=', coventryId)
    .where('slug', 'in', ['educational-psychology', 'coventry-music'])
    .execute()
  epServiceId = services.find((s) => s.slug === 'educational-psychology')!.id
  musicServiceId = services.find((s) => s.slug === 'coventry-music')!.id

  // A throwaway maintained school (no accounts, no orders) to edit: demo schools are never changed.
  for (;;) {
    const urn = String(800_000 + randomInt(100_000))
    const taken = await db.selectFrom('schools').select('id').where('authority_id', '=', coventryId).where('urn', '=', urn).executeTakeFirst()
    if (taken) continue
    const row = await db
      .insertInto('schools')
      .values({
        authority_id: coventryId,
        urn,
        name: `Admin Test School ${run}`,
        phase: 'primary',
        school_type: 'maintained',
        pupil_count: 321,
        approval_limit_pence: 250_000,
        finance_route: 'internal_recharge',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    schoolId = row.id
    schoolUrn = urn
    break
  }

  adminCookie = await cookieFor('admin@coventry.example')
  financeCookie = await cookieFor('finance@coventry.example')
  northfieldCookie = await cookieFor('admin@northfield.example', northfieldId)
})

afterAll(async () => {
  const db = await getDb()
  if (schoolId) {
    await db.deleteFrom('schools').where('authority_id', '=', coventryId).where('id', '=', schoolId).execute()
  }
  await stopJobs()
})

describe('inviting a user', () => {
  it('creates the user without a password, their role and a 7-day token, holds one email with the link, and audits it', async () => {
    const email = `new.buyer.${run}@example.org`
    const answer = await invite({ name: '  Alex Morgan ', email: email.toUpperCase(), role: 'school_buyer', schoolId: elmBankId })
    expect(answer.status).toBe(302)
    expect(answer.location).toBe(`/la/admin/users?invited=${encodeURIComponent(email)}`)

    const db = await getDb()
    const user = await db.selectFrom('users').selectAll().where('authority_id', '=', coventryId).where('email', '=', email).executeTakeFirstOrThrow()
    expect(user).toMatchObject({ name: 'Alex Morgan', school_id: elmBankId, password_hash: null, is_active: true })
    const roles = await db.selectFrom('user_roles').select('role').where('authority_id', '=', coventryId).where('user_id', '=', user.id).execute()
    expect(roles.map((r) => r.role)).toEqual(['school_buyer'])

    const tokens = await db
      .selectFrom('password_reset_tokens')
      .selectAll()
      .where('authority_id', '=', coventryId)
      .where('user_id', '=', user.id)
      .execute()
    expect(tokens).toHaveLength(1)
    const token = tokens[0]!
    expect(token.purpose).toBe('invitation')
    expect(token.used_at).toBeNull()
    const days = (new Date(token.expires_at).getTime() - clock.now().getTime()) / 86_400_000
    expect(days).toBeGreaterThan(6.99)
    expect(days).toBeLessThanOrEqual(7)

    const messages = await db
      .selectFrom('email_messages')
      .selectAll()
      .where('authority_id', '=', coventryId)
      .where('to_address', '=', email)
      .execute()
    expect(messages).toHaveLength(1)
    const message = messages[0]!
    expect(message.template).toBe('invitation')
    expect(['queued', 'held']).toContain(message.status)
    expect(message.idempotency_key).toBe(`invitation:${token.id}`)
    expect(message.subject).toBe('You have been invited to Buyback by Coventry City Council')
    expect(message.text).toContain('Joanna Ferris at Coventry City Council has invited you')
    expect(message.text).toContain('Elm Bank Primary School')
    // The link carries the token whose hash is stored, and it works for setting a password.
    const link = /https?:\/\/\S+\/set-password\?token=([A-Za-z0-9_-]+)/.exec(message.text)
    expect(link).not.toBeNull()
    expect(hashToken(link![1]!)).toBe(token.token_hash)
    expect(message.html).toContain(`/set-password?token=${link![1]}`)
    expect(await findUsableToken(db, link![1]!, 'invitation')).toMatchObject({ user_id: user.id, purpose: 'invitation' })

    const audit = await auditFor(user.id, 'invitation.sent')
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actor_user_id: adminId, subject_type: 'user', ip_address: '127.0.0.1', user_agent: 'admin.test' })
    expect(audit[0]!.details).toMatchObject({ email, role: 'school_buyer', tokenId: token.id, messageId: message.id })

    // The list shows the banner for this user, and the user in it.
    const list = await settle(usersLoader({ request: get(`/la/admin/users?invited=${encodeURIComponent(email)}`, adminCookie), params: {}, context }))
    expect(list.body.invited).toEqual({ id: user.id, email })
    const found = await settle(usersLoader({ request: get(`/la/admin/users?q=${encodeURIComponent(email)}`, adminCookie), params: {}, context }))
    expect(found.body.users).toEqual([
      expect.objectContaining({ id: user.id, schoolName: 'Elm Bank Primary School', roles: ['school_buyer'], isActive: true, hasPassword: false }),
    ])
  })

  it('gives a service lead the services they lead, and a council role no school', async () => {
    const { id } = await invited('service_lead', { serviceIds: [epServiceId, musicServiceId] })
    const db = await getDb()
    const leads = await db.selectFrom('service_leads').select('service_id').where('authority_id', '=', coventryId).where('user_id', '=', id).execute()
    expect(leads.map((l) => l.service_id).sort()).toEqual([epServiceId, musicServiceId].sort())
    const user = await db
      .selectFrom('users')
      .select('school_id')
      .where('authority_id', '=', coventryId)
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(user.school_id).toBeNull()
  })

  it('refuses an email address already in the authority, in any case, and saves nothing new', async () => {
    const email = `twice.${run}@example.org`
    expect((await invite({ name: 'First', email, role: 'finance', schoolId: '' })).status).toBe(302)
    const before = await counts(email)
    expect(before).toEqual({ users: 1, tokens: 1, messages: 1 })

    const again = await invite({ name: 'Second', email: ` ${email.toUpperCase()} `, role: 'school_approver', schoolId: elmBankId })
    expect(again.status).toBe(400)
    expect(again.body.errors).toEqual({ email: 'A user with this email address already exists' })
    expect(again.body.values).toMatchObject({ name: 'Second', role: 'school_approver', schoolId: elmBankId })
    expect(await counts(email)).toEqual(before)

    // A demo account's address too.
    const demo = await invite({ name: 'Someone', email: 'buyer@elm-bank.example', role: 'school_buyer', schoolId: elmBankId })
    expect(demo.status).toBe(400)
    expect(demo.body.errors.email).toBe('A user with this email address already exists')
    expect((await counts('buyer@elm-bank.example')).users).toBe(1)
  })

  it('refuses a school role without a school, and a council role with one, saving nothing', async () => {
    const email = `no.school.${run}@example.org`
    const noSchool = await invite({ name: 'No School', email, role: 'school_approver', schoolId: '' })
    expect(noSchool.status).toBe(400)
    expect(noSchool.body.errors).toEqual({ schoolId: 'Select the school of the headteacher' })
    const councilWithSchool = await invite({ name: 'No School', email, role: 'finance', schoolId: elmBankId })
    expect(councilWithSchool.status).toBe(400)
    expect(councilWithSchool.body.errors.schoolId).toMatch(/Council staff do not belong to a school/)
    expect(await counts(email)).toEqual({ users: 0, tokens: 0, messages: 0 })
  })

  it('invites a trust’s business manager to the trust (no school), who then sees its member schools; refuses a trust role without a trust and a trust for anyone else', async () => {
    const threeSpires = idFor('coventry/trust/three-spires')
    const { id } = await invited('trust_buyer', { trustId: threeSpires })
    const db = await getDb()
    const user = await db
      .selectFrom('users')
      .select(['school_id', 'trust_id'])
      .where('authority_id', '=', coventryId)
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(user).toEqual({ school_id: null, trust_id: threeSpires })
    const page = await settle(userLoader({ request: get(`/la/admin/users/${id}`, adminCookie), params: { userId: id }, context }))
    expect(page.body.user.trustName).toBe('Three Spires Academy Trust')
    const session = await createSession(db, new Request('http://localhost/'), { id, authorityId: coventryId }, '127.0.0.1')
    const signedIn = await getSessionUser(db, new Request('http://localhost/', { headers: { Cookie: session.split(';')[0]! } }))
    expect(signedIn?.trustSchoolIds.length).toBe(4)

    const email = `no.trust.${run}@example.org`
    const noTrust = await invite({ name: 'No Trust', email, role: 'trust_approver', schoolId: '' })
    expect(noTrust.body.errors).toEqual({ trustId: 'Select the trust of the trust approver' })
    const schoolAndTrust = await invite({ name: 'No Trust', email, role: 'school_buyer', schoolId: elmBankId, trustId: threeSpires })
    expect(schoolAndTrust.body.errors).toEqual({ trustId: 'Only a trust’s users belong to a trust: select “No trust”' })
    const unknown = await invite({ name: 'No Trust', email, role: 'trust_buyer', schoolId: '', trustId: '00000000-0000-4000-8000-000000000000' })
    expect(unknown.body.errors).toEqual({ trustId: 'Select a trust from the list' })
    expect(await counts(email)).toEqual({ users: 0, tokens: 0, messages: 0 })

    // Changed to a school's business manager: the trust goes, the school comes.
    expect((await onUser(id, { intent: 'change-role', role: 'school_buyer', schoolId: elmBankId, trustId: '' })).status).toBe(302)
    const changed = await db
      .selectFrom('users')
      .select(['school_id', 'trust_id'])
      .where('authority_id', '=', coventryId)
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(changed).toEqual({ school_id: elmBankId, trust_id: null })
  })

  it('explains every mistake at once and keeps what was typed', async () => {
    const answer = await invite({ name: '', email: 'not-an-email', role: '', schoolId: '' })
    expect(answer.status).toBe(400)
    expect(answer.body.errors).toEqual({
      name: 'Enter the user’s full name',
      email: 'Enter an email address in the correct format, like name@example.com',
      role: 'Select the user’s role',
    })
    expect(answer.body.values.email).toBe('not-an-email')
  })

  it('refuses a school or service of another authority', async () => {
    const db = await getDb()
    const northfieldSchool = await db.selectFrom('schools').select('id').where('authority_id', '=', northfieldId).executeTakeFirstOrThrow()
    const northfieldService = await db.selectFrom('services').select('id').where('authority_id', '=', northfieldId).executeTakeFirstOrThrow()
    const email = `cross.${run}@example.org`
    const school = await invite({ name: 'Cross', email, role: 'school_buyer', schoolId: northfieldSchool.id })
    expect(school.body.errors).toEqual({ schoolId: 'Select a school from the list' })
    const service = await invite({ name: 'Cross', email, role: 'service_lead', schoolId: '', serviceIds: [northfieldService.id] })
    expect(service.body.errors).toEqual({ serviceIds: 'Select services from the list' })
    expect(await counts(email)).toEqual({ users: 0, tokens: 0, messages: 0 })
  })

  it('offers only the authority’s schools and services on the form', async () => {
    const page = await settle(inviteLoader({ request: get('/la/admin/users/new', adminCookie), params: {}, context }))
    expect(page.status).toBe(200)
    const db = await getDb()
    const coventrySchools = await db.selectFrom('schools').select('id').where('authority_id', '=', coventryId).execute()
    expect(page.body.schools.length).toBe(coventrySchools.length)
    expect(page.body.schools.map((s: { name: string }) => s.name)).toContain('Elm Bank Primary School')
    expect(page.body.schools.map((s: { name: string }) => s.name)).not.toContain('Ashgrove Primary School')
    expect(page.body.services.map((s: { id: string }) => s.id)).toContain(epServiceId)
  })
})

describe('changing a user', () => {
  it('changes the role (keeping the school rule), replaces the services led, and audits from and to', async () => {
    const { id } = await invited('finance')
    const toLead = await onUser(id, [
      ['intent', 'change-role'],
      ['role', 'service_lead'],
      ['schoolId', ''],
      ['serviceIds', epServiceId],
    ])
    expect(toLead).toMatchObject({ status: 302, location: `/la/admin/users/${id}?done=role-changed` })
    const db = await getDb()
    const roles = async () =>
      (await db.selectFrom('user_roles').select('role').where('authority_id', '=', coventryId).where('user_id', '=', id).execute()).map((r) => r.role)
    expect(await roles()).toEqual(['service_lead'])
    const audit = await auditFor(id, 'user.role_changed')
    expect(audit).toHaveLength(1)
    expect(audit[0]!.actor_user_id).toBe(adminId)
    expect(audit[0]!.details).toMatchObject({ from: ['finance'], to: ['service_lead'], servicesFrom: [], servicesTo: [epServiceId] })

    // A school role without a school is refused, and nothing changes.
    const noSchool = await onUser(id, { intent: 'change-role', role: 'school_buyer', schoolId: '' })
    expect(noSchool.status).toBe(400)
    expect(noSchool.body.errors.schoolId).toBe('Select the school of the school business manager')
    expect(await roles()).toEqual(['service_lead'])

    // With the school it is allowed; the services led go.
    const toBuyer = await onUser(id, { intent: 'change-role', role: 'school_buyer', schoolId: elmBankId })
    expect(toBuyer.status).toBe(302)
    expect(await roles()).toEqual(['school_buyer'])
    const user = await db
      .selectFrom('users')
      .select('school_id')
      .where('authority_id', '=', coventryId)
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(user.school_id).toBe(elmBankId)
    const leads = await db.selectFrom('service_leads').select('service_id').where('authority_id', '=', coventryId).where('user_id', '=', id).execute()
    expect(leads).toEqual([])
    expect((await auditFor(id, 'user.role_changed')).at(-1)!.details).toMatchObject({
      from: ['service_lead'],
      to: ['school_buyer'],
      schoolFrom: null,
      schoolTo: elmBankId,
    })

    const page = await settle(userLoader({ request: get(`/la/admin/users/${id}?done=role-changed`, adminCookie), params: { userId: id }, context }))
    expect(page.body.user).toMatchObject({ roles: ['school_buyer'], schoolName: 'Elm Bank Primary School' })
    expect(page.body.done).toBe('role-changed')
  })

  it('does not let an administrator remove their own LA administrator role', async () => {
    const answer = await onUser(adminId, { intent: 'change-role', role: 'finance', schoolId: '' })
    expect(answer.status).toBe(400)
    expect(answer.body.errors.role).toMatch(/cannot remove your own LA administrator role/)
    const db = await getDb()
    const roles = await db.selectFrom('user_roles').select('role').where('authority_id', '=', coventryId).where('user_id', '=', adminId).execute()
    expect(roles.map((r) => r.role)).toEqual(['la_admin'])
  })

  it('deactivates a user, ending all their sessions at once, and reactivates them; both audited', async () => {
    const { id, email } = await invited('finance')
    const db = await getDb()
    const theirCookie = await cookieFor(email)
    await cookieFor(email)
    const sessionsOf = async () =>
      (await db.selectFrom('sessions').select('id').where('authority_id', '=', coventryId).where('user_id', '=', id).execute()).length
    expect(await sessionsOf()).toBe(2)
    expect(await getSessionUser(db, new Request('http://localhost/', { headers: { Cookie: theirCookie } }))).toMatchObject({ id })

    const off = await onUser(id, { intent: 'deactivate' })
    expect(off).toMatchObject({ status: 302, location: `/la/admin/users/${id}?done=deactivated` })
    const user = await db
      .selectFrom('users')
      .select('is_active')
      .where('authority_id', '=', coventryId)
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(user.is_active).toBe(false)
    expect(await sessionsOf()).toBe(0)
    expect(await getSessionUser(db, new Request('http://localhost/', { headers: { Cookie: theirCookie } }))).toBeNull()
    expect(await auditFor(id, 'user.deactivated')).toHaveLength(1)
    // The invitation link they were sent no longer works.
    const tokens = await db
      .selectFrom('password_reset_tokens')
      .select('expires_at')
      .where('authority_id', '=', coventryId)
      .where('user_id', '=', id)
      .execute()
    expect(tokens.every((t) => new Date(t.expires_at).getTime() <= clock.now().getTime())).toBe(true)

    const on = await onUser(id, { intent: 'reactivate' })
    expect(on.status).toBe(302)
    const again = await db
      .selectFrom('users')
      .select('is_active')
      .where('authority_id', '=', coventryId)
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(again.is_active).toBe(true)
    expect(await auditFor(id, 'user.reactivated')).toHaveLength(1)
  })

  it('does not let an administrator deactivate themself', async () => {
    const answer = await onUser(adminId, { intent: 'deactivate' })
    expect(answer.status).toBe(400)
    expect(answer.body.errors.deactivate).toMatch(/cannot deactivate your own account/)
    const db = await getDb()
    const admin = await db
      .selectFrom('users')
      .select('is_active')
      .where('authority_id', '=', coventryId)
      .where('id', '=', adminId)
      .executeTakeFirstOrThrow()
    expect(admin.is_active).toBe(true)
    expect(await getSessionUser(db, get('/', adminCookie))).toMatchObject({ id: adminId })
    expect(await auditFor(adminId, 'user.deactivated')).toHaveLength(0)
  })

  it('resends an invitation to a user who has not set a password: a new link, and the old one stops working', async () => {
    const { id, email } = await invited('finance')
    const db = await getDb()
    const textOf = async () =>
      (
        await db
          .selectFrom('email_messages')
          .select(['text', 'created_at'])
          .where('authority_id', '=', coventryId)
          .where('to_address', '=', email)
          .orderBy('created_at')
          .execute()
      ).map((m) => /set-password\?token=([A-Za-z0-9_-]+)/.exec(m.text)![1]!)
    const [first] = await textOf()
    const answer = await onUser(id, { intent: 'resend-invitation' })
    expect(answer).toMatchObject({ status: 302, location: `/la/admin/users/${id}?done=invitation-sent` })
    const links = await textOf()
    expect(links).toHaveLength(2)
    expect(links[1]).not.toBe(first)
    expect(await findUsableToken(db, first!, 'invitation')).toBeNull()
    expect(await findUsableToken(db, links[1]!, 'invitation')).toMatchObject({ user_id: id })
    expect(await auditFor(id, 'invitation.sent')).toHaveLength(2)

    // Not for someone who has a password.
    const financeId = await userIdOf('finance@coventry.example')
    const refused = await onUser(financeId, { intent: 'resend-invitation' })
    expect(refused.status).toBe(400)
    expect(refused.body.errors.resend).toMatch(/already set a password/)
  })

  it('answers 404 for a malformed, unknown or other authority’s user id, on the page and its actions', async () => {
    const northfieldAdmin = await userIdOf('admin@northfield.example', northfieldId)
    for (const userId of ['not-a-uuid', "1' or '1'='1", randomUUID(), northfieldAdmin, `${adminId.toUpperCase()}`]) {
      expect((await settle(userLoader({ request: get(`/la/admin/users/x`, adminCookie), params: { userId }, context }))).status).toBe(404)
      expect((await onUser(userId, { intent: 'deactivate' })).status).toBe(404)
    }
    const db = await getDb()
    const northfield = await db
      .selectFrom('users')
      .select('is_active')
      .where('authority_id', '=', northfieldId)
      .where('id', '=', northfieldAdmin)
      .executeTakeFirstOrThrow()
    expect(northfield.is_active).toBe(true)
  })
})

describe('editing a school', () => {
  const page = (cookie = adminCookie, id = schoolId) =>
    settle(schoolLoader({ request: get(`/la/admin/schools/${id}`, cookie), params: { schoolId: id }, context }))

  async function schoolRow() {
    const db = await getDb()
    return db.selectFrom('schools').selectAll().where('authority_id', '=', coventryId).where('id', '=', schoolId).executeTakeFirstOrThrow()
  }

  it('refuses bad input with a message for each field, saving nothing and keeping what was typed', async () => {
    const before = await schoolRow()
    const cases: [Record<string, string>, Record<string, string>][] = [
      [{ pupilCount: 'abc' }, { pupilCount: 'Pupil count must be a whole number, like 420' }],
      [{ pupilCount: '-1' }, { pupilCount: 'Pupil count must be 0 or more' }],
      [{ pupilCount: '1.5' }, { pupilCount: 'Pupil count must be a whole number, like 420' }],
      [{ pupilCount: '5001' }, { pupilCount: 'Pupil count must be 5,000 or fewer' }],
      [{ pupilCount: '' }, { pupilCount: 'Enter the number of pupils' }],
      [{ approvalLimit: '£12.345' }, { approvalLimit: 'Approval limit must be an amount in pounds, like 2500, or pounds and pence, like 2500.50' }],
      [{ approvalLimit: '99999999999999999999' }, { approvalLimit: 'Approval limit must be £1,000,000 or less' }],
      [{ approvalLimit: '1000000.01' }, { approvalLimit: 'Approval limit must be £1,000,000 or less' }],
      [
        { approvalLimit: 'ten pounds' },
        { approvalLimit: 'Approval limit must be an amount in pounds, like 2500, or pounds and pence, like 2500.50' },
      ],
      [{ schoolType: 'academy', financeRoute: 'invoice' }, { convertedOnDay: 'Enter the date the school became an academy' }],
      [
        { schoolType: 'academy', financeRoute: 'invoice', convertedOnDay: '31', convertedOnMonth: '2', convertedOnYear: '2025' },
        { convertedOnDay: 'Academy conversion date must be a real date' },
      ],
      [
        { schoolType: 'academy', financeRoute: 'invoice', convertedOnDay: '1', convertedOnYear: '2025' },
        { convertedOnMonth: 'Academy conversion date must include a month' },
      ],
      [
        { schoolType: 'academy', convertedOnDay: '1', convertedOnMonth: '9', convertedOnYear: '2025' },
        { financeRoute: 'Academies pay by invoice: select “Invoice”' },
      ],
      [{ schoolType: 'free-school' }, { schoolType: 'Select whether the school is maintained or an academy' }],
    ]
    for (const [fields, errors] of cases) {
      const answer = await onSchool(schoolId, schoolForm(fields))
      expect(answer.status, JSON.stringify(fields)).toBe(400)
      expect(answer.body.errors, JSON.stringify(fields)).toEqual(errors)
      expect(answer.body.values).toMatchObject(fields)
    }
    // Several mistakes at once are all reported.
    const many = await onSchool(schoolId, schoolForm({ pupilCount: 'abc', approvalLimit: '£12.345', schoolType: 'academy', financeRoute: 'invoice' }))
    expect(Object.keys(many.body.errors).sort()).toEqual(['approvalLimit', 'convertedOnDay', 'pupilCount'])

    expect(await schoolRow()).toEqual(before)
    expect(await auditFor(schoolId, 'school.updated')).toHaveLength(0)
  })

  it('saves a conversion to academy with its date, in pence, and audits each change old → new', async () => {
    const answer = await onSchool(
      schoolId,
      schoolForm({
        schoolType: 'academy',
        financeRoute: 'invoice',
        convertedOnDay: '1',
        convertedOnMonth: '9',
        convertedOnYear: '2025',
        pupilCount: '1,150',
        approvalLimit: '£3,000.50',
        poNumberRequired: 'yes',
      }),
    )
    expect(answer).toMatchObject({ status: 302, location: `/la/admin/schools?updated=${schoolId}` })
    expect(await schoolRow()).toMatchObject({
      school_type: 'academy',
      finance_route: 'invoice',
      converted_to_academy_on: '2025-09-01',
      pupil_count: 1150,
      approval_limit_pence: 300_050,
      po_number_required: true,
    })
    const audit = await auditFor(schoolId, 'school.updated')
    expect(audit).toHaveLength(1)
    expect(audit[0]!.actor_user_id).toBe(adminId)
    expect(audit[0]!.details).toEqual({
      changes: {
        school_type: { from: 'maintained', to: 'academy' },
        finance_route: { from: 'internal_recharge', to: 'invoice' },
        converted_to_academy_on: { from: null, to: '2025-09-01' },
        pupil_count: { from: 321, to: 1150 },
        approval_limit_pence: { from: 250_000, to: 300_050 },
        po_number_required: { from: false, to: true },
      },
    })

    // The form shows the saved values again; saving them unchanged changes and audits nothing.
    const shown = await page()
    expect(shown.body.values).toMatchObject({
      schoolType: 'academy',
      pupilCount: '1150',
      approvalLimit: '3000.50',
      financeRoute: 'invoice',
      poNumberRequired: 'yes',
      convertedOnDay: '1',
      convertedOnMonth: '9',
      convertedOnYear: '2025',
    })
    const same = await onSchool(schoolId, shown.body.values)
    expect(same).toMatchObject({ status: 302, location: `/la/admin/schools?updated=${schoolId}&unchanged=1` })
    expect(await auditFor(schoolId, 'school.updated')).toHaveLength(1)

    // The list shows the school as saved, with the limit in pounds.
    const list = await settle(
      schoolsLoader({
        request: get(`/la/admin/schools?q=${encodeURIComponent(`Admin Test School ${run}`)}&updated=${schoolId}`, adminCookie),
        params: {},
        context,
      }),
    )
    expect(list.body.updated).toEqual({ id: schoolId, name: `Admin Test School ${run}` })
    expect(list.body.schools).toEqual([
      expect.objectContaining({ id: schoolId, schoolType: 'academy', approvalLimitPence: 300_050, financeRoute: 'invoice' }),
    ])
  })

  it('answers 404 for a malformed, unknown or other authority’s school id', async () => {
    const db = await getDb()
    const ashgrove = await db.selectFrom('schools').select('id').where('authority_id', '=', northfieldId).executeTakeFirstOrThrow()
    for (const id of ['nope', randomUUID(), ashgrove.id]) {
      expect((await page(adminCookie, id)).status).toBe(404)
      expect((await onSchool(id, schoolForm())).status).toBe(404)
    }
  })
})

describe('who may use these pages', () => {
  it('gives a finance officer 403 on every page and action', async () => {
    const userId = await userIdOf('buyer@elm-bank.example')
    const answers = await Promise.all([
      settle(usersLoader({ request: get('/la/admin/users', financeCookie), params: {}, context })),
      settle(inviteLoader({ request: get('/la/admin/users/new', financeCookie), params: {}, context })),
      invite({ name: 'X', email: `finance.try.${run}@example.org`, role: 'finance', schoolId: '' }, financeCookie),
      settle(userLoader({ request: get(`/la/admin/users/${userId}`, financeCookie), params: { userId }, context })),
      onUser(userId, { intent: 'deactivate' }, financeCookie),
      settle(schoolsLoader({ request: get('/la/admin/schools', financeCookie), params: {}, context })),
      onSchool(schoolId, schoolForm({ pupilCount: '1' }), financeCookie),
      settle(outboxLoader({ request: get('/la/admin/outbox', financeCookie), params: {}, context })),
    ])
    expect(answers.map((a) => a.status)).toEqual([403, 403, 403, 403, 403, 403, 403, 403])
    expect((await counts(`finance.try.${run}@example.org`)).users).toBe(0)
  })

  it('sends someone not signed in to sign in', async () => {
    const answer = await settle(usersLoader({ request: new Request('http://localhost/la/admin/users'), params: {}, context }))
    expect(answer.status).toBe(302)
    expect(answer.location).toBe('/login?redirectTo=%2Fla%2Fadmin%2Fusers')
  })

  it('gives Northfield’s administrator 404 for Coventry’s users and schools, and changes nothing', async () => {
    const buyerId = await userIdOf('buyer@elm-bank.example')
    const answers = [
      await settle(userLoader({ request: get(`/la/admin/users/${buyerId}`, northfieldCookie), params: { userId: buyerId }, context })),
      await onUser(buyerId, { intent: 'deactivate' }, northfieldCookie),
      await onUser(buyerId, { intent: 'change-role', role: 'finance', schoolId: '' }, northfieldCookie),
      await settle(schoolLoader({ request: get(`/la/admin/schools/${elmBankId}`, northfieldCookie), params: { schoolId: elmBankId }, context })),
      await onSchool(elmBankId, schoolForm({ pupilCount: '1' }), northfieldCookie),
    ]
    expect(answers.map((a) => a.status)).toEqual([404, 404, 404, 404, 404])
    const db = await getDb()
    const buyer = await db
      .selectFrom('users')
      .select(['is_active', 'school_id'])
      .where('authority_id', '=', coventryId)
      .where('id', '=', buyerId)
      .executeTakeFirstOrThrow()
    expect(buyer).toEqual({ is_active: true, school_id: elmBankId })
    const elmBank = await db
      .selectFrom('schools')
      .select('pupil_count')
      .where('authority_id', '=', coventryId)
      .where('id', '=', elmBankId)
      .executeTakeFirstOrThrow()
    expect(elmBank.pupil_count).toBe(420)

    // Their own lists hold only Northfield's users and schools.
    const users = await settle(usersLoader({ request: get('/la/admin/users', northfieldCookie), params: {}, context }))
    expect(users.body.users.map((u: { email: string }) => u.email)).toContain('admin@northfield.example')
    expect(users.body.users.map((u: { email: string }) => u.email)).not.toContain('admin@coventry.example')
    const schools = await settle(schoolsLoader({ request: get('/la/admin/schools', northfieldCookie), params: {}, context }))
    expect(schools.body.schools.map((s: { id: string }) => s.id)).not.toContain(elmBankId)
  })
})

describe('the users list', () => {
  it('filters by text and by role', async () => {
    const list = async (query: string) =>
      (await settle(usersLoader({ request: get(`/la/admin/users?${query}`, adminCookie), params: {}, context }))).body
    const finance = await list('role=finance')
    expect(finance.users.length).toBeGreaterThan(0)
    expect(finance.users.every((u: { roles: string[] }) => u.roles.includes('finance'))).toBe(true)
    expect(finance.users.map((u: { email: string }) => u.email)).toContain('finance@coventry.example')

    const elm = await list('q=elm-bank')
    expect(elm.users.map((u: { email: string }) => u.email)).toEqual(expect.arrayContaining(['buyer@elm-bank.example', 'head@elm-bank.example']))
    const heads = await list('q=elm%20bank&role=school_approver')
    expect(heads.users.map((u: { email: string }) => u.email)).toContain('head@elm-bank.example')
    expect(heads.users.map((u: { email: string }) => u.email)).not.toContain('buyer@elm-bank.example')

    // LIKE's wildcards are searched for literally; an unknown role shows everyone.
    expect((await list('q=%25%25%25')).users).toEqual([])
    const all = await list('role=superuser')
    expect(all.search.filters.role).toBeUndefined()
    expect(all.total).toBeGreaterThan(20)
  })
})

describe('the outbox', () => {
  it('lists only this authority’s messages, newest first, and opens one with its text, its links hidden', async () => {
    const db = await getDb()
    const key = `admin-test:${run}`
    const northfieldMessage = await db
      .insertInto('email_messages')
      .values({
        authority_id: northfieldId,
        idempotency_key: key,
        template: 'invitation',
        to_address: `northfield.${run}@example.org`,
        subject: 'Northfield only',
        html: '<p>Hi</p>',
        text: 'Hi https://example.org/northfield',
        status: 'held',
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const { email } = await invited('finance')

    const outbox = await settle(outboxLoader({ request: get('/la/admin/outbox', adminCookie), params: {}, context }))
    expect(outbox.status).toBe(200)
    const ids = outbox.body.messages.map((m: { id: string }) => m.id)
    expect(ids).not.toContain(northfieldMessage.id)
    const coventryMessages = await db.selectFrom('email_messages').select('id').where('authority_id', '=', coventryId).execute()
    expect(ids.every((id: string) => coventryMessages.some((m) => m.id === id))).toBe(true)
    // Newest first (other tests add messages meanwhile, so compare the listed messages' own times).
    const listed = await db
      .selectFrom('email_messages')
      .select(['id', 'created_at'])
      .where('authority_id', '=', coventryId)
      .where('id', 'in', ids)
      .execute()
    const times = ids.map((id: string) => new Date(listed.find((m) => m.id === id)!.created_at).getTime())
    expect(times).toEqual([...times].sort((a, b) => b - a))

    const mine = await db
      .selectFrom('email_messages')
      .select('id')
      .where('authority_id', '=', coventryId)
      .where('to_address', '=', email)
      .executeTakeFirstOrThrow()
    const message = await settle(messageLoader({ request: get(`/la/admin/outbox/${mine.id}`, adminCookie), params: { messageId: mine.id }, context }))
    expect(message.body.message).toMatchObject({ to: email, template: 'invitation' })
    // The invitation's link is its recipient's alone (docs/decisions/0027): hidden in the text, the preview and the links.
    expect(message.body.message.text).toContain('Test finance')
    expect(JSON.stringify(message.body)).not.toMatch(/set-password\?token=|token=(?!hidden)/)
    expect(message.body.message.links).toEqual([])
    expect(message.body.message.secret).toBe(true)
    expect(message.body.message).not.toHaveProperty('html')

    // Another authority's message, an unknown id and a malformed one are not found.
    for (const messageId of [northfieldMessage.id, randomUUID(), 'x']) {
      expect((await settle(messageLoader({ request: get('/la/admin/outbox/x', adminCookie), params: { messageId }, context }))).status).toBe(404)
    }
    const northfieldOutbox = await settle(outboxLoader({ request: get('/la/admin/outbox', northfieldCookie), params: {}, context }))
    expect(northfieldOutbox.body.messages.map((m: { id: string }) => m.id)).toContain(northfieldMessage.id)
    expect(northfieldOutbox.body.messages.map((m: { id: string }) => m.id)).not.toContain(mine.id)
    await db.deleteFrom('email_messages').where('authority_id', '=', northfieldId).where('id', '=', northfieldMessage.id).execute()
  })
})
