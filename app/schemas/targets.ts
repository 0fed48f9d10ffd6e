import { z } from 'zod'
import { MAX_TEAM_MONEY_PENCE, poundsField, TeamYearSchema, teamYearValuesFrom, type TeamYearInput, type TeamYearValues } from './admin'
import { fieldErrors, type FieldErrors, isUuid } from './common'

/**
 * The targets page (/la/admin/targets) and the capacity recommendation form:
 * each service's income target and each team's figures for one trading year.
 * A team's figures are checked by TeamYearSchema, the same schema as the
 * team's own page; errors are keyed by the input's id ("costPerFte-<team id>").
 */

export const IncomeTargetField = poundsField('Income target', MAX_TEAM_MONEY_PENCE)

export type TargetsValues = {
  /** Income target typed in pounds, per service id. */
  targets: Record<string, string>
  teams: Record<string, TeamYearValues>
  /** Team ids whose administrator ticked “I understand … below the hours already booked”. */
  confirmed: string[]
}

export type TargetsInput = {
  targets: Record<string, number>
  teams: Record<string, TeamYearInput>
  confirmed: string[]
}

/** Reads the targets form for the services and teams the page showed (others are ignored). */
export function targetsValuesFrom(form: FormData, serviceIds: string[], teamIds: string[]): TargetsValues {
  const targets: Record<string, string> = {}
  for (const id of serviceIds) targets[id] = String(form.get(`target-${id}`) ?? '').slice(0, 30)
  const teams: Record<string, TeamYearValues> = {}
  for (const id of teamIds) teams[id] = teamYearValuesFrom(form, `-${id}`)
  const confirmed = form
    .getAll('confirmBelowBooked')
    .map(String)
    .filter((id) => isUuid(id) && teamIds.includes(id))
  return { targets, teams, confirmed }
}

/** Checks every figure at once; errors keyed by input id. A service or team left wholly empty is left as it is. */
export function parseTargets(values: TargetsValues): { ok: true; data: TargetsInput } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {}
  const targets: Record<string, number> = {}
  const teams: Record<string, TeamYearInput> = {}
  for (const [id, raw] of Object.entries(values.targets)) {
    // Left empty: no target set (or kept) for this service.
    if (raw.trim() === '') continue
    const r = IncomeTargetField.safeParse(raw)
    if (r.success) targets[id] = r.data
    else errors[`target-${id}`] = r.error.issues[0]?.message ?? 'Check this answer'
  }
  for (const [id, raw] of Object.entries(values.teams)) {
    // Every figure left empty: the team has no figures for the year (or keeps its own).
    if (Object.values(raw).every((v) => v.trim() === '')) continue
    const r = TeamYearSchema.safeParse(raw)
    if (r.success) teams[id] = r.data
    else for (const [field, message] of Object.entries(fieldErrors(r.error.issues))) errors[`${field}-${id}`] = message
  }
  if (Object.keys(errors).length) return { ok: false, errors }
  return { ok: true, data: { targets, teams, confirmed: values.confirmed } }
}

/** A percentage from -50 to 100 with up to 2 decimal places, as hundredths of a percent ("3" → 300, "-2.5" → -250). */
export const PercentageSchema = z.string().transform((raw, ctx) => {
  const v = raw.trim().replace(/%$/, '').trim()
  const fail = (message: string) => {
    ctx.addIssue({ code: 'custom', message })
    return z.NEVER
  }
  if (v === '') return fail('Enter the percentage change, like 3 for 3% more or 0 for the same')
  const m = /^([+-]?)(\d{1,3})(?:\.(\d{1,2}))?$/.exec(v)
  if (!m) return fail('Percentage change must be a number, like 3 or -2.5')
  const basis = (Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0') || '0')) * (m[1] === '-' ? -1 : 1)
  if (basis < -5_000 || basis > 10_000) return fail('Percentage change must be between -50 and 100')
  return basis
})

export const TAKE_PLAN_FIELDS = ['toFte', 'reason', 'confirmBelowBooked'] as const

/** Taking a team's recommendation into next year's plan: the new establishment, and why. */
export const TakeRecommendationSchema = z.object({
  toFte: TeamYearSchema.shape.establishmentFte,
  reason: z
    .string()
    .transform((v) => v.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ').trim())
    .pipe(z.string().min(1, 'Enter why you are taking this into next year’s plan').max(1000, 'Reason must be 1,000 characters or fewer')),
  confirmBelowBooked: z.string().optional(),
})

export type TakeRecommendationValues = { toFte: string; reason: string; confirmBelowBooked?: string }
