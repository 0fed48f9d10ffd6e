import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, baseUrl, chromiumPath, launchBrowser, newContext, signIn, visit } from '../support/browser'

// axe runs in the page, so it runs with JavaScript on; the server sends the
// same markup either way.
describe.skipIf(!chromiumPath)('catalogue in a browser', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  for (const javaScript of [true, false]) {
    describe(`with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
      it(`lists the services by category${javaScript ? ' with 0 axe violations' : ''}`, async () => {
        const context = await newContext(browser, { javaScript })
        const page = await context.newPage()
        const response = await page.goto('/services')
        expect(response?.status()).toBe(200)
        await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Services for schools')
        for (const name of ['Educational Psychology', 'Coventry Music', 'Governor support', 'Ethnic Minority Achievement']) {
          expect(await page.getByRole('link', { name, exact: true }).count()).toBe(1)
        }
        expect(await page.getByRole('heading', { level: 2, name: 'SEND support' }).count()).toBe(1)
        if (javaScript) expect(await axeViolations(page)).toEqual([])
        await context.close()
      })

      it('searches by words and filters by phase without losing what was typed', async () => {
        const context = await newContext(browser, { javaScript })
        const page = await context.newPage()
        await page.goto('/services')
        await page.getByLabel('Search services').fill('clerking')
        await page.getByRole('button', { name: 'Search' }).click()
        await page.waitForURL(/q=clerking/)
        await page.getByText('matching “clerking”').waitFor()
        expect(await page.getByRole('link', { name: 'Governor support', exact: true }).count()).toBe(1)
        expect(await page.getByRole('link', { name: 'Coventry Music', exact: true }).count()).toBe(0)
        expect(await page.getByLabel('Search services').inputValue()).toBe('clerking')

        await page.getByLabel('Search services').fill('')
        await page.getByLabel('Phase').selectOption('nursery')
        await page.getByRole('button', { name: 'Search' }).click()
        await page.waitForURL(/phase=nursery/)
        await page.getByText('for nursery schools').waitFor()
        expect(await page.getByRole('link', { name: 'SEN Early Years', exact: false }).count()).toBeGreaterThan(0)
        expect(await page.getByRole('link', { name: 'Work Related Learning', exact: true }).count()).toBe(0)
        await context.close()
      })

      it(`ranks what a school types, filters by category and shows "from" prices${javaScript ? ' with 0 axe violations' : ''}`, async () => {
        const context = await newContext(browser, { javaScript })
        const page = await context.newPage()
        await page.goto('/services')
        await page.getByLabel('Search services').fill('EP')
        await page.getByRole('button', { name: 'Search' }).click()
        await page.waitForURL(/q=EP/)
        await page.getByText('matching “EP”').waitFor()
        // One ranked list: the best match is the first heading after the page's own.
        await expect(page.getByRole('heading', { level: 2 }).first().textContent()).resolves.toBe('Educational Psychology')
        expect(await page.getByRole('link', { name: 'SEN Early Years', exact: true }).count()).toBe(0)
        // Its cheapest package is a half-day visit at £295.
        expect(await page.locator('main').innerText()).toContain('From £295')
        if (javaScript) expect(await axeViolations(page)).toEqual([])

        await page.getByLabel('Search services').fill('')
        await page.getByLabel('Category').selectOption({ label: 'Music' })
        await page.getByRole('button', { name: 'Search' }).click()
        await page.waitForURL(/category=music/)
        await page.getByText('services in Music').waitFor()
        expect(await page.getByLabel('Category').inputValue()).toBe('music')
        expect(await page.getByRole('link', { name: 'Coventry Music', exact: true }).count()).toBe(1)
        expect(await page.getByRole('link', { name: 'Instrument hire', exact: true }).count()).toBe(1)
        expect(await page.getByRole('link', { name: 'Educational Psychology', exact: true }).count()).toBe(0)
        await context.close()
      })

      it(`opens a service page with its prices explained${javaScript ? ' and 0 axe violations' : ''}`, async () => {
        const context = await newContext(browser, { javaScript })
        const page = await context.newPage()
        await page.goto('/services')
        await page.getByRole('link', { name: 'Educational Psychology', exact: true }).click()
        await page.getByRole('heading', { level: 1, name: 'Educational Psychology' }).waitFor()
        expect(page.url()).toBe(`${baseUrl}/services/educational-psychology`)
        const body = await page.locator('main').innerText()
        expect(body).toContain('£550 a day for 1 to 9 days, £500 a day for 10 or more')
        expect(body).toContain('What is included')
        expect(body).toContain('What is not included')
        if (javaScript) expect(await axeViolations(page)).toEqual([])
        await context.close()
      })
    })
  }

  it('shows a signed-in academy its own prices, VAT included, in the list and on a service page, with 0 axe violations', async () => {
    const context = await newContext(browser, { javaScript: true })
    const page = await context.newPage()
    await signIn(page, 'buyer@foleshill-park.example')
    await visit(page, '/services', 'Services for schools')
    // Educational Psychology's half-day visit: £295 plus £59 VAT for an academy.
    const card = page.locator('.app-service-card', { has: page.getByRole('link', { name: 'Educational Psychology', exact: true }) })
    expect(await card.innerText()).toContain('Your price from £354 including VAT')
    expect(await axeViolations(page)).toEqual([])

    await visit(page, '/services/governor-support', 'Governor support')
    const subscription = page.locator('section', { has: page.getByRole('heading', { level: 3, name: 'Governor training subscription' }) })
    expect(await subscription.innerText()).toContain('Price for Foleshill Park Academy:')
    expect(await subscription.innerText()).toMatch(/£[\d,]+ a year for your school \(1,150 pupils\)/)
    expect(await axeViolations(page)).toEqual([])
    await context.close()
  })

  it('answers an unknown service with a helpful 404 page', async () => {
    const context = await newContext(browser, { javaScript: true })
    const page = await context.newPage()
    const response = await page.goto('/services/no-such-service')
    expect(response?.status()).toBe(404)
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Page not found')
    expect(await page.getByRole('link', { name: 'browse all services' }).count()).toBe(1)
    expect(await axeViolations(page)).toEqual([])
    await context.close()
  })
})
