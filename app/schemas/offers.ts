import { z } from 'zod'
import type { InvoiceSchedule, OfferSoldBy } from '../../db/schema'
import { coursesFromRows, MAX_ROWS, yearPricesFromInput, type CourseRow, type CourseValue, type RangeRow } from '../domain/offer-editing'
import type { PricingModel, VatCategory, YearPrices } from '../domain/pricing'
import { UUID_PATTERN } from './common'

/**
 * The offer editor's form (`/la/services/:slug/offers/new` and
 * `/la/services/:slug/offers/:offerId`), shared by the browser and the
 * server. Every error is keyed by the id of its input.
 */

export const PRICING_MODEL_NAMES: Record<PricingModel, string> = {
  fixed: 'Fixed price',
  per_unit: 'Price per unit',
  pupil_banded: 'Price by pupil numbers',
  per_pupil: 'Base price plus a price per pupil',
  per_place: 'Price per course place',
}
export const PRICING_MODELS = Object.keys(PRICING_MODEL_NAMES) as PricingModel[]

export const VAT_CATEGORY_NAMES: Record<VatCategory, string> = {
  standard: 'Standard rate (20%)',
  exempt: 'Exempt',
  outside_scope: 'Outside the scope of VAT',
}
export const INVOICE_SCHEDULE_NAMES: Record<InvoiceSchedule, string> = {
  annual_in_advance: 'Once a year, in advance',
  termly: 'Termly, in three instalments',
  on_delivery: 'Monthly in arrears, for what was delivered',
}
export const SOLD_BY_NAMES: Record<OfferSoldBy, string> = {
  year: 'By the year',
  term: 'By the term',
  quantity: 'By quantity (days, hours, sessions, places)',
}
export const OFFER_STATUSES = ['on_sale', 'draft', 'retired'] as const
export type OfferStatus = (typeof OFFER_STATUSES)[number]
export const OFFER_STATUS_NAMES: Record<OfferStatus, string> = { on_sale: 'On sale', draft: 'Draft', retired: 'Retired' }

/** What the form posts, as typed: shown again as it was when something is wrong. */
export type OfferValues = {
  name: string
  description: string
  pricingModel: string
  unitOne: string
  unitOther: string
  hoursPerUnit: string
  vatCategory: string
  invoiceSchedule: string
  soldBy: string
  noticeDays: string
  noticeIn: string
  lateFeePercent: string
  maxQuantity: string
  partnershipFrom: string
  partnershipPercent: string
  repeatable: string
  cfrCode: string
  status: string
  inclusions: string[]
  price: string
  priceAcademy: string
  perPupil: string
  perPupilAcademy: string
  minimumCharge: string
  tiers: RangeRow[]
  bands: RangeRow[]
  courses: CourseRow[]
}

export const EMPTY_RANGE: RangeRow = { from: '', to: '', price: '', priceAcademy: '' }
export const EMPTY_COURSE: CourseRow = { id: '', title: '', starts: '', ends: '', venue: '', places: '' }

export const NEW_OFFER_VALUES: OfferValues = {
  name: '',
  description: '',
  pricingModel: '',
  unitOne: '',
  unitOther: '',
  hoursPerUnit: '',
  vatCategory: '',
  invoiceSchedule: '',
  soldBy: 'quantity',
  noticeDays: '0',
  noticeIn: 'calendar',
  lateFeePercent: '0',
  maxQuantity: '',
  partnershipFrom: '',
  partnershipPercent: '',
  repeatable: '',
  cfrCode: '',
  status: 'on_sale',
  inclusions: [],
  price: '',
  priceAcademy: '',
  perPupil: '',
  perPupilAcademy: '',
  minimumCharge: '',
  tiers: [EMPTY_RANGE],
  bands: [EMPTY_RANGE],
  courses: [EMPTY_COURSE],
}

const text = (form: FormData, name: string, max = 2000) => String(form.get(name) ?? '').slice(0, max)

/** Rows named `${prefix}-${i}-${field}`, in order, at most MAX_ROWS. */
function rowsFrom<T extends Record<string, string>>(form: FormData, prefix: string, empty: T): T[] {
  const indexes = new Set<number>()
  for (const key of form.keys()) {
    const m = new RegExp(`^${prefix}-(\\d{1,2})-`).exec(key)
    if (m) indexes.add(Number(m[1]))
  }
  return [...indexes]
    .sort((a, b) => a - b)
    .slice(0, MAX_ROWS)
    .map((i) => Object.fromEntries(Object.keys(empty).map((field) => [field, text(form, `${prefix}-${i}-${field}`, 300)])) as T)
}

