import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolationsAsServed, chromiumPath, expectH1, launchBrowser, openPage, signIn } from '../support/browser'

// The LA administrator sets a year's term dates, with JavaScript on and off:
// the change is shown, and a start after the end or a term outside the year
// is refused at its field. Only 2028/29 (which the demo leaves without
// terms) is written: the demo's terms price and bill other tests' lines.

const dates = {
  'First day of the summer term': '2028-04-19',
  'Last day of the summer term': '2028-07-21',
  'First day of the autumn term': '2028-09-04',
  'Last day of the autumn term': '2028-12-20',
  'First day of the spring term': '2029-01-08',
  'Last day of the spring term': '2029-03-23',
}

async function fill(page: Page, values: Record<string, string>) {
  for (const [label, value] of Object.entries(values)) await page.getByLabel(label, { exact: true }).fill(value)
}

describe.skipIf(!chromiumPath)('term dates in a browser', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  for (const javaScript of [true, false]) {
    it(`sets and changes 2028/29’s terms, and refuses bad dates with the error (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const { context, page } = await openPage(browser, javaScript)
      try {
        await signIn(page, 'admin@coventry.example')
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Term dates' }).click()
        await expectH1(page, 'Term dates')
        // This year's terms, as seeded.
        const table = page.getByRole('table', { name: 'Terms in 2026/27' })
        await table.waitFor()
        expect(await table.getByRole('row', { name: /Spring term 2027/ }).textContent()).toContain('5 January 2027')
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])

        await page.getByRole('navigation', { name: 'Trading years' }).getByRole('link', { name: '2028/29' }).click()
        await page.getByRole('heading', { level: 2, name: '2028/29', exact: true }).waitFor()
        await fill(page, dates)
        await page.getByRole('button', { name: 'Save term dates' }).click()
        await page.getByRole('heading', { level: 3, name: 'Term dates for 2028/29 saved' }).waitFor()
        const saved = page.getByRole('table', { name: 'Terms in 2028/29' })
        expect(await saved.getByRole('row', { name: /Autumn term 2028/ }).textContent()).toContain('20 December 2028')

        // One date changed: the table shows it.
        await fill(page, { 'Last day of the autumn term': javaScript ? '2028-12-15' : '2028-12-14' })
        await page.getByRole('button', { name: 'Save term dates' }).click()
        const changed = javaScript ? '15 December 2028' : '14 December 2028'
        await saved.getByRole('row', { name: new RegExp(`Autumn term 2028.*${changed}`) }).waitFor()
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])

        // A start after the end, and a term outside the year: refused, each linked to its field; nothing changes.
        await fill(page, {
          'First day of the summer term': '2028-07-30',
          'First day of the spring term': '2029-04-09',
          'Last day of the spring term': '2029-04-20',
        })
        await page.getByRole('button', { name: 'Save term dates' }).click()
        await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
        const summary = page.locator('.govuk-error-summary')
        expect(await summary.getByRole('link').allTextContents()).toEqual([
          'The last day of the summer term must be on or after its first day',
          'Enter the first day of the spring term as a date in 2028/29',
          'Enter the last day of the spring term as a date in 2028/29',
        ])
        expect(await summary.getByRole('link').first().getAttribute('href')).toBe('#summerEndsOn')
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])
        await page.goto('/la/admin/term-dates?year=2028')
        expect(
          await page
            .getByRole('table', { name: 'Terms in 2028/29' })
            .getByRole('row', { name: /Summer term 2028/ })
            .textContent(),
        ).toContain('19 April 2028')
      } finally {
        await context.close()
      }
    })
  }
})
