/**
 * Who bought what from Coventry in 2025/26 (last year) and 2026/27 to date.
 *
 * Each school's choices come from its own random streams, so they are stable
 * and independent: whether it buys a service at all (with most of last
 * year's buyers buying again), how much (by pupil numbers and phase), and
 * when. Elm Bank and Foleshill Park, the demo schools, are written out by
 * hand so that the demo tells the same story every time.
 *
 * The story the figures tell (docs/product.md):
 * - Educational Psychology is over-subscribed in 2026/27: late requests go
 *   on the waiting list once the team's hours are all booked;
 * - Outdoor Education sells far below its income target (residential
 *   bookings fell after 2025/26);
 * - the other teams are roughly on track.
 */
import { addDays, CURRENT_TRADING_YEAR, dateOf, termsOf, tradingYearEnd, tradingYearStart, weekdayOnOrAfter } from './dates'
import type { LinePlan, OrderPlan } from './orders'
import { Random, randomFor } from './random'
import { ELM_BANK, FOLESHILL_PARK, type SchoolPlan } from './schools'

export const DEMAND_YEARS = [2025, 2026] as const

type Phase = SchoolPlan['phase']
type ByPhase = Partial<Record<Phase, number>>

/** Whether a school buys a service in a year: last year's buyers mostly renew, a few new ones join. */
function buys(school: SchoolPlan, what: string, year: number, p: ByPhase, keep = 0.9, join = 0.08): boolean {
  const r = randomFor(`coventry/buys/${school.slug}/${what}`)
  const lastYear = r.chance(p[school.phase] ?? 0)
  const thisYear = lastYear ? r.chance(keep) : r.chance(join * ((p[school.phase] ?? 0) > 0 ? 1 : 0))
  return year === 2025 ? lastYear : thisYear
}

function clamp(n: number, low: number, high: number): number {
  return Math.max(low, Math.min(high, Math.round(n)))
}

/** A date in a window, on a weekday: fraction 0 is the start, 1 the end. */
function dayIn(start: string, end: string, fraction: number): string {
  const span = Math.round((dateOf(end).getTime() - dateOf(start).getTime()) / 86_400_000)
  const day = weekdayOnOrAfter(addDays(start, Math.floor(span * fraction)))
  return day > end ? end : day
}

/** A working-hours time of day. */
function timeOfDay(r: Random): { hour: number; minute: number } {
  return { hour: r.int(8, 16), minute: r.int(0, 59) }
}

function poNumber(school: SchoolPlan, r: Random, year: number): string | null {
  if (school.poRequired || r.chance(0.3)) return `PO-${year}-${String(r.int(1000, 9999))}`
  return null
}

const CURRENT_YEAR = CURRENT_TRADING_YEAR

/** Schools that bought last year but nothing this year, and schools new this year. */
function wholeSchoolChoices(schools: SchoolPlan[]): { lapsed: Set<string>; newThisYear: Set<string> } {
  const protectedSlugs = new Set([ELM_BANK, FOLESHILL_PARK])
  const candidates = schools.filter((s) => !protectedSlugs.has(s.slug)).map((s) => s.slug)
  const shuffled = new Random(4_100_000).shuffle(candidates)
  return { lapsed: new Set(shuffled.slice(0, 7)), newThisYear: new Set(shuffled.slice(7, 10)) }
}

/** The last day of 2026/27's autumn top-up requests for educational psychology (see schoolYearPlans). */
const EP_TOP_UP_CUT_OFF_2026 = '2026-10-13'

/**
 * Blocks of educational psychology asked for in November 2026 by four
 * special schools (statutory assessments): the first fits; the three larger
 * ones are each more than the time the team has left, so they wait on the
 * waiting list. First-fit promotion
 * (docs/decisions/0006) offers freed hours to smaller, later requests while
 * these still wait: unmet demand the capacity model must show.
 */
function epBlockPlans(schools: SchoolPlan[]): OrderPlan[] {
  const special = schools
    .filter((s) => s.phase === 'special' && s.slug !== ELM_BANK && s.slug !== FOLESHILL_PARK)
    .map((s) => s.slug)
    .sort()
    .slice(0, 4)
  const blocks = [
    { on: '2026-11-04', days: 5, hour: 9 },
    { on: '2026-11-11', days: 15, hour: 10 },
    { on: '2026-11-16', days: 16, hour: 11 },
    { on: '2026-11-19', days: 18, hour: 14 },
  ]
  return special.map((slug, i) => {
    const block = blocks[i]!
    return {
      key: `2026/${slug}/ep-block`,
      school: slug,
      tradingYear: 2026,
      submittedOn: block.on,
      hour: block.hour,
      minute: 15,
      lines: [{ offer: 'educational-psychology/ep-days', quantity: block.days, periodStart: block.on, periodEnd: tradingYearEnd(2026) }],
      poNumber: `PO-2026-${String(7001 + i)}`,
    }
  })
}

