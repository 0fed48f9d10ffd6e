import { ErrorMessage, ErrorSummary } from '~/components/forms'
import { useValidatedForm, ValidatedForm } from '~/components/validated-form'
import { AddToBasketSchema, TrustAddToBasketSchema } from '~/schemas/basket'
import { formatDate } from '~/utils/format'
import type { StartFromGroup } from '~/domain/periods'
import { tradingYearLabel } from '~/domain/trading-year'

export type AddFormOffer = {
  id: string
  name: string
  pricingModel: string
  unitOther: string
  courses: { id: string; title: string; startsAt: string; placesLeft: number }[]
  /** How the line's period is chosen: the years on sale and, for offers sold by the year or the term, the "Start from" terms. */
  period?: { soldBy: string; years: number[]; startFrom: StartFromGroup[] }
}

type FieldProps = { id: string; error?: string; value?: string }

/** "Start from": the terms not yet ended of each year on sale, grouped by year when there are two. */
export function StartFromSelect({ id, error, value, soldBy, groups }: FieldProps & { soldBy: string; groups: StartFromGroup[] }) {
  const hintId = `${id}-hint`
  const options = (g: StartFromGroup) =>
    g.options.map((o) => (
      <option key={o.value} value={o.value}>
        {o.label}
      </option>
    ))
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <label className="govuk-label govuk-label--s" htmlFor={id}>
        Start from
      </label>
      <div className="govuk-hint" id={hintId}>
        {soldBy === 'year'
          ? 'Runs from this term to the end of the year. A yearly price is charged for the terms it covers.'
          : 'Bought for this term.'}
      </div>
      <ErrorMessage id={`${id}-error`} error={error} />
      <select
        className={`govuk-select${error ? ' govuk-select--error' : ''}`}
        id={id}
        name="startFrom"
        defaultValue={value}
        aria-describedby={[hintId, error ? `${id}-error` : ''].filter(Boolean).join(' ')}
      >
        {groups.length === 1
          ? options(groups[0]!)
          : groups.map((g) => (
              <optgroup key={g.tradingYear} label={g.label}>
                {options(g)}
              </optgroup>
            ))}
      </select>
    </div>
  )
}

/** "School": which member school a trust's buyer is adding the package for. */
function SchoolSelect({ id, error, value, schools }: FieldProps & { schools: { id: string; name: string }[] }) {
  const hintId = `${id}-hint`
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <label className="govuk-label govuk-label--s" htmlFor={id}>
        School
      </label>
      <div className="govuk-hint" id={hintId}>
        The member school this is for. It is priced at that school’s own price.
      </div>
      <ErrorMessage id={`${id}-error`} error={error} />
      <select
        className={`govuk-select${error ? ' govuk-select--error' : ''}`}
        id={id}
        name="schoolId"
        defaultValue={value ?? ''}
        aria-describedby={[hintId, error ? `${id}-error` : ''].filter(Boolean).join(' ')}
      >
        <option value="">Choose a school</option>
        {schools.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
    </div>
  )
}

/** "Who is it for": the school itself, or a cluster it leads (a pooled block, shared between the cluster's schools). */
function ClusterSelect({ id, error, value, clusters }: FieldProps & { clusters: { id: string; name: string; memberCount: number }[] }) {
  const hintId = `${id}-hint`
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <label className="govuk-label govuk-label--s" htmlFor={id}>
        Who is it for
      </label>
      <div className="govuk-hint" id={hintId}>
        A cluster’s pooled block is priced on the whole quantity, and shared between its schools as the cluster agreed.
      </div>
      <ErrorMessage id={`${id}-error`} error={error} />
      <select
        className={`govuk-select${error ? ' govuk-select--error' : ''}`}
        id={id}
        name="clusterId"
        defaultValue={value ?? ''}
        aria-describedby={[hintId, error ? `${id}-error` : ''].filter(Boolean).join(' ')}
      >
        <option value="">Your school</option>
        {clusters.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}: pooled for {c.memberCount} schools
          </option>
        ))}
      </select>
    </div>
  )
}

/** The trading year, for offers without a term to choose, when next year is on sale too. */
function TradingYearSelect({ id, error, value, years }: FieldProps & { years: number[] }) {
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <label className="govuk-label govuk-label--s" htmlFor={id}>
        Trading year
      </label>
      <ErrorMessage id={`${id}-error`} error={error} />
      <select
        className={`govuk-select${error ? ' govuk-select--error' : ''}`}
        id={id}
        name="tradingYear"
        defaultValue={value}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        {years.map((y) => (
          <option key={y} value={String(y)}>
            {tradingYearLabel(y)} (1 April {y} to 31 March {y + 1})
          </option>
        ))}
      </select>
    </div>
  )
}

/**
 * "Quantity" and "Add to basket" for one offer, posting to /basket
 * (intent=add); works without JavaScript. `idSuffix` keeps the ids unique
 * when a page has a form per offer; the basket page, showing one form again
 * with its errors, leaves it empty so that the error summary's links
 * (#quantity, #courseId) land on the fields.
 */
