import { z } from 'zod'
import { parseTradingYearLabel } from '../domain/trading-year'
import { YEAR_ERROR } from './orders'

/**
 * The period of /statement and /statement.pdf (a GET choice): a trading year
 * as "2026/27", this year or earlier. A bad value is reported beside the field
 * and the current year is shown instead.
 */
export const StatementPeriodSchema = z.object({
  year: z.string().transform((value, ctx) => {
    const year = parseTradingYearLabel(value)
    if (year === null || year < 2000 || year > 2100) {
      ctx.addIssue({ code: 'custom', message: YEAR_ERROR })
      return z.NEVER
    }
    return year
  }),
})

export function parseStatementPeriod(params: URLSearchParams, current: number): { year: number; value: string; error?: string } {
  const value = params.get('year') ?? ''
  if (value === '') return { year: current, value: '' }
  const parsed = StatementPeriodSchema.safeParse({ year: value })
  if (!parsed.success) return { year: current, value, error: parsed.error.issues[0]?.message ?? YEAR_ERROR }
  if (parsed.data.year > current) return { year: current, value, error: YEAR_ERROR }
  return { year: parsed.data.year, value }
}
