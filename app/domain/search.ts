/**
 * Catalogue search: finds a school's words in the authority's services and
 * ranks the best match first (docs/decisions/0030). Pure functions, no I/O:
 * the model loads the published services (a few dozen) and ranks them here.
 *
 * Rules:
 * - text is normalised (lower case, accents and apostrophes dropped, "&" is
 *   "and", anything else not a letter or digit separates words), common
 *   little words (the, and, for…) are left out, and each word is stemmed by
 *   a small English suffix stemmer: dyslexic ~ dyslexia, clerking ~ clerk,
 *   governors ~ governor;
 * - words and phrases of one synonym group (app/domain/search-vocabulary.ts)
 *   are the same idea: "ASD" finds "autism", "SaLT" finds "speech and
 *   language"; the longest phrase wins, and abbreviations are whole words
 *   ("EP" never matches the e and p of "SEN Early Years");
 * - a query word the catalogue does not know is read as the start of a word
 *   ("psycho", 4 letters or more), otherwise as a misspelling of a word one
 *   letter away (one letter added, missing, changed or two swapped; words of
 *   4 letters or more): "dyslexa", "govenor", "violn";
 * - a service matches a query term in its name (weight 10), its own search
 *   terms (7), summary (5), description or category (3), or offer names
 *   (2); a term scores its best field, plus a little for each other field it
 *   is in; misspelt or part words score less;
 * - results are the services that match the most query terms (all of them
 *   when any service does), best score first, then by name.
 */
import { SYNONYM_GROUPS } from './search-vocabulary'

export type SearchDocument = {
  slug: string
  name: string
  summary: string
  description: string
  /** The service's own search terms (services.search_terms). */
  keywords: readonly string[]
  offerNames: readonly string[]
  categoryName: string
}

export type SearchHit = { slug: string; name: string; score: number; matchedTerms: number }

// ---------------------------------------------------------------------------
// Words

const STOP_WORDS = new Set([
  'a',
  'an',
  'and',
  'the',
  'of',
  'for',
  'to',
  'in',
  'on',
  'at',
  'by',
  'with',
  'or',
  'as',
  'is',
  'are',
  'be',
  'my',
  'our',
  'your',
  'we',
  'i',
  'me',
  'from',
  'about',
  'into',
  'that',
  'this',
  'it',
  'its',
  'who',
  'what',
  'how',
  'do',
  'does',
  'can',
  'help',
])

/** Lower case, accents and apostrophes dropped, "&" as "and"; other marks separate words. */
export function normalise(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
}

/** The words of a text, normalised, without the little words. */
export function tokenise(text: string): string[] {
  const normal = normalise(text)
  return normal ? normal.split(' ').filter((w) => !STOP_WORDS.has(w)) : []
}

/** Suffixes the stemmer removes, longest first. */
const SUFFIXES = [
  'isations',
  'izations',
  'isation',
  'ization',
  'ations',
  'ically',
  'nesses',
  'ation',
  'ments',
  'ances',
  'ences',
  'ical',
  'ment',
  'ness',
  'ists',
  'isms',
  'ance',
  'ence',
  'ians',
  'ings',
  'ist',
  'ism',
  'ian',
  'ing',
  'ies',
  'ied',
  'ers',
  'ics',
  'er',
  'ic',
  'ia',
  'ed',
  'es',
  'al',
  'y',
  's',
]

function hasVowel(text: string): boolean {
  return /[aeiouy]/.test(text)
}

function stripOnce(word: string): string {
  for (const suffix of SUFFIXES) {
    if (!word.endsWith(suffix)) continue
    const stem = word.slice(0, -suffix.length)
    if (stem.length < 3 || !hasVowel(stem)) continue
    // "class", "focus", "analysis" keep their s.
    if (suffix === 's' && /(ss|us|is)$/.test(word)) continue
    return stem
  }
  return word
}

/**
 * A small English suffix stemmer: removes one common suffix at a time
 * (leaving at least 3 letters with a vowel), up to three times, then a final
 * "e". Words that share a stem are one word to the search.
 */
export function stem(word: string): string {
  if (/^\d+$/.test(word)) return word
  let current = word
  for (let i = 0; i < 3; i++) {
    const next = stripOnce(current)
    if (next === current) break
    current = next
  }
  if (current.length > 3 && current.endsWith('e')) current = current.slice(0, -1)
  return current
}

