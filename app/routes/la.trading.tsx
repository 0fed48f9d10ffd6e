import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { SubmitOnceForm } from '~/components/validated-form'
import { formatGap, formatPercent, percentOf } from '~/components/figures'
import { ErrorSummary, SelectField } from '~/components/forms'
import { IncomeChart } from '~/components/income-chart'
import { pageHref, Pagination } from '~/components/pagination'
import { RenewalFollowUp } from '~/components/renewal-follow-up'
import { SchoolContact } from '~/components/school-contact'
import { SuccessBanner } from '~/components/success-banner'
import { SummaryRow } from '~/components/summary-list'
import { TableHead } from '~/components/table-head'
import { tradingYearLabel } from '~/domain/trading-year'
import { renewalFollowUp } from '~/models/renewals/follow-up.server'
import { queueRenewalEmail } from '~/models/renewals/lapsed-school-email.server'
import { loadTradingPage } from '~/models/trading/trading.server'
import { RENEWAL_INTENT, RenewalEmailSchema } from '~/schemas/trading'
import { forbidden, notFound } from '~/utils/auth.server'
import { formatDate, formatPoundsRounded, phaseName } from '~/utils/format'
import { tradingRequest } from '~/models/trading/la-reports.server'
import { actorFor } from '~/models/shared/actor.server'
import { isNotFound } from '~/models/shared/results'

const LAPSED_PER_PAGE = 20

export async function loader({ request }: LoaderFunctionArgs) {
  const t = await tradingRequest(request)
  const params = new URL(request.url).searchParams
  const page = await loadTradingPage(t.db, t.scope, {
    tradingYear: t.tradingYear,
    services: t.selected,
    startMonth: t.authority.financialYearStartMonth,
  })
  const lapsedPageCount = Math.max(1, Math.ceil(page.lapsed.length / LAPSED_PER_PAGE))
  const requestedPage = Number.parseInt(params.get('page') ?? '1', 10)
  const lapsedPage = Number.isInteger(requestedPage) && requestedPage >= 1 && requestedPage <= lapsedPageCount ? requestedPage : 1
  const [emailedSchool, emailedService] = (params.get('emailed') ?? '').split('.')
  const emailed = page.lapsed.find((l) => l.schoolId === emailedSchool && t.selected.find((s) => s.id === l.serviceId)?.slug === emailedService)
  const query = new URLSearchParams(Object.entries(t.values).filter(([, v]) => v !== ''))
  const renewalScope = t.scope.kind === 'authority' && t.values.service === '' ? 'all' : t.selected.map((s) => s.id)
  const [renewals, nextRenewals] = await Promise.all([
    renewalFollowUp(t.db, t.authority.id, t.tradingYear, renewalScope),
    t.years.includes(t.tradingYear + 1) ? renewalFollowUp(t.db, t.authority.id, t.tradingYear + 1, renewalScope) : null,
  ])
  return {
    authorityName: t.authority.name,
    isAdmin: t.scope.kind === 'authority',
    values: t.values,
    errors: t.errors,
    yearOptions: t.years.map((y) => ({ value: String(y), label: tradingYearLabel(y) })),
    serviceOptions: t.services.map((s) => ({ value: s.slug, label: s.name })),
    slugOf: Object.fromEntries(t.services.map((s) => [s.id, s.slug])),
    yearLabel: tradingYearLabel(t.tradingYear),
    lastYearLabel: tradingYearLabel(t.tradingYear - 1),
    csvHref: `/la/trading.csv${query.size ? `?${query}` : ''}`,
    page: { ...page, lapsed: page.lapsed.slice((lapsedPage - 1) * LAPSED_PER_PAGE, lapsedPage * LAPSED_PER_PAGE) },
    renewals,
    nextRenewals: nextRenewals
      ? { counts: nextRenewals.counts, yearLabel: tradingYearLabel(t.tradingYear + 1), year: String(t.tradingYear + 1) }
      : null,
    lapsedTotal: page.lapsed.length,
    lapsedPage,
    lapsedPageCount,
    emailed: emailed
      ? { schoolName: emailed.schoolName, serviceName: emailed.serviceName, again: params.get('again') === '1', at: emailed.emailedAt }
      : null,
  }
}

type ActionData = { errors: { lapsed: string } }

