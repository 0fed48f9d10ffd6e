import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, chromiumPath, expectH1, launchBrowser, newContext, signIn } from '../support/browser'

// The headteacher's approvals, cancelling and recording delivery, as people
// use them. The seed has one order awaiting approval (Elm Bank's £2,600): it
// is approved with JavaScript off (plain HTML forms posting to the server);
// with JavaScript on, the same pages are checked with axe and the order is
// then cancelled through the confirmation page.

describe.skipIf(!chromiumPath)('approvals, cancelling and delivery in a browser', () => {
  let browser: Browser
  let orderPath = ''
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('JavaScript off: the headteacher rejects without a reason (refused), then approves the £2,600 order and sees it decided', async () => {
    const context = await newContext(browser, { javaScript: false })
    const page = await context.newPage()
    await signIn(page, 'head@elm-bank.example')
    await page.goto('/approvals')
    await expectH1(page, 'Orders awaiting approval')
    const order = page.locator('section.app-approval', { hasText: '£2,600' })
    await order.waitFor()
    const reference = ((await order.getByRole('heading', { level: 2 }).textContent()) ?? '').replace('Order ', '').trim()
    expect(reference).not.toBe('')

    await order.getByRole('button', { name: 'Reject order' }).click()
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
    expect(await page.locator('.govuk-error-summary').getByRole('link').allTextContents()).toEqual(['Enter the reason for rejecting the order'])

    await page.locator('section.app-approval', { hasText: reference }).getByRole('button', { name: 'Approve order' }).click()
    await page.waitForURL(/\/approvals\?decided=/)
    const banner = page.locator('.govuk-notification-banner--success')
    expect(await banner.getByRole('heading', { level: 3 }).textContent()).toBe(`Order ${reference} approved`)
    expect(await banner.textContent()).toMatch(/Confirmed|Waitlisted|waitlisted/)
    expect(await page.locator('section.app-approval', { hasText: reference }).count()).toBe(0)

    await banner.getByRole('link', { name: `View order ${reference}` }).click()
    await expectH1(page, `Order ${reference}`)
    orderPath = new URL(page.url()).pathname
    expect(await page.locator('.govuk-summary-list').first().textContent()).toMatch(/Confirmed|Waiting list/)
    await context.close()
  })

  it('JavaScript on: /approvals, the cancel confirmation page and /la/delivery have 0 axe violations; cancelling works', async () => {
    const context = await newContext(browser, { javaScript: true })
    const head = await context.newPage()
    await signIn(head, 'head@elm-bank.example')
    await head.goto('/approvals')
    await expectH1(head, 'Orders awaiting approval')
    expect(await axeViolations(head)).toEqual([])

    // The business manager cancels the order just approved, seeing what it costs first.
    expect(orderPath).toMatch(/^\/orders\//)
    const buyerContext = await newContext(browser, { javaScript: true })
    const buyer = await buyerContext.newPage()
    await signIn(buyer, 'buyer@elm-bank.example')
    await buyer.goto(orderPath)
    await buyer.getByRole('button', { name: 'Cancel order' }).click()
    await expectH1(buyer, 'Cancel order')
    expect(await buyer.locator('#fee').textContent()).toMatch(
      /^Cancelling (now charges £[\d,.]+: what was delivered, terms begun and late fees, as shown above\. Whatever was invoiced beyond that is credited|now is free)\.$/,
    )
    expect(await buyer.locator('.govuk-warning-text').count()).toBe(1)
    expect(await axeViolations(buyer)).toEqual([])
    await buyer.locator('form').getByRole('button', { name: 'Cancel order' }).click()
    await buyer.waitForURL(/\?cancelled=/)
    await buyer.locator('.govuk-notification-banner--success').waitFor()
    expect(await buyer.locator('.govuk-summary-list').first().textContent()).toContain('Cancelled')
    await buyerContext.close()

    // The service lead's delivery pages.
    const leadContext = await newContext(browser, { javaScript: true })
    const lead = await leadContext.newPage()
    await signIn(lead, 'lead.ep@coventry.example')
    await lead.goto('/la/delivery')
    await expectH1(lead, 'Record delivery')
    expect(await lead.getByText(/ of \d+ days? used/).count()).toBeGreaterThan(0)
    expect(await axeViolations(lead)).toEqual([])
    await lead
      .getByRole('link', { name: /^Record delivery/ })
      .first()
      .click()
    await lead.waitForURL(/\/la\/delivery\/[0-9a-f-]+$/)
    await expectH1(lead, 'Record delivery')
    await lead.getByRole('button', { name: 'Record delivery' }).click()
    await lead.getByRole('heading', { name: 'There is a problem' }).waitFor()
    expect(await axeViolations(lead)).toEqual([])
    await leadContext.close()
    await context.close()
  })
})
