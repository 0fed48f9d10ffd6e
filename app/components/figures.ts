import type { RecommendationKind } from '~/domain/capacity-model'
import { formatPoundsRounded } from '~/utils/format'

/** Formatting of the trading and capacity pages' figures (the edge: the figures themselves are pence, hours, FTE). */

export function formatFte(fte: number | null, none = 'Not known'): string {
  if (fte === null) return none
  return fte.toLocaleString('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 2 })
}

export function formatPercent(percent: number | null, none = 'None'): string {
  if (percent === null) return none
  return `${percent.toLocaleString('en-GB', { maximumFractionDigits: 1 })}%`
}

/** "−£12,300" for a shortfall, "+£4,000" above target, "£0" on it (whole pounds: a summary figure). */
export function formatGap(pence: number): string {
  const pounds = formatPoundsRounded(Math.abs(pence))
  if (pounds === '£0') return '£0'
  return pence > 0 ? `+${pounds}` : `−${pounds}`
}

/** Share of a target reached: "90%" ("None" with no target). */
export function percentOf(part: number, whole: number): string {
  if (whole <= 0) return 'No target'
  return `${Math.round((part * 100) / whole)}%`
}

export const RECOMMENDATION_TAGS: Record<RecommendationKind, { label: string; colour: string }> = {
  expand: { label: 'Expand', colour: 'green' },
  hold: { label: 'Hold', colour: 'grey' },
  reduce: { label: 'Reduce', colour: 'red' },
}

/** "Expand by 0.3 FTE", "Reduce by 3.7 FTE", "Hold at 5.4 FTE". */
export function recommendationText(r: { kind: RecommendationKind; fteChange: number; fteAfter: number }): string {
  if (r.kind === 'hold') return `Hold at ${formatFte(r.fteAfter)} FTE`
  return `${r.kind === 'expand' ? 'Expand' : 'Reduce'} by ${formatFte(Math.abs(r.fteChange))} FTE to ${formatFte(r.fteAfter)} FTE`
}
