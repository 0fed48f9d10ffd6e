import { z } from 'zod'
import { TERM_NAMES, termDatesProblems, type TermName } from '../domain/terms'

/**
 * The LA administrator's term dates form: one trading year's three terms,
 * each a first and a last day ('YYYY-MM-DD', from a date field). Errors are
 * keyed by the field's id (`summerStartsOn`, `autumnEndsOn`, …) so that the
 * GOV.UK error summary links straight to it.
 */

export const TERM_DATE_FIELDS = TERM_NAMES.flatMap((t) => [`${t}StartsOn`, `${t}EndsOn`] as const)
export type TermDateField = `${TermName}${'StartsOn' | 'EndsOn'}`
export type TermDatesValues = { year: string } & Record<TermDateField, string>

const dateField = z.string().trim().max(10).catch('')

/** A trading year written as its first calendar year ("2026" for 2026/27), from 2000 to 2100. */
export function parseTermYear(raw: string | null | undefined): number | null {
  const v = (raw ?? '').trim()
  if (!/^\d{4}$/.test(v)) return null
  const year = Number(v)
  return year >= 2000 && year <= 2100 ? year : null
}

export const TermDatesSchema = z
  .object({
    year: z.string().transform((raw, ctx) => {
      const year = parseTermYear(raw)
      if (year === null) {
        ctx.addIssue({ code: 'custom', message: 'Select a trading year' })
        return z.NEVER
      }
      return year
    }),
    ...(Object.fromEntries(TERM_DATE_FIELDS.map((f) => [f, dateField])) as Record<TermDateField, typeof dateField>),
  })
  .superRefine((value, ctx) => {
    const terms = Object.fromEntries(TERM_NAMES.map((t) => [t, { startsOn: value[`${t}StartsOn`], endsOn: value[`${t}EndsOn`] }])) as Record<
      TermName,
      { startsOn: string; endsOn: string }
    >
    for (const p of termDatesProblems(value.year, terms)) {
      ctx.addIssue({ code: 'custom', path: [`${p.term}${p.field === 'startsOn' ? 'StartsOn' : 'EndsOn'}`], message: p.message })
    }
  })

export type TermDatesInput = z.output<typeof TermDatesSchema>

export function termDatesValuesFrom(form: FormData): TermDatesValues {
  const get = (name: string) => String(form.get(name) ?? '').slice(0, 30)
  const values = { year: get('year') } as TermDatesValues
  for (const f of TERM_DATE_FIELDS) values[f] = get(f)
  return values
}
