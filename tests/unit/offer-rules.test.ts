import { describe, expect, it } from 'vitest'
import { duplicateAgreement, includingSubscription, INCLUDED_REASON, priceWithInclusions, type HeldLine } from '~/domain/offer-rules'
import type { Quote } from '~/domain/pricing'

const clerking = { id: 'clerking', name: 'Clerking agreement: full governing board', repeatable: false }
const epDays = { id: 'ep-days', name: 'Educational psychologist days', repeatable: true }
const ordered = (offerId: string, tradingYear: number, reference = 'ORD-2026-00012'): HeldLine => ({
  offerId,
  tradingYear,
  where: 'order',
  reference,
})

describe('duplicate yearly agreements (duplicateAgreement)', () => {
  it('refuses a second yearly agreement for the same offer and year, naming the offer and the year', () => {
    const message = duplicateAgreement({ offer: clerking, tradingYear: 2026, held: [ordered('clerking', 2026)] })
    expect(message).toBe(
      'Your school already has Clerking agreement: full governing board for 2026/27 (order ORD-2026-00012): it can be bought only once a year',
    )
  })

  it('refuses one already waiting in the basket, saying it is in the basket', () => {
    const message = duplicateAgreement({
      offer: clerking,
      tradingYear: 2026,
      held: [{ offerId: 'clerking', tradingYear: 2026, where: 'basket', reference: null }],
    })
    expect(message).toContain('Your basket already has Clerking agreement: full governing board for 2026/27')
  })

  it('allows the same agreement for another year, and another offer for the same year', () => {
    expect(duplicateAgreement({ offer: clerking, tradingYear: 2027, held: [ordered('clerking', 2026)] })).toBeNull()
    expect(duplicateAgreement({ offer: clerking, tradingYear: 2026, held: [ordered('committees', 2026)] })).toBeNull()
    expect(duplicateAgreement({ offer: clerking, tradingYear: 2026, held: [] })).toBeNull()
  })

  it('allows an offer that may be bought more than once a year to be bought again', () => {
    expect(duplicateAgreement({ offer: epDays, tradingYear: 2026, held: [ordered('ep-days', 2026)] })).toBeNull()
  })
})

describe('subscription inclusions (priceWithInclusions)', () => {
  const subscription = { offerId: 'subscription', name: 'Governor training subscription', tradingYear: 2026, includes: ['places'] }
  const quote: Quote = {
    tradingYear: 2026,
    quantity: 2,
    unitPricePence: 7_000,
    netPence: 14_000,
    vatRateBasisPoints: 2000,
    vatPence: 2_800,
    grossPence: 16_800,
    explanation: '2 places at £70.00 a place.',
  }

  it('prices what the subscription includes at £0, saying it is included in the subscription', () => {
    const priced = priceWithInclusions(quote, 'places', [subscription])
    expect(priced).toMatchObject({ quantity: 2, unitPricePence: 0, netPence: 0, vatPence: 0, grossPence: 0, tradingYear: 2026 })
    expect(priced.explanation).toBe(`${INCLUDED_REASON}: Governor training subscription for 2026/27 includes it, so there is nothing to pay.`)
  })

  it('charges as usual without the subscription, or when it is held for another year', () => {
    expect(priceWithInclusions(quote, 'places', [])).toEqual(quote)
    expect(priceWithInclusions(quote, 'places', [{ ...subscription, tradingYear: 2025 }])).toEqual(quote)
    expect(priceWithInclusions(quote, 'other-offer', [subscription])).toEqual(quote)
  })

  it('a subscription never includes itself', () => {
    expect(includingSubscription('subscription', 2026, [{ ...subscription, includes: ['subscription'] }])).toBeNull()
  })
})
