import { describe, expect, it } from 'vitest'
import { editDistance, normalise, searchServices, stem, tokenise, type SearchDocument } from '~/domain/search'
import { COVENTRY_CATALOGUE } from '../../db/seed/coventry-catalogue'

/** The demo catalogue as the model gives it to the search: the seed's own text, not a copy. */
const CATALOGUE: SearchDocument[] = COVENTRY_CATALOGUE.services.map((s) => ({
  slug: s.slug,
  name: s.name,
  summary: s.summary,
  description: s.description,
  keywords: s.keywords ?? [],
  offerNames: s.offers.map((o) => o.name),
  categoryName: COVENTRY_CATALOGUE.categories.find((c) => c.slug === s.category)!.name,
}))

const slugs = (query: string, docs: SearchDocument[] = CATALOGUE) => searchServices(docs, query).map((h) => h.slug)

describe('what schools type finds the right service first', () => {
  // [query a school would type, the service it must find first]
  const QUERIES: [string, string][] = [
    ['EP', 'educational-psychology'],
    ['educational psychologist', 'educational-psychology'],
    ['ed psych', 'educational-psychology'],
    ['psycology', 'educational-psychology'],
    ['ASD', 'complex-communication-and-learning'],
    ['autistic', 'complex-communication-and-learning'],
    ['autism', 'complex-communication-and-learning'],
    ['autsim', 'complex-communication-and-learning'],
    ['dyslexic', 'complex-communication-and-learning'],
    ['dyslexa', 'complex-communication-and-learning'],
    ['dyslexia assessment', 'complex-communication-and-learning'],
    ['SaLT', 'complex-communication-and-learning'],
    ['speech and language', 'complex-communication-and-learning'],
    ['SEMH', 'semh-support'],
    ['mental health', 'semh-support'],
    ['counselling', 'semh-support'],
    ['anxiety', 'semh-support'],
    ['anxious pupils', 'semh-support'],
    ['wellbeing', 'semh-support'],
    ['behaviour', 'semh-support'],
    ['exclusion', 'semh-support'],
    ['deaf', 'sensory-support'],
    ['VI', 'sensory-support'],
    ['HI', 'sensory-support'],
    ['blind', 'sensory-support'],
    ['hearing aids', 'sensory-support'],
    ['early years', 'sen-early-years'],
    ['EYFS', 'sen-early-years'],
    ['nursery', 'sen-early-years'],
    ['SENCO network', 'sen-early-years'],
    ['violin', 'coventry-music'],
    ['violn', 'coventry-music'],
    ['music lessons', 'coventry-music'],
    ['guitar lessons', 'coventry-music'],
    ['piano', 'coventry-music'],
    ['instrument hire', 'instrument-hire'],
    ['drum kit hire', 'instrument-hire'],
    ['EAL', 'ethnic-minority-achievement'],
    ['english as an additional language', 'ethnic-minority-achievement'],
    ['new arrivals', 'ethnic-minority-achievement'],
    ['interpreter', 'ethnic-minority-achievement'],
    ['clerk', 'governor-support'],
    ['clerking', 'governor-support'],
    ['govenor', 'governor-support'],
    ['governance', 'governor-support'],
    ['governors training', 'governor-support'],
    ['attendance', 'school-attendance'],
    ['truancy', 'school-attendance'],
    ['persistent absence', 'school-attendance'],
    ['residential trip', 'outdoor-education'],
    ['climbing', 'outdoor-education'],
    ['work experience', 'work-related-learning'],
    ['KS4', 'work-related-learning'],
  ]

  it('has at least 30 queries, each naming a service of the demo catalogue', () => {
    expect(QUERIES.length).toBeGreaterThanOrEqual(30)
    const known = new Set(CATALOGUE.map((d) => d.slug))
    for (const [, slug] of QUERIES) expect(known.has(slug)).toBe(true)
  })

  it.each(QUERIES)('“%s” finds %s first', (query, slug) => {
    expect(slugs(query)[0]).toBe(slug)
  })
})

