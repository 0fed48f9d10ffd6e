import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolationsAsServed, chromiumPath, expectH1, launchBrowser, openPage, signIn } from '../support/browser'
import { newestMailTo } from '../support/mailbox'

// Issue 15 items 6 and 7, JavaScript on and off: each persona's home says what
// needs doing, the header says who is signed in and for which school, and the
// LA administrator cannot read a password-reset link in the outbox. Demo data
// is only read (a reset requested for a demo account changes no password).

async function home(page: Page) {
  await page.goto('/')
  await expectH1(page, 'What needs doing')
}

describe.skipIf(!chromiumPath)('the signed-in home and the outbox', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  for (const javaScript of [true, false]) {
    const on = javaScript ? 'on' : 'off'

    it(`JavaScript ${on}: the headteacher's home counts the orders awaiting approval; the header names them and their school`, async () => {
      const { context, page } = await openPage(browser, javaScript)
      await signIn(page, 'head@elm-bank.example')
      await page.goto('/approvals')
      await expectH1(page, 'Orders awaiting approval')
      const awaiting = await page.locator('section.app-approval').count()
      await home(page)
      expect(await page.getByTestId('signed-in-as').innerText()).toMatch(/^Signed in as .+, Elm Bank Primary School$/)
      const approvals = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Approvals' }) })
      if (awaiting > 0) {
        expect(await approvals.innerText()).toContain(`${awaiting} ${awaiting === 1 ? 'order is' : 'orders are'} waiting for your approval`)
        await approvals.getByRole('link', { name: 'Review orders awaiting approval' }).click()
        await page.waitForURL(/\/approvals$/)
        await expectH1(page, 'Orders awaiting approval')
      } else {
        expect(await approvals.innerText()).toContain('No orders are waiting for your approval.')
      }
      // The menu is as it was: its links keep their names.
      expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approvals' }).count()).toBe(1)
      await context.close()
    })

    it(`JavaScript ${on}: Elm Bank's business manager sees the renewal proposal and its closing date, with 0 axe violations`, async () => {
      const { context, page } = await openPage(browser, javaScript)
      await signIn(page, 'buyer@elm-bank.example')
      await home(page)
      const school = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Your school' }) })
      const text = await school.innerText()
      expect(text).toContain('Your renewal proposal for 2027/28 is waiting for your answer')
      expect(text).toContain('Answer it by 31 January 2027.')
      expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])
      await school.getByRole('link', { name: 'Answer your renewal proposal' }).click()
      await page.waitForURL(/\/renewals$/)
      await page.getByRole('heading', { level: 1 }).waitFor()
      await context.close()
    })

    it(`JavaScript ${on}: finance's home counts the overdue invoices`, async () => {
      const { context, page } = await openPage(browser, javaScript)
      await signIn(page, 'finance@coventry.example')
      await home(page)
      const finance = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Finance' }) })
      expect(await finance.innerText()).toMatch(/\d+ invoices? (is|are) overdue/)
      expect(await page.getByTestId('signed-in-as').innerText()).toBe('Signed in as Gurpreet Lall')
      expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])
      await context.close()
    })

    it(`JavaScript ${on}: the LA administrator sees that a password reset was sent, but not its link`, async () => {
      const email = javaScript ? 'buyer@kingfisher.example' : 'buyer@alderbrook.example'
      const asker = await openPage(browser, javaScript)
      await asker.page.goto('/forgot-password')
      await asker.page.getByLabel('Email address').fill(email)
      await asker.page.getByRole('button', { name: 'Send reset link' }).click()
      await asker.page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor()
      await asker.context.close()
      // The recipient gets the link (their mailbox, through the test mail server).
      const mail = await newestMailTo(email, { subject: /Reset your Buyback password/ })
      const token = /reset-password\?token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1]
      expect(token).toBeTruthy()

      const { context, page } = await openPage(browser, javaScript)
      await signIn(page, 'admin@coventry.example')
      await page.goto('/la/admin/outbox')
      await expectH1(page, 'Outbox')
      const row = page.getByRole('row').filter({ hasText: email }).filter({ hasText: 'Reset your Buyback password' }).first()
      await row.getByRole('link').first().click()
      await page.waitForURL(/\/la\/admin\/outbox\/[0-9a-f-]{36}$/)
      await expectH1(page, 'Reset your Buyback password')
      const main = await page.locator('main').innerText()
      expect(main).toContain(email)
      expect(main).toContain('Password reset')
      expect(main).toContain('Only the recipient can see it')
      const html = await page.content()
      expect(html).not.toContain('reset-password?token')
      expect(html).not.toContain(token!)
      // Nor in what the page was served with (its data included).
      const served = await (await page.request.get(page.url())).text()
      expect(served).not.toContain('reset-password?token')
      expect(served).not.toContain(token!)
      // The HTML preview is there, the email as sent, its link hidden too.
      const src = await page.locator('iframe.app-email-preview').getAttribute('src')
      expect(src).toMatch(/^\/la\/admin\/outbox\/[0-9a-f-]{36}\/preview$/)
      const frame = page.frameLocator('iframe.app-email-preview')
      await frame.getByText('Reset your password').first().waitFor()
      const preview = await (await page.request.get(src!)).text()
      expect(preview).toContain('#link-hidden')
      expect(preview).not.toContain('reset-password?token')
      expect(preview).not.toContain(token!)
      expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])
      await context.close()
    })
  }
})