export function offerValuesFrom(form: FormData): OfferValues {
  return {
    name: text(form, 'name', 300),
    description: text(form, 'description', 5000),
    pricingModel: text(form, 'pricingModel', 50),
    unitOne: text(form, 'unitOne', 100),
    unitOther: text(form, 'unitOther', 100),
    hoursPerUnit: text(form, 'hoursPerUnit', 50),
    vatCategory: text(form, 'vatCategory', 50),
    invoiceSchedule: text(form, 'invoiceSchedule', 50),
    soldBy: text(form, 'soldBy', 50),
    noticeDays: text(form, 'noticeDays', 50),
    noticeIn: text(form, 'noticeIn', 50),
    lateFeePercent: text(form, 'lateFeePercent', 50),
    maxQuantity: text(form, 'maxQuantity', 50),
    partnershipFrom: text(form, 'partnershipFrom', 50),
    partnershipPercent: text(form, 'partnershipPercent', 50),
    repeatable: text(form, 'repeatable', 10),
    cfrCode: text(form, 'cfrCode', 50),
    status: text(form, 'status', 50),
    inclusions: form
      .getAll('inclusions')
      .map(String)
      .slice(0, 200)
      .map((v) => v.slice(0, 50)),
    price: text(form, 'price', 50),
    priceAcademy: text(form, 'priceAcademy', 50),
    perPupil: text(form, 'perPupil', 50),
    perPupilAcademy: text(form, 'perPupilAcademy', 50),
    minimumCharge: text(form, 'minimumCharge', 50),
    tiers: rowsFrom(form, 'tiers', EMPTY_RANGE),
    bands: rowsFrom(form, 'bands', EMPTY_RANGE),
    courses: rowsFrom(form, 'courses', EMPTY_COURSE),
  }
}

/** What a button asks for: save, or add or remove one row (which saves nothing). */
export type OfferIntent = { kind: 'save' } | { kind: 'add'; rows: RowKind } | { kind: 'remove'; rows: RowKind; index: number }
export type RowKind = 'tiers' | 'bands' | 'courses'
const ROW_INTENT = /^(add|remove)-(tier|band|course)(?:-(\d{1,2}))?$/

export function offerIntentFrom(form: FormData): OfferIntent {
  const m = ROW_INTENT.exec(String(form.get('intent') ?? ''))
  if (!m) return { kind: 'save' }
  const rows = `${m[2]}s` as RowKind
  if (m[1] === 'add') return { kind: 'add', rows }
  return m[3] === undefined ? { kind: 'save' } : { kind: 'remove', rows, index: Number(m[3]) }
}

/** The form again with one more (or one fewer) row: nothing is saved. At least one row always shows. */
export function withRowChange(values: OfferValues, intent: Exclude<OfferIntent, { kind: 'save' }>): OfferValues {
  const rows = values[intent.rows] as (RangeRow | CourseRow)[]
  const empty = intent.rows === 'courses' ? EMPTY_COURSE : EMPTY_RANGE
  let next: (RangeRow | CourseRow)[]
  if (intent.kind === 'add') next = rows.length >= MAX_ROWS ? rows : [...rows, empty]
  else next = rows.filter((_, i) => i !== intent.index)
  if (next.length === 0) next = [empty]
  return { ...values, [intent.rows]: next }
}

const oneLine = (v: string) => v.replace(/[\u0000-\u001f\u007f]/g, ' ').trim()

const requiredText = (missing: string, max: number, what: string) =>
  z
    .string()
    .transform(oneLine)
    .pipe(z.string().min(1, missing).max(max, `${what} must be ${max} characters or fewer`))

function choice<T extends string>(values: readonly T[], message: string) {
  return z.enum(values as unknown as [T, ...T[]], { error: message })
}

function wholeField(what: string, min: number, max: number, optional: boolean) {
  return z.string().transform((raw, ctx) => {
    const v = raw.trim()
    if (v === '') {
      if (optional) return null
      ctx.addIssue({ code: 'custom', message: `Enter ${what.toLowerCase()}` })
      return z.NEVER
    }
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) {
      ctx.addIssue({ code: 'custom', message: `${what} must be a whole number from ${min} to ${max}` })
      return z.NEVER
    }
    return Number(v)
  })
}

const hoursField = z.string().transform((raw, ctx) => {
  const v = raw.trim()
  if (v === '') {
    ctx.addIssue({ code: 'custom', message: 'Enter the team hours one unit uses, like 6.5 (0 if it uses none)' })
    return z.NEVER
  }
  if (!/^\d{1,4}(\.\d{1,2})?$/.test(v)) {
    ctx.addIssue({ code: 'custom', message: 'Hours per unit must be a number of hours from 0 to 9999, like 6.5' })
    return z.NEVER
  }
  return Number(v)
})

/** The offer itself, without its prices. */
export type OfferFields = {
  name: string
  description: string
  pricingModel: PricingModel
  unitOne: string
  unitOther: string
  hoursPerUnit: number
  vatCategory: VatCategory
  invoiceSchedule: InvoiceSchedule
  soldBy: OfferSoldBy
  noticeDays: number
  noticeInSchoolDays: boolean
  lateFeePercent: number
  maxQuantity: number | null
  /** The partnership discount on a cluster's pooled block (decision 0036): percentOff % off from fromQuantity. */
  partnership: { fromQuantity: number; percentOff: number } | null
  repeatable: boolean
  cfrCode: string | null
  status: OfferStatus
  inclusions: string[]
}

export type OfferForm = { fields: OfferFields; prices: YearPrices; courses: CourseValue[] }

