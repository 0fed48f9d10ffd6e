import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed/factories'
import { axeViolationsAsServed, baseUrl, chromiumPath, expectH1, launchBrowser, newContext } from '../support/browser'

// Publishing next year's prices, in a real browser (docs/decisions/0021).
// The demo leaves the EP "Single half-day visit" 2027/28 prices as a draft.
// Without JavaScript the EP lead first publishes them from a later day
// (1 March 2027; a date before today is refused at its field): Elm Bank's
// business manager does not see them yet. With JavaScript the lead publishes
// them from today, and Elm Bank then sees "From 1 April 2027" beside this
// year's price. The two run in that order: only the half-day's 2027/28
// prices are changed, which no other test reads.

const PRICES = '/la/services/educational-psychology/prices'
const SERVICE = '/services/educational-psychology'

async function signIn(context: BrowserContext, email: string, redirectTo: string): Promise<Page> {
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  await page.goto(`/login?${new URLSearchParams({ redirectTo })}`)
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(`${baseUrl}${redirectTo}`)
  return page
}

const halfDayRow = (page: Page) => page.locator('tbody tr', { hasText: 'Single half-day visit' })
const offerSection = (page: Page, name: string) => page.locator('section', { has: page.getByRole('heading', { name, exact: true }) })

describe.skipIf(!chromiumPath)('publishing next year’s prices in a browser', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  for (const javaScript of [false, true]) {
    const publishFrom = javaScript ? null : '2027-03-01'
    it(`the EP lead publishes 2027/28 prices ${publishFrom ? 'from 1 March 2027' : 'from today'}; Elm Bank ${publishFrom ? 'does not see them yet' : 'then sees them'} (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const leadContext = await newContext(browser, { javaScript })
      const page = await signIn(leadContext, 'lead.ep@coventry.example', PRICES)
      await expectH1(page, 'Prices and publishing')
      const row = halfDayRow(page)
      await row.waitFor()
      expect(await row.innerText()).toContain('£295 a half-day')
      expect(await row.innerText()).toContain('£304 a half-day')
      expect(await row.innerText()).toMatch(publishFrom ? /Draft/ : /Schools see these from 1 March 2027/)
      expect(await row.innerText()).toContain('Covers cost: at least £90.77 an hour against £76')
      expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])

      if (publishFrom) {
        // A day already past is refused at its field, and nothing is published.
        await page.getByLabel('Publish from').fill('2026-11-01')
        await page.getByRole('button', { name: 'Publish prices' }).click()
        await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
        expect(await page.locator('.govuk-error-summary').getByRole('link').allTextContents()).toEqual([
          'The publish from date must be today or later, and before 1 April 2027',
        ])
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])
        await page.getByLabel('Publish from').fill(publishFrom)
      } else {
        // The date offered is today.
        expect(await page.getByLabel('Publish from').inputValue()).toBe('2026-11-22')
      }
      await page.getByRole('button', { name: 'Publish prices' }).click()
      await page.getByRole('heading', { name: '2027/28 prices published' }).waitFor()
      expect(await page.locator('.govuk-notification-banner').innerText()).toContain(
        `1 offer’s prices for 2027/28 reach schools from ${publishFrom ? '1 March 2027' : '22 November 2026'}`,
      )
      expect(await halfDayRow(page).innerText()).toMatch(
        publishFrom ? /Schools see these from 1 March 2027/ : /On sale from 22 November 2026 by Dr Miriam Achebe/,
      )
      expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])
      await leadContext.close()

      const schoolContext = await newContext(browser, { javaScript })
      const school = await signIn(schoolContext, 'buyer@elm-bank.example', SERVICE)
      await expectH1(school, 'Educational Psychology')
      const halfDay = offerSection(school, 'Single half-day visit')
      await halfDay.waitFor()
      const text = await halfDay.innerText()
      expect(text).toContain('£295 a half-day')
      if (publishFrom) expect(text).not.toMatch(/from 1 April 2027/i)
      else expect(text).toContain('From 1 April 2027: £304 a half-day')
      // EP days' 2027/28 prices were published when renewals opened.
      expect(await offerSection(school, 'Educational psychologist days').innerText()).toContain(
        'From 1 April 2027: £567 a day for 1 to 9 days, £515 a day for 10 or more',
      )
      expect(await axeViolationsAsServed(browser, school, javaScript)).toEqual([])
      await schoolContext.close()
    })
  }
})
