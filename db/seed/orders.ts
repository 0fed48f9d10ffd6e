/**
 * Turns order plans (which school bought what, when) into orders, lines,
 * events, capacity reservations and delivery records, the way the
 * application would have recorded them:
 *
 * - every line is priced by the pricing module (quotePrice) at its period
 *   start, and the order's totals are the sum of its lines;
 * - an order at or above the school's approval limit waits for the
 *   headteacher before it is submitted;
 * - decisions are replayed in time order, team-year by team-year: a line is
 *   confirmed only if its hours fit the team's remaining capacity (and its
 *   places fit the course); otherwise it is waitlisted. Confirmed hours can
 *   therefore never exceed capacity;
 * - cancellations release their reservation; completions keep it.
 */
import { capacityHours as teamCapacityHours } from '../../app/domain/capacity'
import { quotePrice, type PricedSchool } from '../../app/domain/pricing'
import { pooledQuote } from '../../app/domain/trusts'
import type { OrderStatus } from '../schema'
import type { BuiltCatalogue, BuiltOffer } from './catalogue'
import { addDays, addMinutes, at, dateOf, isoDate, weekdayOnOrAfter } from './dates'
import { idFor, randomFor } from './random'
import type { CapacityReservationRow, DeliveryRecordRow, OrderEventRow, OrderLineRow, OrderRow, SchoolRow, TeamYearRow, UserRow } from './types'

export type LinePlan = {
  /** 'service-slug/offer-slug' */
  offer: string
  quantity: number
  periodStart: string
  periodEnd: string
  /** Course key, for per_place offers. */
  course?: string
  /** Units already delivered (delivery records); otherwise chosen by the delivery rule. */
  delivered?: number
  /** A cluster's pooled block (its id): priced with the offer's partnership discount (rule pooledQuote). */
  cluster?: string
}

export type OrderPlan = {
  /** Stable key: the order's id comes from it. */
  key: string
  school: string
  tradingYear: number
  /** When the buyer pressed "Submit order" ('YYYY-MM-DD', hour, minute UTC). */
  submittedOn: string
  hour: number
  minute: number
  lines: LinePlan[]
  poNumber?: string | null
  /** The school cancels the whole order on this day (at cancelHour, 11:30 unless given). */
  cancelOn?: string
  cancelHour?: number
  /** Charge the offer's late-cancellation fee when cancelling. */
  lateCancellation?: boolean
  cancelNote?: string
  /** The order is closed as completed on this day (last year's orders). */
  completeOn?: string
  /** Leave the order waiting for the headteacher. */
  awaitingApproval?: boolean
}

export type SchoolContext = {
  row: SchoolRow
  buyer?: UserRow
  head?: UserRow
}

export type DeliveryRule = {
  /** Should this line have delivery records, and how many units delivered by today? */
  unitsDelivered(line: OrderLineRow, offer: BuiltOffer, plan: LinePlan): number
  practitioners: Record<string, string[]>
}

export type OrdersContext = {
  authorityId: string
  authoritySlug: string
  catalogue: BuiltCatalogue
  schools: Map<string, SchoolContext>
  teamYears: TeamYearRow[]
  /** The service lead who records delivery, by service slug. */
  leadsByService: Map<string, UserRow>
  today: string
  delivery?: DeliveryRule
}

export type BuiltOrders = {
  orders: OrderRow[]
  orderLines: OrderLineRow[]
  orderEvents: OrderEventRow[]
  capacityReservations: CapacityReservationRow[]
  deliveryRecords: DeliveryRecordRow[]
}

/** Capacity hours of a team-year (the rule of app/domain/capacity.ts). */
export function capacityHours(teamYear: Pick<TeamYearRow, 'establishment_fte' | 'chargeable_hours_per_fte' | 'sessional_hours'>): number {
  return teamCapacityHours({
    establishmentFte: Number(teamYear.establishment_fte),
    chargeableHoursPerFte: Number(teamYear.chargeable_hours_per_fte),
    sessionalHours: Number(teamYear.sessional_hours ?? 0),
  })
}

