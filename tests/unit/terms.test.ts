import { describe, expect, it } from 'vitest'
import {
  currentOrNextTerm,
  isBankHoliday,
  isSchoolDay,
  proRataByTerms,
  schoolDaysBetween,
  termDatesProblems,
  termLabel,
  termOn,
  termsBegun,
  termsCovering,
  termsOfYear,
  type Term,
} from '~/domain/terms'

// Coventry's demo terms for 2026/27 and 2027/28.
const terms: Term[] = [
  { tradingYear: 2026, name: 'summer', startsOn: '2026-04-13', endsOn: '2026-07-22' },
  { tradingYear: 2026, name: 'autumn', startsOn: '2026-09-02', endsOn: '2026-12-18' },
  { tradingYear: 2026, name: 'spring', startsOn: '2027-01-05', endsOn: '2027-03-26' },
  { tradingYear: 2027, name: 'spring', startsOn: '2028-01-05', endsOn: '2028-03-24' },
  { tradingYear: 2027, name: 'summer', startsOn: '2027-04-12', endsOn: '2027-07-21' },
  { tradingYear: 2027, name: 'autumn', startsOn: '2027-09-01', endsOn: '2027-12-17' },
]

describe('terms', () => {
  it('a term is named by its season and the year it starts in', () => {
    expect(termLabel(terms[2]!)).toBe('Spring term 2027')
    expect(termLabel(terms[0]!)).toBe('Summer term 2026')
  })

  it('a year’s terms come in the order summer, autumn, spring', () => {
    expect(termsOfYear(terms, 2027).map((t) => t.name)).toEqual(['summer', 'autumn', 'spring'])
  })

  it('a day falls in the term whose dates hold it, and holidays in none', () => {
    expect(termOn(terms, '2026-12-04')?.name).toBe('autumn')
    expect(termOn(terms, '2027-01-05')?.name).toBe('spring')
    expect(termOn(terms, '2026-12-25')).toBeUndefined()
    expect(termOn(terms, '2026-08-10')).toBeUndefined()
  })

  it('the term under way, or in a holiday the next to begin', () => {
    expect(currentOrNextTerm(terms, '2026-12-04')).toMatchObject({ tradingYear: 2026, name: 'autumn' })
    expect(currentOrNextTerm(terms, '2026-12-24')).toMatchObject({ tradingYear: 2026, name: 'spring' })
    expect(currentOrNextTerm(terms, '2027-03-30')).toMatchObject({ tradingYear: 2027, name: 'summer' })
  })

  it('a period covers the terms of its year it overlaps', () => {
    expect(termsCovering(terms, 2026, '2027-01-05', '2027-03-31').map((t) => t.name)).toEqual(['spring'])
    expect(termsCovering(terms, 2026, '2026-12-04', '2027-03-31').map((t) => t.name)).toEqual(['autumn', 'spring'])
    expect(termsCovering(terms, 2026, '2026-04-01', '2027-03-31')).toHaveLength(3)
  })

  it('terms begun by a day: those that have started', () => {
    expect(termsBegun(termsOfYear(terms, 2026), '2026-12-04').map((t) => t.name)).toEqual(['summer', 'autumn'])
    expect(termsBegun(termsOfYear(terms, 2026), '2026-04-12')).toEqual([])
  })
})

describe('pro-rata by whole terms', () => {
  it('one of three terms of £1,450 is £483.33, two are £966.67, all three the full price', () => {
    expect(proRataByTerms(145_000, 1)).toBe(48_333)
    expect(proRataByTerms(145_000, 2)).toBe(96_667)
    expect(proRataByTerms(145_000, 3)).toBe(145_000)
    expect(proRataByTerms(145_000, 0)).toBe(0)
  })

  it('refuses a number of terms that is not 0 to 3', () => {
    expect(() => proRataByTerms(145_000, 4)).toThrow(RangeError)
    expect(() => proRataByTerms(145_000, 1.5)).toThrow(RangeError)
  })
})

describe('school days', () => {
  it('England’s bank holidays, substitute days included', () => {
    expect(isBankHoliday('2027-03-26')).toBe(true) // Good Friday
    expect(isBankHoliday('2026-12-28')).toBe(true) // Boxing Day (substitute day)
    expect(isBankHoliday('2026-12-04')).toBe(false)
  })

  it('a school day is a weekday in term that is not a bank holiday', () => {
    expect(isSchoolDay(terms, '2026-12-04')).toBe(true) // a Friday in the autumn term
    expect(isSchoolDay(terms, '2026-12-05')).toBe(false) // Saturday
    expect(isSchoolDay(terms, '2026-12-21')).toBe(false) // Christmas holiday
    expect(isSchoolDay(terms, '2027-05-03')).toBe(false) // Early May bank holiday, in the summer term
  })

  it('counts school days from the first date up to the second, across a holiday', () => {
    // Mon 14 Dec to Fri 18 Dec 2026 are five school days; the holiday adds none; Tue 5 Jan 2027 is the next.
    expect(schoolDaysBetween(terms, '2026-12-14', '2027-01-05')).toBe(5)
    expect(schoolDaysBetween(terms, '2026-12-14', '2027-01-06')).toBe(6)
    expect(schoolDaysBetween(terms, '2027-01-06', '2027-01-05')).toBe(0)
  })
})

describe('checking a year’s term dates', () => {
  const good = {
    summer: { startsOn: '2026-04-13', endsOn: '2026-07-22' },
    autumn: { startsOn: '2026-09-02', endsOn: '2026-12-18' },
    spring: { startsOn: '2027-01-05', endsOn: '2027-03-26' },
  }

  it('accepts three ordered terms inside the trading year', () => {
    expect(termDatesProblems(2026, good)).toEqual([])
  })

  it('refuses a term outside the year, one ending before it starts, and overlapping terms', () => {
    expect(termDatesProblems(2026, { ...good, summer: { startsOn: '2026-03-30', endsOn: '2026-07-22' } })).toEqual([
      { term: 'summer', field: 'startsOn', message: 'Enter the first day of the summer term as a date in 2026/27' },
    ])
    expect(termDatesProblems(2026, { ...good, autumn: { startsOn: '2026-12-18', endsOn: '2026-09-02' } })).toContainEqual({
      term: 'autumn',
      field: 'endsOn',
      message: 'The last day of the autumn term must be on or after its first day',
    })
    expect(termDatesProblems(2026, { ...good, autumn: { startsOn: '2026-07-01', endsOn: '2026-12-18' } })).toEqual([
      { term: 'autumn', field: 'startsOn', message: 'The autumn term must start after the term before it ends' },
    ])
    expect(termDatesProblems(2026, { ...good, spring: { startsOn: '2027-02-30', endsOn: '2027-03-26' } })[0]?.field).toBe('startsOn')
  })
})
