import { Form } from '@remix-run/react'
import { ErrorMessage } from './forms'

/**
 * A line's quantity, changed where it is shown (the basket, a renewal
 * proposal): a small form posting `intent=update`, the line's id and the new
 * quantity, with "Now 3 days, up to 20" as its hint and the error beside it.
 */
export function QuantityForm(props: {
  action?: string
  lineId: string
  /** The field's accessible name ("Quantity", "Quantity of EP days"). */
  label: string
  offerName: string
  hint: string
  error?: string
  defaultValue: string
}) {
  const id = `quantity-${props.lineId}`
  const { error } = props
  return (
    <Form method="post" action={props.action} noValidate className="app-inline-form">
      <input type="hidden" name="intent" value="update" />
      <input type="hidden" name="lineId" value={props.lineId} />
      <div className={`govuk-form-group govuk-!-margin-bottom-0${error ? ' govuk-form-group--error' : ''}`}>
        <label className="govuk-label govuk-visually-hidden" htmlFor={id}>
          {props.label}
        </label>
        <div className="govuk-hint govuk-!-margin-bottom-1" id={`${id}-hint`}>
          {props.hint}
        </div>
        <ErrorMessage id={`${id}-error`} error={error} />
        <input
          className={`govuk-input govuk-input--width-4${error ? ' govuk-input--error' : ''}`}
          id={id}
          name="quantity"
          type="text"
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          defaultValue={props.defaultValue}
          aria-describedby={[`${id}-hint`, error ? `${id}-error` : ''].filter(Boolean).join(' ')}
        />{' '}
        <button type="submit" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button">
          Update<span className="govuk-visually-hidden"> quantity of {props.offerName}</span>
        </button>
      </div>
    </Form>
  )
}
