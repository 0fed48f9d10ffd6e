import { ErrorMessage } from './forms'

/**
 * GOV.UK date input (day, month, year) named `<name>Day`, `<name>Month` and
 * `<name>Year`. One message for the group; the parts it names (`errorFields`)
 * are highlighted, or all three when it names none.
 */
export function DateInput({
  name,
  legend,
  hint,
  values,
  error,
  errorFields = [],
}: {
  name: string
  legend: string
  hint: string
  values: { day: string; month: string; year: string }
  error?: string
  errorFields?: readonly ('Day' | 'Month' | 'Year')[]
}) {
  const describedBy = [`${name}-hint`, error ? `${name}-error` : null].filter(Boolean).join(' ')
  const parts = [
    ['Day', values.day, 2],
    ['Month', values.month, 2],
    ['Year', values.year, 4],
  ] as const
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset className="govuk-fieldset" role="group" aria-describedby={describedBy}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">{legend}</legend>
        <div className="govuk-hint" id={`${name}-hint`}>
          {hint}
        </div>
        <ErrorMessage id={`${name}-error`} error={error} />
        <div className="govuk-date-input" id={name}>
          {parts.map(([label, value, width]) => {
            const id = `${name}${label}`
            const inError = Boolean(error && (errorFields.length === 0 || errorFields.includes(label)))
            return (
              <div key={label} className="govuk-date-input__item">
                <div className="govuk-form-group">
                  <label className="govuk-label govuk-date-input__label" htmlFor={id}>
                    {label}
                  </label>
                  <input
                    className={`govuk-input govuk-date-input__input govuk-input--width-${width}${inError ? ' govuk-input--error' : ''}`}
                    id={id}
                    name={id}
                    type="text"
                    inputMode="numeric"
                    maxLength={10}
                    defaultValue={value}
                  />
                </div>
              </div>
            )
          })}
        </div>
      </fieldset>
    </div>
  )
}
