import { z } from 'zod'
import { approvalLimitField } from './admin'
import { UUID_PATTERN } from './common'
import { checkEach, clean, emailField, optionalText, postcodeField } from './schools'

/**
 * The LA administrator's trust forms (issue 16): a trust's details, and
 * adding a member school. Every field is read as text and checked one by
 * one, so that a form with several mistakes is told about all of them.
 */

const nameField = z.string().transform((raw, ctx) => {
  const v = clean(raw)
  if (v.length < 2) ctx.addIssue({ code: 'custom', message: 'Enter the trust’s name' })
  else if (v.length > 120) ctx.addIssue({ code: 'custom', message: 'Name must be 120 characters or fewer' })
  else return v
  return z.NEVER
})

const companiesHouseField = z.string().transform((raw, ctx) => {
  const v = raw.replace(/\s+/g, '').toUpperCase()
  if (v === '') return null
  if (!/^[0-9A-Z]{8}$/.test(v)) {
    ctx.addIssue({ code: 'custom', message: 'Companies House number must be 8 characters, like 09876543' })
    return z.NEVER
  }
  return v
})

const invoicingField = z.enum(['per_school', 'consolidated'], { error: 'Select how the trust is invoiced' })

const trustShape = {
  name: nameField,
  companiesHouseNumber: companiesHouseField,
  approvalLimit: approvalLimitField,
  invoicing: invoicingField,
  addressLine1: optionalText('Address', 200),
  town: optionalText('Town', 100),
  postcode: postcodeField,
  financeEmail: emailField,
}

export const TRUST_FIELDS = Object.keys(trustShape) as (keyof typeof trustShape)[]
export type TrustValues = Record<(typeof TRUST_FIELDS)[number], string>

const text = z.string().max(300)

/** A trust's details, as the add and edit forms send them. */
export const trustSchema = z
  .object(Object.fromEntries(TRUST_FIELDS.map((n) => [n, text])) as Record<keyof TrustValues, typeof text>)
  .transform((v, ctx) => {
    const parsed = checkEach(trustShape, v, ctx)
    if (!parsed) return z.NEVER
    const { approvalLimit, ...rest } = parsed
    return { ...rest, approvalLimitPence: approvalLimit }
  })
export type TrustDetails = z.output<typeof trustSchema>

export function trustValuesFrom(form: FormData): TrustValues {
  return Object.fromEntries(TRUST_FIELDS.map((n) => [n, String(form.get(n) ?? '').slice(0, 300)])) as TrustValues
}

/** Adding a school to the trust: one of the authority's schools in no trust today. */
export const addMemberSchema = z.object({
  schoolId: z.string().regex(UUID_PATTERN, { error: 'Select a school to add' }),
})
export type AddMemberValues = { schoolId: string }

export function addMemberValuesFrom(form: FormData): AddMemberValues {
  return { schoolId: String(form.get('schoolId') ?? '').slice(0, 100) }
}