export function coventryOrderPlans(schools: SchoolPlan[], today: string): OrderPlan[] {
  const plans: OrderPlan[] = []
  const { lapsed, newThisYear } = wholeSchoolChoices(schools)
  for (const year of DEMAND_YEARS) {
    const courses = courseSlots(year)
    for (const school of schools) {
      if (school.slug === ELM_BANK || school.slug === FOLESHILL_PARK) continue
      if (year === 2026 && lapsed.has(school.slug)) continue
      if (year === 2025 && newThisYear.has(school.slug)) continue
      plans.push(...schoolYearPlans(school, year, courses))
    }
    plans.push(...demoSchoolPlans(year))
    if (year === 2026) plans.push(...epBlockPlans(schools))
  }
  // This year's orders are only those placed by today.
  return plans.filter((p) => p.tradingYear < CURRENT_YEAR || p.submittedOn <= today)
}

type CourseSlot = { offer: string; key: string; date: string }

/** The dated courses open for booking in a trading year (see the catalogue). */
function courseSlots(year: number): CourseSlot[] {
  const gov = {
    2025: [
      'gov-2025-induction-may:2025-05-14',
      'gov-2025-safeguarding-jun:2025-06-18',
      'gov-2025-finance-oct:2025-10-08',
      'gov-2025-chairs-nov:2025-11-19',
      'gov-2025-send-feb:2026-02-04',
    ],
    2026: [
      'gov-2026-induction-may:2026-05-13',
      'gov-2026-safeguarding-jun:2026-06-17',
      'gov-2026-finance-oct:2026-10-07',
      'gov-2026-exclusions-nov:2026-11-18',
      'gov-2026-chairs-jan:2027-01-20',
      'gov-2026-send-mar:2027-03-03',
    ],
  }[year as 2025 | 2026]
  const eal = {
    2025: ['eal-2025-new-arrivals-jun:2025-06-11', 'eal-2025-leaders-oct:2025-10-15', 'eal-2025-assessment-feb:2026-02-11'],
    2026: ['eal-2026-new-arrivals-jun:2026-06-10', 'eal-2026-leaders-oct:2026-10-14', 'eal-2026-classroom-jan:2027-01-27'],
  }[year as 2025 | 2026]
  const slot = (offer: string) => (s: string) => {
    const [key, date] = s.split(':') as [string, string]
    return { offer, key, date }
  }
  return [...gov.map(slot('governor-support/governor-training-places')), ...eal.map(slot('ethnic-minority-achievement/eal-training-places'))]
}

/** A place on a course: the course is chosen by the school's stream, booked 3 to 6 weeks before. */
function coursePlan(school: SchoolPlan, year: number, slots: CourseSlot[], offer: string, r: Random, places: number, tag: string): OrderPlan | null {
  const options = slots.filter((s) => s.offer === offer)
  if (options.length === 0) return null
  const slot = r.pick(options)
  const submittedOn = weekdayOnOrAfter(addDays(slot.date, -r.int(21, 42)))
  const { hour, minute } = timeOfDay(r)
  return {
    key: `${year}/${school.slug}/${tag}/${slot.key}`,
    school: school.slug,
    tradingYear: year,
    submittedOn: submittedOn < tradingYearStart(year) ? tradingYearStart(year) : submittedOn,
    hour,
    minute,
    lines: [{ offer, quantity: places, periodStart: slot.date, periodEnd: slot.date, course: slot.key }],
    poNumber: poNumber(school, r, year),
    completeOn: year < CURRENT_YEAR ? addDays(slot.date, 14) : undefined,
  }
}

