import { describe, expect, it } from 'vitest'
import { ordinal, queuePlaces, splitByCapacity, splitPrice, unitsInHours } from '~/domain/capacity'

describe('capacity at the point of buying', () => {
  it('units left are the whole units that fit in the hours left (unitsInHours)', () => {
    expect(unitsInHours(71.5, 6.5)).toBe(11)
    expect(unitsInHours(71.49, 6.5)).toBe(10)
    expect(unitsInHours(0, 6.5)).toBe(0)
    expect(unitsInHours(-3, 6.5)).toBe(0)
    expect(unitsInHours(100, 0)).toBe(0)
  })

  it('a split confirms what fits and waits for the rest (splitByCapacity)', () => {
    expect(splitByCapacity(20, 11)).toEqual({ confirm: 11, wait: 9 })
    expect(splitByCapacity(20, 0)).toEqual({ confirm: 0, wait: 20 })
    expect(splitByCapacity(5, 11)).toEqual({ confirm: 5, wait: 0 })
    expect(splitByCapacity(5, -2)).toEqual({ confirm: 0, wait: 5 })
  })

  it('the two parts of a split line always add up to the line (splitPrice)', () => {
    const line = { quantity: 20, unitPricePence: 50_000, netPence: 1_000_000, vatPence: 200_000, vatRateBasisPoints: 2000 }
    expect(splitPrice(line, 11)).toEqual({ confirmed: { net: 550_000, vat: 110_000 }, waiting: { net: 450_000, vat: 90_000 } })
    const odd = { quantity: 3, unitPricePence: 333, netPence: 999, vatPence: 200, vatRateBasisPoints: 2000 }
    const parts = splitPrice(odd, 1)
    expect(parts.confirmed.net + parts.waiting.net).toBe(999)
    expect(parts.confirmed.vat + parts.waiting.vat).toBe(200)
  })

  it('a place in the queue reads as people say it (ordinal)', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '23rd',
      '101st',
      '111th',
    ])
  })

  it('the waiting list is oldest first, then by id (queuePlaces)', () => {
    const places = queuePlaces([
      { id: 'b', waitlistedAt: new Date('2026-11-02') },
      { id: 'a', waitlistedAt: new Date('2026-11-02') },
      { id: 'c', waitlistedAt: new Date('2026-10-01') },
    ])
    expect([places.get('c'), places.get('a'), places.get('b')]).toEqual([1, 2, 3])
  })
})
