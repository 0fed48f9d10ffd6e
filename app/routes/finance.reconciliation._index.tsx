import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { FinanceNav } from '~/components/finance-nav'
import { ImportantBanner } from '~/components/important-banner'
import { SuccessBanner } from '~/components/success-banner'
import { TableHead } from '~/components/table-head'
import { clock } from '~/utils/clock'
import { invoiceTag } from '~/domain/finance'
import { formatPence } from '~/domain/money'
import { listStripeJobProblems, retryStripeJob, type StripeJobProblem } from '~/models/billing/finance-jobs.server'
import { describeAllocation, getPayment, listUnallocatedPayments } from '~/models/billing/payments.server'
import { listPayouts, listUnmatchedTransactions, openInvoices } from '~/models/billing/reconciliation.server'
import { RetryJobSchema, STRIPE_QUEUE_NAMES } from '~/schemas/finance'
import { INVOICE_STATUS_TAGS } from '~/schemas/order-labels'
import { getRequestAuthority } from '~/utils/authority.server'
import { requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { formatDate } from '~/utils/format'
import { isStripeConfigured } from '~/utils/stripe.server'
import { isUuid } from '~/schemas/common'
import { actorFor } from '~/models/shared/actor.server'

const OPEN_INVOICES_SHOWN = 20

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['finance', 'la_admin'])
  const db = await getDb()
  const params = new URL(request.url).searchParams
  const recordedId = (params.get('recorded') ?? '').toLowerCase()
  const [authority, payouts, unmatched, unallocated, open, recorded, jobs] = await Promise.all([
    getRequestAuthority(db, request, user),
    listPayouts(db, user.authorityId),
    listUnmatchedTransactions(db, user.authorityId),
    listUnallocatedPayments(db, user.authorityId),
    openInvoices(db, user.authorityId, OPEN_INVOICES_SHOWN),
    isUuid(recordedId) ? getPayment(db, user.authorityId, recordedId) : Promise.resolve(undefined),
    // The job queue being unreachable must not take the page down with it.
    listStripeJobProblems(db, user.authorityId).then(
      (list) => ({ ok: true as const, list }),
      (error: unknown) => {
        console.warn('Could not list failed Stripe jobs:', error instanceof Error ? error.message : error)
        return { ok: false as const, list: [] as StripeJobProblem[] }
      },
    ),
  ])
  return {
    authority: { name: authority.name },
    stripeConfigured: isStripeConfigured(),
    canRecord: user.roles.includes('finance'),
    today: clock.today(),
    payouts,
    unmatched,
    unallocated,
    open,
    recorded: recorded ? { ...recorded, summary: describeAllocation(recorded) } : null,
    retried: params.get('retried') === '1',
    resolved: (params.get('resolved') ?? '').slice(0, 300),
    jobs,
  }
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Reconciliation – ${data?.authority.name ?? 'Buyback'}` }]

/** Retry a Stripe job that failed: finance officers only. */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, ['finance'])
  const parsed = RetryJobSchema.safeParse(Object.fromEntries(await request.formData()))
  if (!parsed.success) return data({ message: 'Use a “Retry” button to try a failed job again.' }, { status: 400 })
  const outcome = await retryStripeJob(await getDb(), actorFor(user, request, context), parsed.data.queue, parsed.data.jobId)
  if (outcome === 'retried') return redirect('/finance/reconciliation?retried=1')
  if (outcome === 'not_failed') {
    return data({ message: 'That job is already being tried again. Nothing has been changed.' }, { status: 409 })
  }
  return data({ message: 'That job could not be found. It may have finished since the page was opened.' }, { status: 404 })
}

function Tag({ label, colour }: { label: string; colour: string }) {
  return <strong className={`govuk-tag govuk-tag--${colour}`}>{label}</strong>
}

const METHOD_NAMES = { stripe: 'Stripe', bacs: 'BACS', journal: 'Journal', manual: 'Manual' } as const

export default function Reconciliation() {
  const { stripeConfigured, canRecord, today, payouts, unmatched, unallocated, open, recorded, retried, resolved, jobs } =
    useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  return (
    <>
      <FinanceNav />
      {actionData?.message ? <ImportantBanner titleId="retry-problem-title">{actionData.message}</ImportantBanner> : null}
      {recorded ? (
        <SuccessBanner titleId="recorded-title" heading={`Remittance of ${formatPence(recorded.amountPence)} recorded`}>
          <p className="govuk-body">
            {recorded.schoolName ? `From ${recorded.schoolName}. ` : ''}
            {recorded.summary ? `${recorded.summary.charAt(0).toUpperCase()}${recorded.summary.slice(1)}.` : null}
          </p>
        </SuccessBanner>
      ) : null}
      {resolved ? (
        <SuccessBanner titleId="resolved-title" heading={resolved}>
          <p className="govuk-body">The invoices and the payment below show it.</p>
        </SuccessBanner>
      ) : null}
      {retried ? (
        <SuccessBanner titleId="retried-title" heading="The job will be tried again">
          <p className="govuk-body">It runs again within a minute. Check back here to see whether it worked.</p>
        </SuccessBanner>
      ) : null}
      <span className="govuk-caption-l">Finance</span>
      <h1 className="govuk-heading-xl">Reconciliation</h1>

      {stripeConfigured ? (
        <div className="govuk-inset-text">
          Stripe is set up: academies’ invoices are sent and paid through Stripe, and its payouts are matched to them here.
        </div>
      ) : (
        <div className="govuk-inset-text">
          Stripe is not set up: academy invoices are issued here and payments are recorded by hand when remittances arrive.
        </div>
      )}

      {canRecord ? (
        <Link to="/finance/reconciliation/remittance" className="govuk-button" role="button" draggable="false">
          Record a BACS remittance
        </Link>
      ) : null}

      <h2 className="govuk-heading-l">Stripe payouts</h2>
      {payouts.length === 0 ? (
        <p className="govuk-body">No payouts from Stripe yet.</p>
      ) : (
        <div className="app-table-scroll" role="region" aria-label="Stripe payouts" tabIndex={0}>
          <table className="govuk-table app-table--compact">
            <caption className="govuk-visually-hidden">Stripe payouts, newest first</caption>
            <TableHead
              columns={[
                'Arrival date',
                'Payout',
                { label: 'Amount', numeric: true },
                { label: 'Matched', numeric: true },
                { label: 'Unmatched', numeric: true },
                'Status',
              ]}
            />
            <tbody className="govuk-table__body">
              {payouts.map((p) => (
                <tr key={p.id} className="govuk-table__row">
                  <td className="govuk-table__cell">{formatDate(p.arrivalDate)}</td>
                  <th scope="row" className="govuk-table__header app-nowrap">
                    <Link className="govuk-link" to={`/finance/reconciliation/payouts/${p.id}`}>
                      {p.stripePayoutId}
                    </Link>
                  </th>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(p.amountPence)}</td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">
                    {p.matchedCount} of {p.transactionCount}
                    <span className="app-table__secondary">{formatPence(p.matchedPence)}</span>
                  </td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{p.unmatchedCount}</td>
                  <td className="govuk-table__cell">
                    {p.unmatchedCount === 0 && p.reconciledAt ? (
                      <Tag label="Reconciled" colour="green" />
                    ) : p.unmatchedCount > 0 ? (
                      <Tag label="To resolve" colour="orange" />
                    ) : (
                      <Tag label={p.status === 'paid' ? 'Paid' : p.status} colour="grey" />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2 className="govuk-heading-l">Unmatched</h2>

      <h3 className="govuk-heading-m" id="unmatched-heading">
        Stripe transactions with no payment
      </h3>
      {unmatched.length === 0 ? (
        <p className="govuk-body">None: every transaction in Stripe’s payouts matches a payment.</p>
      ) : (
        <div className="app-table-scroll" role="region" aria-labelledby="unmatched-heading" tabIndex={0}>
          <table className="govuk-table app-table--compact">
            <caption className="govuk-visually-hidden">Stripe balance transactions with no matching payment</caption>
            <TableHead columns={['Transaction', 'Payout', 'Type', 'Description', { label: 'Amount', numeric: true }]} />
            <tbody className="govuk-table__body">
              {unmatched.map((t) => (
                <tr key={t.balanceTransactionId} className="govuk-table__row">
                  <th scope="row" className="govuk-table__header app-nowrap">
                    {t.balanceTransactionId}
                  </th>
                  <td className="govuk-table__cell app-nowrap">
                    <Link className="govuk-link" to={`/finance/reconciliation/payouts/${t.payoutId}`}>
                      {t.stripePayoutId}
                    </Link>
                    <span className="app-table__secondary">{formatDate(t.arrivalDate)}</span>
                  </td>
                  <td className="govuk-table__cell">{t.type}</td>
                  <td className="govuk-table__cell">{t.description ?? ''}</td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(t.amountPence)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h3 className="govuk-heading-m" id="unallocated-heading">
        Payments not allocated to invoices
      </h3>
      {unallocated.length === 0 ? (
        <p className="govuk-body">None: every payment received is allocated to invoices.</p>
      ) : (
        <div className="app-table-scroll" role="region" aria-labelledby="unallocated-heading" tabIndex={0}>
          <table className="govuk-table app-table--compact">
            <caption className="govuk-visually-hidden">Payments with an amount not allocated to any invoice, oldest first</caption>
            <TableHead
              columns={['Received', 'From', 'Reference', 'Allocated to', { label: 'Amount', numeric: true }, { label: 'Unallocated', numeric: true }]}
            />
            <tbody className="govuk-table__body">
              {unallocated.map((p) => (
                <tr key={p.id} className="govuk-table__row">
                  <td className="govuk-table__cell">{formatDate(p.receivedOn)}</td>
                  <td className="govuk-table__cell">
                    {p.schoolName ?? 'Not known'}
                    <span className="app-table__secondary">{METHOD_NAMES[p.method]}</span>
                  </td>
                  <td className="govuk-table__cell">{p.reference ?? ''}</td>
                  <td className="govuk-table__cell">
                    {p.allocations.length === 0
                      ? 'Nothing'
                      : p.allocations.map((a, i) => (
                          <span key={a.invoiceId}>
                            {i > 0 ? ', ' : ''}
                            <Link className="govuk-link" to={`/finance/invoices/${a.invoiceId}`}>
                              {a.number}
                            </Link>{' '}
                            ({formatPence(a.amountPence)})
                          </span>
                        ))}
                  </td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(p.amountPence)}</td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">
                    <strong>{formatPence(p.unallocatedPence)}</strong>
                    {canRecord && p.schoolName ? (
                      <span className="app-table__secondary">
                        <Link className="govuk-link" to={`/finance/reconciliation/payments/${p.id}`}>
                          Allocate or refund<span className="govuk-visually-hidden"> the payment {p.reference ?? ''}</span>
                        </Link>
                      </span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h3 className="govuk-heading-m" id="open-heading">
        Open invoices
      </h3>
      <p className="govuk-body">
        {open.count === 0
          ? 'No invoice is waiting to be paid.'
          : `${open.count === 1 ? '1 invoice is' : `${open.count} invoices are`} waiting to be paid: ${formatPence(open.outstandingPence)} in all.`}
        {open.count > open.oldest.length ? (
          <>
            {' '}
            <Link className="govuk-link" to="/finance/invoices?status=open">
              See all open invoices
            </Link>
          </>
        ) : null}
      </p>
      {open.oldest.length > 0 ? (
        <div className="app-table-scroll" role="region" aria-labelledby="open-heading" tabIndex={0}>
          <table className="govuk-table app-table--compact">
            <caption className="govuk-visually-hidden">
              {open.count > open.oldest.length ? `The ${open.oldest.length} open invoices due first` : 'Open invoices, due first at the top'}
            </caption>
            <TableHead columns={['Invoice', 'School', 'Due', 'Status', { label: 'Outstanding', numeric: true }]} />
            <tbody className="govuk-table__body">
              {open.oldest.map((i) => (
                <tr key={i.id} className="govuk-table__row">
                  <th scope="row" className="govuk-table__header app-nowrap">
                    <Link className="govuk-link" to={`/finance/invoices/${i.id}`}>
                      {i.number}
                    </Link>
                  </th>
                  <td className="govuk-table__cell">{i.schoolName}</td>
                  <td className="govuk-table__cell">{formatDate(i.dueOn)}</td>
                  <td className="govuk-table__cell">
                    <Tag {...INVOICE_STATUS_TAGS[invoiceTag(i, today)]} />
                  </td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(i.outstandingPence)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}

      <h2 className="govuk-heading-l" id="jobs-heading">
        Stripe work that failed
      </h2>
      {!jobs.ok ? (
        <p className="govuk-body">The job queue cannot be reached just now, so failed work cannot be listed. Try again later.</p>
      ) : jobs.list.length === 0 ? (
        <p className="govuk-body">Nothing has failed.</p>
      ) : (
        <div className="app-table-scroll" role="region" aria-labelledby="jobs-heading" tabIndex={0}>
          <table className="govuk-table app-table--compact">
            <caption className="govuk-visually-hidden">Stripe jobs that failed or are being tried again, newest first</caption>
            <thead className="govuk-table__head">
              <tr className="govuk-table__row">
                <th scope="col" className="govuk-table__header">
                  What
                </th>
                <th scope="col" className="govuk-table__header">
                  Problem
                </th>
                <th scope="col" className="govuk-table__header">
                  Status
                </th>
                {canRecord ? (
                  <th scope="col" className="govuk-table__header">
                    <span className="govuk-visually-hidden">Action</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody className="govuk-table__body">
              {jobs.list.map((job) => (
                <tr key={job.id} className="govuk-table__row">
                  <th scope="row" className="govuk-table__header">
                    {job.invoiceId ? (
                      <Link className="govuk-link" to={`/finance/invoices/${job.invoiceId}`}>
                        {job.subject}
                      </Link>
                    ) : (
                      job.subject
                    )}
                    <span className="app-table__secondary">{STRIPE_QUEUE_NAMES[job.queue]}</span>
                  </th>
                  <td className="govuk-table__cell app-break-anywhere">{job.error ?? 'No message'}</td>
                  <td className="govuk-table__cell">
                    {job.state === 'failed' ? <Tag label="Failed" colour="red" /> : <Tag label="Trying again" colour="yellow" />}
                    <span className="app-table__secondary">
                      {job.retryCount} {job.retryCount === 1 ? 'retry' : 'retries'}
                      {job.failedOn ? `, gave up ${formatDate(job.failedOn)}` : ''}
                    </span>
                  </td>
                  {canRecord ? (
                    <td className="govuk-table__cell">
                      {job.state === 'failed' ? (
                        <Form method="post">
                          <input type="hidden" name="intent" value="retry" />
                          <input type="hidden" name="queue" value={job.queue} />
                          <input type="hidden" name="jobId" value={job.id} />
                          <button type="submit" className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0">
                            Retry<span className="govuk-visually-hidden"> {job.subject}</span>
                          </button>
                        </Form>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  )
}
