import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useFetcher, useLoaderData } from '@remix-run/react'
import { useEffect, useRef, useState } from 'react'
import { AddToBasketForm, StartFromSelect, type AddFormOffer } from '~/components/add-to-basket'
import { clustersLedBy, type LedCluster } from '~/models/trusts/clusters.server'
import { ErrorSummary, TextInput } from '~/components/forms'
import { SuccessBanner } from '~/components/success-banner'
import { SummaryRow } from '~/components/summary-list'
import { formatPence } from '~/domain/money'
import {
  addToBasket,
  changeLineStart,
  removeBasketLine,
  setBasketPoNumber,
  setCapacityChoice,
  updateBasketLine,
} from '~/models/ordering/basket-changes.server'
import { unitsLeftForLines } from '~/models/ordering/capacity-left.server'
import { CapacityChoiceForm } from '~/components/capacity-choice'
import { getBasket, getBasketSchool, getOrderableOffer, type BasketLine } from '~/models/ordering/basket.server'
import {
  AddToBasketSchema,
  CapacityChoiceSchema,
  ChangeStartSchema,
  PO_NUMBER_MAX,
  poNumberSchema,
  RemoveLineSchema,
  UpdateLineSchema,
} from '~/schemas/basket'
import { periodChoicesForOffers, type PeriodChoices } from '~/models/ordering/periods.server'
import { startFromValue } from '~/domain/periods'
import { termsCovering } from '~/domain/terms'
import { loadTerms } from '~/models/shared/terms.server'
import { notFound, requireSchoolUser } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { BasketTotals, whenText } from '~/components/basket'
import { quantityText } from '~/domain/quantities'
import { QuantityForm } from '~/components/quantity-form'
import { sentInPlace, submitInPlace } from '~/components/in-place'
import { useValidatedForm, ValidatedForm } from '~/components/validated-form'
import { fieldErrors, type FieldErrors } from '~/schemas/common'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireSchoolUser(request)
  const db = await getDb()
  const actor = { authorityId: user.authorityId, schoolId: user.schoolId }
  const [basket, school] = await Promise.all([getBasket(db, actor), getBasketSchool(db, actor)])
  const added = new URL(request.url).searchParams.get('added')
  const addedLine = basket?.lines.find((l) => l.id === added)
  const periods: Record<string, PeriodChoices> = basket
    ? await periodChoicesForOffers(db, user.authorityId, [...new Set(basket.lines.map((l) => l.offerId))])
    : {}
  const terms = basket?.lines.some((l) => periods[l.offerId]?.startFrom.length) ? await loadTerms(db, user.authorityId) : []
  // The term each line sold by the year or the term starts from, as "Start from" shows it.
  const startFrom: Record<string, string> = {}
  for (const line of basket?.lines ?? []) {
    const first = termsCovering(terms, line.tradingYear, line.periodStart, line.periodEnd)[0]
    if (periods[line.offerId]?.startFrom.length && first) startFrom[line.id] = startFromValue(first)
  }
  const unitsLeft = await unitsLeftForLines(db, user.authorityId, basket?.lines.map((l) => ({ ...l, courseId: l.course?.id })) ?? [])
  return { basket, school, periods, startFrom, unitsLeft, added: addedLine ? `${addedLine.serviceName}: ${addedLine.offerName}` : null }
}

/** A school's basket is nobody else's: never kept by shared caches. */
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction = () => [{ title: 'Your basket – Buyback' }]

