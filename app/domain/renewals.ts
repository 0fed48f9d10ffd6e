/**
 * The annual renewal cycle (docs/decisions/0012): pure rules, no I/O.
 *
 * Before a trading year starts, the authority opens a renewal window; each
 * school that holds confirmed (or completed) lines this year gets a proposal
 * for next year made from them, at next year's prices, which it can change,
 * accept (it becomes an order like any other) or decline. Proposals nobody
 * answered lapse after the window closes.
 *
 * Dates are 'YYYY-MM-DD' strings (the council's calendar days, UK time).
 */
import type { PricingModel, UnitName } from './pricing'
import { tradingYearBounds } from './trading-year'
import { addDays, dayBefore, daysBetween, isIsoDate, isoDate, longDate, ukStartOfDay } from './dates'
import { formatCount, plural } from './quantities'

export type RenewalStatus = 'open' | 'accepted' | 'declined' | 'lapsed'
export type WindowState = 'not_set' | 'scheduled' | 'open' | 'closed'

/** One of this year's order lines of a school, as the proposal sees it. */
export type ThisYearLine = {
  offerId: string
  pricingModel: PricingModel
  status: string
  quantity: number
  /** Units delivered and recorded against the line, or null when the team does not record its use. */
  usedUnits: number | null
  /** The offer's most in one order, if any. */
  maxQuantity: number | null
}

/** A line of next year's proposal. */
export type ProposedLine = {
  offerId: string
  quantity: number
  lastYearQuantity: number
  lastYearUsedUnits: number | null
}

/** Lines that count as bought this year: confirmed, or delivered and completed. */
export const RENEWABLE_STATUSES: readonly string[] = ['confirmed', 'completed']

/**
 * Next year's proposal from this year's lines:
 * - only confirmed and completed lines are renewed (not cancelled, rejected,
 *   waiting or undecided ones);
 * - course places (per_place) are not: a course is a dated event, and next
 *   year's courses are booked when published;
 * - lines of the same offer (say instrumental lessons bought term by term)
 *   become one line with their quantities and their use added up;
 * - the quantity is what was bought, capped at the offer's most per order;
 * - lines keep the order in which they came.
 */
export function proposalLinesFrom(lines: readonly ThisYearLine[]): ProposedLine[] {
  const byOffer = new Map<string, ProposedLine & { maxQuantity: number | null }>()
  for (const line of lines) {
    if (!RENEWABLE_STATUSES.includes(line.status)) continue
    if (line.pricingModel === 'per_place') continue
    if (!(line.quantity > 0)) continue
    const current = byOffer.get(line.offerId)
    if (current) {
      current.lastYearQuantity += line.quantity
      if (line.usedUnits !== null) current.lastYearUsedUnits = (current.lastYearUsedUnits ?? 0) + line.usedUnits
    } else {
      byOffer.set(line.offerId, {
        offerId: line.offerId,
        quantity: 0,
        lastYearQuantity: line.quantity,
        lastYearUsedUnits: line.usedUnits,
        maxQuantity: line.maxQuantity,
      })
    }
  }
  return [...byOffer.values()].map(({ maxQuantity, ...line }) => ({
    ...line,
    quantity: maxQuantity !== null ? Math.min(line.lastYearQuantity, maxQuantity) : line.lastYearQuantity,
    lastYearUsedUnits: line.lastYearUsedUnits === null ? null : Math.round(line.lastYearUsedUnits * 100) / 100,
  }))
}

/**
 * What the school did with a line this year, in a sentence:
 * "You used 8 of 10 days" when the team records its use, otherwise
 * "You bought 2 classes this year".
 */
export function lastYearText(bought: number, usedUnits: number | null, unit: UnitName): string {
  const units = plural(bought, unit.one, unit.other)
  if (usedUnits === null) return `You bought ${formatCount(bought)} ${units} this year`
  return `You used ${formatCount(usedUnits)} of ${formatCount(bought)} ${units}`
}

/** Where a window stands on a day. */
export function windowState(window: { opensOn: string; closesOn: string } | null, today: string): WindowState {
  if (!window) return 'not_set'
  if (today < window.opensOn) return 'scheduled'
  if (today > window.closesOn) return 'closed'
  return 'open'
}

