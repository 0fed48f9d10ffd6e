import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { SubmitOnceForm } from '~/components/validated-form'
import { ImportantBanner } from '~/components/important-banner'
import { SuccessBanner } from '~/components/success-banner'
import { SummaryRow } from '~/components/summary-list'
import { WarningText } from '~/components/warning-text'
import { TableHead } from '~/components/table-head'
import { clock } from '~/utils/clock'
import { journalPostingProblem, monthParam, parseMonthParam, type JournalPostingProblem } from '~/domain/finance'
import { monthLabel, nextMonth } from '~/domain/invoicing'
import { formatPence } from '~/domain/money'
import { getJournal, postJournal } from '~/models/billing/journals.server'
import { PostJournalSchema } from '~/schemas/finance'
import { notFound, requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { formatDate } from '~/utils/format'
import { actorFor } from '~/models/shared/actor.server'

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['finance', 'la_admin'])
  const month = parseMonthParam(params.month)
  if (!month) throw notFound()
  const journal = await getJournal(await getDb(), user.authorityId, month)
  const today = clock.today()
  const documentCount = journal ? journal.invoiceCount + journal.creditNoteCount : 0
  return {
    month,
    journal,
    posted: new URL(request.url).searchParams.get('posted') === '1',
    canPost: user.roles.includes('finance'),
    problem: journalPostingProblem(journal ? { status: journal.status, month, documentCount } : null, today),
  }
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${monthLabel(data.month)} recharge journal – Finance – Buyback` : 'Page not found – Buyback' },
]

function problemText(problem: JournalPostingProblem, month: string, postedAt?: Date | string | null, postedBy?: string | null): string {
  switch (problem) {
    case 'posted':
      return `The ${monthLabel(month)} journal has already been posted${postedAt ? ` on ${formatDate(postedAt)}` : ''}${postedBy ? ` by ${postedBy}` : ''}. Nothing has been changed.`
    case 'not_started':
      return `The ${monthLabel(month)} journal can be posted from ${formatDate(month)}.`
    case 'empty':
    case 'missing':
      return `There is nothing in the ${monthLabel(month)} journal to post.`
  }
}

/** "Mark as posted": finance officers only (LA administrators see journals but do not post them). */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireRole(request, ['finance'])
  const month = parseMonthParam(params.month)
  if (!month) throw notFound()
  const form = Object.fromEntries(await request.formData())
  if (!PostJournalSchema.safeParse(form).success) {
    return data({ message: 'Use the “Mark as posted” button to post the journal.' }, { status: 400 })
  }
  try {
    const result = await postJournal(await getDb(), actorFor(user, request, context), month, clock.today())
    if (result.ok) return redirect(`/finance/journals/${monthParam(month)}?posted=1`)
    if (result.problem === 'missing') throw notFound()
    return data({ message: problemText(result.problem, month, result.postedAt, result.postedBy) }, { status: 409 })
  } catch (error) {
    // A lock not had within 5 seconds (or a deadlock) means someone else is changing these invoices.
    const code = (error as { code?: string } | null)?.code
    if (code === '55P03' || code === '40P01') {
      return data({ message: 'Someone else is changing this journal’s invoices. Nothing has been posted: try again in a moment.' }, { status: 503 })
    }
    throw error
  }
}

export default function JournalPage() {
  const { month, journal, posted, canPost, problem } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const posting = navigation.state === 'submitting'
  const slug = monthParam(month)
  return (
    <>
      <Link to="/finance/journals" className="govuk-back-link">
        Back to recharge journals
      </Link>
      {actionData?.message ? <ImportantBanner titleId="post-problem-title">{actionData.message}</ImportantBanner> : null}
      {posted && journal?.status === 'posted' ? (
        <SuccessBanner titleId="posted-title" heading={`The ${monthLabel(month)} journal is posted`}>
          <p className="govuk-body">
            Its invoices are paid. Anything charged by internal recharge from now on goes in the {monthLabel(nextMonth(month))} journal.
          </p>
        </SuccessBanner>
      ) : null}
      <span className="govuk-caption-l">Recharge journal</span>
      <h1 className="govuk-heading-xl">{monthLabel(month)}</h1>

      {!journal ? (
        <p className="govuk-body">Nothing has been charged by internal recharge in {monthLabel(month)}.</p>
      ) : (
        <>
          <dl className="govuk-summary-list">
            <SummaryRow label="Status">
              {journal.status === 'posted' ? (
                <strong className="govuk-tag govuk-tag--green">Posted</strong>
              ) : (
                <strong className="govuk-tag govuk-tag--blue">Open</strong>
              )}
            </SummaryRow>
            {journal.status === 'posted' ? (
              <SummaryRow label="Posted">
                {journal.postedAt ? formatDate(journal.postedAt) : 'Yes'}
                {journal.postedBy ? ` by ${journal.postedBy}` : ''}
              </SummaryRow>
            ) : null}
            <SummaryRow label="Invoices">{journal.invoiceCount}</SummaryRow>
            <SummaryRow label="Credit notes">{journal.creditNoteCount}</SummaryRow>
            <SummaryRow label="Total">{formatPence(journal.totalPence)}</SummaryRow>
          </dl>

          {journal.lines.length > 0 ? (
            <p className="govuk-body">
              <a className="govuk-link" href={`/finance/journals/${slug}.csv`} download>
                Download CSV<span className="govuk-visually-hidden"> of the {monthLabel(month)} journal</span>
              </a>
            </p>
          ) : null}

          <h2 className="govuk-heading-l" id="lines-heading">
            Lines
          </h2>
          {journal.lines.length === 0 ? (
            <p className="govuk-body">This journal has no lines.</p>
          ) : (
            <div className="app-table-scroll" role="region" aria-labelledby="lines-heading" tabIndex={0}>
              <table className="govuk-table app-table--compact">
                <caption className="govuk-visually-hidden">The journal’s lines by school: invoices, and credit notes as negative amounts</caption>
                <TableHead columns={['School', 'Service', 'Document', 'Description', { label: 'Amount', numeric: true }]} />
                <tbody className="govuk-table__body">
                  {journal.lines.map((line, i) => (
                    <tr key={i} className="govuk-table__row">
                      <td className="govuk-table__cell">
                        {line.schoolName}
                        <span className="app-table__secondary">
                          URN {line.urn}
                          {line.costCentre ? `, cost centre ${line.costCentre}` : ', no cost centre'}
                        </span>
                      </td>
                      <td className="govuk-table__cell">
                        {line.serviceName}
                        <span className="app-table__secondary">{line.incomeCode ? `Income code ${line.incomeCode}` : 'No income code'}</span>
                      </td>
                      <td className="govuk-table__cell app-nowrap">
                        <Link className="govuk-link" to={`/finance/invoices/${line.invoiceId}`}>
                          {line.documentNumber}
                        </Link>
                        {line.kind === 'credit_note' ? <span className="app-table__secondary">Credit note</span> : null}
                      </td>
                      <td className="govuk-table__cell">{line.description}</td>
                      <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(line.amountPence)}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr className="govuk-table__row">
                    <th scope="row" colSpan={4} className="govuk-table__header">
                      Total
                    </th>
                    <td className="govuk-table__cell govuk-table__cell--numeric app-table__total">{formatPence(journal.totalPence)}</td>
                  </tr>
                </tfoot>
              </table>
            </div>
          )}

          {canPost && journal.status === 'open' ? (
            <div className="app-no-print">
              <h2 className="govuk-heading-l">Post this journal</h2>
              {problem ? (
                <p className="govuk-body">{problemText(problem, month)}</p>
              ) : (
                <SubmitOnceForm method="post">
                  <WarningText>
                    Only mark the journal as posted once it has been entered in the council’s ledger. Its invoices will be marked as paid, and
                    anything charged from now on will go in the {monthLabel(nextMonth(month))} journal. You cannot undo this.
                  </WarningText>
                  <button
                    type="submit"
                    name="intent"
                    value="post"
                    className="govuk-button"
                    data-module="govuk-button"
                    data-prevent-double-click="true"
                    disabled={posting}
                  >
                    Mark as posted
                  </button>
                </SubmitOnceForm>
              )}
            </div>
          ) : null}
        </>
      )}
    </>
  )
}
