import { z } from 'zod'
import { PHASES } from '../utils/format'

/**
 * The catalogue's search form, shared by the browser and the server. Odd
 * query strings never fail the page: over-long words are cut, and an unknown
 * phase is reported beside the field.
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
})

export type CatalogueSearch = z.infer<typeof CatalogueSearchSchema>

export type CatalogueSearchResult = {
  values: { q: string; phase: string }
  filters: { q?: string; phase?: (typeof PHASES)[number] }
  errors: { phase?: string }
}

/** Reads ?q=&phase= from a URL; never throws. Repeated parameters use the first. */
export function parseCatalogueSearch(params: URLSearchParams): CatalogueSearchResult {
  const raw = { q: params.get('q') ?? '', phase: params.get('phase') ?? '' }
  const q = CatalogueSearchSchema.shape.q.safeParse(raw.q)
  const phase = raw.phase ? CatalogueSearchSchema.shape.phase.safeParse(raw.phase) : undefined
  return {
    values: { q: raw.q.slice(0, 100), phase: phase?.success ? raw.phase : '' },
    filters: {
      q: q.success ? q.data : undefined,
      phase: phase?.success ? (phase.data as (typeof PHASES)[number]) : undefined,
    },
    errors: phase && !phase.success ? { phase: 'Choose a phase from the list' } : {},
  }
}
