import { z } from 'zod'
import type { Phase } from '../../db/schema'
import { PHASES } from '../utils/format'

/**
 * The service edit form (/la/services/:slug), shared by the browser and the
 * server. Every field is read as text and checked on its own, so that a form
 * with several mistakes is told about all of them at once; each error is
 * keyed by the id of the field it belongs to, for the GOV.UK error summary.
 */

export const SERVICE_LIMITS = {
  name: 100,
  summary: 300,
  description: 5_000,
  listItem: 300,
  listItems: 30,
  terms: 5_000,
  statutoryCore: 2_000,
  chargesBegin: 1_000,
  contactName: 100,
  contactEmail: 254,
  contactPhone: 30,
  incomeCode: 20,
} as const

/** The form's fields in the order the page shows them (the error summary's order). */
export const SERVICE_FIELDS = [
  'name',
  'summary',
  'description',
  'phases',
  'included',
  'excluded',
  'statutoryCore',
  'chargesBegin',
  'terms',
  'contactName',
  'contactEmail',
  'contactPhone',
  'incomeCode',
  'published',
] as const

type TextField = Exclude<(typeof SERVICE_FIELDS)[number], 'phases'>

/** What was typed, kept to show again when something is wrong. */
export type ServiceValues = Record<TextField, string> & { phases: string[] }

/** Control characters other than line breaks and tabs never belong in the text. */
function cleanText(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ')
    .replace(/[ \t]+\n/g, '\n')
    .trim()
}

/** One line: no line breaks at all. */
function cleanLine(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f]/g, ' ').trim()
}

function requiredLine(label: string, max: number) {
  return z
    .string()
    .transform(cleanLine)
    .pipe(
      z
        .string()
        .min(1, `Enter the ${label}`)
        .max(max, `${capitalise(label)} must be ${max.toLocaleString('en-GB')} characters or fewer`),
    )
}

function optionalText(label: string, max: number) {
  return z
    .string()
    .transform(cleanText)
    .pipe(z.string().max(max, `${label} must be ${max.toLocaleString('en-GB')} characters or fewer`))
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/**
 * A list typed one item a line: blank lines are dropped, and a bullet a
 * person typed ("- ", "• ", "* ") is taken off.
 */
export function linesOf(text: string): string[] {
  return cleanText(text)
    .split('\n')
    .map((line) => line.replace(/^\s*(?:[-•*]\s+)/, '').trim())
    .filter(Boolean)
}

function listField(label: string, required: boolean) {
  return z.string().transform((raw, ctx) => {
    const items = linesOf(raw)
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message })
      return z.NEVER
    }
    if (required && items.length === 0) return fail(`Enter at least one thing ${label}, one a line`)
    if (items.length > SERVICE_LIMITS.listItems) return fail(`Enter ${SERVICE_LIMITS.listItems} lines or fewer of what ${label}`)
    const long = items.findIndex((item) => item.length > SERVICE_LIMITS.listItem)
    if (long >= 0) return fail(`Line ${long + 1} of what ${label} must be ${SERVICE_LIMITS.listItem} characters or fewer`)
    return items
  })
}

const emailField = z
  .string()
  .transform(cleanLine)
  .pipe(
    z
      .string()
      .min(1, 'Enter the contact email address')
      .max(SERVICE_LIMITS.contactEmail, 'Contact email address must be 254 characters or fewer')
      .pipe(z.email({ error: 'Enter the contact email address in the correct format, like name@example.com' })),
  )
  .transform((v) => v.toLowerCase())

const phoneField = z
  .string()
  .transform(cleanLine)
  .pipe(
    z
      .string()
      .max(SERVICE_LIMITS.contactPhone, 'Contact phone number must be 30 characters or fewer')
      .regex(/^[0-9 +()-]*$/, 'Enter the contact phone number with numbers, spaces and brackets only, like 024 7601 0101'),
  )
  .transform((v) => (v === '' ? null : v))

const incomeCodeField = z
  .string()
  .transform(cleanLine)
  .pipe(
    z
      .string()
      .max(SERVICE_LIMITS.incomeCode, 'CFR or income code must be 20 characters or fewer')
      .regex(/^([A-Za-z0-9][A-Za-z0-9./-]*)?$/, 'CFR or income code must be letters, numbers, hyphens, dots or slashes, like INC-EP01'),
  )
  .transform((v) => (v === '' ? null : v.toUpperCase()))

const phasesField = z
  .array(z.string())
  .max(PHASES.length * 2)
  .transform((values, ctx) => {
    const chosen = PHASES.filter((p) => values.includes(p))
    if (values.some((v) => !(PHASES as readonly string[]).includes(v))) {
      ctx.addIssue({ code: 'custom', message: 'Select phases from the list' })
      return z.NEVER
    }
    if (chosen.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'Select the phases of school the service is for' })
      return z.NEVER
    }
    return chosen as Phase[]
  })

const publishedField = z.enum(['yes', 'no'], { error: 'Select whether schools can see the service' }).transform((v) => v === 'yes')

export const ServiceSchema = z.object({
  name: requiredLine('name of the service', SERVICE_LIMITS.name),
  summary: requiredLine('summary', SERVICE_LIMITS.summary),
  description: z
    .string()
    .transform(cleanText)
    .pipe(
      z
        .string()
        .min(1, 'Enter the description')
        .max(SERVICE_LIMITS.description, `Description must be ${SERVICE_LIMITS.description.toLocaleString('en-GB')} characters or fewer`),
    ),
  phases: phasesField,
  included: listField('the service includes', true),
  excluded: listField('the service does not include', false),
  statutoryCore: optionalText('What every school receives without charge', SERVICE_LIMITS.statutoryCore),
  chargesBegin: optionalText('Where charges begin', SERVICE_LIMITS.chargesBegin),
  terms: optionalText('Terms', SERVICE_LIMITS.terms),
  contactName: requiredLine('contact name', SERVICE_LIMITS.contactName),
  contactEmail: emailField,
  contactPhone: phoneField,
  incomeCode: incomeCodeField,
  published: publishedField,
})

export type ServiceInput = z.output<typeof ServiceSchema>

/** The posted form as text, each field cut to a length no honest form sends. */
export function serviceValuesFrom(form: FormData): ServiceValues {
  const get = (name: TextField, max: number) => String(form.get(name) ?? '').slice(0, max)
  return {
    name: get('name', 1_000),
    summary: get('summary', 2_000),
    description: get('description', 20_000),
    included: get('included', 20_000),
    excluded: get('excluded', 20_000),
    statutoryCore: get('statutoryCore', 10_000),
    chargesBegin: get('chargesBegin', 10_000),
    terms: get('terms', 20_000),
    contactName: get('contactName', 1_000),
    contactEmail: get('contactEmail', 1_000),
    contactPhone: get('contactPhone', 200),
    incomeCode: get('incomeCode', 200),
    published: get('published', 10),
    phases: form
      .getAll('phases')
      .slice(0, 20)
      .map((v) => String(v).slice(0, 50)),
  }
}

export type OfferStatus = 'on_sale' | 'draft' | 'retired'

export const OFFER_STATUS_TAGS: Record<OfferStatus, { label: string; colour: string }> = {
  on_sale: { label: 'On sale', colour: 'green' },
  draft: { label: 'Draft', colour: 'grey' },
  retired: { label: 'Retired', colour: 'red' },
}

/** The school type a staff member previews the public service page as (`?preview=`), or null. */
export function parsePreview(value: string | null): 'maintained' | 'academy' | null {
  return value === 'maintained' || value === 'academy' ? value : null
}
