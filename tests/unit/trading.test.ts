import { describe, expect, it } from 'vitest'
import {
  attributeInvoice,
  attributeInvoices,
  bookedIncome,
  buyBackPercent,
  cumulative,
  isLapsed,
  monthOfTradingYear,
  monthsBegun,
  renewalEmailKey,
  splitProRata,
} from '~/domain/trading'

describe('income booked', () => {
  it('is the net price of confirmed and completed lines, never VAT', () => {
    expect(bookedIncome({ status: 'confirmed', netPence: 550_00, cancellationFeePence: 0 })).toBe(550_00)
    expect(bookedIncome({ status: 'completed', netPence: 1_450_00, cancellationFeePence: 0 })).toBe(1_450_00)
  })

  it('counts a cancelled line’s late-cancellation fee, and nothing for lines not (yet) bought', () => {
    expect(bookedIncome({ status: 'cancelled', netPence: 550_00, cancellationFeePence: 275_00 })).toBe(275_00)
    for (const status of ['waitlisted', 'awaiting_approval', 'submitted', 'draft', 'rejected']) {
      expect(bookedIncome({ status, netPence: 550_00, cancellationFeePence: 0 }), status).toBe(0)
    }
  })
})

describe('splitting an amount pro rata', () => {
  it('gives each key the floor of its share and the pence left over to the largest weight', () => {
    const split = splitProRata(
      100,
      new Map([
        ['a', 1],
        ['b', 1],
        ['c', 1],
      ]),
    )
    expect(Object.fromEntries(split)).toEqual({ a: 34, b: 33, c: 33 })
    const uneven = splitProRata(
      1000,
      new Map([
        ['small', 1],
        ['big', 2],
      ]),
    )
    expect(Object.fromEntries(uneven)).toEqual({ small: 333, big: 667 })
  })

  it('always adds up to the amount exactly, even for amounts whose products pass 2^53', () => {
    const weights = new Map([
      ['x', 987_654_321_09],
      ['y', 123_456_789_01],
      ['z', 7],
    ])
    const amount = 999_999_999_99
    const split = splitProRata(amount, weights)
    expect([...split.values()].reduce((a, b) => a + b, 0)).toBe(amount)
  })

  it('with no weight at all gives everything to the first key', () => {
    expect(
      Object.fromEntries(
        splitProRata(
          50,
          new Map([
            ['b', 0],
            ['a', 0],
          ]),
        ),
      ),
    ).toEqual({ a: 50, b: 0 })
  })
})

describe('invoiced and paid income by service', () => {
  const invoice = {
    status: 'open',
    netPence: 1000_00,
    grossPence: 1200_00,
    lines: [
      { id: 'l1', serviceId: 'ep', netPence: 600_00 },
      { id: 'l2', serviceId: 'music', netPence: 300_00 },
      { id: 'l3', serviceId: 'music', netPence: 100_00 },
    ],
    credits: [],
    allocatedPence: 0,
  }

  it('invoiced is the net of the invoice’s lines for each service', () => {
    expect(Object.fromEntries(attributeInvoice(invoice))).toEqual({
      ep: { invoicedPence: 600_00, paidPence: 0 },
      music: { invoicedPence: 400_00, paidPence: 0 },
    })
  })

  it('a credit note naming an invoice line reduces that line’s service only', () => {
    const result = attributeInvoice({ ...invoice, credits: [{ netPence: 100_00, invoiceLineId: 'l3' }] })
    expect(result.get('music')?.invoicedPence).toBe(300_00)
    expect(result.get('ep')?.invoicedPence).toBe(600_00)
  })

  it('a credit note naming no line reduces the services in proportion to their net', () => {
    const result = attributeInvoice({ ...invoice, credits: [{ netPence: 100_01, invoiceLineId: null }] })
    // 60% and 40% of £100.01: 60.006 → 60.00 (+1p remainder to the larger), 40.004 → 40.00.
    expect(result.get('ep')?.invoicedPence).toBe(600_00 - 60_01)
    expect(result.get('music')?.invoicedPence).toBe(400_00 - 40_00)
  })

  it('paid is net money received (at the invoice’s net ÷ gross), spread over services like the invoice', () => {
    const result = attributeInvoice({ ...invoice, allocatedPence: 600_00 })
    // £600 of £1,200 gross is £500 net: £300 EP, £200 music.
    expect(result.get('ep')?.paidPence).toBe(300_00)
    expect(result.get('music')?.paidPence).toBe(200_00)
  })

  it('paid follows what is left after credit notes, and never counts more than is still invoiced', () => {
    const credited = { ...invoice, credits: [{ netPence: 600_00, invoiceLineId: 'l1' }] }
    // £600 received is £500 net, all of it for music, which still has £400 invoiced: £400.
    expect(Object.fromEntries(attributeInvoice({ ...credited, allocatedPence: 600_00 }))).toEqual({
      ep: { invoicedPence: 0, paidPence: 0 },
      music: { invoicedPence: 400_00, paidPence: 400_00 },
    })
    // Overpaid far beyond the gross: still £400.
    expect(attributeInvoice({ ...credited, allocatedPence: 5000_00 }).get('music')?.paidPence).toBe(400_00)
    // Part paid: £240 received is £200 net.
    expect(attributeInvoice({ ...credited, allocatedPence: 240_00 }).get('music')?.paidPence).toBe(200_00)
  })

  it('a void invoice counts for nothing', () => {
    expect(attributeInvoice({ ...invoice, status: 'void', allocatedPence: 100_00 }).size).toBe(0)
  })

  it('a zero-priced invoice has nothing paid', () => {
    const free = { ...invoice, netPence: 0, grossPence: 0, lines: [{ id: 'l', serviceId: 'ep', netPence: 0 }] }
    expect(attributeInvoice(free).get('ep')).toEqual({ invoicedPence: 0, paidPence: 0 })
  })

  it('adds up over invoices', () => {
    const total = attributeInvoices([invoice, { ...invoice, allocatedPence: 1200_00 }])
    expect(total.get('ep')).toEqual({ invoicedPence: 1200_00, paidPence: 600_00 })
    expect(total.get('music')).toEqual({ invoicedPence: 800_00, paidPence: 400_00 })
  })
})

