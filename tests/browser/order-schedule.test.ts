import { mkdirSync, writeFileSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { idFor } from '../../db/seed/random'
import { axeViolationsAsServed, chromiumPath, expectH1, launchBrowser, openPage, signIn } from '../support/browser'
import { pdfText } from '../support/pdf'

// Elm Bank's business manager opens the school's 2026/27 order and sees each
// delivery recorded against its lines and the terms version accepted; opens
// the order schedule and downloads its PDF, which names the terms version
// too. JavaScript on and off. Nothing is changed: the demo's order is read.
const ELM_BANK_ORDER = idFor('coventry/order/2026/elm-bank/annual')

describe.skipIf(!chromiumPath)('the order schedule in a browser', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  for (const javaScript of [true, false]) {
    it(`shows delivery records, the terms accepted, the schedule and its PDF (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const { context, page } = await openPage(browser, javaScript)
      try {
        mkdirSync('test-results/screenshots', { recursive: true })
        await signIn(page, 'buyer@elm-bank.example')
        await page.goto(`/orders/${ELM_BANK_ORDER}`)
        await expectH1(page, /^Order ORD-/)
        const reference = (await page.getByRole('heading', { level: 1 }).textContent())!.replace('Order ', '').trim()

        // Each delivery of the EP days: date, practitioner, what was delivered; not only "4 of 10 days used".
        await page.getByRole('heading', { level: 2, name: 'Delivery records' }).waitFor()
        const ep = page.getByRole('table', { name: /^Educational Psychology:/ })
        const rows = ep.locator('tbody tr')
        expect(await rows.count()).toBeGreaterThan(0)
        expect(await ep.locator('thead').textContent()).toMatch(/Date.*Practitioner.*Delivered.*Note/)
        expect(await rows.first().locator('td').nth(2).textContent()).toMatch(/\d+(\.\d+)? days?/)

        // The terms accepted: who, when, and the version of each service's terms, with its text.
        const terms = page.getByRole('region', { name: 'Terms accepted' })
        expect(await terms.textContent()).toMatch(/Educational Psychology\s*Terms version 1, of /)
        expect(await terms.textContent()).toContain('when ordering')
        await terms.getByText('Terms of Educational Psychology, version 1').click()
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])
        if (javaScript) await page.screenshot({ path: 'test-results/screenshots/order-schedule-order-page.png', fullPage: true })

        // The printable schedule.
        await page.getByRole('link', { name: 'Order schedule', exact: true }).click()
        await page.waitForURL(`**/orders/${ELM_BANK_ORDER}/schedule`)
        await expectH1(page, `Order schedule ${reference}`)
        await page.getByRole('heading', { level: 2, name: 'Invoice plan' }).waitFor()
        expect(await page.getByRole('heading', { level: 3, name: /^Educational Psychology: terms version 1, of / }).count()).toBe(1)
        expect(
          await page.getByRole('table', { name: 'Every charge of this order, by the day it is invoiced' }).locator('tbody tr').count(),
        ).toBeGreaterThan(0)
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])
        if (javaScript) await page.screenshot({ path: 'test-results/screenshots/order-schedule-page.png', fullPage: true })

        // Its PDF: the same schedule, naming the terms version.
        const href = await page.getByRole('link', { name: /^Download PDF/ }).getAttribute('href')
        expect(href).toBe(`/orders/${ELM_BANK_ORDER}/schedule.pdf`)
        const pdf = await page.request.get(href!)
        expect(pdf.status()).toBe(200)
        expect(pdf.headers()['content-type']).toBe('application/pdf')
        const bytes = await pdf.body()
        const text = await pdfText(new Uint8Array(bytes))
        expect(text).toContain(`Order schedule ${reference}`)
        expect(text).toContain('Elm Bank Primary School')
        expect(text).toMatch(/Educational Psychology: terms version 1, of/)
        if (javaScript) {
          writeFileSync('test-results/order-schedule.pdf', bytes)
        }
      } finally {
        await context.close()
      }
    })
  }
})
