import { clock } from '~/utils/clock'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ukDate } from '~/domain/dates'
import { tradingYearLabel, tradingYearOf } from '~/domain/trading-year'
import { axeViolations, axeViolationsAsServed, chromiumPath, expectH1, launchBrowser, openPage, shot, signIn, visit } from '../support/browser'

// The renewal cycle end to end, as the people who live it: the
// administrator opens the window, the proposal email is in the outbox, the
// school's business manager follows its link, changes a quantity and
// accepts, and the order is confirmed; then the administrator moves the
// closing date into the past, and the school that never answered is listed
// as lapsed on /la/trading.
//
// It runs on Northfield, the seed's second authority, whose renewals nobody
// has opened (Coventry's are opened by the seed and other files read them).
// Northfield's schools that bought this year are Ashgrove Primary (whose
// business manager answers, with JavaScript off) and Millbrook Academy (which
// has no one to answer, so its proposal lapses).

const DAY = 86_400_000
const JOURNEY = 'renewal-cycle'
const NOW = clock.now()
const TODAY = ukDate(NOW)
const YEAR = tradingYearOf(NOW) + 1
const LABEL = tradingYearLabel(YEAR)
const CLOSES_ON = [ukDate(new Date(NOW.getTime() + 30 * DAY)), `${YEAR}-03-31`].sort()[0]!

async function fillDate(page: Page, name: 'opensOn' | 'closesOn', iso: string) {
  const [year, month, day] = iso.split('-')
  await page.locator(`#${name}Day`).fill(String(Number(day)))
  await page.locator(`#${name}Month`).fill(String(Number(month)))
  await page.locator(`#${name}Year`).fill(year!)
}

const answers = (page: Page) =>
  page
    .locator('table', { has: page.locator('caption', { hasText: 'Each school’s answer' }) })
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => [r.querySelector('th')?.textContent?.trim(), r.querySelector('.govuk-tag')?.textContent?.trim()]))