describe('search rules', () => {
  it('normalises case, accents, apostrophes and "&", and leaves out little words', () => {
    expect(normalise('Speech & Language – Children’s Café')).toBe('speech and language childrens cafe')
    expect(tokenise('Help for the SENCO of a school')).toEqual(['senco', 'school'])
  })

  it('stems words that share a root to one stem', () => {
    const same: [string, string][] = [
      ['dyslexic', 'dyslexia'],
      ['clerking', 'clerk'],
      ['governors', 'governor'],
      ['teachers', 'teaching'],
      ['assessments', 'assessing'],
      ['musician', 'musical'],
      ['psychologist', 'psychology'],
      ['families', 'family'],
      ['ensembles', 'ensemble'],
    ]
    for (const [a, b] of same) expect(stem(a), `${a} ~ ${b}`).toBe(stem(b))
    // Short words and words ending in ss/us/is keep their letters.
    expect(stem('class')).toBe('class')
    expect(stem('eps')).toBe('eps')
    expect(stem('day')).toBe('day')
  })

  it('finds a service by another form of a word it uses', () => {
    // The Governor support text says "clerking", "clerks" and "governors"; the query says "clerk" and "governor".
    expect(slugs('clerks')[0]).toBe('governor-support')
    expect(slugs('governor')[0]).toBe('governor-support')
  })

  it('counts one letter added, missing, changed or swapped as one', () => {
    expect(editDistance('dyslexa', 'dyslexia')).toBe(1)
    expect(editDistance('govenor', 'governor')).toBe(1)
    expect(editDistance('violn', 'violin')).toBe(1)
    expect(editDistance('autsim', 'autism')).toBe(1)
    expect(editDistance('dslexa', 'dyslexia')).toBe(2)
  })

  it('forgives one wrong letter in words of 4 letters or more, but not two, nor in shorter words', () => {
    expect(slugs('dyslexa')).toEqual(['complex-communication-and-learning'])
    expect(slugs('dslexa')).toEqual([])
    // "hre" is one letter from "hire", but too short to guess.
    expect(slugs('hre')).toEqual([])
  })

  it('reads an unknown word of 4 letters or more as the start of a word', () => {
    expect(slugs('psycho')[0]).toBe('educational-psychology')
    expect(slugs('psycho')).not.toContain('coventry-music')
  })

  it('matches abbreviations as whole words only', () => {
    const earlyYears = CATALOGUE.filter((d) => d.slug === 'sen-early-years')
    // "SEN Early Years" has an e and a p, and "e…p" in "help" and "specialist", but no EP.
    expect(slugs('EP', earlyYears)).toEqual([])
    expect(slugs('EP')).not.toContain('sen-early-years')
    // Without the vocabulary or a service's own terms, the letters of an abbreviation find nothing.
    const plain: SearchDocument = {
      slug: 'plain',
      name: 'Hasdrubal’s vivid hints',
      summary: 'Eaglets and episodes',
      description: '',
      keywords: [],
      offerNames: [],
      categoryName: 'Other',
    }
    for (const query of ['ASD', 'VI', 'HI', 'EAL', 'EP']) expect(slugs(query, [plain]), query).toEqual([])
  })

  it('treats the words of one synonym group as the same idea', () => {
    const doc = (slug: string, summary: string): SearchDocument => ({
      slug,
      name: slug,
      summary,
      description: '',
      keywords: [],
      offerNames: [],
      categoryName: 'Other',
    })
    const docs = [doc('a', 'Support for autistic pupils'), doc('b', 'Speech and language teaching'), doc('c', 'Music')]
    expect(slugs('ASD', docs)).toEqual(['a'])
    expect(slugs('autism', docs)).toEqual(['a'])
    expect(slugs('SLT', docs)).toEqual(['b'])
  })

  it('ranks the name above own terms, summary, description and offer names', () => {
    const doc = (slug: string, field: 'name' | 'keywords' | 'summary' | 'description' | 'offerNames'): SearchDocument => ({
      slug,
      name: field === 'name' ? 'Orienteering' : `Service ${slug}`,
      summary: field === 'summary' ? 'Orienteering for classes' : 'A service',
      description: field === 'description' ? 'We run orienteering.' : '',
      keywords: field === 'keywords' ? ['orienteering'] : [],
      offerNames: field === 'offerNames' ? ['Orienteering day'] : [],
      categoryName: 'Other',
    })
    const docs = [doc('e', 'offerNames'), doc('d', 'description'), doc('c', 'summary'), doc('b', 'keywords'), doc('a', 'name')]
    expect(slugs('orienteering', docs)).toEqual(['a', 'b', 'c', 'd', 'e'])
  })

  it('breaks ties by name, so the order never changes between runs', () => {
    const doc = (slug: string, name: string): SearchDocument => ({
      slug,
      name,
      summary: 'Forest school sessions',
      description: '',
      keywords: [],
      offerNames: [],
      categoryName: 'Other',
    })
    expect(slugs('forest', [doc('z', 'Zebra'), doc('m', 'Mango'), doc('a', 'Apple')])).toEqual(['a', 'm', 'z'])
  })

  it('keeps the services that match the most words of the query', () => {
    // Both music services mention lessons; only Instrument hire is about hiring.
    expect(slugs('instrument hire')).toEqual(['instrument-hire'])
  })

  it('finds nothing for nonsense or an empty query', () => {
    expect(slugs('zzzzqqq')).toEqual([])
    expect(slugs('')).toEqual([])
    expect(slugs('  the and of  ')).toEqual([])
    expect(slugs('%%%_')).toEqual([])
  })
})
