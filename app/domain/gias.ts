import type { SchoolType } from './pricing'

/** The register's phases and statuses (as db/schema.ts has them; domain rules import no database module). */
type Phase = 'nursery' | 'primary' | 'secondary' | 'all_through' | 'special' | 'alternative_provision'
type SchoolStatus = 'open' | 'closed'

/**
 * GIAS (Get Information About Schools) establishment extracts, read into the
 * authority's school register. Pure: one row of the CSV (already split into
 * columns by GIAS's own column names) becomes a school, a bad row with its
 * line and reason, or a row to ignore; the register's schools and the
 * extract's are compared into what an import would add, change, close and
 * convert to academy.
 */

export const GIAS_COLUMNS = {
  urn: 'URN',
  name: 'EstablishmentName',
  type: 'TypeOfEstablishment (name)',
  typeGroup: 'EstablishmentTypeGroup (name)',
  phase: 'PhaseOfEducation (name)',
  pupils: 'NumberOfPupils',
  status: 'EstablishmentStatus (name)',
  laCode: 'LA (code)',
  trust: 'Trusts (name)',
  openDate: 'OpenDate',
  closeDate: 'CloseDate',
} as const

/** The columns an extract must have (the others may be missing or empty). */
export const REQUIRED_GIAS_COLUMNS = [GIAS_COLUMNS.urn, GIAS_COLUMNS.name, GIAS_COLUMNS.laCode, GIAS_COLUMNS.phase, GIAS_COLUMNS.type] as const

/** A new school's approval limit until the administrator sets its own: £2,500. */
export const DEFAULT_APPROVAL_LIMIT_PENCE = 250_000

export type GiasSchool = {
  urn: string
  name: string
  phase: Phase
  schoolType: SchoolType
  giasType: string
  /** Null when the extract gives no figure (the register keeps its own). */
  pupilCount: number | null
  status: SchoolStatus
  openedOn: string | null
  closedOn: string | null
  trustName: string | null
}

export type GiasBadRow = { line: number; urn: string; reason: string }

export type GiasRowResult =
  { kind: 'school'; school: GiasSchool } | { kind: 'bad'; bad: GiasBadRow } | { kind: 'ignored'; reason: 'other_la' | 'not_sold_to' }

const PHASES: Record<string, Phase> = {
  nursery: 'nursery',
  primary: 'primary',
  'middle deemed primary': 'primary',
  secondary: 'secondary',
  'middle deemed secondary': 'secondary',
  '16 plus': 'secondary',
  'all-through': 'all_through',
  'all through': 'all_through',
}

/** Maintained types outside the "Local authority maintained schools" group. */
const MAINTAINED_TYPES = new Set(['community special school', 'foundation special school', 'pupil referral unit', 'local authority nursery school'])

/**
 * Maintained or academy, from the type group and type name: "Academies" and
 * "Free Schools" (and any academy or free school type, e.g. "Academy special
 * converter" in the "Special schools" group) are academies; "Local authority
 * maintained schools" and the council's special schools and pupil referral
 * units are maintained. Anything else (independent, non-maintained special,
 * colleges, children's centres) is not a school the authority sells to: null.
 */
export function giasSchoolType(typeName: string, typeGroup: string): SchoolType | null {
  const type = typeName.trim().toLowerCase()
  const group = typeGroup.trim().toLowerCase()
  if (group === 'academies' || group === 'free schools' || type.startsWith('academy') || type.startsWith('free school')) return 'academy'
  if (group === 'local authority maintained schools' || MAINTAINED_TYPES.has(type)) return 'maintained'
  return null
}

/**
 * The phase: special schools (the "Special schools" group or a special
 * type) are special and pupil referral units and alternative provision are
 * alternative provision, whatever GIAS's phase says; otherwise GIAS's phase
 * (middle schools as they are deemed). Null for a phase the register has
 * no place for ("Not applicable", empty, anything else).
 */
export function giasPhase(phaseName: string, typeName: string, typeGroup: string): Phase | null {
  const type = typeName.trim().toLowerCase()
  if (typeGroup.trim().toLowerCase() === 'special schools' || type.includes('special')) return 'special'
  if (type.includes('pupil referral unit') || type.includes('alternative provision')) return 'alternative_provision'
  return PHASES[phaseName.trim().toLowerCase()] ?? null
}

