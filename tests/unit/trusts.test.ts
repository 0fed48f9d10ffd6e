import { describe, expect, it } from 'vitest'
import {
  sameTrustName,
  blockSettlesOn,
  blockUnitsLeft,
  clusterShareCharges,
  pooledQuote,
  clusterShares,
  invoicedToTrust,
  isMemberOn,
  memberSchoolIds,
  partnershipDiscount,
  trustBasketNeedsApproval,
  type Membership,
} from '~/domain/trusts'
import { quotePrice, type PricedOffer } from '~/domain/pricing'
import type { BillableLine } from '~/domain/invoicing'

const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0)

describe('membership', () => {
  const joined: Membership = { schoolId: 'foleshill', joinedOn: '2024-09-01', leftOn: null }
  const left: Membership = { schoolId: 'kingfisher', joinedOn: '2023-04-01', leftOn: '2026-12-01' }

  it('counts a school from the day it joined until the day before it left', () => {
    expect(isMemberOn(joined, '2024-08-31')).toBe(false)
    expect(isMemberOn(joined, '2024-09-01')).toBe(true)
    expect(isMemberOn(joined, '2030-01-01')).toBe(true)
    expect(isMemberOn(left, '2026-11-30')).toBe(true)
    expect(isMemberOn(left, '2026-12-01')).toBe(false)
  })

  it('shows a trust its members of today only: a school that has left is no longer visible to it', () => {
    const rejoined: Membership = { schoolId: 'kingfisher', joinedOn: '2027-01-10', leftOn: null }
    expect(memberSchoolIds([joined, left], '2026-11-30')).toEqual(['foleshill', 'kingfisher'])
    expect(memberSchoolIds([joined, left], '2026-12-07')).toEqual(['foleshill'])
    expect(memberSchoolIds([joined, left, rejoined], '2027-01-10')).toEqual(['foleshill', 'kingfisher'])
    expect(memberSchoolIds([], '2026-12-07')).toEqual([])
  })
})

describe('GIAS’s trust names', () => {
  it('match a trust kept here ignoring case, spacing, punctuation and a closing Limited or Ltd', () => {
    expect(sameTrustName('THREE SPIRES ACADEMY TRUST', 'Three Spires Academy Trust')).toBe(true)
    expect(sameTrustName('Three  Spires Academy Trust Ltd', 'Three Spires Academy Trust')).toBe(true)
    expect(sameTrustName('THE ELM-TREE TRUST LIMITED', 'The Elm Tree Trust')).toBe(true)
    expect(sameTrustName('Three Spires Learning Trust', 'Three Spires Academy Trust')).toBe(false)
    expect(sameTrustName(null, 'Three Spires Academy Trust')).toBe(false)
    expect(sameTrustName('   ', '')).toBe(false)
  })
})

describe('a trust’s basket', () => {
  it('waits for the trust’s approver at or above the trust’s limit, all schools’ lines together', () => {
    const lines = [{ grossPence: 330_000 }, { grossPence: 220_000 }]
    expect(trustBasketNeedsApproval(lines, 550_001)).toBe(false)
    expect(trustBasketNeedsApproval(lines, 550_000)).toBe(true)
    // Each school's lines alone are under the limit: the trust's total is what counts.
    expect(trustBasketNeedsApproval([lines[0]!], 500_000)).toBe(false)
    expect(trustBasketNeedsApproval(lines, 500_000)).toBe(true)
  })

  it('consolidated invoicing sends what academies pay by invoice to the trust, and journals maintained schools on their own', () => {
    expect(invoicedToTrust('consolidated', 'invoice')).toBe(true)
    expect(invoicedToTrust('consolidated', 'internal_recharge')).toBe(false)
    expect(invoicedToTrust('per_school', 'invoice')).toBe(false)
    expect(invoicedToTrust('per_school', 'internal_recharge')).toBe(false)
  })
})