function schoolYearPlans(school: SchoolPlan, year: number, slots: CourseSlot[]): OrderPlan[] {
  const plans: OrderPlan[] = []
  const r = randomFor(`coventry/orders/${school.slug}/${year}`)
  const q = (what: string) => randomFor(`coventry/quantity/${school.slug}/${what}/${year}`)
  const start = tradingYearStart(year)
  const end = tradingYearEnd(year)
  const [summer, autumn, spring] = termsOf(year)
  const pupils = school.pupils
  const phase = school.phase
  // Last year's volumes were a little lower for most services.
  const scale = year === 2025 ? 0.95 : 1
  const whole = (offer: string, quantity: number): LinePlan => ({ offer, quantity, periodStart: start, periodEnd: end })
  const termLine = (offer: string, quantity: number, term: { start: string; end: string }): LinePlan => ({
    offer,
    quantity,
    periodStart: term.start,
    periodEnd: term.end,
  })

  // ---- The annual buy-back order, placed in the spring before the year starts.
  const annual: LinePlan[] = []
  const springTerm: LinePlan[] = []

  if (phase === 'nursery') {
    if (buys(school, 'ep-half', year, { nursery: 0.7 })) annual.push(whole('educational-psychology/ep-half-day', q('ep').int(2, 4)))
  } else if (buys(school, 'ep', year, { primary: 0.9, secondary: 0.95, special: 0.95, alternative_provision: 1 }, 0.93)) {
    const base = { primary: 4 + pupils / 75, secondary: 9 + pupils / 140, special: 12, alternative_provision: 7, all_through: 14, nursery: 2 }[phase]
    // Demand for psychologists keeps rising: more days asked for this year than last.
    annual.push(whole('educational-psychology/ep-days', clamp((base + q('ep').int(-2, 3)) * (year === 2025 ? 0.9 : 1.1), 2, 30)))
  }
  if (buys(school, 'semh', year, { primary: 0.45, secondary: 0.7, special: 0.6, alternative_provision: 1 })) {
    const base = { primary: 4 + pupils / 150, secondary: 10, special: 6, alternative_provision: 13, all_through: 10, nursery: 2 }[phase]
    annual.push(whole('semh-support/semh-outreach-days', clamp((base + q('semh').int(-2, 3)) * scale, 2, 30)))
  }
  if (buys(school, 'ccl', year, { primary: 0.45, secondary: 0.6, special: 0.75, nursery: 0.34 })) {
    const base = { primary: 3 + pupils / 160, secondary: 8, special: 9, alternative_provision: 4, all_through: 8, nursery: 2 }[phase]
    annual.push(whole('complex-communication-and-learning/autism-outreach-days', clamp((base + q('ccl').int(-2, 3)) * scale, 1, 30)))
  }
  if (buys(school, 'sensory', year, { primary: 0.38, secondary: 0.5, special: 0.6, nursery: 0.34 })) {
    annual.push(whole('sensory-support/sensory-specialist-visits', clamp(q('sensory').int(4, 16) * scale, 2, 40)))
  }
  if ((phase === 'nursery' || phase === 'primary') && buys(school, 'ey-network', year, { nursery: 1, primary: 0.5 })) {
    annual.push(whole('sen-early-years/early-years-senco-network', 1))
  }
  if (buys(school, 'whole-class', year, { primary: 0.6, special: 0.4 })) {
    annual.push(whole('coventry-music/whole-class-ensemble', clamp(1 + pupils / 200 + q('wcet').int(0, 2), 1, 6)))
  }
  if (buys(school, 'lessons', year, { primary: 0.55, secondary: 0.9, special: 0.3, alternative_provision: 0.5 })) {
    const base = { primary: 0.5 + pupils / 200, secondary: 4 + pupils / 160, special: 1, alternative_provision: 1, all_through: 10, nursery: 1 }[
      phase
    ]
    const hours = clamp((base + q('lessons').int(-1, 3)) * scale, 1, 40)
    annual.push(termLine('coventry-music/instrumental-lessons', hours, summer), termLine('coventry-music/instrumental-lessons', hours, autumn))
    springTerm.push(termLine('coventry-music/instrumental-lessons', clamp(hours + q('lessons').int(-1, 1), 1, 40), spring))
    if (buys(school, 'hire', year, { primary: 0.6, secondary: 0.8, special: 0.5, alternative_provision: 0.5 }, 0.9, 0.3)) {
      const n = clamp(hours * 2.2 + q('hire').int(0, 6), 2, 100)
      annual.push(termLine('instrument-hire/standard-instrument-hire', n, summer), termLine('instrument-hire/standard-instrument-hire', n, autumn))
      springTerm.push(termLine('instrument-hire/standard-instrument-hire', n, spring))
      if (phase === 'secondary' || q('hire').chance(0.25)) {
        const large = q('hire').int(1, phase === 'secondary' ? 6 : 2)
        annual.push(
          termLine('instrument-hire/large-instrument-hire', large, summer),
          termLine('instrument-hire/large-instrument-hire', large, autumn),
        )
        springTerm.push(termLine('instrument-hire/large-instrument-hire', large, spring))
      }
    }
  }
  if (buys(school, 'hub', year, { primary: 0.7, secondary: 0.75, special: 0.6, alternative_provision: 0.5 })) {
    annual.push(whole('coventry-music/music-hub-partnership', 1))
  }
  if (buys(school, 'mla', year, { primary: 0.5, secondary: 0.65, nursery: 0.67, special: 0.25 })) {
    const base = { primary: 60 + pupils / 3, secondary: 150 + pupils / 6, nursery: 50, special: 40, alternative_provision: 40, all_through: 200 }[
      phase
    ]
    annual.push(whole('ethnic-minority-achievement/multilingual-assistant-hours', clamp((base + q('mla').int(-20, 40)) * scale, 20, 600)))
  }
  if (buys(school, 'clc', year, { primary: 0.18, secondary: 0.45 })) {
    const classes = q('clc').int(1, phase === 'secondary' ? 3 : 1)
    annual.push(
      termLine('ethnic-minority-achievement/community-language-classes', classes, summer),
      termLine('ethnic-minority-achievement/community-language-classes', classes, autumn),
    )
    springTerm.push(termLine('ethnic-minority-achievement/community-language-classes', classes, spring))
  }
  const clerking = buys(school, 'clerking', year, { primary: 0.92, secondary: 0.85, special: 0.95, nursery: 1, alternative_provision: 0.5 }, 0.96)
  if (clerking) {
    const committees = phase === 'secondary' || (phase === 'primary' && pupils > 420) || phase === 'special'
    annual.push(whole(committees ? 'governor-support/clerking-with-committees' : 'governor-support/clerking-agreement', 1))
  }
  const subscription = buys(
    school,
    'gov-training',
    year,
    { primary: 0.85, secondary: 0.8, special: 0.9, nursery: 1, alternative_provision: 0.5 },
    0.95,
  )
  if (subscription) annual.push(whole('governor-support/governor-training-subscription', 1))
  if (buys(school, 'attendance', year, { primary: 0.68, secondary: 0.8, special: 0.5, alternative_provision: 1 })) {
    annual.push(whole('school-attendance/attendance-support-subscription', 1))
  }
  if (buys(school, 'wrl', year, { secondary: 0.8, special: 0.4, alternative_provision: 1 })) {
    const base = { secondary: 4, special: 2, alternative_provision: 8, primary: 0, nursery: 0, all_through: 4 }[phase]
    annual.push(whole('work-related-learning/wrl-programme', clamp(base + q('wrl').int(-2, 3), 1, 20)))
  }
  if (buys(school, 'work-experience', year, { secondary: 0.65 })) {
    annual.push(whole('work-related-learning/work-experience-support', 1))
  }

  if (annual.length > 0) {
    // Most schools send their buy-back in March; some are early, some late.
    const submittedOn = dayIn(`${year}-02-23`, `${year}-04-24`, r.float() * r.float() + 0.1 * r.float())
    const { hour, minute } = timeOfDay(r)
    plans.push({
      key: `${year}/${school.slug}/annual`,
      school: school.slug,
      tradingYear: year,
      submittedOn,
      hour,
      minute,
      lines: annual,
      poNumber: poNumber(school, r, year),
    })
  }
  if (springTerm.length > 0) {
    const submittedOn = dayIn(`${year}-11-09`, `${year}-12-11`, r.float())
    const { hour, minute } = timeOfDay(r)
    plans.push({
      key: `${year}/${school.slug}/spring-term`,
      school: school.slug,
      tradingYear: year,
      submittedOn,
      hour,
      minute,
      lines: springTerm,
      poNumber: poNumber(school, r, year),
    })
  }

  // ---- Orders during the year.
  const inYear = (tag: string, submittedOn: string, lines: LinePlan[], extra: Partial<OrderPlan> = {}) => {
    const { hour, minute } = timeOfDay(r)
    const lastEnd = lines
      .map((l) => l.periodEnd)
      .sort()
      .at(-1) as string
    plans.push({
      key: `${year}/${school.slug}/${tag}`,
      school: school.slug,
      tradingYear: year,
      submittedOn,
      hour,
      minute,
      lines,
      poNumber: poNumber(school, r, year),
      completeOn: year < CURRENT_YEAR && lastEnd < end ? addDays(lastEnd, 10) : undefined,
      ...extra,
    })
  }
  const span = (from: string, days: number) => ({ periodStart: from, periodEnd: addDays(from, days) > end ? end : addDays(from, days) })

  // More educational psychology time, asked for in the autumn once needs are known.
  if (
    phase !== 'nursery' &&
    buys(school, 'ep-top-up', year, { primary: 0.3, secondary: 0.35, special: 0.45, alternative_provision: 0.5 }, 0.8, 0.4)
  ) {
    const on = dayIn(`${year}-09-07`, year === 2025 ? `${year + 1}-01-30` : `${year}-11-20`, q('ep-top-up').float())
    inYear('ep-top-up', on, [{ offer: 'educational-psychology/ep-days', quantity: q('ep-top-up').int(2, 5), periodStart: on, periodEnd: end }])
    // In 2026/27 the schools that had not asked by October half-term wait for
    // next year's buy-back (the plan is still drawn, so that the school's other
    // choices stay as they were): the team has about two weeks' time left to sell.
    if (year === 2026 && on > EP_TOP_UP_CUT_OFF_2026) plans.pop()
  }
  if (buys(school, 'ep-visit', year, { primary: 0.1, secondary: 0.1, special: 0.1, nursery: 0.34 }, 0.5, 0.1)) {
    const on = dayIn(`${year}-04-20`, `${year + 1}-03-05`, q('ep-visit').float())
    inYear('ep-visit', on, [{ offer: 'educational-psychology/ep-half-day', quantity: 1, ...span(on, 30) }])
  }
  if (phase === 'primary' && buys(school, 'keys', year, { primary: 0.24 }, 0.6, 0.15)) {
    const term = q('keys').pick([summer, autumn, autumn, spring])
    const on = weekdayOnOrAfter(addDays(term.start, -q('keys').int(20, 40)))
    inYear('keys', on < start ? start : on, [
      { offer: 'semh-support/keys-placement', quantity: q('keys').chance(0.2) ? 2 : 1, periodStart: term.start, periodEnd: term.end },
    ])
  }
  if (
    phase !== 'nursery' &&
    buys(school, 'de-escalation', year, { primary: 0.25, secondary: 0.4, special: 0.8, alternative_provision: 1 }, 0.5, 0.2)
  ) {
    const on = dayIn(`${year}-04-20`, `${year + 1}-02-27`, q('de-escalation').float())
    const day = weekdayOnOrAfter(addDays(on, 28))
    inYear('de-escalation', on, [
      { offer: 'semh-support/de-escalation-training', quantity: phase === 'special' ? 2 : 1, periodStart: day, periodEnd: day },
    ])
  }
  if ((phase === 'primary' || phase === 'secondary') && buys(school, 'dyslexia', year, { primary: 0.35, secondary: 0.55 }, 0.8)) {
    const on = dayIn(`${year}-04-20`, `${year + 1}-02-20`, q('dyslexia').float())
    inYear('dyslexia', on, [
      {
        offer: 'complex-communication-and-learning/dyslexia-assessment',
        quantity: q('dyslexia').int(1, phase === 'secondary' ? 6 : 4),
        ...span(on, 45),
      },
    ])
  }
  if (buys(school, 'autism-twilight', year, { primary: 0.25, secondary: 0.3, special: 0.2, nursery: 0.34 }, 0.4, 0.2)) {
    const on = dayIn(`${year}-04-20`, `${year + 1}-02-27`, q('autism-twilight').float())
    const day = weekdayOnOrAfter(addDays(on, 21))
    inYear('autism-twilight', on, [
      { offer: 'complex-communication-and-learning/autism-awareness-twilight', quantity: 1, periodStart: day, periodEnd: day },
    ])
  }
  if (buys(school, 'sensory-extra', year, { primary: 0.12, secondary: 0.25, special: 0.4 }, 0.3, 0.1)) {
    const on = dayIn(`${year}-05-01`, `${year + 1}-02-27`, q('sensory-extra').float())
    const day = weekdayOnOrAfter(addDays(on, 21))
    const lines: LinePlan[] = [{ offer: 'sensory-support/sensory-awareness-training', quantity: 1, periodStart: day, periodEnd: day }]
    if (q('sensory-extra').chance(0.5)) lines.push({ offer: 'sensory-support/sensory-environment-audit', quantity: 1, ...span(on, 40) })
    inYear('sensory-extra', on, lines)
  }
  if ((phase === 'primary' || phase === 'nursery') && buys(school, 'transition', year, { primary: 0.3, nursery: 0.67 }, 0.7, 0.15)) {
    const on = dayIn(`${year}-05-11`, `${year}-07-10`, q('transition').float())
    inYear('transition', on, [
      {
        offer: 'sen-early-years/reception-transition-support',
        quantity: q('transition').int(1, 4),
        periodStart: `${year}-06-01`,
        periodEnd: `${year}-10-30`,
      },
    ])
  }
  if (buys(school, 'settlement', year, { primary: 0.55, secondary: 0.7, nursery: 0.3, special: 0.1 }, 0.85, 0.2)) {
    const autumnOn = dayIn(`${year}-09-07`, `${year}-10-16`, q('settlement').float())
    inYear('settlement-autumn', autumnOn, [
      {
        offer: 'ethnic-minority-achievement/new-arrival-settlement',
        quantity: q('settlement').int(1, phase === 'secondary' ? 8 : 5),
        ...span(autumnOn, 30),
      },
    ])
    if (q('settlement').chance(0.6)) {
      const springOn = dayIn(`${year + 1}-01-06`, `${year + 1}-03-06`, q('settlement').float())
      inYear('settlement-spring', springOn, [
        { offer: 'ethnic-minority-achievement/new-arrival-settlement', quantity: q('settlement').int(1, 4), ...span(springOn, 20) },
      ])
    }
  }
  if (buys(school, 'interpreting', year, { primary: 0.45, secondary: 0.55, special: 0.3, nursery: 0.34 }, 0.8, 0.2)) {
    const count = q('interpreting').int(1, 3)
    for (let i = 0; i < count; i++) {
      const on = dayIn(`${year}-04-20`, `${year + 1}-03-20`, q('interpreting').float())
      const day = weekdayOnOrAfter(addDays(on, q('interpreting').int(2, 10)))
      inYear(`interpreting-${i + 1}`, on, [
        { offer: 'ethnic-minority-achievement/interpreting', quantity: q('interpreting').int(1, 3), periodStart: day, periodEnd: day },
      ])
    }
  }
  if (buys(school, 'eal-training', year, { primary: 0.22, secondary: 0.35, nursery: 0.34 }, 0.6, 0.15)) {
    const plan = coursePlan(
      school,
      year,
      slots,
      'ethnic-minority-achievement/eal-training-places',
      q('eal-training'),
      q('eal-training').int(1, 2),
      'eal',
    )
    if (plan) plans.push(plan)
  }
  // Governors of schools without the subscription pay as they go.
  if (!subscription && phase !== 'alternative_provision' && q('gov-places').chance(0.65)) {
    const plan = coursePlan(
      school,
      year,
      slots,
      'governor-support/governor-training-places',
      q('gov-places'),
      q('gov-places').int(1, 2),
      'gov-places',
    )
    if (plan) plans.push(plan)
  }
  if (clerking && buys(school, 'recruitment', year, { primary: 0.22, secondary: 0.3, special: 0.3, nursery: 0.34 }, 0.4, 0.2)) {
    const on = dayIn(`${year}-04-20`, `${year + 1}-02-27`, q('recruitment').float())
    inYear('recruitment', on, [
      { offer: 'governor-support/governor-recruitment-and-induction', quantity: q('recruitment').int(1, 2), ...span(on, 60) },
    ])
  }
  // Outdoor education: residential bookings fell sharply after 2025/26.
  if (buys(school, 'residential', year, { primary: 0.5, secondary: 0.3, special: 0.35 }, 0.45, 0.05)) {
    const cohort = { primary: pupils / 7, secondary: pupils / 5, special: pupils / 8, nursery: 0, alternative_provision: 0, all_through: pupils / 7 }[
      phase
    ]
    const pupilsGoing = clamp(cohort * (0.55 + 0.3 * q('residential').float()), 8, 120)
    const stay = q('residential').chance(0.7)
      ? weekdayOnOrAfter(dayIn(`${year}-05-04`, `${year}-07-06`, q('residential').float()))
      : weekdayOnOrAfter(dayIn(`${year}-09-14`, `${year}-10-12`, q('residential').float()))
    const on = weekdayOnOrAfter(addDays(stay, -q('residential').int(60, 110)))
    inYear('residential', on < `${year}-01-05` ? `${year}-01-05` : on, [
      { offer: 'outdoor-education/residential-stay', quantity: pupilsGoing, periodStart: stay, periodEnd: addDays(stay, 3) },
    ])
  }
  if (phase !== 'nursery' && buys(school, 'in-city', year, { primary: 0.45, secondary: 0.25, special: 0.5, alternative_provision: 1 }, 0.8, 0.1)) {
    const on = dayIn(`${year}-04-14`, `${year + 1}-02-13`, q('in-city').float())
    const from = weekdayOnOrAfter(addDays(on, 14))
    inYear('in-city', on, [{ offer: 'outdoor-education/in-city-sessions', quantity: q('in-city').int(2, 8), ...span(from, 35) }])
  }
  if (phase !== 'nursery' && buys(school, 'casework', year, { primary: 0.3, secondary: 0.5, special: 0.2, alternative_provision: 1 }, 0.7, 0.2)) {
    const on = dayIn(`${year}-04-20`, `${year + 1}-01-29`, q('casework').float())
    inYear('casework', on, [
      {
        offer: 'school-attendance/attendance-casework-days',
        quantity: q('casework').int(2, phase === 'secondary' ? 8 : 5),
        periodStart: on,
        periodEnd: end,
      },
    ])
  }
  return plans
}

