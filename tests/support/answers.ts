/** What a route's loader or action answered, whether it returned or threw: status, redirect target and data. */
export type Answer = { status: number; location: string | null; body: any }

/** Settles a loader or action call the way Remix would answer it: a thrown Response is an answer too. */
export async function settle(promise: Promise<unknown> | unknown): Promise<Answer> {
  let result: unknown
  try {
    result = await promise
  } catch (thrown) {
    if (!(thrown instanceof Response)) throw thrown
    result = thrown
  }
  if (result instanceof Response) return { status: result.status, location: result.headers.get('Location'), body: null }
  if (result && typeof result === 'object' && (result as { type?: unknown }).type === 'DataWithResponseInit') {
    const r = result as { data: unknown; init: ResponseInit | null }
    return { status: r.init?.status ?? 200, location: null, body: r.data }
  }
  return { status: 200, location: null, body: result }
}
