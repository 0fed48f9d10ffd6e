import { zodResolver } from '@hookform/resolvers/zod'
import type { Resolver } from 'react-hook-form'
import { describe, expect, it } from 'vitest'
import { flattenErrors, formValues } from '~/components/validated-form'
import { SignInSchema } from '~/schemas/auth'
import { AddToBasketSchema, poNumberSchema } from '~/schemas/basket'
import { fieldErrors } from '~/schemas/common'
import { deliverySchema, deliveryValuesFrom } from '~/schemas/delivery'
import { remittanceSchema, remittanceValuesFrom } from '~/schemas/finance'
import { parseCredit } from '~/schemas/finance-corrections'
import { priceListActionSchema, priceListValuesFrom } from '~/schemas/price-lists'
import { DeclineProposalSchema } from '~/schemas/renewals'
import { newSchoolSchema, newSchoolValuesFrom } from '~/schemas/schools'

// The browser's check (react-hook-form's zod resolver, flattened) must say
// what the server's (the action's safeParse and fieldErrors) says, for the
// same posted form (docs/decisions/0028).

function form(entries: Record<string, string>): FormData {
  const data = new FormData()
  for (const [name, value] of Object.entries(entries)) data.append(name, value)
  return data
}

async function inBrowser(schema: Parameters<typeof zodResolver>[0], values: unknown) {
  const resolver = zodResolver(schema) as unknown as Resolver
  const result = await resolver(values as Record<string, unknown>, undefined, { fields: {}, shouldUseNativeValidation: false })
  return flattenErrors(result.errors)
}

function onServer(
  schema: { safeParse: (v: unknown) => { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } } },
  values: unknown,
) {
  const parsed = schema.safeParse(values)
  return parsed.success ? {} : fieldErrors(parsed.error!.issues)
}

describe('a form checked in the browser gets the server’s messages', () => {
  const cases = [
    { name: 'sign in, empty', schema: SignInSchema, data: form({ redirectTo: '', email: '', password: '', website: '' }) },
    { name: 'sign in, bad email', schema: SignInSchema, data: form({ email: 'not an email', password: 'x' }) },
    {
      name: 'add to basket, no quantity',
      schema: AddToBasketSchema,
      data: form({ intent: 'add', offerId: '5f0c1f62-2f43-4b8e-9a55-0b8d7a3d3a10', quantity: '' }),
    },
    {
      name: 'add to basket, 2.5',
      schema: AddToBasketSchema,
      data: form({ intent: 'add', offerId: '5f0c1f62-2f43-4b8e-9a55-0b8d7a3d3a10', quantity: '2.5' }),
    },
    { name: 'purchase order number required, empty', schema: poNumberSchema(true), data: form({ intent: 'continue', poNumber: '' }) },
    { name: 'purchase order number too long', schema: poNumberSchema(false), data: form({ intent: 'continue', poNumber: 'P'.repeat(36) }) },
  ]
  for (const c of cases) {
    it(c.name, async () => {
      const server = onServer(c.schema, formValues(c.data))
      expect(Object.keys(server).length).toBeGreaterThan(0)
      expect(await inBrowser(c.schema, formValues(c.data))).toEqual(server)
    })
  }

  it('record delivery, empty, built with the action’s own values function', async () => {
    const schema = deliverySchema({ hoursPerUnit: 6, today: '2026-11-22', earliest: '2026-04-01' })
    const values = deliveryValuesFrom(
      form({ 'deliveredOn-day': '', 'deliveredOn-month': '', 'deliveredOn-year': '', units: '', hours: '', practitioner: '', note: '' }),
    )
    const browser = await inBrowser(schema, values)
    expect(browser).toEqual(onServer(schema, values))
    expect(browser).toEqual({
      'deliveredOn-day': 'Enter the date the service was delivered',
      units: 'Enter how much was delivered',
      practitioner: 'Enter the name of the practitioner',
    })
  })

  it('a valid form has no errors in either', async () => {
    const data = form({ intent: 'continue', poNumber: 'PO-1' })
    expect(await inBrowser(poNumberSchema(true), formValues(data))).toEqual({})
    expect(onServer(poNumberSchema(true), formValues(data))).toEqual({})
  })
})

describe('round 2: admin, renewals and finance forms get the server’s messages in the browser', () => {
  it('add a school, empty, read with newSchoolValuesFrom', async () => {
    const values = newSchoolValuesFrom(form({ urn: '', name: '', approvalLimit: '' }))
    const browser = await inBrowser(newSchoolSchema, values)
    expect(browser).toEqual(onServer(newSchoolSchema, values))
    expect(browser.urn).toBeTruthy()
    expect(browser.name).toBeTruthy()
  })

  it('decline a renewal proposal without a reason', async () => {
    const data = form({ intent: 'decline', proposalId: '5f0c1f62-2f43-4b8e-9a55-0b8d7a3d3a10', reason: '   ' })
    const browser = await inBrowser(DeclineProposalSchema, formValues(data))
    expect(browser).toEqual(onServer(DeclineProposalSchema, formValues(data)))
    expect(browser).toEqual({ reason: 'Enter why you are not renewing' })
  })

  it('copy prices with an uplift that is not a percentage, and publish before today', async () => {
    const schema = priceListActionSchema({ today: '2026-11-22', nextYearStartsOn: '2027-04-01' })
    for (const data of [form({ intent: 'copy', uplift: 'three' }), form({ intent: 'publish', publishFrom: '2026-11-21' })]) {
      const values = priceListValuesFrom(data)
      const browser = await inBrowser(schema, values)
      expect(Object.keys(browser)).toHaveLength(1)
      expect(browser).toEqual(onServer(schema, values))
    }
  })

  it('record a remittance, empty, for the loader’s day', async () => {
    const schema = remittanceSchema('2026-11-22')
    const values = remittanceValuesFrom(form({ school: '5f0c1f62-2f43-4b8e-9a55-0b8d7a3d3a10', amount: '', reference: '' }))
    const browser = await inBrowser(schema, values)
    expect(Object.keys(browser).length).toBeGreaterThan(0)
    expect(browser).toEqual(onServer(schema, values))
  })

  it('a credit note checked with the action’s own parseCredit (useValidatedForm’s check) names the missing amount and reason', () => {
    const parsed = parseCredit(form({ intent: 'credit', creditWhole: 'part', creditAmount: '', creditReason: '' }))
    expect(parsed.ok).toBe(false)
    expect(parsed.ok ? {} : parsed.errors).toEqual({
      creditAmount: 'Enter the amount to credit',
      creditReason: 'Enter the reason for the credit note',
    })
  })
})

describe('formValues: a form as an action reads FormData', () => {
  it('keeps each field’s first value as a string and leaves out what was not sent', () => {
    const data = form({ a: '1' })
    data.append('a', '2')
    data.append('file', new Blob(['x']), 'x.txt')
    expect(formValues(data)).toEqual({ a: '1' })
  })
})
