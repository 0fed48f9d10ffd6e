import { z } from 'zod'
import { isIsoDate } from '../domain/dates'
import { longDate } from '../domain/dates'

/**
 * The prices page's two forms (/la/services/:slug/prices), one schema: which
 * form is told by `intent`. "Publish prices" takes a "Publish from" date,
 * from today up to the day before next year starts; "Copy this year's
 * prices to next year" a percentage uplift from -50 to 100, at most two
 * decimal places ("3", "2.5", "3%").
 */

export const PRICE_LIST_FIELDS = ['publishFrom', 'uplift'] as const
export type PriceListValues = { intent: string; publishFrom: string; uplift: string }

export function priceListValuesFrom(form: FormData): PriceListValues {
  const get = (name: string) => String(form.get(name) ?? '').slice(0, 30)
  return { intent: get('intent'), publishFrom: get('publishFrom'), uplift: get('uplift') }
}

/** The schema for a day: `today` and the first day of next trading year bound the publication date. */
export function priceListActionSchema(bounds: { today: string; nextYearStartsOn: string }) {
  return z.discriminatedUnion('intent', [
    z.object({
      intent: z.literal('publish'),
      publishFrom: z
        .string()
        .trim()
        .refine((v) => v !== '', 'Enter the date to publish the prices from')
        .refine((v) => v === '' || isIsoDate(v), 'Enter the publish from date as a real date, like 1 February 2027')
        .refine(
          (v) => !isIsoDate(v) || (v >= bounds.today && v < bounds.nextYearStartsOn),
          `The publish from date must be today or later, and before ${longDate(bounds.nextYearStartsOn)}`,
        ),
    }),
    z.object({
      intent: z.literal('copy'),
      uplift: z
        .string()
        .trim()
        .transform((v) => v.replace(/%$/, '').trim())
        .refine((v) => v !== '', 'Enter the percentage to add to this year’s prices, for example 3 (or 0 for none)')
        .refine((v) => v === '' || /^-?\d{1,3}(\.\d{1,2})?$/.test(v), 'Enter the uplift as a percentage, like 3 or 2.5')
        .transform((v) => Number(v))
        .refine((v) => Number.isNaN(v) || (v >= -50 && v <= 100), 'The uplift must be between -50% and 100%'),
    }),
  ])
}

export type PriceListAction = z.output<ReturnType<typeof priceListActionSchema>>
