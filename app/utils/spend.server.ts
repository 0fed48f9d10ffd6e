import { tradingYearOf } from '~/domain/trading-year'
import { schoolSpend } from '~/models/billing/spend.server'
import { getRequestAuthority } from '~/utils/authority.server'
import { notFound } from '~/utils/auth.server'
import { requireSchoolPage } from '~/utils/school-documents.server'
import { clock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'

/**
 * What /spend and /spend.csv both read: the signed-in school user's school
 * (never one named in the address), this trading year and last. Council staff
 * get 403; anyone signed out is sent to sign in.
 */
export async function loadSpend(request: Request) {
  const { user, schoolId, members } = await requireSchoolPage(request)
  const db = await getDb()
  const authority = await getRequestAuthority(db, request, user)
  const now = clock.now()
  const tradingYear = tradingYearOf(now, authority.financialYearStartMonth)
  const spend = await schoolSpend(
    db,
    { authorityId: user.authorityId, schoolId },
    { tradingYear, startMonth: authority.financialYearStartMonth, now },
  )
  if (!spend) throw notFound()
  return { spend, members, schoolId, authority: { name: authority.name } }
}
