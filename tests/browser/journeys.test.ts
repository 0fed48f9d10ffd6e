import { clock } from '~/utils/clock'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed/factories'
import {
  axeViolationsAsServed as axeOf,
  baseUrl,
  chromiumPath,
  expectH1,
  launchBrowser,
  openPage as open,
  shot,
  signIn,
  visit,
} from '../support/browser'

// The whole product as its users live it: one journey for each
// person docs/product.md, with JavaScript on and off; the business manager's order
// by keyboard alone (axe on every page for each role that can open it is in
// phone-and-axe.test.ts); and a screenshot of each journey's key pages in
// test-results/screenshots/<journey>-<step>.png.
//
// The browser tests share one app and database, so these journeys change
// nothing other files count on: Foleshill Park Academy's business manager
// (whom no other file orders as) buys an hour or two of interpreting from
// Ethnic Minority Achievement (a service no other file asserts figures for);
// the EP lead records one day on another school's line than Elm Bank's (whose
// "4 of 10 days" the renewals test reads); the headteacher, finance officer and
// administrator only read.

const BUYER = 'buyer@foleshill-park.example'
const SERVICE = { slug: 'ethnic-minority-achievement', name: 'Ethnic Minority Achievement', offer: 'Interpreting for meetings' }

const mode = (javaScript: boolean) => (javaScript ? 'js' : 'no-js')

/** Presses Tab (or Shift+Tab) until the focused element is the one `isTarget` (run in the page) picks. */
async function tabTo(page: Page, isTarget: string, { backwards = false, max = 200 } = {}) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab')
    if (await page.evaluate(`(() => { const el = document.activeElement; return Boolean(el && (${isTarget})) })()`)) return
  }
  throw new Error(`Tabbing ${max} times never reached ${isTarget}`)
}

