import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, axeViolationsAsServed, chromiumPath, expectH1, launchBrowser, openPage, shot, signIn } from '../support/browser'

// govuk-frontend's and MOJ Frontend's scripts as people meet them
// (docs/decisions/0029): started on the first page and again after a client
// navigation, the header's menu folding on a phone, a sortable table, and the
// basket's quantity and remove acting in place; each page without JavaScript
// as well, and with no console error anywhere.

const PHONE = { width: 390, height: 844 }
const OFFER = 'Educational psychologist days'
/** Each test visits several pages and runs axe several times: more than the default minute on a busy machine. */
const SLOW = 180_000

/** Console errors and uncaught exceptions in the page, for the test to say there were none. */
function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (message) => {
    // Chromium logs a 400 (a value the server refused, shown beside its field) as a failed resource: that is the answer, not an error.
    if (message.type() === 'error' && !/status of 400 \(Bad Request\)/.test(message.text())) errors.push(message.text())
  })
  page.on('pageerror', (error) => errors.push(error.message))
  return errors
}

/** Counts the page's document requests (a full page load or a plain form post) from now on. */
function countDocumentRequests(page: Page): { count: number } {
  const counter = { count: 0 }
  page.on('request', (request) => {
    if (request.resourceType() === 'document' && request.frame() === page.mainFrame()) counter.count += 1
  })
  return counter
}

/** The sort values of a column of the table's body, top to bottom. */
async function columnValues(page: Page, table: string, column: number): Promise<number[]> {
  return page
    .locator(`${table} tbody tr`)
    .evaluateAll((rows, i) => rows.map((row) => Number(row.querySelectorAll('th, td')[i]?.getAttribute('data-sort-value'))), column)
}

const basketCard = (page: Page) => page.locator('.govuk-summary-card', { has: page.getByRole('heading', { name: new RegExp(OFFER) }) })
const basketTotal = (page: Page) => page.locator('h2:text-is("Total") + dl .govuk-summary-list__row', { hasText: 'Total' }).locator('dd').first()

