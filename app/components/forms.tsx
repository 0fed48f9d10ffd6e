import type { FieldErrors } from '~/schemas/common'
import { useEffect, useRef, type ReactNode } from 'react'

/**
 * GOV.UK error summary: at the top of the page, focused when it appears,
 * each message linking to its field. Renders nothing without errors.
 *
 * `focus={false}` leaves focus where it is and the summary out of the tab
 * order: the list pages' filter forms (a GET that reloads the list) use it.
 */
export function ErrorSummary({ errors, order, focus = true }: { errors: FieldErrors | undefined; order?: string[]; focus?: boolean }) {
  const ref = useRef<HTMLDivElement>(null)
  const entries = Object.entries(errors ?? {}).filter((e): e is [string, string] => Boolean(e[1]))
  if (order) entries.sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]))
  useEffect(() => {
    if (focus && entries.length) ref.current?.focus()
  }, [errors, focus, entries.length])
  if (!entries.length) return null
  return (
    <div className="govuk-error-summary" data-module="govuk-error-summary" ref={ref} tabIndex={focus ? -1 : undefined}>
      <div role="alert">
        <h2 className="govuk-error-summary__title">There is a problem</h2>
        <div className="govuk-error-summary__body">
          <ul className="govuk-list govuk-error-summary__list">
            {entries.map(([field, message]) => (
              <li key={field}>
                <a href={`#${field}`}>{message}</a>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  )
}

/** GOV.UK error message for one field; `id` is what the field's aria-describedby names. Nothing without an error. */
export function ErrorMessage({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p className="govuk-error-message" id={id}>
      <span className="govuk-visually-hidden">Error:</span> {error}
    </p>
  ) : null
}

type FieldProps = {
  name: string
  label: ReactNode
  labelSize?: 's' | 'm' | 'l'
  hint?: ReactNode
  error?: string
}

/** The ids of a field's hint and error message, for its aria-describedby; undefined when it has neither. */
function describedBy({ name, hint, error }: { name: string; hint?: ReactNode; error?: string }): string | undefined {
  return [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean).join(' ') || undefined
}

/** A GOV.UK form group for one control: its label, hint and error message, then the control. */
function FormGroup(props: FieldProps & { className?: string; children: ReactNode }) {
  return (
    <div className={['govuk-form-group', props.className, props.error ? 'govuk-form-group--error' : ''].filter(Boolean).join(' ')}>
      <label className={`govuk-label${props.labelSize ? ` govuk-label--${props.labelSize}` : ''}`} htmlFor={props.name}>
        {props.label}
      </label>
      {props.hint ? (
        <div className="govuk-hint" id={`${props.name}-hint`}>
          {props.hint}
        </div>
      ) : null}
      <ErrorMessage id={`${props.name}-error`} error={props.error} />
      {props.children}
    </div>
  )
}

type InputProps = FieldProps & {
  defaultValue?: string | number
  type?: 'text' | 'email' | 'password' | 'number' | 'search' | 'tel' | 'date'
  autoComplete?: string
  inputMode?: 'numeric' | 'decimal' | 'email' | 'text'
  spellCheck?: boolean
  width?: 10 | 20 | 30 | 'full'
  maxLength?: number
  prefix?: string
  /** More classes for the form group, such as a spacing override. */
  formGroupClassName?: string
}

/** GOV.UK text input with its label, hint and error message. */
export function TextInput(props: InputProps) {
  const width = props.width === 'full' ? 'govuk-!-width-full' : props.width ? `govuk-input--width-${props.width}` : ''
  const input = (
    <input
      className={['govuk-input', width, props.error ? 'govuk-input--error' : ''].filter(Boolean).join(' ')}
      id={props.name}
      name={props.name}
      type={props.type ?? 'text'}
      defaultValue={props.defaultValue}
      autoComplete={props.autoComplete}
      inputMode={props.inputMode}
      spellCheck={props.spellCheck}
      maxLength={props.maxLength}
      aria-describedby={describedBy(props)}
    />
  )
  return (
    <FormGroup {...props} className={props.formGroupClassName}>
      {props.prefix ? (
        <div className="govuk-input__wrapper">
          <div className="govuk-input__prefix" aria-hidden="true">
            {props.prefix}
          </div>
          {input}
        </div>
      ) : (
        input
      )}
    </FormGroup>
  )
}

/** The search box of a list page's filter form: `q`, a small label, a hint, at most 100 characters. */
export function SearchInput(props: { label: string; hint: string; value: string; spellCheck?: boolean; formGroupClassName?: string }) {
  return (
    <TextInput
      name="q"
      type="search"
      labelSize="s"
      maxLength={100}
      label={props.label}
      hint={props.hint}
      defaultValue={props.value}
      spellCheck={props.spellCheck}
      formGroupClassName={props.formGroupClassName}
    />
  )
}

/** GOV.UK select with its label (small, unless `labelSize` says otherwise), hint and error message. */
export function SelectField(
  props: FieldProps & {
    label: string
    value: string
    options: { value: string; label: string }[]
  },
) {
  return (
    <FormGroup {...props} labelSize={props.labelSize ?? 's'}>
      <select
        className={`govuk-select${props.error ? ' govuk-select--error' : ''}`}
        id={props.name}
        name={props.name}
        defaultValue={props.value}
        aria-describedby={describedBy(props)}
      >
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FormGroup>
  )
}

/**
 * GOV.UK radios in a fieldset, with an optional hint for the group and for
 * each option. The first radio has the group's name as its id, so that the
 * error summary's link lands on it.
 */
export function Radios({
  name,
  legend,
  legendSize = 'm',
  small = false,
  hint,
  value,
  error,
  options,
}: {
  name: string
  legend: string
  legendSize?: 's' | 'm'
  small?: boolean
  hint?: ReactNode
  value?: string
  error?: string
  options: readonly { value: string; label: string; hint?: string }[]
}) {
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset className="govuk-fieldset" aria-describedby={describedBy({ name, hint, error })}>
        <legend className={`govuk-fieldset__legend govuk-fieldset__legend--${legendSize}`}>{legend}</legend>
        {hint ? (
          <div className="govuk-hint" id={`${name}-hint`}>
            {hint}
          </div>
        ) : null}
        <ErrorMessage id={`${name}-error`} error={error} />
        <div className={`govuk-radios${small ? ' govuk-radios--small' : ''}`} data-module="govuk-radios">
          {options.map((o, i) => {
            const id = i === 0 ? name : `${name}-${o.value}`
            return (
              <div key={o.value} className="govuk-radios__item">
                <input
                  className="govuk-radios__input"
                  id={id}
                  name={name}
                  type="radio"
                  value={o.value}
                  defaultChecked={value === o.value}
                  aria-describedby={o.hint ? `${id}-item-hint` : undefined}
                />
                <label className="govuk-label govuk-radios__label" htmlFor={id}>
                  {o.label}
                </label>
                {o.hint ? (
                  <div className="govuk-hint govuk-radios__hint" id={`${id}-item-hint`}>
                    {o.hint}
                  </div>
                ) : null}
              </div>
            )
          })}
        </div>
      </fieldset>
    </div>
  )
}

/**
 * A field people cannot see or reach, that bots fill in. A form that comes
 * back with it filled is treated as not sent by a person.
 */
export function Honeypot() {
  return (
    <div className="app-honeypot" aria-hidden="true">
      <label htmlFor="website">Leave this field empty</label>
      <input id="website" name="website" type="text" tabIndex={-1} autoComplete="off" />
    </div>
  )
}
