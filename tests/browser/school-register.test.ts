import { mkdirSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { axeViolationsAsServed, chromiumPath, expectH1, launchBrowser, openPage, signIn } from '../support/browser'

// The LA administrator adds a school by hand and imports a small GIAS
// extract (made here) with a new, a changed, a closed and a converted school,
// a bad row and another LA's row; sees the preview, applies it, and the
// register shows the result. Each run (JavaScript on, off) uses demo schools
// no other test names, and URNs of its own. This file runs after the others
// but offer-rules (tests/support/sequencer.ts): it adds schools to the demo.

const RUNS = {
  on: {
    urn: '790101',
    newUrn: '790102',
    changed: 'Copperfield Primary School',
    closed: 'Cowslip Hill Primary School',
    converted: 'Fieldfare Primary School',
  },
  off: {
    urn: '790201',
    newUrn: '790202',
    changed: 'Teasel Green Primary School',
    closed: 'Sweetbriar Primary School',
    converted: 'Otterbrook Primary School',
  },
}

const HEADER = [
  'URN',
  'LA (code)',
  'LA (name)',
  'EstablishmentName',
  'TypeOfEstablishment (name)',
  'EstablishmentTypeGroup (name)',
  'EstablishmentStatus (name)',
  'OpenDate',
  'CloseDate',
  'PhaseOfEducation (name)',
  'NumberOfPupils',
  'Trusts (name)',
  'Street',
]
const MAINTAINED = ['Community school', 'Local authority maintained schools']
const ACADEMY = ['Academy converter', 'Academies']

function csv(rows: string[][]): string {
  const field = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v)
  return `\uFEFF${[HEADER, ...rows].map((r) => r.map(field).join(',')).join('\r\n')}\r\n`
}

/** The URN and pupil count the register shows for a school. */
async function registerRow(page: Page, name: string) {
  await page.goto(`/la/admin/schools?q=${encodeURIComponent(name)}`)
  const row = page.getByRole('row').filter({ hasText: name })
  await row.waitFor()
  const cells = await row.getByRole('cell').allInnerTexts()
  return { urn: cells[0]!, pupils: cells[3]!.replaceAll(',', ''), text: await row.innerText() }
}

