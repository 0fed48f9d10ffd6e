import type { AddressInfo } from 'node:net'
import { simpleParser, type ParsedMail } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export type TestSmtpServer = {
  /** smtp://127.0.0.1:<port>, for SMTP_URL. */
  url: string
  /** Every message the server accepted, parsed, in order of arrival. */
  messages: ParsedMail[]
  /** Messages it was offered, accepted or not. */
  offered: () => number
  /** From now on refuse every message with this reply (e.g. "Mailbox busy"), or accept them again (null). */
  rejectWith: (reply: string | null) => void
  close: () => Promise<void>
}

/**
 * A real SMTP server in this process, on a random local port, with no
 * authentication and no TLS, that keeps what it receives (parsed with
 * mailparser) for tests to read.
 */
export async function startSmtpServer(options: { onMessage?: (mail: ParsedMail) => void } = {}): Promise<TestSmtpServer> {
  const messages: ParsedMail[] = []
  let offered = 0
  let rejection: string | null = null
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      offered += 1
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('error', (error) => callback(error))
      stream.on('end', () => {
        if (rejection !== null) {
          // A temporary failure, as a busy or broken mail server gives.
          callback(Object.assign(new Error(rejection), { responseCode: 451 }))
          return
        }
        simpleParser(Buffer.concat(chunks))
          .then((mail) => {
            messages.push(mail)
            options.onMessage?.(mail)
            callback()
          })
          .catch((error: Error) => callback(error))
      })
    },
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    offered: () => offered,
    rejectWith(reply) {
      rejection = reply
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
