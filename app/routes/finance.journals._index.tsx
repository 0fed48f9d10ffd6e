import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { FinanceNav } from '~/components/finance-nav'
import { TableHead } from '~/components/table-head'
import { monthParam } from '~/domain/finance'
import { monthLabel } from '~/domain/invoicing'
import { formatPence } from '~/domain/money'
import { listJournals } from '~/models/billing/journals.server'
import { getRequestAuthority } from '~/utils/authority.server'
import { requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { formatDate } from '~/utils/format'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['finance', 'la_admin'])
  const db = await getDb()
  const [authority, journals] = await Promise.all([getRequestAuthority(db, request, user), listJournals(db, user.authorityId)])
  return { authority: { name: authority.name }, journals }
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Recharge journals – ${data?.authority.name ?? 'Buyback'}` }]

export default function Journals() {
  const { journals } = useLoaderData<typeof loader>()
  return (
    <>
      <FinanceNav />
      <span className="govuk-caption-l">Finance</span>
      <h1 className="govuk-heading-xl">Recharge journals</h1>
      <p className="govuk-body">
        Maintained schools pay by internal recharge. Each month’s journal holds the invoices issued to them that month and any credit notes (as
        negative lines). Download a month’s journal for the ledger, then mark it as posted: its invoices are then paid, and anything issued afterwards
        goes in the next month’s journal.
      </p>
      {journals.length === 0 ? (
        <p className="govuk-body">Nothing has been charged by internal recharge yet.</p>
      ) : (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--m">Journals, newest first</caption>
          <TableHead
            columns={[
              'Month',
              { label: 'Invoices', numeric: true },
              { label: 'Credit notes', numeric: true },
              { label: 'Total', numeric: true },
              'Status',
            ]}
          />
          <tbody className="govuk-table__body">
            {journals.map((j) => (
              <tr key={j.id} className="govuk-table__row">
                <th scope="row" className="govuk-table__header">
                  <Link className="govuk-link" to={`/finance/journals/${monthParam(j.month)}`}>
                    {monthLabel(j.month)}
                  </Link>
                </th>
                <td className="govuk-table__cell govuk-table__cell--numeric">{j.invoiceCount}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{j.creditNoteCount}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(j.totalPence)}</td>
                <td className="govuk-table__cell">
                  {j.status === 'posted' ? (
                    <>
                      <strong className="govuk-tag govuk-tag--green">Posted</strong>
                      {j.postedAt ? <span className="app-table__secondary">{formatDate(j.postedAt)}</span> : null}
                    </>
                  ) : (
                    <strong className="govuk-tag govuk-tag--blue">Open</strong>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}
