import type { ReactNode } from 'react'
import type { FieldErrors } from '~/schemas/common'
import type { ServiceValues } from '~/schemas/service-admin'
import { PHASES, phaseName } from '~/utils/format'
import { ErrorMessage, Radios, TextInput } from './forms'
import { Textarea } from './textarea'

/** The fields of the service edit form (/la/services/:slug), with what was typed and the errors. */
export function ServiceFields({ values, errors, afterTerms }: { values: ServiceValues; errors?: FieldErrors; afterTerms?: ReactNode }) {
  return (
    <>
      <TextInput name="name" label="Service name" labelSize="s" width="full" maxLength={200} defaultValue={values.name} error={errors?.name} />
      <Textarea
        name="summary"
        label="Summary"
        labelSize="s"
        hint="One or two sentences shown in the catalogue under the service’s name"
        rows={3}
        defaultValue={values.summary}
        error={errors?.summary}
      />
      <Textarea
        name="description"
        label="Description"
        labelSize="s"
        hint="What the service does, in plain words. Leave a blank line between paragraphs."
        rows={10}
        defaultValue={values.description}
        error={errors?.description}
      />
      <PhaseCheckboxes values={values.phases} error={errors?.phases} />
      <Textarea
        name="included"
        label="What is included"
        labelSize="s"
        hint="One thing a line"
        rows={6}
        defaultValue={values.included}
        error={errors?.included}
      />
      <Textarea
        name="excluded"
        label="What is not included"
        labelSize="s"
        hint="One thing a line. Leave empty if there is nothing to say."
        rows={4}
        defaultValue={values.excluded}
        error={errors?.excluded}
      />

      <h3 className="govuk-heading-m">The statutory core</h3>
      <p className="govuk-body">
        Schools read this above the offers, so that they know what they receive anyway before they buy anything. Leave both empty if the service has
        no statutory core.
      </p>
      <Textarea
        name="statutoryCore"
        label="What every school receives without charge"
        labelSize="s"
        hint="For example, statutory assessments for education, health and care plans"
        rows={4}
        defaultValue={values.statutoryCore}
        error={errors?.statutoryCore}
      />
      <Textarea
        name="chargesBegin"
        label="Where charges begin"
        labelSize="s"
        hint="For example, work a school asks for beyond the statutory duties"
        rows={3}
        defaultValue={values.chargesBegin}
        error={errors?.chargesBegin}
      />

      <Textarea
        name="terms"
        label="Terms"
        labelSize="m"
        hint="Cancellation, notice and anything else a school agrees to. Changing the terms makes a new version: orders already placed keep the version the school accepted."
        rows={6}
        defaultValue={values.terms}
        error={errors?.terms}
      />
      {afterTerms}

      <h3 className="govuk-heading-m">Contact</h3>
      <TextInput
        name="contactName"
        label="Contact name"
        labelSize="s"
        maxLength={200}
        defaultValue={values.contactName}
        error={errors?.contactName}
      />
      <TextInput
        name="contactEmail"
        label="Contact email address"
        labelSize="s"
        type="email"
        autoComplete="off"
        spellCheck={false}
        maxLength={300}
        defaultValue={values.contactEmail}
        error={errors?.contactEmail}
      />
      <TextInput
        name="contactPhone"
        label="Contact phone number (optional)"
        labelSize="s"
        type="tel"
        width={20}
        maxLength={60}
        defaultValue={values.contactPhone}
        error={errors?.contactPhone}
      />

      <TextInput
        name="incomeCode"
        label="CFR or income code (optional)"
        labelSize="s"
        hint="Where income from this service is posted, unless an offer has a code of its own. For example, INC-EP01"
        width={10}
        maxLength={40}
        spellCheck={false}
        defaultValue={values.incomeCode}
        error={errors?.incomeCode}
      />
      <Radios
        name="published"
        legend="Show the service in the catalogue"
        value={values.published}
        error={errors?.published}
        options={[
          { value: 'yes', label: 'Yes', hint: 'Schools see the service and can order what is on sale' },
          { value: 'no', label: 'No, hide it', hint: 'Schools do not see it; orders already placed are not affected' },
        ]}
      />
    </>
  )
}

function PhaseCheckboxes({ values, error }: { values: string[]; error?: string }) {
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset className="govuk-fieldset" aria-describedby={['phases-hint', error ? 'phases-error' : null].filter(Boolean).join(' ')}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Phases</legend>
        <div className="govuk-hint" id="phases-hint">
          Schools of these phases find the service when they filter the catalogue
        </div>
        <ErrorMessage id="phases-error" error={error} />
        <div className="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
          {PHASES.map((phase, i) => {
            const id = i === 0 ? 'phases' : `phases-${phase}`
            return (
              <div key={phase} className="govuk-checkboxes__item">
                <input
                  className="govuk-checkboxes__input"
                  id={id}
                  name="phases"
                  type="checkbox"
                  value={phase}
                  defaultChecked={values.includes(phase)}
                />
                <label className="govuk-label govuk-checkboxes__label" htmlFor={id}>
                  {phaseName(phase)}
                </label>
              </div>
            )
          })}
        </div>
      </fieldset>
    </div>
  )
}