const fieldsShape = z.object({
  name: requiredText('Enter the offer name', 120, 'Offer name'),
  description: z
    .string()
    .transform((v) => v.trim())
    .pipe(z.string().max(2000, 'Description must be 2,000 characters or fewer')),
  pricingModel: choice(PRICING_MODELS, 'Select the pricing model'),
  unitOne: requiredText('Enter the name of one unit, like day', 40, 'The unit name'),
  unitOther: requiredText('Enter the name of more than one unit, like days', 40, 'The unit name'),
  hoursPerUnit: hoursField,
  vatCategory: choice(['standard', 'exempt', 'outside_scope'] as const, 'Select the VAT category'),
  invoiceSchedule: choice(['annual_in_advance', 'termly', 'on_delivery'] as const, 'Select when schools are invoiced'),
  soldBy: choice(['year', 'term', 'quantity'] as const, 'Select how the offer is sold'),
  noticeDays: wholeField('Notice days', 0, 365, false),
  noticeIn: choice(['school', 'calendar'] as const, 'Select whether notice is counted in school days or calendar days'),
  lateFeePercent: wholeField('Late cancellation fee', 0, 100, false),
  maxQuantity: wholeField('Maximum quantity', 1, 10_000, true),
  // Optional fields a form from before them does not send.
  partnershipFrom: z
    .string()
    .default('')
    .pipe(wholeField('Partnership discount quantity', 1, 10_000, true)),
  partnershipPercent: z
    .string()
    .default('')
    .pipe(wholeField('Partnership discount', 1, 100, true)),
  repeatable: z.string(),
  cfrCode: z
    .string()
    .transform((v) => v.trim())
    .pipe(
      z.union([
        z.literal(''),
        z.string().regex(/^[A-Za-z0-9./-]{1,20}$/, 'CFR code must be up to 20 letters, numbers, dots, slashes or dashes, like I13'),
      ]),
    )
    .transform((v) => (v === '' ? null : v.toUpperCase())),
  status: choice(OFFER_STATUSES, 'Select the status'),
  inclusions: z.array(z.string().regex(UUID_PATTERN, 'Select included offers from the list')).transform((ids) => [...new Set(ids)]),
})

/**
 * The offer editor's one schema: the offer's fields, the trading year's
 * prices (yearPricesFromInput) and, for course places, the courses
 * (coursesFromRows; places booked are checked again when saving).
 */
export function offerFormSchema(tradingYear: number) {
  return fieldsShape.loose().transform((f, ctx): OfferForm => {
    const raw = f as unknown as OfferValues
    const fields: OfferFields = {
      name: f.name,
      description: f.description,
      pricingModel: f.pricingModel,
      unitOne: f.unitOne,
      unitOther: f.unitOther,
      hoursPerUnit: f.hoursPerUnit,
      vatCategory: f.vatCategory,
      invoiceSchedule: f.invoiceSchedule,
      soldBy: f.pricingModel === 'per_place' ? 'quantity' : f.soldBy,
      noticeDays: f.noticeDays ?? 0,
      noticeInSchoolDays: f.noticeIn === 'school',
      lateFeePercent: f.lateFeePercent ?? 0,
      maxQuantity: f.maxQuantity,
      partnership:
        f.partnershipFrom !== null && f.partnershipPercent !== null ? { fromQuantity: f.partnershipFrom, percentOff: f.partnershipPercent } : null,
      repeatable: f.repeatable === 'yes',
      cfrCode: f.cfrCode,
      status: f.status,
      inclusions: f.inclusions,
    }
    // A partnership discount needs both its quantity and its percentage.
    if (f.partnershipFrom !== null && f.partnershipPercent === null) {
      ctx.addIssue({ code: 'custom', path: ['partnershipPercent'], message: 'Enter the partnership discount, or clear its quantity' })
    }
    if (f.partnershipFrom === null && f.partnershipPercent !== null) {
      ctx.addIssue({ code: 'custom', path: ['partnershipFrom'], message: 'Enter the pooled quantity the partnership discount starts at' })
    }
    const prices = yearPricesFromInput(f.pricingModel, tradingYear, raw, f.unitOther)
    if (!prices.ok) for (const [path, message] of Object.entries(prices.problems)) ctx.addIssue({ code: 'custom', path: [path], message })
    let courses: CourseValue[] = []
    if (f.pricingModel === 'per_place') {
      const read = coursesFromRows(raw.courses, new Map())
      if (!read.ok) for (const [path, message] of Object.entries(read.problems)) ctx.addIssue({ code: 'custom', path: [path], message })
      else courses = read.courses
    }
    if (!prices.ok) return z.NEVER
    return { fields, prices: prices.prices, courses }
  })
}

/** Pence as the form shows it again: 60000 → "600", 60050 → "600.50"; null → "". */
export function penceInput(pence: number | null): string {
  if (pence === null) return ''
  const rest = pence % 100
  return rest === 0 ? String(Math.floor(pence / 100)) : `${Math.floor(pence / 100)}.${String(rest).padStart(2, '0')}`
}
