import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolationsAsServed, chromiumPath, expectH1, launchBrowser, openPage, shot, signIn } from '../support/browser'

// The LA administrator adds a trust (told first what is missing), adds a
// school to it and takes the school off again (issue 16, item 1), with
// JavaScript on and off. Each run adds a trust of its own; the school is
// added and removed the same day, so it is never a member.

const SCHOOL = 'Meridian Community College'

describe.skipIf(!chromiumPath)('the LA administrator’s trusts in a browser', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('the trust’s business manager signs in and sees the trust’s member schools (JavaScript off)', async () => {
    const { context, page } = await openPage(browser, false)
    try {
      await signIn(page, 'buyer@three-spires.example')
      await page.getByRole('link', { name: 'See your trust' }).click()
      await expectH1(page, 'Three Spires Academy Trust')
      const schools = await page.locator('main table').first().locator('tbody th').allInnerTexts()
      expect(schools).toEqual(['Foleshill Park Academy', 'Kingfisher Primary Academy', 'Skylark Junior Academy', 'Spire View Academy'])
      expect(await axeViolationsAsServed(browser, page, false)).toEqual([])
      await shot(page, 'trusts-admin', '2-trust-page')
      // Their orders list holds the member schools' orders and no other school's (decision 0035).
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Orders' }).click()
      await expectH1(page, 'Orders')
      const ordered = new Set(await page.locator('main table tbody tr td:nth-child(2)').allInnerTexts())
      expect(ordered.size).toBeGreaterThan(0)
      for (const school of ordered) expect(schools).toContain(school)
    } finally {
      await context.close()
    }
  })

  for (const javaScript of [true, false]) {
    it(`adds a trust, adds a member school and removes it (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const { context, page } = await openPage(browser, javaScript)
      try {
        await signIn(page, 'admin@coventry.example')
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Trusts' }).click()
        await expectH1(page, 'Trusts')
        const threeSpires = page.getByRole('row').filter({ hasText: 'Three Spires Academy Trust' })
        expect(await threeSpires.getByRole('cell').allInnerTexts()).toEqual(['4', '£5,000', 'One invoice to the trust per order'])

        await page.getByRole('link', { name: 'Add a trust' }).click()
        await expectH1(page, 'Add a trust')
        await page.getByLabel('Trust approval limit').fill('')
        await page.getByRole('button', { name: 'Add trust' }).click()
        await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
        expect(await page.locator('.govuk-error-summary').getByRole('link').allTextContents()).toEqual([
          'Enter the trust’s name',
          'Enter the approval limit',
        ])
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])

        const name = `Canal Basin Learning Trust ${javaScript ? 'On' : 'Off'}`
        await page.getByLabel('Name', { exact: true }).fill(name)
        await page.getByLabel('Trust approval limit').fill('6000')
        await page.getByLabel('One invoice to the trust per order').check()
        await page.getByLabel('Postcode (optional)').fill('cv1 4ly')
        await page.getByRole('button', { name: 'Add trust' }).click()
        await page.getByRole('heading', { level: 3, name: 'Trust added' }).waitFor()
        await expectH1(page, name)
        expect(await page.locator('main').textContent()).toContain('The trust has no member schools yet.')
        expect(await page.getByLabel('Postcode (optional)').inputValue()).toBe('CV1 4LY')

        // Adding without choosing a school is refused; then the school joins from today.
        await page.getByRole('button', { name: 'Add school' }).click()
        await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
        expect(await page.locator('.govuk-error-summary').getByRole('link').allTextContents()).toEqual(['Select a school to add'])
        const select = page.getByLabel('Add a school to the trust')
        await select.selectOption((await select.locator('option', { hasText: SCHOOL }).getAttribute('value'))!)
        await page.getByRole('button', { name: 'Add school' }).click()
        await page.getByRole('heading', { level: 3, name: 'School added' }).waitFor()
        const row = page.getByRole('row').filter({ hasText: SCHOOL })
        expect(await row.count()).toBe(1)
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])
        if (javaScript) await shot(page, 'trusts-admin', '1-member-added')

        // Taken off the same day: it was never a member, and can be added again.
        await row.getByRole('button', { name: `Remove ${SCHOOL} from the trust` }).click()
        await page.getByRole('heading', { level: 3, name: 'School removed' }).waitFor()
        expect(await page.locator('main').textContent()).toContain('The trust has no member schools yet.')
        expect(await page.getByLabel('Add a school to the trust').locator('option', { hasText: SCHOOL }).count()).toBe(1)
      } finally {
        await context.close()
      }
    })
  }
})
