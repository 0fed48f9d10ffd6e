import { Form, useFetcher } from '@remix-run/react'
import { ErrorMessage } from './forms'
import { submitInPlace } from './in-place'
import type { FieldErrors } from '~/schemas/common'

type QuantityFormProps = {
  action?: string
  lineId: string
  /** The field's accessible name ("Quantity", "Quantity of EP days"). */
  label: string
  offerName: string
  hint: string
  error?: string
  defaultValue: string
  /**
   * With JavaScript, send the change through a fetcher: the page stays where
   * it is, the button says "Updating…" and the page's figures refresh. The
   * action must answer such a post with data (app/components/in-place.ts).
   */
  inPlace?: boolean
}

/**
 * A line's quantity, changed where it is shown (the basket, a renewal
 * proposal): a small form posting `intent=update`, the line's id and the new
 * quantity, with "Now 3 days, up to 20" as its hint and the error beside it.
 */
export function QuantityForm(props: QuantityFormProps) {
  const fetcher = useFetcher<{ errors?: FieldErrors }>()
  const id = `quantity-${props.lineId}`
  const busy = fetcher.state !== 'idle'
  const error = (props.inPlace && fetcher.state === 'idle' ? fetcher.data?.errors?.[id] : undefined) ?? props.error
  const FormElement = props.inPlace ? fetcher.Form : Form
  const done = props.inPlace && fetcher.state === 'idle' && fetcher.data && !fetcher.data.errors
  return (
    <FormElement
      method="post"
      action={props.action}
      noValidate
      className="app-inline-form"
      onSubmit={props.inPlace ? submitInPlace(fetcher, props.action) : undefined}
    >
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
        {/* In place, a second change straight after the first is a change, not a double click. */}
        <button
          type="submit"
          className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
          data-module="govuk-button"
          data-prevent-double-click={props.inPlace ? 'false' : undefined}
        >
          {busy ? 'Updating…' : 'Update'}
          <span className="govuk-visually-hidden"> quantity of {props.offerName}</span>
        </button>
        {props.inPlace ? (
          <span className="govuk-visually-hidden" role="status">
            {busy ? `Updating the quantity of ${props.offerName}` : done ? `Quantity of ${props.offerName} updated` : ''}
          </span>
        ) : null}
      </div>
    </FormElement>
  )
}
