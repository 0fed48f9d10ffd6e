import { z } from 'zod'

/**
 * "Record delivery" (/la/delivery/:lineId), shared by browser and server.
 * Errors are keyed by the id of the field they belong to.
 */

export const DELIVERY_FIELDS = [
  'schoolId',
  'deliveredOn-day',
  'deliveredOn-month',
  'deliveredOn-year',
  'units',
  'hours',
  'practitioner',
  'note',
] as const

export type DeliveryValues = {
  /** A pooled block's member school the delivery was for (empty for any other line). */
  schoolId: string
  day: string
  month: string
  year: string
  units: string
  hours: string
  practitioner: string
  note: string
}

export function deliveryValuesFrom(form: FormData): DeliveryValues {
  const get = (name: string, max: number) => {
    const v = form.get(name)
    return typeof v === 'string' ? v.slice(0, max) : ''
  }
  return {
    schoolId: get('schoolId', 40),
    day: get('deliveredOn-day', 10),
    month: get('deliveredOn-month', 10),
    year: get('deliveredOn-year', 10),
    units: get('units', 20),
    hours: get('hours', 20),
    practitioner: get('practitioner', 400),
    note: get('note', 2000),
  }
}

const cleanText = (v: string) => v.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '').trim()

/** A number typed by a person: "1", "0.5", " 2.25 "; NaN for anything else. */
function parseDecimal(text: string): number {
  const t = text.trim()
  return /^\d{1,6}(\.\d{1,2})?$|^\.\d{1,2}$/.test(t) ? Number(t) : Number.NaN
}

export type DeliveryInput = {
  deliveredOn: string
  units: number
  hours: number
  practitioner: string
  note: string | null
  /** On a pooled block: the member school it was for. */
  schoolId: string | null
}

/**
 * The form's schema: `hoursPerUnit` fills in hours left empty (units × hours
 * per unit); `today` (UK date) is the latest day delivery can be recorded for.
 */
export function deliverySchema(options: { hoursPerUnit: number; today: string; earliest?: string; memberSchoolIds?: readonly string[] }) {
  return z
    .object({
      schoolId: z.string().optional().default(''),
      day: z.string(),
      month: z.string(),
      year: z.string(),
      units: z.string(),
      hours: z.string(),
      practitioner: z.string(),
      note: z.string(),
    })
    .transform((v, ctx): DeliveryInput => {
      const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
      // A pooled block: the member school the delivery was for.
      const schoolId = options.memberSchoolIds ? v.schoolId.trim().toLowerCase() : ''
      if (options.memberSchoolIds && !options.memberSchoolIds.includes(schoolId)) issue('schoolId', 'Choose the school this was for')
      // Date
      const day = v.day.trim()
      const month = v.month.trim()
      const year = v.year.trim()
      let deliveredOn = ''
      if (!day && !month && !year) issue('deliveredOn-day', 'Enter the date the service was delivered')
      else if (!day) issue('deliveredOn-day', 'Date delivered must include a day')
      else if (!month) issue('deliveredOn-month', 'Date delivered must include a month')
      else if (!year) issue('deliveredOn-year', 'Date delivered must include a year')
      else if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year)) {
        issue(
          !/^\d{1,2}$/.test(day) ? 'deliveredOn-day' : !/^\d{1,2}$/.test(month) ? 'deliveredOn-month' : 'deliveredOn-year',
          'Date delivered must be a real date',
        )
      } else {
        const d = Number(day)
        const m = Number(month)
        const probe = new Date(Date.UTC(Number(year), m - 1, d))
        if (m < 1 || m > 12 || d < 1 || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) {
          issue('deliveredOn-day', 'Date delivered must be a real date')
        } else {
          deliveredOn = `${year}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
          if (deliveredOn > options.today) issue('deliveredOn-day', 'Date delivered must be today or in the past')
          else if (options.earliest && deliveredOn < options.earliest) {
            issue('deliveredOn-year', 'Date delivered must be in the trading year of the order')
          }
        }
      }
      // Units: whole or half units.
      const units = parseDecimal(v.units)
      if (!v.units.trim()) issue('units', 'Enter how much was delivered')
      else if (Number.isNaN(units)) issue('units', 'Units delivered must be a number, like 1 or 0.5')
      else if (units <= 0) issue('units', 'Units delivered must be more than 0')
      else if (!Number.isInteger(units * 2)) issue('units', 'Units delivered must be in whole or half units, like 1 or 0.5')
      else if (units > 1000) issue('units', 'Units delivered must be 1,000 or fewer')
      // Hours: empty means units × hours per unit.
      let hours = Math.round(units * options.hoursPerUnit * 100) / 100
      if (v.hours.trim()) {
        hours = parseDecimal(v.hours)
        if (Number.isNaN(hours)) issue('hours', 'Hours must be a number, like 6.5')
        else if (hours > 10_000) issue('hours', 'Hours must be 10,000 or fewer')
      }
      const practitioner = cleanText(v.practitioner)
      if (!practitioner) issue('practitioner', 'Enter the name of the practitioner')
      else if (practitioner.length > 200) issue('practitioner', 'Practitioner must be 200 characters or fewer')
      const note = cleanText(v.note)
      if (note.length > 1000) issue('note', 'Note must be 1,000 characters or fewer')
      return { deliveredOn, units, hours, practitioner, note: note || null, schoolId: schoolId || null }
    })
}
