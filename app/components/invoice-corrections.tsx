import { formatPence } from '~/domain/money'
import type { FieldErrors } from '~/schemas/common'
import { parseCredit, parseReason } from '~/schemas/finance-corrections'
import { ErrorMessage, Radios, TextInput } from './forms'
import { shownErrors, useValidatedForm, ValidatedForm, type ValidatedFormState } from './validated-form'

const checkCredit = (form: FormData) => {
  const parsed = parseCredit(form)
  return parsed.ok ? null : parsed.errors
}
const checkReason = (field: 'writeOffReason' | 'voidReason') => (form: FormData) => {
  const parsed = parseReason(form, field)
  return parsed.ok ? null : parsed.errors
}
const checkWriteOff = checkReason('writeOffReason')
const checkVoid = checkReason('voidReason')

export type CorrectionForms = { credit: ValidatedFormState; writeOff: ValidatedFormState; void: ValidatedFormState; errors?: FieldErrors }

/**
 * The three correction forms, checked in the browser by the functions the
 * action parses them with; `errors` is what the page's summary shows.
 */
export function useCorrectionForms(serverErrors: FieldErrors | undefined): CorrectionForms {
  const credit = useValidatedForm({ check: checkCredit, serverErrors })
  const writeOff = useValidatedForm({ check: checkWriteOff, serverErrors })
  const voidForm = useValidatedForm({ check: checkVoid, serverErrors })
  return { credit, writeOff, void: voidForm, errors: shownErrors([credit, writeOff, voidForm], serverErrors) }
}

/**
 * Finance's corrections on an invoice's page: a credit note (all that is left
 * or part), writing it off, voiding it. Plain forms: each posts back to the
 * page and is shown again with its errors.
 */
export function InvoiceCorrections(props: {
  creditLeftPence: number
  canWriteOff: boolean
  canVoid: boolean
  forms: CorrectionForms
  values?: Record<string, string>
}) {
  const { forms, values = {} } = props
  const errors = forms.errors ?? {}
  return (
    <>
      <h2 className="govuk-heading-l">Correct this invoice</h2>
      {props.creditLeftPence > 0 ? (
        <ValidatedForm form={forms.credit} method="post" className="govuk-!-margin-bottom-6" noValidate>
          <input type="hidden" name="intent" value="credit" />
          <h3 className="govuk-heading-m">Credit note</h3>
          <p className="govuk-body">Left to credit on this invoice: {formatPence(props.creditLeftPence)}.</p>
          <Radios
            name="creditWhole"
            legend="How much to credit"
            legendSize="s"
            small
            value={values.creditWhole ?? 'part'}
            error={errors.creditWhole}
            options={[
              { value: 'whole', label: `All that is left (${formatPence(props.creditLeftPence)})` },
              { value: 'part', label: 'Part of it' },
            ]}
          />
          <TextInput
            name="creditAmount"
            label="Amount to credit, including VAT"
            labelSize="s"
            hint="Only for part of it. In pounds, like 250 or 250.50. The VAT credited is in the invoice’s own proportion."
            prefix="£"
            width={10}
            inputMode="decimal"
            defaultValue={values.creditAmount}
            error={errors.creditAmount}
          />
          <ReasonField name="creditReason" label="Reason for the credit note" value={values.creditReason} error={errors.creditReason} />
          <button type="submit" className="govuk-button">
            Issue credit note
          </button>
        </ValidatedForm>
      ) : null}
      {props.canWriteOff ? (
        <ValidatedForm form={forms.writeOff} method="post" className="govuk-!-margin-bottom-6" noValidate>
          <input type="hidden" name="intent" value="write-off" />
          <h3 className="govuk-heading-m">Write off</h3>
          <p className="govuk-body">What is still owed stops counting as debt. A payment that arrives later is still recorded against it.</p>
          <ReasonField name="writeOffReason" label="Reason for writing it off" value={values.writeOffReason} error={errors.writeOffReason} />
          <button type="submit" className="govuk-button govuk-button--warning">
            Write off
          </button>
        </ValidatedForm>
      ) : null}
      {props.canVoid ? (
        <ValidatedForm form={forms.void} method="post" noValidate>
          <input type="hidden" name="intent" value="void" />
          <h3 className="govuk-heading-m">Void</h3>
          <p className="govuk-body">Only for an invoice issued in error: nothing has been paid or credited on it.</p>
          <ReasonField name="voidReason" label="Reason for voiding it" value={values.voidReason} error={errors.voidReason} />
          <button type="submit" className="govuk-button govuk-button--warning">
            Void
          </button>
        </ValidatedForm>
      ) : null}
    </>
  )
}

function ReasonField(props: { name: string; label: string; value?: string; error?: string }) {
  return (
    <div className={`govuk-form-group${props.error ? ' govuk-form-group--error' : ''}`}>
      <label className="govuk-label govuk-label--s" htmlFor={props.name}>
        {props.label}
      </label>
      <ErrorMessage id={`${props.name}-error`} error={props.error} />
      <textarea
        className={`govuk-textarea${props.error ? ' govuk-textarea--error' : ''}`}
        id={props.name}
        name={props.name}
        rows={2}
        maxLength={500}
        defaultValue={props.value}
        aria-describedby={props.error ? `${props.name}-error` : undefined}
      />
    </div>
  )
}
