import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { TestProject } from 'vitest/node'
import { withFreshDatabase } from './database'
import { startAppServer } from './server'
import { startSmtpServer } from './smtp'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string
    chromium: string | null
    /** Where the app's email lands (one JSON file per message: to, subject, text), as a recipient's mailbox would. */
    mailDir: string
    /** Everything the app server wrote (its structured logs), as its operators would read it. */
    serverLog: string
  }
}

/**
 * Builds the app and serves it as `npm start` does, on a fresh database: a
 * new database on the server of TEST_DATABASE_URL/DATABASE_URL when set,
 * otherwise the embedded PGlite in a temporary folder. The app migrates and
 * seeds it itself at start, as it would for a newcomer.
 */
export default async function setup(project: TestProject) {
  const hasChromium = existsSync(CHROMIUM)
  if (!hasChromium) {
    if (process.env.REQUIRE_BROWSER === 'true') {
      throw new Error(`REQUIRE_BROWSER is set but there is no Chromium at ${CHROMIUM} (apt-get install -y chromium)`)
    }
    console.warn(`\n*** Browser tests skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium) ***\n`)
    project.provide('baseUrl', '')
    project.provide('chromium', null)
    project.provide('mailDir', '')
    project.provide('serverLog', '')
    return
  }

  if (process.env.SKIP_BUILD !== 'true') {
    execFileSync('npm', ['run', 'build'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } })
  }
  const external = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL
  const database = external ? await withFreshDatabase() : undefined
  await database?.db.destroy()
  const dataDir = external ? undefined : mkdtempSync(path.join(tmpdir(), 'buyback-browser-'))
  // A real mail server, so that a test can read a secret link as its recipient
  // does (the outbox never shows it: docs/decisions/0027).
  const mailDir = mkdtempSync(path.join(tmpdir(), 'buyback-mail-'))
  let mailCount = 0
  const smtp = await startSmtpServer({
    onMessage(mail) {
      mailCount += 1
      const to = [mail.to ?? []].flat().flatMap((a) => a.value.map((v) => v.address ?? ''))
      const file = path.join(mailDir, `${String(mailCount).padStart(6, '0')}.json`)
      writeFileSync(file, JSON.stringify({ to, subject: mail.subject ?? '', text: mail.text ?? '' }))
    },
  })
  const logDir = mkdtempSync(path.join(tmpdir(), 'buyback-log-'))
  const serverLog = path.join(logDir, 'app-server.log')
  const server = await startAppServer(
    {
      DATABASE_URL: database?.url ?? '',
      PGLITE_DATA_DIR: dataDir,
      SEED_DEMO_DATA: 'true',
      SMTP_URL: smtp.url,
    },
    undefined,
    serverLog,
  )
  project.provide('baseUrl', server.baseUrl)
  project.provide('chromium', CHROMIUM)
  project.provide('mailDir', mailDir)
  project.provide('serverLog', serverLog)
  return async () => {
    await server.stop()
    await smtp.close()
    rmSync(mailDir, { recursive: true, force: true })
    rmSync(logDir, { recursive: true, force: true })
    await database?.close()
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  }
}