type ActionData = {
  intent: string
  errors: FieldErrors
  values: Record<string, string>
  /** The offer being added, shown again with its errors. */
  offer?: AddFormOffer & { serviceName: string; serviceSlug: string }
  /** The clusters the school leads ("Who is it for"). */
  clusters?: LedCluster[]
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireSchoolUser(request)
  const db = await getDb()
  const actor = { authorityId: user.authorityId, schoolId: user.schoolId, userId: user.id }
  const form = await request.formData()
  const value = (name: string) => {
    const v = form.get(name)
    return typeof v === 'string' ? v.slice(0, 200) : ''
  }
  const intent = value('intent')
  const invalid = (errors: FieldErrors, extra: Partial<ActionData> = {}) =>
    data<ActionData>({ intent, errors, values: {}, ...extra }, { status: 400 })

  switch (intent) {
    case 'add': {
      const raw = {
        intent,
        offerId: value('offerId'),
        quantity: value('quantity'),
        courseId: value('courseId'),
        tradingYear: value('tradingYear'),
        startFrom: value('startFrom'),
        clusterId: value('clusterId'),
      }
      const values = {
        quantity: raw.quantity,
        courseId: raw.courseId,
        tradingYear: raw.tradingYear,
        startFrom: raw.startFrom,
        clusterId: raw.clusterId,
      }
      const parsed = AddToBasketSchema.safeParse(raw)
      const offerId = parsed.success ? parsed.data.offerId : raw.offerId.trim().toLowerCase()
      const found = /^[0-9a-f-]{36}$/.test(offerId) ? await getOrderableOffer(db, user.authorityId, offerId) : null
      // Another authority's offer, an unpublished one or none at all: there is no such package here.
      if (!found) throw notFound()
      const offer = { ...found, period: (await periodChoicesForOffers(db, user.authorityId, [found.id]))[found.id] }
      const again = async () => ({ values, offer, clusters: await clustersLedBy(db, user.authorityId, user.schoolId) })
      if (!parsed.success) return invalid(fieldErrors(parsed.error.issues), await again())
      const result = await addToBasket(db, actor, parsed.data)
      if (!result.ok) {
        if ('notFound' in result) throw notFound()
        return invalid({ [result.field]: result.message }, await again())
      }
      return redirect(`/basket?added=${result.lineId}`, 303)
    }
    case 'update': {
      const parsed = UpdateLineSchema.safeParse({ intent, lineId: value('lineId'), quantity: value('quantity') })
      const field = `quantity-${value('lineId')}`
      if (!parsed.success) {
        const errors = fieldErrors(parsed.error.issues)
        if (errors.lineId) throw notFound()
        return invalid({ [field]: errors.quantity }, { values: { [field]: value('quantity') } })
      }
      const result = await updateBasketLine(db, actor, parsed.data)
      if (!result.ok) {
        if ('notFound' in result) throw notFound()
        return invalid({ [result.field]: result.message }, { values: { [field]: value('quantity') } })
      }
      return sentInPlace(form) ? { ok: true } : redirect('/basket', 303)
    }
    case 'start': {
      const parsed = ChangeStartSchema.safeParse({ intent, lineId: value('lineId'), startFrom: value('startFrom') })
      const field = `startFrom-${value('lineId')}`
      if (!parsed.success) {
        const errors = fieldErrors(parsed.error.issues)
        if (errors.lineId) throw notFound()
        return invalid({ [field]: errors.startFrom ?? 'Choose a term to start from' }, { values: { [field]: value('startFrom') } })
      }
      const result = await changeLineStart(db, actor, parsed.data)
      if (!result.ok) {
        if ('notFound' in result) throw notFound()
        return invalid({ [result.field]: result.message }, { values: { [field]: value('startFrom') } })
      }
      return redirect('/basket', 303)
    }
    case 'remove': {
      const parsed = RemoveLineSchema.safeParse({ intent, lineId: value('lineId') })
      if (!parsed.success) throw notFound()
      const result = await removeBasketLine(db, actor, parsed.data.lineId)
      if (!result.ok) throw notFound()
      return sentInPlace(form) ? { ok: true } : redirect('/basket', 303)
    }
    case 'capacity': {
      const parsed = CapacityChoiceSchema.safeParse({ intent, lineId: value('lineId'), choice: value('choice'), returnTo: value('returnTo') })
      if (!parsed.success) {
        const errors = fieldErrors(parsed.error.issues)
        if (errors.lineId) throw notFound()
        return invalid({ [`capacityChoice-${value('lineId')}`]: errors.choice ?? 'Choose what should happen to what does not fit' })
      }
      const result = await setCapacityChoice(db, actor, parsed.data)
      if (!result.ok) throw notFound()
      return redirect(parsed.data.returnTo === 'check' ? '/basket/check' : `/basket#line-${parsed.data.lineId}`, 303)
    }
    case 'continue': {
      const school = await getBasketSchool(db, actor)
      const parsed = poNumberSchema(school.poNumberRequired).safeParse({ intent, poNumber: value('poNumber') })
      if (!parsed.success) return invalid(fieldErrors(parsed.error.issues), { values: { poNumber: value('poNumber') } })
      const saved = await setBasketPoNumber(db, actor, parsed.data.poNumber)
      if (!saved) return redirect('/basket', 303)
      return redirect('/basket/check', 303)
    }
    default:
      return invalid({ form: 'Choose what to do with your basket' })
  }
}

