import { randomUUID } from 'node:crypto'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolations, chromiumPath, launchBrowser, newContext } from '../support/browser'

// The LA administrator's pages as a person uses them: axe runs with
// JavaScript on (it runs in the page); the invite form is also used with
// JavaScript off, posting to the server as a plain HTML form.

async function signInAsAdmin(page: Page) {
  await page.goto('/login')
  await page.getByLabel('Email address').fill('admin@coventry.example')
  await page.getByLabel('Password').fill('demo-password-2026')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.getByRole('heading', { level: 1, name: 'What needs doing' }).waitFor()
}

/** Waits for the page whose one h1 is `text` (with JavaScript on, navigation renders after the address changes). */
async function expectH1(page: Page, text: string) {
  await page.getByRole('heading', { level: 1, name: text, exact: true }).waitFor()
  expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1)
}

describe.skipIf(!chromiumPath)('LA administration in a browser', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('invites a user, shows the banner, finds the invitation in the outbox, with 0 axe violations on every page', async () => {
    const email = `browser-invite-${randomUUID().slice(0, 8)}@coventry.example`
    const context = await newContext(browser, { javaScript: true })
    const page = await context.newPage()
    await signInAsAdmin(page)
    await page.goto('/la/admin/users')
    await expectH1(page, 'Users')
    expect(await page.title()).toBe('Users – Coventry City Council – Buyback')
    expect(await page.getByRole('cell', { name: 'buyer@elm-bank.example' }).count()).toBe(1)
    expect(await axeViolations(page)).toEqual([])

    // Filtering by role, with the choice kept.
    await page.getByLabel('Role').selectOption('finance')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.waitForURL(/role=finance/)
    await page.getByText('with the role Finance officer').waitFor()
    expect(await page.getByRole('cell', { name: 'finance@coventry.example' }).count()).toBe(1)
    expect(await page.getByRole('cell', { name: 'buyer@elm-bank.example' }).count()).toBe(0)

    await page.getByRole('link', { name: 'Invite a user' }).click()
    await page.waitForURL(/\/la\/admin\/users\/new$/)
    await expectH1(page, 'Invite a user')
    expect(await axeViolations(page)).toEqual([])

    // Nothing filled in: every problem is listed, linked to its field.
    await page.getByRole('button', { name: 'Send invitation' }).click()
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
    const summary = page.locator('.govuk-error-summary')
    expect(await summary.getByRole('link').allTextContents()).toEqual([
      'Enter the user’s full name',
      'Enter the user’s email address',
      'Select the user’s role',
    ])
    expect(await axeViolations(page)).toEqual([])

    await page.getByLabel('Full name').fill('Robin Browser')
    await page.getByLabel('Email address').fill(email)
    await page.getByLabel('Finance officer').check()
    await page.getByRole('button', { name: 'Send invitation' }).click()
    await page.waitForURL(/\/la\/admin\/users\?invited=/)
    const banner = page.locator('.govuk-notification-banner')
    await banner.waitFor()
    expect(await banner.getByRole('heading', { level: 3 }).textContent()).toBe(`Invitation sent to ${email}`)
    expect(await page.getByRole('cell', { name: email }).count()).toBe(1)
    expect(await axeViolations(page)).toEqual([])

    // The user's page.
    await page.getByRole('link', { name: 'Robin Browser' }).click()
    await page.waitForURL(/\/la\/admin\/users\/[0-9a-f-]{36}$/)
    await expectH1(page, 'Robin Browser')
    expect(await page.getByRole('button', { name: 'Resend invitation' }).count()).toBe(1)
    expect(await page.getByRole('button', { name: 'Deactivate account' }).count()).toBe(1)
    expect(await axeViolations(page)).toEqual([])

    // The outbox and the invitation in it.
    await page.goto('/la/admin/outbox')
    await expectH1(page, 'Outbox')
    expect(await page.locator('main').innerText()).toContain('SMTP_URL')
    expect(await axeViolations(page)).toEqual([])
    const row = page.getByRole('row').filter({ hasText: email })
    expect(await row.count()).toBe(1)
    await row.getByRole('link').click()
    await page.waitForURL(/\/la\/admin\/outbox\/[0-9a-f-]{36}$/)
    await expectH1(page, 'You have been invited to Buyback by Coventry City Council')
    // The invitation's link is the recipient's alone (docs/decisions/0027): the administrator sees it was sent, not the link.
    expect(await page.getByRole('link', { name: /set-password/ }).count()).toBe(0)
    expect(await page.content()).not.toMatch(/token=(?!hidden)/)
    expect(await page.locator('main pre').innerText()).toContain('Robin Browser')
    expect(await axeViolations(page)).toEqual([])
    await context.close()
  })

  it('lists and edits schools with 0 axe violations, refusing bad input without saving it', async () => {
    const context = await newContext(browser, { javaScript: true })
    const page = await context.newPage()
    await signInAsAdmin(page)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Schools' }).click()
    await page.waitForURL(/\/la\/admin\/schools$/)
    await expectH1(page, 'Schools')
    expect(await page.getByText('116 schools').count()).toBe(1)
    expect(await axeViolations(page)).toEqual([])

    await page.getByLabel('Search schools').fill('Elm Bank')
    await page.getByRole('button', { name: 'Search' }).click()
    await page.waitForURL(/q=Elm/)
    const row = page.getByRole('row').filter({ hasText: 'Elm Bank Primary School' })
    expect(await row.innerText()).toContain('£2,500')
    await row.getByRole('link', { name: 'Elm Bank Primary School' }).click()
    await page.waitForURL(/\/la\/admin\/schools\/[0-9a-f-]{36}$/)
    await expectH1(page, 'Elm Bank Primary School')
    expect(await page.locator('main').innerText()).toContain('Invoices already issued are never edited')
    expect(await page.getByLabel('Approval limit').inputValue()).toBe('2500')
    expect(await axeViolations(page)).toEqual([])

    // A conversion without its date, and a fractional pupil count: refused, values kept.
    await page.getByLabel('Academy', { exact: true }).check()
    await page.getByLabel('Invoice', { exact: true }).check()
    await page.getByLabel('Pupil count').fill('1.5')
    await page.getByRole('button', { name: 'Save changes' }).click()
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
    expect(await page.locator('.govuk-error-summary').getByRole('link').allTextContents()).toEqual([
      'Enter the date the school became an academy',
      'Pupil count must be a whole number, like 420',
    ])
    expect(await page.getByLabel('Pupil count').inputValue()).toBe('1.5')
    expect(await axeViolations(page)).toEqual([])

    // Nothing was saved.
    await page.goto('/la/admin/schools?q=Elm+Bank')
    expect(await page.getByRole('row').filter({ hasText: 'Elm Bank Primary School' }).innerText()).toMatch(/Maintained\s+420/)
    await context.close()
  })

  it('invites a user with JavaScript off, keeping what was typed when something is wrong', async () => {
    const email = `no-js-${randomUUID().slice(0, 8)}@coventry.example`
    const context = await newContext(browser, { javaScript: false })
    const page = await context.newPage()
    await signInAsAdmin(page)
    await page.goto('/la/admin/users/new')
    await page.getByLabel('Full name').fill('Nadia Nojs')
    await page.getByLabel('Email address').fill(email)
    await page.getByLabel('School business manager').check()
    await page.getByRole('button', { name: 'Send invitation' }).click()

    // A school business manager needs a school.
    await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
    expect(await page.locator('.govuk-error-summary').getByRole('link').allTextContents()).toEqual([
      'Select the school of the school business manager',
    ])
    expect(await page.getByLabel('Full name').inputValue()).toBe('Nadia Nojs')
    expect(await page.getByLabel('Email address').inputValue()).toBe(email)
    expect(await page.getByLabel('School business manager').isChecked()).toBe(true)

    await page.getByLabel('School', { exact: true }).selectOption({ label: 'Elm Bank Primary School' })
    await page.getByRole('button', { name: 'Send invitation' }).click()
    await page.waitForURL(/\/la\/admin\/users\?invited=/)
    expect(await page.locator('.govuk-notification-banner').innerText()).toContain(`Invitation sent to ${email}`)
    const row = page.getByRole('row').filter({ hasText: email })
    expect(await row.innerText()).toContain('Elm Bank Primary School')
    expect(await row.innerText()).toContain('School business manager')
    await context.close()
  })
})
