import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { OfferForm } from '~/components/offer-form'
import { CostRecoveryCheck } from '~/components/price-list-year'
import { SuccessBanner } from '~/components/success-banner'
import { SummaryRow } from '~/components/summary-list'
import { longDate } from '~/domain/dates'
import { loadOfferForEditor } from '~/models/catalogue/offer-editor.server'
import { offerYearPrices, serviceForPrices } from '~/models/catalogue/price-lists.server'
import { staffScopeFor } from '~/models/shared/access-scope.server'
import { OFFER_STATUS_NAMES } from '~/schemas/offers'
import { notFound } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { choicesFor, editorContext, offerAction, offerIdFrom } from '~/utils/offer-editor.server'

/** One offer of a service: its details, one trading year's prices, its courses; status on sale, draft or retired. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await editorContext(request, params)
  const offerId = offerIdFrom(params)
  const db = await getDb()
  const offer = await loadOfferForEditor(db, ctx.user.authorityId, ctx.service.id, offerId, ctx.year)
  if (!offer) throw notFound()
  const scope = staffScopeFor(ctx.user)
  const service = scope ? await serviceForPrices(db, scope, ctx.service.slug) : null
  const yearPrices = service && typeof service === 'object' ? await offerYearPrices(db, service, ctx.user.authorityId, offerId, ctx.year) : null
  const yearLabel = ctx.years.find((y) => y.current)!.label
  return {
    service: { slug: ctx.service.slug, name: ctx.service.name, incomeCode: ctx.service.incomeCode },
    offer: { ...offer, retiredOn: offer.retiredAt ? longDate(offer.retiredAt) : null },
    years: ctx.years,
    yearLabel,
    choices: await choicesFor(ctx, offerId),
    saved: new URL(request.url).searchParams.get('saved') === '1',
    costRecovery: yearPrices?.costRecovery ?? null,
  }
}

export const action = (args: ActionFunctionArgs) => offerAction(args, offerIdFrom(args.params))

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.offer.name} – ${data.service.name} – Buyback` : 'Page not found – Buyback' },
]

export default function EditOffer() {
  const { service, offer, years, yearLabel, choices, saved, costRecovery } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const values = actionData?.values ?? offer.values
  return (
    <>
      <Link to={`/la/services/${service.slug}`} className="govuk-back-link">
        Back to {service.name}
      </Link>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-full">
          {saved && !actionData ? (
            <SuccessBanner titleId="offer-saved" heading="Offer saved">
              <p className="govuk-body">The offer and its {yearLabel} prices are saved. Lines already ordered keep the prices they were sold at.</p>
            </SuccessBanner>
          ) : null}
          <span className="govuk-caption-l">{service.name}</span>
          <h1 className="govuk-heading-l">{offer.name}</h1>
          <p className="govuk-body">
            <strong className={`govuk-tag${offer.status === 'on_sale' ? ' govuk-tag--green' : ' govuk-tag--grey'}`}>
              {OFFER_STATUS_NAMES[offer.status]}
            </strong>
            {offer.retiredOn ? ` since ${offer.retiredOn}` : null}
            {offer.hasPrices ? null : ` No prices for ${yearLabel} yet.`}
          </p>
          {offer.hasPrices ? (
            <>
              <h2 className="govuk-heading-m">How schools see the price for {yearLabel}</h2>
              <dl className="govuk-summary-list">
                <SummaryRow label="Maintained schools">{offer.preview.maintained.join(' ') || 'No price shown: check the prices below'}</SummaryRow>
                <SummaryRow label="Academies">{offer.preview.academy.join(' ') || 'No price shown: check the prices below'}</SummaryRow>
              </dl>
              {costRecovery ? (
                <>
                  <h2 className="govuk-heading-m">Cost recovery</h2>
                  <CostRecoveryCheck check={costRecovery} offerName={offer.name} />
                </>
              ) : null}
            </>
          ) : null}
          <OfferForm
            key={JSON.stringify(values)}
            values={values}
            errors={actionData?.errors}
            yearLabel={yearLabel}
            years={years}
            inclusionChoices={choices}
            incomeCode={service.incomeCode}
            booked={offer.booked}
            statuses={['on_sale', 'draft', 'retired']}
          />
        </div>
      </div>
    </>
  )
}
