import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { NewPasswordPage } from '~/components/new-password-page'
import { newPasswordAction, newPasswordLoader } from '~/models/accounts/new-password.server'

export const loader = (args: LoaderFunctionArgs) => newPasswordLoader(args, 'reset')
export const action = (args: ActionFunctionArgs) => newPasswordAction(args, 'reset')
export const meta: MetaFunction = () => [{ title: 'Choose a new password – Buyback' }]

export default function ResetPassword() {
  const loaded = useLoaderData<typeof loader>()
  const acted = useActionData<typeof action>()
  const state = acted ?? loaded
  return (
    <NewPasswordPage
      heading="Choose a new password"
      intro="Your new password replaces the old one, and signs you out everywhere else."
      token={state.token}
      email={state.email}
      errors={acted?.errors}
    />
  )
}
