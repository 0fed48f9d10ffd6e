import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { TableHead } from '~/components/table-head'
import { listManagedServices, type OfferCounts } from '~/models/catalogue/service-admin.server'
import { staffScopeFor } from '~/models/shared/access-scope.server'
import { forbidden, requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['service_lead', 'la_admin'])
  const scope = staffScopeFor(user)
  if (!scope) throw forbidden()
  const categories = await listManagedServices(await getDb(), scope)
  return { categories, allServices: scope.kind === 'authority' }
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction = () => [{ title: 'Services – Buyback' }]

const count = (n: number) => n.toLocaleString('en-GB')

function offersText(offers: OfferCounts): string {
  const total = offers.on_sale + offers.draft + offers.retired
  return total === 1 ? '1 offer' : `${count(total)} offers`
}

export default function ManagedServices() {
  const { categories, allServices } = useLoaderData<typeof loader>()
  return (
    <>
      <h1 className="govuk-heading-xl">Services</h1>
      <p className="govuk-body-l">
        {allServices
          ? 'Every service the council sells to schools. Open one to change what schools read about it, its terms and its offers.'
          : 'The services you lead. Open one to change what schools read about it, its terms and its offers.'}
      </p>
      {categories.length === 0 ? <p className="govuk-body">You do not lead any services yet. Ask the LA administrator to add you to yours.</p> : null}
      {categories.map((category) => (
        <div key={category.slug} className="app-table-wrapper">
          <table className="govuk-table">
            <caption className="govuk-table__caption govuk-table__caption--m">{category.name}</caption>
            <TableHead
              columns={[
                'Service',
                'In the catalogue',
                { label: 'On sale', numeric: true },
                { label: 'Draft', numeric: true },
                { label: 'Retired', numeric: true },
              ]}
            />
            <tbody className="govuk-table__body">
              {category.services.map((service) => (
                <tr key={service.slug} className="govuk-table__row">
                  <th scope="row" className="govuk-table__header">
                    <Link className="govuk-link" to={`/la/services/${service.slug}`}>
                      {service.name}
                    </Link>
                    <span className="govuk-visually-hidden">, {offersText(service.offers)}</span>
                  </th>
                  <td className="govuk-table__cell">
                    {service.isPublished ? (
                      <strong className="govuk-tag govuk-tag--green">Published</strong>
                    ) : (
                      <strong className="govuk-tag govuk-tag--grey">Hidden</strong>
                    )}
                  </td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{count(service.offers.on_sale)}</td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{count(service.offers.draft)}</td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{count(service.offers.retired)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </>
  )
}