describe('a cluster’s pooled block', () => {
  // EP days: £550 a day, £500 from 20 days, £480 from 40 (maintained); the academy price a little more.
  const epDays: PricedOffer = {
    authorityId: 'coventry',
    pricingModel: 'per_unit',
    vatCategory: 'exempt',
    unit: { one: 'day', other: 'days' },
    prices: [
      {
        tradingYear: 2026,
        base: { maintained: 55_000, academy: 60_000 },
        perPupil: null,
        minimumCharge: null,
        tiers: [
          { minQuantity: 1, maxQuantity: 19, unitPrice: { maintained: 55_000, academy: 60_000 } },
          { minQuantity: 20, maxQuantity: 39, unitPrice: { maintained: 50_000, academy: 55_000 } },
          { minQuantity: 40, maxQuantity: null, unitPrice: { maintained: 48_000, academy: 53_000 } },
        ],
        bands: [],
      },
    ],
  }
  const school = { authorityId: 'coventry', type: 'maintained' as const, pupilCount: 300 }
  const on = new Date('2026-12-07T10:00:00Z')

  it('prices the pooled quantity: 40 days for four schools reach the 40-day tier and the partnership discount', () => {
    const alone = quotePrice(epDays, school, 10, on)
    const pooled = quotePrice(epDays, school, 40, on)
    if (!alone.ok || !pooled.ok) throw new Error('not priced')
    expect(alone.quote.netPence).toBe(550_000)
    expect(pooled.quote.netPence).toBe(40 * 48_000)
    const rule = { fromQuantity: 40, percentOff: 10 }
    expect(partnershipDiscount(rule, 40, pooled.quote.netPence)).toEqual({ discountPence: 192_000, netPence: 1_728_000 })
    // Below the threshold, or with no rule: nothing off.
    expect(partnershipDiscount(rule, 39, 39 * 50_000)).toEqual({ discountPence: 0, netPence: 1_950_000 })
    expect(partnershipDiscount(null, 80, 100)).toEqual({ discountPence: 0, netPence: 100 })
    // To the nearest penny: 12.5% of £10.01 is 125.125p.
    expect(partnershipDiscount({ fromQuantity: 1, percentOff: 12.5 }, 1, 1_001)).toEqual({ discountPence: 125, netPence: 876 })
  })

  it('splits the block by use, in whole pence that add up to its price exactly (odd pennies to the largest user)', () => {
    const members = ['alder', 'birch', 'cedar', 'elm-bank']
    const used = new Map([
      ['elm-bank', 14],
      ['alder', 9],
      ['birch', 10.5],
    ])
    const shares = clusterShares(1_728_001, members, { basis: 'use' }, used)
    // 33.5 days used in all: 14/33.5, 9/33.5 and 10.5/33.5 of £17,280.01; Cedar used none.
    expect(shares).toEqual(
      new Map([
        ['alder', 464_239],
        ['birch', 541_612],
        ['cedar', 0],
        ['elm-bank', 722_150],
      ]),
    )
    expect(sum(shares)).toBe(1_728_001)
  })

  it('splits by fixed shares, and equally when nobody has used the block yet', () => {
    const members = ['a', 'b', 'c']
    const fixed = clusterShares(
      100_000,
      members,
      {
        basis: 'shares',
        shares: new Map([
          ['a', 1],
          ['b', 1],
          ['c', 1],
        ]),
      },
      new Map(),
    )
    expect([...fixed.values()]).toEqual([33_334, 33_333, 33_333])
    expect(sum(fixed)).toBe(100_000)
    const weighted = clusterShares(
      99_999,
      members,
      {
        basis: 'shares',
        shares: new Map([
          ['a', 50],
          ['b', 30],
          ['c', 20],
        ]),
      },
      new Map(),
    )
    // 49,999.5p, 29,999.7p and 19,999.8p: the 2p left over go to the largest share.
    expect(weighted).toEqual(
      new Map([
        ['a', 50_001],
        ['b', 29_999],
        ['c', 19_999],
      ]),
    )
    const unused = clusterShares(1_001, members, { basis: 'use' }, new Map())
    expect([...unused.values()]).toEqual([335, 333, 333])
    expect(() => clusterShares(10.5, members, { basis: 'use' }, new Map())).toThrow(RangeError)
  })

  it('is drawn down by each school’s use and never overdrawn', () => {
    expect(blockUnitsLeft(40, new Map())).toBe(40)
    expect(
      blockUnitsLeft(
        40,
        new Map([
          ['a', 14],
          ['b', 10.5],
        ]),
      ),
    ).toBe(15.5)
    expect(blockUnitsLeft(40, new Map([['a', 41]]))).toBe(0)
  })

  it('prices a pooled block with the partnership discount off the net and VAT on the rest', () => {
    // An academy, which pays VAT: 40 days at £530, 10% off, then 20% VAT.
    const pooled = quotePrice({ ...epDays, vatCategory: 'standard' }, { ...school, type: 'academy' }, 40, on)
    if (!pooled.ok) throw new Error('not priced')
    const block = pooledQuote(pooled.quote, { fromQuantity: 40, percentOff: 10 })
    expect([block.netPence, block.vatPence, block.grossPence]).toEqual([1_908_000, 381_600, 2_289_600])
    expect(block.explanation).toContain('10% partnership discount')
    // Below the threshold: the tier's price, nothing off.
    const smaller = quotePrice(epDays, school, 30, on)
    if (!smaller.ok) throw new Error('not priced')
    expect(pooledQuote(smaller.quote, { fromQuantity: 40, percentOff: 10 }).netPence).toBe(30 * 50_000)
  })

  const blockLine = (over: Partial<BillableLine> = {}): BillableLine => ({
    id: 'block',
    orderId: 'elm-bank-order',
    serviceId: 'ep',
    description: 'Educational psychologist days',
    schedule: 'annual_in_advance',
    status: 'confirmed',
    tradingYear: 2026,
    quantity: 40,
    unitPricePence: 48_000,
    netPence: 1_728_001,
    vatRateBasisPoints: 2000,
    vatPence: 345_601,
    periodStart: '2026-04-01',
    periodEnd: '2027-03-31',
    confirmedOn: '2026-04-02',
    cancelledOn: null,
    cancellationFeePence: 0,
    clusterId: 'elm-bank-cluster',
    deliveries: [
      { deliveredOn: '2026-05-10', units: 14, schoolId: 'elm-bank' },
      { deliveredOn: '2026-06-10', units: 9, schoolId: 'alder' },
      { deliveredOn: '2026-07-10', units: 10.5, schoolId: 'birch' },
    ],
    ...over,
  })
  const members = ['alder', 'birch', 'cedar', 'elm-bank']

  it('is invoiced once used up or after its period, each member its share by use, adding up to the block to the penny', () => {
    expect(clusterShareCharges(blockLine(), { members, split: { basis: 'use' } }, '2027-03-31')).toEqual([])
    const charges = clusterShareCharges(blockLine(), { members, split: { basis: 'use' } }, '2027-04-01')
    expect(charges.map((c) => [c.schoolId, c.issueOn, c.netPence, c.key])).toEqual([
      ['alder', '2027-04-01', 464_239, 'line:block:cluster:alder'],
      ['birch', '2027-04-01', 541_612, 'line:block:cluster:birch'],
      ['elm-bank', '2027-04-01', 722_150, 'line:block:cluster:elm-bank'],
    ])
    expect(charges.reduce((n, c) => n + c.netPence, 0)).toBe(1_728_001)
    expect(charges.reduce((n, c) => n + c.vatPence, 0)).toBe(345_601)
    expect(charges[0]!.description).toContain('9 of 40 used')
    // Used up on 1 August: shared out that day.
    const usedUp = blockLine({ deliveries: [...blockLine().deliveries, { deliveredOn: '2026-08-01', units: 6.5, schoolId: 'cedar' }] })
    expect(blockSettlesOn(usedUp, '2026-12-01')).toBe('2026-08-01')
    const settled = clusterShareCharges(usedUp, { members, split: { basis: 'use' } }, '2026-12-01')
    expect(settled.map((c) => c.schoolId)).toEqual(members)
    expect(settled.reduce((n, c) => n + c.netPence + c.vatPence, 0)).toBe(1_728_001 + 345_601)
    // Cancelled or never confirmed: not shared out.
    expect(blockSettlesOn(blockLine({ status: 'cancelled' }), '2027-06-01')).toBeNull()
  })

  it('is shared by fixed shares when the cluster agreed them, whatever each school used', () => {
    const shares = new Map([
      ['alder', 1],
      ['birch', 1],
      ['cedar', 1],
      ['elm-bank', 2],
    ])
    const charges = clusterShareCharges(
      blockLine({ netPence: 100_001, vatPence: 20_000 }),
      { members, split: { basis: 'shares', shares } },
      '2027-04-01',
    )
    expect(charges.map((c) => [c.schoolId, c.netPence, c.vatPence])).toEqual([
      ['alder', 20_000, 4_000],
      ['birch', 20_000, 4_000],
      ['cedar', 20_000, 4_000],
      ['elm-bank', 40_001, 8_000],
    ])
    expect(charges[3]!.description).toContain('2 of 5 shares')
  })
})
