import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Form, Link, useLoaderData } from '@remix-run/react'
import { ErrorSummary, SearchInput, SelectField } from '~/components/forms'
import { listCatalogue, listCategories, loadPricedSchool, type ServiceSummary } from '~/models/catalogue/catalogue.server'
import { tradingYearOf } from '~/domain/trading-year'
import { formatPence } from '~/domain/money'
import { parseCatalogueSearch } from '~/schemas/catalogue'
import { getRequestAuthority } from '~/utils/authority.server'
import { getUser } from '~/utils/auth.server'
import { clock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { listPhases, phaseName, PHASES } from '~/utils/format'

export async function loader({ request }: LoaderFunctionArgs) {
  const db = await getDb()
  const user = await getUser(request)
  const authority = await getRequestAuthority(db, request, user)
  const categories = await listCategories(db, authority.id)
  const search = parseCatalogueSearch(
    new URL(request.url).searchParams,
    categories.map((c) => c.slug),
  )
  // A signed-in school sees its own price: its type, its pupils, the VAT it pays.
  const school = user?.schoolId && user.authorityId === authority.id ? await loadPricedSchool(db, authority.id, user.schoolId) : null
  const tradingYear = tradingYearOf(clock.now(), authority.financialYearStartMonth)
  const catalogue = await listCatalogue(db, authority.id, search.filters, { tradingYear, school })
  return { authority: { name: authority.name }, search, ...catalogue }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: `${data?.search.errors.phase || data?.search.errors.category ? 'Error: ' : ''}Services for schools – ${data?.authority.name ?? 'Buyback'}`,
  },
]

/** "From £295", and for a signed-in school "Your price from £354 including VAT". */
function Prices({ service }: { service: ServiceSummary }) {
  if (service.fromPence === null) return <p className="govuk-body-s govuk-!-margin-bottom-1">No packages on sale at the moment</p>
  const own = service.yourPrice
  return (
    <p className="govuk-body govuk-!-margin-bottom-1 app-from-price">
      From {formatPence(service.fromPence)}
      {own ? (
        <>
          <br />
          <strong>
            Your price from {formatPence(own.grossPence)}
            {own.vatPence > 0 ? ' including VAT' : ''}
          </strong>
        </>
      ) : null}
    </p>
  )
}

/** A service in the list: under its category's heading (h3), or in the ranked results with its category named (h2). */
function ServiceCard({ service, ranked }: { service: ServiceSummary; ranked: boolean }) {
  const Heading = ranked ? 'h2' : 'h3'
  return (
    <div className="app-service-card">
      {ranked ? <span className="govuk-caption-m">{service.category.name}</span> : null}
      <Heading className="govuk-heading-m govuk-!-margin-bottom-2">
        <Link className="govuk-link" to={`/services/${service.slug}`}>
          {service.name}
        </Link>
      </Heading>
      <p className="govuk-body govuk-!-margin-bottom-1">{service.summary}</p>
      <Prices service={service} />
      {service.phases.length ? <p className="govuk-body-s govuk-!-margin-bottom-0">For {listPhases(service.phases).toLowerCase()} schools</p> : null}
    </div>
  )
}

export default function Services() {
  const { search, categories, results, categoryOptions } = useLoaderData<typeof loader>()
  const count = results ? results.length : categories.reduce((n, c) => n + c.services.length, 0)
  const filtered = Boolean(search.filters.q || search.filters.phase || search.filters.category)
  const phaseError = search.errors.phase
  const categoryError = search.errors.category
  const categoryName = categoryOptions.find((c) => c.slug === search.filters.category)?.name

  return (
    <>
      <ErrorSummary errors={{ category: categoryError, phase: phaseError }} focus={false} />
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
            <SelectField
              name="category"
              label="Category"
              error={categoryError}
              value={search.values.category}
              options={[{ value: '', label: 'All categories' }, ...categoryOptions.map((c) => ({ value: c.slug, label: c.name }))]}
            />
          </div>
        </div>
        <button type="submit" className="govuk-button" data-module="govuk-button">
          Search
        </button>
      </Form>

      <p className="govuk-body" role="status">
        {count === 1 ? '1 service' : `${count} services`}
        {search.filters.q ? ` matching “${search.filters.q}”` : ''}
        {search.filters.phase ? ` for ${phaseName(search.filters.phase).toLowerCase()} schools` : ''}
        {categoryName ? ` in ${categoryName}` : ''}
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
            <li>choosing “All phases” and “All categories”</li>
          </ul>
        </>
      ) : null}

      {results ? (
        <section aria-label="Search results">
          {results.map((service) => (
            <ServiceCard key={service.slug} service={service} ranked />
          ))}
        </section>
      ) : (
        categories.map((category) => (
          <section key={category.slug} aria-labelledby={`category-${category.slug}`} className="govuk-!-margin-bottom-8">
            <h2 className="govuk-heading-l" id={`category-${category.slug}`}>
              {category.name}
            </h2>
            {category.description ? <p className="govuk-body">{category.description}</p> : null}
            {category.services.map((service) => (
              <ServiceCard key={service.slug} service={service} ranked={false} />
            ))}
          </section>
        ))
      )}
    </>
  )
}
