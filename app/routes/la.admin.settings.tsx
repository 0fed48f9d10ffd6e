import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { useActionData, useLoaderData } from '@remix-run/react'
import { useValidatedForm, ValidatedForm } from '~/components/validated-form'
import { ErrorMessage, ErrorSummary, TextInput } from '~/components/forms'
import { SuccessBanner } from '~/components/success-banner'
import { formatSortCode, formatVatNumber, invoiceSettingsProblems, type InvoiceSettingsInput } from '~/domain/invoicing'
import { getInvoiceSettings, saveInvoiceSettings } from '~/models/admin/invoice-settings.server'
import { actorFor } from '~/models/shared/actor.server'
import type { FieldErrors } from '~/schemas/common'
import { requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'

const FIELDS = ['vatNumber', 'bankName', 'sortCode', 'accountNumber', 'accountName', 'remittanceAddress', 'remittanceEmail', 'daysToPay'] as const

function valuesFrom(form: FormData): InvoiceSettingsInput {
  const get = (k: string) => {
    const v = form.get(k)
    return typeof v === 'string' ? v.slice(0, 1000) : ''
  }
  return Object.fromEntries(FIELDS.map((k) => [k, get(k)])) as InvoiceSettingsInput
}

/** The browser checks the form with the rules saveInvoiceSettings applies (no zod on this page). */
const checkSettings = (form: FormData) => invoiceSettingsProblems(valuesFrom(form))

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const settings = await getInvoiceSettings(await getDb(), user.authorityId)
  return {
    values: {
      ...settings,
      vatNumber: settings.vatNumber ? formatVatNumber(settings.vatNumber) : '',
      sortCode: settings.sortCode ? formatSortCode(settings.sortCode) : '',
    },
    saved: new URL(request.url).searchParams.get('saved') === '1',
  }
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction = () => [{ title: 'Invoice settings – Buyback' }]

type ActionData = { errors: FieldErrors; values: InvoiceSettingsInput }

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const values = valuesFrom(await request.formData())
  const result = await saveInvoiceSettings(await getDb(), actorFor(user, request, context), values)
  if (!result.ok) return data<ActionData>({ errors: result.errors, values }, { status: 400 })
  return redirect('/la/admin/settings?saved=1')
}

export default function InvoiceSettingsPage() {
  const { values: loaded, saved } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const form = useValidatedForm({ check: checkSettings, serverErrors: actionData?.errors })
  const errors = form.errors ?? {}
  const values = actionData?.values ?? loaded
  return (
    <>
      <ErrorSummary errors={errors} order={[...FIELDS]} />
      {saved ? (
        <SuccessBanner titleId="saved-title" heading="Invoice settings saved">
          <p className="govuk-body">Invoices and emails from now on show them.</p>
        </SuccessBanner>
      ) : null}
      <span className="govuk-caption-l">Administration</span>
      <h1 className="govuk-heading-xl">Invoice settings</h1>
      <p className="govuk-body">What every invoice, credit note and billing email shows about VAT and how to pay.</p>
      <ValidatedForm form={form} method="post" noValidate>
        <TextInput
          name="vatNumber"
          label="VAT registration number"
          hint="GB followed by 9 digits, like GB 123 4567 89"
          width={20}
          defaultValue={values.vatNumber}
          error={errors.vatNumber}
        />
        <h2 className="govuk-heading-m">Bank account for payments</h2>
        <TextInput name="bankName" label="Bank" width={30} defaultValue={values.bankName} error={errors.bankName} />
        <TextInput name="accountName" label="Name on the account" width={30} defaultValue={values.accountName} error={errors.accountName} />
        <TextInput
          name="sortCode"
          label="Sort code"
          hint="6 digits, like 30-96-26"
          width={10}
          inputMode="numeric"
          defaultValue={values.sortCode}
          error={errors.sortCode}
        />
        <TextInput
          name="accountNumber"
          label="Account number"
          hint="8 digits"
          width={10}
          inputMode="numeric"
          defaultValue={values.accountNumber}
          error={errors.accountNumber}
        />
        <h2 className="govuk-heading-m">Remittances</h2>
        <div className={`govuk-form-group${errors.remittanceAddress ? ' govuk-form-group--error' : ''}`}>
          <label className="govuk-label" htmlFor="remittanceAddress">
            Address remittance advice is posted to
          </label>
          <ErrorMessage id="remittanceAddress-error" error={errors.remittanceAddress} />
          <textarea
            className={`govuk-textarea${errors.remittanceAddress ? ' govuk-textarea--error' : ''}`}
            id="remittanceAddress"
            name="remittanceAddress"
            rows={3}
            defaultValue={values.remittanceAddress}
            aria-describedby={errors.remittanceAddress ? 'remittanceAddress-error' : undefined}
          />
        </div>
        <TextInput
          name="remittanceEmail"
          label="Email address remittance advice is sent to"
          type="email"
          spellCheck={false}
          width={30}
          defaultValue={values.remittanceEmail}
          error={errors.remittanceEmail}
        />
        <h2 className="govuk-heading-m">Payment terms</h2>
        <TextInput
          name="daysToPay"
          label="Days schools have to pay an invoice"
          hint="From 1 to 120. Internal recharges are settled by their month’s journal."
          width={10}
          inputMode="numeric"
          defaultValue={values.daysToPay}
          error={errors.daysToPay}
        />
        <button type="submit" className="govuk-button">
          Save invoice settings
        </button>
      </ValidatedForm>
    </>
  )
}
