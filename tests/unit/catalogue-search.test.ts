import { describe, expect, it } from 'vitest'
import { parseCatalogueSearch } from '~/schemas/catalogue'

const parse = (query: string) => parseCatalogueSearch(new URLSearchParams(query))

describe('catalogue search form', () => {
  it('no query means every service', () => {
    expect(parse('')).toEqual({ values: { q: '', phase: '', category: '' }, filters: {}, errors: {} })
  })

  it('keeps the words and a known phase', () => {
    expect(parse('q=+dyslexia+&phase=primary').filters).toEqual({ q: 'dyslexia', phase: 'primary' })
  })

  it('an unknown phase is reported beside the field and ignored', () => {
    const result = parse('phase=martian')
    expect(result.errors).toEqual({ phase: 'Choose a phase from the list' })
    expect(result.filters.phase).toBeUndefined()
    expect(result.values.phase).toBe('')
  })

  it('keeps a category of the authority; any other is reported beside the field and ignored', () => {
    const categories = ['music', 'send-support']
    const known = parseCatalogueSearch(new URLSearchParams('category=music'), categories)
    expect(known.filters.category).toBe('music')
    expect(known.values.category).toBe('music')
    expect(known.errors).toEqual({})
    const unknown = parseCatalogueSearch(new URLSearchParams('category=martian'), categories)
    expect(unknown.errors).toEqual({ category: 'Choose a category from the list' })
    expect(unknown.filters.category).toBeUndefined()
    expect(unknown.values.category).toBe('')
  })

  it('over-long words are cut to 100 characters', () => {
    expect(parse(`q=${'x'.repeat(500)}`).filters.q).toHaveLength(100)
  })

  it('repeated parameters use the first', () => {
    expect(parse('q=one&q=two&phase=special&phase=primary').filters).toEqual({ q: 'one', phase: 'special' })
  })
})
