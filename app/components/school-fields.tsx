import { ErrorMessage, Radios, TextInput } from '~/components/forms'
import type { FieldErrors } from '~/schemas/common'
import { PHASES } from '~/schemas/schools'
import { SCHOOL_TYPE_NAMES } from '~/schemas/admin-labels'
import { phaseName } from '~/utils/format'

/**
 * The fields of the school register's forms that adding and editing a school
 * share: who the school is (URN, name, phase) and how to reach it.
 */

type Values = Partial<Record<string, string>>

export function SchoolIdentityFields({ values, errors }: { values: Values; errors: FieldErrors | undefined }) {
  return (
    <>
      <TextInput
        name="urn"
        label="URN"
        labelSize="m"
        hint="The school’s unique reference number in Get Information About Schools: 6 digits"
        inputMode="numeric"
        width={10}
        maxLength={20}
        spellCheck={false}
        defaultValue={values.urn}
        error={errors?.urn}
      />
      <TextInput name="name" label="Name" labelSize="m" maxLength={300} defaultValue={values.name} error={errors?.name} />
      <Radios
        name="phase"
        legend="Phase"
        small
        value={values.phase}
        error={errors?.phase}
        options={PHASES.map((p) => ({ value: p, label: phaseName(p) }))}
      />
    </>
  )
}

export function SchoolTypeRadios({ value, error, hint }: { value: string | undefined; error: string | undefined; hint?: string }) {
  return (
    <Radios
      name="schoolType"
      legend="Type"
      hint={hint}
      value={value}
      error={error}
      options={[
        { value: 'maintained', label: SCHOOL_TYPE_NAMES.maintained, hint: 'Run by the council' },
        { value: 'academy', label: SCHOOL_TYPE_NAMES.academy, hint: 'Funded directly by the government and run by an academy trust' },
      ]}
    />
  )
}

export function PoNumberCheckbox({ checked, error }: { checked: boolean; error: string | undefined }) {
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset className="govuk-fieldset" aria-describedby={error ? 'poNumberRequired-error' : undefined}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">Purchase orders</legend>
        <ErrorMessage id="poNumberRequired-error" error={error} />
        <div className="govuk-checkboxes" data-module="govuk-checkboxes">
          <div className="govuk-checkboxes__item">
            <input
              className="govuk-checkboxes__input"
              id="poNumberRequired"
              name="poNumberRequired"
              type="checkbox"
              value="yes"
              defaultChecked={checked}
              aria-describedby="poNumberRequired-hint"
            />
            <label className="govuk-label govuk-checkboxes__label" htmlFor="poNumberRequired">
              Purchase order number required
            </label>
            <div className="govuk-hint govuk-checkboxes__hint" id="poNumberRequired-hint">
              The school must give a purchase order number with every order
            </div>
          </div>
        </div>
      </fieldset>
    </div>
  )
}

export function SchoolContactFields({ values, errors }: { values: Values; errors: FieldErrors | undefined }) {
  return (
    <>
      <TextInput
        name="costCentre"
        label="Cost centre (optional)"
        labelSize="m"
        hint="The council’s cost centre for a maintained school’s recharges, like CC-41234"
        width={10}
        maxLength={300}
        spellCheck={false}
        defaultValue={values.costCentre}
        error={errors?.costCentre}
      />
      <h2 className="govuk-heading-m">Address and contact</h2>
      <TextInput
        name="addressLine1"
        label="Address (optional)"
        autoComplete="address-line1"
        maxLength={300}
        defaultValue={values.addressLine1}
        error={errors?.addressLine1}
      />
      <TextInput
        name="town"
        label="Town (optional)"
        autoComplete="address-level2"
        width={20}
        maxLength={300}
        defaultValue={values.town}
        error={errors?.town}
      />
      <TextInput
        name="postcode"
        label="Postcode (optional)"
        autoComplete="postal-code"
        width={10}
        maxLength={20}
        defaultValue={values.postcode}
        error={errors?.postcode}
      />
      <TextInput
        name="email"
        label="Email address of the school office (optional)"
        type="email"
        autoComplete="email"
        spellCheck={false}
        maxLength={300}
        defaultValue={values.email}
        error={errors?.email}
      />
      <TextInput
        name="phone"
        label="Telephone (optional)"
        type="tel"
        autoComplete="tel"
        width={20}
        maxLength={30}
        defaultValue={values.phone}
        error={errors?.phone}
      />
      <TextInput
        name="headteacherName"
        label="Headteacher (optional)"
        maxLength={300}
        defaultValue={values.headteacherName}
        error={errors?.headteacherName}
      />
    </>
  )
}
