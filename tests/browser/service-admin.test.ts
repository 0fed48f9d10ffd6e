import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolationsAsServed, chromiumPath, expectH1, launchBrowser, openPage, shot, signIn, visit } from '../support/browser'

// The Educational Psychology lead edits what every school receives without
// charge (the statutory core) and sees it above the offers on the service's
// page, with JavaScript on and off; the music lead is refused EP's page.
// Only EP's statutory core changes (no other test reads it): the rest of the
// form goes back as it was, so the terms stay at version 1.

describe.skipIf(!chromiumPath)('editing a service in a browser', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  for (const javaScript of [true, false]) {
    it(`the EP lead changes the statutory core and schools read it above the offers (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const core = `Statutory psychological advice for every education, health and care needs assessment, free to all schools (${javaScript ? 'with' : 'without'} JavaScript).`
      const { context, page } = await openPage(browser, javaScript)
      try {
        await signIn(page, 'lead.ep@coventry.example')
        await visit(page, '/la/services', 'Services')
        const table = page.getByRole('table', { name: 'SEND support' })
        expect(await table.getByRole('row').count()).toBe(2)
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])
        await table.getByRole('link', { name: 'Educational Psychology' }).click()
        await expectH1(page, 'Educational Psychology')
        expect(page.url()).toMatch(/\/la\/services\/educational-psychology$/)
        const offers = page.getByRole('table', { name: 'Offers of Educational Psychology' })
        await offers.getByRole('row', { name: /Educational psychologist days.*Price per unit.*On sale/ }).waitFor()
        expect(await page.getByRole('link', { name: 'Add an offer' }).getAttribute('href')).toBe('/la/services/educational-psychology/offers/new')
        expect(await page.getByRole('link', { name: 'Prices and publishing' }).getAttribute('href')).toBe(
          '/la/services/educational-psychology/prices',
        )
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])

        // A mistake first: refused at its field, nothing saved.
        await page.getByLabel('What every school receives without charge').fill(core)
        await page.getByLabel('Contact email address').fill('not an email address')
        await page.getByRole('button', { name: 'Save service' }).click()
        await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
        const summary = page.locator('.govuk-error-summary')
        expect(await summary.getByRole('link').allTextContents()).toEqual([
          'Enter the contact email address in the correct format, like name@example.com',
        ])
        expect(await summary.getByRole('link').first().getAttribute('href')).toBe('#contactEmail')
        expect(await page.getByLabel('What every school receives without charge').inputValue()).toBe(core)
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])
        if (!javaScript) await shot(page, 'service-admin', 'error')

        await page.getByLabel('Contact email address').fill('educational.psychology@coventry.example')
        await page.getByRole('button', { name: 'Save service' }).click()
        await page.getByRole('heading', { level: 3, name: 'Educational Psychology saved' }).waitFor()
        // Only the statutory core changed: the terms are still the version in force.
        expect(await page.getByText('The terms are now version').count()).toBe(0)
        expect(await page.getByLabel('What every school receives without charge').inputValue()).toBe(core)

        // Schools read it on the service's page, above the offers.
        await visit(page, '/services/educational-psychology', 'Educational Psychology')
        const headings = await page.locator('main h2').allTextContents()
        const coreAt = headings.indexOf('What every school receives without charge')
        expect(coreAt).toBeGreaterThanOrEqual(0)
        expect(coreAt).toBeLessThan(headings.findIndex((h) => h.startsWith('Packages and prices for')))
        expect(await page.locator('main').innerText()).toContain(core)
        expect(await page.getByRole('heading', { level: 3, name: 'Where charges begin' }).count()).toBe(1)
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])
        if (!javaScript) await shot(page, 'service-admin', 'service-page')

        // The preview shows the page as an academy would see it, without ordering.
        await page.goto('/la/services/educational-psychology')
        await expectH1(page, 'Educational Psychology')
        await page.getByRole('link', { name: 'Preview as an academy' }).click()
        await page.getByText('You are seeing this page as an academy would see it.').waitFor()
        await expectH1(page, 'Educational Psychology')
        expect(await page.getByRole('button', { name: 'Add to basket' }).count()).toBe(0)
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])
        if (!javaScript) await shot(page, 'service-admin', 'preview')
      } finally {
        await context.close()
      }
    })
  }

  it('refuses the music lead Educational Psychology’s page (403) and shows them their own', async () => {
    const { context, page } = await openPage(browser, false)
    try {
      await signIn(page, 'lead.music@coventry.example')
      const refused = await page.goto('/la/services/educational-psychology')
      expect(refused?.status()).toBe(403)
      await expectH1(page, 'You do not have permission to see this page')
      await visit(page, '/la/services', 'Services')
      expect(await page.getByRole('link', { name: 'Educational Psychology' }).count()).toBe(0)
      await page.getByRole('link', { name: 'Coventry Music' }).click()
      await expectH1(page, 'Coventry Music')
    } finally {
      await context.close()
    }
  })
})
