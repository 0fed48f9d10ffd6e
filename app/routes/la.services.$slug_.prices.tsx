import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { shownErrors, useValidatedForm, ValidatedForm } from '~/components/validated-form'
import { ErrorSummary, TextInput } from '~/components/forms'
import { PriceListYearCell } from '~/components/price-list-year'
import { SuccessBanner } from '~/components/success-banner'
import { TableHead } from '~/components/table-head'
import { longDate } from '~/domain/dates'
import { firstDayOfTradingYear, tradingYearLabel } from '~/domain/trading-year'
import { changePriceLists, serviceForPrices, servicePriceLists } from '~/models/catalogue/price-lists.server'
import { staffScopeFor } from '~/models/shared/access-scope.server'
import { actorFor } from '~/models/shared/actor.server'
import type { FieldErrors } from '~/schemas/common'
import { PRICE_LIST_FIELDS, priceListActionSchema, priceListValuesFrom, type PriceListValues } from '~/schemas/price-lists'
import { forbidden, notFound, requireRole, type SessionUser } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'

/** The service at the address, for its leads and the LA admin: 404 for no such service, 403 for anyone else. */
async function serviceFor(user: SessionUser, slug: string | undefined) {
  const scope = staffScopeFor(user)
  if (!scope) throw forbidden()
  if (!slug || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(slug) || slug.length > 100) throw notFound()
  const service = await serviceForPrices(await getDb(), scope, slug)
  if (service === 'not_found') throw notFound()
  if (service === 'forbidden') throw forbidden()
  return service
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['service_lead', 'la_admin'])
  const service = await serviceFor(user, params.slug)
  const lists = await servicePriceLists(await getDb(), service, user.authorityId)
  const search = new URL(request.url).searchParams
  return {
    authorityName: user.authorityName,
    service: { slug: service.slug, name: service.name, teamName: service.teamName },
    ...lists,
    thisLabel: tradingYearLabel(lists.currentYear),
    nextLabel: tradingYearLabel(lists.nextYear),
    published: search.get('published'),
    publishedFrom: search.get('from'),
    copied: search.get('copied'),
  }
}

