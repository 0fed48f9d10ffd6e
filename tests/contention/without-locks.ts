/**
 * Shows that the contention tests can fail (issue 18, item 12;
 * docs/decisions/0034): runs them on PostgreSQL with every lock removed
 * (BUYBACK_REMOVE_LOCKS=true, app/utils/locks.server.ts) and fails unless each
 * of them fails. A test that still passes without its lock proves nothing.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx tests/contention/without-locks.ts
 *
 * The embedded database runs one transaction at a time, so there the tests
 * pass with or without locks; this runs only on a PostgreSQL server.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

/**
 * Each contention test: its file and its title. Not here: "a parallel burst
 * of 30 guesses at 30 accounts from one address checks only 20 of them"
 * (tests/integration/auth.test.ts) passes without its lock in every run so
 * far, so it proves nothing about the address lock; the per-account burst
 * does fail without it. Numbering is one atomic upsert, not a lock.
 */
export const CONTENTION_TESTS = [
  ['capacity', '200 concurrent confirmations for room for 100 end with exactly 100 confirmed and 100 waitlisted'],
  ['course-places', 'six one-place bookings confirmed at once for a course of 3 places: exactly 3 confirmed, 3 on the waiting list'],
  ['capacity-split', '20 concurrent confirmations of 4 days, each willing to split, for room for 30: exactly 30 days confirmed, the rest waits'],
  ['delivery', 'six recordings at once cannot together exceed what was bought'],
  ['basket', 'makes one order of many submits of the same basket at once (double clicks, two tabs)'],
  ['approvals', 'six approvals at once (two tabs, double clicks) approve the order once'],
  ['cancelling-by-terms', 'one line and the whole order cancelled at once: each line is cancelled and charged exactly once'],
  ['finance', 'issues a part credit note, refuses one above what is left, and never over-credits when officers credit at once'],
  ['finance', 'allocates an unallocated payment to invoices, refuses more than it holds, and never over-allocates when officers allocate at once'],
  ['auth', 'a parallel burst of 30 wrong guesses at one account checks only 5 of them'],
  ['auth', 'a parallel burst of 10 reset requests for one account makes only 3 links'],
] as const

const ATTEMPTS = 5

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  if (!(process.env.TEST_DATABASE_URL || process.env.DATABASE_URL)) {
    console.error('Set DATABASE_URL to a PostgreSQL server: the embedded database runs one transaction at a time.')
    process.exit(2)
  }
  type Test = (typeof CONTENTION_TESTS)[number]
  // Races are a matter of timing: each test must fail in at least one of five runs without
  // its lock. One that never does cannot fail, and proves nothing.
  const failedAt = new Map<Test, number>()
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const left = CONTENTION_TESTS.filter((t) => !failedAt.has(t))
    if (left.length === 0) break
    const statuses = runWithoutLocks(left)
    for (const test of left) if (statuses(test) === 'failed') failedAt.set(test, attempt)
  }
  for (const test of CONTENTION_TESTS) {
    const attempt = failedAt.get(test)
    console.log(`${attempt ? `fails without locks (run ${attempt})` : `WRONG: passed ${ATTEMPTS} times without locks`}: ${test[0]}: ${test[1]}`)
  }
  const wrong = CONTENTION_TESTS.length - failedAt.size
  if (wrong > 0) {
    console.error(`${wrong} contention test(s) did not fail with the locks removed`)
    process.exit(1)
  }
  console.log(`All ${CONTENTION_TESTS.length} contention tests fail with the locks removed.`)
}

function runWithoutLocks(tests: readonly (readonly [string, string])[]): (test: readonly [string, string]) => string {
  const files = [...new Set(tests.map(([file]) => `tests/integration/${file}.test.ts`))]
  const pattern = tests.map(([, title]) => escape(title)).join('|')
  const report = path.join(mkdtempSync(path.join(tmpdir(), 'buyback-contention-')), 'report.json')
  const run = spawnSync(
    'npx',
    [
      'vitest',
      'run',
      '--config',
      'tests/vitest.config.ts',
      '--project',
      'integration',
      '--reporter=dot',
      '--reporter=json',
      `--outputFile.json=${report}`,
      '-t',
      pattern,
      ...files,
    ],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, BUYBACK_REMOVE_LOCKS: 'true' } },
  )
  if (run.error) throw run.error
  const results = JSON.parse(readFileSync(report, 'utf8')) as {
    testResults: { name: string; assertionResults: { title: string; status: string }[] }[]
  }
  return ([file, title]) =>
    results.testResults
      .filter((r) => r.name.endsWith(`/${file}.test.ts`))
      .flatMap((r) => r.assertionResults)
      .find((a) => a.title === title)?.status ?? 'not run'
}
