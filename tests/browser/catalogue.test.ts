import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, baseUrl, chromiumPath, launchBrowser, newContext } from '../support/browser'

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
