import type { ReactNode } from 'react'
import { ErrorMessage } from './forms'

/** GOV.UK textarea with its label, hint and error message. */
export function Textarea(props: {
  name: string
  label: ReactNode
  labelSize?: 's' | 'm' | 'l'
  hint?: ReactNode
  error?: string
  defaultValue?: string
  rows?: number
  maxLength?: number
  spellCheck?: boolean
}) {
  const describedBy = [props.hint ? `${props.name}-hint` : null, props.error ? `${props.name}-error` : null].filter(Boolean).join(' ') || undefined
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
      <ErrorMessage id={`${props.name}-error`} error={props.error} />
      <textarea
        className={`govuk-textarea${props.error ? ' govuk-textarea--error' : ''}`}
        id={props.name}
        name={props.name}
        rows={props.rows ?? 5}
        defaultValue={props.defaultValue}
        maxLength={props.maxLength}
        spellCheck={props.spellCheck}
        aria-describedby={describedBy}
      />
    </div>
  )
}