/**
 * Edit distance with adjacent swaps (optimal string alignment): how many
 * letters must be added, removed, changed or swapped to turn one word into
 * the other. Stops counting above `limit`.
 */
export function editDistance(a: string, b: string, limit = 2): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1
  const rows: number[][] = []
  for (let i = 0; i <= a.length; i++) {
    rows.push([i])
    for (let j = 1; j <= b.length; j++) rows[i]![j] = i === 0 ? j : 0
  }
  for (let i = 1; i <= a.length; i++) {
    let best = Infinity
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1)
      rows[i]![j] = d
      best = Math.min(best, d)
    }
    if (best > limit) return limit + 1
  }
  return rows[a.length]![b.length]!
}

// ---------------------------------------------------------------------------
// Vocabulary

type Phrase = { stems: string[]; concept: string }

/** Each vocabulary term as stems, grouped by its first stem, longest first. */
function compileVocabulary(groups: readonly (readonly string[])[]): Map<string, Phrase[]> {
  const byFirst = new Map<string, Phrase[]>()
  groups.forEach((group, index) => {
    const concept = `c${index}`
    for (const term of group) {
      const stems = tokenise(term).map(stem)
      if (stems.length === 0) continue
      const list = byFirst.get(stems[0]!) ?? []
      list.push({ stems, concept })
      byFirst.set(stems[0]!, list)
    }
  })
  for (const list of byFirst.values()) list.sort((a, b) => b.stems.length - a.stems.length)
  return byFirst
}

const VOCABULARY = compileVocabulary(SYNONYM_GROUPS)
/** Every word of the vocabulary, for spelling corrections. */
const VOCABULARY_WORDS = new Set(SYNONYM_GROUPS.flatMap((group) => group.flatMap((term) => tokenise(term))))

/** The longest vocabulary phrase starting at `start`, or undefined. */
function phraseAt(stems: string[], start: number): Phrase | undefined {
  for (const phrase of VOCABULARY.get(stems[start]!) ?? []) {
    if (phrase.stems.every((s, k) => stems[start + k] === s)) return phrase
  }
  return undefined
}

// ---------------------------------------------------------------------------
// Documents

/** What one field of a service holds: its stems, the ideas it names, and its words (for part words). */
type FieldIndex = { keys: Set<string>; words: string[] }

function indexText(text: string): FieldIndex {
  const words = tokenise(text)
  const stems = words.map(stem)
  const keys = new Set<string>(stems.map((s) => `w:${s}`))
  for (let i = 0; i < stems.length; i++) {
    // Every phrase starting here, not only the longest: "mental health" inside "social, emotional and mental health".
    for (const phrase of VOCABULARY.get(stems[i]!) ?? []) {
      if (phrase.stems.every((s, k) => stems[i + k] === s)) keys.add(`c:${phrase.concept}`)
    }
  }
  return { keys, words: [...words, ...stems] }
}

const FIELDS = [
  { field: 'name', weight: 10 },
  { field: 'keywords', weight: 7 },
  { field: 'summary', weight: 5 },
  { field: 'description', weight: 3 },
  { field: 'categoryName', weight: 3 },
  { field: 'offerNames', weight: 2 },
] as const

type IndexedDocument = { doc: SearchDocument; fields: { weight: number; index: FieldIndex }[] }

function indexDocument(doc: SearchDocument): IndexedDocument {
  const text: Record<(typeof FIELDS)[number]['field'], string> = {
    name: doc.name,
    // Each term and offer name on its own, so that phrases never run from one into the next.
    keywords: doc.keywords.join(' | '),
    summary: doc.summary,
    description: doc.description,
    categoryName: doc.categoryName,
    offerNames: doc.offerNames.join(' | '),
  }
  return { doc, fields: FIELDS.map(({ field, weight }) => ({ weight, index: indexTextBySegment(text[field]) })) }
}

/** Indexes text split at "|" so that phrases do not cross the joins. */
function indexTextBySegment(text: string): FieldIndex {
  const parts = text.split('|').map(indexText)
  return { keys: new Set(parts.flatMap((p) => [...p.keys])), words: parts.flatMap((p) => p.words) }
}

// ---------------------------------------------------------------------------
// Queries

/** A query term: an idea or a stem, or the start of a word; `factor` is less than 1 for guesses. */
type QueryTerm = { key: string; prefix: boolean; factor: number }

const MIN_FUZZY_LENGTH = 4
const MIN_PREFIX_LENGTH = 4
const PREFIX_FACTOR = 0.6
const MISSPELT_FACTOR = 0.8

