import { tradingYearOf } from '~/domain/trading-year'
import { schoolStatement, statementYears } from '~/models/billing/statement.server'
import { parseStatementPeriod } from '~/schemas/statement'
import { getRequestAuthority } from '~/utils/authority.server'
import { notFound } from '~/utils/auth.server'
import { requireSchoolPage } from '~/utils/school-documents.server'
import { clock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'

/**
 * What /statement and /statement.pdf both read: the signed-in school user's
 * school (never one named in the address), for the trading year asked for.
 * Council staff get 403; anyone signed out is sent to sign in.
 */
export async function loadStatement(request: Request) {
  const { user, schoolId, members } = await requireSchoolPage(request)
  const db = await getDb()
  const authority = await getRequestAuthority(db, request, user)
  const current = tradingYearOf(clock.now(), authority.financialYearStartMonth)
  const period = parseStatementPeriod(new URL(request.url).searchParams, current)
  const scope = { authorityId: user.authorityId, schoolId }
  const [statement, years] = await Promise.all([
    schoolStatement(db, scope, { tradingYear: period.year, today: clock.today(), startMonth: authority.financialYearStartMonth }),
    statementYears(db, scope, current),
  ])
  if (!statement) throw notFound()
  return { statement, years, period, members, schoolId }
}
