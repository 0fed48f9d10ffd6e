import { spawn, type ChildProcess } from 'node:child_process'
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { createServer } from 'node:net'

export async function freePort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  server.close()
  await once(server, 'close')
  return port
}

export type RunningServer = {
  baseUrl: string
  process: ChildProcess
  output: () => string
  stop: () => Promise<void>
}

/**
 * Starts the built app exactly as `npm start` serves it (node build/server.js,
 * Express over the Remix build) and waits until /services answers. It
 * migrates and seeds a fresh database first, while the other test projects
 * run beside it on a 2-core machine: one CI run took over 60 s, so it has 3
 * minutes.
 */
export async function startAppServer(env: Record<string, string | undefined>, timeoutMs = 180_000, logFile?: string): Promise<RunningServer> {
  const port = await freePort()
  let output = ''
  // Everything the app writes also goes to logFile, for tests to read (tests/browser/server-log.test.ts).
  const log = logFile ? createWriteStream(logFile, { flags: 'a' }) : undefined

  const child = spawn(process.execPath, ['build/server.js'], {
    env: { ...process.env, NODE_ENV: 'production', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const keep = (d: Buffer) => {
    output += String(d)
    log?.write(d)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  const baseUrl = `http://127.0.0.1:${port}`
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The app exited early (${child.exitCode}):\n${output}`)
    try {
      const res = await fetch(`${baseUrl}/services`)
      if (res.ok) break
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`The app did not answer within ${timeoutMs} ms:\n${output}`)
    }
    await new Promise((r) => setTimeout(r, 200))
  }
  return {
    baseUrl,
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null) return
      child.kill('SIGTERM')
      const exited = once(child, 'exit')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
      log?.end()
    },
  }
}