/** Code-point order: the same everywhere, unlike localeCompare. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function round2(n: number): number {
  return Math.round(n * 100) / 100
}

type WorkingLine = {
  row: OrderLineRow
  plan: LinePlan
  offer: BuiltOffer
  courseId: string | null
  reservation?: CapacityReservationRow
}

type WorkingOrder = {
  plan: OrderPlan
  school: SchoolContext
  row: OrderRow
  lines: WorkingLine[]
  events: OrderEventRow[]
  decisionAt: Date | null
}

export function buildOrders(ctx: OrdersContext, plans: OrderPlan[]): BuiltOrders {
  const auth = ctx.authoritySlug
  const capacity = new Map<string, number>()
  for (const ty of ctx.teamYears) capacity.set(`${ty.team_id}/${ty.trading_year}`, capacityHours(ty))
  const reserved = new Map<string, number>()
  const waitlistedTeamYears = new Set<string>()
  const coursePlaces = new Map<string, { id: string; places: number; taken: number }>()
  for (const offer of ctx.catalogue.offerByKey.values()) {
    for (const c of offer.courses) coursePlaces.set(`${offer.key}/${c.key}`, { id: c.id, places: c.places, taken: 0 })
  }

  // 1. Price every line and build the order up to its decision.
  const working: WorkingOrder[] = []
  const seenKeys = new Set<string>()
  for (const plan of plans) {
    if (seenKeys.has(plan.key)) throw new Error(`Duplicate order plan ${plan.key}`)
    seenKeys.add(plan.key)
    const school = ctx.schools.get(plan.school)
    if (!school) throw new Error(`Order ${plan.key}: unknown school ${plan.school}`)
    const orderId = idFor(`${auth}/order/${plan.key}`)
    const priced: PricedSchool = {
      authorityId: ctx.authorityId,
      type: school.row.school_type ?? 'maintained',
      pupilCount: school.row.pupil_count,
    }
    const submittedAt = at(plan.submittedOn, plan.hour, plan.minute)
    const createdAt = addMinutes(submittedAt, -25)
    const lines: WorkingLine[] = plan.lines.map((lp, i) => {
      const offer = ctx.catalogue.offerByKey.get(lp.offer)
      if (!offer) throw new Error(`Order ${plan.key}: unknown offer ${lp.offer}`)
      if (offer.row.max_quantity != null && lp.quantity > offer.row.max_quantity) {
        throw new Error(`Order ${plan.key}: ${lp.quantity} of ${lp.offer} is above its maximum of ${offer.row.max_quantity}`)
      }
      const result = quotePrice(offer.priced, priced, lp.quantity, dateOf(lp.periodStart))
      if (!result.ok) throw new Error(`Order ${plan.key}: cannot price ${lp.offer}: ${result.reason}`)
      const partnership =
        offer.row.partnership_from_quantity != null && offer.row.partnership_percent_off != null
          ? { fromQuantity: Number(offer.row.partnership_from_quantity), percentOff: Number(offer.row.partnership_percent_off) }
          : null
      const q = lp.cluster ? pooledQuote(result.quote, partnership) : result.quote
      if (q.tradingYear !== plan.tradingYear) {
        throw new Error(`Order ${plan.key}: line ${lp.offer} starts in ${q.tradingYear}, not ${plan.tradingYear}`)
      }
      let courseId: string | null = null
      if (offer.row.pricing_model === 'per_place') {
        const course = lp.course ? coursePlaces.get(`${offer.key}/${lp.course}`) : undefined
        if (!course) throw new Error(`Order ${plan.key}: ${lp.offer} needs a course`)
        courseId = course.id
      }
      return {
        plan: lp,
        offer,
        courseId,
        row: {
          authority_id: ctx.authorityId,
          id: idFor(`${auth}/order/${plan.key}/line/${i + 1}`),
          order_id: orderId,
          offer_id: offer.row.id,
          course_id: courseId,
          cluster_id: lp.cluster ?? null,
          status: 'draft' as OrderStatus,
          trading_year: q.tradingYear,
          period_start: lp.periodStart,
          period_end: lp.periodEnd,
          quantity: lp.quantity,
          hours: round2(offer.row.hours_per_unit * lp.quantity),
          unit_price_pence: q.unitPricePence,
          net_pence: q.netPence,
          vat_rate_basis_points: q.vatRateBasisPoints,
          vat_pence: q.vatPence,
          gross_pence: q.grossPence,
          price_explanation: q.explanation,
          confirmed_at: null,
          waitlisted_at: null,
          cancelled_at: null,
          cancellation_fee_pence: 0,
          created_at: createdAt,
          updated_at: createdAt,
        },
      }
    })
    const net = lines.reduce((s, l) => s + l.row.net_pence, 0)
    const vat = lines.reduce((s, l) => s + l.row.vat_pence, 0)
    const order: OrderRow = {
      authority_id: ctx.authorityId,
      id: orderId,
      reference: '',
      school_id: school.row.id,
      status: 'draft',
      po_number: plan.poNumber ?? null,
      submission_key: idFor(`${auth}/order/${plan.key}/submission`),
      created_by: school.buyer?.id ?? null,
      submitted_by: school.buyer?.id ?? null,
      submitted_at: submittedAt,
      approved_by: null,
      approved_at: null,
      rejection_reason: null,
      net_pence: net,
      vat_pence: vat,
      gross_pence: net + vat,
      created_at: createdAt,
      updated_at: submittedAt,
    }
    const w: WorkingOrder = { plan, school, row: order, lines, events: [], decisionAt: null }
    const event = (
      fromStatus: OrderStatus | null,
      toStatus: OrderStatus,
      when: Date,
      actor: string | null,
      note: string | null,
      lineId: string | null = null,
    ) => {
      w.events.push({
        authority_id: ctx.authorityId,
        id: idFor(`${auth}/order/${plan.key}/event/${w.events.length + 1}`),
        order_id: orderId,
        order_line_id: lineId,
        from_status: fromStatus,
        to_status: toStatus,
        actor_user_id: actor,
        note,
        created_at: when,
      })
    }
    const buyer = school.buyer?.id ?? null
    event(null, 'draft', createdAt, buyer, buyer ? null : 'Entered by the traded services team from the school’s signed order form')
    const needsApproval = net >= Number(school.row.approval_limit_pence)
    if (needsApproval) {
      event('draft', 'awaiting_approval', submittedAt, buyer, null)
      setStatus(w, 'awaiting_approval', submittedAt)
      if (!plan.awaitingApproval) {
        const approvedAt = at(weekdayOnOrAfter(addDays(plan.submittedOn, 1)), 8, 10 + (plan.minute % 40))
        order.approved_at = approvedAt
        order.approved_by = school.head?.id ?? null
        event(
          'awaiting_approval',
          'submitted',
          approvedAt,
          school.head?.id ?? null,
          school.head ? null : 'Approved by the headteacher on the signed order form',
        )
        setStatus(w, 'submitted', approvedAt)
        w.decisionAt = addMinutes(approvedAt, 1)
      }
    } else {
      if (plan.awaitingApproval) throw new Error(`Order ${plan.key} is below the approval limit`)
      event('draft', 'submitted', submittedAt, buyer, null)
      setStatus(w, 'submitted', submittedAt)
      w.decisionAt = addMinutes(submittedAt, 1)
    }
    working.push(w)
  }

  // 2. Replay decisions and cancellations in time order.
  type Task = { when: Date; kind: 'decide' | 'cancel' | 'complete'; order: WorkingOrder }
  const tasks: Task[] = []
  for (const w of working) {
    if (w.decisionAt) tasks.push({ when: w.decisionAt, kind: 'decide', order: w })
    if (w.plan.cancelOn) {
      const hour = w.plan.cancelHour ?? 11.5
      tasks.push({ when: at(w.plan.cancelOn, Math.floor(hour), Math.round((hour % 1) * 60)), kind: 'cancel', order: w })
    }
    if (w.plan.completeOn) tasks.push({ when: at(w.plan.completeOn, 16, 0), kind: 'complete', order: w })
  }
  tasks.sort((a, b) => a.when.getTime() - b.when.getTime() || compareText(a.order.plan.key, b.order.plan.key))

  for (const task of tasks) {
    const w = task.order
    const event = (
      fromStatus: OrderStatus | null,
      toStatus: OrderStatus,
      when: Date,
      actor: string | null,
      note: string | null,
      lineId: string | null = null,
    ) => {
      w.events.push({
        authority_id: ctx.authorityId,
        id: idFor(`${auth}/order/${w.plan.key}/event/${w.events.length + 1}`),
        order_id: w.row.id,
        order_line_id: lineId,
        from_status: fromStatus,
        to_status: toStatus,
        actor_user_id: actor,
        note,
        created_at: when,
      })
    }
    if (task.kind === 'decide') {
      const decided: ('confirmed' | 'waitlisted')[] = []
      w.lines.forEach((line, i) => {
        const teamYear = `${line.offer.team.id}/${line.row.trading_year}`
        const cap = capacity.get(teamYear)
        if (cap === undefined) throw new Error(`No team year ${line.offer.team.slug} ${line.row.trading_year}`)
        const hours = Number(line.row.hours)
        const used = reserved.get(teamYear) ?? 0
        const course = line.plan.course ? coursePlaces.get(`${line.offer.key}/${line.plan.course}`) : undefined
        const fitsHours = used + hours <= cap + 1e-9
        const fitsPlaces = !course || course.taken + line.row.quantity <= course.places
        if (fitsHours && fitsPlaces) {
          reserved.set(teamYear, round2(used + hours))
          if (course) course.taken += line.row.quantity
          line.row.status = 'confirmed'
          line.row.confirmed_at = task.when
          line.row.updated_at = task.when
          line.reservation = {
            authority_id: ctx.authorityId,
            id: idFor(`${auth}/order/${w.plan.key}/reservation/${i + 1}`),
            order_line_id: line.row.id,
            team_id: line.offer.team.id,
            trading_year: line.row.trading_year,
            course_id: line.courseId,
            hours,
            places: course ? line.row.quantity : 0,
            released_at: null,
            created_at: task.when,
          }
          decided.push('confirmed')
        } else {
          if (line.row.trading_year < Number(ctx.today.slice(0, 4)) - (ctx.today.slice(5) < '04-01' ? 1 : 0)) {
            throw new Error(
              `Seed plan error: order ${w.plan.key} line ${line.offer.key} does not fit ${line.offer.team.slug} ${line.row.trading_year} (a past year)`,
            )
          }
          if (course && !fitsPlaces) throw new Error(`Seed plan error: course ${line.plan.course} is full (order ${w.plan.key})`)
          waitlistedTeamYears.add(teamYear)
          line.row.status = 'waitlisted'
          line.row.waitlisted_at = task.when
          line.row.updated_at = task.when
          decided.push('waitlisted')
        }
      })
      const allWaitlisted = decided.every((d) => d === 'waitlisted')
      const anyWaitlisted = decided.some((d) => d === 'waitlisted')
      if (allWaitlisted) {
        event('submitted', 'waitlisted', task.when, null, 'The team is fully booked for the year: the order is on the waiting list, oldest first')
        setStatus(w, 'waitlisted', task.when)
      } else {
        event(
          'submitted',
          'confirmed',
          task.when,
          null,
          anyWaitlisted ? 'Confirmed in part: some lines are on the waiting list' : 'Capacity reserved',
        )
        setStatus(w, 'confirmed', task.when)
        if (anyWaitlisted) {
          for (const line of w.lines) {
            if (line.row.status === 'waitlisted') {
              event('submitted', 'waitlisted', task.when, null, 'The team is fully booked for the year', line.row.id)
            }
          }
        }
      }
    } else if (task.kind === 'cancel') {
      const from = w.row.status
      for (const line of w.lines) {
        if (line.row.status !== 'confirmed' && line.row.status !== 'waitlisted') continue
        if (line.reservation) {
          const teamYear = `${line.offer.team.id}/${line.row.trading_year}`
          if (waitlistedTeamYears.has(teamYear)) {
            throw new Error(`Seed plan error: cancelling ${w.plan.key} would free hours for a waiting list (not modelled)`)
          }
          reserved.set(teamYear, round2((reserved.get(teamYear) ?? 0) - Number(line.reservation.hours)))
          const course = line.plan.course ? coursePlaces.get(`${line.offer.key}/${line.plan.course}`) : undefined
          if (course) course.taken -= line.row.quantity
          line.reservation.released_at = task.when
        }
        line.row.status = 'cancelled'
        line.row.cancelled_at = task.when
        line.row.updated_at = task.when
        if (w.plan.lateCancellation) {
          line.row.cancellation_fee_pence = Math.round((line.row.net_pence * line.offer.row.late_cancellation_fee_percent) / 100)
        }
      }
      event(from as OrderStatus, 'cancelled', task.when, w.school.buyer?.id ?? null, w.plan.cancelNote ?? 'Cancelled by the school')
      setStatus(w, 'cancelled', task.when)
    } else {
      if (w.row.status !== 'confirmed') continue
      for (const line of w.lines) {
        if (line.row.status !== 'confirmed') continue
        line.row.status = 'completed'
        line.row.updated_at = task.when
      }
      event('confirmed', 'completed', task.when, null, 'Delivered in full; the order is closed')
      setStatus(w, 'completed', task.when)
    }
  }

  // 3. References, in order of submission within each trading year.
  const byYear = new Map<number, WorkingOrder[]>()
  for (const w of working) byYear.set(w.plan.tradingYear, [...(byYear.get(w.plan.tradingYear) ?? []), w])
  for (const [year, list] of byYear) {
    list.sort((a, b) => (a.row.submitted_at as Date).getTime() - (b.row.submitted_at as Date).getTime() || compareText(a.plan.key, b.plan.key))
    list.forEach((w, i) => {
      w.row.reference = `ORD-${year}-${String(i + 1).padStart(5, '0')}`
    })
  }

  // 4. Delivery records.
  const deliveryRecords: DeliveryRecordRow[] = []
  if (ctx.delivery) {
    for (const w of working) {
      for (const line of w.lines) {
        if (line.row.status !== 'confirmed' && line.row.status !== 'completed') continue
        const units = line.plan.delivered ?? ctx.delivery.unitsDelivered(line.row, line.offer, line.plan)
        if (units <= 0) continue
        if (units > line.row.quantity) throw new Error(`Order ${w.plan.key}: more delivered than bought`)
        const start = [line.row.period_start, isoDate(line.row.confirmed_at as Date)].sort()[1] as string
        const end = [line.row.period_end, addDays(ctx.today, -2)].sort()[0] as string
        const dates = spreadSchoolDays(start, end, Math.ceil(units))
        const names = ctx.delivery.practitioners[line.offer.team.slug] ?? ['Team member']
        const random = randomFor(`${auth}/delivery/${line.row.id}`)
        const practitioner = random.pick(names)
        const lead = ctx.leadsByService.get(line.offer.service.slug)
        let left = units
        dates.forEach((day, i) => {
          const u = Math.min(1, left)
          left = round2(left - u)
          deliveryRecords.push({
            authority_id: ctx.authorityId,
            id: idFor(`${auth}/delivery/${line.row.id}/${i + 1}`),
            order_line_id: line.row.id,
            delivered_on: day,
            units: u,
            hours: round2(u * line.offer.row.hours_per_unit),
            practitioner: random.chance(0.85) ? practitioner : random.pick(names),
            note: i === 0 ? 'Planning meeting with the SENCO and first visit' : null,
            recorded_by: lead?.id ?? null,
            created_at: at(day, 17, 5),
          })
        })
      }
    }
  }

  return {
    orders: working.map((w) => w.row),
    orderLines: working.flatMap((w) => w.lines.map((l) => l.row)),
    orderEvents: working.flatMap((w) => w.events),
    capacityReservations: working.flatMap((w) => w.lines.flatMap((l) => (l.reservation ? [l.reservation] : []))),
    deliveryRecords,
  }
}

/** Sets the order's status; before the capacity decision its lines move with it. */
function setStatus(w: WorkingOrder, status: OrderStatus, when: Date): void {
  w.row.status = status
  w.row.updated_at = when
  if (status === 'awaiting_approval' || status === 'submitted') {
    for (const line of w.lines) {
      line.row.status = status
      line.row.updated_at = when
    }
  }
}

/** `count` school days (weekdays, not August) spread evenly from start to end. */
export function spreadSchoolDays(start: string, end: string, count: number): string[] {
  const first = dateOf(start).getTime()
  const last = Math.max(first, dateOf(end).getTime())
  const days: string[] = []
  for (let i = 0; i < count; i++) {
    const t = first + ((last - first) * (i + 0.5)) / count
    let day = weekdayOnOrAfter(isoDate(new Date(t - (t % 86_400_000))))
    if (day.slice(5, 7) === '08') day = weekdayOnOrAfter(`${day.slice(0, 4)}-09-03`)
    if (day > end) day = end
    days.push(day)
  }
  return days
}
