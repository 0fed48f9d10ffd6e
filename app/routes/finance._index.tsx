import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { FinanceNav } from '~/components/finance-nav'
import { clock } from '~/utils/clock'
import { monthOf } from '~/domain/invoicing'
import { formatPence } from '~/domain/money'
import { agedDebtReport } from '~/models/billing/aged-debt.server'
import { listJournals } from '~/models/billing/journals.server'
import { listUnallocatedPayments } from '~/models/billing/payments.server'
import { listUnmatchedTransactions } from '~/models/billing/reconciliation.server'
import { getRequestAuthority } from '~/utils/authority.server'
import { requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { isStripeConfigured } from '~/utils/stripe.server'

/** Finance's start page: what is owed, what is overdue, journals waiting to be posted, and what needs resolving. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['finance', 'la_admin'])
  const db = await getDb()
  const today = clock.today()
  const [authority, debt, journals, unmatched, unallocated] = await Promise.all([
    getRequestAuthority(db, request, user),
    agedDebtReport(db, user.authorityId, { asOf: today }),
    listJournals(db, user.authorityId),
    listUnmatchedTransactions(db, user.authorityId),
    listUnallocatedPayments(db, user.authorityId),
  ])
  const thisMonth = monthOf(today)
  return {
    authority: { name: authority.name },
    stripeConfigured: isStripeConfigured(),
    owedPence: debt.totals.totalPence,
    openInvoices: debt.totals.invoiceCount,
    overduePence: debt.totals.overduePence,
    journalsToPost: journals.filter((j) => j.status === 'open' && j.month < thisMonth).length,
    toResolve: unmatched.length + unallocated.length,
  }
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Finance – ${data?.authority.name ?? 'Buyback'}` }]

function Figure({ value, label }: { value: string; label: string }) {
  return (
    <div className="app-figure">
      <span className="app-figure__value">{value}</span>
      <span className="app-figure__label">{label}</span>
    </div>
  )
}

export default function Finance() {
  const d = useLoaderData<typeof loader>()
  return (
    <>
      <FinanceNav />
      <h1 className="govuk-heading-xl">Finance</h1>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-one-quarter">
          <Figure value={formatPence(d.owedPence)} label={`owed on ${d.openInvoices === 1 ? '1 invoice' : `${d.openInvoices} invoices`}`} />
        </div>
        <div className="govuk-grid-column-one-quarter">
          <Figure value={formatPence(d.overduePence)} label="overdue" />
        </div>
        <div className="govuk-grid-column-one-quarter">
          <Figure value={String(d.journalsToPost)} label={d.journalsToPost === 1 ? 'past journal to post' : 'past journals to post'} />
        </div>
        <div className="govuk-grid-column-one-quarter">
          <Figure value={String(d.toResolve)} label={d.toResolve === 1 ? 'payment to resolve' : 'payments to resolve'} />
        </div>
      </div>
      {d.stripeConfigured ? null : (
        <div className="govuk-inset-text">
          Stripe is not set up: academy invoices are issued here and payments are recorded by hand when remittances arrive.
        </div>
      )}
      <ul className="govuk-list">
        <li>
          <h2 className="govuk-heading-m govuk-!-margin-bottom-1">
            <Link className="govuk-link" to="/finance/invoices">
              Invoices
            </Link>
          </h2>
          <p className="govuk-body">Every invoice issued, by school, service, month and status, with a spreadsheet export.</p>
        </li>
        <li>
          <h2 className="govuk-heading-m govuk-!-margin-bottom-1">
            <Link className="govuk-link" to="/finance/journals">
              Recharge journals
            </Link>
          </h2>
          <p className="govuk-body">Maintained schools’ monthly internal recharge: download for the ledger, then mark as posted.</p>
        </li>
        <li>
          <h2 className="govuk-heading-m govuk-!-margin-bottom-1">
            <Link className="govuk-link" to="/finance/reconciliation">
              Reconciliation
            </Link>
          </h2>
          <p className="govuk-body">Stripe payouts, BACS remittances, and payments that do not match an invoice.</p>
        </li>
        <li>
          <h2 className="govuk-heading-m govuk-!-margin-bottom-1">
            <Link className="govuk-link" to="/finance/aged-debt">
              Aged debt
            </Link>
          </h2>
          <p className="govuk-body">What each school owes, by how long it is overdue.</p>
        </li>
      </ul>
    </>
  )
}