/** Elm Bank Primary School and Foleshill Park Academy, written out for the demo. */
function demoSchoolPlans(year: number): OrderPlan[] {
  const start = tradingYearStart(year)
  const end = tradingYearEnd(year)
  const [summer, autumn, spring] = termsOf(year)
  const whole = (offer: string, quantity: number, delivered?: number): LinePlan => ({
    offer,
    quantity,
    periodStart: start,
    periodEnd: end,
    delivered,
  })
  const term = (offer: string, quantity: number, t: { start: string; end: string }): LinePlan => ({
    offer,
    quantity,
    periodStart: t.start,
    periodEnd: t.end,
  })
  const plans: OrderPlan[] = []
  if (year === 2025) {
    plans.push(
      {
        key: '2025/elm-bank/annual',
        school: ELM_BANK,
        tradingYear: 2025,
        submittedOn: '2025-03-11',
        hour: 10,
        minute: 12,
        lines: [
          whole('educational-psychology/ep-days', 8, 8),
          whole('governor-support/clerking-agreement', 1),
          whole('governor-support/governor-training-subscription', 1),
          whole('coventry-music/whole-class-ensemble', 2),
          whole('coventry-music/music-hub-partnership', 1),
          whole('school-attendance/attendance-support-subscription', 1),
        ],
      },
      {
        key: '2025/elm-bank/interpreting',
        school: ELM_BANK,
        tradingYear: 2025,
        submittedOn: '2025-10-06',
        hour: 14,
        minute: 3,
        lines: [{ offer: 'ethnic-minority-achievement/interpreting', quantity: 2, periodStart: '2025-10-15', periodEnd: '2025-10-15' }],
        completeOn: '2025-10-31',
      },
      {
        key: '2025/elm-bank/residential',
        school: ELM_BANK,
        tradingYear: 2025,
        submittedOn: '2025-03-24',
        hour: 9,
        minute: 41,
        lines: [{ offer: 'outdoor-education/residential-stay', quantity: 34, periodStart: '2025-06-16', periodEnd: '2025-06-19' }],
        completeOn: '2025-07-03',
      },
      {
        key: '2025/foleshill-park/annual',
        school: FOLESHILL_PARK,
        tradingYear: 2025,
        submittedOn: '2025-03-05',
        hour: 11,
        minute: 27,
        poNumber: 'FPA-PO-25-0113',
        lines: [
          whole('educational-psychology/ep-days', 14),
          whole('semh-support/semh-outreach-days', 10),
          term('coventry-music/instrumental-lessons', 10, summer),
          term('coventry-music/instrumental-lessons', 10, autumn),
          term('coventry-music/instrumental-lessons', 10, spring),
          whole('governor-support/clerking-with-committees', 1),
          whole('governor-support/governor-training-subscription', 1),
          whole('school-attendance/attendance-support-subscription', 1),
          whole('work-related-learning/wrl-programme', 6),
          whole('ethnic-minority-achievement/multilingual-assistant-hours', 120),
        ],
      },
      {
        key: '2025/foleshill-park/settlement',
        school: FOLESHILL_PARK,
        tradingYear: 2025,
        submittedOn: '2025-09-15',
        hour: 13,
        minute: 50,
        poNumber: 'FPA-PO-25-0388',
        lines: [{ offer: 'ethnic-minority-achievement/new-arrival-settlement', quantity: 6, periodStart: '2025-09-22', periodEnd: '2025-10-17' }],
        completeOn: '2025-10-31',
      },
    )
  } else {
    plans.push(
      {
        key: '2026/elm-bank/annual',
        school: ELM_BANK,
        tradingYear: 2026,
        submittedOn: '2026-03-10',
        hour: 9,
        minute: 55,
        lines: [
          // 10 days at the 10+ rate; 4 of them used so far ("4 of 10 days used").
          whole('educational-psychology/ep-days', 10, 4),
          whole('governor-support/clerking-agreement', 1),
          whole('governor-support/governor-training-subscription', 1),
          whole('coventry-music/whole-class-ensemble', 2),
          term('coventry-music/instrumental-lessons', 2, summer),
          term('coventry-music/instrumental-lessons', 2, autumn),
          whole('coventry-music/music-hub-partnership', 1),
          whole('school-attendance/attendance-support-subscription', 1),
        ],
      },
      {
        key: '2026/elm-bank/interpreting',
        school: ELM_BANK,
        tradingYear: 2026,
        submittedOn: '2026-11-09',
        hour: 15,
        minute: 20,
        lines: [{ offer: 'ethnic-minority-achievement/interpreting', quantity: 2, periodStart: '2026-11-26', periodEnd: '2026-11-26' }],
      },
      {
        key: '2026/elm-bank/in-city',
        school: ELM_BANK,
        tradingYear: 2026,
        submittedOn: '2026-11-19',
        hour: 11,
        minute: 5,
        // £2,600 is above Elm Bank's £2,500 limit: waiting for the headteacher.
        awaitingApproval: true,
        lines: [{ offer: 'outdoor-education/in-city-sessions', quantity: 8, periodStart: '2027-01-11', periodEnd: '2027-02-12' }],
      },
      {
        key: '2026/foleshill-park/annual',
        school: FOLESHILL_PARK,
        tradingYear: 2026,
        submittedOn: '2026-03-04',
        hour: 10,
        minute: 33,
        poNumber: 'FPA-PO-26-0097',
        lines: [
          whole('educational-psychology/ep-days', 16, 7),
          whole('semh-support/semh-outreach-days', 12, 5),
          term('coventry-music/instrumental-lessons', 12, summer),
          term('coventry-music/instrumental-lessons', 12, autumn),
          whole('governor-support/clerking-with-committees', 1),
          whole('governor-support/governor-training-subscription', 1),
          whole('school-attendance/attendance-support-subscription', 1),
          whole('work-related-learning/wrl-programme', 7),
          whole('ethnic-minority-achievement/multilingual-assistant-hours', 140),
        ],
      },
      {
        key: '2026/foleshill-park/settlement',
        school: FOLESHILL_PARK,
        tradingYear: 2026,
        submittedOn: '2026-09-14',
        hour: 14,
        minute: 10,
        poNumber: 'FPA-PO-26-0412',
        lines: [{ offer: 'ethnic-minority-achievement/new-arrival-settlement', quantity: 5, periodStart: '2026-09-21', periodEnd: '2026-10-16' }],
      },
      {
        key: '2026/foleshill-park/spring-term',
        school: FOLESHILL_PARK,
        tradingYear: 2026,
        submittedOn: '2026-11-16',
        hour: 9,
        minute: 15,
        poNumber: 'FPA-PO-26-0530',
        lines: [term('coventry-music/instrumental-lessons', 12, spring)],
      },
    )
  }
  return plans
}

