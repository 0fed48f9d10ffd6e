import { z } from 'zod'

/**
 * The query strings of /la/trading and /la/capacity (and their CSV exports),
 * and the "email about renewing" form: one zod schema each, shared by the
 * browser and the server. Errors are keyed by the id of the field they
 * belong to, so the GOV.UK error summary links straight to it.
 */

export const YEAR_ERROR = 'Select a trading year from the list'
export const SERVICE_ERROR = 'Select a service from the list'
export const TEAM_ERROR = 'Select a team from the list'
export const BUY_BACK_ERROR = 'Enter the buy-back rate as a number from 0 to 100, like 85'
export const PRICE_CHANGE_ERROR = 'Enter the price change as a whole number of per cent from -50 to 100, like 5 or -10'

const trimmed = z.string().trim()
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/

const yearField = trimmed.regex(/^\d{4}$/, YEAR_ERROR).transform(Number)
const slugField = (error: string) => trimmed.max(100, error).regex(SLUG, error)

/** A number written by a person: spaces and a trailing % allowed, "+5" and "−10" (a real minus) too. */
function numberText(value: string): string {
  return value
    .replace(/\s+/g, '')
    .replace(/%$/, '')
    .replace(/^\u2212/, '-')
    .replace(/^\+/, '')
}

export const TradingQuerySchema = z.object({
  year: yearField.optional(),
  service: slugField(SERVICE_ERROR).optional(),
})

export const CapacityQuerySchema = z.object({
  year: yearField.optional(),
  team: slugField(TEAM_ERROR).optional(),
  buyBack: trimmed
    .transform(numberText)
    .pipe(z.string().regex(/^\d{1,3}(\.\d)?$/, BUY_BACK_ERROR))
    .transform(Number)
    .pipe(z.number().min(0, BUY_BACK_ERROR).max(100, BUY_BACK_ERROR))
    .optional(),
  priceChange: trimmed
    .transform(numberText)
    .pipe(z.string().regex(/^-?\d{1,3}$/, PRICE_CHANGE_ERROR))
    .transform(Number)
    .pipe(z.number().int().min(-50, PRICE_CHANGE_ERROR).max(100, PRICE_CHANGE_ERROR))
    .optional(),
})

export type TradingQuery = z.infer<typeof TradingQuerySchema>
export type CapacityQuery = z.infer<typeof CapacityQuerySchema>

type Parsed<T, K extends string> = {
  /** What the person typed or chose, to show back in the form. */
  values: Record<K, string>
  /** What was valid; a field with an error is left out. */
  query: Partial<T>
  errors: Partial<Record<K, string>>
}

/** Reads each field of a query string on its own: a bad field is reported and ignored, never thrown. */
function parseQuery<S extends z.ZodObject, K extends string & keyof z.infer<S>>(
  schema: S,
  fields: readonly K[],
  params: URLSearchParams,
): Parsed<z.infer<S>, K> {
  const values = {} as Record<K, string>
  const query: Partial<z.infer<S>> = {}
  const errors: Partial<Record<K, string>> = {}
  for (const field of fields) {
    const raw = (params.get(field) ?? '').slice(0, 200)
    values[field] = raw
    if (raw.trim() === '') continue
    const result = (schema.shape[field] as z.ZodType).safeParse(raw)
    if (result.success) (query as Record<string, unknown>)[field] = result.data
    else errors[field] = result.error.issues[0]?.message ?? 'Check this field'
  }
  return { values, query, errors }
}

export function parseTradingQuery(params: URLSearchParams) {
  return parseQuery(TradingQuerySchema, ['year', 'service'] as const, params)
}

export function parseCapacityQuery(params: URLSearchParams) {
  return parseQuery(CapacityQuerySchema, ['year', 'team', 'buyBack', 'priceChange'] as const, params)
}

export const RENEWAL_INTENT = 'email-renewal'

/** The "Email about renewing" button's form. */
export const RenewalEmailSchema = z.object({
  intent: z.literal(RENEWAL_INTENT),
  schoolId: trimmed.regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'Choose a school from the list'),
  service: slugField(SERVICE_ERROR),
  year: yearField,
})

export type RenewalEmailInput = z.infer<typeof RenewalEmailSchema>
