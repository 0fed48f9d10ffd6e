import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pdfText } from '../support/pdf'
import { axeViolationsAsServed, chromiumPath, expectH1, launchBrowser, openPage, signIn, visit } from '../support/browser'

// Schools' invoices, with JavaScript on and off: Foleshill Park Academy's
// business manager opens an invoice from /invoices and downloads its PDF,
// which has the number, the total and the bank details; Elm Bank
// (maintained) sees its recharge invoices with their journal month, and gets
// 404 on Foleshill Park's invoice and its PDF. Nothing is changed.

describe.skipIf(!chromiumPath)('schools’ invoices in a browser', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  for (const javaScript of [true, false]) {
    const mode = `JavaScript ${javaScript ? 'on' : 'off'}`
    let foleshillInvoicePath = ''

    it(`Foleshill Park’s business manager opens an invoice and downloads its PDF (${mode})`, async () => {
      const { context, page } = await openPage(browser, javaScript)
      try {
        await signIn(page, 'buyer@foleshill-park.example')
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Invoices' }).click()
        await page.waitForURL(/\/invoices$/)
        await expectH1(page, 'Invoices and credit notes')
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])

        const link = page.locator('main table a[href^="/invoices/"]').first()
        const number = (await link.textContent())!.trim()
        expect(number).toMatch(/^COV-\d+$/)
        await link.click()
        await page.waitForURL(/\/invoices\/[0-9a-f-]{36}$/)
        await expectH1(page, `Invoice ${number}`)
        foleshillInvoicePath = new URL(page.url()).pathname
        const total = (await page.locator('#totals .govuk-summary-list__row', { hasText: 'Total' }).locator('dd').first().textContent())!.trim()
        expect(total).toMatch(/^£[\d,]+(\.\d\d)?$/)
        expect(await page.locator('#how-to-pay').textContent()).toContain('30-96-34')
        expect(await page.locator('main').textContent()).not.toMatch(/pay online|paid online/i)
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])

        // The PDF, fetched with the page's cookies from its own link.
        const href = await page.getByRole('link', { name: /^Download PDF/ }).getAttribute('href')
        expect(href).toBe(`${foleshillInvoicePath}.pdf`)
        const response = await page.request.get(href!)
        expect(response.status()).toBe(200)
        expect(response.headers()['content-type']).toBe('application/pdf')
        // A plain Uint8Array: unpdf refuses a Node Buffer.
        const text = await pdfText(new Uint8Array(await response.body()))
        expect(text).toContain(number)
        expect(text).toContain(total)
        expect(text).toContain('Sort code: 30-96-34')
        expect(text).toContain('Account number: 41526378')
      } finally {
        await context.close()
      }
    })

    it(`Elm Bank sees its recharge invoices with their journal month, and not Foleshill Park’s (${mode})`, async () => {
      const { context, page } = await openPage(browser, javaScript)
      try {
        await signIn(page, 'buyer@elm-bank.example')
        await visit(page, '/invoices', 'Invoices and credit notes')
        const rows = page.locator('main table tbody tr', { hasText: 'Internal recharge' })
        expect(await rows.count()).toBeGreaterThan(0)
        expect(await rows.first().textContent()).toMatch(/Internal recharge, [A-Z][a-z]+ \d{4} journal/)
        await rows.first().locator('a').click()
        await page.waitForURL(/\/invoices\/[0-9a-f-]{36}$/)
        await expectH1(page, /^Internal recharge COV-\d+$/)
        expect(await page.locator('#how-to-pay').textContent()).toMatch(/Charged by internal recharge in the [A-Z][a-z]+ \d{4} journal/)
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])

        // Foleshill Park's invoice and its PDF: not found, as a missing one.
        expect(foleshillInvoicePath).not.toBe('')
        const other = await page.goto(foleshillInvoicePath)
        expect(other?.status()).toBe(404)
        expect((await page.request.get(`${foleshillInvoicePath}.pdf`)).status()).toBe(404)
        expect((await page.request.get('/invoices/00000000-0000-4000-8000-000000000000.pdf')).status()).toBe(404)
      } finally {
        await context.close()
      }
    })
  }
})
