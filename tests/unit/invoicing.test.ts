import { describe, expect, it } from 'vitest'
import {
  ageBand,
  allocatePayment,
  billingDateOf,
  chargesDue,
  creditNoteNumber,
  dueOn,
  financeRouteOn,
  groupIntoInvoices,
  invoiceNumber,
  journalMonthFor,
  matchPayoutTransactions,
  nextBillingDate,
  nextStripeStatus,
  outstandingPence,
  settledStatus,
  splitPence,
  termInstalments,
  instalmentsCovered,
  type BillableLine,
} from '~/domain/invoicing'

const line = (over: Partial<BillableLine> = {}): BillableLine => ({
  id: 'line-1',
  orderId: 'order-1',
  serviceId: 'service-ep',
  description: 'Educational Psychology: consultation days',
  schedule: 'annual_in_advance',
  status: 'confirmed',
  tradingYear: 2026,
  quantity: 3,
  unitPricePence: 55_000,
  netPence: 165_000,
  vatRateBasisPoints: 2000,
  vatPence: 33_000,
  periodStart: '2026-04-01',
  periodEnd: '2027-03-31',
  confirmedOn: '2026-06-10',
  cancelledOn: null,
  cancellationFeePence: 0,
  deliveries: [],
  ...over,
})

describe('annual in advance', () => {
  it('is invoiced in full on the day the line is confirmed', () => {
    const charges = chargesDue(line(), '2026-06-10')
    expect(charges).toHaveLength(1)
    expect(charges[0]).toMatchObject({ key: 'line:line-1:annual', issueOn: '2026-06-10', netPence: 165_000, vatPence: 33_000 })
  })

  it('owes nothing before confirmation day', () => {
    expect(chargesDue(line(), '2026-06-09')).toEqual([])
  })

  it('a line that was never confirmed (waitlisted, rejected) owes nothing', () => {
    expect(chargesDue(line({ status: 'waitlisted', confirmedOn: null }), '2027-03-31')).toEqual([])
    expect(chargesDue(line({ status: 'rejected', confirmedOn: null }), '2027-03-31')).toEqual([])
    // A cluster's pooled block is shared out to its members instead (clusterShareCharges).
    expect(chargesDue(line({ clusterId: 'cluster-1' }), '2027-03-31')).toEqual([])
  })
})

describe('termly in three instalments', () => {
  const termly = line({ schedule: 'termly', netPence: 100_001, vatPence: 20_000, confirmedOn: '2026-03-20' })

  it('instalments fall on the first day of the summer, autumn and spring terms', () => {
    expect(termInstalments(2026).map((t) => t.startsOn)).toEqual(['2026-04-13', '2026-09-02', '2027-01-05'])
    expect(chargesDue(termly, '2027-03-31').map((c) => [c.key, c.issueOn])).toEqual([
      ['line:line-1:term-1', '2026-04-13'],
      ['line:line-1:term-2', '2026-09-02'],
      ['line:line-1:term-3', '2027-01-05'],
    ])
  })

  it('the three instalments add up to the line exactly, odd pennies first', () => {
    const charges = chargesDue(termly, '2027-03-31')
    expect(charges.map((c) => c.netPence)).toEqual([33_334, 33_334, 33_333])
    expect(charges.reduce((n, c) => n + c.netPence, 0)).toBe(100_001)
    expect(charges.reduce((n, c) => n + c.vatPence, 0)).toBe(20_000)
  })

  it('only instalments whose term has begun are due', () => {
    expect(chargesDue(termly, '2026-11-22').map((c) => c.instalment)).toEqual([1, 2])
  })

  it('terms already begun when the line is confirmed are invoiced on confirmation', () => {
    const late = { ...termly, confirmedOn: '2026-10-01' }
    expect(chargesDue(late, '2027-03-31').map((c) => c.issueOn)).toEqual(['2026-10-01', '2026-10-01', '2027-01-05'])
  })

  it('a cancelled line stops owing the instalments not yet due when it was cancelled', () => {
    const cancelled = { ...termly, status: 'cancelled', cancelledOn: '2026-10-15' }
    expect(chargesDue(cancelled, '2027-03-31').map((c) => c.instalment)).toEqual([1, 2])
  })
})

