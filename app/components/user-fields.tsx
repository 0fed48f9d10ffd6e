import type { ReactNode } from 'react'
import { ROLE_OPTIONS } from '~/schemas/admin-labels'
import { ErrorMessage, Radios, SelectField } from './forms'

/**
 * The fields of a user's role, school and services, shared by the invite
 * form and the user's page. `size` is 'm' where they make up the page's form
 * and 's' where they are one form among others (small radios too).
 */
type Size = 's' | 'm'

export function RoleRadios({ value, error, size }: { value?: string; error?: string; size: Size }) {
  return <Radios name="role" legend="Role" legendSize={size} small={size === 's'} value={value} error={error} options={ROLE_OPTIONS} />
}

export function SchoolSelect({
  schools,
  value,
  error,
  size,
  hint,
}: {
  schools: { id: string; name: string }[]
  value?: string
  error?: string
  size: Size
  hint: ReactNode
}) {
  return (
    <SelectField
      name="schoolId"
      label="School"
      labelSize={size}
      hint={hint}
      error={error}
      value={value ?? ''}
      options={[{ value: '', label: 'No school (council staff)' }, ...schools.map((s) => ({ value: s.id, label: s.name }))]}
    />
  )
}

export function TrustSelect({ trusts, value, error, size }: { trusts: { id: string; name: string }[]; value?: string; error?: string; size: Size }) {
  return (
    <SelectField
      name="trustId"
      label="Trust"
      labelSize={size}
      hint="Required for a trust’s business managers and approvers, who see its member schools. “No trust” for everyone else."
      error={error}
      value={value ?? ''}
      options={[{ value: '', label: 'No trust' }, ...trusts.map((t) => ({ value: t.id, label: t.name }))]}
    />
  )
}

export function ServiceCheckboxes({
  services,
  value,
  error,
  size,
  hint,
}: {
  services: { id: string; name: string }[]
  value?: string[]
  error?: string
  size: Size
  hint: ReactNode
}) {
  const describedBy = ['serviceIds-hint', error ? 'serviceIds-error' : null].filter(Boolean).join(' ')
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset className="govuk-fieldset" aria-describedby={describedBy}>
        <legend className={`govuk-fieldset__legend govuk-fieldset__legend--${size}`}>Services led</legend>
        <div className="govuk-hint" id="serviceIds-hint">
          {hint}
        </div>
        <ErrorMessage id="serviceIds-error" error={error} />
        <div className="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
          {services.map((s, i) => {
            const id = i === 0 ? 'serviceIds' : `serviceIds-${s.id}`
            return (
              <div key={s.id} className="govuk-checkboxes__item">
                <input
                  className="govuk-checkboxes__input"
                  id={id}
                  name="serviceIds"
                  type="checkbox"
                  value={s.id}
                  defaultChecked={value?.includes(s.id)}
                />
                <label className="govuk-label govuk-checkboxes__label" htmlFor={id}>
                  {s.name}
                </label>
              </div>
            )
          })}
        </div>
      </fieldset>
    </div>
  )
}
