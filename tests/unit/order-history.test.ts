import { describe, expect, it } from 'vitest'
import { eventByline } from '../../app/domain/order-history'

describe('an order’s history credits a person only with what they did', () => {
  it('names the person who submitted, approved or cancelled', () => {
    expect(eventByline({ fromStatus: 'draft', toStatus: 'submitted', actorName: 'Sam Whitaker', isLine: false })).toBe('by Sam Whitaker')
    expect(eventByline({ fromStatus: 'confirmed', toStatus: 'cancelled', actorName: 'Sam Whitaker', isLine: true })).toBe('by Sam Whitaker')
  })

  it('credits Buyback with confirming, the waiting list and closing a delivered order', () => {
    expect(eventByline({ fromStatus: 'submitted', toStatus: 'confirmed', actorName: null, isLine: true })).toBe('by Buyback')
    expect(eventByline({ fromStatus: 'submitted', toStatus: 'waitlisted', actorName: null, isLine: false })).toBe('by Buyback')
    expect(eventByline({ fromStatus: 'confirmed', toStatus: 'completed', actorName: null, isLine: false })).toBe('by Buyback')
  })

  it('says a line confirmed when time freed up came from the waiting list', () => {
    expect(eventByline({ fromStatus: 'waitlisted', toStatus: 'confirmed', actorName: null, isLine: true })).toBe('by Buyback, from the waiting list')
    expect(eventByline({ fromStatus: 'waitlisted', toStatus: 'confirmed', actorName: null, isLine: false })).toBe('by Buyback')
  })

  it('credits the council’s team with what staff entered for a school without a person of its own', () => {
    expect(eventByline({ fromStatus: null, toStatus: 'draft', actorName: null, isLine: false })).toBe('by the council’s traded services team')
  })
})
