import { describe, expect, it } from 'vitest'
import {
  canAnswer,
  effectiveStatus,
  lastYearText,
  proposalLinesFrom,
  reminderDue,
  windowProblems,
  windowState,
  type ThisYearLine,
} from '../../app/domain/renewals'
import { ukDate } from '../../app/domain/dates'

const line = (over: Partial<ThisYearLine>): ThisYearLine => ({
  offerId: 'ep',
  pricingModel: 'per_unit',
  status: 'confirmed',
  quantity: 10,
  usedUnits: null,
  maxQuantity: null,
  ...over,
})

describe('proposal lines from this year’s lines', () => {
  it('renews confirmed and completed lines, keeping what was bought and used', () => {
    expect(
      proposalLinesFrom([
        line({ offerId: 'ep', quantity: 10, usedUnits: 8 }),
        line({ offerId: 'clerking', pricingModel: 'pupil_banded', quantity: 1, status: 'completed' }),
      ]),
    ).toEqual([
      { offerId: 'ep', quantity: 10, lastYearQuantity: 10, lastYearUsedUnits: 8 },
      { offerId: 'clerking', quantity: 1, lastYearQuantity: 1, lastYearUsedUnits: null },
    ])
  })

  it('leaves out cancelled, rejected, waiting and undecided lines', () => {
    const statuses = ['cancelled', 'rejected', 'waitlisted', 'submitted', 'awaiting_approval', 'draft']
    expect(proposalLinesFrom(statuses.map((status) => line({ status })))).toEqual([])
  })

  it('leaves out course places: a course is a dated event', () => {
    expect(proposalLinesFrom([line({ offerId: 'course', pricingModel: 'per_place', quantity: 2 })])).toEqual([])
  })

  it('adds up lines of the same offer (lessons bought term by term) and their use', () => {
    expect(
      proposalLinesFrom([line({ offerId: 'lessons', quantity: 2, usedUnits: 2 }), line({ offerId: 'lessons', quantity: 3, usedUnits: 1.5 })]),
    ).toEqual([{ offerId: 'lessons', quantity: 5, lastYearQuantity: 5, lastYearUsedUnits: 3.5 }])
  })

  it('caps the quantity at the offer’s most per order, but remembers what was bought', () => {
    expect(proposalLinesFrom([line({ quantity: 12, maxQuantity: 10 })])).toEqual([
      { offerId: 'ep', quantity: 10, lastYearQuantity: 12, lastYearUsedUnits: null },
    ])
  })
})

describe('what the school did with a line this year', () => {
  const day = { one: 'day', other: 'days' }
  it('says how much was used when the team records use', () => {
    expect(lastYearText(10, 8, day)).toBe('You used 8 of 10 days')
    expect(lastYearText(1, 0.5, day)).toBe('You used 0.5 of 1 day')
    expect(lastYearText(10, 0, day)).toBe('You used 0 of 10 days')
  })
  it('says what was bought when use is not recorded', () => {
    expect(lastYearText(2, null, { one: 'class', other: 'classes' })).toBe('You bought 2 classes this year')
  })
})

describe('the renewal window', () => {
  const window = { opensOn: '2026-11-02', closesOn: '2027-01-31' }
  it('is scheduled before its opening day, open from it to its closing day inclusive, then closed', () => {
    expect(windowState(null, '2026-11-22')).toBe('not_set')
    expect(windowState(window, '2026-11-01')).toBe('scheduled')
    expect(windowState(window, '2026-11-02')).toBe('open')
    expect(windowState(window, '2027-01-31')).toBe('open')
    expect(windowState(window, '2027-02-01')).toBe('closed')
  })

  it('must close after it opens, and before the year it renews into starts', () => {
    expect(windowProblems(window, 2027, 4)).toEqual([])
    expect(windowProblems({ opensOn: '2027-01-31', closesOn: '2027-01-31' }, 2027, 4)).toEqual([
      { field: 'closesOn', message: 'The closing date must be after the opening date' },
    ])
    expect(windowProblems({ opensOn: '2026-11-02', closesOn: '2027-04-01' }, 2027, 4)).toEqual([
      { field: 'closesOn', message: 'The closing date must be on or before 31 March 2027, before the new year starts' },
    ])
    expect(windowProblems({ opensOn: '2026-11-02', closesOn: '2027-03-31' }, 2027, 4)).toEqual([])
    expect(windowProblems({ opensOn: '2026-02-30', closesOn: '' }, 2027, 4).map((p) => p.field)).toEqual(['opensOn', 'closesOn'])
  })
})

describe('a proposal’s status', () => {
  it('lapses when still open after the closing day; the closing day itself is in time', () => {
    expect(effectiveStatus('open', '2027-01-31', '2027-01-31')).toBe('open')
    expect(effectiveStatus('open', '2027-01-31', '2027-02-01')).toBe('lapsed')
    expect(canAnswer('open', '2027-01-31', '2027-02-01')).toBe(false)
  })
  it('keeps an answer given in time', () => {
    expect(effectiveStatus('accepted', '2027-01-31', '2027-03-01')).toBe('accepted')
    expect(effectiveStatus('declined', '2027-01-31', '2027-03-01')).toBe('declined')
    expect(canAnswer('accepted', '2027-01-31', '2026-12-01')).toBe(false)
  })
})

describe('renewal reminders', () => {
  const closesOn = '2027-01-31'
  const proposedOn = '2026-11-02'
  it('sends nothing while more than two weeks are left', () => {
    expect(reminderDue({ closesOn, today: '2027-01-16', proposedOn })).toBeNull()
  })
  it('sends the two-week reminder from fourteen days before the closing day', () => {
    expect(reminderDue({ closesOn, today: '2027-01-17', proposedOn })).toEqual({ kind: 'two-weeks', daysLeft: 14 })
    expect(reminderDue({ closesOn, today: '2027-01-27', proposedOn })).toEqual({ kind: 'two-weeks', daysLeft: 4 })
  })
  it('sends the final reminder in the last three days, the closing day included', () => {
    expect(reminderDue({ closesOn, today: '2027-01-28', proposedOn })).toEqual({ kind: 'final', daysLeft: 3 })
    expect(reminderDue({ closesOn, today: '2027-01-31', proposedOn })).toEqual({ kind: 'final', daysLeft: 0 })
  })
  it('sends nothing once the window has closed', () => {
    expect(reminderDue({ closesOn, today: '2027-02-01', proposedOn })).toBeNull()
  })
  it('sends nothing within three days of the proposal itself', () => {
    expect(reminderDue({ closesOn, today: '2027-01-20', proposedOn: '2027-01-18' })).toBeNull()
    expect(reminderDue({ closesOn, today: '2027-01-21', proposedOn: '2027-01-18' })).toEqual({ kind: 'two-weeks', daysLeft: 10 })
  })
  it('counts whole UK days across the clocks changing', () => {
    expect(reminderDue({ closesOn: '2027-03-31', today: '2027-03-28', proposedOn })).toEqual({ kind: 'final', daysLeft: 3 })
  })
})

describe('the council’s day', () => {
  it('is the UK calendar day, whatever the server’s time zone', () => {
    expect(ukDate(new Date('2027-01-31T23:30:00Z'))).toBe('2027-01-31')
    // 23:30 UTC in summer is 00:30 the next day in the UK.
    expect(ukDate(new Date('2026-06-30T23:30:00Z'))).toBe('2026-07-01')
  })
})
