import { clock } from '~/utils/clock'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, chromiumPath, launchBrowser, newContext } from '../support/browser'

// Finance's pages as a finance officer uses them, with JavaScript on and off:
// every page has 0 axe violations, and a BACS remittance is recorded end to
// end. The demo data may or may not hold invoices yet: invoice and journal
// pages are visited when there are some.
//
// "Off" means the app's scripts never load (every .js request is refused), so
// links and forms work as plain HTML, as in a browser without JavaScript;
// the browser's own JavaScript stays on only so that axe can run in the page.

async function signInAsFinance(page: Page) {
  await page.goto('/login')
  await page.getByLabel('Email address').fill('finance@coventry.example')
  await page.getByLabel('Password').fill('demo-password-2026')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { level: 1, name: 'What needs doing' }).waitFor()
}

async function expectH1(page: Page, text: string | RegExp) {
  await page.getByRole('heading', { level: 1, name: text }).waitFor()
  expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1)
}

/** "20 11 2026" for a date some days ago, as the date input takes it. */
function daysAgo(days: number): { day: string; month: string; year: string } {
  const d = new Date(clock.now().getTime() - days * 86_400_000)
  const [year, month, day] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(d).split('-')
  return { day: String(Number(day)), month: String(Number(month)), year: year! }
}

describe.skipIf(!chromiumPath)('finance in a browser', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  for (const javaScript of [true, false]) {
    it(`visits every finance page with 0 axe violations and records a BACS remittance, JavaScript ${javaScript ? 'on' : 'off'}`, async () => {
      const context = await newContext(browser, { javaScript: true })
      if (!javaScript) await context.route(/\.js(\?.*)?$/, (route) => route.abort())
      const page = await context.newPage()
      const check = async () => expect(await axeViolations(page)).toEqual([])
      await signInAsFinance(page)
      await check()
      await page.goto('/finance/invoices')
      await expectH1(page, 'Invoices')
      await check()
      const nav = page.getByRole('navigation', { name: 'Finance' })
      expect(await nav.getByRole('link').allTextContents()).toEqual(['Overview', 'Invoices', 'Recharge journals', 'Reconciliation', 'Aged debt'])
      expect(await nav.getByRole('link', { name: 'Invoices' }).getAttribute('aria-current')).toBe('page')

      // The list filters by service and month; a bad month in the address is reported, not a failure.
      await page.goto('/finance/invoices?month=2026-13')
      await expectH1(page, 'Invoices')
      expect(await page.locator('.govuk-error-summary').innerText()).toContain('Choose a month from the list')
      await check()

      // An invoice, when there is one: printable, with the council's and the school's details.
      const firstInvoice = page.locator('main table tbody tr th a').first()
      await page.goto('/finance/invoices')
      if ((await firstInvoice.count()) > 0) {
        await firstInvoice.click()
        await expectH1(page, /^Invoice /)
        expect(await page.getByText('VAT registration number').count()).toBe(1)
        await check()
        await page.emulateMedia({ media: 'print' })
        expect(await page.locator('.app-header').isVisible()).toBe(false)
        expect(await page.getByRole('heading', { level: 1 }).isVisible()).toBe(true)
        await page.emulateMedia({ media: 'screen' })
      }

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Finance' }).click()
      await page.waitForURL(/\/finance$/)
      await expectH1(page, 'Finance')
      await check()

      await nav.getByRole('link', { name: 'Recharge journals' }).click()
      await page.waitForURL(/\/finance\/journals$/)
      await expectH1(page, 'Recharge journals')
      await check()
      const journal = page.locator('main table tbody tr th a').first()
      if ((await journal.count()) > 0) {
        await journal.click()
        await page.waitForURL(/\/finance\/journals\/\d{4}-\d{2}$/)
      } else {
        await page.goto('/finance/journals/2026-11')
      }
      await expectH1(page, /^[A-Z][a-z]+ \d{4}$/)
      await check()

      await page.goto('/finance/aged-debt')
      await expectH1(page, 'Aged debt')
      await check()
      await page.getByLabel('Paid by').selectOption('invoice')
      await page.getByRole('button', { name: 'Show aged debt' }).click()
      await page.waitForURL(/route=invoice/)
      await check()

      await page.goto('/finance/reconciliation')
      await expectH1(page, 'Reconciliation')
      await check()

      // Record a remittance from Foleshill Park Academy.
      await page.getByRole('button', { name: 'Record a BACS remittance' }).click()
      await page.waitForURL(/\/finance\/reconciliation\/remittance$/)
      await expectH1(page, 'Record a BACS remittance')
      await check()
      // Continuing without a school is refused.
      await page.getByRole('button', { name: 'Continue' }).click()
      await page.waitForURL(/school=$/)
      await page.locator('.govuk-error-summary').waitFor()
      expect(await page.locator('.govuk-error-summary').getByRole('link').allTextContents()).toEqual(['Select the school that paid'])
      await check()
      const option = page.locator('#school option', { hasText: 'Foleshill Park Academy' })
      await page.getByLabel('Which school paid?').selectOption((await option.getAttribute('value'))!)
      await page.getByRole('button', { name: 'Continue' }).click()
      await page.waitForURL(/school=[0-9a-f-]{36}$/)
      expect(await page.locator('main').innerText()).toContain('Foleshill Park Academy')
      await check()

      // Something wrong: every problem listed, what was typed kept.
      await page.getByLabel('Amount received').fill('125.505')
      await page.getByLabel('Remittance reference').fill(`FOLESHILL ${javaScript ? 'JS' : 'NOJS'} 001`)
      await page.getByRole('button', { name: 'Record remittance' }).click()
      await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
      expect(await page.locator('.govuk-error-summary').getByRole('link').allTextContents()).toEqual([
        'Amount received must be an amount in pounds, like 1250 or 1250.50',
        'Enter the date the payment reached the bank',
      ])
      expect(await page.getByLabel('Amount received').inputValue()).toBe('125.505')
      expect(await page.getByLabel('Remittance reference').inputValue()).toBe(`FOLESHILL ${javaScript ? 'JS' : 'NOJS'} 001`)
      await check()

      await page.getByLabel('Amount received').fill('125.50')
      const when = daysAgo(2)
      await page.getByLabel('Day').fill(when.day)
      await page.getByLabel('Month').fill(when.month)
      await page.getByLabel('Year').fill(when.year)
      const invoices = page.locator('input[name="invoices"]')
      const ticked = (await invoices.count()) > 0
      if (ticked) await invoices.first().check()
      await page.getByRole('button', { name: 'Record remittance' }).click()
      await page.waitForURL(/\/finance\/reconciliation\?recorded=[0-9a-f-]{36}$/)
      const banner = page.locator('.govuk-notification-banner--success')
      expect(await banner.getByRole('heading', { level: 3 }).textContent()).toBe('Remittance of £125.50 recorded')
      expect(await banner.innerText()).toContain('From Foleshill Park Academy.')
      if (!ticked) {
        // Nothing to pay: the whole amount waits, listed as unallocated.
        const row = page.getByRole('row').filter({ hasText: `FOLESHILL ${javaScript ? 'JS' : 'NOJS'} 001` })
        expect(await row.innerText()).toContain('£125.50')
      }
      await check()
      await context.close()
      // axe reads every page in full, and with the demo data the tables are long.
    }, 240_000)
  }
})

