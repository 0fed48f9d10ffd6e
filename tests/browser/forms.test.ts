import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { baseUrl, chromiumPath, expectH1, launchBrowser, openPage, signIn } from '../support/browser'

// Forms that check themselves in the browser (docs/decisions/0028): with
// JavaScript on, a form sent with mistakes shows the GOV.UK error summary and
// each field's message without a request to the server; without JavaScript,
// the server answers the same form with the same messages. "Submit order"
// pressed twice sends one order.

type Shown = { summary: string[]; fields: string[] }

/** The error summary's messages and the fields' messages, as a person reads them. */
async function shownErrors(scope: Locator): Promise<Shown> {
  const summary = scope.locator('.govuk-error-summary')
  await summary.getByRole('heading', { name: 'There is a problem' }).first().waitFor()
  const fields = await scope.locator('.govuk-error-message').allInnerTexts()
  return {
    summary: (await summary.locator('.govuk-error-summary__list a').allInnerTexts()).map((t) => t.trim()),
    fields: fields.map((t) => t.replace(/^Error:\s*/, '').trim()),
  }
}

/** Waits until React has taken over the form holding `button`: from then on, the browser checks it. */
async function hydrated(button: Locator) {
  await expect
    .poll(() => button.evaluate((el) => Object.keys(el.closest('form') ?? {}).some((k) => k.startsWith('__reactProps'))), { timeout: 15_000 })
    .toBe(true)
}

/** Counts what the page asks the server for from now on, beyond images, styles, scripts and route discovery: posts, documents, data fetches. */
function countRequests(page: Page) {
  const seen: string[] = []
  page.on('request', (request) => {
    if (!request.url().startsWith(baseUrl)) return
    // Remix's lazy route discovery asks which routes links lead to: not the form's doing.
    if (new URL(request.url()).pathname === '/__manifest') return
    if (request.method() !== 'GET' || ['document', 'fetch', 'xhr'].includes(request.resourceType())) {
      seen.push(`${request.method()} ${request.url()}`)
    }
  })
  return seen
}

/** The form of the "Educational psychologist days" offer on the EP service page. */
function epOffer(page: Page) {
  return page.locator('section', { has: page.getByRole('heading', { name: 'Educational psychologist days', exact: true }) })
}

