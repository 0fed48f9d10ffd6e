import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { inject } from 'vitest'

/** A message as its recipient got it from the browser tests' mail server (tests/support/global-server.ts). */
export type ReceivedMail = { to: string[]; subject: string; text: string }

/** The newest message to `to` (matching `subject` when given), waiting up to `timeoutMs` for it to arrive (the job queue sends it; a busy machine is slow). */
export async function newestMailTo(to: string, options: { subject?: RegExp; timeoutMs?: number } = {}): Promise<ReceivedMail> {
  const dir = inject('mailDir')
  const deadline = Date.now() + (options.timeoutMs ?? 40_000)
  for (;;) {
    if (dir && existsSync(dir)) {
      const files = readdirSync(dir).sort().reverse()
      for (const file of files) {
        const mail = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as ReceivedMail
        if (mail.to.some((a) => a.toLowerCase() === to.toLowerCase()) && (!options.subject || options.subject.test(mail.subject))) return mail
      }
    }
    if (Date.now() > deadline) throw new Error(`No email to ${to} arrived`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}
