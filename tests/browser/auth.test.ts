import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed/factories'
import { idFor } from '../../db/seed/random'
import { axeViolations, baseUrl, chromiumPath, launchBrowser, newContext } from '../support/browser'

// Signing in and out, and the order pages behind it, in a real browser, with
// JavaScript on and off. The app under test seeded its own database; the
// seed's ids are deterministic, so Elm Bank's 2026/27 order has a known id.
const ELM_BANK_ORDER = idFor('coventry/order/2026/elm-bank/annual')

async function signIn(page: Page, email: string, password: string) {
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

describe.skipIf(!chromiumPath)('signing in and out in a browser', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  for (const javaScript of [true, false]) {
    describe(`with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
      it(`shows a wrong password in a GOV.UK error summary, keeping the email and emptying the password${javaScript ? ', with 0 axe violations' : ''}`, async () => {
        const context = await newContext(browser, { javaScript })
        const page = await context.newPage()
        const response = await page.goto('/login')
        expect(response?.status()).toBe(200)
        if (javaScript) expect(await axeViolations(page)).toEqual([])

        await signIn(page, 'head@elm-bank.example', 'not-the-password')
        const summary = page.locator('.govuk-error-summary')
        await summary.getByRole('heading', { name: 'There is a problem' }).waitFor()
        const link = summary.getByRole('link', { name: 'Enter a correct email address and password' })
        expect(await link.getAttribute('href')).toBe('#email')
        expect(await page.getByLabel('Email address').inputValue()).toBe('head@elm-bank.example')
        expect(await page.getByLabel('Password').inputValue(), 'the password field is emptied').toBe('')
        expect(page.url()).toBe(`${baseUrl}/login`)
        expect(await page.title()).toMatch(/Sign in/)
        // The message beside the field is tied to it.
        expect(await page.getByLabel('Email address').getAttribute('aria-describedby')).toBe('email-error')
        // The summary's link takes you to the field: without JavaScript by its address, with it
        // govuk-frontend's error summary moves focus to the field itself (and leaves the address alone).
        await link.click()
        if (javaScript) await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('email')
        else expect(page.url()).toBe(`${baseUrl}/login#email`)
        if (javaScript) expect(await axeViolations(page)).toEqual([])
        await context.close()
      })

      it('sends an anonymous visitor to sign in, then to the order they asked for, and signs them out', async () => {
        const context = await newContext(browser, { javaScript })
        const page = await context.newPage()
        await page.goto(`/orders/${ELM_BANK_ORDER}`)
        const loginUrl = new URL(page.url())
        expect(loginUrl.pathname).toBe('/login')
        expect(loginUrl.searchParams.get('redirectTo')).toBe(`/orders/${ELM_BANK_ORDER}`)

        await signIn(page, 'buyer@elm-bank.example', DEMO_PASSWORD)
        await page.waitForURL(`${baseUrl}/orders/${ELM_BANK_ORDER}`)
        const h1 = page.getByRole('heading', { level: 1, name: /^Order ORD-2026-\d{5}$/ })
        await h1.waitFor()
        expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1)
        const main = await page.locator('main').innerText()
        expect(main).toContain('Elm Bank Primary School')
        expect(main).toContain('4 of 10 days used')
        expect(await page.title()).toContain('Elm Bank Primary School')

        await page.getByRole('button', { name: /^Sign out/ }).click()
        await page.waitForURL(`${baseUrl}/`)
        await page.getByRole('link', { name: 'Sign in' }).waitFor({ timeout: 10_000 })
        expect(await page.getByRole('button', { name: /^Sign out/ }).count()).toBe(0)
        // Signed out for real: the order is behind sign-in again.
        await page.goto(`/orders/${ELM_BANK_ORDER}`)
        expect(new URL(page.url()).pathname).toBe('/login')
        await context.close()
      })
    })
  }

  it('has 0 axe violations on /forgot-password, /orders and an order page', async () => {
    const context = await newContext(browser, { javaScript: true })
    const page = await context.newPage()
    await page.goto('/forgot-password')
    await page.getByRole('heading', { level: 1, name: 'Reset your password' }).waitFor()
    expect(await axeViolations(page)).toEqual([])

    await page.goto('/login?redirectTo=%2Forders')
    await signIn(page, 'buyer@elm-bank.example', DEMO_PASSWORD)
    await page.waitForURL(`${baseUrl}/orders`)
    await page.getByRole('heading', { level: 1, name: 'Your orders' }).waitFor()
    expect(await page.getByRole('link', { name: /^ORD-2026-/ }).count()).toBeGreaterThanOrEqual(3)
    expect(await axeViolations(page)).toEqual([])

    // The year filter, and a bad year reported without losing the page.
    await page.getByLabel('Trading year').selectOption('2025/26')
    await page.getByRole('button', { name: 'Show orders' }).click()
    await page.waitForURL(/year=2025%2F26/)
    await page.getByText('in 2025/26').waitFor()
    expect(await page.getByRole('link', { name: /^ORD-2026-/ }).count()).toBe(0)
    await page.goto('/orders?year=nonsense')
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
    expect(await page.getByRole('link', { name: 'Choose a trading year from the list' }).getAttribute('href')).toBe('#year')
    expect(await axeViolations(page)).toEqual([])

    await page.goto('/orders')
    await page
      .getByRole('link', { name: /^ORD-2026-/ })
      .last()
      .click()
    await page.getByRole('heading', { level: 1, name: /^Order ORD-2026-/ }).waitFor()
    expect(await axeViolations(page)).toEqual([])
    await page.goto(`/orders/${ELM_BANK_ORDER}`)
    await page.getByRole('heading', { level: 2, name: 'History' }).waitFor()
    expect(await axeViolations(page)).toEqual([])
    await context.close()
  })

  it('answers 404 to a school user opening another school’s order, and 403 on finance pages', async () => {
    const context = await newContext(browser, { javaScript: false })
    const page = await context.newPage()
    await page.goto('/login')
    await signIn(page, 'buyer@foleshill-park.example', DEMO_PASSWORD)
    await page.waitForURL(`${baseUrl}/`)
    const own = await page.goto('/orders')
    expect(own?.headers()['cache-control']).toBe('private, no-store')
    const response = await page.goto(`/orders/${ELM_BANK_ORDER}`)
    expect(response?.status()).toBe(404)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Page not found')
    const finance = await page.goto('/finance/invoices')
    expect(finance?.status()).toBe(403)
    await context.close()
  })
})
