import { parse } from 'csv-parse/sync'
import type { DB } from '../../../db/connection'
import { ROLE_NAMES, ROLES, type Role } from '../../domain/roles'
import { InviteUserSchema, type InviteUserInput } from '../../schemas/admin'
import { fieldErrors } from '../../schemas/common'
import type { Actor } from '../shared/actor.server'
import { recordAudit } from './audit.server'
import { DUPLICATE_EMAIL, inviteUser } from './user-changes.server'

/**
 * Inviting users in bulk from a CSV (email, name, role, school URN, service
 * slugs separated by ";"). Each line goes through the same checks as one
 * invitation (InviteUserSchema, then inviteUser's own: one user per email
 * address, the school and services the authority's own) and, when sent,
 * through inviteUser itself: the same user, token, queued email and audit
 * event as inviting one person. An email address already a user is
 * reported, not invited again, so the same file sent twice invites nobody twice.
 */

export const MAX_IMPORT_LINES = 500
export const MAX_IMPORT_BYTES = 200_000

export type ImportLine = {
  line: number
  email: string
  name: string
  role: string
  organisation: string
  status: 'ready' | 'exists' | 'error'
  errors: string[]
}

type Checked = ImportLine & { input?: InviteUserInput }

const HEADERS: Record<string, 'email' | 'name' | 'role' | 'school' | 'services'> = {
  email: 'email',
  'email address': 'email',
  name: 'name',
  'full name': 'name',
  role: 'role',
  school: 'school',
  urn: 'school',
  'school urn': 'school',
  services: 'services',
  service: 'services',
  'service slugs': 'services',
}

/** A role written as its code ("service_lead") or its name ("Service lead"), any case. */
function readRole(raw: string): Role | null {
  const v = raw.trim().toLowerCase()
  if (!v) return null
  for (const role of ROLES) if (role === v || ROLE_NAMES[role].toLowerCase() === v) return role
  return null
}

export type ParsedFile = { ok: true; lines: Checked[] } | { ok: false; error: string }

