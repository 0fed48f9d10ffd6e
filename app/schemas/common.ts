/**
 * What every form and address check shares: field errors in the shape the
 * GOV.UK error summary shows, and the one rule for ids taken from an
 * address or a form.
 */

/** One message per field, keyed by the field's name ('form' for the form as a whole). */
export type FieldErrors = Partial<Record<string, string>>

/** Turns zod issues into one message per field (the first for each). */
export function fieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const errors: FieldErrors = {}
  for (const issue of issues) {
    const key = String(issue.path[0] ?? 'form')
    errors[key] ??= issue.message
  }
  return errors
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/**
 * An id from an address or a form: a UUID written as the product writes
 * them (lower case), or nothing worth asking the database about.
 */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value)
}