type LineStart = { choices?: PeriodChoices; value?: string; error?: string }

function LineStartForm({ line, start }: { line: BasketLine; start: LineStart }) {
  const field = `startFrom-${line.id}`
  // The action's schema, under the key the page shows this line's error at (a bad line id is the server's 404).
  const form = useValidatedForm({ schema: ChangeStartSchema, key: (name) => (name === 'startFrom' ? field : name) })
  const choices = start.choices
  if (!choices || choices.startFrom.length === 0) return null
  const error = form.checkedInBrowser ? form.errors?.[field] : start.error
  return (
    <SummaryRow label="Starts">
      <ValidatedForm form={form} method="post" action="/basket" noValidate>
        {form.checkedInBrowser ? <ErrorSummary errors={form.errors} /> : null}
        <input type="hidden" name="intent" value="start" />
        <input type="hidden" name="lineId" value={line.id} />
        <StartFromSelect id={field} error={error} value={start.value} soldBy={choices.soldBy} groups={choices.startFrom} />
        <button type="submit" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button">
          Change start<span className="govuk-visually-hidden"> of {line.offerName}</span>
        </button>
      </ValidatedForm>
    </SummaryRow>
  )
}

/**
 * "Remove": with JavaScript, in place (the line goes, the totals follow and
 * `onRemoved` is told, for the page's status message); without it, a plain
 * form that posts and redirects.
 */
function RemoveLineForm({ line, onRemoved }: { line: BasketLine; onRemoved: (name: string) => void }) {
  const fetcher = useFetcher<typeof action>()
  const busy = fetcher.state === 'submitting'
  const name = `${line.serviceName}: ${line.offerName}`
  const removed = Boolean(fetcher.data && 'ok' in fetcher.data)
  useEffect(() => {
    if (removed) onRemoved(name)
  }, [removed, name, onRemoved])
  return (
    <fetcher.Form method="post" action="/basket" onSubmit={submitInPlace(fetcher, '/basket')}>
      <input type="hidden" name="intent" value="remove" />
      <input type="hidden" name="lineId" value={line.id} />
      <button type="submit" className="app-link-button">
        {busy ? 'Removing…' : 'Remove'}
        <span className="govuk-visually-hidden"> {line.offerName} from your basket</span>
      </button>
    </fetcher.Form>
  )
}

function LineCard({
  line,
  error,
  value,
  start,
  left,
  choiceError,
  onRemoved,
}: {
  line: BasketLine
  onRemoved: (name: string) => void
  error?: string
  value?: string
  start: LineStart
  left?: number
  choiceError?: string
}) {
  return (
    <div className="govuk-summary-card" id={`line-${line.id}`}>
      <div className="govuk-summary-card__title-wrapper">
        <h2 className="govuk-summary-card__title">
          {line.serviceName}: {line.offerName}
        </h2>
        <ul className="govuk-summary-card__actions">
          <li className="govuk-summary-card__action">
            <RemoveLineForm line={line} onRemoved={onRemoved} />
          </li>
        </ul>
      </div>
      <div className="govuk-summary-card__content">
        <dl className="govuk-summary-list">
          <SummaryRow label={line.course ? 'Course' : 'Period'}>{whenText(line)}</SummaryRow>
          <LineStartForm line={line} start={start} />
          <SummaryRow label="Quantity">
            <QuantityForm
              inPlace
              action="/basket"
              lineId={line.id}
              label="Quantity"
              offerName={line.offerName}
              hint={`Now ${quantityText(line.quantity, line.unitOne, line.unitOther)}${line.maxQuantity ? `, up to ${line.maxQuantity}` : ''}`}
              error={error}
              defaultValue={value ?? String(line.quantity)}
            />
          </SummaryRow>
          <SummaryRow label="Unit price">{formatPence(line.unitPricePence)}</SummaryRow>
          <SummaryRow label="Net">{formatPence(line.netPence)}</SummaryRow>
          <SummaryRow label="VAT">
            {formatPence(line.vatPence)}
            {line.vatRateBasisPoints > 0 ? ` (${line.vatRateBasisPoints / 100}%)` : ''}
          </SummaryRow>
          <SummaryRow label="Total">
            <strong>{formatPence(line.grossPence)}</strong>
            <span className="govuk-body-s app-table__secondary">{line.priceExplanation}</span>
          </SummaryRow>
        </dl>
        {left !== undefined ? <CapacityChoiceForm line={line} left={left} returnTo="basket" error={choiceError} /> : null}
      </div>
    </div>
  )
}

