import { mkdirSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'

export type EmbeddedPostgres = {
  connectionString: string
  stop: () => Promise<void>
}

/**
 * Starts PGlite (PostgreSQL compiled to WebAssembly) and serves it on a local
 * TCP port with pglite-socket, so that the application always talks to its
 * database with `pg`, exactly as it does to a real PostgreSQL.
 *
 * `dataDir` keeps the data across restarts; without it the database lives in
 * memory (tests). PGlite runs one query at a time; the socket server queues
 * the connections' queries, so `maxConnections` must exceed the pool size.
 */
export async function startEmbeddedPostgres(options: {
  dataDir?: string
  port?: number
  maxConnections?: number
}): Promise<EmbeddedPostgres> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true })
  const pglite = await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : {})
  const server = new PGLiteSocketServer({
    db: pglite,
    host: '127.0.0.1',
    port: options.port ?? 0,
    maxConnections: options.maxConnections ?? 20,
  })
  await server.start()
  const address = (server as unknown as { server?: { address(): { port: number } | string | null } }).server?.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  if (!port) throw new Error('The embedded database did not report its port')
  let stopped = false
  return {
    connectionString: `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable`,
    async stop() {
      if (stopped) return
      stopped = true
      await server.stop()
      await pglite.close()
    },
  }
}
