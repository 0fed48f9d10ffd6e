import type { DB } from '../../db/connection'
import { getEnv } from './env.server'

export type CurrentAuthority = {
  id: string
  slug: string
  name: string
  contactEmail: string
  contactPhone: string | null
  financialYearStartMonth: number
}

/**
 * The authority whose catalogue this request sees. One deployment can serve
 * many authorities; until people sign in, it is the deployment's default.
 */
export async function getRequestAuthority(db: DB, _request: Request): Promise<CurrentAuthority> {
  const slug = getEnv().DEFAULT_AUTHORITY
  const row = await db
    .selectFrom('authorities')
    .select(['id', 'slug', 'name', 'contact_email', 'contact_phone', 'financial_year_start_month'])
    .where('slug', '=', slug)
    .executeTakeFirst()
  if (!row) {
    throw new Error(`The authority "${slug}" (DEFAULT_AUTHORITY) is not in the database. Run npm run db:seed.`)
  }
  return {
    id: row.id,
    slug: row.slug,
    name: row.name,
    contactEmail: row.contact_email,
    contactPhone: row.contact_phone,
    financialYearStartMonth: row.financial_year_start_month,
  }
}