describe.skipIf(!chromiumPath)('the school register in a browser', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  for (const javaScript of [true, false]) {
    const r = javaScript ? RUNS.on : RUNS.off
    it(`adds a school, imports a GIAS extract, sees the preview and applies it (JavaScript ${javaScript ? 'on' : 'off'})`, async () => {
      const { context, page } = await openPage(browser, javaScript)
      try {
        await signIn(page, 'admin@coventry.example')

        // Add a school: refused without its details, then added.
        await page.goto('/la/admin/schools')
        await expectH1(page, 'Schools')
        await page.getByRole('link', { name: 'Add a school' }).click()
        await expectH1(page, 'Add a school')
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])
        await page.getByRole('button', { name: 'Add a school' }).click()
        await page.getByRole('heading', { name: 'There is a problem' }).waitFor()
        expect(await page.locator('.govuk-error-summary').getByRole('link').allTextContents()).toEqual([
          'Enter the school’s URN',
          'Enter the school’s name',
          'Select the school’s phase',
          'Select whether the school is maintained or an academy',
          'Enter the number of pupils',
        ])
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])
        const added = `Register Test Nursery ${javaScript ? 'On' : 'Off'}`
        await page.getByLabel('URN').fill(r.urn)
        await page.getByLabel('Name', { exact: true }).fill(added)
        await page.getByLabel('Nursery').check()
        await page.getByLabel('Maintained').check()
        await page.getByLabel('Pupil count').fill('64')
        await page.getByLabel('Postcode (optional)').fill('cv2 4aa')
        await page.getByRole('button', { name: 'Add a school' }).click()
        await page.getByRole('heading', { level: 3, name: `${added} added` }).waitFor()

        // The demo schools the extract changes, closes and converts, as the register has them.
        const changed = await registerRow(page, r.changed)
        const closed = await registerRow(page, r.closed)
        const converted = await registerRow(page, r.converted)
        const newName = `Register Test Academy ${javaScript ? 'On' : 'Off'}`
        const file = csv([
          [
            r.newUrn,
            '331',
            'Coventry',
            newName,
            ...ACADEMY,
            'Open',
            '01-09-2026',
            '',
            'Secondary',
            '850',
            'Spire Learning Trust, Coventry',
            '1, Spon End',
          ],
          ['12AB', '331', 'Coventry', 'Broken Row School', ...MAINTAINED, 'Open', '', '', 'Primary', '100', '', ''],
          [changed.urn, '331', 'Coventry', r.changed, ...MAINTAINED, 'Open', '', '', 'Primary', String(Number(changed.pupils) + 15), '', ''],
          [closed.urn, '331', 'Coventry', r.closed, ...MAINTAINED, 'Closed', '', '31-08-2026', 'Primary', closed.pupils, '', ''],
          [
            converted.urn,
            '331',
            'Coventry',
            r.converted,
            ...ACADEMY,
            'Open',
            '01-11-2026',
            '',
            'Primary',
            converted.pupils,
            'Spire Learning Trust, Coventry',
            '',
          ],
          ['140001', '330', 'Birmingham', 'Elsewhere School', ...MAINTAINED, 'Open', '', '', 'Primary', '200', '', ''],
        ])

        await page.goto('/la/admin/schools')
        await page.getByRole('link', { name: 'Import schools' }).click()
        await expectH1(page, 'Import schools')
        expect(await page.getByLabel('LA code').inputValue()).toBe('331')
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])
        await page
          .getByLabel('GIAS establishment extract')
          .setInputFiles({ name: 'gias-extract.csv', mimeType: 'text/csv', buffer: Buffer.from(file) })
        await page.getByRole('button', { name: 'Check import' }).click()
        await page.getByRole('heading', { level: 2, name: 'Check what the import will change' }).waitFor()

        const table = (name: string) => page.getByRole('table', { name: new RegExp(`^${name} \\(1\\)$`) })
        expect(await table('New schools').getByRole('row').nth(1).innerText()).toMatch(
          new RegExp(`${newName}\\s+${r.newUrn}\\s+Secondary\\s+Academy\\s+850`),
        )
        expect(await table('Changed schools').getByRole('row').nth(1).innerText()).toContain(
          `Pupils: ${changed.pupils} → ${Number(changed.pupils) + 15}`,
        )
        expect(await table('Closed schools').getByRole('row').nth(1).innerText()).toContain('31 August 2026')
        expect(await table('Converted to academy').getByRole('row').nth(1).innerText()).toMatch(/1 November 2026\s+Spire Learning Trust, Coventry/)
        expect(await table('Rows not imported').getByRole('row').nth(1).innerText()).toMatch(/3\s+12AB\s+URN “12AB” is not 6 digits/)
        expect(await page.locator('main').innerText()).toContain('1 of other LA codes than 331')
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])
        if (javaScript) {
          mkdirSync('docs/screenshots', { recursive: true })
          await page.screenshot({ path: 'docs/screenshots/school-import-preview.png', fullPage: true })
        }

        await page.getByRole('button', { name: 'Apply import' }).click()
        await page.getByRole('heading', { level: 3, name: 'Import applied' }).waitFor()
        expect(await page.locator('.govuk-notification-banner').innerText()).toContain(
          '1 added, 3 changed (of which 1 closed and 1 converted to academy)',
        )
        expect(await axeViolationsAsServed(browser, page, javaScript)).toEqual([])

        // The register as imported.
        expect((await registerRow(page, newName)).text).toMatch(/Academy\s+850\s+£2,500\s+Invoice/)
        expect((await registerRow(page, r.closed)).text).toContain('Closed')
        expect((await registerRow(page, r.converted)).text).toMatch(/Academy\s+\d+\s+£[\d,.]+\s+Invoice/)
        expect((await registerRow(page, r.changed)).pupils).toBe(String(Number(changed.pupils) + 15))
        expect((await registerRow(page, added)).text).toMatch(/Nursery\s+Maintained\s+64/)
      } finally {
        await context.close()
      }
    })
  }
})