describe('termly: only the terms a line’s period covers', () => {
  it('a whole year covers three instalments; from the autumn term two; from the spring term one', () => {
    expect(instalmentsCovered(2026, '2026-04-01', '2027-03-31').map((t) => t.instalment)).toEqual([1, 2, 3])
    expect(instalmentsCovered(2026, '2026-09-02', '2027-03-31').map((t) => t.instalment)).toEqual([2, 3])
    expect(instalmentsCovered(2026, '2027-01-05', '2027-03-31').map((t) => t.instalment)).toEqual([3])
    // A term already under way when the period starts is covered.
    expect(instalmentsCovered(2026, '2026-11-22', '2027-03-31').map((t) => t.instalment)).toEqual([2, 3])
    // A line for the summer term only.
    expect(instalmentsCovered(2026, '2026-04-13', '2026-07-22').map((t) => t.instalment)).toEqual([1])
  })

  it('the authority’s own term dates decide the instalments and their days, once it has set all three', () => {
    const northfield = [
      { tradingYear: 2026, name: 'summer' as const, startsOn: '2026-04-14', endsOn: '2026-07-23' },
      { tradingYear: 2026, name: 'autumn' as const, startsOn: '2026-09-03', endsOn: '2026-12-19' },
      { tradingYear: 2026, name: 'spring' as const, startsOn: '2027-01-06', endsOn: '2027-03-27' },
    ]
    expect(termInstalments(2026, northfield).map((t) => [t.term, t.startsOn])).toEqual([
      ['Summer term 2026', '2026-04-14'],
      ['Autumn term 2026', '2026-09-03'],
      ['Spring term 2027', '2027-01-06'],
    ])
    // Without all three, the usual days.
    expect(termInstalments(2026, northfield.slice(0, 2)).map((t) => t.startsOn)).toEqual(['2026-04-13', '2026-09-02', '2027-01-05'])
    const year = line({ schedule: 'termly', netPence: 90_000, vatPence: 0, confirmedOn: '2026-03-20', terms: northfield })
    expect(chargesDue(year, '2027-03-31').map((c) => [c.issueOn, c.netPence])).toEqual([
      ['2026-04-14', 30_000],
      ['2026-09-03', 30_000],
      ['2027-01-06', 30_000],
    ])
    // With the terms’ last days known, a period starting in the summer holiday covers the autumn and spring terms.
    expect(instalmentsCovered(2026, '2026-08-10', '2027-03-31', northfield).map((t) => t.instalment)).toEqual([2, 3])
    expect(instalmentsCovered(2026, '2026-08-10', '2027-03-31').map((t) => t.instalment)).toEqual([1, 2, 3])
  })

  it('a class from the spring term (£483.33) is one instalment of the whole amount, on the term’s first day', () => {
    const spring = line({ schedule: 'termly', netPence: 48_333, vatPence: 0, periodStart: '2027-01-05', confirmedOn: '2026-12-04' })
    expect(chargesDue(spring, '2026-12-31')).toEqual([])
    const charges = chargesDue(spring, '2027-03-31')
    expect(charges.map((c) => [c.key, c.issueOn, c.netPence])).toEqual([['line:line-1:term-3', '2027-01-05', 48_333]])
    expect(charges[0]!.description).toContain('Spring term 2027: instalment 1 of 1')
  })
})

