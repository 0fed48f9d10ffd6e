import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { NewPasswordPage } from '~/components/new-password-page'
import { newPasswordAction, newPasswordLoader } from '~/models/accounts/new-password.server'

export const loader = (args: LoaderFunctionArgs) => newPasswordLoader(args, 'invitation')
export const action = (args: ActionFunctionArgs) => newPasswordAction(args, 'invitation')
export const meta: MetaFunction = () => [{ title: 'Set your password – Buyback' }]

/** Where an invitation's link leads: the new user chooses their password. */
export default function SetPassword() {
  const loaded = useLoaderData<typeof loader>()
  const acted = useActionData<typeof action>()
  const state = acted ?? loaded
  return (
    <NewPasswordPage
      heading="Set your password"
      intro="You have been invited to Buyback. Choose a password to finish setting up your account."
      token={state.token}
      email={state.email}
      errors={acted?.errors}
    />
  )
}
