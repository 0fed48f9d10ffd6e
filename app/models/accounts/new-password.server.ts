import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/node'
import { NewPasswordSchema } from '../../schemas/auth'
import { clientIp, HOME } from '../../utils/auth.server'
import { getDb } from '../../utils/db.server'
import { createSession } from '../../utils/session.server'
import { findUsableToken, setPasswordWithToken } from './accounts.server'
import { fieldErrors, type FieldErrors } from '../../schemas/common'

type Purpose = 'reset' | 'invitation'

/** Loader of /reset-password and /set-password: is the link's token usable? */
export async function newPasswordLoader({ request }: LoaderFunctionArgs, purpose: Purpose) {
  const token = new URL(request.url).searchParams.get('token') ?? ''
  const found = token ? await findUsableToken(await getDb(), token, purpose) : null
  return { token: found ? token : null, email: found?.email ?? null }
}

/** Action of both pages: set the password with the token, then sign in. */
export async function newPasswordAction({ request, context }: ActionFunctionArgs, purpose: Purpose) {
  const form = await request.formData()
  const token = String(form.get('token') ?? '')
  const parsed = NewPasswordSchema.safeParse({
    password: String(form.get('password') ?? ''),
    confirmPassword: String(form.get('confirmPassword') ?? ''),
  })
  const db = await getDb()
  if (!parsed.success) {
    const found = await findUsableToken(db, token, purpose)
    return data(
      { errors: fieldErrors(parsed.error.issues) as FieldErrors, token: found ? token : null, email: found?.email ?? null },
      { status: 400 },
    )
  }
  const result = await setPasswordWithToken(db, {
    token,
    purpose,
    password: parsed.data.password,
    ip: clientIp(context),
    userAgent: request.headers.get('User-Agent'),
  })
  if (!result.ok) return data({ errors: {} as FieldErrors, token: null, email: null }, { status: 400 })
  const cookie = await createSession(db, request, result.user, clientIp(context))
  return redirect(HOME, { headers: { 'Set-Cookie': cookie } })
}