export async function action({ request, context }: ActionFunctionArgs) {
  const t = await tradingRequest(request)
  const form = await request.formData()
  const parsed = RenewalEmailSchema.safeParse({
    intent: form.get('intent'),
    schoolId: form.get('schoolId'),
    service: form.get('service'),
    year: form.get('year'),
  })
  if (!parsed.success) {
    return data<ActionData>({ errors: { lapsed: 'Choose a school to email from the list of lapsed schools' } }, { status: 400 })
  }
  const service = t.services.find((s) => s.slug === parsed.data.service)
  if (!service) throw t.user.roles.includes('la_admin') ? notFound() : forbidden()
  if (parsed.data.year !== t.tradingYear) {
    return data<ActionData>({ errors: { lapsed: 'Choose a school to email from the list of lapsed schools' } }, { status: 400 })
  }
  const result = await queueRenewalEmail(t.db, actorFor(t.user, request, context), {
    schoolId: parsed.data.schoolId,
    service,
    tradingYear: t.tradingYear,
    authorityName: t.authority.name,
  })
  if (!result.ok) {
    if (isNotFound(result)) throw notFound()
    const message =
      result.reason === 'no-email'
        ? 'This school has no email address. Add one on the school’s page, or phone them.'
        : 'This school is no longer lapsed: it has ordered this service this year.'
    return data<ActionData>({ errors: { lapsed: message } }, { status: result.reason === 'no-email' ? 400 : 409 })
  }
  const query = new URLSearchParams(Object.entries(t.values).filter(([, v]) => v !== ''))
  query.set('emailed', `${parsed.data.schoolId}.${service.slug}`)
  if (!result.created) query.set('again', '1')
  return redirect(`/la/trading?${query}#lapsed`)
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  const errors = data && Object.keys(data.errors).length > 0
  return [{ title: `${errors ? 'Error: ' : ''}Trading income ${data?.yearLabel ?? ''} – ${data?.authorityName ?? 'Buyback'} – Buyback` }]
}

const MONTH = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' })
const MONTH_YEAR = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' })