/** "£1,234.50" in a text → 123450 pence. */
function pence(text: string, pattern: RegExp): number {
  const m = pattern.exec(text)
  expect(m, `${pattern} in ${text.slice(0, 200)}`).not.toBeNull()
  return Math.round(Number(m![1]!.replaceAll(',', '')) * 100)
}

describe.skipIf(!chromiumPath)('finance corrections in a browser', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  for (const javaScript of [true, false]) {
    it(`issues a part credit, writes off an invoice and allocates the unallocated BACS payment; aged debt and the journal agree, JavaScript ${javaScript ? 'on' : 'off'}`, async () => {
      const context = await newContext(browser, { javaScript: true })
      if (!javaScript) await context.route(/\.js(\?.*)?$/, (route) => route.abort())
      const page = await context.newPage()
      const check = async () => expect(await axeViolations(page)).toEqual([])
      await signInAsFinance(page)
      const month = clock.today().slice(0, 7)
      const agedDebtTotal = async () => {
        await page.goto('/finance/aged-debt')
        await expectH1(page, 'Aged debt')
        return pence(await page.locator('main').innerText(), /owe £([\d,.]+)/)
      }
      const journalTotal = async () => {
        await page.goto(`/finance/journals/${month}`)
        return pence(await page.locator('main dl').first().innerText(), /Total\s+£([\d,.]+)/)
      }

      // A part credit on a recharge in this month's open journal: the journal's total falls by it.
      const journalBefore = await journalTotal()
      await page.goto(`/finance/invoices?status=open&route=internal_recharge&month=${month}`)
      await expectH1(page, 'Invoices')
      await page.locator('main table tbody tr th a').first().click()
      await expectH1(page, /^Invoice /)
      await check()
      const left = pence(await page.locator('main').innerText(), /Left to credit on this invoice: £([\d,.]+)/)
      // Above what is left: a GOV.UK error, nothing changed.
      await page.getByLabel('Part of it').check()
      await page.getByLabel('Amount to credit, including VAT').fill(((left + 100) / 100).toFixed(2))
      await page.getByLabel('Reason for the credit note').fill('Lesson not given')
      await page.getByRole('button', { name: 'Issue credit note', exact: true }).click()
      await page.locator('.govuk-error-summary').waitFor()
      expect(await page.locator('.govuk-error-summary').innerText()).toContain('what is left to credit')
      await check()
      await page.getByLabel('Amount to credit, including VAT').fill('10')
      await page.getByRole('button', { name: 'Issue credit note', exact: true }).click()
      await page.getByRole('heading', { name: /Credit note .* for £10(\.00)? issued/ }).waitFor()
      expect(await journalTotal()).toBe(journalBefore - 1_000)

      // Writing off an overdue academy invoice takes what it owes out of aged debt.
      const debtBefore = await agedDebtTotal()
      await check()
      await page.goto('/finance/invoices?status=overdue&route=invoice')
      await page.locator('main table tbody tr th a').first().click()
      await expectH1(page, /^Invoice /)
      const owed = pence(await page.locator('main').innerText(), /Still to pay\s+£([\d,.]+)/)
      await page.getByLabel('Reason for writing it off').fill('The trust has closed the school')
      await page.getByRole('button', { name: 'Write off', exact: true }).click()
      await page.getByRole('heading', { name: /written off/ }).waitFor()
      expect(await page.locator('#correction').innerText()).toContain('The trust has closed the school')
      expect(await agedDebtTotal()).toBe(debtBefore - owed)
      expect(await page.locator('#written-off').innerText()).toContain('Written off')

      // The unallocated BACS remittance: more than it holds is refused; £1 goes to an invoice of its school.
      await page.goto('/finance/reconciliation')
      await page.getByRole('link', { name: /Allocate or refund the payment BACS .* NO INVOICE QUOTED/ }).click()
      await expectH1(page, 'Allocate or refund a payment')
      await check()
      const amount = page.locator('main table tbody tr td input').first()
      await amount.fill('5000')
      await page.getByRole('button', { name: 'Allocate payment', exact: true }).click()
      await page.locator('.govuk-error-summary').waitFor()
      await check()
      const debtBeforeAllocation = await agedDebtTotal()
      await page.goBack()
      await page.goto('/finance/reconciliation')
      await page.getByRole('link', { name: /Allocate or refund the payment BACS .* NO INVOICE QUOTED/ }).click()
      await expectH1(page, 'Allocate or refund a payment')
      await page.locator('main table tbody tr td input').first().fill('1')
      await page.getByRole('button', { name: 'Allocate payment', exact: true }).click()
      await page.getByRole('heading', { name: /^£1(\.00)? allocated/ }).waitFor()
      await check()
      expect(await agedDebtTotal()).toBe(debtBeforeAllocation - 100)
      await context.close()
    })
  }
})

