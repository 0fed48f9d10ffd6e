import { randomUUID } from 'node:crypto'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, chromiumPath, launchBrowser, newContext } from '../support/browser'
import { newestMailTo } from '../support/mailbox'

async function signIn(page: Page, email: string, password: string) {
  await page.goto('/login')
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

/** The reset link in the newest message to `to`, read as its recipient reads it (the outbox never shows it: docs/decisions/0027). */
async function resetLinkFromMailbox(to: string): Promise<string> {
  const mail = await newestMailTo(to, { subject: /Reset your Buyback password/ })
  const link = /https?:\/\/[^\s]+\/reset-password\?token=[A-Za-z0-9_-]+/.exec(mail.text)?.[0]
  if (!link) throw new Error(`No reset link in the message to ${to}:\n${mail.text}`)
  return new URL(link).pathname + new URL(link).search
}

describe.skipIf(!chromiumPath)('resetting a forgotten password in a browser', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  for (const javaScript of [true, false]) {
    it(`works end to end with JavaScript ${javaScript ? 'on' : 'off'}: ask, read the email, choose a password, signed in`, async () => {
      // A new account, invited by the administrator, so no demo password changes.
      const email = `reset-${randomUUID().slice(0, 8)}@coventry.example`
      const admin = await newContext(browser, { javaScript: true })
      const adminPage = await admin.newPage()
      await signIn(adminPage, 'admin@coventry.example', 'demo-password-2026')
      await adminPage.getByRole('heading', { level: 1, name: 'What needs doing' }).waitFor()
      await adminPage.goto('/la/admin/users/new')
      await adminPage.getByLabel('Full name').fill('Reset Tester')
      await adminPage.getByLabel('Email address').fill(email)
      await adminPage.getByLabel('Finance officer').check()
      await adminPage.getByRole('button', { name: /invit/i }).click()
      await adminPage.getByText(email).first().waitFor()
      await admin.close()

      const context = await newContext(browser, { javaScript })
      const page = await context.newPage()
      await page.goto('/login')
      await page.getByRole('link', { name: 'I have forgotten my password' }).click()
      await page.getByRole('heading', { level: 1, name: 'Reset your password' }).waitFor()
      if (javaScript) expect(await axeViolations(page)).toEqual([])
      await page.getByLabel('Email address').fill(email)
      await page.getByRole('button', { name: 'Send reset link' }).click()
      await page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor()

      const link = await resetLinkFromMailbox(email)
      await page.goto(link)
      await page.getByRole('heading', { level: 1, name: 'Choose a new password' }).waitFor()
      if (javaScript) expect(await axeViolations(page)).toEqual([])
      await page.getByLabel('New password', { exact: true }).fill('a long new password 2026')
      await page.getByLabel('Confirm new password').fill('a different password')
      await page.getByRole('button', { name: 'Save password and sign in' }).click()
      await page.getByText('The passwords do not match').first().waitFor()
      expect(await page.getByRole('heading', { name: 'There is a problem' }).count()).toBe(1)

      await page.getByLabel('New password', { exact: true }).fill('a long new password 2026')
      await page.getByLabel('Confirm new password').fill('a long new password 2026')
      await page.getByRole('button', { name: 'Save password and sign in' }).click()
      await page.getByRole('heading', { level: 1, name: 'What needs doing' }).waitFor()
      await page.getByRole('button', { name: /Sign out/ }).click()
      await page.getByRole('heading', { level: 1, name: 'Buy council services for your school' }).waitFor()

      // The link worked once; the new password signs in.
      await page.goto(link)
      await page.getByRole('heading', { level: 1, name: 'This link has expired or has already been used' }).waitFor()
      await signIn(page, email, 'a long new password 2026')
      await page.getByRole('heading', { level: 1, name: 'What needs doing' }).waitFor()
      await context.close()
    })
  }
})
