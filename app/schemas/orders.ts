import { UUID_PATTERN } from './common'
import { z } from 'zod'
import type { FinanceRoute, InvoiceStatus, OrderStatus } from '../../db/schema'
import { parseTradingYearLabel } from '../domain/trading-year'
import { FINANCE_ROUTES, INVOICE_STATUSES, ORDER_STATUS_TAGS } from './order-labels'

/**
 * The filters of the orders and invoices pages (GET forms), shared by the
 * browser and the server, and the words and tag colours for their statuses.
 * Odd query strings never fail a page: a bad value is ignored and reported
 * beside its field; repeated parameters use the first.
 */

export const YEAR_ERROR = 'Choose a trading year from the list'
export const SCHOOL_ERROR = 'Choose a school from the list'
export const STATUS_ERROR = 'Choose a status from the list'
export const ROUTE_ERROR = 'Choose how the school pays from the list'
export const SERVICE_ERROR = 'Choose a service from the list'
export const MONTH_ERROR = 'Choose a month from the list'

/** "2026/27" → 2026; the database keeps trading years from 2000 to 2100. */
const tradingYear = z.string().transform((value, ctx) => {
  const year = parseTradingYearLabel(value)
  if (year === null || year < 2000 || year > 2100) {
    ctx.addIssue({ code: 'custom', message: YEAR_ERROR })
    return z.NEVER
  }
  return year
})

const schoolId = z
  .string()
  .regex(UUID_PATTERN, SCHOOL_ERROR)
  .transform((v) => v.toLowerCase())

/** Page numbers come from our own links; anything odd is page 1. */
const page = z.coerce.number().int().min(1).max(100_000).catch(1)

export const OrderFiltersSchema = z.object({
  year: tradingYear.optional(),
  school: schoolId.optional(),
  page,
})

export type OrderFilters = { year?: number; schoolId?: string; page: number }

export type OrderFiltersResult = {
  /** What the form shows (only valid values are kept). */
  values: { year: string; school: string }
  filters: OrderFilters
  errors: { year?: string; school?: string }
}

/** A short, printable copy of a query value (for the form). */
function raw(params: URLSearchParams, name: string): string {
  return (params.get(name) ?? '').trim().slice(0, 100)
}

/** Reads ?year=2026/27&school=<id>&page=2 from a URL; never throws. */
export function parseOrderFilters(params: URLSearchParams): OrderFiltersResult {
  const values = { year: raw(params, 'year'), school: raw(params, 'school') }
  const year = values.year ? OrderFiltersSchema.shape.year.safeParse(values.year) : undefined
  const school = values.school ? OrderFiltersSchema.shape.school.safeParse(values.school) : undefined
  const errors: OrderFiltersResult['errors'] = {}
  if (year && !year.success) errors.year = YEAR_ERROR
  if (school && !school.success) errors.school = SCHOOL_ERROR
  return {
    values: { year: year?.success ? values.year : '', school: school?.success ? (school.data ?? '') : '' },
    filters: {
      year: year?.success ? year.data : undefined,
      schoolId: school?.success ? school.data : undefined,
      page: OrderFiltersSchema.shape.page.parse(params.get('page') ?? undefined),
    },
    errors,
  }
}

export const InvoiceFiltersSchema = z.object({
  school: schoolId.optional(),
  status: z.enum([...INVOICE_STATUSES, 'overdue'], { error: STATUS_ERROR }).optional(),
  route: z.enum(FINANCE_ROUTES, { error: ROUTE_ERROR }).optional(),
  service: z
    .string()
    .regex(UUID_PATTERN, SERVICE_ERROR)
    .transform((v) => v.toLowerCase())
    .optional(),
  /** Issued in this month (UK time): "2026-11" → '2026-11-01'. */
  month: z
    .string()
    .regex(/^(20\d\d|2100)-(0[1-9]|1[0-2])$/, MONTH_ERROR)
    .transform((v) => `${v}-01`)
    .optional(),
  page,
})

export type InvoiceFilters = {
  schoolId?: string
  /** A status, or 'overdue': open, past its due date, something still owed. */
  status?: InvoiceStatus | 'overdue'
  route?: FinanceRoute
  /** Invoices with a line of this service. */
  serviceId?: string
  /** Invoices issued in this month ('YYYY-MM-01'), UK time. */
  month?: string
  page: number
}

export type InvoiceFiltersResult = {
  values: { school: string; status: string; route: string; service: string; month: string }
  filters: InvoiceFilters
  errors: { school?: string; status?: string; route?: string; service?: string; month?: string }
}

/** Reads ?school=&status=&route=&service=&month=&page= from a URL; never throws. */
export function parseInvoiceFilters(params: URLSearchParams): InvoiceFiltersResult {
  const values = {
    school: raw(params, 'school'),
    status: raw(params, 'status'),
    route: raw(params, 'route'),
    service: raw(params, 'service'),
    month: raw(params, 'month'),
  }
  const shape = InvoiceFiltersSchema.shape
  const school = values.school ? shape.school.safeParse(values.school) : undefined
  const status = values.status ? shape.status.safeParse(values.status) : undefined
  const route = values.route ? shape.route.safeParse(values.route) : undefined
  const service = values.service ? shape.service.safeParse(values.service) : undefined
  const month = values.month ? shape.month.safeParse(values.month) : undefined
  const errors: InvoiceFiltersResult['errors'] = {}
  if (school && !school.success) errors.school = SCHOOL_ERROR
  if (status && !status.success) errors.status = STATUS_ERROR
  if (route && !route.success) errors.route = ROUTE_ERROR
  if (service && !service.success) errors.service = SERVICE_ERROR
  if (month && !month.success) errors.month = MONTH_ERROR
  return {
    values: {
      school: school?.success ? (school.data ?? '') : '',
      status: status?.success ? values.status : '',
      route: route?.success ? values.route : '',
      service: service?.success ? (service.data ?? '') : '',
      month: month?.success ? values.month : '',
    },
    filters: {
      schoolId: school?.success ? school.data : undefined,
      status: status?.success ? status.data : undefined,
      route: route?.success ? route.data : undefined,
      serviceId: service?.success ? service.data : undefined,
      month: month?.success ? month.data : undefined,
      page: shape.page.parse(params.get('page') ?? undefined),
    },
    errors,
  }
}

// The words and tag colours live in a module without zod, for pages that show them without a form.
export { FINANCE_ROUTE_NAMES, FINANCE_ROUTES, INVOICE_STATUS_TAGS, INVOICE_STATUSES, ORDER_STATUS_TAGS } from './order-labels'

/** What happened, in words, for the order's history. */
export function eventTitle(from: OrderStatus | null, to: OrderStatus, isLine: boolean): string {
  if (isLine) {
    if (to === 'waitlisted') return 'Line put on the waiting list'
    if (to === 'confirmed') return 'Line confirmed'
    if (to === 'cancelled') return 'Line cancelled'
    return `Line ${ORDER_STATUS_TAGS[to].label.toLowerCase()}`
  }
  switch (to) {
    case 'draft':
      return 'Basket started'
    case 'awaiting_approval':
      return 'Sent to the headteacher for approval'
    case 'submitted':
      return from === 'awaiting_approval' ? 'Approved by the headteacher and submitted' : 'Order submitted'
    case 'confirmed':
      return 'Order confirmed'
    case 'waitlisted':
      return 'Order put on the waiting list'
    case 'cancelled':
      return 'Order cancelled'
    case 'completed':
      return 'Order completed'
    case 'rejected':
      return 'Order rejected'
  }
}
