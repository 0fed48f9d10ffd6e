import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { useValidatedForm, ValidatedForm } from '~/components/validated-form'
import { DateInput } from '~/components/date-input'
import { ErrorSummary } from '~/components/forms'
import { RenewalStatusTag } from '~/components/renewal-status-tag'
import { SuccessBanner } from '~/components/success-banner'
import { SummaryRow } from '~/components/summary-list'
import { TableHead } from '~/components/table-head'
import { longDate } from '~/domain/dates'
import { tradingYearLabel } from '~/domain/trading-year'
import { listProposals } from '~/models/renewals/follow-up.server'
import { getRenewalWindow, proposalCounts, saveRenewalWindow } from '~/models/renewals/window.server'
import { renewalYear } from '~/models/renewals/year.server'
import { RenewalWindowSchema, windowFormValues } from '~/schemas/renewals'
import { requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { formatDate } from '~/utils/format'
import { type FieldErrors } from '~/schemas/common'
import { actorFor } from '~/models/shared/actor.server'

/**
 * /la/admin/renewals: the LA administrator sets next year's
 * renewal window and opens it ("Open renewals", or the daily job on the
 * opening day), and follows the answers.
 */

function split(iso: string | undefined) {
  if (!iso) return { day: '', month: '', year: '' }
  const [year, month, day] = iso.split('-')
  return { day: String(Number(day)), month: String(Number(month)), year: year ?? '' }
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const db = await getDb()
  const { year } = await renewalYear(db, user.authorityId)
  const [window, counts, proposals] = await Promise.all([
    getRenewalWindow(db, user.authorityId, year),
    proposalCounts(db, user.authorityId, year),
    listProposals(db, user.authorityId, year),
  ])
  const url = new URL(request.url)
  const opened = url.searchParams.get('opened')
  return {
    year,
    window,
    counts,
    proposals,
    saved: url.searchParams.get('saved') === '1',
    opened: opened !== null && /^\d+$/.test(opened) ? Number(opened) : null,
  }
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction = () => [{ title: 'Renewals – Buyback' }]

type DateValues = { day: string; month: string; year: string }
type ActionData = { errors: FieldErrors; values: { opensOn: DateValues; closesOn: DateValues } }

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const values = windowFormValues(await request.formData())
  const parsed = RenewalWindowSchema.safeParse(values)
  const formValues = { opensOn: values.opensOn, closesOn: values.closesOn }
  if (!parsed.success) {
    const errors: FieldErrors = {}
    for (const issue of parsed.error.issues) {
      const key = issue.path[0] === 'opensOn' ? 'opensOnDay' : issue.path[0] === 'closesOn' ? 'closesOnDay' : 'opensOnDay'
      errors[key] ??= issue.message
    }
    return data<ActionData>({ errors, values: formValues }, { status: 400 })
  }
  const db = await getDb()
  const { year } = await renewalYear(db, user.authorityId)
  const result = await saveRenewalWindow(db, actorFor(user, request, context), {
    tradingYear: year,
    opensOn: parsed.data.opensOn,
    closesOn: parsed.data.closesOn,
    open: parsed.data.intent === 'open',
  })
  if (!result.ok) {
    const errors: FieldErrors = {}
    for (const p of result.problems) errors[`${p.field}Day`] ??= p.message
    return data<ActionData>({ errors, values: formValues }, { status: 400 })
  }
  return redirect(result.opened ? `/la/admin/renewals?opened=${result.opened.created}` : '/la/admin/renewals?saved=1', 303)
}

export default function AdminRenewals() {
  const { year, window, counts, proposals, saved, opened } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const busy = useNavigation().state === 'submitting'
  // The action's schema; its issues show at the day field of their date, as the action puts them.
  const form = useValidatedForm({
    schema: RenewalWindowSchema,
    values: windowFormValues,
    serverErrors: actionData?.errors,
    key: (name) => (name === 'closesOn' ? 'closesOnDay' : 'opensOnDay'),
  })
  const errors = form.errors
  const label = tradingYearLabel(year)
  const values = actionData?.values ?? { opensOn: split(window?.opensOn), closesOn: split(window?.closesOn) }
  const opening = !window?.openedAt
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-full">
        <ErrorSummary errors={errors} order={['opensOnDay', 'closesOnDay']} />
        {opened !== null && !actionData ? (
          <SuccessBanner titleId="opened-title" heading={`Renewals for ${label} are open`}>
            <p className="govuk-body">
              {opened === 1 ? '1 school was' : `${opened} schools were`} sent a proposal. Schools that already had one kept it.
            </p>
          </SuccessBanner>
        ) : null}
        {saved && !actionData ? <SuccessBanner titleId="saved-title" heading="Dates saved" /> : null}
        <span className="govuk-caption-l">Administration</span>
        <h1 className="govuk-heading-xl">Renewals for {label}</h1>
        <p className="govuk-body">
          When renewals open, every school that bought services this year gets a proposal for {label} made from its confirmed orders, at {label}{' '}
          prices, and its business managers are emailed. Schools can change the proposal, then accept it (it becomes an order) or decline it, until
          the closing date. Proposals not answered by then lapse.
        </p>

        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            {window ? (
              <dl className="govuk-summary-list">
                <SummaryRow label="Opens">{longDate(window.opensOn)}</SummaryRow>
                <SummaryRow label="Closes">{longDate(window.closesOn)}</SummaryRow>
                <SummaryRow label="Status">
                  {window.openedAt
                    ? `Opened on ${formatDate(window.openedAt)}${window.state === 'closed' ? ', now closed' : ''}`
                    : window.state === 'scheduled'
                      ? 'Not open yet: opens automatically on the opening date'
                      : 'Not open yet'}
                </SummaryRow>
              </dl>
            ) : (
              <p className="govuk-body">No dates are set for {label} yet.</p>
            )}

            <ValidatedForm form={form} method="post" noValidate>
              <h2 className="govuk-heading-m">{window ? 'Change the dates' : 'Set the dates'}</h2>
              <DateInput
                name="opensOn"
                legend="Opening date"
                hint={`For example, 2 11 ${year - 1}`}
                values={values.opensOn}
                error={errors?.opensOnDay}
              />
              <DateInput
                name="closesOn"
                legend="Closing date"
                hint={`After the opening date, and no later than 31 3 ${year}. A date that has passed closes renewals at once: proposals not yet answered lapse.`}
                values={values.closesOn}
                error={errors?.closesOnDay}
              />
              <div className="govuk-button-group">
                {opening ? (
                  <button
                    type="submit"
                    name="intent"
                    value="open"
                    className="govuk-button"
                    data-module="govuk-button"

                    disabled={busy}
                  >
                    Open renewals
                  </button>
                ) : null}
                <button
                  type="submit"
                  name="intent"
                  value="save"
                  className={`govuk-button${opening ? ' govuk-button--secondary' : ''}`}
                  data-module="govuk-button"
                  disabled={busy}
                >
                  Save dates
                </button>
              </div>
            </ValidatedForm>
          </div>
        </div>

        <h2 className="govuk-heading-l">Proposals</h2>
        <ul className="govuk-list">
          <li>{counts.total} proposals</li>
          <li>{counts.open} waiting for an answer</li>
          <li>{counts.accepted} accepted</li>
          <li>{counts.declined} declined</li>
          <li>{counts.lapsed} lapsed</li>
        </ul>
        {window?.openedAt ? (
          <p className="govuk-body">
            <Link className="govuk-link" to={`/la/trading?year=${year}#renewals`}>
              Follow up lapsed and declined schools on the trading page
            </Link>
          </p>
        ) : null}
        {proposals.length ? (
          <table className="govuk-table">
            <caption className="govuk-table__caption govuk-table__caption--m">Each school’s answer</caption>
            <TableHead columns={['School', 'Status', 'Details']} />
            <tbody className="govuk-table__body">
              {proposals.map((p) => (
                <tr key={p.id} className="govuk-table__row">
                  <th scope="row" className="govuk-table__header">
                    <Link className="govuk-link" to={`/la/admin/renewals/${p.id}`}>
                      {p.school_name}
                    </Link>
                  </th>
                  <td className="govuk-table__cell">
                    <RenewalStatusTag status={p.status} />
                  </td>
                  <td className="govuk-table__cell">
                    {p.status === 'accepted' && p.order_id ? (
                      <Link className="govuk-link" to={`/orders/${p.order_id}`}>
                        Order {p.order_reference}
                      </Link>
                    ) : p.status === 'declined' ? (
                      p.decline_reason
                    ) : p.status === 'lapsed' && p.lapsed_at ? (
                      `Lapsed on ${formatDate(p.lapsed_at)}`
                    ) : (
                      ''
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
    </div>
  )
}
