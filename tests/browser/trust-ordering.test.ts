import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolationsAsServed, chromiumPath, expectH1, launchBrowser, openPage, shot, signIn } from '../support/browser'

// Three Spires Academy Trust's business manager orders educational
// psychologist days for two member schools in one basket, each at the
// school's own price; above the trust's £5,000 limit the order waits for the
// trust's approver, who approves it; the trust is invoiced once for a trust
// order, each line naming its school (issue 16, with JavaScript on and off).

const epDays = (page: Page) => page.locator('section', { has: page.getByRole('heading', { name: 'Educational psychologist days', exact: true }) })

async function addEpDays(page: Page, school: string, days: number) {
  await page.goto('/services/educational-psychology')
  const offer = epDays(page)
  await offer.getByLabel('School').selectOption({ label: school })
  await offer.getByLabel('Quantity').fill(String(days))
  await offer.getByRole('button', { name: /^Add to basket/ }).click()
  await page.getByRole('heading', { level: 3, name: new RegExp(`for ${school} is in the trust’s basket`) }).waitFor()
}

describe.skipIf(!chromiumPath)('a trust ordering for its schools in a browser', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  for (const javaScript of [true, false]) {
    it(`orders for two member schools in one basket, waits for the trust’s approver and is approved (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const mode = javaScript ? 'js' : 'no-js'
      const buyer = await openPage(browser, javaScript)
      let reference = ''
      try {
        const page = buyer.page
        await signIn(page, 'buyer@three-spires.example')
        // The trust's basket starts empty (a run that stopped half-way may have left lines in it).
        await page.goto('/trust/basket')
        while ((await page.getByRole('button', { name: /^Remove/ }).count()) > 0) {
          const before = await page.getByRole('button', { name: /^Remove/ }).count()
          await page
            .getByRole('button', { name: /^Remove/ })
            .first()
            .click()
          await expect.poll(() => page.getByRole('button', { name: /^Remove/ }).count()).toBeLessThan(before)
        }
        // Told what is missing first: no school chosen.
        await page.goto('/services/educational-psychology')
        await epDays(page).getByLabel('Quantity').fill('2')
        await epDays(page)
          .getByRole('button', { name: /^Add to basket/ })
          .click()
        await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
        expect(await page.locator('.govuk-error-summary').getByRole('link').allTextContents()).toEqual(['Choose the school this is for'])

        await addEpDays(page, 'Foleshill Park Academy', 2)
        await addEpDays(page, 'Spire View Academy', 10)
        await expectH1(page, 'Your trust’s basket')
        // Each school's own volume price: 2 days at £550, 10 days at £500; academies pay VAT.
        const foleshill = page.locator('table').filter({ has: page.locator('caption', { hasText: 'Foleshill Park Academy' }) })
        const spireView = page.locator('table').filter({ has: page.locator('caption', { hasText: 'Spire View Academy' }) })
        expect(await foleshill.locator('tbody tr').first().textContent()).toContain('£550 each for Foleshill Park Academy')
        expect(await spireView.locator('tbody tr').first().textContent()).toContain('£500 each for Spire View Academy')
        expect(await page.locator('main').textContent()).toContain('it will wait for the trust’s approver')
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])
        await shot(page, 'trust-ordering', `1-basket-${mode}`)

        await page.getByLabel('Purchase order number (optional)').fill(`TS-${mode}`)
        await page.getByRole('button', { name: 'Submit order' }).click()
        await page.getByRole('heading', { level: 3, name: /is waiting for the trust’s approver/ }).waitFor()
        reference = (await page.getByRole('heading', { level: 1 }).textContent())!.trim()
        expect(reference).toMatch(/^TRO-\d{4}-\d{5}$/)
        const captions = await page.locator('main table caption').allTextContents()
        expect(captions.map((c) => c.replace(/: order .*/, ''))).toEqual(['Foleshill Park Academy', 'Spire View Academy'])
        const unitPrices = await page.locator('main table tbody tr td:nth-child(3)').allTextContents()
        expect(unitPrices).toEqual(['£550', '£500'])
        expect(await page.locator('main').textContent()).toContain('£7,320')
        expect(await page.getByRole('button', { name: /Approve order/ }).count()).toBe(0)
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])
        await shot(page, 'trust-ordering', `2-waiting-${mode}`)
        // A trust order of nobody's, and a school outside the trust: not found.
        expect((await page.goto('/trust/orders/00000000-0000-4000-8000-000000000000'))?.status()).toBe(404)
      } finally {
        await buyer.context.close()
      }

      const approver = await openPage(browser, javaScript)
      try {
        const page = approver.page
        await signIn(page, 'approver@three-spires.example')
        await page.goto('/trust')
        await page.getByRole('link', { name: reference }).first().click()
        await expectH1(page, reference)
        await page.getByRole('button', { name: `Approve order ${reference}` }).click()
        await page.locator('.govuk-tag', { hasText: 'Approved' }).first().waitFor()
        const parts = await page.locator('main table caption .govuk-tag').allTextContents()
        for (const status of parts) expect(['Submitted', 'Confirmed', 'Waiting list']).toContain(status)
        expect(await page.locator('main').textContent()).toContain('Dr Marcus Lyle')
        await shot(page, 'trust-ordering', `3-approved-${mode}`)

        // Consolidated invoicing: the seeded trust order's one invoice is to the trust and names both schools' lines.
        await page.goto('/trust')
        const invoices = page.getByRole('table', { name: 'Invoices to the trust, one for each of its orders' })
        const row = invoices.getByRole('row').filter({ hasText: 'TRO-2026-00002' })
        const number = (await row.getByRole('link').textContent())!.trim()
        await row.getByRole('link').click()
        await expectH1(page, `Invoice ${number}`)
        const to = page.locator('address').nth(1)
        expect(await to.textContent()).toContain('Three Spires Academy Trust')
        const lines = await page.getByRole('region', { name: 'What is charged' }).locator('tbody tr').allTextContents()
        expect(lines.some((l) => l.includes('Kingfisher Primary Academy:'))).toBe(true)
        expect(lines.some((l) => l.includes('Skylark Junior Academy:'))).toBe(true)
        expect(await page.locator('main').textContent()).toContain('TSAT-PO-2026-031')
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])
        await shot(page, 'trust-ordering', `4-trust-invoice-${mode}`)
        const pdf = await page.request.get(`${new URL(page.url()).pathname}.pdf`)
        expect(pdf.status()).toBe(200)
        expect(pdf.headers()['content-type']).toContain('application/pdf')
      } finally {
        await approver.context.close()
      }
    })
  }

  it('refuses the trust’s business manager a school’s order outside the trust (404)', async () => {
    const school = await openPage(browser, false)
    let orderPath = ''
    try {
      await signIn(school.page, 'buyer@elm-bank.example')
      await school.page.goto('/orders')
      orderPath = (await school.page.locator('main table a[href^="/orders/"]').first().getAttribute('href'))!
    } finally {
      await school.context.close()
    }
    const trust = await openPage(browser, false)
    try {
      await signIn(trust.page, 'buyer@three-spires.example')
      expect((await trust.page.goto(orderPath))?.status()).toBe(404)
    } finally {
      await trust.context.close()
    }
  })
})
