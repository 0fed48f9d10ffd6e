import { z } from 'zod'
import { MAX_QUANTITY } from '../domain/pricing'
import { parseStartFrom } from '../domain/periods'

/**
 * The basket's forms (docs/product.md), one schema each, shared by
 * the browser and the server. Form values arrive as strings; every message
 * says what to do in words a school business manager understands.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export const PO_NUMBER_MAX = 35

/** "3" → 3. Refuses empty, 0, negative, fractional, huge and non-numbers, each with its own message. */
export const quantity = z
  .string({ error: 'Enter a quantity' })
  .trim()
  .transform((value, ctx) => {
    if (value === '') {
      ctx.addIssue({ code: 'custom', message: 'Enter a quantity' })
      return z.NEVER
    }
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(value.replace(/,/g, ''))) {
      ctx.addIssue({ code: 'custom', message: 'Quantity must be a number, like 3' })
      return z.NEVER
    }
    const n = Number(value.replace(/,/g, ''))
    if (n <= 0) {
      ctx.addIssue({ code: 'custom', message: 'Quantity must be 1 or more' })
      return z.NEVER
    }
    if (!Number.isInteger(n)) {
      ctx.addIssue({ code: 'custom', message: 'Quantity must be a whole number, like 3' })
      return z.NEVER
    }
    if (n > MAX_QUANTITY) {
      ctx.addIssue({ code: 'custom', message: `Quantity must be ${MAX_QUANTITY.toLocaleString('en-GB')} or fewer` })
      return z.NEVER
    }
    return n
  })

const id = (message: string) =>
  z
    .string({ error: message })
    .trim()
    .regex(UUID, message)
    .transform((v) => v.toLowerCase())

/** "Start from": a term of a trading year on sale, "2026-spring"; empty when the offer has none to choose. */
export const startFrom = z
  .string()
  .trim()
  .optional()
  .transform((value, ctx) => {
    if (!value) return undefined
    const parsed = parseStartFrom(value)
    if (!parsed) {
      ctx.addIssue({ code: 'custom', message: 'Choose a term from the list' })
      return z.NEVER
    }
    return parsed
  })

/** The trading year, "2026" for 2026/27; empty for the current one. */
export const tradingYear = z
  .string()
  .trim()
  .optional()
  .transform((value, ctx) => {
    if (!value) return undefined
    if (!/^\d{4}$/.test(value)) {
      ctx.addIssue({ code: 'custom', message: 'Choose a year from the list' })
      return z.NEVER
    }
    return Number(value)
  })

/** "Add to basket" on a service page. */
export const AddToBasketSchema = z.object({
  intent: z.literal('add'),
  offerId: id('Choose a package'),
  quantity,
  /** Only for packages sold as places on a dated course. */
  courseId: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(id('Choose a course from the list').optional()),
  tradingYear,
  startFrom,
  /** "Who is it for": empty for the school itself, or a cluster the school leads (a pooled block). */
  clusterId: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(id('Choose your school or one of its clusters').optional()),
})

/** "Add to basket" for a trust's buyer: the same, for the member school chosen as "School". */
export const TrustAddToBasketSchema = AddToBasketSchema.extend({
  schoolId: id('Choose the school this is for'),
})

/** "Submit order" on the trust's basket: the trust's purchase order number, and the basket's orders (so a second submit finds what the first placed). */
export const TrustSubmitSchema = z.object({
  intent: z.literal('submit'),
  poNumber: poNumberSchema(false).shape.poNumber,
  basketIds: z.string().max(2000),
})

/** "Change start" beside a basket line sold by the year or the term. */
export const ChangeStartSchema = z.object({
  intent: z.literal('start'),
  lineId: id('Choose a line of your basket'),
  startFrom: startFrom.pipe(
    z.object({ tradingYear: z.number(), term: z.enum(['summer', 'autumn', 'spring']) }, { error: 'Choose a term to start from' }),
  ),
})

/** "Update" beside a basket line. */
export const UpdateLineSchema = z.object({
  intent: z.literal('update'),
  lineId: id('Choose a line of your basket'),
  quantity,
})

/** "Remove" beside a basket line. */
export const RemoveLineSchema = z.object({
  intent: z.literal('remove'),
  lineId: id('Choose a line of your basket'),
})

/** "Continue" under the basket: the purchase order number, required when the school says so. */
export function poNumberSchema(required: boolean) {
  return z.object({
    intent: z.literal('continue'),
    poNumber: z
      .string()
      .trim()
      .max(PO_NUMBER_MAX, `Purchase order number must be ${PO_NUMBER_MAX} characters or fewer`)
      .regex(/^[^\u0000-\u001f\u007f]*$/, 'Purchase order number must not contain special characters')
      .refine((v) => !required || v.length > 0, 'Enter your school’s purchase order number')
      .transform((v) => (v === '' ? null : v)),
  })
}

/** "Submit order" on the check page: names the basket it was shown. */
export const SubmitOrderSchema = z.object({
  intent: z.literal('submit'),
  basketId: id('Your basket has changed: check it again'),
})

/** "Save choice" for a line the team cannot wholly fit. */
export const CapacityChoiceSchema = z.object({
  intent: z.literal('capacity'),
  lineId: id('Choose a line of your basket'),
  choice: z.enum(['split', 'wait_all'], { error: 'Choose what should happen to what does not fit' }),
  returnTo: z.enum(['basket', 'check']).catch('basket'),
})
