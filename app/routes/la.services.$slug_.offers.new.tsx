import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { OfferForm } from '~/components/offer-form'
import { NEW_OFFER_VALUES } from '~/schemas/offers'
import { choicesFor, editorContext, offerAction } from '~/utils/offer-editor.server'

/** "Add an offer": a service lead (of this service) or the LA administrator adds an offer, on sale at once unless saved as a draft. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await editorContext(request, params)
  return {
    service: { slug: ctx.service.slug, name: ctx.service.name, incomeCode: ctx.service.incomeCode },
    years: ctx.years,
    yearLabel: ctx.years.find((y) => y.current)!.label,
    choices: await choicesFor(ctx, null),
  }
}

export const action = (args: ActionFunctionArgs) => offerAction(args, null)

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Add an offer – ${data.service.name} – Buyback` : 'Add an offer – Buyback' },
]

export default function NewOffer() {
  const { service, years, yearLabel, choices } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const values = actionData?.values ?? NEW_OFFER_VALUES
  return (
    <>
      <Link to={`/la/services/${service.slug}`} className="govuk-back-link">
        Back to {service.name}
      </Link>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-full">
          <span className="govuk-caption-l">{service.name}</span>
          <h1 className="govuk-heading-l">Add an offer</h1>
          <OfferForm
            key={JSON.stringify(values)}
            values={values}
            errors={actionData?.errors}
            yearLabel={yearLabel}
            years={years}
            inclusionChoices={choices}
            incomeCode={service.incomeCode}
            booked={{}}
            statuses={['on_sale', 'draft']}
          />
        </div>
      </div>
    </>
  )
}
