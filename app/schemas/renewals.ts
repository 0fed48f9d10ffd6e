import { z } from 'zod'
import { PO_NUMBER_MAX, quantity } from './basket'

/**
 * The renewal forms: the LA administrator's window, and a school's
 * answers to its proposal. One schema each, shared by browser and server.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const id = (message: string) =>
  z
    .string({ error: message })
    .trim()
    .regex(UUID, message)
    .transform((v) => v.toLowerCase())

export const DECLINE_REASON_MAX = 1000

/** Day, month and year fields → 'YYYY-MM-DD' (or the problem). */
function dateFields(name: string) {
  return z.object({ day: z.string().trim(), month: z.string().trim(), year: z.string().trim() }).transform((v, ctx) => {
    if (!v.day && !v.month && !v.year) {
      ctx.addIssue({ code: 'custom', message: `Enter the ${name}` })
      return z.NEVER
    }
    if (!/^\d{1,2}$/.test(v.day) || !/^\d{1,2}$/.test(v.month) || !/^\d{4}$/.test(v.year)) {
      ctx.addIssue({ code: 'custom', message: `The ${name} must be a real date, like 2 11 2026` })
      return z.NEVER
    }
    const iso = `${v.year}-${v.month.padStart(2, '0')}-${v.day.padStart(2, '0')}`
    const d = new Date(`${iso}T00:00:00.000Z`)
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso) {
      ctx.addIssue({ code: 'custom', message: `The ${name} must be a real date, like 2 11 2026` })
      return z.NEVER
    }
    return iso
  })
}

/** "Save dates" (and "Save dates and open renewals") on /la/admin/renewals. */
export const RenewalWindowSchema = z.object({
  intent: z.enum(['save', 'open'], { error: 'Choose what to do' }),
  opensOn: dateFields('opening date'),
  closesOn: dateFields('closing date'),
})

/** The date fields of a form as the schema wants them. */
export function windowFormValues(form: FormData) {
  const v = (k: string) => String(form.get(k) ?? '')
  return {
    intent: v('intent'),
    opensOn: { day: v('opensOnDay'), month: v('opensOnMonth'), year: v('opensOnYear') },
    closesOn: { day: v('closesOnDay'), month: v('closesOnMonth'), year: v('closesOnYear') },
  }
}

export const UpdateProposalLineSchema = z.object({
  intent: z.literal('update'),
  lineId: id('Choose a line of your proposal'),
  quantity,
})

export const RemoveProposalLineSchema = z.object({
  intent: z.literal('remove'),
  lineId: id('Choose a line of your proposal'),
})

export const AddProposalLineSchema = z.object({
  intent: z.literal('add'),
  offerId: id('Choose a package to add'),
  quantity,
})

export function acceptProposalSchema(poRequired: boolean) {
  return z.object({
    intent: z.literal('accept'),
    proposalId: id('Your proposal has changed: check it again'),
    poNumber: z
      .string()
      .trim()
      .max(PO_NUMBER_MAX, `Purchase order number must be ${PO_NUMBER_MAX} characters or fewer`)
      .regex(/^[^\u0000-\u001f\u007f]*$/, 'Purchase order number must not contain special characters')
      .refine((v) => !poRequired || v.length > 0, 'Enter your school’s purchase order number')
      .transform((v) => (v === '' ? null : v)),
  })
}

export const DeclineProposalSchema = z.object({
  intent: z.literal('decline'),
  proposalId: id('Your proposal has changed: check it again'),
  reason: z
    .string({ error: 'Enter why you are not renewing' })
    .trim()
    .min(1, 'Enter why you are not renewing')
    .max(DECLINE_REASON_MAX, `Your reason must be ${DECLINE_REASON_MAX} characters or fewer`),
})