/** The focused element's accessible-ish description, for messages. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null
    return el ? `${el.tagName.toLowerCase()}#${el.id} ${(el.labels?.[0]?.textContent ?? el.textContent ?? '').trim().replace(/\s+/g, ' ')}` : ''
  })

describe.skipIf(!chromiumPath)('the whole product, as its users live it', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  for (const javaScript of [true, false]) {
    describe(`with JavaScript ${javaScript ? 'on' : 'off'}`, () => {
      it('the school business manager browses, orders with a purchase order number, follows the order and sees renewals', async () => {
        const journey = `buyer-${mode(javaScript)}`
        const { context, page } = await open(browser, javaScript)
        await signIn(page, BUYER)

        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Services' }).click()
        await page.waitForURL(/\/services$/)
        await expectH1(page, 'Services for schools')
        await shot(page, journey, '1-services')

        await page.getByRole('link', { name: SERVICE.name, exact: true }).click()
        await page.waitForURL(`${baseUrl}/services/${SERVICE.slug}`)
        await expectH1(page, SERVICE.name)
        const offer = page.locator('section', { has: page.getByRole('heading', { name: SERVICE.offer, exact: true }) })
        expect(await offer.innerText()).toMatch(/£38/)
        await shot(page, journey, '2-service')
        await offer.scrollIntoViewIfNeeded()
        await shot(page, journey, '2-service-offer')

        await offer.getByLabel('Quantity').fill('2')
        await offer.getByRole('button', { name: /^Add to basket/ }).click()
        await page.waitForURL(/\/basket\?added=/)
        await expectH1(page, 'Your basket')
        const main = page.locator('main')
        await main.getByText('is in your basket').first().waitFor()
        expect(await main.innerText()).toContain(SERVICE.offer)
        await shot(page, journey, '3-basket')

        // Foleshill Park needs a purchase order number: without one, the order cannot go on.
        await page.getByLabel(/Purchase order number/).fill('')
        await page.getByRole('button', { name: 'Continue' }).click()
        await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
        expect(await axeOf(browser, page, javaScript)).toEqual([])

        const po = `PO-JOURNEY-${javaScript ? 'JS' : 'NOJS'}`
        await page.getByLabel(/Purchase order number/).fill(po)
        await page.getByRole('button', { name: 'Continue' }).click()
        await page.waitForURL(`${baseUrl}/basket/check`)
        await expectH1(page, 'Check your order before submitting it')
        const check = await main.innerText()
        expect(check).toContain(po)
        expect(check).toContain(SERVICE.offer)
        // An academy pays VAT on interpreting: 2 hours at £38, plus £15.20.
        expect(check).toContain('£91.20')
        await shot(page, journey, '4-check')

        await page.getByRole('button', { name: 'Submit order' }).click()
        await page.waitForURL(/\/basket\/confirmation\/[0-9a-f-]{36}$/)
        await expectH1(page, 'Order submitted')
        const reference = /ORD-\d{4}-\d{5}/.exec(await page.locator('.govuk-panel').innerText())?.[0]
        expect(reference).toBeTruthy()
        expect(await page.locator('#next-step').innerText()).toContain('confirmed')
        expect(await axeOf(browser, page, javaScript)).toEqual([])
        await shot(page, journey, '5-confirmation')

        await page.getByRole('link', { name: 'View your order' }).click()
        await expectH1(page, `Order ${reference}`)
        const order = await main.innerText()
        expect(order).toContain(po)
        expect(order).toContain(SERVICE.offer)
        expect(order).toMatch(/Status\s+Confirmed/)
        // Interpreting is billed on delivery: no invoice yet; the order says where its invoices will be.
        await page.getByRole('heading', { level: 2, name: 'Invoices' }).waitFor()
        expect(order).toContain('No invoices have been issued for this order yet')
        await shot(page, journey, '6-order')

        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders', exact: true }).click()
        await page.waitForURL(/\/orders$/)
        await expectH1(page, 'Your orders')
        expect(await page.getByRole('link', { name: reference! }).count()).toBe(1)
        // An earlier order of this year's, with its invoices if any were issued.
        await shot(page, journey, '7-orders')

        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Renewals' }).click()
        await page.waitForURL(/\/renewals$/)
        await expectH1(page, /^Renew your services for \d{4}\/\d{2}$/)
        await shot(page, journey, '8-renewals')
        await context.close()
      })

      it('the headteacher reads the orders awaiting approval and opens an order', async () => {
        const journey = `headteacher-${mode(javaScript)}`
        const { context, page } = await open(browser, javaScript)
        await signIn(page, 'head@elm-bank.example')
        // The headteacher lands on the home page (what needs doing), and finds approvals in the menu.
        await expectH1(page, 'What needs doing')
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approvals' }).click()
        await page.waitForURL(/\/approvals$/)
        await expectH1(page, 'Orders awaiting approval')
        await shot(page, journey, '1-approvals')

        await page.goto('/orders')
        await expectH1(page, 'Your orders')
        const first = page.locator('main table tbody a[href^="/orders/"]').first()
        const reference = (await first.innerText()).trim()
        await first.click()
        await expectH1(page, `Order ${reference}`)
        expect(await page.locator('main').innerText()).toContain('Elm Bank Primary School')
        expect(await axeOf(browser, page, javaScript)).toEqual([])
        await shot(page, journey, '2-order')
        await context.close()
      })

      it('the EP service lead records a delivered day, then reads trading and capacity', async () => {
        const journey = `service-lead-${mode(javaScript)}`
        const { context, page } = await open(browser, javaScript)
        await signIn(page, 'lead.ep@coventry.example')
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Delivery' }).click()
        await page.waitForURL(/\/la\/delivery$/)
        await expectH1(page, 'Record delivery')
        await shot(page, journey, '1-delivery')

        // A line with days left, of a school other than Elm Bank (whose days used the renewals test reads).
        const lineHref = await page.evaluate(() => {
          for (const table of Array.from(document.querySelectorAll('main table')).reverse()) {
            if (table.querySelector('caption')?.textContent?.includes('Elm Bank')) continue
            for (const row of Array.from(table.querySelectorAll('tbody tr'))) {
              const used = /^([\d.]+) of ([\d.]+) [\w-]+ used$/.exec(row.querySelectorAll('td')[1]?.textContent?.trim() ?? '')
              const link = row.querySelector<HTMLAnchorElement>('a[href^="/la/delivery/"]')
              if (used && link && Number(used[1]) + 1 <= Number(used[2])) return link.getAttribute('href')
            }
          }
          return null
        })
        if (!lineHref) throw new Error(`No line with a day left:\n${(await page.locator('main').innerText()).slice(0, 3000)}`)
        expect(lineHref).toMatch(/^\/la\/delivery\/[0-9a-f-]{36}$/)
        await page.locator(`main a[href="${lineHref}"]`).click()
        await page.waitForURL(`${baseUrl}${lineHref}`)
        await expectH1(page, 'Record delivery')
        const before = /([\d.]+) of ([\d.]+) [\w-]+ used/.exec(await page.locator('.govuk-summary-list').innerText())
        expect(before).toBeTruthy()
        const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(clock.now()).split('-')
        await page.getByLabel('Day', { exact: true }).fill(String(Number(today[2])))
        await page.getByLabel('Month', { exact: true }).fill(String(Number(today[1])))
        await page.getByLabel('Year', { exact: true }).fill(today[0]!)
        await page.getByLabel(/^Units delivered/).fill('1')
        await page.getByLabel('Practitioner').fill('Dr Journey Test')
        await page.getByRole('button', { name: 'Record delivery' }).click()
        await page.waitForURL(/\?recorded=(1|over)$/)
        const banner = page.locator('.govuk-notification-banner--success')
        await banner.waitFor()
        expect(await banner.innerText()).toContain(`${Number(before![1]) + 1} of ${before![2]} `)
        expect(await axeOf(browser, page, javaScript)).toEqual([])
        await shot(page, journey, '2-delivery-recorded')

        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Trading' }).click()
        await page.waitForURL(/\/la\/trading$/)
        await expectH1(page, 'Trading income against targets')
        expect(await page.locator('main').innerText()).toContain('Educational Psychology')
        await shot(page, journey, '3-trading')

        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Capacity' }).click()
        await page.waitForURL(/\/la\/capacity$/)
        await expectH1(page, 'Team capacity')
        await shot(page, journey, '4-capacity')
        await context.close()
      })

      it('the finance officer goes through invoices, an invoice, journals, reconciliation and aged debt', async () => {
        const journey = `finance-${mode(javaScript)}`
        const { context, page } = await open(browser, javaScript)
        await signIn(page, 'finance@coventry.example')
        await expectH1(page, 'What needs doing')
        await page.goto('/finance/invoices')
        await expectH1(page, 'Invoices')

        const nav = page.getByRole('navigation', { name: 'Finance' })
        await nav.getByRole('link', { name: 'Overview' }).click()
        await page.waitForURL(/\/finance$/)
        await expectH1(page, 'Finance')
        await shot(page, journey, '1-overview')

        await nav.getByRole('link', { name: 'Invoices' }).click()
        await page.waitForURL(/\/finance\/invoices$/)
        await expectH1(page, 'Invoices')
        await shot(page, journey, '2-invoices')
        // The demo data holds a year and a half of billing.
        const invoice = page.locator('main table tbody tr th a').first()
        await invoice.click()
        await page.waitForURL(/\/finance\/invoices\/[0-9a-f-]{36}$/)
        await expectH1(page, /^Invoice /)
        expect(await page.getByText('VAT registration number').count()).toBe(1)
        await shot(page, journey, '3-invoice')

        // An invoice is a printable page without finance's menu: back through the main navigation.
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Finance' }).click()
        await page.waitForURL(/\/finance$/)
        await nav.getByRole('link', { name: 'Recharge journals' }).click()
        await page.waitForURL(/\/finance\/journals$/)
        await expectH1(page, 'Recharge journals')
        await page.locator('main table tbody tr th a').first().click()
        await page.waitForURL(/\/finance\/journals\/\d{4}-\d{2}$/)
        await expectH1(page, /^[A-Z][a-z]+ \d{4}$/)
        await shot(page, journey, '4-journal')

        await visit(page, '/finance/reconciliation', 'Reconciliation')
        await shot(page, journey, '5-reconciliation')

        await page.getByRole('navigation', { name: 'Finance' }).getByRole('link', { name: 'Aged debt' }).click()
        await page.waitForURL(/\/finance\/aged-debt$/)
        await expectH1(page, 'Aged debt')
        await shot(page, journey, '6-aged-debt')
        await context.close()
      })

      it('the LA administrator reads users, schools, teams, renewals, trading and capacity', async () => {
        const journey = `admin-${mode(javaScript)}`
        const { context, page } = await open(browser, javaScript)
        await signIn(page, 'admin@coventry.example')
        await expectH1(page, 'What needs doing')
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click()
        await page.waitForURL(/\/la\/admin\/users$/)
        await expectH1(page, 'Users')
        await shot(page, journey, '1-users')

        const mainNav = page.getByRole('navigation', { name: 'Main' })
        await mainNav.getByRole('link', { name: 'Schools' }).click()
        await page.waitForURL(/\/la\/admin\/schools$/)
        await expectH1(page, 'Schools')
        expect(await page.getByRole('row').filter({ hasText: 'Foleshill Park Academy' }).count()).toBe(1)
        await shot(page, journey, '2-schools')

        await visit(page, '/la/admin/teams', 'Teams')
        await shot(page, journey, '3-teams')
        await page.locator('main a[href^="/la/admin/teams/"]').first().click()
        await page.waitForURL(/\/la\/admin\/teams\/[0-9a-f-]+\/\d{4}$/)
        await page.getByText('Capacity now').waitFor()

        await visit(page, '/la/admin/renewals', /^Renewals for \d{4}\/\d{2}$/)
        await shot(page, journey, '4-renewals')

        await mainNav.getByRole('link', { name: 'Trading' }).click()
        await page.waitForURL(/\/la\/trading$/)
        await expectH1(page, 'Trading income against targets')
        expect(await page.locator('main').innerText()).toContain('Coventry City Council total')
        await shot(page, journey, '5-trading')

        await mainNav.getByRole('link', { name: 'Capacity' }).click()
        await page.waitForURL(/\/la\/capacity$/)
        await expectH1(page, 'Team capacity')
        expect(await page.locator('main').innerText()).toContain('Coventry Music')
        await shot(page, journey, '6-capacity')
        await page.getByRole('table', { name: /Each team’s recommendation/ }).scrollIntoViewIfNeeded()
        await shot(page, journey, '7-capacity-recommendations')
        await context.close()
      })
    })
  }

  it('the school business manager orders by keyboard alone', async () => {
    const journey = 'buyer-keyboard'
    const { context, page } = await open(browser, true)
    // The one navigation; everything after it is the keyboard's.
    await page.goto(`/login?${new URLSearchParams({ redirectTo: `/services/${SERVICE.slug}` })}`)
    await page.getByLabel('Email address').waitFor()
    await tabTo(page, `el.id === 'email' || el.getAttribute('autocomplete') === 'email' || el.type === 'email'`)
    await page.keyboard.type(BUYER)
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)).toBe('password')
    await page.keyboard.type(DEMO_PASSWORD)
    await page.keyboard.press('Enter')
    await page.waitForURL(`${baseUrl}/services/${SERVICE.slug}`)
    await expectH1(page, SERVICE.name)

    // The interpreting offer's quantity, then its "Add to basket".
    await tabTo(
      page,
      `el.tagName === 'INPUT' && el.name === 'quantity' && Boolean(el.closest('section')?.textContent?.includes(${JSON.stringify(SERVICE.offer)}))`,
    )
    expect(await focused(page)).toMatch(/Quantity/)
    await page.keyboard.press('ControlOrMeta+A')
    await page.keyboard.type('1')
    await tabTo(page, `el.tagName === 'BUTTON' && el.textContent.trim().startsWith('Add to basket')`)
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toContain(SERVICE.offer)
    await shot(page, journey, '1-add-to-basket-focused')
    await page.keyboard.press('Enter')
    await page.waitForURL(/\/basket\?added=/)
    await expectH1(page, 'Your basket')

    await tabTo(page, `el.tagName === 'INPUT' && Boolean(el.labels?.[0]?.textContent?.includes('Purchase order number'))`)
    await page.keyboard.type('PO-KEYBOARD')
    await tabTo(page, `el.tagName === 'BUTTON' && el.textContent.trim() === 'Continue'`)
    await page.keyboard.press('Enter')
    await page.waitForURL(`${baseUrl}/basket/check`)
    await expectH1(page, 'Check your order before submitting it')
    expect(await page.locator('main').innerText()).toContain('PO-KEYBOARD')

    await tabTo(page, `el.tagName === 'BUTTON' && el.textContent.trim() === 'Submit order'`)
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Submit order')
    await shot(page, journey, '2-submit-focused')
    await page.keyboard.press('Enter')
    await page.waitForURL(/\/basket\/confirmation\/[0-9a-f-]{36}$/)
    await expectH1(page, 'Order submitted')
    expect(await page.locator('.govuk-panel').innerText()).toMatch(/ORD-\d{4}-\d{5}/)
    expect(await page.locator('#next-step').innerText()).toContain('confirmed')
    await shot(page, journey, '3-confirmation')
    await context.close()
  })

  // axe on every page, as each role that can open it, at 1280 px and 390 px: tests/browser/phone-and-axe.test.ts.
})