describe.skipIf(!chromiumPath)('forms checked in the browser, and by the server without JavaScript', () => {
  let browser: Browser
  const contexts: BrowserContext[] = []
  // What the browser showed (JavaScript on), compared with what the server says (off).
  const inBrowser: Record<string, Shown> = {}
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    for (const context of contexts) await context.close()
    await browser?.close()
  })
  async function open(javaScript: boolean) {
    const opened = await openPage(browser, javaScript)
    contexts.push(opened.context)
    return opened.page
  }

  it('JavaScript on: "Sign in" sent empty shows the error summary (focused) and both fields’ messages, with no request', async () => {
    const page = await open(true)
    await page.goto('/login')
    await expectH1(page, 'Sign in')
    const button = page.getByRole('button', { name: 'Sign in' })
    await hydrated(button)
    const requests = countRequests(page)
    await button.click()
    const shown = await shownErrors(page.locator('main'))
    expect(shown.summary).toEqual(['Enter your email address', 'Enter your password'])
    expect(shown.fields).toEqual(['Enter your email address', 'Enter your password'])
    expect(await page.getByLabel('Email address').getAttribute('aria-describedby')).toBe('email-error')
    expect(await page.evaluate(() => document.activeElement?.classList.contains('govuk-error-summary'))).toBe(true)
    expect(requests).toEqual([])
    expect(page.url()).toBe(`${baseUrl}/login`)
    inBrowser.signIn = shown

    // Put right, the form is sent as before and signs in.
    await page.getByLabel('Email address').fill('buyer@elm-bank.example')
    await page.getByLabel('Password').fill('not-the-password')
    await button.click()
    await page.locator('.govuk-error-summary').getByRole('link', { name: 'Enter a correct email address and password' }).waitFor()
    expect(requests.filter((r) => r.startsWith('POST'))).toHaveLength(1)
  })

  it('JavaScript off: "Sign in" sent empty gets the same messages from the server', async () => {
    const page = await open(false)
    await page.goto('/login')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForLoadState()
    expect(await shownErrors(page.locator('main'))).toEqual(inBrowser.signIn)
  })

  it('JavaScript on: "Add to basket" with no quantity and "Continue" with a too-long purchase order number show their errors with no request', async () => {
    const page = await open(true)
    await signIn(page, 'buyer@elm-bank.example')
    await page.goto('/services/educational-psychology')
    await expectH1(page, 'Educational Psychology')
    const offer = epOffer(page)
    const add = offer.getByRole('button', { name: /^Add to basket/ })
    await hydrated(add)
    const requests = countRequests(page)
    await add.click()
    const shown = await shownErrors(offer)
    expect(shown).toEqual({ summary: ['Enter a quantity'], fields: ['Enter a quantity'] })
    // The summary's link lands on this offer's field.
    const link = offer.locator('.govuk-error-summary').getByRole('link', { name: 'Enter a quantity' })
    expect(await offer.locator(await link.getAttribute('href').then((h) => h!)).getAttribute('name')).toBe('quantity')
    expect(requests).toEqual([])
    inBrowser.addToBasket = shown

    // A quantity of 0 is refused the same way.
    await offer.getByLabel('Quantity').fill('0')
    await add.click()
    await offer.locator('.govuk-error-message', { hasText: 'Quantity must be 1 or more' }).waitFor()
    expect(requests).toEqual([])

    // One day goes in the basket, sent the Remix way.
    await offer.getByLabel('Quantity').fill('1')
    await add.click()
    await page.waitForURL(/\/basket\?added=/)
    await expectH1(page, 'Your basket')
    expect(requests.filter((r) => r.startsWith('POST'))).toHaveLength(1)

    const po = page.getByLabel(/Purchase order number/)
    const next = page.getByRole('button', { name: 'Continue' })
    await hydrated(next)
    const before = requests.length
    await po.fill('P'.repeat(36))
    await next.click()
    const poShown = await shownErrors(page.locator('main'))
    expect(poShown).toEqual({
      summary: ['Purchase order number must be 35 characters or fewer'],
      fields: ['Purchase order number must be 35 characters or fewer'],
    })
    expect(requests.slice(before)).toEqual([])
    inBrowser.basket = poShown
  })

  it('JavaScript off: the same "Add to basket" and "Continue" get the same messages from the server', async () => {
    const page = await open(false)
    await signIn(page, 'buyer@elm-bank.example')
    await page.goto('/services/educational-psychology')
    await epOffer(page)
      .getByRole('button', { name: /^Add to basket/ })
      .click()
    await expectH1(page, 'Your basket')
    expect(await shownErrors(page.locator('main'))).toEqual(inBrowser.addToBasket)

    await page.goto('/basket')
    await page.getByLabel(/Purchase order number/).fill('P'.repeat(36))
    await page.getByRole('button', { name: 'Continue' }).click()
    await expectH1(page, 'Your basket')
    expect(await shownErrors(page.locator('main'))).toEqual(inBrowser.basket)
  })

  it('JavaScript on: "Submit order" pressed twice quickly sends one post and makes one order', async () => {
    const page = await open(true)
    await signIn(page, 'buyer@elm-bank.example')
    await page.goto('/orders')
    await expectH1(page, 'Your orders')
    const ordersBefore = Number((await page.getByRole('status').innerText()).match(/^(\d+) orders?/)![1])

    await page.goto('/basket')
    await expectH1(page, 'Your basket')
    await page.getByLabel(/Purchase order number/).fill('PO-FORMS-1')
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.waitForURL(`${baseUrl}/basket/check`)
    await expectH1(page, 'Check your order before submitting it')
    const submit = page.getByRole('button', { name: 'Submit order' })
    await hydrated(submit)
    const requests = countRequests(page)
    // A person's double click: the second press comes while the first post is on its way.
    await submit.evaluate(async (button: HTMLButtonElement) => {
      button.click()
      await new Promise((resolve) => setTimeout(resolve, 60))
      if (button.isConnected) button.click()
    })
    await page.waitForURL(/\/basket\/confirmation\/[0-9a-f-]{36}$/)
    await expectH1(page, 'Order submitted')
    expect(await page.locator('.govuk-panel__body strong').count()).toBe(1)
    const posts = requests.filter((r) => r.startsWith('POST'))
    expect(posts).toHaveLength(1)
    expect(posts[0]).toContain(`${baseUrl}/basket/check`)

    await page.goto('/orders')
    await expectH1(page, 'Your orders')
    expect(await page.getByRole('status').innerText()).toMatch(new RegExp(`^${ordersBefore + 1} orders`))
  })

  it('JavaScript on: "Record delivery" sent empty shows its errors with no request; off, the server gives the same', async () => {
    const on = await open(true)
    await signIn(on, 'lead.ep@coventry.example')
    await on.goto('/la/delivery')
    await expectH1(on, 'Record delivery')
    const href = await on.locator('main table tbody a[href^="/la/delivery/"]').first().getAttribute('href')
    await on.goto(href!)
    await expectH1(on, 'Record delivery')
    const button = on.getByRole('button', { name: 'Record delivery' })
    await hydrated(button)
    const requests = countRequests(on)
    await button.click()
    const shown = await shownErrors(on.locator('main'))
    expect(shown.summary).toEqual(['Enter the date the service was delivered', 'Enter how much was delivered', 'Enter the name of the practitioner'])
    expect(shown.fields).toEqual(shown.summary)
    expect(requests).toEqual([])

    const off = await open(false)
    await signIn(off, 'lead.ep@coventry.example')
    await off.goto(href!)
    await off.getByRole('button', { name: 'Record delivery' }).click()
    await expectH1(off, 'Record delivery')
    expect(await shownErrors(off.locator('main'))).toEqual(shown)
  })
})
