import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed/factories'
import { axeViolationsAsServed, baseUrl, chromiumPath, launchBrowser, newContext } from '../support/browser'

// What a school is told before it buys, in a real browser with JavaScript on
// and off: Elm Bank, which holds a 2026/27 clerking agreement, cannot buy a
// second; and asking for 20 EP days when 11 are left, it is warned, chooses
// to confirm what fits, and after the headteacher approves the order has 11
// days confirmed and 9 waiting with their place in the queue.

async function signIn(context: BrowserContext, email: string, redirectTo: string): Promise<Page> {
  const page = await context.newPage()
  await page.goto(`/login?${new URLSearchParams({ redirectTo })}`)
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(`${baseUrl}${redirectTo}`)
  return page
}

const number = (text: string) => Number(text.replace(/[^0-9.]/g, ''))

/**
 * The EP team's 2026/27 capacity set, through the LA administrator's page, so
 * that exactly `days` days are left and nobody waits: first room for the
 * whole waiting list (which is confirmed), then capacity brought down to
 * what is reserved plus the days (lowering never takes back what is confirmed).
 */
async function leaveEpDays(browser: Browser, days: number) {
  // Without JavaScript each save is a plain POST and redirect, finished before the page is read again.
  const context = await newContext(browser, { javaScript: false })
  const page = await signIn(context, 'admin@coventry.example', '/la/admin/teams')
  await page.getByRole('link', { name: 'Educational Psychology 2026/27' }).click()
  await page.getByRole('heading', { level: 1, name: 'Educational Psychology' }).waitFor()
  const url = page.url()
  const save = async (sessional: number) => {
    await page.getByLabel('Sessional hours').fill(String(sessional))
    await page.getByRole('button', { name: 'Save changes' }).click()
    await page.waitForURL(/\/la\/admin\/teams\?/)
    await page.goto(url)
  }
  const row = async (label: string) => number(await page.locator('.govuk-summary-list__row', { hasText: label }).locator('dd').first().innerText())
  await save(100_000)
  expect(await row('Waiting list')).toBe(0)
  const sessional = number(await page.getByLabel('Sessional hours').inputValue())
  const capacity = await row('Capacity now')
  const reserved = await row('Reserved')
  // Sessional hours are whole: between `days` and `days` + 1 hour's worth is left, which is `days` whole days.
  await save(Math.ceil(sessional - (capacity - reserved) + days * 6.5))
  await context.close()
}

