import { data, type ActionFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData } from '@remix-run/react'
import { useValidatedForm, ValidatedForm } from '~/components/validated-form'
import { ErrorSummary, Honeypot, TextInput } from '~/components/forms'
import { requestPasswordReset } from '~/models/accounts/accounts.server'
import { ForgotPasswordSchema } from '~/schemas/auth'
import { clientIp } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { fieldErrors, type FieldErrors } from '~/schemas/common'

type ActionData = { sent: false; errors: FieldErrors; values: { email: string } } | { sent: true; email: string }

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData()
  const email = String(form.get('email') ?? '')
  // A bot filled in the hidden field: say what we always say, send nothing.
  if (form.get('website')) return { sent: true, email: email.slice(0, 254) } satisfies ActionData
  const parsed = ForgotPasswordSchema.safeParse({ email })
  if (!parsed.success) {
    return data<ActionData>({ sent: false, errors: fieldErrors(parsed.error.issues), values: { email: email.slice(0, 254) } }, { status: 400 })
  }
  await requestPasswordReset(await getDb(), {
    email: parsed.data.email,
    ip: clientIp(context),
    userAgent: request.headers.get('User-Agent'),
  })
  // The same answer whether or not an account exists.
  return { sent: true, email: parsed.data.email } satisfies ActionData
}

export const meta: MetaFunction = () => [{ title: 'Reset your password – Buyback' }]

export default function ForgotPassword() {
  const result = useActionData<typeof action>()
  const form = useValidatedForm({ schema: ForgotPasswordSchema, serverErrors: result && !result.sent ? result.errors : undefined })
  if (result?.sent) {
    return (
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <h1 className="govuk-heading-l">Check your email</h1>
          <p className="govuk-body">
            If there is an account for <strong>{result.email}</strong>, we have sent it a link to reset the password. The link works once, for 1 hour.
          </p>
          <p className="govuk-body">If nothing arrives within a few minutes, check your junk folder.</p>
          <p className="govuk-body">
            <Link className="govuk-link" to="/login">
              Back to sign in
            </Link>
          </p>
        </div>
      </div>
    )
  }
  const errors = form.errors
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        <h1 className="govuk-heading-l">Reset your password</h1>
        <p className="govuk-body">Enter the email address you sign in with. We will send you a link to choose a new password.</p>
        <ValidatedForm form={form} method="post" noValidate>
          <TextInput
            name="email"
            label="Email address"
            type="email"
            autoComplete="email"
            spellCheck={false}
            defaultValue={result && !result.sent ? result.values.email : undefined}
            error={errors?.email}
          />
          <Honeypot />
          <button type="submit" className="govuk-button" data-module="govuk-button">
            Send reset link
          </button>
        </ValidatedForm>
      </div>
    </div>
  )
}
