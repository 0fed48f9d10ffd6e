import { describe, expect, it } from 'vitest'
import { creditNoteEffect, howToPay, howToPayLines, linePeriodText, vatByRate, type PayableInvoice } from '~/domain/invoice-printout'

const bank = { name: 'Lloyds Bank', sortCode: '309634', accountNumber: '41526378', accountName: 'Coventry City Council Traded Services' }
const invoice: PayableInvoice = {
  route: 'invoice',
  outstandingPence: 12_000,
  stripe: { hostedUrl: 'https://invoice.stripe.com/i/abc' },
  journal: null,
  authority: {
    bank,
    remittanceAddress: 'Council House, Coventry',
    remittanceEmail: 'remittances@coventry.example',
    contactEmail: 'ts@coventry.example',
    contactPhone: null,
  },
}

describe('how an invoice is paid', () => {
  it('offers Stripe’s link only when Stripe is configured and the invoice has one', () => {
    expect(howToPay(invoice, true)).toEqual({ kind: 'stripe', url: 'https://invoice.stripe.com/i/abc', settled: false })
    expect(howToPay(invoice, false)).toMatchObject({ kind: 'bank', bank, settled: false })
    expect(howToPay({ ...invoice, stripe: { hostedUrl: null } }, true)).toMatchObject({ kind: 'bank' })
  })

  it('prints the bank details and remittance address, and never claims online payment without Stripe', () => {
    const lines = howToPayLines(howToPay(invoice, false), 'COV-000123').join('\n')
    expect(lines).toContain('quoting COV-000123')
    expect(lines).toContain('Sort code: 30-96-34')
    expect(lines).toContain('Account number: 41526378')
    expect(lines).toContain('Remittance address: Council House, Coventry')
    expect(lines).not.toMatch(/online|card/i)
  })

  it('says so when nothing is left to pay, still with the details', () => {
    const lines = howToPayLines(howToPay({ ...invoice, outstandingPence: 0 }, false), 'COV-000123')
    expect(lines[0]).toBe('Nothing is left to pay on this invoice.')
    expect(lines.join('\n')).toContain('30-96-34')
  })

  it('asks the authority when it has given no bank details', () => {
    const how = howToPay({ ...invoice, authority: { ...invoice.authority, bank: null } }, false)
    expect(howToPayLines(how, 'COV-000123')).toEqual(['To pay, contact ts@coventry.example, quoting COV-000123.'])
  })

  it('a maintained school’s invoice is charged in its month’s journal', () => {
    const how = howToPay({ ...invoice, route: 'internal_recharge', journal: { month: '2026-11-01' } }, true)
    expect(how).toEqual({ kind: 'recharge', journalMonth: '2026-11-01' })
    expect(howToPayLines(how, 'COV-000124')[0]).toBe('Charged by internal recharge in the November 2026 journal.')
  })
})

describe('the figures printed', () => {
  it('totals net and VAT by rate, lowest rate first', () => {
    expect(
      vatByRate([
        { vatRateBasisPoints: 2000, netPence: 10_000, vatPence: 2_000 },
        { vatRateBasisPoints: 0, netPence: 5_000, vatPence: 0 },
        { vatRateBasisPoints: 2000, netPence: 1_000, vatPence: 200 },
      ]),
    ).toEqual([
      { vatRateBasisPoints: 0, netPence: 5_000, vatPence: 0 },
      { vatRateBasisPoints: 2000, netPence: 11_000, vatPence: 2_200 },
    ])
  })

  it('says the period a line covers and what a credit note does', () => {
    expect(linePeriodText({ start: '2026-09-01', end: '2027-08-31' })).toBe('For 1 September 2026 to 31 August 2027')
    expect(linePeriodText(null)).toBeNull()
    expect(creditNoteEffect({ journalMonth: '2026-11-01', invoice: { route: 'internal_recharge', number: 'COV-1' } })).toBe(
      'Taken off the school’s internal recharge in the November 2026 journal.',
    )
  })
})
