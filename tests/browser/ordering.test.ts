import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed/factories'
import { axeViolations, baseUrl, chromiumPath, launchBrowser, newContext } from '../support/browser'

// Ordering in a real browser, with JavaScript on and off: Elm Bank's
// business manager buys EP days from the service page, through the basket and
// the check page, to a confirmation. Below the school's £2,500 approval limit
// the order is confirmed at once; at or above it, it waits for the headteacher.

async function signIn(page: Page, email: string, redirectTo: string) {
  await page.goto(`/login?${new URLSearchParams({ redirectTo })}`)
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(`${baseUrl}${redirectTo}`)
}

/** From the EP service page to the check page: quantity, "Add to basket", the basket, "Continue". */
async function orderEpDays(page: Page, days: number, axe: boolean) {
  await page.goto('/services/educational-psychology')
  const offer = page.locator('section', { has: page.getByRole('heading', { name: 'Educational psychologist days', exact: true }) })
  await expect.poll(() => offer.getByText(/\d+ days left in 2026\/27/).count()).toBe(1)
  await offer.getByLabel('Quantity').fill(String(days))
  await offer.getByRole('button', { name: /^Add to basket/ }).click()
  await page.waitForURL(/\/basket\?added=/)
  await page.getByRole('heading', { level: 1, name: 'Your basket' }).waitFor()
  const main = page.locator('main')
  await main.getByText('is in your basket').first().waitFor()
  expect(await main.innerText()).toContain(`Now ${days} days`)
  if (axe) expect(await axeViolations(page)).toEqual([])
  await page.getByLabel(/Purchase order number/).fill(`PO-BROWSER-${days}`)
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.waitForURL(`${baseUrl}/basket/check`)
  await page.getByRole('heading', { level: 1, name: 'Check your order before submitting it' }).waitFor()
}

describe.skipIf(!chromiumPath)('ordering in a browser', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  for (const javaScript of [true, false]) {
    describe(`with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
      it(`Elm Bank’s business manager orders 3 EP days, sees £1,650 and a confirmed order${javaScript ? ', with 0 axe violations' : ''}`, async () => {
        const context = await newContext(browser, { javaScript })
        const page = await context.newPage()
        await signIn(page, 'buyer@elm-bank.example', '/services/educational-psychology')
        await orderEpDays(page, 3, javaScript)

        const main = page.locator('main')
        const text = await main.innerText()
        expect(text).toContain('£1,650')
        expect(text).toContain('PO-BROWSER-3')
        expect(text).not.toContain('Your headteacher must approve this order')
        if (javaScript) expect(await axeViolations(page)).toEqual([])

        await page.getByRole('button', { name: 'Submit order' }).click()
        await page.waitForURL(/\/basket\/confirmation\/[0-9a-f-]{36}$/)
        await page.getByRole('heading', { level: 1, name: 'Order submitted' }).waitFor()
        const panel = await page.locator('.govuk-panel').innerText()
        expect(panel).toMatch(/ORD-2026-\d{5}/)
        expect(await page.locator('#next-step').innerText()).toContain('confirmed')
        expect(await main.getByText('Confirmed', { exact: true }).count()).toBe(1)
        if (javaScript) expect(await axeViolations(page)).toEqual([])

        // The order page says so too, and the basket is empty again.
        await page.getByRole('link', { name: 'View your order' }).click()
        await page.getByRole('heading', { level: 1, name: /^Order ORD-2026-\d{5}$/ }).waitFor()
        expect(await page.locator('main').innerText()).toContain('£1,650')
        await page.goto('/basket')
        await page.getByText('Your basket is empty.').waitFor()
        await context.close()
      })

      it('an order of 5 EP days (£2,750, over the £2,500 limit) waits until the headteacher approves it', async () => {
        const context = await newContext(browser, { javaScript })
        const page = await context.newPage()
        await signIn(page, 'buyer@elm-bank.example', '/services/educational-psychology')
        await orderEpDays(page, 5, false)
        const text = await page.locator('main').innerText()
        expect(text).toContain('£2,750')
        expect(text).toContain('Your headteacher must approve this order because it is £2,500 or more')

        await page.getByRole('button', { name: 'Submit order' }).click()
        await page.waitForURL(/\/basket\/confirmation\/[0-9a-f-]{36}$/)
        await page.getByRole('heading', { level: 1, name: 'Order submitted' }).waitFor()
        expect(await page.locator('#next-step').innerText()).toContain('awaiting approval')
        expect(await page.locator('main').getByText('Awaiting approval', { exact: true }).count()).toBe(1)
        const orderId = new URL(page.url()).pathname.split('/').at(-1)!
        await context.close()

        // Once (the two runs share EP's remaining days): the headteacher approves it, and it is confirmed.
        if (!javaScript) return
        const head = await newContext(browser, { javaScript })
        const headPage = await head.newPage()
        await signIn(headPage, 'head@elm-bank.example', `/orders/${orderId}`)
        const h1 = headPage.getByRole('heading', { level: 1, name: /^Order ORD-/ })
        await h1.waitFor()
        const reference = ((await h1.textContent()) ?? '').replace('Order ', '').trim()
        await headPage.goto('/approvals')
        const approval = headPage.locator('section.app-approval', { hasText: reference })
        expect(await approval.innerText()).toContain('£2,750')
        await approval.getByRole('button', { name: 'Approve order' }).click()
        // With JavaScript the decision is made in place (no new address); either way the success banner says so.
        await headPage.locator('.govuk-notification-banner--success').waitFor()
        await headPage.goto(`/orders/${orderId}`)
        await headPage.getByRole('heading', { level: 1, name: `Order ${reference}` }).waitFor()
        expect(await headPage.locator('.govuk-summary-list').first().textContent()).toMatch(/Confirmed/)
        await head.close()
      })
    })
  }

  it('shows a bad quantity in a GOV.UK error summary, checked in the browser, and adds nothing', async () => {
    const context = await newContext(browser, { javaScript: true })
    const page = await context.newPage()
    await signIn(page, 'buyer@elm-bank.example', '/services/educational-psychology')
    const offer = page.locator('section', { has: page.getByRole('heading', { name: 'Educational psychologist days', exact: true }) })
    await offer.getByLabel('Quantity').fill('2.5')
    await offer.getByRole('button', { name: /^Add to basket/ }).click()
    const summary = page.locator('.govuk-error-summary')
    await summary.getByRole('heading', { name: 'There is a problem' }).waitFor()
    const link = summary.getByRole('link', { name: 'Quantity must be a whole number, like 3' })
    // Checked in the browser (docs/decisions/0028): the summary is the offer's, and links to its field.
    expect(await link.getAttribute('href')).toBe('#quantity-ep-days')
    expect(await offer.getByLabel('Quantity').inputValue()).toBe('2.5')
    expect(await axeViolations(page)).toEqual([])
    await page.goto('/basket')
    expect(await page.locator('main').innerText()).toContain('Your basket is empty.')
    await context.close()
  })

  it('shows an anonymous visitor a "Sign in to order" link and no form', async () => {
    const context = await newContext(browser, { javaScript: false })
    const page = await context.newPage()
    await page.goto('/services/educational-psychology')
    expect(await page.getByRole('button', { name: /Add to basket/ }).count()).toBe(0)
    expect(await page.getByRole('link', { name: /^Sign in to order/ }).count()).toBeGreaterThan(0)
    await context.close()
  })
})