export function AddToBasketForm({
  offer,
  idSuffix = '',
  errors: serverErrors,
  values,
  schools,
  clusters,
}: {
  offer: AddFormOffer
  idSuffix?: string
  errors?: { quantity?: string; courseId?: string; startFrom?: string; tradingYear?: string; schoolId?: string; clusterId?: string }
  values?: { quantity?: string; courseId?: string; startFrom?: string; tradingYear?: string; schoolId?: string; clusterId?: string }
  /** For a trust's buyer: the member schools, one chosen as "School"; the line goes in the trust's basket. */
  schools?: { id: string; name: string }[]
  /** For a school that leads clusters: "Who is it for", the school or one of its clusters (a pooled block). */
  clusters?: { id: string; name: string; memberCount: number }[]
}) {
  const form = useValidatedForm({ schema: schools ? TrustAddToBasketSchema : AddToBasketSchema, serverErrors })
  const errors = form.errors
  const quantityId = `quantity${idSuffix}`
  const courseFieldId = `courseId${idSuffix}`
  const perPlace = offer.pricingModel === 'per_place'
  if (perPlace && offer.courses.length === 0) {
    return <p className="govuk-body">There are no places left on the dates shown.</p>
  }
  const hintId = `${quantityId}-hint`
  const period = offer.period
  const choosesTerm = period !== undefined && (period.soldBy === 'year' || period.soldBy === 'term')
  if (choosesTerm && period.startFrom.length === 0) {
    return <p className="govuk-body">There are no terms left to buy {offer.name} for.</p>
  }
  return (
    <ValidatedForm form={form} method="post" action={schools ? '/trust/basket' : '/basket'} noValidate className="app-add-to-basket">
      {/* The browser's own check names this form's fields; the server's answer has the page's summary. */}
      {form.checkedInBrowser ? (
        <ErrorSummary
          errors={Object.fromEntries(Object.entries(form.errors ?? {}).map(([k, v]) => [`${k}${idSuffix}`, v]))}
          order={['schoolId', 'clusterId', 'courseId', 'tradingYear', 'startFrom', 'quantity'].map((k) => `${k}${idSuffix}`)}
        />
      ) : null}
      <input type="hidden" name="intent" value="add" />
      <input type="hidden" name="offerId" value={offer.id} />
      {schools ? <SchoolSelect id={`schoolId${idSuffix}`} error={errors?.schoolId} value={values?.schoolId} schools={schools} /> : null}
      {clusters && clusters.length > 0 && !perPlace ? (
        <ClusterSelect id={`clusterId${idSuffix}`} error={errors?.clusterId} value={values?.clusterId} clusters={clusters} />
      ) : null}
      {perPlace ? (
        <div className={`govuk-form-group${errors?.courseId ? ' govuk-form-group--error' : ''}`}>
          <label className="govuk-label govuk-label--s" htmlFor={courseFieldId}>
            Course
          </label>
          <ErrorMessage id={`${courseFieldId}-error`} error={errors?.courseId} />
          <select
            className={`govuk-select${errors?.courseId ? ' govuk-select--error' : ''}`}
            id={courseFieldId}
            name="courseId"
            defaultValue={values?.courseId ?? ''}
            aria-describedby={errors?.courseId ? `${courseFieldId}-error` : undefined}
          >
            <option value="">Choose a course</option>
            {offer.courses.map((c) => (
              <option key={c.id} value={c.id}>
                {c.title}, {formatDate(c.startsAt)} ({c.placesLeft} {c.placesLeft === 1 ? 'place' : 'places'} left)
              </option>
            ))}
          </select>
        </div>
      ) : null}
      {choosesTerm ? (
        <StartFromSelect
          id={`startFrom${idSuffix}`}
          error={errors?.startFrom}
          value={values?.startFrom}
          soldBy={period.soldBy}
          groups={period.startFrom}
        />
      ) : period && period.soldBy === 'quantity' && (period.years.length > 1 || errors?.tradingYear) ? (
        <TradingYearSelect id={`tradingYear${idSuffix}`} error={errors?.tradingYear} value={values?.tradingYear} years={period.years} />
      ) : null}
      <div className={`govuk-form-group${errors?.quantity ? ' govuk-form-group--error' : ''}`}>
        <label className="govuk-label govuk-label--s" htmlFor={quantityId}>
          Quantity
        </label>
        <div className="govuk-hint" id={hintId}>
          Number of {offer.unitOther}
        </div>
        <ErrorMessage id={`${quantityId}-error`} error={errors?.quantity} />
        <input
          className={`govuk-input govuk-input--width-4${errors?.quantity ? ' govuk-input--error' : ''}`}
          id={quantityId}
          name="quantity"
          type="text"
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          defaultValue={values?.quantity ?? ''}
          aria-describedby={[hintId, errors?.quantity ? `${quantityId}-error` : ''].filter(Boolean).join(' ')}
        />
      </div>
      <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
        Add to basket<span className="govuk-visually-hidden">: {offer.name}</span>
      </button>
    </ValidatedForm>
  )
}
