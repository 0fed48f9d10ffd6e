import { Link } from '@remix-run/react'
import { ErrorSummary, TextInput } from './forms'
import { useValidatedForm, ValidatedForm } from './validated-form'
import type { FieldErrors } from '~/schemas/common'
import { NewPasswordSchema, PASSWORD_MIN } from '~/schemas/auth'

/** The page behind a reset or invitation link: choose a password, twice. */
export function NewPasswordPage(props: { heading: string; intro: string; token: string | null; email: string | null; errors?: FieldErrors }) {
  const form = useValidatedForm({ schema: NewPasswordSchema, serverErrors: props.errors })
  const errors = form.errors
  if (!props.token || !props.email) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">This link has expired or has already been used</h1>
          <p className="govuk-body">Links to set a password work once, for a limited time.</p>
          <p className="govuk-body">
            <Link className="govuk-link" to="/forgot-password">
              Ask for a new link
            </Link>
          </p>
        </div>
      </div>
    )
  }
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} order={['password', 'confirmPassword']} />
        <h1 className="govuk-heading-l">{props.heading}</h1>
        <p className="govuk-body">{props.intro}</p>
        <p className="govuk-body">
          Account: <strong>{props.email}</strong>
        </p>
        <ValidatedForm form={form} method="post" noValidate>
          <input type="hidden" name="token" value={props.token} />
          <TextInput
            name="password"
            label="New password"
            type="password"
            autoComplete="new-password"
            hint={`At least ${PASSWORD_MIN} characters. A few unrelated words make a strong password that is easy to remember.`}
            error={errors?.password}
          />
          <TextInput
            name="confirmPassword"
            label="Confirm new password"
            type="password"
            autoComplete="new-password"
            error={errors?.confirmPassword}
          />
          <button type="submit" className="govuk-button" data-module="govuk-button">
            Save password and sign in
          </button>
        </ValidatedForm>
      </div>
    </div>
  )
}