/** The catalogue's words: what a query word may be corrected to, and how often each occurs. */
type Dictionary = { stems: Set<string>; words: Map<string, number> }

function buildDictionary(documents: IndexedDocument[]): Dictionary {
  const stems = new Set<string>()
  const words = new Map<string, number>()
  for (const { fields } of documents) {
    for (const { index } of fields) {
      for (const key of index.keys) if (key.startsWith('w:')) stems.add(key.slice(2))
      for (const word of index.words) words.set(word, (words.get(word) ?? 0) + 1)
    }
  }
  for (const word of VOCABULARY_WORDS) {
    stems.add(stem(word))
    if (!words.has(word)) words.set(word, 0)
  }
  return { stems, words }
}

/** The known word one letter away from `word`: the commonest, then the first in the alphabet. */
function correction(word: string, dictionary: Dictionary): string | undefined {
  if (word.length < MIN_FUZZY_LENGTH || /\d/.test(word)) return undefined
  let best: { word: string; count: number } | undefined
  for (const [candidate, count] of dictionary.words) {
    if (candidate.length < MIN_FUZZY_LENGTH || editDistance(word, candidate, 1) > 1) continue
    if (!best || count > best.count || (count === best.count && candidate < best.word)) best = { word: candidate, count }
  }
  return best?.word
}

function hasPrefix(word: string, dictionary: Dictionary): boolean {
  if (word.length < MIN_PREFIX_LENGTH) return false
  for (const candidate of dictionary.words.keys()) if (candidate.startsWith(word)) return true
  return false
}

/** The query as terms: vocabulary phrases as ideas, other words as stems, part words and misspellings as guesses. */
function parseQuery(query: string, dictionary: Dictionary): QueryTerm[] {
  const words = tokenise(query)
  const read: { stem: string; factor: number; prefix: boolean }[] = words.map((word) => {
    const s = stem(word)
    if (dictionary.stems.has(s)) return { stem: s, factor: 1, prefix: false }
    if (hasPrefix(word, dictionary)) return { stem: word, factor: PREFIX_FACTOR, prefix: true }
    const corrected = correction(word, dictionary)
    if (corrected) return { stem: stem(corrected), factor: MISSPELT_FACTOR, prefix: false }
    return { stem: s, factor: 1, prefix: false }
  })
  const stems = read.map((r) => r.stem)
  const terms: QueryTerm[] = []
  const seen = new Set<string>()
  for (let i = 0; i < read.length;) {
    const phrase = read[i]!.prefix ? undefined : phraseAt(stems, i)
    const length = phrase ? phrase.stems.length : 1
    const factor = Math.min(...read.slice(i, i + length).map((r) => r.factor))
    const term = phrase
      ? { key: `c:${phrase.concept}`, prefix: false, factor }
      : read[i]!.prefix
        ? { key: read[i]!.stem, prefix: true, factor }
        : { key: `w:${read[i]!.stem}`, prefix: false, factor }
    if (!seen.has(term.key)) {
      seen.add(term.key)
      terms.push(term)
    }
    i += length
  }
  return terms
}

function fieldHas(index: FieldIndex, term: QueryTerm): boolean {
  if (term.prefix) return index.words.some((w) => w.startsWith(term.key))
  return index.keys.has(term.key)
}

// ---------------------------------------------------------------------------
// Ranking

/**
 * The services that match the query, best first (see the rules at the top
 * of this file). An empty query, or one with no words, matches nothing.
 */
export function searchServices(documents: readonly SearchDocument[], query: string): SearchHit[] {
  const indexed = documents.map(indexDocument)
  const terms = parseQuery(query, buildDictionary(indexed))
  if (terms.length === 0) return []
  const hits: SearchHit[] = []
  for (const { doc, fields } of indexed) {
    let score = 0
    let matchedTerms = 0
    for (const term of terms) {
      const weights = fields.filter((f) => fieldHas(f.index, term)).map((f) => f.weight)
      if (weights.length === 0) continue
      matchedTerms++
      const best = Math.max(...weights)
      score += term.factor * (best + 0.25 * (weights.length - 1))
    }
    if (matchedTerms > 0) hits.push({ slug: doc.slug, name: doc.name, score, matchedTerms })
  }
  const most = Math.max(0, ...hits.map((h) => h.matchedTerms))
  return hits
    .filter((h) => h.matchedTerms === most)
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name, 'en-GB') || a.slug.localeCompare(b.slug))
}
