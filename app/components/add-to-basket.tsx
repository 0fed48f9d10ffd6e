import { Form } from '@remix-run/react'
import { ErrorMessage } from '~/components/forms'
import { formatDate } from '~/utils/format'

export type AddFormOffer = {
  id: string
  name: string
  pricingModel: string
  unitOther: string
  courses: { id: string; title: string; startsAt: string; placesLeft: number }[]
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
  errors,
  values,
}: {
  offer: AddFormOffer
  idSuffix?: string
  errors?: { quantity?: string; courseId?: string }
  values?: { quantity?: string; courseId?: string }
}) {
  const quantityId = `quantity${idSuffix}`
  const courseFieldId = `courseId${idSuffix}`
  const perPlace = offer.pricingModel === 'per_place'
  if (perPlace && offer.courses.length === 0) {
    return <p className="govuk-body">There are no places left on the dates shown.</p>
  }
  const hintId = `${quantityId}-hint`
  return (
    <Form method="post" action="/basket" noValidate className="app-add-to-basket">
      <input type="hidden" name="intent" value="add" />
      <input type="hidden" name="offerId" value={offer.id} />
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
    </Form>
  )
}