export default function Trading() {
  const d = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const { page, values } = d
  const single = values.service !== ''
  const scopeName = single ? (page.services[0]?.name ?? '') : d.isAdmin ? `${d.authorityName}, all services` : 'Your services'
  const months = page.months.map((m) => ({
    ...m,
    label: MONTH.format(new Date(`${m.month}T00:00:00Z`)),
    long: MONTH_YEAR.format(new Date(`${m.month}T00:00:00Z`)),
  }))
  const overall = page.buyBack.overall
  const params = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''))

  return (
    <>
      <ErrorSummary errors={{ ...d.errors, ...actionData?.errors }} focus={Boolean(actionData)} />
      {d.emailed ? (
        <SuccessBanner
          titleId="emailed-title"
          heading={d.emailed.again ? `${d.emailed.schoolName} has already been emailed` : `Email to ${d.emailed.schoolName} queued`}
        >
          <p className="govuk-body">
            {d.emailed.again
              ? `The email about renewing ${d.emailed.serviceName} was queued on ${d.emailed.at ? formatDate(d.emailed.at) : 'an earlier day'}. Nothing new was sent.`
              : `We will email ${d.emailed.schoolName} about renewing ${d.emailed.serviceName} for ${d.yearLabel}.`}
          </p>
        </SuccessBanner>
      ) : null}

      <span className="govuk-caption-l">Trading, {d.yearLabel}</span>
      <h1 className="govuk-heading-xl">Trading income against targets</h1>

      <Form key={JSON.stringify(values)} method="get" className="app-filters" aria-label="Choose the year and services">
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-quarter">
            <SelectField name="year" label="Trading year" value={values.year} error={d.errors.year} options={d.yearOptions} />
          </div>
          <div className="govuk-grid-column-one-half">
            <SelectField
              name="service"
              label="Service"
              value={values.service}
              error={d.errors.service}
              options={[{ value: '', label: d.isAdmin ? 'All services' : 'All your services' }, ...d.serviceOptions]}
            />
          </div>
        </div>
        <button type="submit" className="govuk-button govuk-!-margin-bottom-0" data-module="govuk-button">
          Show figures
        </button>
      </Form>

      {page.services.length === 0 ? (
        <p className="govuk-body">You do not lead any services yet. Ask your LA administrator to add you as a service’s lead.</p>
      ) : (
        <>
          <h2 className="govuk-heading-l">{scopeName}</h2>
          <dl className="govuk-summary-list">
            <SummaryRow label="Income target">{formatPoundsRounded(page.total.targetPence)}</SummaryRow>
            <SummaryRow label="Income booked">
              {formatPoundsRounded(page.total.bookedPence)} ({percentOf(page.total.bookedPence, page.total.targetPence)} of target)
            </SummaryRow>
            <SummaryRow label="Gap against target">{formatGap(page.total.gapPence)}</SummaryRow>
            <SummaryRow label="Invoiced">{formatPoundsRounded(page.total.invoicedPence)}</SummaryRow>
            <SummaryRow label="Paid">{formatPoundsRounded(page.total.paidPence)}</SummaryRow>
            <SummaryRow label={`Booked in ${d.lastYearLabel}`}>{formatPoundsRounded(page.total.bookedLastYearPence)}</SummaryRow>
            <SummaryRow label="Buy-back">
              {formatPercent(overall.percent)} of schools ({overall.buyers} of {overall.eligible}); {formatPercent(overall.lastYearPercent)} in{' '}
              {d.lastYearLabel}
            </SummaryRow>
          </dl>
          <p className="govuk-body">
            <a className="govuk-link" href={d.csvHref} download>
              Download these figures as a spreadsheet (CSV)
            </a>
          </p>

          <h2 className="govuk-heading-l" id="income-by-month">
            Income booked through the year
          </h2>
          <IncomeChart
            id="income-chart"
            title={`${scopeName}: income booked, month by month, ${d.yearLabel}, against the target`}
            months={months}
            targetPence={page.total.targetPence}
            thisYearLabel={d.yearLabel}
            lastYearLabel={d.lastYearLabel}
          />
          <div className="app-table-scroll" role="region" aria-labelledby="income-table-caption" tabIndex={0}>
            <table className="govuk-table app-table--compact">
              <caption className="govuk-table__caption govuk-table__caption--s" id="income-table-caption">
                Income booked by the end of each month (the chart’s figures)
              </caption>
              <TableHead
                columns={[
                  'Month',
                  { label: d.yearLabel, numeric: true },
                  { label: d.lastYearLabel, numeric: true },
                  { label: 'Target', numeric: true },
                ]}
              />
              <tbody className="govuk-table__body">
                {months.map((m) => (
                  <tr key={m.month} className="govuk-table__row">
                    <th scope="row" className="govuk-table__header">
                      {m.long}
                    </th>
                    <td className="govuk-table__cell govuk-table__cell--numeric">
                      {m.thisYear === null ? 'Not yet' : formatPoundsRounded(m.thisYear)}
                    </td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{formatPoundsRounded(m.lastYear)}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{formatPoundsRounded(page.total.targetPence)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          <h2 className="govuk-heading-l">Income by service</h2>
          <p className="govuk-body">
            Booked is what confirmed orders are worth (and late-cancellation fees); invoiced is what has been invoiced less credit notes; paid is what
            has been received. All are before VAT.
          </p>
          <div className="app-table-scroll" role="region" aria-labelledby="services-caption" tabIndex={0}>
            <table className="govuk-table app-table--compact">
              <caption className="govuk-table__caption govuk-table__caption--s" id="services-caption">
                Income by service, {d.yearLabel}
              </caption>
              <TableHead
                columns={[
                  'Service',
                  { label: 'Target', numeric: true },
                  { label: 'Booked', numeric: true },
                  { label: 'Invoiced', numeric: true },
                  { label: 'Paid', numeric: true },
                  { label: 'Gap', numeric: true },
                  { label: 'Buy-back', numeric: true },
                ]}
              />
              <tbody className="govuk-table__body">
                {page.services.map((s) => (
                  <tr key={s.id} className="govuk-table__row">
                    <th scope="row" className="govuk-table__header">
                      {s.name}
                      {s.incomeCode ? <span className="app-table__secondary">{s.incomeCode}</span> : null}
                    </th>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{formatPoundsRounded(s.targetPence)}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">
                      {formatPoundsRounded(s.bookedPence)}
                      <span className="app-table__secondary">{percentOf(s.bookedPence, s.targetPence)} of target</span>
                    </td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{formatPoundsRounded(s.invoicedPence)}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{formatPoundsRounded(s.paidPence)}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{formatGap(s.gapPence)}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">
                      {formatPercent(s.buyBack.percent)}
                      <span className="app-table__secondary">
                        {formatPercent(s.buyBack.lastYearPercent)} in {d.lastYearLabel}
                      </span>
                    </td>
                  </tr>
                ))}
              </tbody>
              {page.services.length > 1 ? (
                <tfoot>
                  <tr className="govuk-table__row app-table__total">
                    <th scope="row" className="govuk-table__header">
                      {d.isAdmin && !single ? `${d.authorityName} total` : 'Total'}
                    </th>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{formatPoundsRounded(page.total.targetPence)}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{formatPoundsRounded(page.total.bookedPence)}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{formatPoundsRounded(page.total.invoicedPence)}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{formatPoundsRounded(page.total.paidPence)}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{formatGap(page.total.gapPence)}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{formatPercent(overall.percent)}</td>
                  </tr>
                </tfoot>
              ) : null}
            </table>
          </div>

          <h2 className="govuk-heading-l">Buy-back</h2>
          <p className="govuk-body">
            The share of schools that have bought {single ? 'this service' : 'at least one of these services'} this year (a confirmed order), of the
            schools it is offered to, beside last year’s.
          </p>
          <div className="app-table-scroll" role="region" aria-labelledby="buy-back-caption" tabIndex={0}>
            <table className="govuk-table app-table--compact">
              <caption className="govuk-table__caption govuk-table__caption--s" id="buy-back-caption">
                Buy-back by phase, {d.yearLabel} and {d.lastYearLabel}
              </caption>
              <TableHead
                columns={[
                  'Phase',
                  { label: 'Schools', numeric: true },
                  { label: <>Buying in {d.yearLabel}</>, numeric: true },
                  { label: <>Buying in {d.lastYearLabel}</>, numeric: true },
                ]}
              />
              <tbody className="govuk-table__body">
                {page.buyBack.byPhase.map((p) => (
                  <tr key={p.phase} className="govuk-table__row">
                    <th scope="row" className="govuk-table__header">
                      {phaseName(p.phase)}
                    </th>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{p.eligible}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">
                      {formatPercent(p.percent)} ({p.buyers})
                    </td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">
                      {formatPercent(p.lastYearPercent)} ({p.lastYearBuyers})
                    </td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr className="govuk-table__row app-table__total">
                  <th scope="row" className="govuk-table__header">
                    All phases
                  </th>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{overall.eligible}</td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">
                    {formatPercent(overall.percent)} ({overall.buyers})
                  </td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">
                    {formatPercent(overall.lastYearPercent)} ({overall.lastYearBuyers})
                  </td>
                </tr>
              </tfoot>
            </table>
          </div>

          <h2 className="govuk-heading-l">Top buyers</h2>
          {page.topBuyers.length === 0 ? (
            <p className="govuk-body">
              No school has bought {single ? 'this service' : 'these services'} in {d.yearLabel} yet.
            </p>
          ) : (
            <div className="app-table-scroll" role="region" aria-labelledby="top-buyers-caption" tabIndex={0}>
              <table className="govuk-table app-table--compact">
                <caption className="govuk-table__caption govuk-table__caption--s" id="top-buyers-caption">
                  The {page.topBuyers.length} schools that have booked the most in {d.yearLabel}
                </caption>
                <TableHead
                  columns={[
                    'School',
                    'Phase',
                    { label: <>Booked in {d.yearLabel}</>, numeric: true },
                    { label: <>Booked in {d.lastYearLabel}</>, numeric: true },
                  ]}
                />
                <tbody className="govuk-table__body">
                  {page.topBuyers.map((b) => (
                    <tr key={b.schoolId} className="govuk-table__row">
                      <th scope="row" className="govuk-table__header">
                        {b.schoolName}
                      </th>
                      <td className="govuk-table__cell">{phaseName(b.phase)}</td>
                      <td className="govuk-table__cell govuk-table__cell--numeric">{formatPoundsRounded(b.bookedPence)}</td>
                      <td className="govuk-table__cell govuk-table__cell--numeric">{formatPoundsRounded(b.lastYearPence)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}

          {d.nextRenewals ? (
            <p className="govuk-body">
              Renewals for {d.nextRenewals.yearLabel}: {d.nextRenewals.counts.accepted} accepted, {d.nextRenewals.counts.open} waiting,{' '}
              {d.nextRenewals.counts.declined} declined, {d.nextRenewals.counts.lapsed} lapsed.{' '}
              <Link className="govuk-link" to={`${pageHref('/la/trading', { ...params, year: d.nextRenewals.year }, 1)}#renewals`}>
                Follow up renewals for {d.nextRenewals.yearLabel}
              </Link>
            </p>
          ) : null}
          {d.renewals ? <RenewalFollowUp yearLabel={d.yearLabel} followUp={d.renewals} manageHref={d.isAdmin ? '/la/admin/renewals' : null} /> : null}

          <h2 className="govuk-heading-l" id="lapsed" tabIndex={-1}>
            Lapsed schools
          </h2>
          <p className="govuk-body">
            Schools that bought a service in {d.lastYearLabel} and have not ordered it in {d.yearLabel} (orders waiting for approval or on the waiting
            list count as ordered, and so does a renewal proposal holding the service that the school can still accept). One email about renewing can
            be sent to each school for each service and year.
          </p>
          {d.lapsedTotal === 0 ? (
            <p className="govuk-body">No lapsed schools.</p>
          ) : (
            <>
              <div className="app-table-scroll" role="region" aria-labelledby="lapsed-caption" tabIndex={0}>
                <table className="govuk-table app-table--compact">
                  <caption className="govuk-table__caption govuk-table__caption--s" id="lapsed-caption">
                    {d.lapsedTotal === 1 ? '1 lapsed school and service' : `${d.lapsedTotal} lapsed schools and services`}
                    {d.lapsedPageCount > 1 ? `, page ${d.lapsedPage} of ${d.lapsedPageCount}` : ''}
                  </caption>
                  <TableHead
                    columns={[
                      'School',
                      'Service',
                      { label: <>Bought in {d.lastYearLabel}</>, numeric: true },
                      'Contact',
                      <span className="govuk-visually-hidden">Action</span>,
                    ]}
                  />
                  <tbody className="govuk-table__body">
                    {page.lapsed.map((l) => (
                      <tr key={`${l.schoolId}-${l.serviceId}`} className="govuk-table__row">
                        <th scope="row" className="govuk-table__header">
                          {l.schoolName}
                          <span className="app-table__secondary">{phaseName(l.phase)}</span>
                        </th>
                        <td className="govuk-table__cell">{l.serviceName}</td>
                        <td className="govuk-table__cell govuk-table__cell--numeric">{formatPoundsRounded(l.lastYearPence)}</td>
                        <td className="govuk-table__cell app-break-anywhere">
                          <SchoolContact headteacher={l.headteacher} email={l.email} phone={l.phone} />
                        </td>
                        <td className="govuk-table__cell">
                          {l.emailedAt ? (
                            <>Emailed on {formatDate(l.emailedAt)}</>
                          ) : l.email ? (
                            <SubmitOnceForm method="post" action={`/la/trading?${new URLSearchParams(params)}`}>
                              <input type="hidden" name="intent" value={RENEWAL_INTENT} />
                              <input type="hidden" name="schoolId" value={l.schoolId} />
                              <input type="hidden" name="service" value={d.slugOf[l.serviceId] ?? ''} />
                              <input type="hidden" name="year" value={values.year} />
                              <button
                                type="submit"
                                className="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                                data-module="govuk-button"
                              >
                                Email about renewing
                                <span className="govuk-visually-hidden">
                                  : {l.schoolName}, {l.serviceName}
                                </span>
                              </button>
                            </SubmitOnceForm>
                          ) : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pagination label="Pages of lapsed schools" path="/la/trading" params={params} page={d.lapsedPage} pageCount={d.lapsedPageCount} />
            </>
          )}
          <p className="govuk-body">
            <Link className="govuk-link" to={pageHref('/la/capacity', { year: values.year }, 1)}>
              See the teams’ capacity for {d.yearLabel}
            </Link>
          </p>
        </>
      )}
    </>
  )
}