describe('buy-back', () => {
  it('is buyers ÷ eligible schools as a percentage to one decimal place', () => {
    expect(buyBackPercent(97, 116)).toBe(83.6)
    expect(buyBackPercent(116, 116)).toBe(100)
    expect(buyBackPercent(0, 10)).toBe(0)
  })

  it('is none when no school is eligible', () => {
    expect(buyBackPercent(0, 0)).toBeNull()
  })

  it('a school is lapsed when it bought last year and has no live line this year', () => {
    expect(isLapsed(true, 0)).toBe(true)
    expect(isLapsed(true, 1)).toBe(false)
    expect(isLapsed(false, 0)).toBe(false)
  })

  it('a school whose renewal proposal for the service is still waiting for its answer has not lapsed yet', () => {
    expect(isLapsed(true, 0, true)).toBe(false)
    expect(isLapsed(true, 0, false)).toBe(true)
  })

  it('one renewal email per school, service and year', () => {
    expect(renewalEmailKey('s', 'v', 2026)).toBe('renewal:s:v:2026')
    expect(renewalEmailKey('s', 'v', 2027)).not.toBe(renewalEmailKey('s', 'v', 2026))
  })
})

describe('the months of the cumulative chart', () => {
  it('counts income booked before the year in its first month and after it in its last', () => {
    expect(monthOfTradingYear('2026-02-25T10:00:00Z', 2026)).toBe(0)
    expect(monthOfTradingYear('2026-04-01T00:00:00Z', 2026)).toBe(0)
    expect(monthOfTradingYear('2026-11-20T16:00:00Z', 2026)).toBe(7)
    expect(monthOfTradingYear('2027-03-31T23:59:00Z', 2026)).toBe(11)
    expect(monthOfTradingYear('2027-05-01T00:00:00Z', 2026)).toBe(11)
    // A January financial year.
    expect(monthOfTradingYear('2026-03-15T00:00:00Z', 2026, 1)).toBe(2)
  })

  it('knows how many months have begun', () => {
    const today = new Date('2026-11-22T12:00:00Z')
    expect(monthsBegun(today, 2026)).toBe(8)
    expect(monthsBegun(today, 2025)).toBe(12)
    expect(monthsBegun(today, 2027)).toBe(0)
  })

  it('adds up month by month, leaving months not yet begun empty', () => {
    const monthly = [5, 0, 2, 3, 0, 0, 0, 0, 0, 0, 0, 1]
    expect(cumulative(monthly)).toEqual([5, 5, 7, 10, 10, 10, 10, 10, 10, 10, 10, 11])
    expect(cumulative(monthly, 3)).toEqual([5, 5, 7, null, null, null, null, null, null, null, null, null])
  })
})
