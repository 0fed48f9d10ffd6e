/**
 * Cancelling an order line, one line or a whole order (SPEC §7,
 * "Cancelling"; docs/decisions/0017-cancelling-by-terms.md). Pure: the cancel
 * page and the cancel action apply it to each line with today's date and the
 * authority's terms.
 *
 * Rules, each a named function below:
 * 1. Only a live line can be cancelled (awaiting approval, submitted,
 *    confirmed, waiting list); a line delivered in full has nothing left to
 *    cancel.
 * 2. A line that holds no team time yet (awaiting approval, or on the
 *    waiting list) is cancelled free: nothing was reserved or delivered.
 * 3. What was delivered is always charged, at the line's unit price
 *   (`deliveredCharge`); the undelivered rest is cancelled.
 * 4. A yearly line (priced by the year, invoiced in advance or termly)
 *    already under way is charged for the terms begun, pro rata by whole
 *    terms of its price (`termsBegunCharge`); the term it starts in counts
 *    as begun from its first day.
 * 5. The late fee (the offer's percentage of what is left to cancel)
 *    applies inside the offer's notice (`noticeGiven`, `isLate`), counted in
 *    school days when the offer's terms say school days, else calendar days;
 *    a service already under way is late unless the offer asks for no
 *    notice.
 * 6. Free only where these rules leave nothing to charge.
 */
import { daysBetween } from './dates'
import { formatPence } from './money'
import { quantityText } from './quantities'
import { proRataByTerms, schoolDaysBetween, termsCovering, TERMS_PER_YEAR, type Term } from './terms'

export type CancellableStatus = 'awaiting_approval' | 'submitted' | 'confirmed' | 'waitlisted'

const LIVE: readonly string[] = ['awaiting_approval', 'submitted', 'confirmed', 'waitlisted']
const HOLDS_NOTHING: readonly string[] = ['awaiting_approval', 'waitlisted']
/** Units sold by the year (a clerking agreement, a class for the year): yearly lines are charged by terms begun. */

export type CancellationLine = {
  status: string
  /** Units of delivery recorded against the line. */
  deliveredUnits: number
  /** 'YYYY-MM-DD' */
  periodStart: string
  /** The course's start date ('YYYY-MM-DD', UK date), for a course line. */
  courseStartsOn: string | null
  noticeDays: number
  lateFeePercent: number
  netPence: number
  /** The rest are optional so that a line without them is a plain, non-yearly, calendar-day line. */
  quantity?: number
  unitPricePence?: number
  /** How the offer is sold (offers.sold_by): a year or a term is a period of terms, a quantity is not. */
  soldBy?: 'year' | 'term' | 'quantity'
  unitOne?: string
  unitOther?: string
  periodEnd?: string
  tradingYear?: number
  schedule?: 'annual_in_advance' | 'termly' | 'on_delivery'
  noticeInSchoolDays?: boolean
}

/** One thing a cancellation charges, with the words the school reads before confirming. */
export type ChargePart = { kind: 'delivered' | 'terms-begun' | 'late-fee'; pence: number; words: string }

export type CancellationDecision =
  | { cancellable: false; reason: 'closed' | 'delivered' }
  | {
      cancellable: true
      late: boolean
      /** What cancelling charges for this line, in pence: delivered, terms begun and the late fee together. */
      chargePence: number
      /**
       * The part of the charge invoiced as the cancellation charge: all of
       * it, except delivered work on a line invoiced on delivery (its
       * monthly invoices charge it).
       */
      feePence: number
      parts: ChargePart[]
      startsOn: string
      daysNotice: number
      noticeUnit: 'days' | 'school days'
    }

/** A percentage of an amount in whole pence, rounded half up: 10% of 55 005p is 5 501p. */
export function percentOfPence(pence: number, percent: number): number {
  if (!Number.isSafeInteger(pence) || pence < 0) throw new RangeError(`percentOfPence needs whole pence, got ${pence}`)
  if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
    throw new RangeError(`percentOfPence needs a whole percentage from 0 to 100, got ${percent}`)
  }
  return Math.floor((pence * percent + 50) / 100)
}

/** Rule 4's lines: sold by the year or by the term (a period of terms), and invoiced in advance or termly. */
export function isYearlyLine(line: Pick<CancellationLine, 'soldBy' | 'schedule'>): boolean {
  return line.schedule !== undefined && line.schedule !== 'on_delivery' && (line.soldBy === 'year' || line.soldBy === 'term')
}

/** Rule 3: what was delivered, at the line's unit price, never more than the line's price. */
export function deliveredCharge(line: Pick<CancellationLine, 'deliveredUnits' | 'quantity' | 'unitPricePence' | 'netPence'>): number {
  if (line.deliveredUnits <= 0) return 0
  const units = line.quantity === undefined ? line.deliveredUnits : Math.min(line.deliveredUnits, line.quantity)
  const unitPrice = line.unitPricePence ?? 0
  return Math.min(line.netPence, Math.round(units * unitPrice))
}