/**
 * A proposal's status as of a day: one still open after the window's
 * closing day has lapsed (the closing day itself is still in time).
 */
export function effectiveStatus(status: RenewalStatus, closesOn: string, today: string): RenewalStatus {
  return status === 'open' && today > closesOn ? 'lapsed' : status
}

/**
 * A proposal as read on a day. One still open after its window's closing day
 * reads as lapsed, from the start of the day after closing, before the daily
 * job has recorded it (reads never write; the job and the answering actions
 * do).
 */
export function proposalAsRead<P extends { status: RenewalStatus; lapsedAt: Date | null }>(proposal: P, closesOn: string, today: string): P {
  if (effectiveStatus(proposal.status, closesOn, today) !== 'lapsed' || proposal.status === 'lapsed') return proposal
  return { ...proposal, status: 'lapsed', lapsedAt: ukStartOfDay(addDays(closesOn, 1)) }
}

/** Whether a proposal can still be changed, accepted or declined on a day. */
export function canAnswer(status: RenewalStatus, closesOn: string, today: string): boolean {
  return effectiveStatus(status, closesOn, today) === 'open'
}

export type WindowProblem = { field: 'opensOn' | 'closesOn'; message: string }

/**
 * The rules for a renewal window into a trading year: both dates real days,
 * closing after opening, and closing before the year it renews into starts
 * (so that every answer is in before the first invoice of the year).
 */
export function windowProblems(input: { opensOn: string; closesOn: string }, tradingYear: number, startMonth: number): WindowProblem[] {
  const problems: WindowProblem[] = []
  const opensOk = isIsoDate(input.opensOn)
  const closesOk = isIsoDate(input.closesOn)
  if (!opensOk) problems.push({ field: 'opensOn', message: 'Enter a real opening date' })
  if (!closesOk) problems.push({ field: 'closesOn', message: 'Enter a real closing date' })
  if (!opensOk || !closesOk) return problems
  const lastDay = dayBefore(isoDate(tradingYearBounds(tradingYear, startMonth).start))
  if (input.opensOn > lastDay) {
    problems.push({ field: 'opensOn', message: `The opening date must be on or before ${longDate(lastDay)}` })
  }
  if (input.closesOn <= input.opensOn) {
    problems.push({ field: 'closesOn', message: 'The closing date must be after the opening date' })
  } else if (input.closesOn > lastDay) {
    problems.push({ field: 'closesOn', message: `The closing date must be on or before ${longDate(lastDay)}, before the new year starts` })
  }
  return problems
}

/** Which reminder a proposal is due: two weeks before the window closes, then in its last three days. */
export type ReminderKind = 'two-weeks' | 'final'

/** Days before the closing day at which each reminder is due. */
export const REMINDER_DAYS: Record<ReminderKind, number> = { 'two-weeks': 14, final: 3 }

/** A reminder is not sent within this many days of the proposal's own email. */
export const REMINDER_QUIET_DAYS = 3

/**
 * The reminder due today for a proposal still waiting for an answer, if any
 * (rule "renewal reminders"): the final one from three days before the
 * closing day to the closing day itself, otherwise the two-week one from
 * fourteen days before; none once the window has closed, and none within
 * three days of the proposal being sent (the school has just had it). The
 * daily job may run late or twice: each kind is sent once per proposal
 * (its email's key decides), and a missed two-week reminder is not sent
 * once the final one is due.
 */
export function reminderDue(input: { closesOn: string; today: string; proposedOn: string }): { kind: ReminderKind; daysLeft: number } | null {
  const daysLeft = daysBetween(input.today, input.closesOn)
  if (daysLeft < 0) return null
  if (daysBetween(input.proposedOn, input.today) < REMINDER_QUIET_DAYS) return null
  if (daysLeft <= REMINDER_DAYS.final) return { kind: 'final', daysLeft }
  if (daysLeft <= REMINDER_DAYS['two-weeks']) return { kind: 'two-weeks', daysLeft }
  return null
}