type ActionData = { errors: FieldErrors; values: PriceListValues }

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireRole(request, ['service_lead', 'la_admin'])
  const service = await serviceFor(user, params.slug)
  const values = priceListValuesFrom(await request.formData())
  const result = await changePriceLists(await getDb(), actorFor(user, request, context), service, values)
  if (!result.ok) return data<ActionData>({ errors: result.errors, values }, { status: 400 })
  const back = `/la/services/${service.slug}/prices`
  if (result.intent === 'publish')
    return redirect(`${back}?${new URLSearchParams({ published: String(result.published), from: result.publishFrom })}`)
  return redirect(`${back}?copied=${result.copied}`)
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Prices and publishing – ${data.service.name} – ${data.authorityName} – Buyback` : 'Page not found – Buyback' },
]

function Banner({ loaded }: { loaded: ReturnType<typeof useLoaderData<typeof loader>> }) {
  if (loaded.published !== null && /^\d{4}-\d{2}-\d{2}$/.test(loaded.publishedFrom ?? '')) {
    const n = Number(loaded.published)
    return (
      <SuccessBanner titleId="published-banner-title" heading={`${loaded.nextLabel} prices published`}>
        <p className="govuk-body">
          {n === 1 ? '1 offer’s prices' : `${n} offers’ prices`} for {loaded.nextLabel} reach schools from {longDate(loaded.publishedFrom!)}.
        </p>
      </SuccessBanner>
    )
  }
  if (loaded.copied !== null) {
    const n = Number(loaded.copied)
    return (
      <SuccessBanner titleId="copied-banner-title" heading={`${n === 1 ? '1 offer’s prices' : `${n} offers’ prices`} copied to ${loaded.nextLabel}`}>
        <p className="govuk-body">They are drafts: schools do not see them until you publish them.</p>
      </SuccessBanner>
    )
  }
  return null
}

export default function ServicePrices() {
  const loaded = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  // The action's schema for the same day and year (changePriceLists builds it from these).
  const schema = priceListActionSchema({ today: loaded.today, nextYearStartsOn: firstDayOfTradingYear(loaded.nextYear, loaded.startMonth) })
  const serverErrors = actionData?.errors
  const publishForm = useValidatedForm({ schema, values: priceListValuesFrom, serverErrors })
  const copyForm = useValidatedForm({ schema, values: priceListValuesFrom, serverErrors })
  const errors = shownErrors([publishForm, copyForm], serverErrors)
  const values = actionData?.values
  return (
    <>
      <nav className="govuk-breadcrumbs" aria-label="Breadcrumb">
        <ol className="govuk-breadcrumbs__list">
          <li className="govuk-breadcrumbs__list-item">
            <Link className="govuk-breadcrumbs__link" to="/la/services">
              Services
            </Link>
          </li>
          <li className="govuk-breadcrumbs__list-item">
            <Link className="govuk-breadcrumbs__link" to={`/la/services/${loaded.service.slug}`}>
              {loaded.service.name}
            </Link>
          </li>
        </ol>
      </nav>
      {errors ? null : <Banner loaded={loaded} />}
      <ErrorSummary errors={errors} order={[...PRICE_LIST_FIELDS]} />
      <span className="govuk-caption-l">{loaded.service.name}</span>
      <h1 className="govuk-heading-xl">Prices and publishing</h1>
      <p className="govuk-body-l govuk-!-width-two-thirds">
        Schools see this year’s prices ({loaded.thisLabel}) and, once you publish them, next year’s ({loaded.nextLabel}) beside them. Lines already
        ordered keep the prices they were ordered at.
      </p>
      <table className="govuk-table">
        <caption className="govuk-table__caption govuk-table__caption--m">Prices of {loaded.service.name}’s offers</caption>
        <TableHead columns={['Offer', loaded.thisLabel, loaded.nextLabel]} />
        <tbody className="govuk-table__body">
          {loaded.offers.map((offer) => (
            <tr key={offer.id} className="govuk-table__row">
              <th scope="row" className="govuk-table__header">
                {offer.name}
                {offer.isPublished ? null : <span className="govuk-body-s govuk-!-display-block">Not on sale (a draft offer)</span>}
              </th>
              <PriceListYearCell year={offer.thisYear} current offerName={offer.name} />
              <PriceListYearCell year={offer.nextYear} current={false} offerName={offer.name} />
            </tr>
          ))}
        </tbody>
      </table>
      <p className="govuk-body-s govuk-!-width-two-thirds">
        The cost-recovery check divides each price by the team hours one unit takes and compares it with the {loaded.service.teamName} team’s cost per
        chargeable hour (cost per FTE divided by chargeable hours per FTE) for the same year. Per-pupil prices are checked for a school of 250 pupils.
      </p>

      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h2 className="govuk-heading-l">Publish {loaded.nextLabel} prices</h2>
          {loaded.toPublish > 0 ? (
            <ValidatedForm form={publishForm} method="post" noValidate>
              <input type="hidden" name="intent" value="publish" />
              <p className="govuk-body">
                {loaded.toPublish === 1 ? '1 offer has' : `${loaded.toPublish} offers have`} {loaded.nextLabel} prices that schools cannot see yet.
                Publishing shows them to schools from the date you choose, beside this year’s, and renewal proposals are priced with them.
              </p>
              <TextInput
                name="publishFrom"
                type="date"
                label="Publish from"
                hint="Today, or a later day before the year starts"
                width={10}
                defaultValue={values?.intent === 'publish' ? values.publishFrom : loaded.today}
                error={errors?.publishFrom}
              />
              <button type="submit" className="govuk-button" data-module="govuk-button">
                Publish prices
              </button>
            </ValidatedForm>
          ) : (
            <p className="govuk-body">Every offer’s {loaded.nextLabel} prices are published.</p>
          )}

          <h2 className="govuk-heading-l">Copy this year’s prices to next year</h2>
          {loaded.toCopy > 0 ? (
            <ValidatedForm form={copyForm} method="post" noValidate>
              <input type="hidden" name="intent" value="copy" />
              <p className="govuk-body">
                {loaded.toCopy === 1 ? '1 offer has' : `${loaded.toCopy} offers have`} no {loaded.nextLabel} prices yet. Copy {loaded.thisLabel}’s,
                raised by a percentage and rounded to the penny, as drafts to check and publish.
              </p>
              <TextInput
                name="uplift"
                label="Uplift (%)"
                hint="For example 3 or 2.5; 0 copies the prices unchanged"
                width={10}
                inputMode="decimal"
                defaultValue={values?.intent === 'copy' ? values.uplift : ''}
                error={errors?.uplift}
              />
              <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
                Copy prices
              </button>
            </ValidatedForm>
          ) : (
            <p className="govuk-body">Every offer already has {loaded.nextLabel} prices.</p>
          )}
        </div>
      </div>
    </>
  )
}
