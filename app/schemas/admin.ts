import { UUID_PATTERN } from './common'
import { z } from 'zod'
export { EMAIL_STATUS_TAGS, EMAIL_TEMPLATE_NAMES, FINANCE_ROUTE_NAMES, linksIn, ROLE_OPTIONS, SCHOOL_TYPE_NAMES } from './admin-labels'
import type { SchoolType } from '../../db/schema'
import { INVITABLE_ROLES, ROLE_NAMES, roleFitsUser, SCHOOL_ROLES, TRUST_ROLES, type Role } from '../domain/roles'

/**
 * The LA administrator's forms (users, schools, outbox), shared by the
 * browser and the server. Field names are the form's `name`s, and each error
 * is keyed by the id of the input it belongs to, so that the GOV.UK error
 * summary links straight to it.
 */

/** Control characters never belong in a name or a search. */
function clean(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f]/g, ' ').trim()
}

// ---------------------------------------------------------------------------
// Users

const roleField = z.enum(INVITABLE_ROLES as unknown as [Role, ...Role[]], { error: 'Select the user’s role' })

const schoolField = z
  .string()
  .transform((v) => v.trim())
  .pipe(z.union([z.literal(''), z.string().regex(UUID_PATTERN, 'Select a school from the list')]))
  .transform((v) => (v === '' ? null : v))

const trustField = z
  .string()
  .optional()
  .transform((v) => (v ?? '').trim())
  .pipe(z.union([z.literal(''), z.string().regex(UUID_PATTERN, 'Select a trust from the list')]))
  .transform((v) => (v === '' ? null : v))

const serviceIdsField = z
  .array(z.string().regex(UUID_PATTERN, 'Select services from the list'))
  .max(100, 'Select services from the list')
  .transform((ids) => [...new Set(ids)])

/** What a user may do: one role, the school for school roles, the trust for trust roles, the services for service leads. */
const assignmentShape = { role: roleField, schoolId: schoolField, trustId: trustField, serviceIds: serviceIdsField }

type Assignment = { role: Role; schoolId: string | null; trustId: string | null; serviceIds: string[] }

/**
 * The rules that tie the fields together (see roleFitsUser): a school
 * business manager or headteacher belongs to a school; council staff do not;
 * only service leads lead services, and a service lead leads at least one.
 */
function checkAssignment(value: Partial<Assignment>, ctx: z.RefinementCtx) {
  const role = value.role
  if (!role || !INVITABLE_ROLES.includes(role)) return
  const schoolId = value.schoolId ?? null
  const trustId = value.trustId ?? null
  if (!roleFitsUser(role, schoolId, trustId)) {
    const trustRole = TRUST_ROLES.includes(role)
    if (SCHOOL_ROLES.includes(role) ? schoolId === null : schoolId !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['schoolId'],
        message: SCHOOL_ROLES.includes(role)
          ? `Select the school of the ${ROLE_NAMES[role].toLowerCase()}`
          : trustRole
            ? `A trust’s users belong to the trust, not a school: select “No school (council staff)”`
            : `Council staff do not belong to a school: select “No school (council staff)”`,
      })
    }
    if (trustRole ? trustId === null : trustId !== null) {
      ctx.addIssue({
        code: 'custom',
        path: ['trustId'],
        message: trustRole
          ? `Select the trust of the ${ROLE_NAMES[role].toLowerCase()}`
          : 'Only a trust’s users belong to a trust: select “No trust”',
      })
    }
  }
  const services = value.serviceIds ?? []
  if (role === 'service_lead' && services.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['serviceIds'], message: 'Select the services the service lead leads' })
  }
  if (role !== 'service_lead' && services.length > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['serviceIds'],
      message: 'Only service leads lead services: clear the services or select “Service lead”',
    })
  }
}

export const UserEmailSchema = z
  .string({ error: 'Enter the user’s email address' })
  .trim()
  .min(1, 'Enter the user’s email address')
  .max(254, 'Email address must be 254 characters or fewer')
  .pipe(z.email({ error: 'Enter an email address in the correct format, like name@example.com' }))
  .transform((v) => v.toLowerCase())

export const InviteUserSchema = z
  .object({
    name: z
      .string({ error: 'Enter the user’s full name' })
      .transform(clean)
      .pipe(z.string().min(1, 'Enter the user’s full name').max(100, 'Full name must be 100 characters or fewer')),
    email: UserEmailSchema,
    ...assignmentShape,
  })
  .superRefine(checkAssignment)

