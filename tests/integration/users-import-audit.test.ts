import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD_HASH } from '../../db/seed/factories'
import { recordAudit } from '~/models/admin/audit.server'
import { loader as auditCsvLoader } from '~/routes/la.admin.audit[.csv]'
import { loader as auditLoader } from '~/routes/la.admin.audit'
import { action as importAction } from '~/routes/la.admin.users.import'
import { getDb } from '~/utils/db.server'
import { stopJobs } from '~/utils/jobs.server'
import { createSession } from '~/utils/session.server'
import { buildCapacityFixture } from '../support/capacity-fixture'

/**
 * Inviting users from a CSV (the same checks and the same invitation as one
 * user), and the audit log's filters and CSV (never a secret), on a
 * throwaway authority.
 */

const run = randomUUID().slice(0, 8)
const context = { clientIp: '203.0.113.9' }

let authorityId: string
let adminId: string
let cookie: string

type Answer = { status: number; body: any; response?: Response }

async function settle(promise: Promise<unknown> | unknown): Promise<Answer> {
  let result: unknown
  try {
    result = await promise
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown
    result = thrown
  }
  if (result instanceof Response) return { status: result.status, body: null, response: result }
  if (result && typeof result === 'object' && (result as { type?: unknown }).type === 'DataWithResponseInit') {
    const r = result as { data: unknown; init: ResponseInit | null }
    return { status: r.init?.status ?? 200, body: r.data }
  }
  return { status: 200, body: result }
}

function upload(form: FormData) {
  return settle(
    importAction({
      request: new Request('http://localhost/la/admin/users/import', {
        method: 'POST',
        body: form,
        headers: { Cookie: cookie, 'User-Agent': 'import.test' },
      }),
      params: {},
      context,
    }),
  )
}

function fileForm(csv: string) {
  const form = new FormData()
  form.set('intent', 'preview')
  form.set('file', new File([csv], 'users.csv', { type: 'text/csv' }))
  return form
}

const get = (fn: (args: any) => unknown, path: string) =>
  settle(fn({ request: new Request(`http://localhost${path}`, { headers: { Cookie: cookie } }), params: {}, context }))

const CSV = [
  'Email,Name,Role,School URN,Services',
  `buyer-${run}@school.example,Bea Buyer,School business manager,999001,`,
  `lead-${run}@council.example,"Lee, Lead",service_lead,,ep`,
  `bad-${run}@council.example,Bad Line,headteacher,,`,
  `nobody-${run}@school.example,No School,School business manager,123456,`,
  `admin-${run}@imports.example,Existing Admin,LA administrator,,`,
  'not-an-email,Broken Email,Finance officer,,',
  `BUYER-${run}@school.example,Same Again,School business manager,999001,`,
].join('\n')

beforeAll(async () => {
  const db = await getDb()
  const fixture = await buildCapacityFixture(db, { slug: `imports-${run}`, roomForDays: 1, lines: 0 })
  authorityId = fixture.authorityId
  const admin = await db
    .insertInto('users')
    .values({ authority_id: authorityId, email: `admin-${run}@imports.example`, name: 'Import Admin', password_hash: DEMO_PASSWORD_HASH })
    .returning('id')
    .executeTakeFirstOrThrow()
  adminId = admin.id
  await db.insertInto('user_roles').values({ authority_id: authorityId, user_id: admin.id, role: 'la_admin' }).execute()
  cookie = (await createSession(db, new Request('http://localhost/'), { id: admin.id, authorityId }, '127.0.0.1')).split(';')[0]!
})

afterAll(async () => {
  await stopJobs()
})

describe('inviting users from a CSV', () => {
  it('previews every line with its errors, and saves nothing', async () => {
    const answer = await upload(fileForm(CSV))
    expect(answer.status).toBe(200)
    expect(answer.body.step).toBe('preview')
    const lines = answer.body.lines.map((l: any) => [l.line, l.status, l.errors])
    expect(lines).toEqual([
      [2, 'ready', []],
      [3, 'ready', []],
      [4, 'error', ['Select the school of the headteacher']],
      [5, 'error', ['No school of the council has URN 123456']],
      [6, 'exists', ['A user with this email address already exists']],
      [7, 'error', ['Enter an email address in the correct format, like name@example.com']],
      [8, 'error', ['The same email address is on line 2']],
    ])
    const db = await getDb()
    expect(await db.selectFrom('users').select('id').where('authority_id', '=', authorityId).execute()).toHaveLength(1)
  })

  it('refuses a file that is not the right shape', async () => {
    const answer = await upload(fileForm('a,b\n1,2'))
    expect(answer.status).toBe(400)
    expect(answer.body.errors.file).toMatch(/first line must name the columns/)
    expect((await upload(new FormData())).status).toBe(400)
  })

  it('sends the ready lines as invitations, each with its queued email and audit event, and a repeat invites nobody twice', async () => {
    const send = () => {
      const form = new FormData()
      form.set('intent', 'send')
      form.set('csv', CSV)
      return upload(form)
    }
    const first = await send()
    expect(first.status).toBe(200)
    expect(first.body.result.invited.map((l: any) => l.line)).toEqual([2, 3])
    expect(first.body.result.existing.map((l: any) => l.line)).toEqual([6])
    expect(first.body.result.failed.map((l: any) => l.line)).toEqual([4, 5, 7, 8])

    const db = await getDb()
    const users = await db
      .selectFrom('users as u')
      .innerJoin('user_roles as r', (j) => j.onRef('r.authority_id', '=', 'u.authority_id').onRef('r.user_id', '=', 'u.id'))
      .select(['u.email', 'u.name', 'r.role', 'u.school_id', 'u.password_hash'])
      .where('u.authority_id', '=', authorityId)
      .where('u.id', '<>', adminId)
      .orderBy('u.email')
      .execute()
    expect(users.map((u) => [u.email, u.name, u.role, u.school_id !== null, u.password_hash])).toEqual([
      [`buyer-${run}@school.example`, 'Bea Buyer', 'school_buyer', true, null],
      [`lead-${run}@council.example`, 'Lee, Lead', 'service_lead', false, null],
    ])
    const leads = await db.selectFrom('service_leads').select('user_id').where('authority_id', '=', authorityId).execute()
    expect(leads).toHaveLength(1)
    const emails = await db
      .selectFrom('email_messages')
      .select(['to_address', 'template'])
      .where('authority_id', '=', authorityId)
      .orderBy('to_address')
      .execute()
    expect(emails).toEqual([
      { to_address: `buyer-${run}@school.example`, template: 'invitation' },
      { to_address: `lead-${run}@council.example`, template: 'invitation' },
    ])

    const again = await send()
    expect(again.body.result.invited).toEqual([])
    expect(again.body.result.existing.map((l: any) => l.line)).toEqual([2, 3, 6])
    expect(await db.selectFrom('email_messages').select('id').where('authority_id', '=', authorityId).execute()).toHaveLength(2)
  })
})

