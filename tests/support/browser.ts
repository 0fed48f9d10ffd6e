import AxeBuilder from '@axe-core/playwright'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { mkdirSync, readFileSync, statSync } from 'node:fs'
import { afterAll, afterEach, expect, inject } from 'vitest'
import { DEMO_PASSWORD } from '../../db/seed/factories'

export const baseUrl = inject('baseUrl')
export const chromiumPath = inject('chromium')

/**
 * A browser test fails when a page throws (an uncaught error or a rejected
 * promise in any page of any context of a browser launched here), at the end
 * of the test it happened in, and when the app server logged an error (a 5xx
 * answer, a failed job, an uncaught error) while the file ran. A test that
 * passes over a broken page or a failing server proves little.
 */
const pageErrors: string[] = []
afterEach(() => {
  expect(pageErrors.splice(0), 'errors thrown in the browser').toEqual([])
})

const serverLog = inject('serverLog')
const logStart = serverLog ? statSync(serverLog).size : 0
afterAll(() => {
  if (!serverLog) return
  const written = readFileSync(serverLog).subarray(logStart).toString('utf8')
  const errors = written
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { level?: number; msg?: string; req?: { method: string; url: string } })
    // A request the browser gave up on (it navigated away) is logged as an error with no fault of the server's.
    .filter((line) => (line.level ?? 0) >= 50 && line.msg !== 'request aborted')
    .map((line) => `${line.req ? `${line.req.method} ${line.req.url}: ` : ''}${line.msg ?? ''}`)
  expect(errors, 'errors the app server logged while this file ran').toEqual([])
})

/** Debian's Chromium, headless, with no calls to Google's servers. */
export async function launchBrowser(): Promise<Browser> {
  if (!chromiumPath) throw new Error('No Chromium')
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  const newContext = browser.newContext.bind(browser)
  browser.newContext = async (options) => {
    const context = await newContext(options)
    context.on('weberror', (error) => pageErrors.push(`${error.page()?.url() ?? 'a page'}: ${error.error().message}`))
    return context
  }
  return browser
}

export async function newContext(browser: Browser, options: { javaScript: boolean }): Promise<BrowserContext> {
  return browser.newContext({ baseURL: baseUrl, javaScriptEnabled: options.javaScript })
}

/** WCAG 2.2 AA (and the A/AA rules before it) violations on the page. */
export async function axeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze()
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
  }))
}

/**
 * axe on the page as the person got it. axe needs timers, which do not run in
 * a page without JavaScript; so then the page's HTML (scripts removed) is
 * checked in a page of the same site where axe can run.
 */
export async function axeViolationsAsServed(browser: Browser, page: Page, javaScript: boolean) {
  if (javaScript) return axeViolations(page)
  const html = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '')
  const context = await newContext(browser, { javaScript: true })
  try {
    const copy = await context.newPage()
    await copy.goto('/livez')
    await copy.setContent(html, { waitUntil: 'load' })
    return await axeViolations(copy)
  } finally {
    await context.close()
    // The copy's window took the front; give it back, or the page's animation frames (which clicks wait on) may stop.
    await page.bringToFront()
  }
}

/** A new page of its own context; a step that cannot happen fails with its own message, well before the test's time runs out. */
export async function openPage(browser: Browser, javaScript: boolean): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: baseUrl, javaScriptEnabled: javaScript, viewport: { width: 1280, height: 800 } })
  const page = await context.newPage()
  page.setDefaultTimeout(15_000)
  return { context, page }
}

/** Signs in with a demo account (docs/product.md) and waits to leave the sign-in page. */
export async function signIn(page: Page, email: string) {
  await page.goto('/login')
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL((url) => url.pathname !== '/login')
}

/** Waits for the page whose one h1 is `name` (with JavaScript on, the page renders after the address changes). */
export async function expectH1(page: Page, name: string | RegExp) {
  await page.getByRole('heading', { level: 1, name, exact: typeof name === 'string' }).waitFor()
  expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1)
}

/** Goes to `path` (answered 200) and waits for its h1. */
export async function visit(page: Page, path: string, h1: string | RegExp) {
  const response = await page.goto(path)
  expect(response?.status(), path).toBe(200)
  await expectH1(page, h1)
}

export const SCREENSHOTS = 'test-results/screenshots'

/** Saves the page as test-results/screenshots/<journey>-<step>.png. */
export async function shot(page: Page, journey: string, step: string) {
  mkdirSync(SCREENSHOTS, { recursive: true })
  await page.screenshot({ path: `${SCREENSHOTS}/${journey}-${step}.png` })
}
