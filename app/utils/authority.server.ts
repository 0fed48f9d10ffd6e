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

// Root and route loaders of one page share the request: look the authority up once.
const authoritiesByRequest = new WeakMap<Request, Promise<CurrentAuthority>>()

/**
 * The authority this request sees: a signed-in user's own; for anyone else
 * the deployment's default (one deployment can serve many authorities).
 */
export function getRequestAuthority(db: DB, request: Request, user?: { authorityId: string } | null): Promise<CurrentAuthority> {
  let authority = authoritiesByRequest.get(request)
  if (!authority) {
    authority = findAuthority(db, user)
    authoritiesByRequest.set(request, authority)
  }
  return authority
}

async function findAuthority(db: DB, user?: { authorityId: string } | null): Promise<CurrentAuthority> {
  const slug = getEnv().DEFAULT_AUTHORITY
  const query = db.selectFrom('authorities').select(['id', 'slug', 'name', 'contact_email', 'contact_phone', 'financial_year_start_month'])
  const row = await (user ? query.where('id', '=', user.authorityId) : query.where('slug', '=', slug)).executeTakeFirst()
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
