/**
 * How every model says that what was asked for is not there, or not the
 * caller's to see (another authority's, another school's): the route
 * answers 404 either way, so the two are never told apart.
 */
export type NotFound = {
  ok: false
  notFound: true
  /** Absent: results told apart by `kind` can include NotFound and still be narrowed by it. */
  kind?: undefined
}

export const NOT_FOUND: NotFound = { ok: false, notFound: true }

export function isNotFound(result: object): result is NotFound {
  return 'notFound' in result && result.notFound === true
}
