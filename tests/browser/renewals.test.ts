import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, chromiumPath, expectH1, launchBrowser, newContext, signIn } from '../support/browser'

// Renewals and the public pages as people use them. The seed has opened
// Coventry's 2027/28 renewals, so Elm Bank's business manager has a proposal
// waiting at /renewals. With JavaScript on, every page is checked with axe
// (the proposal still open) and a quantity is changed; with JavaScript off
// (plain HTML forms), declining without a reason is refused, then the
// proposal is accepted and becomes an order.

const epCard = (page: Page) => page.locator('.govuk-summary-card', { hasText: 'Educational Psychology: Educational psychologist days' })

describe.skipIf(!chromiumPath)('renewals and the public pages in a browser', () => {
  let browser: Browser
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
    await context.close()
  })
})
