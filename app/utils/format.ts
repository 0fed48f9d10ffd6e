import type { Phase } from '../../db/schema'

export const PHASES: readonly Phase[] = ['nursery', 'primary', 'secondary', 'all_through', 'special', 'alternative_provision'] as const

const PHASE_NAMES: Record<Phase, string> = {
  nursery: 'Nursery',
  primary: 'Primary',
  secondary: 'Secondary',
  all_through: 'All-through',
  special: 'Special',
  alternative_provision: 'Alternative provision',
}

export function phaseName(phase: Phase): string {
  return PHASE_NAMES[phase]
}

/** "Primary, secondary and special" */
export function listPhases(phases: readonly Phase[]): string {
  const names = phases.map((p, i) => (i === 0 ? phaseName(p) : phaseName(p).toLowerCase()))
  if (names.length <= 1) return names.join('')
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}

const dateFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
})

/** "3 February 2027" */
export function formatDate(value: string | Date): string {
  return dateFormat.format(typeof value === 'string' ? new Date(value) : value)
}