describe('the audit log', () => {
  beforeAll(async () => {
    const db = await getDb()
    await recordAudit(db, {
      authorityId,
      actorUserId: adminId,
      action: 'school.updated',
      subjectType: 'school',
      subjectId: (await db.selectFrom('schools').select('id').where('authority_id', '=', authorityId).executeTakeFirstOrThrow()).id,
      ip: '198.51.100.7',
      details: {
        changes: { pupil_count: { from: 300, to: 310 } },
        resetToken: 'SECRET-TOKEN',
        link: 'https://x.example/set-password?token=abc',
        note: 'https://leak.example',
      },
    })
    await recordAudit(db, { authorityId, actorUserId: null, action: 'sign_in.failed', ip: '192.0.2.1', details: { password: 'hunter2' } })
  })

  it('lists the authority’s events newest first, with names and without secrets', async () => {
    const page = await get(auditLoader, '/la/admin/audit')
    expect(page.status).toBe(200)
    expect(page.body.total).toBeGreaterThanOrEqual(6)
    expect(page.body.rows[0]).toMatchObject({ action: 'sign_in.failed', actorName: null, summary: '' })
    const school = page.body.rows.find((r: any) => r.action === 'school.updated')
    expect(school).toMatchObject({ actorName: 'Import Admin', actionText: 'Changed a school', subject: 'School: Test School', ip: '198.51.100.7' })
    expect(school.summary).toBe('note: [hidden]; changes.pupil_count: 300 → 310')
    const invitation = page.body.rows.find((r: any) => r.action === 'invitation.sent')
    expect(invitation.summary).not.toMatch(/tokenId|token/i)
    expect(JSON.stringify(page.body)).not.toMatch(/SECRET-TOKEN|hunter2|set-password|tokenId/)
    expect(page.body.options.kinds).toEqual(expect.arrayContaining(['invitation', 'invitations', 'school', 'sign_in']))
  })

  it('filters by kind, person and date, and reports a bad filter without failing', async () => {
    const kind = await get(auditLoader, '/la/admin/audit?kind=invitation')
    expect(kind.body.rows.map((r: any) => r.action)).toEqual(['invitation.sent', 'invitation.sent'])
    const person = await get(auditLoader, `/la/admin/audit?person=${adminId}&kind=school`)
    expect(person.body.rows).toHaveLength(1)
    const nobody = await get(auditLoader, `/la/admin/audit?person=${randomUUID()}`)
    expect(nobody.body.total).toBe(0)
    const future = await get(auditLoader, '/la/admin/audit?from=2099-01-01')
    expect(future.body.total).toBe(0)
    const bad = await get(auditLoader, '/la/admin/audit?from=yesterday&to=2020-01-01&kind=school')
    expect(bad.status).toBe(200)
    expect(bad.body.errors).toEqual({ from: 'From date must be a real date, like 2026-11-22' })
    expect(bad.body.total).toBe(0)
  })

  it('exports the filtered events as CSV, without secrets', async () => {
    const answer = await get(auditCsvLoader, '/la/admin/audit.csv?kind=school')
    expect(answer.status).toBe(200)
    expect(answer.response!.headers.get('Content-Type')).toMatch(/text\/csv/)
    const text = await answer.response!.text()
    const lines = text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
    expect(lines[0]).toBe('Time (UTC),Who,Action,Action code,Subject,Details,IP address')
    expect(lines).toHaveLength(2)
    expect(lines[1]).toContain(
      'Import Admin,Changed a school,school.updated,School: Test School,note: [hidden]; changes.pupil_count: 300 → 310,198.51.100.7',
    )
    const all = await (await get(auditCsvLoader, '/la/admin/audit.csv')).response!.text()
    expect(all).not.toMatch(/SECRET-TOKEN|hunter2|set-password|tokenId/)
  })
})
