import { TableHead } from '~/components/table-head'
import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { AddToBasketForm, type AddFormOffer } from '~/components/add-to-basket'
import { BasketTotals, whenText } from '~/components/basket'
import { ErrorSummary, TextInput } from '~/components/forms'
import { QuantityForm } from '~/components/quantity-form'
import { SuccessBanner } from '~/components/success-banner'
import { formatPence } from '~/domain/money'
import { quantityText } from '~/domain/quantities'
import { addToBasket, removeBasketLine, updateBasketLine } from '~/models/ordering/basket-changes.server'
import { getOrderableOffer } from '~/models/ordering/basket.server'
import { periodChoicesForOffers } from '~/models/ordering/periods.server'
import { getTrustBasket, lineActor, memberActor, memberSchools, submitTrustBasket, type TrustActor } from '~/models/trusts/ordering.server'
import { PO_NUMBER_MAX, RemoveLineSchema, TrustAddToBasketSchema, TrustSubmitSchema, UpdateLineSchema } from '~/schemas/basket'
import { fieldErrors, type FieldErrors } from '~/schemas/common'
import { forbidden, notFound, requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { sentInPlace } from '~/components/in-place'

/**
 * The trust's basket (issue 16, SPEC §10): what its buyer has added for its
 * member schools, each school's part at that school's prices, submitted as
 * one trust order.
 */
async function requireTrustBuyer(request: Request): Promise<TrustActor> {
  const user = await requireRole(request, ['trust_buyer'])
  if (!user.trustId) throw forbidden()
  return { userId: user.id, authorityId: user.authorityId, trustId: user.trustId }
}

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireTrustBuyer(request)
  const basket = await getTrustBasket(await getDb(), actor)
  const added = new URL(request.url).searchParams.get('added')
  const addedLine = basket.parts.flatMap((p) => p.lines.map((l) => ({ ...l, schoolName: p.schoolName }))).find((l) => l.id === added)
  return { basket, added: addedLine ? `${addedLine.serviceName}: ${addedLine.offerName} for ${addedLine.schoolName}` : null }
}

/** A trust's basket is nobody else's: never kept by shared caches. */
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction = () => [{ title: 'Your trust’s basket – Buyback' }]