export type InviteUserInput = z.infer<typeof InviteUserSchema>

export const ChangeRoleSchema = z.object(assignmentShape).superRefine(checkAssignment)

export type ChangeRoleInput = z.infer<typeof ChangeRoleSchema>

export const USER_INTENTS = ['change-role', 'deactivate', 'reactivate', 'resend-invitation'] as const
export type UserIntent = (typeof USER_INTENTS)[number]

/** The raw values of the invite and change-role forms, kept to show again when something is wrong. */
export type AssignmentValues = { role: string; schoolId: string; trustId: string; serviceIds: string[] }
export type InviteValues = AssignmentValues & { name: string; email: string }

export function inviteValuesFrom(form: FormData): InviteValues {
  return {
    name: String(form.get('name') ?? '').slice(0, 200),
    email: String(form.get('email') ?? '').slice(0, 300),
    ...assignmentValuesFrom(form),
  }
}

export function assignmentValuesFrom(form: FormData): AssignmentValues {
  return {
    role: String(form.get('role') ?? '').slice(0, 50),
    schoolId: String(form.get('schoolId') ?? '').slice(0, 50),
    trustId: String(form.get('trustId') ?? '').slice(0, 50),
    serviceIds: form
      .getAll('serviceIds')
      .map(String)
      .slice(0, 200)
      .map((v) => v.slice(0, 50)),
  }
}

export type UserSearch = {
  values: { q: string; role: string }
  filters: { q?: string; role?: Role }
}

/** Reads ?q=&role= from the users list's address; never throws. An unknown role shows everyone. */
export function parseUserSearch(params: URLSearchParams): UserSearch {
  const q = clean(params.get('q') ?? '').slice(0, 100)
  const role = roleField.safeParse(params.get('role') ?? '')
  return {
    values: { q, role: role.success ? role.data : '' },
    filters: { q: q || undefined, role: role.success ? role.data : undefined },
  }
}

// ---------------------------------------------------------------------------
// Schools

export type SchoolSearch = { values: { q: string }; filters: { q?: string } }

export function parseSchoolSearch(params: URLSearchParams): SchoolSearch {
  const q = clean(params.get('q') ?? '').slice(0, 100)
  return { values: { q }, filters: { q: q || undefined } }
}

export const MAX_PUPILS = 5_000
export const MAX_APPROVAL_LIMIT_PENCE = 100_000_000 // £1,000,000

