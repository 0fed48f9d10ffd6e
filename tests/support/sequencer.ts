import { statSync } from 'node:fs'
import { basename } from 'node:path'
import { BaseSequencer, type TestSpecification } from 'vitest/node'

/**
 * Browser test files run one at a time against one seeded demo database, so
 * what one leaves behind the next meets. Their order is fixed, whatever
 * earlier runs cached: largest file first (as vitest orders files it has no
 * history for), and last those that reshape demo state others read
 * (offer-rules sets the EP team's capacity so that exactly 11 days are left,
 * which confirms the team's whole waiting list; trading-capacity expects one;
 * school-register adds, closes and converts schools, and admin counts 116).
 * First come those that read the demo as seeded (home-outbox reads Elm Bank's
 * renewal proposal still waiting for an answer, which the renewals tests give).
 * server-log reads what the app logged during all the others, so it is last.
 * Unit and integration files keep vitest's own order.
 */
const FIRST = ['home-outbox.test.ts']
const LAST = ['school-register.test.ts', 'offer-rules.test.ts', 'fuzz.test.ts', 'server-log.test.ts']

export default class DemoSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files)
    const isBrowser = (f: TestSpecification) => f.project.name === 'browser'
    const rank = (f: TestSpecification) => (FIRST.includes(basename(f.moduleId)) ? -2 : LAST.indexOf(basename(f.moduleId)))
    const browser = sorted
      .filter(isBrowser)
      .sort((a, b) => rank(a) - rank(b) || statSync(b.moduleId).size - statSync(a.moduleId).size || a.moduleId.localeCompare(b.moduleId))
    let next = 0
    return sorted.map((f) => (isBrowser(f) ? browser[next++]! : f))
  }
}
