import { z } from 'zod'
import { UUID_PATTERN } from './common'
import type { Phase, SchoolStatus } from '../../db/schema'
import {
  approvalLimitField,
  poNumberRequiredField,
  pupilCountField,
  schoolTypeField,
  schoolUpdateSchema,
  SCHOOL_FIELDS,
  schoolValuesFrom,
  type SchoolBefore,
  type SchoolValues,
} from './admin'

/**
 * The school register's forms: adding a school, the school's details on its
 * edit page (beside the type, size and payment fields of admin.ts), and the
 * GIAS import. Every field is read as text and checked one by one, so that
 * a form with several mistakes is told about all of them at once.
 */

export const PHASES: readonly Phase[] = ['nursery', 'primary', 'secondary', 'all_through', 'special', 'alternative_provision']

export function clean(value: string): string {
  return value
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

const urnField = z.string().transform((raw, ctx) => {
  const v = raw.trim()
  if (v === '') ctx.addIssue({ code: 'custom', message: 'Enter the school’s URN' })
  else if (!/^\d{6}$/.test(v)) ctx.addIssue({ code: 'custom', message: 'URN must be 6 digits, like 103456' })
  else return v
  return z.NEVER
})

const nameField = z.string().transform((raw, ctx) => {
  const v = clean(raw)
  if (v === '') ctx.addIssue({ code: 'custom', message: 'Enter the school’s name' })
  else if (v.length > 200) ctx.addIssue({ code: 'custom', message: 'Name must be 200 characters or fewer' })
  else return v
  return z.NEVER
})

const phaseField = z.enum(PHASES as [Phase, ...Phase[]], { error: 'Select the school’s phase' })

/** Optional text: empty is null; longer than `max` is refused. */
export function optionalText(label: string, max: number) {
  return z.string().transform((raw, ctx) => {
    const v = clean(raw)
    if (v.length > max) {
      ctx.addIssue({ code: 'custom', message: `${label} must be ${max} characters or fewer` })
      return z.NEVER
    }
    return v === '' ? null : v
  })
}

const POSTCODE = /^([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})$/

export const postcodeField = z.string().transform((raw, ctx) => {
  const v = clean(raw).toUpperCase()
  if (v === '') return null
  const m = POSTCODE.exec(v)
  if (!m) {
    ctx.addIssue({ code: 'custom', message: 'Enter a real postcode, like CV1 5RR' })
    return z.NEVER
  }
  return `${m[1]} ${m[2]}`
})

export const emailField = z.string().transform((raw, ctx) => {
  const v = raw.trim().toLowerCase()
  if (v === '') return null
  if (v.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) {
    ctx.addIssue({ code: 'custom', message: 'Enter an email address in the correct format, like office@school.example' })
    return z.NEVER
  }
  return v
})

const phoneField = z.string().transform((raw, ctx) => {
  const v = clean(raw)
  if (v === '') return null
  if (!/^\+?[\d\s()-]{6,20}$/.test(v) || (v.match(/\d/g)?.length ?? 0) < 6) {
    ctx.addIssue({ code: 'custom', message: 'Enter a telephone number, like 024 7601 0100' })
    return z.NEVER
  }
  return v
})

const statusField = z.enum(['open', 'closed'], { error: 'Select whether the school is open or closed' })

/** The details of a school, on the add and edit forms. */
const detailsShape = {
  urn: urnField,
  name: nameField,
  phase: phaseField,
  costCentre: optionalText('Cost centre', 30),
  addressLine1: optionalText('Address', 200),
  town: optionalText('Town', 100),
  postcode: postcodeField,
  email: emailField,
  phone: phoneField,
  headteacherName: optionalText('Headteacher', 100),
}
type DetailName = keyof typeof detailsShape
const DETAIL_NAMES = Object.keys(detailsShape) as DetailName[]

export type SchoolDetails = { [K in DetailName]: z.output<(typeof detailsShape)[K]> }

/** Each field's own check, every problem reported at its field. */
export function checkEach<S extends Record<string, z.ZodType>>(shape: S, values: Record<string, string>, ctx: z.RefinementCtx) {
  const out: Record<string, unknown> = {}
  let ok = true
  for (const [name, field] of Object.entries(shape)) {
    const r = field.safeParse(values[name] ?? '')
    if (r.success) out[name] = r.data
    else {
      ok = false
      ctx.addIssue({ code: 'custom', path: [name], message: r.error.issues[0]?.message ?? 'Check this answer' })
    }
  }
  return ok ? (out as { [K in keyof S]: z.output<S[K]> }) : null
}

const text = z.string().max(300)

// ---------------------------------------------------------------------------
// Add a school

const newSchoolShape = {
  ...detailsShape,
  schoolType: schoolTypeField,
  pupilCount: pupilCountField,
  approvalLimit: approvalLimitField,
  poNumberRequired: poNumberRequiredField,
}

export const NEW_SCHOOL_FIELDS = [
  'urn',
  'name',
  'phase',
  'schoolType',
  'pupilCount',
  'approvalLimit',
  'poNumberRequired',
  'costCentre',
  'addressLine1',
  'town',
  'postcode',
  'email',
  'phone',
  'headteacherName',
] as const

export type NewSchoolValues = Record<(typeof NEW_SCHOOL_FIELDS)[number], string>

/** A new school: its finance route follows its type (maintained: internal recharge; academy: invoice). */
export const newSchoolSchema = z
  .object(Object.fromEntries(NEW_SCHOOL_FIELDS.map((n) => [n, text])) as Record<keyof NewSchoolValues, typeof text>)
  .transform((v, ctx) => {
    const parsed = checkEach(newSchoolShape, v, ctx)
    if (!parsed) return z.NEVER
    const { approvalLimit, ...rest } = parsed
    return {
      ...rest,
      approvalLimitPence: approvalLimit,
      financeRoute: parsed.schoolType === 'academy' ? ('invoice' as const) : ('internal_recharge' as const),
    }
  })
export type NewSchool = z.output<typeof newSchoolSchema>

export function newSchoolValuesFrom(form: FormData): NewSchoolValues {
  return Object.fromEntries(NEW_SCHOOL_FIELDS.map((n) => [n, String(form.get(n) ?? '').slice(0, 300)])) as NewSchoolValues
}

// ---------------------------------------------------------------------------
// Edit a school: every field

export type SchoolEditValues = SchoolValues & Record<DetailName | 'status', string>

export const SCHOOL_EDIT_FIELDS = [...DETAIL_NAMES.slice(0, 3), 'status', ...SCHOOL_FIELDS, ...DETAIL_NAMES.slice(3)] as const

/**
 * The edit form: the school's details and whether it is open, with the
 * type, size and payment rules of schoolUpdateSchema (admin.ts).
 */
export function schoolEditSchema(before: SchoolBefore, today: string) {
  const update = schoolUpdateSchema(before, today)
  return z.record(z.string(), text).transform((v, ctx) => {
    const details = checkEach({ ...detailsShape, status: statusField }, v, ctx)
    const rest = update.safeParse(Object.fromEntries(SCHOOL_FIELDS.map((n) => [n, v[n] ?? ''])))
    if (!rest.success) for (const issue of rest.error.issues) ctx.addIssue({ code: 'custom', path: issue.path as string[], message: issue.message })
    if (!details || !rest.success) return z.NEVER
    return { ...rest.data, ...(details as SchoolDetails & { status: SchoolStatus }) }
  })
}
export type SchoolEdit = z.output<ReturnType<typeof schoolEditSchema>>

export function schoolEditValuesFrom(form: FormData): SchoolEditValues {
  const details = Object.fromEntries([...DETAIL_NAMES, 'status'].map((n) => [n, String(form.get(n) ?? '').slice(0, 300)]))
  return { ...schoolValuesFrom(form), ...details } as SchoolEditValues
}

// ---------------------------------------------------------------------------
// GIAS import

export const MAX_IMPORT_BYTES = 30 * 1024 * 1024

export const IMPORT_FIELDS = ['file', 'laCode'] as const

export type ImportValues = { laCode: string }

/** The upload: a CSV file (not empty, at most 30 MB) and the authority's three-digit LA code. */
export const schoolImportSchema = z.object({
  laCode: z
    .string()
    .transform((v) => v.trim())
    .pipe(z.string().regex(/^\d{3}$/, 'LA code must be 3 digits, like 331')),
  file: z
    .custom<File>((f) => typeof f === 'object' && f !== null && 'arrayBuffer' in f && 'size' in f, 'Select a GIAS establishment CSV file')
    .refine((f) => f.size > 0, 'The selected file is empty')
    .refine((f) => f.size <= MAX_IMPORT_BYTES, 'The selected file must be smaller than 30 MB')
    .refine((f) => !f.name || /\.(csv|txt)$/i.test(f.name), 'The selected file must be a CSV'),
})

export const applyImportSchema = z.object({ importId: z.string().regex(UUID_PATTERN, 'Check the import again and apply it from its preview') })