/** Cancellations: a few in-year orders each year, and one interpreting booking cancelled late (charged in full). */
export function withCancellations(plans: OrderPlan[], today: string): OrderPlan[] {
  const r = new Random(31_032_026)
  const candidates = (year: number, tags: string[]) =>
    plans.filter(
      (p) =>
        p.tradingYear === year &&
        p.school !== ELM_BANK &&
        p.school !== FOLESHILL_PARK &&
        tags.some((t) => p.key.endsWith(`/${t}`) || p.key.includes(`/${t}-`)),
    )
  const firstDay = (p: OrderPlan) => p.lines.map((l) => l.periodStart).sort()[0] as string
  const chosen = new Map<string, Partial<OrderPlan>>()
  for (const year of DEMAND_YEARS) {
    // Cancelled ten days after ordering, well before the work was due.
    const pool = r.shuffle(candidates(year, ['in-city', 'residential', 'dyslexia', 'autism-twilight', 'de-escalation'])).filter((p) => {
      const on = weekdayOnOrAfter(addDays(p.submittedOn, 10))
      return on < addDays(firstDay(p), -7) && on <= today
    })
    for (const plan of pool.slice(0, 3)) {
      chosen.set(plan.key, {
        cancelOn: weekdayOnOrAfter(addDays(plan.submittedOn, 10)),
        completeOn: undefined,
        cancelNote: 'Cancelled by the school: the work no longer fits the school’s plans',
      })
    }
    // Interpreting cancelled on the morning of the meeting: the interpreter's time is charged in full.
    const late = r.shuffle(candidates(year, ['interpreting'])).find((p) => firstDay(p) > p.submittedOn && firstDay(p) <= today)
    if (late) {
      chosen.set(late.key, {
        cancelOn: firstDay(late),
        cancelHour: 7.75,
        lateCancellation: true,
        completeOn: undefined,
        cancelNote: 'Cancelled by the school on the morning of the meeting, less than 24 hours ahead: charged in full',
      })
    }
  }
  return plans.map((p) => (chosen.has(p.key) ? { ...p, ...chosen.get(p.key) } : p))
}
