import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed/factories'
import { axeViolations, baseUrl, chromiumPath, launchBrowser, newContext } from '../support/browser'

// Service periods in a real browser, with JavaScript on and off: Elm Bank's
// business manager buys another class of whole-class ensemble teaching
// (it holds two for 2026/27) starting from the spring term 2027. The yearly
// price is charged for one of the year's three terms, and every page says so.

const EXPLAINED = '£1,450 a class a year × 1 of 3 terms = £483.33'

async function signIn(page: Page, email: string, redirectTo: string) {
  await page.goto(`/login?${new URLSearchParams({ redirectTo })}`)
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(`${baseUrl}${redirectTo}`)
}

describe.skipIf(!chromiumPath)('service periods in a browser', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  for (const javaScript of [true, false]) {
    it(`with JavaScript ${javaScript ? 'on' : 'off'}: Elm Bank buys a class of whole-class ensemble teaching from the spring term 2027 for £483.33, explained${javaScript ? ', with 0 axe violations' : ''}`, async () => {
      const context = await newContext(browser, { javaScript })
      const page = await context.newPage()
      await signIn(page, 'buyer@elm-bank.example', '/services/coventry-music')
      const offer = page.locator('section', { has: page.getByRole('heading', { name: 'Whole-class ensemble teaching', exact: true }) })
      const startFrom = offer.getByLabel('Start from')
      // With JavaScript on, the address changes before the page renders: wait for the field.
      await startFrom.waitFor()
      // Only terms not yet ended: on 22 November 2026 the summer term 2026 is over.
      const options = await startFrom.locator('option').allInnerTexts()
      expect(options).toContain('Spring term 2027 (5 January to 26 March 2027)')
      expect(options.join('\n')).not.toContain('Summer term 2026')
      if (javaScript) expect(await axeViolations(page)).toEqual([])
      await startFrom.selectOption({ label: 'Spring term 2027 (5 January to 26 March 2027)' })
      await offer.getByLabel('Quantity').fill('1')
      await offer.getByRole('button', { name: /^Add to basket/ }).click()
      await page.waitForURL(/\/basket\?added=/)
      await page.getByRole('heading', { level: 1, name: 'Your basket' }).waitFor()

      const main = page.locator('main')
      const basket = await main.innerText()
      expect(basket).toContain(EXPLAINED)
      expect(basket).toMatch(/5 January 2027 to 31 March 2027/)
      expect(await main.getByLabel('Start from').inputValue()).toBe('2026-spring')
      if (javaScript) expect(await axeViolations(page)).toEqual([])

      await page.getByLabel(/Purchase order number/).fill(`PO-PERIODS-${javaScript ? 'JS' : 'NOJS'}`)
      await page.getByRole('button', { name: 'Continue' }).click()
      await page.waitForURL(`${baseUrl}/basket/check`)
      const check = await main.innerText()
      expect(check).toContain(EXPLAINED)
      expect(check).toContain('£483.33')
      if (javaScript) expect(await axeViolations(page)).toEqual([])

      await page.getByRole('button', { name: 'Submit order' }).click()
      await page.waitForURL(/\/basket\/confirmation\/[0-9a-f-]{36}$/)
      await page.getByRole('heading', { level: 1, name: 'Order submitted' }).waitFor()
      await page.getByRole('link', { name: 'View your order' }).click()
      await page.getByRole('heading', { level: 1, name: /^Order ORD-2026-\d{5}$/ }).waitFor()
      const order = await main.innerText()
      expect(order).toContain(EXPLAINED)
      expect(order).toMatch(/5 January 2027 to 31 March 2027/)
      if (javaScript) expect(await axeViolations(page)).toEqual([])
      await context.close()
    })
  }
})
