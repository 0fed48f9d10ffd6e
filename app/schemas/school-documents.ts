import { z } from 'zod'

/** /invoices?page=2: page numbers come from our own links; anything odd is page 1. */
export const SchoolDocumentsQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1) })

export function parseSchoolDocumentsQuery(params: URLSearchParams): { page: number } {
  return SchoolDocumentsQuery.parse({ page: params.get('page') ?? undefined })
}