type ActionData = {
  intent: string
  errors: FieldErrors
  values: Record<string, string>
  offer?: AddFormOffer & { serviceName: string; serviceSlug: string }
  schools?: { id: string; name: string }[]
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireTrustBuyer(request)
  const db = await getDb()
  const form = await request.formData()
  const value = (name: string, max = 200) => {
    const v = form.get(name)
    return typeof v === 'string' ? v.slice(0, max) : ''
  }
  const intent = value('intent')
  const invalid = (errors: FieldErrors, extra: Partial<ActionData> = {}) =>
    data<ActionData>({ intent, errors, values: {}, ...extra }, { status: 400 })

  switch (intent) {
    case 'add': {
      const raw = {
        intent,
        offerId: value('offerId'),
        schoolId: value('schoolId'),
        quantity: value('quantity'),
        courseId: value('courseId'),
        tradingYear: value('tradingYear'),
        startFrom: value('startFrom'),
      }
      const { intent: _, offerId: __, ...values } = raw
      const parsed = TrustAddToBasketSchema.safeParse(raw)
      const offerId = parsed.success ? parsed.data.offerId : raw.offerId.trim().toLowerCase()
      const found = /^[0-9a-f-]{36}$/.test(offerId) ? await getOrderableOffer(db, actor.authorityId, offerId) : null
      if (!found) throw notFound()
      const offer = { ...found, period: (await periodChoicesForOffers(db, actor.authorityId, [found.id]))[found.id] }
      const schools = (await memberSchools(db, actor)).filter((s) => s.status !== 'closed').map(({ id, name }) => ({ id, name }))
      if (!parsed.success) return invalid(fieldErrors(parsed.error.issues), { values, offer, schools })
      const schoolActor = await memberActor(db, actor, parsed.data.schoolId)
      if (!schoolActor) return invalid({ schoolId: 'Choose one of the trust’s schools' }, { values, offer, schools })
      const result = await addToBasket(db, schoolActor, parsed.data)
      if (!result.ok) {
        if ('notFound' in result) throw notFound()
        return invalid({ [result.field]: result.message }, { values, offer, schools })
      }
      return redirect(`/trust/basket?added=${result.lineId}`, 303)
    }
    case 'update': {
      const field = `quantity-${value('lineId')}`
      // A line that is not in the trust's basket is not there at all.
      const schoolActor = await lineActor(db, actor, value('lineId'))
      if (!schoolActor) throw notFound()
      const parsed = UpdateLineSchema.safeParse({ intent, lineId: value('lineId'), quantity: value('quantity') })
      if (!parsed.success)
        return invalid({ [field]: fieldErrors(parsed.error.issues).quantity ?? 'Enter a quantity' }, { values: { [field]: value('quantity') } })
      const result = await updateBasketLine(db, schoolActor, parsed.data)
      if (!result.ok) {
        if ('notFound' in result) throw notFound()
        return invalid({ [result.field]: result.message }, { values: { [field]: value('quantity') } })
      }
      return sentInPlace(form) ? { ok: true } : redirect('/trust/basket', 303)
    }
    case 'remove': {
      const parsed = RemoveLineSchema.safeParse({ intent, lineId: value('lineId') })
      const schoolActor = await lineActor(db, actor, value('lineId'))
      if (!parsed.success || !schoolActor) throw notFound()
      const result = await removeBasketLine(db, schoolActor, parsed.data.lineId)
      if (!result.ok) throw notFound()
      return redirect('/trust/basket', 303)
    }
    case 'submit': {
      const parsed = TrustSubmitSchema.safeParse({ intent, poNumber: value('poNumber'), basketIds: value('basketIds', 2000) })
      if (!parsed.success) return invalid(fieldErrors(parsed.error.issues), { values: { poNumber: value('poNumber') } })
      const result = await submitTrustBasket(db, actor, { basketIds: parsed.data.basketIds.split(','), poNumber: parsed.data.poNumber })
      switch (result.kind) {
        case 'submitted':
          return redirect(`/trust/orders/${result.trustOrderId}?placed=1`, 303)
        case 'already_submitted':
          return redirect(`/trust/orders/${result.trustOrderId}`, 303)
        case 'prices_changed':
          return invalid(
            {
              basket: `Prices have changed since these were added, so the order was not submitted: ${result.changes
                .map((c) => `${c.description} is now ${formatPence(c.toPence)} (was ${formatPence(c.fromPence)})`)
                .join('; ')}. Check the basket and submit again`,
            },
            { values: { poNumber: value('poNumber') } },
          )
        case 'problem':
          return invalid({ [result.field === 'poNumber' ? 'poNumber' : 'basket']: result.message }, { values: { poNumber: value('poNumber') } })
      }
      return invalid({ form: 'Choose what to do with the basket' })
    }
    default:
      return invalid({ form: 'Choose what to do with the basket' })
  }
}

