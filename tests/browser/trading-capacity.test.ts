import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolationsAsServed as axeViolationsOf, chromiumPath, expectH1, launchBrowser, newContext, signIn } from '../support/browser'

// /la/trading and /la/capacity as the EP lead and as the LA
// administrator, with JavaScript on and off: the figures, the chart and its
// table, the scenario form, the CSV, the renewal email, and 0 axe violations.

/** The text of the row of a table (named by its caption) whose row header starts with `rowName`. */
const rowText = async (page: Page, tableCaption: RegExp, rowName: string) =>
  page
    .getByRole('table', { name: tableCaption })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${rowName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }) })
    .innerText()

describe.skipIf(!chromiumPath)('trading and capacity in a browser', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  for (const javaScript of [true, false]) {
    it(`the EP lead sees Educational Psychology’s trading, and not Coventry Music’s (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const context = await newContext(browser, { javaScript })
      const page = await context.newPage()
      await signIn(page, 'lead.ep@coventry.example')
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Trading' }).click()
      await page.waitForURL(/\/la\/trading$/)
      await expectH1(page, 'Trading income against targets')
      expect(await page.title()).toBe('Trading income 2026/27 – Coventry City Council – Buyback')
      const main = await page.locator('main').innerText()
      expect(main).toContain('Educational Psychology')
      expect(main).not.toContain('Coventry Music')
      expect(main).not.toContain('Outdoor Education')
      expect(await page.getByLabel('Service', { exact: true }).locator('option').allTextContents()).toEqual([
        'All your services',
        'Educational Psychology',
      ])

      // The chart is one image with a name and description, and its figures are in a table.
      const chart = page.getByRole('img', { name: 'Your services: income booked, month by month, 2026/27, against the target' })
      expect(await chart.count()).toBe(1)
      expect(await chart.locator('desc').textContent()).toMatch(/against a target of £650,000/)
      expect(await rowText(page, /Income booked by the end of each month/, 'April 2026')).toMatch(/£[\d,.]+\s+£[\d,.]+\s+£650,000/)
      expect(await rowText(page, /Income booked by the end of each month/, 'March 2027')).toMatch(/Not yet/)
      expect(await rowText(page, /Income by service, 2026\/27/, 'Educational Psychology')).toContain('£650,000')
      expect(await page.getByRole('table', { name: /Buy-back by phase/ }).count()).toBe(1)
      expect(await page.getByRole('table', { name: /lapsed schools and services/ }).count()).toBe(1)
      expect(await axeViolationsOf(browser, page, javaScript)).toEqual([])

      // Last year, chosen with the form (a GET that works without JavaScript).
      await page.getByLabel('Trading year').selectOption('2025')
      await page.getByRole('button', { name: 'Show figures' }).click()
      await page.waitForURL(/year=2025/)
      await page.getByText('Trading, 2025/26').waitFor()
      expect(await rowText(page, /Income by service, 2025\/26/, 'Educational Psychology')).toContain('£620,000')

      // Coventry Music's figures are not the EP lead's to see.
      const refused = await page.goto('/la/trading?service=coventry-music')
      expect(refused?.status()).toBe(403)
      expect(await page.locator('body').innerText()).not.toMatch(/£\d/)
      expect((await page.goto('/la/capacity?team=coventry-music'))?.status()).toBe(403)
      expect((await page.goto('/la/trading.csv?service=coventry-music'))?.status()).toBe(403)
      await context.close()
    })

    it(`the EP lead’s capacity page recommends expanding, and a scenario shows beside it (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const context = await newContext(browser, { javaScript })
      const page = await context.newPage()
      await signIn(page, 'lead.ep@coventry.example')
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Capacity' }).click()
      await page.waitForURL(/\/la\/capacity$/)
      await expectH1(page, 'Team capacity')
      expect(await page.getByLabel('Team', { exact: true }).locator('option').allTextContents()).toEqual(['All your teams', 'Educational Psychology'])
      const recommendation = await rowText(page, /Each team’s recommendation/, 'Educational Psychology')
      expect(recommendation).toMatch(/Expand\s+Expand by 0\.\d FTE/)
      const figures = page.getByRole('table', { name: 'Educational Psychology: the capacity model, 2026/27' })
      expect(await figures.getByRole('row', { name: /Waiting list/ }).innerText()).toMatch(/Waiting list \(unmet demand\)\s+[1-9][\d,.]* hours/)
      expect(await page.locator('main').innerText()).not.toContain('Coventry Music')
      expect(await axeViolationsOf(browser, page, javaScript)).toEqual([])

      // Bad scenario input: a GOV.UK error summary linking to each field, and the actuals still shown.
      await page.getByLabel('Buy-back rate').fill('lots')
      await page.getByLabel('Price change').fill('250')
      await page.getByRole('button', { name: 'Show figures' }).click()
      await page.waitForURL(/buyBack=lots/)
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
      expect(await page.locator('.govuk-error-summary').getByRole('link').allTextContents()).toEqual([
        'Enter the buy-back rate as a number from 0 to 100, like 85',
        'Enter the price change as a whole number of per cent from -50 to 100, like 5 or -10',
      ])
      expect(await page.title()).toMatch(/^Error: /)
      expect(await page.getByLabel('Buy-back rate').inputValue()).toBe('lots')
      expect(await figures.count()).toBe(1)
      expect(await axeViolationsOf(browser, page, javaScript)).toEqual([])

      await page.getByLabel('Buy-back rate').fill('100')
      await page.getByLabel('Price change').fill('10')
      await page.getByRole('button', { name: 'Show figures' }).click()
      await page.waitForURL(/buyBack=100&priceChange=10/)
      await page.getByRole('columnheader', { name: 'With buy-back at 100%, prices up 10%' }).waitFor()
      const income = await figures.getByRole('row', { name: /Income booked/ }).innerText()
      const [now, projected] = [...income.matchAll(/£([\d,.]+)/g)].map((m) => Number(m[1]!.replace(/,/g, '')))
      expect(projected).toBeGreaterThan(now! * 1.1)
      expect(await figures.getByRole('row', { name: /Recommendation/ }).innerText()).toMatch(/Expand/)
      expect(await axeViolationsOf(browser, page, javaScript)).toEqual([])
      await page.getByRole('link', { name: 'Clear the scenario' }).click()
      await page.waitForURL((url) => !url.search.includes('buyBack'))
      // With JavaScript the address changes before the page re-renders: wait for the scenario column to go.
      await page.getByRole('columnheader', { name: /With buy-back/ }).waitFor({ state: 'detached', timeout: 10_000 })
      expect(await page.getByRole('columnheader', { name: /With buy-back/ }).count()).toBe(0)
      await context.close()
    })
  }

  it('the LA administrator sees every service against the authority’s target, and every team', async () => {
    const context = await newContext(browser, { javaScript: true })
    const page = await context.newPage()
    await signIn(page, 'admin@coventry.example')
    await page.goto('/la/trading?year=2026')
    await expectH1(page, 'Trading income against targets')
    const total = await rowText(page, /Income by service, 2026\/27/, 'Coventry City Council total')
    expect(total).toMatch(/£4,158,000/)
    expect(await rowText(page, /Income by service, 2026\/27/, 'Coventry Music')).toMatch(/£/)
    expect(await page.getByRole('img', { name: /Coventry City Council, all services: income booked/ }).count()).toBe(1)
    expect(
      await page
        .getByRole('table', { name: /schools that have booked the most/ })
        .getByRole('row')
        .count(),
    ).toBe(11)
    expect(await axeViolationsOf(browser, page, true)).toEqual([])

    // The CSV, as an attachment, with the same figures.
    const csv = await page.request.get('/la/trading.csv?year=2026')
    expect(csv.status()).toBe(200)
    expect(csv.headers()['content-disposition']).toBe('attachment; filename="trading-2026-27.csv"')
    const text = await csv.text()
    expect(text.split('\r\n')[0]).toContain('Trading year,Service,Income code,Team,Target (£),Booked (£)')
    expect(text).toContain('Total,,,4158000.00,')

    await page.goto('/la/capacity?year=2026')
    await expectH1(page, 'Team capacity')
    const rows = page.getByRole('table', { name: /Each team’s recommendation/ }).locator('tbody tr')
    expect(await rows.count()).toBe(11)
    expect(await rowText(page, /Each team’s recommendation/, 'Outdoor Education')).toMatch(/Reduce\s+Reduce by \d+\.\d FTE/)
    expect(await rowText(page, /Each team’s recommendation/, 'Educational Psychology')).toMatch(/Expand/)
    expect(await rowText(page, /Each team’s recommendation/, 'Coventry Music')).toMatch(/Hold/)
    expect(await axeViolationsOf(browser, page, true)).toEqual([])
    const capCsv = await page.request.get('/la/capacity.csv?year=2026')
    expect(capCsv.headers()['content-type']).toBe('text/csv; charset=utf-8')
    expect(await capCsv.text()).toContain('"Social, Emotional and Mental Health (including KEYs)"')
    await context.close()
  })

  it('the EP lead emails a lapsed school about renewing without JavaScript, and the row then says when', async () => {
    const context = await newContext(browser, { javaScript: false })
    const page = await context.newPage()
    await signIn(page, 'lead.ep@coventry.example')
    await page.goto('/la/trading?year=2026')
    const table = page.getByRole('table', { name: /lapsed schools and services/ })
    const button = table.getByRole('button', { name: /^Email about renewing/ }).first()
    const label = (await button.innerText()).replace(/\s+/g, ' ')
    const school = /: (.+), Educational Psychology$/.exec(label)?.[1]
    expect(school).toBeTruthy()
    await button.click()
    await page.waitForURL(/emailed=/)
    const banner = page.locator('.govuk-notification-banner')
    expect(await banner.getByRole('heading', { level: 3 }).textContent()).toBe(`Email to ${school} queued`)
    const row = table.getByRole('row').filter({ hasText: school! })
    expect(await row.innerText()).toMatch(/Emailed on \d+ \w+ 2026/)
    expect(await row.getByRole('button').count()).toBe(0)
    expect(await axeViolationsOf(browser, page, false)).toEqual([])
    await context.close()
  })
})
