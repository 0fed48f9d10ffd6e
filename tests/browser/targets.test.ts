import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolationsAsServed, chromiumPath, expectH1, launchBrowser, openPage, signIn } from '../support/browser'

// The LA administrator sets a service's income target for 2026/27 on
// /la/admin/targets, with JavaScript on and off, and /la/trading shows it at
// once. SEN Early Years is a service whose figures no other browser test
// reads; its seeded target (£48,000) is put back at the end, because the
// authority's total is read elsewhere.

const LABEL = 'SEN Early Years income target'

async function setTarget(page: Page, pounds: string) {
  await page.getByLabel(LABEL, { exact: true }).fill(pounds)
  await page.getByRole('button', { name: 'Save targets' }).click()
  await page.getByRole('heading', { level: 3, name: 'Targets for 2026/27 saved' }).waitFor()
}

async function tradingRow(page: Page): Promise<string> {
  await page.goto('/la/trading')
  await expectH1(page, 'Trading income against targets')
  const row = page.getByRole('table', { name: /Income by service, 2026\/27/ }).getByRole('row', { name: /SEN Early Years/ })
  await row.waitFor()
  return (await row.textContent()) ?? ''
}

describe.skipIf(!chromiumPath)('targets and teams in a browser', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  for (const javaScript of [true, false]) {
    it(`sets SEN Early Years’ 2026/27 target and /la/trading shows it (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const { context, page } = await openPage(browser, javaScript)
      try {
        await signIn(page, 'admin@coventry.example')
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Targets' }).click()
        await page.waitForURL(/\/la\/admin\/targets$/)
        await expectH1(page, 'Targets and teams')
        expect(await page.getByLabel(LABEL, { exact: true }).inputValue()).toBe('48000')
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])

        // A wrong amount is refused at its field; nothing is saved.
        await page.getByLabel(LABEL, { exact: true }).fill('-5')
        await page.getByRole('button', { name: 'Save targets' }).click()
        await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
        const summary = page.locator('.govuk-error-summary')
        expect(await summary.getByRole('link').allTextContents()).toEqual(['Income target must be £0 or more'])
        expect(await summary.getByRole('link').getAttribute('href')).toMatch(/^#target-[0-9a-f-]{36}$/)
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])

        const pounds = javaScript ? '51,000' : '52500.50'
        // The trading page reads in whole pounds (docs/decisions/0031): £52,500.50 shows as £52,501.
        const shown = javaScript ? '£51,000' : '£52,501'
        await setTarget(page, pounds)
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])
        expect(await tradingRow(page)).toContain(shown)

        // Put the seeded target back.
        await page.goto('/la/admin/targets?year=2026')
        await expectH1(page, 'Targets and teams')
        await setTarget(page, '48000')
        expect(await tradingRow(page)).toContain('£48,000')
      } finally {
        await context.close()
      }
    })

    it(`takes Work Related Learning’s recommendation into 2027/28 with a reason, and shows who decided (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      // Only 2027/28 changes, and only upwards (more room never turns a line away).
      const { context, page } = await openPage(browser, javaScript)
      try {
        await signIn(page, 'admin@coventry.example')
        await page.goto('/la/capacity?year=2026')
        await expectH1(page, 'Team capacity')
        const section = page.locator('section', { has: page.getByRole('heading', { level: 2, name: 'Work Related Learning', exact: true }) })
        const fte = javaScript ? '3.5' : '4'
        const reason = javaScript ? 'Schools asked for more placements' : 'A second provider joins in April'
        // Without a reason: refused at the field.
        await section.getByLabel('Establishment FTE for 2027/28').fill(fte)
        await section.getByRole('button', { name: /Take into next year’s plan/ }).click()
        await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
        expect(await page.locator('.govuk-error-summary').getByRole('link').allTextContents()).toEqual([
          'Enter why you are taking this into next year’s plan',
        ])
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])

        await section.getByLabel('Reason').fill(reason)
        await section.getByRole('button', { name: /Take into next year’s plan/ }).click()
        await page.getByRole('heading', { level: 3, name: 'Work Related Learning’s establishment for 2027/28 saved' }).waitFor()
        const history = page.getByRole('table', { name: 'Work Related Learning: decisions taken into the plan' })
        const row = history.getByRole('row', { name: new RegExp(reason) })
        await row.waitFor()
        const text = (await row.textContent()) ?? ''
        expect(text).toContain('Joanna Ferris')
        expect(text).toContain('2027/28')
        expect(text).toContain(`to ${fte === '4' ? '4.0' : '3.5'} FTE`)
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])

        await page.goto('/la/admin/targets?year=2027')
        await expectH1(page, 'Targets and teams')
        expect(await page.getByRole('group', { name: 'Work Related Learning' }).getByLabel('Establishment FTE').inputValue()).toBe(fte)
      } finally {
        await context.close()
      }
    })
  }

  it('the audit log and the bulk invitation page pass axe, and the log shows the targets saved', async () => {
    const { context, page } = await openPage(browser, false)
    try {
      await signIn(page, 'admin@coventry.example')
      await page.goto('/la/admin/audit?kind=targets')
      await expectH1(page, 'Audit log')
      expect(await page.getByRole('row', { name: /Saved targets and team figures/ }).count()).toBeGreaterThan(0)
      expect(await axeViolationsAsServed(browser, page, false)).toEqual([])
      await page.goto('/la/admin/users')
      await page.getByRole('link', { name: 'Invite users from a file' }).click()
      await expectH1(page, 'Invite users from a file')
      expect(await axeViolationsAsServed(browser, page, false)).toEqual([])
    } finally {
      await context.close()
    }
  })
})