describe.skipIf(!chromiumPath)('invoice settings in a browser', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  for (const javaScript of [true, false]) {
    it(`shows Coventry's settings, refuses a bad sort code with a GOV.UK error and changes nothing, JavaScript ${javaScript ? 'on' : 'off'}`, async () => {
      const context = await newContext(browser, { javaScript: true })
      if (!javaScript) await context.route(/\.js(\?.*)?$/, (route) => route.abort())
      const page = await context.newPage()
      await page.goto('/login')
      await page.getByLabel('Email address').fill('admin@coventry.example')
      await page.getByLabel('Password').fill('demo-password-2026')
      await page.getByRole('button', { name: 'Sign in' }).click()
      await page.waitForURL((url) => url.pathname !== '/login')
      await page.goto('/la/admin/settings')
      await expectH1(page, 'Invoice settings')
      expect(await axeViolations(page)).toEqual([])
      expect(await page.getByLabel('VAT registration number').inputValue()).toMatch(/^GB \d{3} \d{4} \d{2}$/)
      const sortCode = await page.getByLabel('Sort code').inputValue()
      await page.getByLabel('Sort code').fill('12-34')
      await page.getByRole('button', { name: 'Save invoice settings' }).click()
      await page.locator('.govuk-error-summary').waitFor()
      expect(await page.locator('.govuk-error-summary').innerText()).toContain('Enter a sort code of 6 digits')
      expect(await axeViolations(page)).toEqual([])
      await page.goto('/la/admin/settings')
      expect(await page.getByLabel('Sort code').inputValue()).toBe(sortCode)
      await context.close()
    })
  }
})
