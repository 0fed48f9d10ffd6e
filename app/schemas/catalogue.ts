import { z } from 'zod'
import { PHASES } from '../utils/format'

/**
 * The catalogue's search form, shared by the browser and the server. Odd
 * query strings never fail the page: over-long words are cut, and an unknown
 * phase or category is reported beside its field.
 */
export const CatalogueSearchSchema = z.object({
  q: z
    .string()
    // Control characters (a NUL byte cannot even reach PostgreSQL) are dropped.
    .transform((v) =>
      v
        .replace(/[\u0000-\u001f\u007f]/g, ' ')
        .trim()
        .slice(0, 100),
    )
    .optional()
    .transform((v) => (v ? v : undefined)),
  phase: z.enum(PHASES as unknown as [string, ...string[]], { error: 'Choose a phase from the list' }).optional(),
  /** A category's slug; which slugs exist depends on the authority (see parseCatalogueSearch). */
  category: z.string().max(100).optional(),
})

export const CATEGORY_ERROR = 'Choose a category from the list'

export type CatalogueSearch = z.infer<typeof CatalogueSearchSchema>

export type CatalogueSearchResult = {
  values: { q: string; phase: string; category: string }
  filters: { q?: string; phase?: (typeof PHASES)[number]; category?: string }
  errors: { phase?: string; category?: string }
}

/**
 * Reads ?q=&phase=&category= from a URL; never throws. Repeated parameters
 * use the first. `categories` are the slugs of the authority's categories: any
 * other category is reported beside the field and ignored.
 */
export function parseCatalogueSearch(params: URLSearchParams, categories: readonly string[] = []): CatalogueSearchResult {
  const raw = { q: params.get('q') ?? '', phase: params.get('phase') ?? '', category: params.get('category') ?? '' }
  const q = CatalogueSearchSchema.shape.q.safeParse(raw.q)
  const phase = raw.phase ? CatalogueSearchSchema.shape.phase.safeParse(raw.phase) : undefined
  const category = raw.category ? categories.includes(raw.category) : undefined
  const errors: CatalogueSearchResult['errors'] = {}
  if (phase && !phase.success) errors.phase = 'Choose a phase from the list'
  if (category === false) errors.category = CATEGORY_ERROR
  return {
    values: { q: raw.q.slice(0, 100), phase: phase?.success ? raw.phase : '', category: category ? raw.category : '' },
    filters: {
      q: q.success ? q.data : undefined,
      phase: phase?.success ? (phase.data as (typeof PHASES)[number]) : undefined,
      category: category ? raw.category : undefined,
    },
    errors,
  }
}
