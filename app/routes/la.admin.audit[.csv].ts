import type { LoaderFunctionArgs } from '@remix-run/node'
import { exportAuditEvents } from '~/models/admin/audit-log.server'
import { parseAuditFilters } from '~/schemas/audit'
import { requireRole } from '~/utils/auth.server'
import { clock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { buildCsv, csvDownload } from '~/utils/csv'

const HEADER = ['Time (UTC)', 'Who', 'Action', 'Action code', 'Subject', 'Details', 'IP address'] as const

/**
 * /la/admin/audit.csv: the audit events the page's filters choose (the same
 * query string), newest first, without secrets (the same summary as the
 * page). A filter that is not valid is ignored, as on the page.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const { filters } = parseAuditFilters(new URL(request.url).searchParams)
  const rows = await exportAuditEvents(await getDb(), user.authorityId, filters)
  return csvDownload(
    `audit-log-${clock.today()}.csv`,
    buildCsv(
      HEADER,
      rows.map((r) => [r.at, r.actorName ?? 'Buyback', r.actionText, r.action, r.subject, r.summary, r.ip]),
    ),
  )
}
