import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { format } from 'node:util'
import { pino, type Logger } from 'pino'
import { pinoHttp } from 'pino-http'
import { acceptableRequestId, loggableUrl } from './log-redaction'
import type { RequestLog } from './request-log'

/**
 * Structured logs, one JSON object per line on standard output (decision
 * 0032). One line per request: its id (also sent back as X-Request-Id), the
 * method, the path with secret query values hidden, the status, the time
 * taken, and the signed-in user's and authority's ids. Nothing else from the
 * request: no headers, cookies or bodies.
 */
export const logger: Logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { service: 'buyback' },
  timestamp: pino.stdTimeFunctions.isoTime,
})

export const requestLogger = pinoHttp({
  logger,
  genReqId(req: IncomingMessage, res: ServerResponse) {
    const id = acceptableRequestId(req.headers['x-request-id']) ?? randomUUID()
    res.setHeader('X-Request-Id', id)
    return id
  },
  serializers: {
    req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: loggableUrl(req.url) }),
    res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
  },
  customProps(_req, res) {
    const who = (res as ServerResponse & { locals?: { requestLog?: RequestLog } }).locals?.requestLog
    return res.writableFinished && who ? { userId: who.userId ?? null, authorityId: who.authorityId ?? null } : {}
  },
  customLogLevel(_req, res, error) {
    if (error || res.statusCode >= 500) return 'error'
    return 'info'
  },
  // Health checks are polled often; they are logged only when they fail.
  autoLogging: { ignore: (req) => ['/livez', '/healthz', '/readyz'].includes(req.url ?? '') },
})

/**
 * The app's own console messages (job queue warnings, failures it reports)
 * become log lines too, so that the process writes nothing but JSON lines.
 */
export function sendConsoleToLogger(): void {
  console.error = (...args: unknown[]) => logger.error(format(...args))
  console.warn = (...args: unknown[]) => logger.warn(format(...args))
  console.info = (...args: unknown[]) => logger.info(format(...args))
  console.log = console.info
}
