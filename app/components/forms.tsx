import { useEffect, useRef, type ReactNode } from 'react'

export type FieldErrors = Partial<Record<string, string>>

/**
 * GOV.UK error summary: at the top of the page, focused when it appears,
 * each message linking to its field. Renders nothing without errors.
 */
export function ErrorSummary({ errors, order }: { errors: FieldErrors | undefined; order?: string[] }) {
  const ref = useRef<HTMLDivElement>(null)
  const entries = Object.entries(errors ?? {}).filter((e): e is [string, string] => Boolean(e[1]))
  if (order) entries.sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]))
  useEffect(() => {
    if (entries.length) ref.current?.focus()
  }, [errors])
  if (!entries.length) return null
  return (
    <div className="govuk-error-summary" data-module="govuk-error-summary" ref={ref} tabIndex={-1}>
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

type InputProps = {
  name: string
  label: ReactNode
  error?: string
  hint?: ReactNode
  defaultValue?: string | number
  type?: 'text' | 'email' | 'password' | 'number' | 'search' | 'tel'
  autoComplete?: string
  inputMode?: 'numeric' | 'decimal' | 'email' | 'text'
  spellCheck?: boolean
  width?: 10 | 20 | 30 | 'full'
  labelSize?: 's' | 'm' | 'l'
  maxLength?: number
  prefix?: string
}

/** GOV.UK text input with its label, hint and error message. */
export function TextInput(props: InputProps) {
  const describedBy = [props.hint ? `${props.name}-hint` : null, props.error ? `${props.name}-error` : null]
    .filter(Boolean)
    .join(' ')
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
      aria-describedby={describedBy || undefined}
    />
  )
  return (
    <div className={`govuk-form-group${props.error ? ' govuk-form-group--error' : ''}`}>
      <label className={`govuk-label${props.labelSize ? ` govuk-label--${props.labelSize}` : ''}`} htmlFor={props.name}>
        {props.label}
      </label>
      {props.hint ? (
        <div className="govuk-hint" id={`${props.name}-hint`}>
          {props.hint}
        </div>
      ) : null}
      {props.error ? (
        <p className="govuk-error-message" id={`${props.name}-error`}>
          <span className="govuk-visually-hidden">Error:</span> {props.error}
        </p>
      ) : null}
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

/** Turns zod issues into one message per field (the first for each). */
export function fieldErrors(issues: readonly { path: readonly PropertyKey[]; message: string }[]): FieldErrors {
  const errors: FieldErrors = {}
  for (const issue of issues) {
    const key = String(issue.path[0] ?? 'form')
    errors[key] ??= issue.message
  }
  return errors
}