describe('billing date: never before the period starts', () => {
  // A renewal for 2027/28 accepted (and confirmed) in December 2026.
  const renewal = line({ tradingYear: 2027, periodStart: '2027-04-01', periodEnd: '2028-03-31', confirmedOn: '2026-12-07' })

  it('annual, confirmed before its period: invoiced on the first day of the period', () => {
    expect(billingDateOf({ confirmedOn: '2026-12-07', periodStart: '2027-04-01' })).toBe('2027-04-01')
  })

  it('annual, confirmed during its period: invoiced on the day it is confirmed', () => {
    expect(billingDateOf({ confirmedOn: '2026-12-07', periodStart: '2026-04-01' })).toBe('2026-12-07')
  })

  it('a renewal for next year accepted in December owes nothing until 1 April, then all of it, once', () => {
    expect(chargesDue(renewal, '2026-12-07')).toEqual([])
    expect(chargesDue(renewal, '2027-03-31')).toEqual([])
    const charges = chargesDue(renewal, '2027-04-01')
    expect(charges.map((c) => [c.key, c.issueOn, c.netPence])).toEqual([['line:line-1:annual', '2027-04-01', 165_000]])
    expect(chargesDue(renewal, '2027-09-01')).toEqual(charges)
  })

  it('termly, confirmed before its period: no instalment before the period starts, each on its term’s first day', () => {
    const termly = { ...renewal, schedule: 'termly' as const }
    expect(chargesDue(termly, '2027-04-12')).toEqual([])
    expect(chargesDue(termly, '2028-03-31').map((c) => [c.instalment, c.issueOn])).toEqual([
      [1, '2027-04-13'],
      [2, '2027-09-02'],
      [3, '2028-01-05'],
    ])
  })

  it('termly, a period starting after its term began: the one instalment falls on the period’s first day, not earlier, once', () => {
    const spring = line({ schedule: 'termly', periodStart: '2027-01-11', confirmedOn: '2026-11-22' })
    expect(chargesDue(spring, '2027-01-10')).toEqual([])
    expect(chargesDue(spring, '2027-03-31').map((c) => [c.key, c.issueOn, c.netPence])).toEqual([['line:line-1:term-3', '2027-01-11', 165_000]])
  })

  it('on delivery stays monthly in arrears, whatever the period', () => {
    const payg = line({ schedule: 'on_delivery', unitPricePence: 4_500, deliveries: [{ deliveredOn: '2027-04-20', units: 1 }] })
    expect(chargesDue({ ...payg, periodStart: '2027-04-01' }, '2027-05-01').map((c) => c.issueOn)).toEqual(['2027-05-01'])
  })

  it('a renewal cancelled before its period starts owes nothing', () => {
    expect(chargesDue({ ...renewal, status: 'cancelled', cancelledOn: '2027-02-01' }, '2027-12-31')).toEqual([])
  })

  it('the next billing date the order page shows: the first charge not yet issued, none once all are, none for on delivery', () => {
    expect(nextBillingDate(renewal, new Set())).toBe('2027-04-01')
    expect(nextBillingDate(renewal, new Set(['line:line-1:annual']))).toBeNull()
    const termly = { ...renewal, schedule: 'termly' as const }
    expect(nextBillingDate(termly, new Set(['line:line-1:term-1']))).toBe('2027-09-02')
    expect(nextBillingDate({ ...renewal, schedule: 'on_delivery' }, new Set())).toBeNull()
  })
})

describe('on delivery, monthly in arrears', () => {
  const payg = line({
    schedule: 'on_delivery',
    unitPricePence: 4_500,
    vatRateBasisPoints: 0,
    vatPence: 0,
    deliveries: [
      { deliveredOn: '2026-10-03', units: 2 },
      { deliveredOn: '2026-10-20', units: 1.5 },
      { deliveredOn: '2026-11-04', units: 1 },
    ],
  })

  it("a month's delivery is invoiced on the 1st of the next month at the line's unit price", () => {
    const charges = chargesDue(payg, '2026-11-22')
    expect(charges).toHaveLength(1)
    expect(charges[0]).toMatchObject({
      key: 'line:line-1:delivery:2026-10',
      issueOn: '2026-11-01',
      quantity: 3.5,
      netPence: 15_750,
      billingMonth: '2026-10-01',
    })
  })

  it('the current month waits until it is over', () => {
    expect(chargesDue(payg, '2026-12-01').map((c) => c.key)).toEqual(['line:line-1:delivery:2026-10', 'line:line-1:delivery:2026-11'])
  })

  it('VAT is worked out on each month for academies', () => {
    const academy = { ...payg, vatRateBasisPoints: 2000 }
    expect(chargesDue(academy, '2026-11-22')[0]).toMatchObject({ netPence: 15_750, vatPence: 3_150 })
  })
})

describe('late cancellation', () => {
  it('the fee is invoiced on the day of cancelling, with VAT at the line rate', () => {
    const cancelled = line({ status: 'cancelled', cancelledOn: '2026-07-01', cancellationFeePence: 82_500 })
    const charges = chargesDue(cancelled, '2026-07-01')
    expect(charges.map((c) => c.key)).toEqual(['line:line-1:annual', 'line:line-1:late-fee'])
    expect(charges[1]).toMatchObject({ issueOn: '2026-07-01', netPence: 82_500, vatPence: 16_500, isFee: true })
  })

  it('a free cancellation owes no fee', () => {
    const cancelled = line({ status: 'cancelled', cancelledOn: '2026-07-01' })
    expect(chargesDue(cancelled, '2026-07-01').some((c) => c.isFee)).toBe(false)
  })
})