export default function BasketPage() {
  const { basket, school, periods, startFrom, unitsLeft, added } = useLoaderData<typeof loader>()
  const sent = useActionData<typeof action>()
  const actionData = sent && 'errors' in sent ? sent : undefined
  const poForm = useValidatedForm({ schema: poNumberSchema(school.poNumberRequired), serverErrors: actionData?.errors })
  // The purchase order number checked in the browser, else the server's answer to whichever form was sent.
  const errors = poForm.errors
  const lines = basket?.lines ?? []
  // A line removed in place: said in the status message, and focus (which was on its button) moves to the heading.
  const [removed, setRemoved] = useState('')
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    if (removed) heading.current?.focus()
  }, [removed])
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} order={['courseId', 'tradingYear', 'startFrom', 'quantity']} />
        {added && !errors ? <SuccessBanner titleId="added-title" heading={`${added} is in your basket`} /> : null}
        <span className="govuk-caption-l">{school.name}</span>
        <h1 className="govuk-heading-xl" ref={heading} tabIndex={-1}>
          Your basket
        </h1>
        <p className="govuk-visually-hidden" role="status">
          {removed ? `${removed} removed from your basket` : ''}
        </p>

        {actionData?.intent === 'add' && actionData.offer ? (
          <section className="app-offer" aria-labelledby="add-again-heading">
            <h2 className="govuk-heading-m" id="add-again-heading">
              Add {actionData.offer.serviceName}: {actionData.offer.name}
            </h2>
            <AddToBasketForm offer={actionData.offer} errors={errors} values={actionData.values} clusters={actionData.clusters} />
            <p className="govuk-body">
              <Link className="govuk-link" to={`/services/${actionData.offer.serviceSlug}`}>
                Back to {actionData.offer.serviceName}
              </Link>
            </p>
          </section>
        ) : null}

        {lines.length === 0 ? (
          <>
            <p className="govuk-body">Your basket is empty.</p>
            <p className="govuk-body">
              <Link className="govuk-link" to="/services">
                Find services to buy
              </Link>
            </p>
          </>
        ) : (
          <>
            <p className="govuk-body">
              Prices are your school’s and are fixed when you add a package. You can change quantities or remove packages until you submit the order.
            </p>
            {lines.map((line) => (
              <LineCard
                key={line.id}
                line={line}
                error={errors?.[`quantity-${line.id}`]}
                value={actionData?.values[`quantity-${line.id}`]}
                start={{
                  choices: periods[line.offerId],
                  value: actionData?.values[`startFrom-${line.id}`] ?? startFrom[line.id],
                  error: errors?.[`startFrom-${line.id}`],
                }}
                left={unitsLeft[line.id]}
                choiceError={errors?.[`capacityChoice-${line.id}`]}
                onRemoved={setRemoved}
              />
            ))}
            <h2 className="govuk-heading-m">Total</h2>
            <BasketTotals netPence={basket!.netPence} vatPence={basket!.vatPence} grossPence={basket!.grossPence} />
            <p className="govuk-body">
              <Link className="govuk-link" to="/services">
                Add another service
              </Link>
            </p>
            <ValidatedForm form={poForm} method="post" action="/basket" noValidate>
              <input type="hidden" name="intent" value="continue" />
              <TextInput
                name="poNumber"
                label={school.poNumberRequired ? 'Purchase order number' : 'Purchase order number (optional)'}
                labelSize="m"
                hint={`Your school’s own reference for this order, up to ${PO_NUMBER_MAX} characters. It appears on the invoice.`}
                width={20}
                spellCheck={false}
                autoComplete="off"
                defaultValue={actionData?.values.poNumber ?? basket!.poNumber ?? ''}
                error={errors?.poNumber}
              />
              <button type="submit" className="govuk-button" data-module="govuk-button">
                Continue
              </button>
            </ValidatedForm>
          </>
        )}
      </div>
    </div>
  )
}
