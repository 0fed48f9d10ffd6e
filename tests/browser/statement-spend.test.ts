import { mkdirSync, writeFileSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolationsAsServed, chromiumPath, expectH1, launchBrowser, openPage, shot, signIn, visit } from '../support/browser'
import { pdfText } from '../support/pdf'

// Foleshill Park Academy's business manager reads the school's statement of
// account, downloads it as a PDF (its text holds the closing balance shown on
// the page) and opens the spend page, with JavaScript on and off. Read only.

describe.skipIf(!chromiumPath)('statement and spend in a browser', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  for (const javaScript of [true, false]) {
    it(`Foleshill Park reads its statement, downloads it, and opens its spend (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const { context, page } = await openPage(browser, javaScript)
      try {
        await signIn(page, 'buyer@foleshill-park.example')
        await visit(page, '/statement', 'Statement of account')
        const closing = (await page.getByTestId('closing-balance').textContent())!.trim()
        expect(closing).toMatch(/^£/)
        const transactions = page.getByRole('table', { name: 'Transactions in date order with the balance after each' })
        expect(await transactions.getByRole('row').count()).toBeGreaterThan(2)
        expect(await page.getByRole('link', { name: /^COV-/ }).first().getAttribute('href')).toMatch(/^\/invoices\//)
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])
        if (javaScript) await shot(page, 'statement', 'page')

        const href = await page.getByRole('link', { name: 'Download statement' }).getAttribute('href')
        const pdf = await page.request.get(href!)
        expect(pdf.status()).toBe(200)
        expect(pdf.headers()['content-type']).toBe('application/pdf')
        const bytes = await pdf.body()
        const text = await pdfText(new Uint8Array(bytes))
        expect(text).toContain('Foleshill Park Academy')
        expect(text).toContain(`Closing balance ${closing}`)
        if (javaScript) {
          mkdirSync('test-results', { recursive: true })
          writeFileSync('test-results/statement.pdf', bytes)
        }

        // Another year.
        await page.getByLabel('Trading year').selectOption('2025/26')
        await page.getByRole('button', { name: 'Show statement' }).click()
        await page.getByText('(2025/26)').waitFor()

        await page.getByRole('link', { name: 'Your spend by service and month' }).click()
        await expectH1(page, 'Your spend')
        await page.getByRole('table', { name: '2026/27 by service, including VAT' }).waitFor()
        await page.getByRole('img', { name: 'Invoiced each month, 2026/27 and 2025/26' }).waitFor()
        expect(await page.getByRole('table', { name: 'Invoiced and paid each month, including VAT' }).getByRole('row').count()).toBe(13)
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])
        if (javaScript) await page.screenshot({ path: 'test-results/screenshots/spend-full.png', fullPage: true })
        const csv = await page.request.get('/spend.csv')
        expect(csv.status()).toBe(200)
        expect((await csv.text()).split('\r\n')[0]).toContain('Date,Trading year,Document')
      } finally {
        await context.close()
      }
    })
  }

  it('is not for council staff', async () => {
    const { context, page } = await openPage(browser, true)
    try {
      await signIn(page, 'finance@coventry.example')
      expect((await page.goto('/statement'))?.status()).toBe(403)
      expect((await page.request.get('/spend.csv')).status()).toBe(403)
    } finally {
      await context.close()
    }
  })
})
