import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, chromiumPath, expectH1, launchBrowser, newContext, signIn } from '../support/browser'

// Renewals and the public pages as people use them. The seed has opened
// Coventry's 2027/28 renewals, so Elm Bank's business manager has a proposal
// waiting at /renewals. With JavaScript on, every page is checked with axe
// (the proposal still open) and a quantity is changed; with JavaScript off
// (plain HTML forms), declining without a reason is refused, then the
// proposal is accepted and becomes an order, which the headteacher approves.
// The order is for 2027/28: nothing is invoiced before 1 April 2027, and its
// page says so (JavaScript off, then on with axe).

const epCard = (page: Page) => page.locator('.govuk-summary-card', { hasText: 'Educational Psychology: Educational psychologist days' })

/** What the order page says about billing a 2027/28 renewal accepted now (November/December 2026). */
async function expectInvoicedOnFirstApril(page: Page) {
  const main = (await page.locator('main').textContent()) ?? ''
  expect(main).toContain('No invoices have been issued for this order yet.')
  expect(main).toContain('To be invoiced on 1 April 2027, charged in the April 2027 journal')
  expect(
    await page
      .locator('main')
      .getByRole('table', { name: /Invoices for this order/ })
      .count(),
  ).toBe(0)
}

describe.skipIf(!chromiumPath)('renewals and the public pages in a browser', () => {
  let browser: Browser
  let orderPath = ''
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('JavaScript on: the public pages, /renewals and /la/admin/renewals have 0 axe violations; a quantity changes', async () => {
    const context = await newContext(browser, { javaScript: true })
    const page = await context.newPage()
    for (const [path, h1] of [
      ['/accessibility', 'Accessibility statement for Buyback'],
      ['/cookies', 'Cookies'],
      ['/privacy', 'Privacy notice'],
    ] as const) {
      await page.goto('/')
      await page
        .locator('footer')
        .getByRole('link', {
          name: h1 === 'Accessibility statement for Buyback' ? 'Accessibility statement' : h1 === 'Privacy notice' ? 'Privacy' : h1,
        })
        .click()
      await expectH1(page, h1)
      expect(new URL(page.url()).pathname).toBe(path)
      expect(await page.locator('main').textContent()).toContain('Coventry City Council')
      expect(await axeViolations(page), path).toEqual([])
    }
    expect(await page.locator('main').textContent()).toContain('Information Commissioner’s Office')

    await signIn(page, 'buyer@elm-bank.example')
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Renewals' }).click()
    await expectH1(page, 'Renew your services for 2027/28')
    expect(await page.locator('main').textContent()).toContain('31 January 2027')
    expect(await epCard(page).textContent()).toContain('You used 4 of 10 days')
    expect(await axeViolations(page)).toEqual([])

    await epCard(page).getByLabel('Quantity of Educational psychologist days').fill('9')
    await epCard(page).getByRole('button', { name: 'Update quantity of Educational psychologist days' }).click()
    await page.getByRole('heading', { name: 'Quantity updated' }).waitFor()
    expect(await epCard(page).getByLabel('Quantity of Educational psychologist days').inputValue()).toBe('9')
    expect(await epCard(page).textContent()).toContain('Now 9 days')
    await context.close()

    const adminContext = await newContext(browser, { javaScript: true })
    const admin = await adminContext.newPage()
    await signIn(admin, 'admin@coventry.example')
    await admin.goto('/la/admin/renewals')
    await expectH1(admin, 'Renewals for 2027/28')
    expect(await admin.locator('main').textContent()).toContain('Opened on')
    expect(await axeViolations(admin)).toEqual([])
    // A closing date after the year starts is refused, with a GOV.UK error summary.
    await admin.locator('#closesOnDay').fill('1')
    await admin.locator('#closesOnMonth').fill('4')
    await admin.locator('#closesOnYear').fill('2027')
    await admin.getByRole('button', { name: 'Save dates' }).click()
    await admin.getByRole('heading', { name: 'There is a problem' }).waitFor()
    expect(await admin.locator('.govuk-error-summary').getByRole('link').allTextContents()).toEqual([
      'The closing date must be on or before 31 March 2027, before the new year starts',
    ])
    expect(await axeViolations(admin)).toEqual([])
    await adminContext.close()
  })

  it('JavaScript off: Elm Bank’s business manager changes a quantity, must give a reason to decline, accepts, and sees the order', async () => {
    const context = await newContext(browser, { javaScript: false })
    const page = await context.newPage()
    await signIn(page, 'buyer@elm-bank.example')
    await page.goto('/renewals')
    await expectH1(page, 'Renew your services for 2027/28')

    await epCard(page).getByLabel('Quantity of Educational psychologist days').fill('8')
    await epCard(page).getByRole('button', { name: 'Update quantity of Educational psychologist days' }).click()
    await page.getByRole('heading', { name: 'Quantity updated' }).waitFor()
    expect(await epCard(page).textContent()).toContain('Now 8 days')

    await page.getByRole('button', { name: 'Decline proposal' }).click()
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
    expect(await page.locator('.govuk-error-summary').getByRole('link').allTextContents()).toEqual(['Enter why you are not renewing'])

    await page.getByRole('button', { name: 'Accept proposal' }).click()
    await page.getByRole('heading', { name: 'Renewal accepted' }).waitFor()
    const reference = ((await page.locator('.govuk-panel__body strong').textContent()) ?? '').trim()
    expect(reference).toMatch(/^ORD-\d{4}-\d{5}$/)
    await page.getByRole('link', { name: `View order ${reference}` }).click()
    await expectH1(page, `Order ${reference}`)
    const main = (await page.locator('main').textContent()) ?? ''
    expect(main).toContain('Educational psychologist days')
    // Over Elm Bank's £2,500 limit: it waits for the headteacher.
    expect(main).toMatch(/Awaiting approval/i)
    orderPath = new URL(page.url()).pathname
    await context.close()

    // The headteacher approves it; its lines are confirmed for 2027/28, and nothing is invoiced yet.
    const headContext = await newContext(browser, { javaScript: false })
    const head = await headContext.newPage()
    await signIn(head, 'head@elm-bank.example')
    await head.goto('/approvals')
    await head.locator('section.app-approval', { hasText: reference }).getByRole('button', { name: 'Approve order' }).click()
    await head.waitForURL(/\/approvals\?decided=/)
    await head.goto(orderPath)
    await expectH1(head, `Order ${reference}`)
    expect(await head.locator('.govuk-summary-list').first().textContent()).toMatch(/Confirmed|Waiting list/)
    await expectInvoicedOnFirstApril(head)
    await headContext.close()
  })

  it('JavaScript on: the accepted renewal’s order says it will be invoiced on 1 April 2027 and shows no invoice, with 0 axe violations', async () => {
    expect(orderPath).toMatch(/^\/orders\//)
    const context = await newContext(browser, { javaScript: true })
    const page = await context.newPage()
    await signIn(page, 'buyer@elm-bank.example')
    await page.goto(orderPath)
    await expectH1(page, /^Order ORD-/)
    await expectInvoicedOnFirstApril(page)
    expect(await axeViolations(page)).toEqual([])
    await context.close()
  })
})