describe.skipIf(!chromiumPath)('the renewal cycle end to end', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
  })

  it('the window opens, the proposal is emailed, the school edits and accepts, the order is confirmed, and the school that did not answer is lapsed on /la/trading', async () => {
    // 1. Northfield's administrator sets the dates and opens renewals.
    const { context: adminContext, page: admin } = await openPage(browser, true)
    await signIn(admin, 'admin@northfield.example')
    await visit(admin, '/la/admin/renewals', `Renewals for ${LABEL}`)
    expect(await admin.locator('main').textContent()).toContain(`No dates are set for ${LABEL} yet.`)
    await fillDate(admin, 'opensOn', TODAY)
    await fillDate(admin, 'closesOn', CLOSES_ON)
    await admin.getByRole('button', { name: 'Open renewals' }).click()
    await admin.getByRole('heading', { name: `Renewals for ${LABEL} are open` }).waitFor()
    expect(await admin.locator('.govuk-notification-banner').textContent()).toContain('2 schools were sent a proposal')
    expect(await answers(admin)).toEqual([
      ['Ashgrove Primary School', 'Waiting for an answer'],
      ['Millbrook Academy', 'Waiting for an answer'],
    ])
    expect(await axeViolations(admin)).toEqual([])
    await shot(admin, JOURNEY, '1-opened')

    // 2. The proposal email to Ashgrove's business manager is in the outbox (as every message is, sent or held).
    await visit(admin, '/la/admin/outbox', 'Outbox')
    const row = admin.locator('tbody tr', { hasText: 'buyer@ashgrove.example' }).filter({ hasText: `Renew your traded services for ${LABEL}` })
    expect(await row.count()).toBe(1)
    await row.getByRole('link').click()
    await expectH1(
      admin,
      `Renew your traded services for ${LABEL}: please answer by ${new Date(`${CLOSES_ON}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })}`,
    )
    const email = (await admin.locator('.app-email-text').textContent()) ?? ''
    expect(email).toContain('Dear Tom Bellamy')
    expect(email).toMatch(/Educational Psychology: Educational psychologist days, 5 days, £[\d,.]+ \(you bought 5 days this year\)/)
    const link = await admin.getByRole('link', { name: /\/renewals$/ }).getAttribute('href')
    expect(link).toMatch(/\/renewals$/)
    await shot(admin, JOURNEY, '2-email')

    // 3. The business manager follows the email's link (JavaScript off), asks for 3 days instead of 5, and accepts.
    const { context: schoolContext, page: school } = await openPage(browser, false)
    await signIn(school, 'buyer@ashgrove.example')
    await school.goto(new URL(link!).pathname)
    await expectH1(school, `Renew your services for ${LABEL}`)
    const epCard = school.locator('.govuk-summary-card', { hasText: 'Educational psychologist days' })
    expect(await epCard.textContent()).toContain('You bought 5 days this year')
    await epCard.getByLabel('Quantity of Educational psychologist days').fill('3')
    await epCard.getByRole('button', { name: 'Update quantity of Educational psychologist days' }).click()
    await school.getByRole('heading', { name: 'Quantity updated' }).waitFor()
    expect(await epCard.textContent()).toContain('Now 3 days')
    expect(await axeViolationsAsServed(browser, school, false)).toEqual([])
    await shot(school, JOURNEY, '3-proposal')
    await school.getByRole('button', { name: 'Accept proposal' }).click()
    await school.getByRole('heading', { name: 'Renewal accepted' }).waitFor()
    const reference = ((await school.locator('.govuk-panel__body strong').textContent()) ?? '').trim()
    expect(reference).toMatch(/^ORD-\d{4}-\d{5}$/)

    // 4. Under Ashgrove's approval limit and within next year's capacity: the order is confirmed.
    await school.getByRole('link', { name: `View order ${reference}` }).click()
    await expectH1(school, `Order ${reference}`)
    const order = (await school.locator('main').textContent()) ?? ''
    expect(order).toContain('Educational psychologist days')
    expect(order).toContain(`Renewal for ${LABEL} accepted`)
    expect(await school.locator('.govuk-tag', { hasText: /^Confirmed$/ }).count()).toBeGreaterThan(0)
    expect(order).not.toMatch(/Waiting list|Awaiting approval/i)
    await shot(school, JOURNEY, '4-order')
    await schoolContext.close()

    // 5. The administrator ends renewals early: the closing date moves to yesterday, and Millbrook's unanswered proposal lapses.
    await visit(admin, '/la/admin/renewals', `Renewals for ${LABEL}`)
    expect(await answers(admin)).toEqual([
      ['Ashgrove Primary School', 'Accepted'],
      ['Millbrook Academy', 'Waiting for an answer'],
    ])
    await fillDate(admin, 'opensOn', ukDate(new Date(NOW.getTime() - 2 * DAY)))
    await fillDate(admin, 'closesOn', ukDate(new Date(NOW.getTime() - DAY)))
    await admin.getByRole('button', { name: 'Save dates' }).click()
    await admin.getByRole('heading', { name: 'Dates saved' }).waitFor()
    expect(await admin.locator('main').textContent()).toContain('now closed')
    expect(await answers(admin)).toEqual([
      ['Ashgrove Primary School', 'Accepted'],
      ['Millbrook Academy', 'Lapsed'],
    ])

    // The administrator opens Millbrook's proposal: what it held, and that nobody answered.
    await admin.getByRole('link', { name: 'Millbrook Academy' }).click()
    await expectH1(admin, 'Millbrook Academy’s proposal')
    const proposal = (await admin.locator('main').textContent()) ?? ''
    expect(proposal).toContain('Lapsed')
    expect(proposal).toContain('Specialist teacher hours')
    expect(await axeViolations(admin)).toEqual([])
    await admin.getByRole('link', { name: `Back to renewals for ${LABEL}` }).click()
    await expectH1(admin, `Renewals for ${LABEL}`)

    // 6. /la/trading for next year lists Millbrook for following up.
    await admin.getByRole('link', { name: 'Follow up lapsed and declined schools on the trading page' }).click()
    await expectH1(admin, 'Trading income against targets')
    const section = admin.locator('#renewals')
    await section.waitFor()
    expect(await section.textContent()).toBe(`Renewals for ${LABEL}`)
    expect(await admin.locator('main').textContent()).toContain('2 proposals: 1 accepted, 0 waiting for an answer, 0 declined, 1 lapsed')
    const followUp = admin.locator('table', { has: admin.locator('caption', { hasText: 'Schools to follow up' }) })
    expect(await followUp.locator('tbody th').allTextContents()).toEqual(['Millbrook AcademySecondary'])
    expect(await followUp.locator('tbody tr').first().textContent()).toContain('Lapsed')
    expect(await followUp.locator('tbody tr').first().textContent()).toContain('Specialist teaching')
    expect(await followUp.getByRole('link', { name: 'Millbrook Academy' }).getAttribute('href')).toMatch(/^\/la\/admin\/renewals\/[0-9a-f-]{36}$/)
    expect(await axeViolations(admin)).toEqual([])
    await section.scrollIntoViewIfNeeded()
    await shot(admin, JOURNEY, '5-trading-lapsed')
    await adminContext.close()
  })
})
