import { describe, expect, it } from 'vitest'
import { capacityHours, decideHours, decidePlaces, hoursLeft, lineHours, linesToPromote, orderStatusFromLines } from '~/domain/capacity'

describe('team capacity', () => {
  it('capacity is establishment FTE × chargeable hours per FTE + sessional hours', () => {
    expect(capacityHours({ establishmentFte: 7.5, chargeableHoursPerFte: 1000, sessionalHours: 50 })).toBe(7550)
    expect(capacityHours({ establishmentFte: 0.33, chargeableHoursPerFte: 1000, sessionalHours: 0 })).toBe(330)
  })

  it('a line takes hours per unit × quantity, exactly', () => {
    expect(lineHours(6.5, 3)).toBe(19.5)
    expect(lineHours(3.25, 3)).toBe(9.75)
    expect(lineHours(0.1, 3)).toBe(0.3)
  })

  it('a line that fits what is left is confirmed, to the last hundredth of an hour', () => {
    expect(decideHours({ capacityHours: 100, reservedHours: 80.5, requestedHours: 19.5 })).toBe('confirm')
  })

  it('a line that would take reserved hours over capacity is waitlisted', () => {
    expect(decideHours({ capacityHours: 100, reservedHours: 80.5, requestedHours: 19.51 })).toBe('waitlist')
    expect(decideHours({ capacityHours: 0, reservedHours: 0, requestedHours: 6.5 })).toBe('waitlist')
  })

  it('course places are confirmed only while places are free', () => {
    expect(decidePlaces({ places: 20, taken: 18, requested: 2 })).toBe('confirm')
    expect(decidePlaces({ places: 20, taken: 18, requested: 3 })).toBe('waitlist')
  })

  it('hours left are never negative', () => {
    expect(hoursLeft(100, 38.5)).toBe(61.5)
    expect(hoursLeft(100, 120)).toBe(0)
  })
})

describe('the waiting list', () => {
  const at = (minute: number) => new Date(Date.UTC(2026, 9, 1, 9, minute))

  it('promotes the oldest first', () => {
    const lines = [
      { id: 'c', waitlistedAt: at(3), hours: 6.5 },
      { id: 'a', waitlistedAt: at(1), hours: 6.5 },
      { id: 'b', waitlistedAt: at(2), hours: 6.5 },
    ]
    expect(linesToPromote(lines, 13)).toEqual(['a', 'b'])
  })

  it('a large request that does not fit yet does not hold back smaller, later ones', () => {
    const lines = [
      { id: 'big', waitlistedAt: at(1), hours: 65 },
      { id: 'small', waitlistedAt: at(2), hours: 6.5 },
    ]
    expect(linesToPromote(lines, 10)).toEqual(['small'])
    expect(linesToPromote(lines, 71.5)).toEqual(['big', 'small'])
  })

  it('promotes nothing when no hours are free', () => {
    expect(linesToPromote([{ id: 'a', waitlistedAt: at(1), hours: 1 }], 0)).toEqual([])
  })
})

describe("an order's status from its lines", () => {
  it('waits while every active line waits, and is confirmed once any line is', () => {
    expect(orderStatusFromLines(['waitlisted', 'waitlisted', 'cancelled'])).toBe('waitlisted')
    expect(orderStatusFromLines(['waitlisted', 'confirmed'])).toBe('confirmed')
  })

  it('waits for the headteacher while any line does, and is rejected when every line is', () => {
    expect(orderStatusFromLines(['awaiting_approval', 'cancelled'])).toBe('awaiting_approval')
    expect(orderStatusFromLines(['rejected', 'rejected'])).toBe('rejected')
  })

  it('is cancelled when every line is, completed when every active line is, submitted while any is undecided', () => {
    expect(orderStatusFromLines(['cancelled', 'cancelled'])).toBe('cancelled')
    expect(orderStatusFromLines(['completed', 'cancelled'])).toBe('completed')
    expect(orderStatusFromLines(['submitted', 'confirmed'])).toBe('submitted')
  })
})