/** Reads the file and checks every line against the authority's users, schools and services; writes nothing. */
export async function checkUsersFile(db: DB, authorityId: string, text: string): Promise<ParsedFile> {
  if (text.length > MAX_IMPORT_BYTES) return { ok: false, error: 'The file must be 200 KB or smaller' }
  let records: string[][]
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { skip_empty_lines: true, relax_column_count: true, trim: true, to: MAX_IMPORT_LINES + 2 })
  } catch (error) {
    return { ok: false, error: `The file is not a CSV file we can read: ${(error as Error).message.slice(0, 200)}` }
  }
  const [header, ...rows] = records
  if (!header) return { ok: false, error: 'The file is empty' }
  const columns = header.map((h) => HEADERS[h.trim().toLowerCase()])
  for (const needed of ['email', 'name', 'role'] as const) {
    if (!columns.includes(needed))
      return { ok: false, error: `The first line must name the columns: email, name, role, school URN and services (no “${needed}” column)` }
  }
  if (rows.length === 0) return { ok: false, error: 'The file has no users under its first line' }
  if (rows.length > MAX_IMPORT_LINES) return { ok: false, error: `The file must have ${MAX_IMPORT_LINES} users or fewer` }

  const cell = (row: string[], key: string) => {
    const i = columns.indexOf(key as never)
    return i < 0 ? '' : (row[i] ?? '').trim()
  }
  const urns = [...new Set(rows.map((r) => cell(r, 'school')).filter(Boolean))]
  const slugs = [
    ...new Set(
      rows
        .flatMap((r) =>
          cell(r, 'services')
            .split(';')
            .map((s) => s.trim().toLowerCase()),
        )
        .filter(Boolean),
    ),
  ]
  const emails = [...new Set(rows.map((r) => cell(r, 'email').toLowerCase()).filter(Boolean))]
  const [schools, services, existing] = await Promise.all([
    urns.length
      ? db.selectFrom('schools').select(['id', 'urn', 'name']).where('authority_id', '=', authorityId).where('urn', 'in', urns).execute()
      : [],
    slugs.length ? db.selectFrom('services').select(['id', 'slug']).where('authority_id', '=', authorityId).where('slug', 'in', slugs).execute() : [],
    emails.length ? db.selectFrom('users').select('email').where('authority_id', '=', authorityId).where('email', 'in', emails).execute() : [],
  ])
  const schoolByUrn = new Map(schools.map((s) => [s.urn, s]))
  const serviceBySlug = new Map(services.map((s) => [s.slug, s.id]))
  const existingEmails = new Set(existing.map((u) => u.email))
  const firstLineOf = new Map<string, number>()

  const lines = rows.map((row, i): Checked => {
    const line = i + 2
    const email = cell(row, 'email')
    const name = cell(row, 'name')
    const roleText = cell(row, 'role')
    const urn = cell(row, 'school')
    const serviceSlugs = cell(row, 'services')
      .split(';')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean)
    const errors: string[] = []
    const role = readRole(roleText)
    if (!role) errors.push(roleText ? `“${roleText}” is not a role: use ${ROLES.map((r) => ROLE_NAMES[r]).join(', ')}` : 'Enter the user’s role')
    const school = urn ? schoolByUrn.get(urn) : undefined
    if (urn && !school) errors.push(`No school of the council has URN ${urn}`)
    const unknown = serviceSlugs.filter((s) => !serviceBySlug.has(s))
    if (unknown.length) errors.push(`No service called ${unknown.join(', ')}`)
    const organisation = school?.name ?? (serviceSlugs.length ? serviceSlugs.join(', ') : '')
    const base = { line, email, name, role: role ? ROLE_NAMES[role] : roleText, organisation }
    if (role) {
      // The same schema as one invitation; its messages name the form's fields, so say which column they are about.
      const parsed = InviteUserSchema.safeParse({
        name,
        email,
        role,
        schoolId: urn ? (school?.id ?? '') : '',
        serviceIds: serviceSlugs.map((s) => serviceBySlug.get(s)).filter((id): id is string => Boolean(id)),
      })
      if (!parsed.success) {
        const byField = fieldErrors(parsed.error.issues)
        if (urn && !school) delete byField.schoolId
        if (unknown.length) delete byField.serviceIds
        errors.push(...Object.values(byField).filter((m): m is string => Boolean(m)))
      } else if (errors.length === 0) {
        const key = parsed.data.email
        const first = firstLineOf.get(key)
        if (first !== undefined) return { ...base, status: 'error', errors: [`The same email address is on line ${first}`] }
        firstLineOf.set(key, line)
        if (existingEmails.has(key)) return { ...base, status: 'exists', errors: [DUPLICATE_EMAIL] }
        return { ...base, status: 'ready', errors: [], input: parsed.data }
      }
    }
    return { ...base, status: 'error', errors }
  })
  return { ok: true, lines }
}

/** What the preview shows: every line, without the parsed input. */
export function previewLines(lines: Checked[]): ImportLine[] {
  return lines.map(({ input: _input, ...line }) => line)
}

export type SendResult = { invited: ImportLine[]; existing: ImportLine[]; failed: ImportLine[] }

/**
 * Invites every line that is ready, each exactly as one invitation is (its
 * own transaction, its email queued). Lines already users, or wrong, are
 * reported and skipped; one summary audit event records the import.
 */
export async function sendInvitations(db: DB, actor: Actor, text: string): Promise<{ ok: true; result: SendResult } | { ok: false; error: string }> {
  const checked = await checkUsersFile(db, actor.authorityId, text)
  if (!checked.ok) return checked
  const result: SendResult = { invited: [], existing: [], failed: [] }
  for (const line of checked.lines) {
    const { input, ...shown } = line
    if (line.status === 'exists') result.existing.push(shown)
    else if (!input) result.failed.push(shown)
    else {
      const sent = await inviteUser(db, actor, input)
      if (sent.ok) result.invited.push(shown)
      else if (sent.errors.email === DUPLICATE_EMAIL) result.existing.push({ ...shown, status: 'exists', errors: [DUPLICATE_EMAIL] })
      else result.failed.push({ ...shown, status: 'error', errors: Object.values(sent.errors).filter((m): m is string => Boolean(m)) })
    }
  }
  await recordAudit(db, {
    authorityId: actor.authorityId,
    actorUserId: actor.userId,
    action: 'invitations.imported',
    subjectType: 'authority',
    subjectId: actor.authorityId,
    ip: actor.ip,
    userAgent: actor.userAgent,
    details: {
      invited: result.invited.length,
      alreadyUsers: result.existing.length,
      failed: result.failed.length,
      failedLines: result.failed.map((l) => l.line),
    },
  })
  return { ok: true, result }
}
