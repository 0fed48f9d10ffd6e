import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { formatPence } from '~/domain/money'
import { listTrusts } from '~/models/admin/trusts.server'
import { TRUST_INVOICING_NAMES } from '~/schemas/trust-labels'
import { requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  return { authorityName: user.authorityName, trusts: await listTrusts(await getDb(), user.authorityId) }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Trusts – ${data?.authorityName ?? 'Buyback'} – Buyback` }]

export default function Trusts() {
  const { trusts, authorityName } = useLoaderData<typeof loader>()
  return (
    <>
      <span className="govuk-caption-l">{authorityName}</span>
      <h1 className="govuk-heading-l">Trusts</h1>
      <p className="govuk-body">
        Multi-academy trusts buy for their member schools: a trust’s approver signs orders at or above the trust’s approval limit, and its schools’
        lines can go on one invoice to the trust.
      </p>
      <Link to="/la/admin/trusts/new" className="govuk-button" data-module="govuk-button">
        Add a trust
      </Link>
      {trusts.length === 0 ? (
        <p className="govuk-body">There are no trusts yet.</p>
      ) : (
        <table className="govuk-table">
          <caption className="govuk-table__caption govuk-table__caption--m">
            {trusts.length} {trusts.length === 1 ? 'trust' : 'trusts'}
          </caption>
          <thead className="govuk-table__head">
            <tr className="govuk-table__row">
              <th scope="col" className="govuk-table__header">
                Trust
              </th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                Member schools
              </th>
              <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                Approval limit
              </th>
              <th scope="col" className="govuk-table__header">
                Invoiced
              </th>
            </tr>
          </thead>
          <tbody className="govuk-table__body">
            {trusts.map((t) => (
              <tr key={t.id} className="govuk-table__row">
                <th scope="row" className="govuk-table__header">
                  <Link className="govuk-link" to={`/la/admin/trusts/${t.id}`}>
                    {t.name}
                  </Link>
                </th>
                <td className="govuk-table__cell govuk-table__cell--numeric">{t.memberCount}</td>
                <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(t.approvalLimitPence)}</td>
                <td className="govuk-table__cell">{TRUST_INVOICING_NAMES[t.invoicing]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  )
}
