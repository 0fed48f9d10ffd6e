import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useValidatedForm, ValidatedForm } from '~/components/validated-form'
import { ErrorSummary } from '~/components/forms'
import { ImportantBanner } from '~/components/important-banner'
import { ServiceFields } from '~/components/service-fields'
import { SuccessBanner } from '~/components/success-banner'
import { TableHead } from '~/components/table-head'
import { getManagedService, listServiceOffers, saveService, serviceValuesOf } from '~/models/catalogue/service-admin.server'
import { listTermsVersions } from '~/models/catalogue/terms-versions.server'
import { actorFor } from '~/models/shared/actor.server'
import type { FieldErrors } from '~/schemas/common'
import { PRICING_MODEL_NAMES } from '~/schemas/offers'
import { OFFER_STATUS_TAGS, SERVICE_FIELDS, ServiceSchema, serviceValuesFrom, type ServiceValues } from '~/schemas/service-admin'
import { forbidden, notFound, requireRole, type SessionUser } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { formatDate } from '~/utils/format'

async function serviceFor(user: SessionUser, slug: string | undefined) {
  const found = await getManagedService(await getDb(), user, slug ?? '')
  if (!found.ok) throw found.status === 403 ? forbidden() : notFound()
  return found.service
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['service_lead', 'la_admin'])
  const service = await serviceFor(user, params.slug)
  const db = await getDb()
  const [offers, versions] = await Promise.all([
    listServiceOffers(db, user.authorityId, service.id),
    listTermsVersions(db, user.authorityId, service.id),
  ])
  const query = new URL(request.url).searchParams
  const newVersion = Number(query.get('terms'))
  return {
    service: { slug: service.slug, name: service.name, categoryName: service.categoryName },
    values: serviceValuesOf(service),
    savedAt: service.savedAt,
    offers,
    versions: versions.map((v) => ({ version: v.version, since: formatDate(v.createdAt), by: v.createdBy })),
    saved: query.get('saved') === '1',
    newTermsVersion: Number.isInteger(newVersion) && newVersion > 0 ? newVersion : null,
  }
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

type ActionData = { errors: FieldErrors; values: ServiceValues; notice?: string; savedAt?: string }

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireRole(request, ['service_lead', 'la_admin'])
  const service = await serviceFor(user, params.slug)
  const form = await request.formData()
  const values = serviceValuesFrom(form)
  const actor = { ...actorFor(user, request, context), roles: user.roles, serviceIds: user.serviceIds }
  const result = await saveService(await getDb(), actor, service.id, values, String(form.get('savedAt') ?? ''))
  if (!result.ok) {
    if ('status' in result) throw result.status === 403 ? forbidden() : notFound()
    if ('savedAt' in result) {
      const notice =
        'Someone else saved this service after you opened this page. Nothing you changed has been saved: check your changes below and save again.'
      return data<ActionData>({ errors: {}, values, notice, savedAt: result.savedAt }, { status: 409 })
    }
    return data<ActionData>({ errors: result.errors, values }, { status: 400 })
  }
  const query = new URLSearchParams({ saved: '1' })
  if (result.termsVersion) query.set('terms', String(result.termsVersion))
  return redirect(`/la/services/${service.slug}?${query}`)
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.service.name} – Services – Buyback` : 'Page not found – Buyback' },
]

export default function EditService() {
  const { service, values: saved, savedAt, offers, versions, saved: justSaved, newTermsVersion } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const form = useValidatedForm({ schema: ServiceSchema, values: serviceValuesFrom, serverErrors: actionData?.errors })
  const errors = form.errors
  const values = actionData?.values ?? saved
  const base = `/la/services/${service.slug}`
  return (
    <>
      <Link to="/la/services" className="govuk-back-link">
        Back to services
      </Link>
      {actionData?.notice ? <ImportantBanner titleId="notice-title">{actionData.notice}</ImportantBanner> : null}
      {justSaved && !actionData ? (
        <SuccessBanner titleId="saved-banner-title" heading={`${service.name} saved`}>
          {newTermsVersion ? (
            <p className="govuk-body">The terms are now version {newTermsVersion}. Orders already placed keep the version the school accepted.</p>
          ) : null}
        </SuccessBanner>
      ) : null}
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} order={[...SERVICE_FIELDS]} />
          <span className="govuk-caption-l">{service.categoryName}</span>
          <h1 className="govuk-heading-xl">{service.name}</h1>
          <p className="govuk-body">
            <Link className="govuk-link" to={`/services/${service.slug}?preview=maintained`}>
              Preview as a maintained school
            </Link>
            {' · '}
            <Link className="govuk-link" to={`/services/${service.slug}?preview=academy`}>
              Preview as an academy
            </Link>
          </p>

          <h2 className="govuk-heading-l">About the service</h2>
          <ValidatedForm form={form} method="post" noValidate>
            <input type="hidden" name="savedAt" value={actionData?.savedAt ?? savedAt} />
            <ServiceFields
              values={values}
              errors={errors}
              afterTerms={
                versions.length ? (
                  <details className="govuk-details">
                    <summary className="govuk-details__summary">
                      <span className="govuk-details__summary-text">Versions of the terms</span>
                    </summary>
                    <div className="govuk-details__text">
                      <ul className="govuk-list">
                        {versions.map((v, i) => (
                          <li key={v.version}>
                            Version {v.version}
                            {i === 0 ? ' (in force)' : ''}, from {v.since}
                            {v.by ? `, by ${v.by}` : ''}
                          </li>
                        ))}
                      </ul>
                    </div>
                  </details>
                ) : null
              }
            />
            <button type="submit" className="govuk-button" data-module="govuk-button">
              Save service
            </button>
          </ValidatedForm>
          <h2 className="govuk-heading-l">Offers</h2>
          {offers.length ? (
            <table className="govuk-table">
              <caption className="govuk-table__caption govuk-visually-hidden">Offers of {service.name}</caption>
              <TableHead columns={['Offer', 'Pricing model', 'Status']} />
              <tbody className="govuk-table__body">
                {offers.map((offer) => (
                  <tr key={offer.id} className="govuk-table__row">
                    <th scope="row" className="govuk-table__header">
                      <Link className="govuk-link" to={`${base}/offers/${offer.id}`}>
                        {offer.name}
                      </Link>
                    </th>
                    <td className="govuk-table__cell">{PRICING_MODEL_NAMES[offer.pricingModel]}</td>
                    <td className="govuk-table__cell">
                      <strong className={`govuk-tag govuk-tag--${OFFER_STATUS_TAGS[offer.status].colour}`}>
                        {OFFER_STATUS_TAGS[offer.status].label}
                      </strong>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="govuk-body">This service has no offers yet.</p>
          )}
          <div className="govuk-button-group">
            <Link to={`${base}/offers/new`} className="govuk-button govuk-button--secondary">
              Add an offer
            </Link>
            <Link className="govuk-link" to={`${base}/prices`}>
              Prices and publishing
            </Link>
          </div>
        </div>
      </div>
    </>
  )
}
