import { mkdirSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolationsAsServed, chromiumPath, expectH1, launchBrowser, openPage, signIn } from '../support/browser'

// The EP lead adds a per-day offer with two tiers (1 to 4 days £600, 5 days
// or more £560), the second tier added with "Add another tier" (a form post,
// so it works without JavaScript); Elm Bank's business manager then sees it
// with its price on the service page. Each run makes its own offer, named
// for the run, and retires it at the end so that the demo's EP page is as
// other tests expect it.

const run = Math.random().toString(36).slice(2, 7)

async function fillTier(page: Page, n: number, from: string, to: string, price: string) {
  await page.getByLabel(`Tier ${n} From`, { exact: true }).fill(from)
  await page.getByLabel(`Tier ${n} To (blank: no limit)`, { exact: true }).fill(to)
  await page.getByLabel(`Tier ${n} Price each`, { exact: true }).fill(price)
}

describe.skipIf(!chromiumPath)('the offer editor in a browser', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  for (const javaScript of [true, false]) {
    it(`the EP lead adds a per-day offer with two tiers; Elm Bank sees it with its price (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const name = `Extra EP days ${run} (JavaScript ${javaScript ? 'on' : 'off'})`
      const lead = await openPage(browser, javaScript)
      const buyer = await openPage(browser, javaScript)
      try {
        const page = lead.page
        await signIn(page, 'lead.ep@coventry.example')
        expect((await page.goto('/la/services/educational-psychology/offers/new'))?.status()).toBe(200)
        await expectH1(page, 'Add an offer')
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])

        // Saving with nothing filled in: the errors, each linked to its field.
        await page.getByRole('button', { name: 'Save offer' }).click()
        await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
        expect(await page.locator('.govuk-error-summary').getByRole('link', { name: 'Enter the offer name' }).getAttribute('href')).toBe('#name')
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])

        await page.getByLabel('Offer name').fill(name)
        await page.getByLabel('Description').fill('More days of an educational psychologist, on top of the annual allocation.')
        await page.getByRole('group', { name: 'Pricing model' }).getByLabel('Price per unit').check()
        await page.getByLabel('Unit name, for one').fill('day')
        await page.getByLabel('Unit name, for more than one').fill('days')
        await page.getByLabel('Team hours per unit').fill('6.5')
        await page.getByLabel('Exempt').check()
        await page.getByLabel('Monthly in arrears, for what was delivered').check()
        await page.getByLabel('May be bought more than once a year').check()
        await fillTier(page, 1, '1', '4', '600')
        await page.getByRole('button', { name: 'Add another tier' }).click()
        await page.getByLabel('Tier 2 From', { exact: true }).waitFor()
        // The values typed before the row was added are still there.
        expect(await page.getByLabel('Tier 1 Price each', { exact: true }).inputValue()).toBe('600')
        expect(await page.getByLabel('Offer name').inputValue()).toBe(name)
        await fillTier(page, 2, '5', '', '560')
        if (!javaScript) {
          mkdirSync('docs/screenshots', { recursive: true })
          await page.screenshot({ path: 'docs/screenshots/offer-editor.png', fullPage: true })
        }
        await page.getByRole('button', { name: 'Save offer' }).click()
        await page.getByRole('heading', { level: 3, name: 'Offer saved' }).waitFor()
        await expectH1(page, name)
        // Without ?saved=1, so that the next "Offer saved" is the next save's.
        const offerUrl = page.url().replace('&saved=1', '')
        expect(await page.getByLabel('Tier 2 Price each', { exact: true }).inputValue()).toBe('560')
        expect(await page.getByLabel('On sale').isChecked()).toBe(true)
        // The preview, as a maintained school and an academy see the price.
        expect(await page.locator('.govuk-summary-list__row', { hasText: 'Maintained schools' }).textContent()).toContain(
          '£600 a day for 1 to 4 days, £560 a day for 5 or more',
        )
        // The cost-recovery check: the lowest price per team hour (£560 / 6.5 hours) against the team's cost per chargeable hour.
        await page.getByRole('heading', { name: 'Cost recovery' }).waitFor()
        expect(await page.locator('.app-cost-recovery, .govuk-warning-text').first().textContent()).toMatch(/£86\.15 an hour against £[\d,.]+/)
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])

        // Elm Bank's business manager sees it, with its price for a maintained school.
        await signIn(buyer.page, 'buyer@elm-bank.example')
        expect((await buyer.page.goto('/services/educational-psychology'))?.status()).toBe(200)
        const offer = buyer.page.getByRole('region', { name })
        await offer.waitFor()
        expect(await offer.textContent()).toContain('£600 a day for 1 to 4 days, £560 a day for 5 or more')

        // Retired: off sale at once (and the demo's EP page is as it was).
        await page.goto(offerUrl)
        await expectH1(page, name)
        await page.getByLabel('Retired').check()
        await page.getByRole('button', { name: 'Save offer' }).click()
        await page.getByRole('heading', { level: 3, name: 'Offer saved' }).waitFor()
        expect(await page.getByLabel('Retired').isChecked()).toBe(true)
        await buyer.page.goto('/services/educational-psychology')
        await expectH1(buyer.page, /Educational Psychology/)
        expect(await buyer.page.getByRole('region', { name }).count()).toBe(0)
      } finally {
        await lead.context.close()
        await buyer.context.close()
      }
    })
  }

  it('the music lead is refused the EP offer editor (403)', async () => {
    const { context, page } = await openPage(browser, false)
    try {
      await signIn(page, 'lead.music@coventry.example')
      expect((await page.goto('/la/services/educational-psychology/offers/new'))?.status()).toBe(403)
    } finally {
      await context.close()
    }
  })
})