describe.skipIf(!chromiumPath)('buying what the school already has, or more than is left', () => {
  let browser: Browser
  let daysLeftBefore: number | null = null
  beforeAll(async () => {
    browser = await launchBrowser()
    // What is left is public: read it, to give it back afterwards.
    const context = await newContext(browser, { javaScript: false })
    const page = await context.newPage()
    await page.goto('/services/educational-psychology')
    const offer = page.locator('section', { has: page.getByRole('heading', { name: 'Educational psychologist days', exact: true }) })
    const text = await offer.innerText()
    daysLeftBefore = text.includes('Fully booked for 2026/27') ? 0 : number(/([\d,]+) days? left in 2026\/27/.exec(text)?.[1] ?? '')
    await context.close()
  })
  afterAll(async () => {
    // Leave the team with the days it had, for the tests after these.
    if (browser && daysLeftBefore !== null) await leaveEpDays(browser, daysLeftBefore)
    await browser?.close()
  })

  for (const javaScript of [true, false]) {
    describe(`with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
      it('a second 2026/27 clerking agreement is refused: the school already has one', async () => {
        const context = await newContext(browser, { javaScript })
        const page = await signIn(context, 'buyer@elm-bank.example', '/services/governor-support')
        const clerking = page.locator('section', {
          has: page.getByRole('heading', { name: 'Clerking agreement: full governing board', exact: true }),
        })
        expect(await clerking.innerText()).toMatch(
          /Your school already has Clerking agreement: full governing board for 2026\/27 \(order ORD-\d{4}-\d{5}\)/,
        )
        expect(await clerking.getByRole('button', { name: /Add to basket/ }).count()).toBe(0)
        // Training places are included in Elm Bank's subscription.
        const places = page.locator('section', { has: page.getByRole('heading', { name: 'Governor training: pay as you go', exact: true }) })
        expect(await places.innerText()).toContain('Included in your subscription')
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])
        await context.close()
      })

      it('an agreement added from a second tab is refused with a GOV.UK error: it is already in the basket', async () => {
        const context = await newContext(browser, { javaScript })
        const first = await signIn(context, 'buyer@elm-bank.example', '/services/governor-support')
        const second = await context.newPage()
        await second.goto('/services/governor-support')
        const committees = (page: Page) =>
          page.locator('section', { has: page.getByRole('heading', { name: 'Clerking agreement with committees', exact: true }) })
        await committees(first).getByLabel('Quantity').fill('1')
        await committees(first)
          .getByRole('button', { name: /^Add to basket/ })
          .click()
        await first.waitForURL(/\/basket\?added=/)

        await committees(second).getByLabel('Quantity').fill('1')
        await committees(second)
          .getByRole('button', { name: /^Add to basket/ })
          .click()
        const summary = second.locator('.govuk-error-summary')
        await summary.waitFor()
        expect(await summary.innerText()).toContain('Your basket already has Clerking agreement with committees for 2026/27')
        expect(await axeViolationsAsServed(browser, second, javaScript)).toEqual([])

        // The basket still has it once; taken out again for the tests after this one.
        await first.goto('/basket')
        const lines = first.locator('.govuk-summary-card', { hasText: 'Clerking agreement with committees' })
        expect(await lines.count()).toBe(1)
        await lines.getByRole('button', { name: /^Remove/ }).click()
        await first.getByText('Your basket is empty.').waitFor()
        await context.close()
      })

      it('20 EP days when 11 are left: warned, split, and after approval 11 confirmed and 9 waiting, 1st in the queue', async () => {
        await leaveEpDays(browser, 11)
        const context = await newContext(browser, { javaScript })
        const page = await signIn(context, 'buyer@elm-bank.example', '/services/educational-psychology')
        const offer = page.locator('section', { has: page.getByRole('heading', { name: 'Educational psychologist days', exact: true }) })
        expect(await offer.innerText()).toContain('11 days left in 2026/27')
        await offer.getByLabel('Quantity').fill('20')
        await offer.getByRole('button', { name: /^Add to basket/ }).click()
        await page.waitForURL(/\/basket\?added=/)
        const main = page.locator('main')
        await main.getByText('You asked for 20 days of Educational psychologist days, but the team has only 11 days left in 2026/27').waitFor()
        await page.getByLabel('Confirm what fits and wait for the rest').check()
        await page.getByRole('button', { name: 'Save choice for Educational psychologist days' }).click()
        await page.waitForURL(/\/basket(#line-.*)?$/)
        expect(await page.getByLabel('Confirm what fits and wait for the rest').isChecked()).toBe(true)
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])
        await page.getByRole('button', { name: 'Continue' }).click()
        await page.waitForURL(`${baseUrl}/basket/check`)
        await page.getByRole('heading', { level: 1, name: 'Check your order before submitting it' }).waitFor()
        expect(await main.innerText()).toContain('but the team has only 11 days left in 2026/27')
        expect(await page.getByLabel('Confirm what fits and wait for the rest').isChecked()).toBe(true)
        await page.getByRole('button', { name: 'Submit order' }).click()
        await page.waitForURL(/\/basket\/confirmation\/[0-9a-f-]{36}$/)
        const orderId = page.url().split('/').pop()!

        // £10,000 is above Elm Bank's limit: the headteacher is warned too, and approves.
        const headContext = await newContext(browser, { javaScript })
        const head = await signIn(headContext, 'head@elm-bank.example', '/approvals')
        const section = head.locator('section', { has: head.locator(`form input[value="${orderId}"]`) })
        expect(await section.innerText()).toContain('20 days asked for, but only 11 days left in 2026/27')
        expect(await section.innerText()).toContain('Confirm what fits and wait for the rest: 11 days confirmed, 9 days on the waiting list')
        expect(await axeViolationsAsServed(browser, head, javaScript)).toEqual([])
        await section.getByRole('button', { name: 'Approve order' }).click()
        // With JavaScript the decision is made in place (no new address); either way the success banner says so.
        await head.locator('.govuk-notification-banner--success').waitFor()
        await headContext.close()

        await page.goto(`/orders/${orderId}`)
        const rows = page.locator('tbody tr', { hasText: 'Educational psychologist days' })
        await expect.poll(() => rows.count()).toBe(2)
        const confirmed = rows.filter({ hasText: 'Confirmed' })
        const waiting = rows.filter({ hasText: 'on the waiting list' })
        expect(await confirmed.innerText()).toContain('11 days')
        expect(await waiting.innerText()).toContain('9 days')
        expect(await waiting.innerText()).toContain('1st on the waiting list')
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])
        await context.close()
      })
    })
  }
})
