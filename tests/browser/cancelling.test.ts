import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolationsAsServed, chromiumPath, expectH1, launchBrowser, openPage, signIn } from '../support/browser'

// A school cancels a yearly line already under way, with JavaScript on and
// off: the cancel page shows the terms begun and what they charge before
// confirming, and the order then carries that charge. Foleshill Park's
// business manager buys a class of whole-class ensemble teaching for it
// (a line of its own: the demo's lines, which other files read, are kept);
// with JavaScript on it also hires an instrument and cancels the class alone
// ("Cancel this line"), with JavaScript off the whole order ("Cancel order").

const BUYER = 'buyer@foleshill-park.example'

describe.skipIf(!chromiumPath)('cancelling a yearly line under way', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  for (const javaScript of [true, false]) {
    it(`shows and charges the terms begun (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const { context, page } = await openPage(browser, javaScript)
      try {
        await signIn(page, BUYER)
        await page.goto('/services/coventry-music')
        const offer = page.locator('section', { has: page.getByRole('heading', { name: 'Whole-class ensemble teaching', exact: true }) })
        await offer.getByLabel('Quantity').fill('1')
        await offer.getByRole('button', { name: /^Add to basket/ }).click()
        await page.waitForURL(/\/basket\?added=/)
        // With JavaScript on, a second line (an instrument for the spring term) so that one line alone is cancelled.
        if (javaScript) {
          await page.goto('/services/instrument-hire')
          const hire = page.locator('section', { has: page.getByRole('heading', { name: 'Standard instrument hire', exact: true }) })
          await hire.getByLabel('Quantity').fill('1')
          // Hired for the spring term, which has not begun.
          await hire.getByLabel('Start from').selectOption('2026-spring')
          await hire.getByRole('button', { name: /^Add to basket/ }).click()
          await page.waitForURL(/\/basket\?added=/)
        }
        await page.getByLabel(/Purchase order number/).fill(`PO-CANCEL-${javaScript ? 'JS' : 'NOJS'}`)
        await page.getByRole('button', { name: 'Continue' }).click()
        await page.waitForURL(/\/basket\/check$/)
        await page.getByRole('button', { name: 'Submit order' }).click()
        await page.waitForURL(/\/basket\/confirmation\/[0-9a-f-]{36}$/)
        await page.getByRole('link', { name: 'View your order' }).click()
        await expectH1(page, /^Order ORD-/)

        await page.getByRole('button', { name: 'Cancel order' }).click()
        await expectH1(page, 'Cancel order')
        const row = page.getByRole('row', { name: /Whole-class ensemble teaching/ })
        const text = await row.innerText()
        // The autumn term has begun (22 November 2026): it is charged, the rest is not.
        const charged = /Autumn term begun: (£[\d,.]+) of £[\d,.]+ charged/.exec(text)
        expect(charged, text).not.toBeNull()
        expect(await page.locator('#fee').innerText()).toContain(`charges ${charged![1]}`)
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])

        if (javaScript) {
          // The instrument's term has not begun and 30 days' notice is asked with no fee: free, said so.
          expect(await page.getByRole('row', { name: /Standard instrument hire/ }).innerText()).toContain('Free')
          await row.getByRole('button', { name: /^Cancel this line/ }).click()
        } else {
          await page.locator('form').getByRole('button', { name: 'Cancel order', exact: true }).click()
        }
        await page.waitForURL(/\?cancelled=1/)
        await page.locator('.govuk-notification-banner--success').waitFor()
        expect(await page.locator('.govuk-notification-banner__heading').innerText()).toBe('1 line cancelled')
        expect(await page.locator('main').innerText()).toContain(`Cancellation charge ${charged![1]}`)
        // The other line stays: the order can still be cancelled.
        expect(await page.getByRole('button', { name: 'Cancel order' }).count()).toBe(javaScript ? 1 : 0)
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])
      } finally {
        await context.close()
      }
    })
  }
})