export default function TrustBasketPage() {
  const { basket, added } = useLoaderData<typeof loader>()
  const sent = useActionData<typeof action>()
  const actionData = sent && 'errors' in sent ? sent : undefined
  const errors = actionData?.errors
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} order={['schoolId', 'courseId', 'tradingYear', 'startFrom', 'quantity', 'basket', 'poNumber']} />
        {added && !errors ? <SuccessBanner titleId="added-title" heading={`${added} is in the trust’s basket`} /> : null}
        <span className="govuk-caption-l">{basket.trustName}</span>
        <h1 className="govuk-heading-xl">Your trust’s basket</h1>

        {actionData?.intent === 'add' && actionData.offer ? (
          <section className="app-offer" aria-labelledby="add-again-heading">
            <h2 className="govuk-heading-m" id="add-again-heading">
              Add {actionData.offer.serviceName}: {actionData.offer.name}
            </h2>
            <AddToBasketForm offer={actionData.offer} errors={errors} values={actionData.values} schools={actionData.schools} />
          </section>
        ) : null}

        {basket.parts.length === 0 ? (
          <>
            <p className="govuk-body">The trust’s basket is empty.</p>
            <p className="govuk-body">
              <Link className="govuk-link" to="/services">
                Find services to buy
              </Link>
            </p>
          </>
        ) : (
          <>
            <p className="govuk-body">
              Each line is priced at its school’s own price, fixed when it was added. Submitting places one order for each school, together as one
              trust order.
            </p>
            {basket.parts.map((part) => (
              <table key={part.orderId} className="govuk-table">
                <caption className="govuk-table__caption govuk-table__caption--m">{part.schoolName}</caption>
                <TableHead
                  columns={['Package', 'Quantity', { label: 'Total', numeric: true }, <span className="govuk-visually-hidden">Actions</span>]}
                />
                <tbody className="govuk-table__body">
                  {part.lines.map((line) => (
                    <tr key={line.id} className="govuk-table__row" id={`line-${line.id}`}>
                      <td className="govuk-table__cell">
                        {line.serviceName}: {line.offerName}
                        <span className="govuk-body-s app-table__secondary">
                          {whenText(line)}. {formatPence(line.unitPricePence)} each for {part.schoolName}
                        </span>
                      </td>
                      <td className="govuk-table__cell">
                        <QuantityForm
                          action="/trust/basket"
                          lineId={line.id}
                          label={`Quantity for ${part.schoolName}`}
                          offerName={line.offerName}
                          hint={`Now ${quantityText(line.quantity, line.unitOne, line.unitOther)}`}
                          error={errors?.[`quantity-${line.id}`]}
                          defaultValue={actionData?.values[`quantity-${line.id}`] ?? String(line.quantity)}
                        />
                      </td>
                      <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(line.grossPence)}</td>
                      <td className="govuk-table__cell">
                        <Form method="post" action="/trust/basket">
                          <input type="hidden" name="intent" value="remove" />
                          <input type="hidden" name="lineId" value={line.id} />
                          <button type="submit" className="app-link-button">
                            Remove
                            <span className="govuk-visually-hidden">
                              {' '}
                              {line.offerName} for {part.schoolName}
                            </span>
                          </button>
                        </Form>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ))}
            <h2 className="govuk-heading-m">Total for all schools</h2>
            <BasketTotals netPence={basket.netPence} vatPence={basket.vatPence} grossPence={basket.grossPence} />
            {basket.needsApproval ? (
              <div className="govuk-inset-text">
                This is at or above the trust’s approval limit of {formatPence(basket.approvalLimitPence)}, so it will wait for the trust’s approver.
              </div>
            ) : null}
            <p className="govuk-body">
              <Link className="govuk-link" to="/services">
                Add another service
              </Link>
            </p>
            {errors?.basket ? (
              <p className="govuk-error-message" id="basket">
                <span className="govuk-visually-hidden">Error:</span> {errors.basket}
              </p>
            ) : null}
            <Form method="post" action="/trust/basket" noValidate>
              <input type="hidden" name="intent" value="submit" />
              <input type="hidden" name="basketIds" value={basket.parts.map((p) => p.orderId).join(',')} />
              <TextInput
                name="poNumber"
                label="Purchase order number (optional)"
                labelSize="m"
                hint={`The trust’s own reference for this order, up to ${PO_NUMBER_MAX} characters. It appears on every school’s invoice.`}
                width={20}
                spellCheck={false}
                autoComplete="off"
                defaultValue={actionData?.values.poNumber ?? basket.poNumber ?? ''}
                error={errors?.poNumber}
              />
              <button type="submit" className="govuk-button" data-module="govuk-button">
                Submit order
              </button>
            </Form>
          </>
        )}
      </div>
    </div>
  )
}