describe('grouping charges into invoices', () => {
  it('one invoice per order and issue day, in issue order, totals summed', () => {
    const a = chargesDue(line({ id: 'a', orderId: 'o2', confirmedOn: '2026-06-11' }), '2026-12-01')
    const b = chargesDue(line({ id: 'b', orderId: 'o1', confirmedOn: '2026-06-11' }), '2026-12-01')
    const c = chargesDue(line({ id: 'c', orderId: 'o1', confirmedOn: '2026-06-11', netPence: 1_000, vatPence: 200 }), '2026-12-01')
    const d = chargesDue(line({ id: 'd', orderId: 'o1', confirmedOn: '2026-06-01' }), '2026-12-01')
    const drafts = groupIntoInvoices([...a, ...b, ...c, ...d])
    expect(drafts.map((x) => [x.issueOn, x.orderId, x.charges.length])).toEqual([
      ['2026-06-01', 'o1', 1],
      ['2026-06-11', 'o1', 2],
      ['2026-06-11', 'o2', 1],
    ])
    expect(drafts[1]).toMatchObject({ netPence: 166_000, vatPence: 33_200, grossPence: 199_200 })
  })

  it('a trust order invoiced to the trust: one invoice per issue day for all its orders, other orders their own', () => {
    const foleshill = chargesDue(
      line({ id: 'f', orderId: 'o-foleshill', confirmedOn: '2026-06-11', netPence: 110_000, vatPence: 22_000 }),
      '2026-12-01',
    )
    const spireView = chargesDue(line({ id: 's', orderId: 'o-spire', confirmedOn: '2026-06-11', netPence: 500_000, vatPence: 100_000 }), '2026-12-01')
    const later = chargesDue(line({ id: 'l', orderId: 'o-spire', confirmedOn: '2026-06-12' }), '2026-12-01')
    const own = chargesDue(line({ id: 'o', orderId: 'o-own', confirmedOn: '2026-06-11' }), '2026-12-01')
    const trustOrderOf = (c: { orderId: string }) => (c.orderId === 'o-own' ? null : 'tro-1')
    const drafts = groupIntoInvoices([...own, ...spireView, ...later, ...foleshill], trustOrderOf)
    expect(drafts.map((d) => [d.issueOn, d.orderId, d.trustOrderId, d.charges.map((c) => c.lineId)])).toEqual([
      ['2026-06-11', 'o-own', null, ['o']],
      ['2026-06-11', null, 'tro-1', ['s', 'f']],
      ['2026-06-12', null, 'tro-1', ['l']],
    ])
    expect(drafts[1]).toMatchObject({ netPence: 610_000, vatPence: 122_000, grossPence: 732_000 })
    // Without consolidation, each school's order is its own invoice.
    expect(groupIntoInvoices([...spireView, ...foleshill]).map((d) => [d.orderId, d.trustOrderId])).toEqual([
      ['o-foleshill', null],
      ['o-spire', null],
    ])
  })

  it('a line priced at £0 (included in a subscription) raises no invoice', () => {
    const free = chargesDue(line({ id: 'free', orderId: 'o3', confirmedOn: '2026-06-11', unitPricePence: 0, netPence: 0, vatPence: 0 }), '2026-12-01')
    const paid = chargesDue(line({ id: 'paid', orderId: 'o3', confirmedOn: '2026-06-11' }), '2026-12-01')
    expect(groupIntoInvoices(free)).toEqual([])
    expect(groupIntoInvoices([...free, ...paid]).map((d) => d.charges.map((c) => c.lineId))).toEqual([['paid']])
  })
})

describe('numbers', () => {
  it('invoice numbers are the prefix and six digits', () => {
    expect(invoiceNumber('COV', 123)).toBe('COV-000123')
    expect(creditNoteNumber('COV', 12)).toBe('COV-CN-000012')
    expect(() => invoiceNumber('COV', 0)).toThrow(RangeError)
  })
})

describe('finance route', () => {
  it('a maintained school pays by internal recharge, an academy by invoice', () => {
    expect(financeRouteOn({ financeRoute: 'internal_recharge', convertedToAcademyOn: null }, '2026-11-01')).toBe('internal_recharge')
    expect(financeRouteOn({ financeRoute: 'invoice', convertedToAcademyOn: null }, '2026-11-01')).toBe('invoice')
  })

  it('a school converting to an academy switches to invoices from its conversion day', () => {
    const school = { financeRoute: 'internal_recharge' as const, convertedToAcademyOn: '2026-12-01' }
    expect(financeRouteOn(school, '2026-11-30')).toBe('internal_recharge')
    expect(financeRouteOn(school, '2026-12-01')).toBe('invoice')
  })
})

describe('journals and due dates', () => {
  it("an internal recharge goes in its issue month's journal, or the next one not yet posted", () => {
    expect(journalMonthFor('2026-11-15', new Set())).toBe('2026-11-01')
    expect(journalMonthFor('2026-11-15', new Set(['2026-11-01', '2026-12-01']))).toBe('2027-01-01')
  })

  it('an invoice is due 30 days after issue; a recharge at the end of its journal month', () => {
    expect(dueOn('invoice', '2026-11-15')).toBe('2026-12-15')
    expect(dueOn('internal_recharge', '2026-11-15', '2026-12-01')).toBe('2026-12-31')
    expect(dueOn('internal_recharge', '2027-02-03')).toBe('2027-02-28')
  })
})