describe.skipIf(!chromiumPath)('govuk-frontend and MOJ Frontend scripts in a browser', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it(
    'JavaScript on: the scripts start on the first page and again after a client navigation; aged debt sorts by a column on click',
    async () => {
      const { context, page } = await openPage(browser, true)
      const errors = watchErrors(page)
      await signIn(page, 'finance@coventry.example')
      await page.goto('/finance/invoices')
      await expectH1(page, 'Invoices')
      expect(await page.locator('body').getAttribute('class')).toContain('govuk-frontend-supported')
      await page.locator('[data-module="govuk-service-navigation"][data-govuk-service-navigation-init]').waitFor({ state: 'attached' })
      await page.locator('main button.govuk-button[data-govuk-button-init]').first().waitFor({ state: 'attached' })
      await page.locator('table[data-moj-sortable-table-init]').waitFor({ state: 'attached' })
      expect(await axeViolations(page)).toEqual([])

      // A client navigation (no new document) to another finance page: its table is started too.
      const documents = countDocumentRequests(page)
      await page.getByRole('navigation', { name: 'Finance' }).getByRole('link', { name: 'Aged debt' }).click()
      await page.waitForURL(/\/finance\/aged-debt$/)
      await expectH1(page, /Aged debt/)
      await page.locator('table[data-moj-sortable-table-init]').waitFor({ state: 'attached' })
      expect(documents.count).toBe(0)
      expect(await page.getByRole('navigation', { name: 'Finance' }).getByRole('link', { name: 'Aged debt' }).getAttribute('aria-current')).toBe(
        'page',
      )

      const table = 'main table'
      const totalColumn = (await page.locator(`${table} thead th`).count()) - 1
      const before = await columnValues(page, table, totalColumn)
      expect(before.length).toBeGreaterThan(1)
      const sortByTotal = page.locator(table).getByRole('button', { name: 'Total' })
      await sortByTotal.click()
      expect(await page.locator(`${table} thead th`).nth(totalColumn).getAttribute('aria-sort')).toBe('ascending')
      expect(await columnValues(page, table, totalColumn)).toEqual([...before].sort((a, b) => a - b))
      await sortByTotal.click()
      expect(await page.locator(`${table} thead th`).nth(totalColumn).getAttribute('aria-sort')).toBe('descending')
      expect(await columnValues(page, table, totalColumn)).toEqual([...before].sort((a, b) => b - a))
      expect(await page.getByRole('status').filter({ hasText: 'Sort by Total (descending)' }).count()).toBe(1)
      await shot(page, 'frontend-js', 'aged-debt-sorted')
      expect(await axeViolations(page)).toEqual([])

      await page.setViewportSize(PHONE)
      expect(await axeViolations(page)).toEqual([])
      expect(documents.count).toBe(0)
      expect(errors).toEqual([])
      await context.close()
    },
    SLOW,
  )

  it(
    'JavaScript off: aged debt is in the server’s order, with plain headings and the finance navigation',
    async () => {
      const { context, page } = await openPage(browser, false)
      await signIn(page, 'finance@coventry.example')
      await page.goto('/finance/aged-debt')
      await expectH1(page, /Aged debt/)
      expect(await page.locator('main table thead button').count()).toBe(0)
      const table = 'main table'
      const totalColumn = (await page.locator(`${table} thead th`).count()) - 1
      expect((await columnValues(page, table, totalColumn)).length).toBeGreaterThan(1)
      expect(await page.getByRole('navigation', { name: 'Finance' }).getByRole('link', { name: 'Aged debt' }).getAttribute('aria-current')).toBe(
        'page',
      )
      expect(await axeViolationsAsServed(browser, page, false)).toEqual([])
      await context.close()
    },
    SLOW,
  )

  it(
    'on a 390 px phone the header’s links fold behind "Menu" with JavaScript, and stay in view without it',
    async () => {
      for (const javaScript of [true, false]) {
        const { context, page } = await openPage(browser, javaScript)
        const errors = watchErrors(page)
        await page.setViewportSize(PHONE)
        await signIn(page, 'admin@coventry.example')
        await page.goto('/la/admin/users')
        await expectH1(page, 'Users')
        const nav = page.getByRole('navigation', { name: 'Main' })
        const schools = nav.getByRole('link', { name: 'Schools' })
        expect(await page.getByTestId('signed-in-as').textContent()).toContain('Signed in as')
        if (javaScript) {
          const menu = nav.getByRole('button', { name: 'Menu' })
          await menu.waitFor()
          expect(await menu.getAttribute('aria-expanded')).toBe('false')
          expect(await schools.isVisible()).toBe(false)
          expect(await axeViolations(page)).toEqual([])
          await menu.click()
          expect(await menu.getAttribute('aria-expanded')).toBe('true')
          await schools.waitFor()
          await shot(page, 'frontend-js', 'phone-menu-open')
          expect(await nav.getByRole('button', { name: /^Sign out/ }).isVisible()).toBe(true)
          expect(await axeViolations(page)).toEqual([])
          // Still started after a client navigation: the menu still opens and closes.
          await schools.click()
          await page.waitForURL(/\/la\/admin\/schools$/)
          await expectH1(page, 'Schools')
          await page.locator('table[data-moj-sortable-table-init]').waitFor({ state: 'attached' })
          await menu.click()
          await menu.click()
          expect(await menu.getAttribute('aria-expanded')).toBe('true')
          await page.setViewportSize({ width: 1280, height: 800 })
          // Wide enough: the list shows and the button goes.
          await expect.poll(() => menu.isVisible()).toBe(false)
          expect(await schools.isVisible()).toBe(true)
          expect(errors).toEqual([])
        } else {
          expect(await nav.getByRole('button', { name: 'Menu' }).isVisible()).toBe(false)
          expect(await schools.isVisible()).toBe(true)
          expect(await axeViolationsAsServed(browser, page, false)).toEqual([])
        }
        await context.close()
      }
    },
    SLOW,
  )

  it(
    'the basket: with JavaScript a quantity changes and a line goes in place (no page load); without it the same form posts',
    async () => {
      const { context, page } = await openPage(browser, true)
      const errors = watchErrors(page)
      await signIn(page, 'buyer@foleshill-park.example')
      await page.goto('/services/educational-psychology')
      const offer = page.locator('section', { has: page.getByRole('heading', { name: OFFER, exact: true }) })
      await offer.getByLabel('Quantity').fill('1')
      await offer.getByRole('button', { name: /^Add to basket/ }).click()
      await page.waitForURL(/\/basket\?added=/)
      await expectH1(page, 'Your basket')
      const card = basketCard(page)
      await card.getByText('Now 1 day').waitFor()
      const totalBefore = await basketTotal(page).textContent()
      const address = page.url()

      const documents = countDocumentRequests(page)
      await card.getByLabel('Quantity').fill('2')
      await card.getByRole('button', { name: /^Update/ }).click()
      await card.getByText('Now 2 days').waitFor()
      await expect.poll(() => basketTotal(page).textContent()).not.toBe(totalBefore)
      expect(
        await page
          .getByRole('status')
          .filter({ hasText: `Quantity of ${OFFER} updated` })
          .count(),
      ).toBe(1)
      expect(page.url()).toBe(address)
      expect(documents.count).toBe(0)

      // A quantity the server refuses: the message beside the field, still in place.
      await card.getByLabel('Quantity').fill('0')
      await card.getByRole('button', { name: /^Update/ }).click()
      await card.locator('.govuk-error-message').waitFor()
      expect(documents.count).toBe(0)
      expect(await axeViolations(page)).toEqual([])
      await page.setViewportSize(PHONE)
      expect(await axeViolations(page)).toEqual([])
      await page.setViewportSize({ width: 1280, height: 800 })
      expect(errors).toEqual([])

      // Without JavaScript the same form posts, and the server redirects back to the basket.
      const plain = await openPage(browser, false)
      await signIn(plain.page, 'buyer@foleshill-park.example')
      await plain.page.goto('/basket')
      await expectH1(plain.page, 'Your basket')
      const plainDocuments = countDocumentRequests(plain.page)
      const plainCard = basketCard(plain.page)
      await plainCard.getByLabel('Quantity').fill('3')
      await plainCard.getByRole('button', { name: /^Update/ }).click()
      await expectH1(plain.page, 'Your basket')
      await plainCard.getByText('Now 3 days').waitFor()
      expect(plainDocuments.count).toBeGreaterThanOrEqual(1)
      expect(await axeViolationsAsServed(browser, plain.page, false)).toEqual([])
      await plain.context.close()

      // Back with JavaScript: the line is removed in place, the status message says so.
      await page.reload()
      await expectH1(page, 'Your basket')
      await card.getByText('Now 3 days').waitFor()
      const reloaded = countDocumentRequests(page)
      await card.getByRole('button', { name: /^Remove/ }).click()
      await page
        .getByRole('status')
        .filter({ hasText: `${OFFER} removed from your basket` })
        .waitFor()
      await expect.poll(() => card.count()).toBe(0)
      expect(reloaded.count).toBe(0)
      expect(errors).toEqual([])
      await context.close()
    },
    SLOW,
  )

  it(
    'the offer editor adds and removes tier rows in the browser, without a round trip, focus following',
    async () => {
      const { context, page } = await openPage(browser, true)
      const errors = watchErrors(page)
      await signIn(page, 'lead.ep@coventry.example')
      await page.goto('/la/services/educational-psychology/offers/new')
      await expectH1(page, 'Add an offer')
      await page.locator('button.govuk-button[data-govuk-button-init]').first().waitFor({ state: 'attached' })
      const documents = countDocumentRequests(page)
      await page.getByLabel('Tier 1 From', { exact: true }).fill('1')
      await page.getByRole('button', { name: 'Add another tier' }).click()
      await page.getByLabel('Tier 2 From', { exact: true }).waitFor()
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('tiers-1-from')
      await page.getByRole('button', { name: 'Add another tier' }).click()
      await page.getByLabel('Tier 3 From', { exact: true }).fill('9')
      await page.getByRole('button', { name: 'Remove tier 2' }).click()
      // The rows left are numbered as shown; what was typed stays with its row.
      expect(await page.getByLabel('Tier 3 From', { exact: true }).count()).toBe(0)
      expect(await page.getByLabel('Tier 1 From', { exact: true }).inputValue()).toBe('1')
      expect(await page.getByLabel('Tier 2 From', { exact: true }).inputValue()).toBe('9')
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Add another tier')
      expect(documents.count).toBe(0)
      expect(await axeViolations(page)).toEqual([])
      expect(errors).toEqual([])
      await context.close()
    },
    SLOW,
  )

  it(
    'an order’s history is MOJ’s timeline, with 0 axe violations at 1280 and 390 px',
    async () => {
      const { context, page } = await openPage(browser, true)
      await signIn(page, 'buyer@elm-bank.example')
      await page.goto('/orders')
      await expectH1(page, /orders$/i)
      await page.locator('main table tbody a[href^="/orders/"]').first().click()
      await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/)
      await expectH1(page, /^Order /)
      expect(await page.locator('ol.moj-timeline > li.moj-timeline__item').count()).toBeGreaterThan(0)
      expect(
        await page
          .locator('.moj-timeline__title')
          .first()
          .evaluate((h) => h.tagName),
      ).toBe('H3')
      await page.locator('.moj-timeline').scrollIntoViewIfNeeded()
      await shot(page, 'frontend-js', 'order-timeline')
      expect(await axeViolations(page)).toEqual([])
      await page.setViewportSize(PHONE)
      expect(await axeViolations(page)).toEqual([])
      await context.close()
    },
    SLOW,
  )
})