/** A GIAS date, dd-mm-yyyy (or dd/mm/yyyy), as 'YYYY-MM-DD'; null when empty; 'invalid' when not a real date. */
export function parseGiasDate(raw: string | undefined): string | null | 'invalid' {
  const v = (raw ?? '').trim()
  if (v === '') return null
  const m = /^(\d{1,2})[-/](\d{1,2})[-/](\d{4})$/.exec(v)
  if (!m) return 'invalid'
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const probe = new Date(Date.UTC(y, mo - 1, d))
  if (mo < 1 || mo > 12 || d < 1 || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return 'invalid'
  return `${m[3]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

const MAX_NAME = 200

/**
 * One row of an extract, by its line number in the file (the header is line
 * 1). Rows of another LA code are ignored before anything else is checked;
 * so are establishments the authority does not sell to. A row of the
 * authority's with a URN that is not 6 digits, no name, a phase the register
 * does not know, a pupil count that is not a whole number or a date that is
 * not a date is bad, with the reason.
 */
export function mapGiasRow(row: Readonly<Record<string, string | undefined>>, line: number, laCode: string): GiasRowResult {
  const get = (column: string) => (row[column] ?? '').trim()
  if (get(GIAS_COLUMNS.laCode) !== laCode) return { kind: 'ignored', reason: 'other_la' }
  const urn = get(GIAS_COLUMNS.urn)
  const bad = (reason: string): GiasRowResult => ({ kind: 'bad', bad: { line, urn: urn.slice(0, 20), reason } })
  if (!/^\d{6}$/.test(urn)) return bad(urn === '' ? 'No URN' : `URN “${urn.slice(0, 20)}” is not 6 digits`)
  const name = get(GIAS_COLUMNS.name).replace(/\s+/g, ' ')
  if (name === '') return bad('No establishment name')
  if (name.length > MAX_NAME) return bad(`Establishment name is longer than ${MAX_NAME} characters`)
  const typeName = get(GIAS_COLUMNS.type)
  const typeGroup = get(GIAS_COLUMNS.typeGroup)
  const schoolType = giasSchoolType(typeName, typeGroup)
  if (!schoolType) return { kind: 'ignored', reason: 'not_sold_to' }
  const phaseName = get(GIAS_COLUMNS.phase)
  const phase = giasPhase(phaseName, typeName, typeGroup)
  if (!phase) return bad(phaseName ? `Unknown phase “${phaseName.slice(0, 40)}”` : 'No phase of education')
  const pupils = get(GIAS_COLUMNS.pupils)
  if (pupils !== '' && !/^\d{1,6}$/.test(pupils)) return bad(`Number of pupils “${pupils.slice(0, 20)}” is not a whole number`)
  const openedOn = parseGiasDate(get(GIAS_COLUMNS.openDate))
  if (openedOn === 'invalid') return bad(`OpenDate “${get(GIAS_COLUMNS.openDate).slice(0, 20)}” is not a date like 01-09-2015`)
  const closeDate = parseGiasDate(get(GIAS_COLUMNS.closeDate))
  if (closeDate === 'invalid') return bad(`CloseDate “${get(GIAS_COLUMNS.closeDate).slice(0, 20)}” is not a date like 31-08-2024`)
  const status: SchoolStatus = get(GIAS_COLUMNS.status).toLowerCase() === 'closed' ? 'closed' : 'open'
  const trust = get(GIAS_COLUMNS.trust)
  return {
    kind: 'school',
    school: {
      urn,
      name,
      phase,
      schoolType,
      giasType: typeName.slice(0, MAX_NAME),
      pupilCount: pupils === '' ? null : Number(pupils),
      status,
      openedOn,
      closedOn: status === 'closed' ? closeDate : null,
      trustName: trust === '' ? null : trust.slice(0, MAX_NAME),
    },
  }
}

// ---------------------------------------------------------------------------
// Comparing the extract with the register

/** A school of the register as the import compares it. */
export type RegisterSchool = {
  id: string
  urn: string
  name: string
  phase: Phase
  schoolType: SchoolType
  giasType: string | null
  pupilCount: number
  status: SchoolStatus
  openedOn: string | null
  closedOn: string | null
  trustName: string | null
  convertedToAcademyOn: string | null
}

/** The register's fields an import keeps up to date, as the preview names them. */
export const IMPORTED_FIELDS = {
  name: 'Name',
  phase: 'Phase',
  giasType: 'GIAS type',
  pupilCount: 'Pupils',
  openedOn: 'Opened',
  trustName: 'Trust',
} as const
type ImportedField = keyof typeof IMPORTED_FIELDS

export type FieldChange = { field: ImportedField | 'status' | 'closedOn' | 'schoolType'; from: string | number | null; to: string | number | null }

export type SchoolUpdate = {
  id: string
  urn: string
  name: string
  changes: FieldChange[]
  /** The register's row after the import. */
  next: Omit<RegisterSchool, 'id' | 'urn'>
}

export type RegisterDiff = {
  /** Open schools the register does not have. */
  added: GiasSchool[]
  /** Schools whose imported fields changed (closing and converting included). */
  updated: SchoolUpdate[]
  /** Of `updated`, the URNs of schools the import closes. */
  closed: string[]
  /** Of `updated`, the URNs of maintained schools now academies, with the conversion date. */
  converted: { urn: string; on: string }[]
  unchanged: number
  /** Closed schools the register never had: not added. */
  closedNotInRegister: number
}

/**
 * What applying the extract would do to the register. New open schools are
 * added (closed ones that the register never had are not); a school's
 * imported fields are updated; an open school GIAS says is closed is closed
 * (a closed one GIAS says is open is reopened); a maintained school GIAS now
 * says is an academy converts: academy, paying by invoice from its
 * conversion date, which is its OpenDate when GIAS gives a new one, else
 * `today`. An academy is never turned back into a maintained school by an
 * import (that is done by hand). A row without a pupil count keeps the
 * register's.
 */
export function diffRegister(register: readonly RegisterSchool[], extract: readonly GiasSchool[], today: string): RegisterDiff {
  const byUrn = new Map(register.map((s) => [s.urn, s]))
  const diff: RegisterDiff = { added: [], updated: [], closed: [], converted: [], unchanged: 0, closedNotInRegister: 0 }
  for (const row of extract) {
    const school = byUrn.get(row.urn)
    if (!school) {
      if (row.status === 'closed') diff.closedNotInRegister++
      else diff.added.push(row)
      continue
    }
    const next: SchoolUpdate['next'] = {
      name: row.name,
      phase: row.phase,
      schoolType: school.schoolType,
      giasType: row.giasType,
      pupilCount: row.pupilCount ?? school.pupilCount,
      status: row.status,
      openedOn: row.openedOn,
      closedOn: row.closedOn,
      trustName: row.trustName,
      convertedToAcademyOn: school.convertedToAcademyOn,
    }
    const changes: FieldChange[] = []
    for (const field of Object.keys(IMPORTED_FIELDS) as ImportedField[]) {
      if (school[field] !== next[field]) changes.push({ field, from: school[field], to: next[field] })
    }
    if (school.status !== next.status) {
      changes.push({ field: 'status', from: school.status, to: next.status })
      if (next.status === 'closed') diff.closed.push(row.urn)
    }
    if (school.closedOn !== next.closedOn) changes.push({ field: 'closedOn', from: school.closedOn, to: next.closedOn })
    if (school.schoolType === 'maintained' && row.schoolType === 'academy') {
      const on = row.openedOn && row.openedOn !== school.openedOn ? row.openedOn : today
      next.schoolType = 'academy'
      next.convertedToAcademyOn = on
      changes.push({ field: 'schoolType', from: 'maintained', to: 'academy' })
      diff.converted.push({ urn: row.urn, on })
    }
    if (changes.length) diff.updated.push({ id: school.id, urn: school.urn, name: school.name, changes, next })
    else diff.unchanged++
  }
  return diff
}

/** The counts an import reports (and its audit event records). */
export function diffCounts(diff: RegisterDiff) {
  return {
    added: diff.added.length,
    updated: diff.updated.length,
    closed: diff.closed.length,
    converted: diff.converted.length,
    unchanged: diff.unchanged,
  }
}

export function isNoChange(diff: RegisterDiff): boolean {
  return diff.added.length === 0 && diff.updated.length === 0
}
