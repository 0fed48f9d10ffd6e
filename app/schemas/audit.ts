import { isIsoDate } from '../domain/dates'
import { isUuid, type FieldErrors } from './common'

/**
 * The audit log's filters (/la/admin/audit and its CSV): kind (the action's
 * prefix, like "school" or "invoice"), person (a user id), and a date range
 * (YYYY-MM-DD, UK days, both ends included). A filter that is not valid is
 * reported and ignored; the page never fails.
 */

export type AuditFilterValues = { kind: string; person: string; from: string; to: string }
export type AuditFilters = { kind?: string; person?: string; from?: string; to?: string }

export function parseAuditFilters(params: URLSearchParams): {
  values: AuditFilterValues
  filters: AuditFilters
  errors: FieldErrors
  page: number
} {
  const values: AuditFilterValues = {
    kind: (params.get('kind') ?? '').trim().slice(0, 50),
    person: (params.get('person') ?? '').trim().slice(0, 50),
    from: (params.get('from') ?? '').trim().slice(0, 20),
    to: (params.get('to') ?? '').trim().slice(0, 20),
  }
  const filters: AuditFilters = {}
  const errors: FieldErrors = {}
  if (values.kind) {
    if (/^[a-z_]{1,50}$/.test(values.kind)) filters.kind = values.kind
    else errors.kind = 'Select a kind of change from the list'
  }
  if (values.person) {
    if (isUuid(values.person)) filters.person = values.person
    else errors.person = 'Select a person from the list'
  }
  for (const key of ['from', 'to'] as const) {
    if (!values[key]) continue
    if (isIsoDate(values[key])) filters[key] = values[key]
    else errors[key] = `${key === 'from' ? 'From' : 'To'} date must be a real date, like 2026-11-22`
  }
  if (filters.from && filters.to && filters.from > filters.to) {
    errors.to = 'To date must be the same as or after the from date'
    delete filters.to
  }
  const raw = Number.parseInt(params.get('page') ?? '1', 10)
  const page = Number.isFinite(raw) && raw >= 1 && raw <= 100_000 ? raw : 1
  return { values, filters, errors, page }
}
