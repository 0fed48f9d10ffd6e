import { describe, expect, it } from 'vitest'
import { fieldErrors } from '~/schemas/common'
import { linesOf, parsePreview, ServiceSchema, serviceValuesFrom, type ServiceValues } from '~/schemas/service-admin'

const valid: ServiceValues = {
  name: ' Educational Psychology ',
  summary: 'Time with a named educational psychologist.',
  description: 'One.\r\n\r\nTwo.  \r\n',
  phases: ['special', 'primary'],
  included: 'A named psychologist',
  excluded: '',
  statutoryCore: '',
  chargesBegin: '',
  terms: '',
  contactName: 'EP Service',
  contactEmail: 'EP@Coventry.example',
  contactPhone: '',
  incomeCode: '',
  published: 'yes',
}

const errorsOf = (values: Partial<ServiceValues>) => {
  const parsed = ServiceSchema.safeParse({ ...valid, ...values })
  return parsed.success ? {} : fieldErrors(parsed.error.issues)
}

describe('the service form', () => {
  it('reads a list one item a line, dropping blank lines and typed bullets', () => {
    expect(linesOf('- One\r\n\r\n•  Two\n* Three\n  Four  \n-Five')).toEqual(['One', 'Two', 'Three', 'Four', '-Five'])
    expect(linesOf(' \n\n ')).toEqual([])
  })

  it('tidies what was typed: line breaks, spaces, the phases in their usual order, lower-case email, upper-case code, empty phone as none', () => {
    const parsed = ServiceSchema.parse({ ...valid, incomeCode: 'inc-ep01', contactPhone: ' ' })
    expect(parsed).toMatchObject({
      name: 'Educational Psychology',
      description: 'One.\n\nTwo.',
      phases: ['primary', 'special'],
      included: ['A named psychologist'],
      excluded: [],
      contactEmail: 'ep@coventry.example',
      contactPhone: null,
      incomeCode: 'INC-EP01',
      published: true,
    })
    expect(ServiceSchema.parse({ ...valid, published: 'no' }).published).toBe(false)
  })

  it('names the line of a list that is too long, and refuses more than 30 lines', () => {
    expect(errorsOf({ excluded: `Short\n${'x'.repeat(301)}` })).toEqual({
      excluded: 'Line 2 of what the service does not include must be 300 characters or fewer',
    })
    expect(errorsOf({ included: Array.from({ length: 31 }, (_, i) => `Item ${i}`).join('\n') })).toEqual({
      included: 'Enter 30 lines or fewer of what the service includes',
    })
  })

  it('limits the statutory core and where charges begin, which may both be left empty', () => {
    expect(errorsOf({ statutoryCore: 'x'.repeat(2_001), chargesBegin: 'y'.repeat(1_001) })).toEqual({
      statutoryCore: 'What every school receives without charge must be 2,000 characters or fewer',
      chargesBegin: 'Where charges begin must be 1,000 characters or fewer',
    })
    expect(errorsOf({ statutoryCore: 'Statutory advice for EHC needs assessments.', chargesBegin: '' })).toEqual({})
  })

  it('reads the posted form as text, every phase ticked, whatever else is sent', () => {
    const form = new FormData()
    form.set('name', 'x'.repeat(2_000))
    form.append('phases', 'primary')
    form.append('phases', 'secondary')
    const values = serviceValuesFrom(form)
    expect(values.name).toHaveLength(1_000)
    expect(values.phases).toEqual(['primary', 'secondary'])
    expect(values.terms).toBe('')
  })

  it('previews only as a maintained school or an academy', () => {
    expect(parsePreview('maintained')).toBe('maintained')
    expect(parsePreview('academy')).toBe('academy')
    expect(parsePreview('Academy')).toBeNull()
    expect(parsePreview(null)).toBeNull()
  })
})