describe('status', () => {
  const inv = { grossPence: 10_000, amountPaidPence: 0, amountCreditedPence: 0 }

  it('an invoice is paid when payments (with any credit) cover it', () => {
    expect(settledStatus('open', { ...inv, amountPaidPence: 6_000, amountCreditedPence: 4_000 })).toBe('paid')
    expect(settledStatus('open', { ...inv, amountPaidPence: 6_000 })).toBe('open')
    expect(outstandingPence({ ...inv, amountPaidPence: 6_000 })).toBe(4_000)
  })

  it('an invoice credited in full is credited, not paid', () => {
    expect(settledStatus('open', { ...inv, amountCreditedPence: 10_000 })).toBe('credited')
  })

  it('a void invoice stays void', () => {
    expect(settledStatus('void', { ...inv, amountPaidPence: 10_000 })).toBe('void')
  })

  it('a paid invoice never goes back to open, whatever order Stripe events arrive in', () => {
    expect(nextStripeStatus('paid', 'open')).toBe('paid')
    expect(nextStripeStatus('paid', 'uncollectible')).toBe('paid')
    expect(nextStripeStatus('paid', 'void')).toBe('paid')
    expect(nextStripeStatus('open', 'paid')).toBe('paid')
  })

  it('an uncollectible invoice can still be paid or voided', () => {
    expect(nextStripeStatus('uncollectible', 'paid')).toBe('paid')
    expect(nextStripeStatus('uncollectible', 'void')).toBe('void')
    expect(nextStripeStatus('uncollectible', 'open')).toBe('uncollectible')
  })
})

describe('aged debt bands', () => {
  it('counts whole days past the due date', () => {
    expect(ageBand('2026-11-22', '2026-11-22')).toBe('not_due')
    expect(ageBand('2026-11-21', '2026-11-22')).toBe('days_1_30')
    expect(ageBand('2026-10-23', '2026-11-22')).toBe('days_1_30')
    expect(ageBand('2026-10-22', '2026-11-22')).toBe('days_31_60')
    expect(ageBand('2026-08-24', '2026-11-22')).toBe('days_61_90')
    expect(ageBand('2026-08-23', '2026-11-22')).toBe('over_90')
  })
})

describe('allocating a remittance', () => {
  it('pays invoices in the order given, each up to what it owes, and reports what is left', () => {
    const result = allocatePayment(15_000, [
      { id: 'a', outstandingPence: 10_000 },
      { id: 'b', outstandingPence: 0 },
      { id: 'c', outstandingPence: 2_000 },
    ])
    expect(result).toEqual({
      allocations: [
        { invoiceId: 'a', amountPence: 10_000 },
        { invoiceId: 'c', amountPence: 2_000 },
      ],
      unallocatedPence: 3_000,
    })
  })

  it('refuses a payment of nothing or of fractions of a penny', () => {
    expect(() => allocatePayment(0, [])).toThrow(RangeError)
    expect(() => allocatePayment(10.5, [])).toThrow(RangeError)
  })
})

describe('splitting pence', () => {
  it('shares add up exactly', () => {
    expect(splitPence(10, 3)).toEqual([4, 3, 3])
    expect(splitPence(0, 3)).toEqual([0, 0, 0])
  })
})

describe('reconciling a payout', () => {
  it('matches charges to payments by payment intent and leaves the rest for finance', () => {
    const result = matchPayoutTransactions(
      [
        { id: 'txn_1', type: 'charge', amountPence: 120_000, feePence: 0, netPence: 120_000, paymentIntentId: 'pi_1' },
        { id: 'txn_2', type: 'charge', amountPence: 5_000, feePence: 0, netPence: 5_000, paymentIntentId: 'pi_unknown' },
        { id: 'txn_3', type: 'refund', amountPence: -2_000, feePence: 0, netPence: -2_000, paymentIntentId: null },
      ],
      new Map([['pi_1', 'payment-1']]),
    )
    expect(result.matches).toEqual([
      { transactionId: 'txn_1', paymentId: 'payment-1' },
      { transactionId: 'txn_2', paymentId: null },
      { transactionId: 'txn_3', paymentId: null },
    ])
    expect(result).toMatchObject({ matched: 1, unmatched: 2, matchedPence: 120_000, unmatchedPence: 3_000 })
  })
})
