/**
 * What a log line may say about a request (decision 0032): the path, and the
 * query with the value of anything that could be a secret hidden. Headers,
 * cookies and bodies are never logged.
 */
const SECRET_PARAMETER = /token|password|secret|key|code|signature|session|cookie|auth/i

export const HIDDEN = '[hidden]'

/** The request's address as a log line may show it. */
export function loggableUrl(url: string): string {
  const parsed = new URL(url, 'http://log.invalid')
  for (const name of new Set(parsed.searchParams.keys())) {
    if (SECRET_PARAMETER.test(name)) parsed.searchParams.set(name, HIDDEN)
  }
  return `${parsed.pathname}${parsed.search}`
}

/** A request id a client may send (X-Request-Id from a proxy), or null when it is not a plain short id. */
export function acceptableRequestId(value: string | string[] | undefined): string | null {
  return typeof value === 'string' && /^[A-Za-z0-9._-]{8,64}$/.test(value) ? value : null
}
