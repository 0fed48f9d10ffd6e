import AxeBuilder from '@axe-core/playwright'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { inject } from 'vitest'

export const baseUrl = inject('baseUrl')
export const chromiumPath = inject('chromium')

/** Debian's Chromium, headless, with no calls to Google's servers. */
export async function launchBrowser(): Promise<Browser> {
  if (!chromiumPath) throw new Error('No Chromium')
  return chromium.launch({
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
}

export async function newContext(browser: Browser, options: { javaScript: boolean }): Promise<BrowserContext> {
  return browser.newContext({ baseURL: baseUrl, javaScriptEnabled: options.javaScript })
}

/** WCAG 2.2 AA (and the A/AA rules before it) violations on the page. */
export async function axeViolations(page: Page) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze()
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5),
  }))
}
