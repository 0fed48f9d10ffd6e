/**
 * The quick start, measured: serves the built app (`npm start` without
 * DATABASE_URL) on an empty embedded data folder, times until /services
 * answers 200 (cold: creates, migrates and seeds the database), stops it,
 * starts it again on the same folder (warm) and checks the data is still
 * there. Fails when the cold start takes 30 seconds or more.
 *
 *   npm run build && npx tsx bench/startup.ts
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startAppServer } from '../tests/support/server'

const dataDir = mkdtempSync(path.join(tmpdir(), 'buyback-startup-'))
const env = { DATABASE_URL: '', PGLITE_DATA_DIR: dataDir }

async function timedStart() {
  const started = performance.now()
  const server = await startAppServer(env, 60_000)
  const ms = Math.round(performance.now() - started)
  const html = await (await fetch(`${server.baseUrl}/services`)).text()
  const services = (html.match(/class="app-service-card"/g) ?? []).length
  return { server, ms, services }
}

try {
  const cold = await timedStart()
  await cold.server.stop()
  const warm = await timedStart()
  await warm.server.stop()
  console.log(`cold start to /services 200: ${cold.ms} ms (${cold.services} services listed)`)
  console.log(`warm start to /services 200: ${warm.ms} ms (${warm.services} services listed)`)
  if (cold.services < 12 || warm.services !== cold.services) {
    throw new Error('The catalogue was not served in full, or the restart lost data')
  }
  if (cold.ms >= 30_000) throw new Error('The cold start took 30 seconds or more')
} finally {
  rmSync(dataDir, { recursive: true, force: true })
}
