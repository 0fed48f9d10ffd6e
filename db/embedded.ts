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
export async function startEmbeddedPostgres(options: { dataDir?: string; port?: number; maxConnections?: number }): Promise<EmbeddedPostgres> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true })
  const pglite = await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : {})
  const server = new PGLiteSocketServer({
    db: pglite,
    host: '127.0.0.1',
    port: options.port ?? 0,
    maxConnections: options.maxConnections ?? 20,
  })
  keepExtendedQueriesTogether(server)
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

type QueuedMessage = {
  handlerId: number
  message: Uint8Array
  timestamp: number
  onData: (data: Uint8Array) => void
  resolve: (bytes: number) => void
  reject: (error: unknown) => void
}

type QueryQueue = {
  queue: QueuedMessage[]
  processing: boolean
  lastHandlerId: number | null
  db: PGlite
  processQueue: () => Promise<void>
  clearQueueForHandler: (handlerId: number) => void
}

/** Messages of the extended query protocol that leave the unnamed statement or portal half-done until Sync. */
const EXTENDED = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map((c) => c.charCodeAt(0)))
const SYNC = 'S'.charCodeAt(0)

/**
 * pglite-socket 0.2.17 queues every protocol message of every connection on
 * one queue and runs them in arrival order. Outside a transaction it lets two
 * connections' extended-protocol messages interleave (Parse from one, Parse
 * from another, then Bind from the first), so one connection binds the other's
 * unnamed statement: "bind message supplies 1 parameters, but prepared
 * statement "" requires 2" (electric-sql/pglite#1046). Here the queue keeps
 * serving the same connection from its first Parse/Bind/… until its Sync, as
 * it already does inside a transaction. See docs/decisions/0002.
 */
function keepExtendedQueriesTogether(server: PGLiteSocketServer): void {
  const queue = (server as unknown as { queryQueue?: QueryQueue }).queryQueue
  if (!queue || !Array.isArray(queue.queue) || typeof queue.processQueue !== 'function') {
    throw new Error('pglite-socket changed: its query queue is not where db/embedded.ts expects it')
  }
  let midSequence: number | null = null
  const clear = queue.clearQueueForHandler.bind(queue)
  queue.clearQueueForHandler = (handlerId: number) => {
    if (midSequence === handlerId) midSequence = null
    clear(handlerId)
  }
  queue.processQueue = async function processQueue(this: QueryQueue) {
    if (this.processing || this.queue.length === 0) return
    this.processing = true
    try {
      while (this.queue.length > 0) {
        const sticky = midSequence ?? (this.db.isInTransaction() ? this.lastHandlerId : null)
        let item: QueuedMessage | undefined
        if (sticky !== null) {
          const index = this.queue.findIndex((q) => q.handlerId === sticky)
          // The connection in the middle of something has not sent its next message yet: wait for it.
          if (index === -1) break
          item = this.queue.splice(index, 1)[0]
        } else {
          item = this.queue.shift()
        }
        if (!item) break
        const type = item.message[0] ?? 0
        let bytes = 0
        try {
          await this.db.runExclusive(async () =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length
                item.onData(data)
              },
            }),
          )
        } catch (error) {
          midSequence = null
          item.reject(error)
          continue
        }
        if (EXTENDED.has(type)) midSequence = item.handlerId
        else if (type === SYNC || midSequence === item.handlerId) midSequence = null
        this.lastHandlerId = item.handlerId
        item.resolve(bytes)
      }
    } finally {
      this.processing = false
    }
  }
}