/**
 * Rule 4: the terms of a yearly line's period begun by `today` (the term it
 * starts in from the period's first day), and what they cost: whole terms
 * of the line's price (two of three terms of £1,450 is £966.67; two of the
 * two terms a line covers is all of it). Nothing for a line not yet under
 * way or not yearly.
 */
export function termsBegunCharge(line: CancellationLine, terms: readonly Term[], today: string): { begun: Term[]; covered: Term[]; pence: number } {
  const none = { begun: [], covered: [], pence: 0 }
  if (!isYearlyLine(line) || line.tradingYear === undefined || line.periodEnd === undefined || today < line.periodStart) return none
  const covered = termsCovering(terms, line.tradingYear, line.periodStart, line.periodEnd)
  if (covered.length === 0) return none
  const begun = covered.filter((t, i) => i === 0 || t.startsOn <= today)
  const pence =
    covered.length === TERMS_PER_YEAR ? proRataByTerms(line.netPence, begun.length) : Math.round((line.netPence * begun.length) / covered.length)
  return { begun, covered, pence }
}

/** Rule 5: the notice given, from today to the start: school days when the offer says so, else calendar days. */
export function noticeGiven(
  line: Pick<CancellationLine, 'noticeInSchoolDays'>,
  terms: readonly Term[],
  today: string,
  startsOn: string,
): { days: number; unit: 'days' | 'school days' } {
  if (line.noticeInSchoolDays) return { days: schoolDaysBetween(terms, today, startsOn), unit: 'school days' }
  return { days: daysBetween(today, startsOn), unit: 'days' }
}

/** Rule 5: inside the notice. A start already reached is late unless the offer asks for no notice. */
export function isLate(noticeDays: number, given: number, today: string, startsOn: string): boolean {
  return startsOn > today ? given < noticeDays : noticeDays > 0
}

const TITLE = (name: string) => name.charAt(0).toUpperCase() + name.slice(1)

/** "Autumn and summer terms begun", "Summer term begun": the latest first. */
export function termsBegunWords(begun: readonly Term[]): string {
  const names = [...begun].reverse().map((t) => t.name)
  if (names.length === 1) return `${TITLE(names[0]!)} term begun`
  return `${TITLE(names.slice(0, -1).join(', '))} and ${names.at(-1)} terms begun`
}

/** Whether a line can be cancelled today, what it charges and why, in words (rules 1 to 6). */
export function decideCancellation(line: CancellationLine, today: string, terms: readonly Term[] = []): CancellationDecision {
  if (!LIVE.includes(line.status)) return { cancellable: false, reason: 'closed' }
  if (line.deliveredUnits > 0 && (line.quantity === undefined || line.deliveredUnits >= line.quantity))
    return { cancellable: false, reason: 'delivered' }
  const startsOn = line.courseStartsOn ?? line.periodStart
  const notice = noticeGiven(line, terms, today, startsOn)
  const free = {
    cancellable: true as const,
    late: false,
    chargePence: 0,
    feePence: 0,
    parts: [],
    startsOn,
    daysNotice: notice.days,
    noticeUnit: notice.unit,
  }
  if (HOLDS_NOTHING.includes(line.status)) return free
  const parts: ChargePart[] = []
  const delivered = deliveredCharge(line)
  const begun = termsBegunCharge(line, terms, today)
  if (delivered > 0 && delivered >= begun.pence) {
    const units = quantityText(line.deliveredUnits, line.unitOne ?? 'unit', line.unitOther ?? 'units')
    parts.push({ kind: 'delivered', pence: delivered, words: `${units} delivered: ${formatPence(delivered)} charged` })
  } else if (begun.pence > 0) {
    parts.push({
      kind: 'terms-begun',
      pence: begun.pence,
      words: `${termsBegunWords(begun.begun)}: ${formatPence(begun.pence)} of ${formatPence(line.netPence)} charged`,
    })
  }
  const used = Math.max(delivered, begun.pence)
  const late = isLate(line.noticeDays, notice.days, today, startsOn)
  const fee = late ? percentOfPence(line.netPence - used, line.lateFeePercent) : 0
  if (fee > 0) {
    const unit = notice.unit === 'school days' ? (line.noticeDays === 1 ? 'school day’s' : 'school days’') : line.noticeDays === 1 ? 'day’s' : 'days’'
    parts.push({ kind: 'late-fee', pence: fee, words: `Less than ${line.noticeDays} ${unit} notice: fee ${formatPence(fee)}` })
  }
  const chargePence = used + fee
  // Delivered work on a line invoiced on delivery is charged by its monthly invoices, not again.
  const feePence = line.schedule === 'on_delivery' ? chargePence - Math.min(delivered, used) : chargePence
  return { ...free, late, chargePence, feePence, parts }
}
