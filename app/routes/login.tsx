import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useEffect } from 'react'
import { ErrorSummary, Honeypot, TextInput } from '~/components/forms'
import { useValidatedForm, ValidatedForm } from '~/components/validated-form'
import { signIn } from '~/models/accounts/accounts.server'
import { SignInSchema } from '~/schemas/auth'
import { clientIp, getUser, HOME, safeRedirect } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { createSession } from '~/utils/session.server'
import { fieldErrors, type FieldErrors } from '~/schemas/common'

export async function loader({ request }: LoaderFunctionArgs) {
  const redirectTo = new URL(request.url).searchParams.get('redirectTo') ?? ''
  const user = await getUser(request)
  if (user) throw redirect(safeRedirect(redirectTo, HOME))
  return { redirectTo: safeRedirect(redirectTo, '') }
}

type ActionData = { errors: FieldErrors; values: { email: string } }

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await request.formData()
  const raw = {
    email: String(form.get('email') ?? ''),
    password: String(form.get('password') ?? ''),
    redirectTo: String(form.get('redirectTo') ?? ''),
  }
  const invalid = (errors: FieldErrors) => data<ActionData>({ errors, values: { email: raw.email.slice(0, 254) } }, { status: 400 })

  // Filled in by a bot, not a person: answer as for any wrong password.
  if (form.get('website')) return invalid({ email: 'Enter a correct email address and password' })

  const parsed = SignInSchema.safeParse(raw)
  if (!parsed.success) return invalid(fieldErrors(parsed.error.issues))

  const db = await getDb()
  const result = await signIn(db, {
    email: parsed.data.email,
    password: parsed.data.password,
    ip: clientIp(context),
    userAgent: request.headers.get('User-Agent'),
  })
  if (!result.ok) return invalid({ email: result.message })

  const cookie = await createSession(db, request, result.user, clientIp(context))
  const to = safeRedirect(parsed.data.redirectTo, HOME)
  return redirect(to, { headers: { 'Set-Cookie': cookie } })
}

export const meta: MetaFunction = () => [{ title: 'Sign in – Buyback' }]

export default function Login() {
  const { redirectTo } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const form = useValidatedForm({ schema: SignInSchema, serverErrors: actionData?.errors })
  const errors = form.errors
  // A failed attempt never keeps the password: without JavaScript the page is
  // new; with it, the field is emptied after every answer.
  useEffect(() => {
    const password = document.getElementById('password')
    if (actionData && password instanceof HTMLInputElement) password.value = ''
  }, [actionData])
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} order={['email', 'password']} />
        <h1 className="govuk-heading-l">Sign in</h1>
        <p className="govuk-body">Sign in with the email address your school or the council registered for you.</p>
        <ValidatedForm form={form} method="post" noValidate>
          <input type="hidden" name="redirectTo" value={redirectTo} />
          <TextInput
            name="email"
            label="Email address"
            type="email"
            autoComplete="email"
            spellCheck={false}
            defaultValue={actionData?.values.email}
            error={errors?.email}
          />
          <TextInput name="password" label="Password" type="password" autoComplete="current-password" error={errors?.password} />
          <Honeypot />
          <button type="submit" className="govuk-button" data-module="govuk-button">
            Sign in
          </button>
        </ValidatedForm>
        <p className="govuk-body">
          <Link className="govuk-link" to="/forgot-password">
            I have forgotten my password
          </Link>
        </p>
        <h2 className="govuk-heading-m">If you do not have an account</h2>
        <p className="govuk-body">Ask your school’s business manager or the council’s traded services team to invite you.</p>
      </div>
    </div>
  )
}
