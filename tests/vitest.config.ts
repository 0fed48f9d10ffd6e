import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import DemoSequencer from './support/sequencer'

const root = fileURLToPath(new URL('..', import.meta.url))
const alias = [
  { find: '~', replacement: fileURLToPath(new URL('../app', import.meta.url)) },
  // The stylesheet is compiled by `npm run build` (into app/styles/generated, not committed); unit and
  // integration tests import route modules before, or without, a build, so they get an empty stylesheet.
  { find: /^\.\/styles\/generated\/app\.css$/, replacement: fileURLToPath(new URL('./support/empty.css', import.meta.url)) },
]

/**
 * Every test reads the app's clock pinned to the day the demo's figures were
 * written for (22 November 2026, a Sunday, at 09:00 UTC), whatever the
 * machine's date: the test workers, the seed in the global set-up and the app
 * server the browser tests start all inherit it. The clock runs on from there.
 * CI runs the suites again with the machine's clock moved (faketime) to show
 * that no test reads the real date.
 */
process.env.CLOCK_START = '2026-11-22T09:00:00Z'

/**
 * Three kinds of tests:
 * - unit: pure domain rules, no I/O;
 * - integration: repositories and loaders against a real database (a fresh
 *   database on DATABASE_URL/TEST_DATABASE_URL's server when set, otherwise the
 *   embedded PGlite), migrated and seeded once per run;
 * - browser: the built app served as `npm start` serves it, driven in
 *   Debian's Chromium, with axe.
 */
export default defineConfig({
  root,
  resolve: { alias },
  test: {
    reporters: ['default'],
    sequence: { sequencer: DemoSequencer },
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          root,
          include: ['tests/unit/**/*.test.ts'],
          setupFiles: ['tests/support/setup-console.ts'],
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          root,
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/support/global-database.ts'],
          setupFiles: ['tests/support/setup-console.ts', 'tests/support/setup-database-env.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'browser',
          root,
          include: ['tests/browser/**/*.test.ts'],
          globalSetup: ['tests/support/global-server.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