/** Whole numbers, optionally with commas between thousands: "420", "1,150". */
const WHOLE = /^(\d{1,3}(,\d{3})+|\d+)$/
/** Pounds, or pounds and pence: "2500", "2,500", "2500.5", "£2,500.50". */
const POUNDS = /^(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$/

export const pupilCountField = z.string().transform((raw, ctx) => {
  const v = raw.trim()
  if (v === '') {
    ctx.addIssue({ code: 'custom', message: 'Enter the number of pupils' })
    return z.NEVER
  }
  if (/^-\s*\d/.test(v)) {
    ctx.addIssue({ code: 'custom', message: 'Pupil count must be 0 or more' })
    return z.NEVER
  }
  if (!WHOLE.test(v)) {
    ctx.addIssue({ code: 'custom', message: 'Pupil count must be a whole number, like 420' })
    return z.NEVER
  }
  const digits = v.replaceAll(',', '')
  if (digits.replace(/^0+(?=\d)/, '').length > 6 || Number(digits) > MAX_PUPILS) {
    ctx.addIssue({ code: 'custom', message: 'Pupil count must be 5,000 or fewer' })
    return z.NEVER
  }
  return Number(digits)
})

/** Reads an amount of money typed in pounds as integer pence, without floating point (at most £1,000,000). */
export function parsePoundsToPence(raw: string): number | 'format' | 'negative' | 'too-large' {
  return parsePounds(raw, MAX_APPROVAL_LIMIT_PENCE)
}

/** Reads an amount typed in pounds ("2500", "£2,500.50") as integer pence, at most `maxPence`. */
export function parsePounds(raw: string, maxPence: number): number | 'format' | 'negative' | 'too-large' {
  const v = raw.trim().replace(/^£\s*/, '')
  if (/^-\s*£?\s*\d/.test(v)) return 'negative'
  if (!POUNDS.test(v)) return 'format'
  const [poundsText = '0', penceText = ''] = v.replaceAll(',', '').split('.')
  const pounds = poundsText.replace(/^0+(?=\d)/, '')
  if (pounds.length > 9) return 'too-large'
  const pence = Number(pounds) * 100 + Number(penceText.padEnd(2, '0') || '0')
  return pence > maxPence ? 'too-large' : pence
}

/** Integer pence as the form shows it again: 250000 → "2500", 250050 → "2500.50". */
export function penceToPoundsInput(pence: number): string {
  const pounds = Math.floor(pence / 100)
  const rest = pence % 100
  return rest === 0 ? String(pounds) : `${pounds}.${String(rest).padStart(2, '0')}`
}

export const approvalLimitField = z.string().transform((raw, ctx) => {
  if (raw.trim() === '') {
    ctx.addIssue({ code: 'custom', message: 'Enter the approval limit' })
    return z.NEVER
  }
  const pence = parsePoundsToPence(raw)
  if (pence === 'negative') {
    ctx.addIssue({ code: 'custom', message: 'Approval limit must be £0 or more' })
    return z.NEVER
  }
  if (pence === 'format') {
    ctx.addIssue({
      code: 'custom',
      message: 'Approval limit must be an amount in pounds, like 2500, or pounds and pence, like 2500.50',
    })
    return z.NEVER
  }
  if (pence === 'too-large') {
    ctx.addIssue({ code: 'custom', message: 'Approval limit must be £1,000,000 or less' })
    return z.NEVER
  }
  return pence
})

const EARLIEST_CONVERSION = '2000-01-01'

type DateParts = { day: string; month: string; year: string }
type DateResult = { ok: true; date: string | null } | { ok: false; field: 'Day' | 'Month' | 'Year'; message: string }

/**
 * A GOV.UK date input read as 'YYYY-MM-DD' (null when left empty), with the
 * Design System's messages. Only dates from 1 January 2000 to today.
 */
export function parseConversionDate(parts: DateParts, today: string): DateResult {
  const day = parts.day.trim()
  const month = parts.month.trim()
  const year = parts.year.trim()
  const label = 'Academy conversion date'
  if (!day && !month && !year) return { ok: true, date: null }
  const missing = (['Day', 'Month', 'Year'] as const).filter((_, i) => ![day, month, year][i])
  if (missing.length) {
    const names = missing.map((m) => m.toLowerCase())
    const list = names.length === 1 ? `a ${names[0]}` : `a ${names[0]} and ${names[1]}`
    return { ok: false, field: missing[0]!, message: `${label} must include ${list}` }
  }
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d+$/.test(year)) {
    const field = !/^\d{1,2}$/.test(day) ? 'Day' : !/^\d{1,2}$/.test(month) ? 'Month' : 'Year'
    return { ok: false, field, message: `${label} must be a real date` }
  }
  if (year.length !== 4) return { ok: false, field: 'Year', message: 'Year must include 4 numbers' }
  const d = Number(day)
  const m = Number(month)
  const y = Number(year)
  const probe = new Date(Date.UTC(y, m - 1, d))
  if (m < 1 || m > 12 || d < 1 || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) {
    return { ok: false, field: 'Day', message: `${label} must be a real date` }
  }
  const date = `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
  if (date > today) return { ok: false, field: 'Day', message: `${label} must be today or in the past` }
  if (date < EARLIEST_CONVERSION) return { ok: false, field: 'Year', message: `${label} must be in 2000 or later` }
  return { ok: true, date }
}

/** The school's stored type, which decides whether a conversion date is needed. */
export type SchoolBefore = { schoolType: SchoolType }

/**
 * The school edit form. A maintained school becoming an academy needs the
 * date it converted; a maintained school has no conversion date; an academy
 * pays by invoice (it is not part of the council, so cannot be recharged
 * through the council's journal).
 */
export function schoolUpdateSchema(before: SchoolBefore, today: string) {
  const text = z.string().max(50)
  // Every field is read as text first, and then checked here one by one, so
  // that a form with several mistakes is told about all of them at once.
  return z
    .object({
      schoolType: text,
      pupilCount: text,
      approvalLimit: text,
      financeRoute: text,
      poNumberRequired: text,
      convertedOnDay: text,
      convertedOnMonth: text,
      convertedOnYear: text,
    })
    .transform((v, ctx) => {
      const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
      const first = (r: { success: boolean; error?: { issues: { message: string }[] } }) => r.error?.issues[0]?.message ?? 'Check this answer'

      const schoolType = schoolTypeField.safeParse(v.schoolType)
      if (!schoolType.success) issue('schoolType', first(schoolType))
      const pupilCount = pupilCountField.safeParse(v.pupilCount)
      if (!pupilCount.success) issue('pupilCount', first(pupilCount))
      const approvalLimit = approvalLimitField.safeParse(v.approvalLimit)
      if (!approvalLimit.success) issue('approvalLimit', first(approvalLimit))
      const financeRoute = financeRouteField.safeParse(v.financeRoute)
      if (!financeRoute.success) issue('financeRoute', first(financeRoute))
      const poNumberRequired = poNumberRequiredField.safeParse(v.poNumberRequired)
      if (!poNumberRequired.success) issue('poNumberRequired', first(poNumberRequired))

      const date = parseConversionDate({ day: v.convertedOnDay, month: v.convertedOnMonth, year: v.convertedOnYear }, today)
      let convertedToAcademyOn: string | null = null
      if (!date.ok) {
        issue(`convertedOn${date.field}`, date.message)
      } else if (schoolType.data === 'maintained' && date.date) {
        issue('convertedOnDay', 'A maintained school has no academy conversion date: leave the date empty')
      } else if (schoolType.data === 'academy' && before.schoolType === 'maintained' && !date.date) {
        issue('convertedOnDay', 'Enter the date the school became an academy')
      } else {
        convertedToAcademyOn = date.date
      }
      if (schoolType.data === 'academy' && financeRoute.data === 'internal_recharge') {
        issue('financeRoute', 'Academies pay by invoice: select “Invoice”')
      }
      if (!schoolType.success || !pupilCount.success || !approvalLimit.success || !financeRoute.success || !poNumberRequired.success) {
        return z.NEVER
      }
      return {
        schoolType: schoolType.data,
        pupilCount: pupilCount.data,
        approvalLimitPence: approvalLimit.data,
        financeRoute: financeRoute.data,
        poNumberRequired: poNumberRequired.data,
        convertedToAcademyOn,
      }
    })
}

export const schoolTypeField = z.enum(['maintained', 'academy'], {
  error: 'Select whether the school is maintained or an academy',
})
const financeRouteField = z.enum(['internal_recharge', 'invoice'], { error: 'Select how the school pays' })
export const poNumberRequiredField = z
  .enum(['yes', ''], { error: 'Select whether a purchase order number is required' })
  .transform((v) => v === 'yes')

export type SchoolUpdateInput = z.output<ReturnType<typeof schoolUpdateSchema>>

export type SchoolValues = {
  schoolType: string
  pupilCount: string
  approvalLimit: string
  financeRoute: string
  poNumberRequired: string
  convertedOnDay: string
  convertedOnMonth: string
  convertedOnYear: string
}

export const SCHOOL_FIELDS = [
  'schoolType',
  'convertedOnDay',
  'convertedOnMonth',
  'convertedOnYear',
  'pupilCount',
  'approvalLimit',
  'financeRoute',
  'poNumberRequired',
] as const

export function schoolValuesFrom(form: FormData): SchoolValues {
  const get = (name: string, max: number) => String(form.get(name) ?? '').slice(0, max)
  return {
    schoolType: get('schoolType', 20),
    pupilCount: get('pupilCount', 20),
    approvalLimit: get('approvalLimit', 30),
    financeRoute: get('financeRoute', 30),
    poNumberRequired: get('poNumberRequired', 10),
    convertedOnDay: get('convertedOnDay', 10),
    convertedOnMonth: get('convertedOnMonth', 10),
    convertedOnYear: get('convertedOnYear', 10),
  }
}

// ---------------------------------------------------------------------------
// Teams: a team-year's capacity

export const MAX_ESTABLISHMENT_FTE = 500
export const MAX_CHARGEABLE_HOURS_PER_FTE = 2_000
export const MAX_SESSIONAL_HOURS = 100_000

/** A trading year in an address: four digits, as team_years allows (2000 to 2100); otherwise null. */
export function parseYearParam(value: unknown): number | null {
  if (typeof value !== 'string' || !/^\d{4}$/.test(value)) return null
  const year = Number(value)
  return year >= 2000 && year <= 2100 ? year : null
}

/** Whole numbers from 0 to `max`, optionally with commas between thousands: "650", "1,200". */
function wholeField(label: string, max: number, example: string) {
  return z.string().transform((raw, ctx) => {
    const v = raw.trim()
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message })
      return z.NEVER
    }
    if (v === '') return fail(`Enter the ${label.toLowerCase()}`)
    if (/^-\s*\d/.test(v)) return fail(`${label} must be 0 or more`)
    if (!WHOLE.test(v)) return fail(`${label} must be a whole number, like ${example}`)
    const digits = v.replaceAll(',', '').replace(/^0+(?=\d)/, '')
    if (digits.length > 7 || Number(digits) > max) return fail(`${label} must be ${max.toLocaleString('en-GB')} or fewer`)
    return Number(digits)
  })
}

/** Full-time equivalents: 0 to 500, up to 2 decimal places ("4", "4.5", "0.25"). */
const establishmentFteField = z.string().transform((raw, ctx) => {
  const v = raw.trim()
  const fail = (message: string) => {
    ctx.addIssue({ code: 'custom', message })
    return z.NEVER
  }
  if (v === '') return fail('Enter the establishment FTE')
  if (/^-\s*\d/.test(v)) return fail('Establishment FTE must be 0 or more')
  if (/^\d+\.\d{3,}$/.test(v)) return fail('Establishment FTE must have 2 decimal places or fewer, like 4.25')
  if (!/^\d+(\.\d{1,2})?$/.test(v)) return fail('Establishment FTE must be a number, like 4 or 4.25')
  const [whole = '0', fraction = ''] = v.split('.')
  const hundredths = Number(whole.replace(/^0+(?=\d)/, '').slice(0, 9)) * 100 + Number(fraction.padEnd(2, '0') || '0')
  if (whole.replace(/^0+(?=\d)/, '').length > 3 || hundredths > MAX_ESTABLISHMENT_FTE * 100) {
    return fail('Establishment FTE must be 500 or fewer')
  }
  return hundredths / 100
})

export const MAX_TEAM_MONEY_PENCE = 1_000_000_000 // £10,000,000

/** An amount in pounds from £0 to `maxPence`, as integer pence. */
export function poundsField(label: string, maxPence: number) {
  return z.string().transform((raw, ctx) => {
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message })
      return z.NEVER
    }
    if (raw.trim() === '') return fail(`Enter the ${label.toLowerCase()}`)
    const pence = parsePounds(raw, maxPence)
    if (pence === 'negative') return fail(`${label} must be £0 or more`)
    if (pence === 'format') return fail(`${label} must be an amount in pounds, like 2500, or pounds and pence, like 2500.50`)
    if (pence === 'too-large') return fail(`${label} must be £${(maxPence / 100).toLocaleString('en-GB')} or less`)
    return pence
  })
}

export const TEAM_YEAR_FIELDS = ['establishmentFte', 'chargeableHoursPerFte', 'sessionalHours', 'costPerFte', 'centralFunding'] as const

export type TeamYearValues = Record<(typeof TEAM_YEAR_FIELDS)[number], string>

/**
 * A team-year's figures, the one schema of the targets page and the team's
 * own page: every field is checked, so several mistakes are reported at once.
 */
export const TeamYearSchema = z.object({
  establishmentFte: establishmentFteField,
  chargeableHoursPerFte: wholeField('Chargeable hours per FTE', MAX_CHARGEABLE_HOURS_PER_FTE, '650'),
  sessionalHours: wholeField('Sessional hours', MAX_SESSIONAL_HOURS, '120'),
  costPerFte: poundsField('Cost per FTE', MAX_TEAM_MONEY_PENCE),
  centralFunding: poundsField('Central funding', MAX_TEAM_MONEY_PENCE),
})

export type TeamYearInput = z.output<typeof TeamYearSchema>

/** A team-year's form fields, optionally suffixed ("establishmentFte-<team id>") when many teams share a form. */
export function teamYearValuesFrom(form: FormData, suffix = ''): TeamYearValues {
  const get = (name: string) => String(form.get(`${name}${suffix}`) ?? '').slice(0, 30)
  return {
    establishmentFte: get('establishmentFte'),
    chargeableHoursPerFte: get('chargeableHoursPerFte'),
    sessionalHours: get('sessionalHours'),
    costPerFte: get('costPerFte'),
    centralFunding: get('centralFunding'),
  }
}

// ---------------------------------------------------------------------------
// Outbox
