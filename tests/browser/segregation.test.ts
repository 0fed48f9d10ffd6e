import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, baseUrl, chromiumPath, expectH1, launchBrowser, newContext, signIn } from '../support/browser'

// Segregation of duties, as a headteacher meets it: Elm Bank's business
// manager puts 9 in-city adventure sessions (£2,925, at or above the
// school's £2,500 limit) in the school's basket, and the headteacher submits
// it, so the order waits for approval; on /approvals the headteacher is
// offered no "Approve order" button for it, only the reason and the choice
// to reject (withdraw) it, which they do, so that the order leaves nothing
// behind for other tests. Outdoor Education has plenty of room, so nothing
// here touches the EP days the ordering tests count on.

const SESSIONS = 9

/** The business manager adds the sessions to the school's basket. */
async function fillBasket(browser: Browser, javaScript: boolean) {
  const context = await newContext(browser, { javaScript })
  const page = await context.newPage()
  await signIn(page, 'buyer@elm-bank.example')
  await page.goto('/services/outdoor-education')
  const offer = page.locator('section', { has: page.getByRole('heading', { name: 'In-city adventure sessions', exact: true }) })
  await offer.getByLabel('Quantity').fill(String(SESSIONS))
  await offer.getByRole('button', { name: /^Add to basket/ }).click()
  await page.waitForURL(/\/basket\?added=/)
  await page.getByRole('heading', { level: 1, name: 'Your basket' }).waitFor()
  await page.locator('main').getByText('is in your basket').first().waitFor()
  expect(await page.locator('main').innerText()).toContain(`Now ${SESSIONS} sessions`)
  await context.close()
}

/** The headteacher submits the basket; returns the order's reference. */
async function submitBasket(page: Page, javaScript: boolean): Promise<string> {
  await page.goto('/basket')
  await page.getByRole('heading', { level: 1, name: 'Your basket' }).waitFor()
  await page.getByLabel(/Purchase order number/).fill(`PO-OWN-${javaScript ? 'JS' : 'NOJS'}`)
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.waitForURL(`${baseUrl}/basket/check`)
  await page.getByRole('heading', { level: 1, name: 'Check your order before submitting it' }).waitFor()
  const check = await page.locator('main').innerText()
  expect(check).toContain('£2,925')
  expect(check).toContain('Your headteacher must approve this order')
  await page.getByRole('button', { name: 'Submit order' }).click()
  await page.waitForURL(/\/basket\/confirmation\/[0-9a-f-]{36}$/)
  await page.getByRole('heading', { level: 1, name: 'Order submitted' }).waitFor()
  return ((await page.locator('.govuk-panel').innerText()).match(/ORD-\d{4}-\d{5}/) ?? [''])[0]
}

describe.skipIf(!chromiumPath)('segregation of duties in a browser', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  for (const javaScript of [true, false]) {
    it(`a headteacher cannot approve an order they submitted themselves (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      await fillBasket(browser, javaScript)
      const context = await newContext(browser, { javaScript })
      const page = await context.newPage()
      await signIn(page, 'head@elm-bank.example')
      const reference = await submitBasket(page, javaScript)
      expect(reference).toMatch(/^ORD-\d{4}-\d{5}$/)

      await page.goto('/approvals')
      await expectH1(page, 'Orders awaiting approval')
      const own = page.locator('section.app-approval', { hasText: reference })
      expect(await own.innerText()).toContain('£2,925')
      expect(await own.getByRole('button', { name: 'Approve order' }).count()).toBe(0)
      expect(await own.locator('.govuk-inset-text').innerText()).toContain(
        'You placed this order, so another approver at your school must approve it',
      )
      if (javaScript) expect(await axeViolations(page)).toEqual([])

      // They can still withdraw it by rejecting it.
      await own.getByLabel('Reason for rejecting').fill('Placed by the headteacher: the business manager will order it')
      await own.getByRole('button', { name: 'Reject order' }).click()
      // With JavaScript the decision is made in place (no new address); either way the success banner says so.
      await page.locator('.govuk-notification-banner--success').waitFor()
      expect(await page.locator('.govuk-notification-banner--success').innerText()).toContain(`Order ${reference} rejected`)
      expect(await page.locator('section.app-approval', { hasText: reference }).count()).toBe(0)
      await context.close()
    })
  }
})
