import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { ErrorSummary, SearchInput, SelectField } from '~/components/forms'
import { listCatalogue } from '~/models/catalogue/catalogue.server'
import { parseCatalogueSearch } from '~/schemas/catalogue'
import { getRequestAuthority } from '~/utils/authority.server'
import { getUser } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { listPhases, phaseName, PHASES } from '~/utils/format'

export async function loader({ request }: LoaderFunctionArgs) {
  const db = await getDb()
  const user = await getUser(request)
  const authority = await getRequestAuthority(db, request, user)
  const search = parseCatalogueSearch(new URL(request.url).searchParams)
  const categories = await listCatalogue(db, authority.id, search.filters)
  return { authority: { name: authority.name }, search, categories }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: `${data?.search.errors.phase ? 'Error: ' : ''}Services for schools – ${data?.authority.name ?? 'Buyback'}`,
  },
]

export default function Services() {
  const { search, categories } = useLoaderData<typeof loader>()
  const count = categories.reduce((n, c) => n + c.services.length, 0)
  const filtered = Boolean(search.filters.q || search.filters.phase)
  const phaseError = search.errors.phase

  return (
    <>
      <ErrorSummary errors={{ phase: phaseError }} focus={false} />
      <h1 className="govuk-heading-xl">Services for schools</h1>
      <p className="govuk-body-l">Every service shows what it includes, its terms and its full price before you buy.</p>

      <Form method="get" className="app-filters" role="search" aria-label="Services">
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-half">
            <SearchInput label="Search services" hint="For example, dyslexia, clerking or violin" value={search.values.q} />
          </div>
          <div className="govuk-grid-column-one-quarter">
            <SelectField
              name="phase"
              label="Phase"
              error={phaseError}
              value={search.values.phase}
              options={[{ value: '', label: 'All phases' }, ...PHASES.map((p) => ({ value: p, label: phaseName(p) }))]}
            />
          </div>
          <div className="govuk-grid-column-one-quarter">
            <button type="submit" className="govuk-button govuk-!-margin-top-6" data-module="govuk-button">
              Search
            </button>
          </div>
        </div>
      </Form>

      <p className="govuk-body" role="status">
        {count === 1 ? '1 service' : `${count} services`}
        {search.filters.q ? ` matching “${search.filters.q}”` : ''}
        {search.filters.phase ? ` for ${phaseName(search.filters.phase).toLowerCase()} schools` : ''}
        {filtered ? (
          <>
            {' '}
            <Link className="govuk-link" to="/services">
              Clear search
            </Link>
          </>
        ) : null}
      </p>

      {count === 0 ? (
        <>
          <h2 className="govuk-heading-m">No services found</h2>
          <p className="govuk-body">Improve your results by:</p>
          <ul className="govuk-list govuk-list--bullet">
            <li>checking your spelling</li>
            <li>searching for something less specific</li>
            <li>choosing “All phases”</li>
          </ul>
        </>
      ) : null}

      {categories.map((category) => (
        <section key={category.slug} aria-labelledby={`category-${category.slug}`} className="govuk-!-margin-bottom-8">
          <h2 className="govuk-heading-l" id={`category-${category.slug}`}>
            {category.name}
          </h2>
          {category.description ? <p className="govuk-body">{category.description}</p> : null}
          {category.services.map((service) => (
            <div key={service.slug} className="app-service-card">
              <h3 className="govuk-heading-m govuk-!-margin-bottom-2">
                <Link className="govuk-link" to={`/services/${service.slug}`}>
                  {service.name}
                </Link>
              </h3>
              <p className="govuk-body govuk-!-margin-bottom-1">{service.summary}</p>
              {service.phases.length ? (
                <p className="govuk-body-s govuk-!-margin-bottom-0">For {listPhases(service.phases).toLowerCase()} schools</p>
              ) : null}
            </div>
          ))}
        </section>
      ))}
    </>
  )
}
