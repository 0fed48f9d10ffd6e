import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, baseUrl, chromiumPath, launchBrowser, signIn } from '../support/browser'

// Every page of docs/product.md (SPEC §5), as each role that can open it, on a
// desktop (1280 px) and on a phone (390 px): one h1, 0 axe violations (WCAG
// 2.2 AA), and on the phone nothing scrolls sideways (the page is no wider
// than the screen; tables reflow, long words wrap) and the header still says
// who is signed in. One browser context per role and width, signed in once.
// The pages are only read: nothing here changes the demo.

/** A page's address, or where to find it: the first link `link` on the page `from`. */
type Target = string | { from: string; link: string; name: string }

const ORDER = { from: '/orders', link: 'main table tbody a[href^="/orders/"]', name: '/orders/:id' }
const SCHOOL_INVOICE = { from: '/invoices', link: 'main table tbody a[href^="/invoices/"]:not([href$=".pdf"])', name: '/invoices/:id' }
const EP = '/la/services/educational-psychology'

const ROLES: Array<{ who: string; email: string | null; name?: string; targets: Target[] }> = [
  {
    who: 'anyone',
    email: null,
    targets: ['/', '/services', '/services/educational-psychology', '/login', '/forgot-password', '/accessibility', '/cookies', '/privacy'],
  },
  {
    who: 'the school business manager',
    email: 'buyer@elm-bank.example',
    name: 'Sam Whitaker',
    targets: [
      '/',
      '/services',
      '/services/educational-psychology',
      '/basket',
      '/orders',
      ORDER,
      '/renewals',
      '/invoices',
      SCHOOL_INVOICE,
      '/statement',
      '/spend',
    ],
  },
  {
    who: 'the headteacher',
    email: 'head@elm-bank.example',
    targets: ['/', '/approvals', '/orders', ORDER, '/invoices', '/statement'],
  },
  {
    who: 'the headteacher of Foleshill Park',
    email: 'head@foleshill-park.example',
    targets: ['/', '/approvals', '/orders'],
  },
  {
    who: 'the trust’s business manager',
    email: 'buyer@three-spires.example',
    name: 'Helen Okoro',
    targets: ['/', '/trust', '/trust/basket', '/orders', '/invoices', '/statement', '/spend'],
  },
  {
    who: 'the service lead',
    email: 'lead.ep@coventry.example',
    name: 'Dr Miriam Achebe',
    targets: [
      '/',
      '/la/delivery',
      { from: '/la/delivery', link: 'main table tbody a[href^="/la/delivery/"]', name: '/la/delivery/:lineId' },
      '/la/trading',
      '/la/capacity',
      '/orders',
      ORDER,
      '/la/services',
      EP,
      `${EP}/offers/new`,
      { from: EP, link: `main a[href^="${EP}/offers/"]:not([href$="/new"])`, name: '/la/services/:slug/offers/:offerId' },
      `${EP}/prices`,
    ],
  },
  {
    who: 'the finance officer',
    email: 'finance@coventry.example',
    name: 'Gurpreet Lall',
    targets: [
      '/',
      '/finance',
      '/finance/invoices',
      { from: '/finance/invoices', link: 'main table tbody tr th a', name: '/finance/invoices/:id' },
      '/finance/journals',
      { from: '/finance/journals', link: 'main table tbody tr th a', name: '/finance/journals/:month' },
      '/finance/reconciliation',
      '/finance/aged-debt',
      '/orders',
    ],
  },
  {
    who: 'the LA administrator',
    email: 'admin@coventry.example',
    name: 'Joanna Ferris',
    targets: [
      '/',
      '/la/admin/users',
      '/la/admin/schools',
      '/la/admin/schools/new',
      '/la/admin/schools/import',
      '/la/admin/trusts',
      '/la/admin/trusts/new',
      { from: '/la/admin/trusts', link: 'main table tbody tr th a', name: '/la/admin/trusts/:id' },
      '/la/admin/teams',
      '/la/admin/targets',
      '/la/admin/term-dates',
      '/la/admin/settings',
      '/la/admin/audit',
      '/la/admin/renewals',
      '/la/admin/outbox',
      '/la/trading',
      '/la/capacity',
      '/la/services',
      '/orders',
      ORDER,
      '/finance',
    ],
  },
]

/** What sticks out past the right edge of the screen, for a failure message: the widest few elements. */
function overflowing(page: Page, width: number) {
  return page.evaluate((w) => {
    const out: Array<{ el: string; right: number }> = []
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const r = el.getBoundingClientRect()
      if (r.right > w + 1 && r.width > 0) {
        const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : ''
        out.push({ el: `${el.tagName.toLowerCase()}${cls}`, right: Math.round(r.right) })
      }
    }
    return out.sort((a, b) => b.right - a.right).slice(0, 6)
  }, width)
}

describe.skipIf(!chromiumPath)('every page on a desktop and on a phone', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  for (const width of [1280, 390]) {
    for (const { who, email, name, targets } of ROLES) {
      describe(`at ${width} px, as ${who}`, () => {
        let context: BrowserContext
        let page: Page
        beforeAll(async () => {
          context = await browser.newContext({ baseURL: baseUrl, viewport: { width, height: width === 390 ? 844 : 900 } })
          page = await context.newPage()
          page.setDefaultTimeout(15_000)
          if (email) await signIn(page, email)
        })
        afterAll(async () => {
          await context?.close()
        })

        for (const target of targets) {
          const label = typeof target === 'string' ? target : target.name
          it(`${label}: one h1, 0 axe violations${width === 390 ? ', nothing scrolls sideways, the header says who is signed in' : ''}`, async () => {
            if (typeof target === 'string') {
              expect((await page.goto(target))?.status(), target).toBe(200)
            } else {
              await page.goto(target.from)
              const href = await page.locator(target.link).first().getAttribute('href')
              expect(href, `a link ${target.link} on ${target.from}`).toBeTruthy()
              expect((await page.goto(href!))?.status(), href!).toBe(200)
            }
            await page.getByRole('heading', { level: 1 }).first().waitFor()
            expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1)
            expect(await axeViolations(page)).toEqual([])

            const signedInAs = page.getByTestId('signed-in-as')
            if (email) {
              expect(await signedInAs.isVisible()).toBe(true)
              const text = await signedInAs.innerText()
              expect(text).toMatch(/^Signed in as \S/)
              if (name) expect(text).toContain(name)
            } else {
              expect(await signedInAs.count()).toBe(0)
            }

            if (width === 390) {
              const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth)
              if (scrollWidth > 390) expect({ scrollWidth, overflowing: await overflowing(page, 390) }).toEqual({ scrollWidth: 390 })
              expect(scrollWidth).toBeLessThanOrEqual(390)
              if (email) {
                const box = await signedInAs.boundingBox()
                expect(box!.x + box!.width).toBeLessThanOrEqual(390)
              }
            }
          })
        }
      })
    }
  }
})
