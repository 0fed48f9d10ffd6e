import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import type { ReactNode } from 'react'
import { formatFte, formatGap, formatPercent, RECOMMENDATION_TAGS, recommendationText } from '~/components/figures'
import { ErrorMessage, ErrorSummary, SelectField } from '~/components/forms'
import { formatHours, formatPoundsRounded } from '~/utils/format'
import type { Recommendation, ScenarioResult, TeamModel } from '~/domain/capacity-model'
import { tradingYearLabel } from '~/domain/trading-year'
import { loadCapacityPage } from '~/models/trading/capacity-model.server'
import { capacityRequest } from '~/models/trading/la-reports.server'
import { DecisionHistory, TakeRecommendationForm, type PlanFormState } from '~/components/plan-decision'
import { SuccessBanner } from '~/components/success-banner'
import { currentTradingYears } from '~/models/admin/teams.server'
import { actorFor } from '~/models/shared/actor.server'
import { planDecisions, takeRecommendation } from '~/models/trading/plan-decisions.server'
import { plannedFte } from '~/domain/targets'
import { parseYearParam } from '~/schemas/admin'
import { notFound, requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'

export async function loader({ request }: LoaderFunctionArgs) {
  const c = await capacityRequest(request)
  const scenarioError = Boolean(c.errors.buyBack || c.errors.priceChange)
  const scenario = scenarioError ? {} : c.scenario
  const teams = await loadCapacityPage(c.db, c.authority.id, c.selected, c.tradingYear, scenario)
  const query = new URLSearchParams(Object.entries(c.values).filter(([, v]) => v !== ''))
  const isAdmin = c.scope.kind === 'authority'
  const [currentYear] = await currentTradingYears(c.db, c.authority.id)
  const decisions = await planDecisions(
    c.db,
    c.authority.id,
    teams.map((t) => t.teamId),
  )
  const plannedId = new URL(request.url).searchParams.get('planned')
  const planned = teams.find((t) => t.teamId === plannedId)
  return {
    // The LA administrator (not service leads) may take this year's recommendations into next year's plan.
    canPlan: isAdmin && c.tradingYear === currentYear,
    tradingYear: c.tradingYear,
    nextYearLabel: tradingYearLabel(c.tradingYear + 1),
    decisions,
    planned: planned ? planned.teamName : null,
    authorityName: c.authority.name,
    isAdmin: c.scope.kind === 'authority',
    values: c.values,
    errors: c.errors,
    scenario,
    yearOptions: c.years.map((y) => ({ value: String(y), label: tradingYearLabel(y) })),
    teamOptions: c.teams.map((t) => ({ value: t.slug, label: t.name })),
    yearLabel: tradingYearLabel(c.tradingYear),
    csvHref: `/la/capacity.csv${query.size ? `?${query}` : ''}`,
    teams,
  }
}

type PlanActionData = PlanFormState & { teamId: string }

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const db = await getDb()
  const form = await request.formData()
  const teamId = String(form.get('teamId') ?? '').slice(0, 50)
  const year = parseYearParam(form.get('year'))
  const values = {
    toFte: String(form.get(`toFte-${teamId}`) ?? '').slice(0, 30),
    reason: String(form.get('reason') ?? '').slice(0, 2000),
    confirmBelowBooked: String(form.get('confirmBelowBooked') ?? '').slice(0, 50),
  }
  const [currentYear] = await currentTradingYears(db, user.authorityId)
  if (year !== currentYear) {
    const errors = { form: 'Only this year’s recommendations can be taken into next year’s plan' }
    return data<PlanActionData>({ teamId, errors, values, belowBooked: null }, { status: 400 })
  }
  const result = await takeRecommendation(db, actorFor(user, request, context), teamId, year, values)
  if (!result.ok) {
    if ('notFound' in result) throw notFound()
    const errors = Object.fromEntries(Object.entries(result.errors).map(([k, m]) => [`${k}-${teamId}`, m]))
    return data<PlanActionData>({ teamId, errors, values, belowBooked: result.belowBooked }, { status: 400 })
  }
  return redirect(`/la/capacity?year=${year}&planned=${teamId}`)
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  const errors = data && Object.keys(data.errors).length > 0
  return [{ title: `${errors ? 'Error: ' : ''}Team capacity ${data?.yearLabel ?? ''} – ${data?.authorityName ?? 'Buyback'} – Buyback` }]
}

/** A GOV.UK text input with a suffix ("%"), for the scenario's numbers. */
function PercentInput(props: { name: string; label: string; hint: string; value: string; error?: string }) {
  const describedBy = [`${props.name}-hint`, props.error ? `${props.name}-error` : null].filter(Boolean).join(' ')
  return (
    <div className={`govuk-form-group${props.error ? ' govuk-form-group--error' : ''}`}>
      <label className="govuk-label govuk-label--s" htmlFor={props.name}>
        {props.label}
      </label>
      <div className="govuk-hint" id={`${props.name}-hint`}>
        {props.hint}
      </div>
      <ErrorMessage id={`${props.name}-error`} error={props.error} />
      <div className="govuk-input__wrapper">
        <input
          className={`govuk-input govuk-input--width-4${props.error ? ' govuk-input--error' : ''}`}
          id={props.name}
          name={props.name}
          type="text"
          inputMode="decimal"
          spellCheck={false}
          maxLength={10}
          defaultValue={props.value}
          aria-describedby={describedBy}
        />
        <div className="govuk-input__suffix" aria-hidden="true">
          %
        </div>
      </div>
    </div>
  )
}

function RecommendationTag({ recommendation }: { recommendation: Recommendation }) {
  const tag = RECOMMENDATION_TAGS[recommendation.kind]
  return (
    <>
      <strong className={`govuk-tag govuk-tag--${tag.colour}`}>{tag.label}</strong>
      <span className="app-table__secondary">{recommendationText(recommendation)}</span>
    </>
  )
}

const RULE_REASONS: Record<Recommendation['rule'], string> = {
  'income-below-target-and-unaffordable': 'Income is below target and pays for fewer staff than the establishment.',
  'unmet-demand-and-income-supports-it': 'Schools want more than the team can deliver, and income pays for more staff.',
  'unmet-demand-but-income-does-not-support-it':
    'Schools want more than the team can deliver, but income does not pay for more staff: look at prices or funding.',
  'demand-met-and-establishment-affordable': 'The team can meet demand and income pays for the establishment.',
  'establishment-unaffordable-but-target-met': 'Income meets the target but does not pay for the whole establishment: look at the target or funding.',
}

type Row = { label: string; actual: ReactNode; scenario?: ReactNode }

const fte = (v: number | null, none: string) => (v === null ? none : `${formatFte(v)} FTE`)

function figureRows(
  t: {
    model: TeamModel
    invoicedPence: number
    paidPence: number
    costPerFtePence: number
    chargeableHoursPerFte: number
    sessionalHours: number
    buyBack: { buyers: number; eligible: number; percent: number | null; lastYearPercent: number | null }
  },
  s: ScenarioResult | null,
  scenarioBuyBack: number | undefined,
): Row[] {
  const m = t.model
  const p = s?.ok ? s.model : null
  const scenarioOnly = s ? (s.ok ? undefined : '') : undefined
  const rows: Row[] = [
    { label: 'Capacity', actual: formatHours(m.capacityHours), scenario: p ? formatHours(p.capacityHours) : scenarioOnly },
    { label: 'Booked', actual: formatHours(m.bookedHours), scenario: p ? formatHours(p.bookedHours) : scenarioOnly },
    {
      label: 'Waiting list (unmet demand)',
      actual: formatHours(m.waitlistedHours),
      scenario: p ? formatHours(p.waitlistedHours) : scenarioOnly,
    },
    {
      label: 'Utilisation',
      actual: formatPercent(m.utilisationPercent, 'No capacity'),
      scenario: p ? formatPercent(p.utilisationPercent, 'No capacity') : scenarioOnly,
    },
    {
      label: 'Buy-back',
      actual: `${formatPercent(t.buyBack.percent)} of schools (${t.buyBack.buyers} of ${t.buyBack.eligible}); ${formatPercent(t.buyBack.lastYearPercent)} last year`,
      scenario: s?.ok ? `${formatPercent(scenarioBuyBack ?? t.buyBack.percent)} of schools` : scenarioOnly,
    },
    { label: 'Establishment', actual: `${formatFte(m.establishmentFte)} FTE`, scenario: p ? `${formatFte(p.establishmentFte)} FTE` : scenarioOnly },
    {
      label: 'FTE needed',
      actual: fte(m.fteNeeded, 'Not known (no chargeable hours)'),
      scenario: p ? fte(p.fteNeeded, 'Not known (no chargeable hours)') : scenarioOnly,
    },
    {
      label: 'Income booked',
      actual: formatPoundsRounded(m.incomeBookedPence),
      scenario: p ? formatPoundsRounded(p.incomeBookedPence) : scenarioOnly,
    },
    { label: 'Income invoiced', actual: formatPoundsRounded(t.invoicedPence), scenario: s ? '' : undefined },
    { label: 'Income paid', actual: formatPoundsRounded(t.paidPence), scenario: s ? '' : undefined },
    {
      label: 'Income target',
      actual: formatPoundsRounded(m.incomeTargetPence),
      scenario: p ? formatPoundsRounded(p.incomeTargetPence) : scenarioOnly,
    },
    { label: 'Gap against target', actual: formatGap(m.gapPence), scenario: p ? formatGap(p.gapPence) : scenarioOnly },
    {
      label: 'Central funding',
      actual: formatPoundsRounded(m.centralFundingPence),
      scenario: p ? formatPoundsRounded(p.centralFundingPence) : scenarioOnly,
    },
    { label: 'Cost per FTE', actual: formatPoundsRounded(t.costPerFtePence), scenario: p ? formatPoundsRounded(t.costPerFtePence) : scenarioOnly },
    { label: 'FTE affordable', actual: fte(m.fteAffordable, 'No limit'), scenario: p ? fte(p.fteAffordable, 'No limit') : scenarioOnly },
    {
      label: 'Recommendation',
      actual: (
        <>
          <RecommendationTag recommendation={m.recommendation} />
          <span className="app-table__secondary">{RULE_REASONS[m.recommendation.rule]}</span>
        </>
      ),
      scenario: p ? (
        <>
          <RecommendationTag recommendation={p.recommendation} />
          <span className="app-table__secondary">{RULE_REASONS[p.recommendation.rule]}</span>
        </>
      ) : (
        scenarioOnly
      ),
    },
  ]
  return rows
}

export default function Capacity() {
  const d = useLoaderData<typeof loader>()
  const planAction = useActionData<typeof action>()
  const { values } = d
  const hasScenario = d.scenario.buyBackPercent !== undefined || d.scenario.priceChangePercent !== undefined
  const scenarioText = [
    d.scenario.buyBackPercent !== undefined ? `buy-back at ${formatPercent(d.scenario.buyBackPercent)}` : null,
    d.scenario.priceChangePercent !== undefined
      ? `prices ${d.scenario.priceChangePercent >= 0 ? 'up' : 'down'} ${formatPercent(Math.abs(d.scenario.priceChangePercent))}`
      : null,
  ]
    .filter(Boolean)
    .join(', ')

  return (
    <>
      {planAction ? (
        <ErrorSummary errors={planAction.errors} order={['form', `toFte-${planAction.teamId}`, `reason-${planAction.teamId}`]} />
      ) : (
        <ErrorSummary errors={d.errors} order={['year', 'team', 'buyBack', 'priceChange']} focus={false} />
      )}
      {d.planned && !planAction ? (
        <SuccessBanner titleId="planned-title" heading={`${d.planned}’s establishment for ${d.nextYearLabel} saved`}>
          <p className="govuk-body">The decision is recorded below with your reason.</p>
        </SuccessBanner>
      ) : null}
      <span className="govuk-caption-l">Trading, {d.yearLabel}</span>
      <h1 className="govuk-heading-xl">Team capacity</h1>
      <p className="govuk-body">
        For each team: what it can deliver, what schools have booked and are waiting for, the staff that demand needs, the staff its income pays for,
        and whether the team should expand, hold or reduce. Try a scenario to see what a different buy-back or price would mean; nothing is saved.
      </p>

      <Form key={JSON.stringify(values)} method="get" className="app-filters" aria-label="Choose the year, team and scenario" noValidate>
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-one-quarter">
            <SelectField name="year" label="Trading year" value={values.year} error={d.errors.year} options={d.yearOptions} />
          </div>
          <div className="govuk-grid-column-one-half">
            <SelectField
              name="team"
              label="Team"
              value={values.team}
              error={d.errors.team}
              options={[{ value: '', label: d.isAdmin ? 'All teams' : 'All your teams' }, ...d.teamOptions]}
            />
          </div>
        </div>
        <fieldset className="govuk-fieldset">
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">What if… (optional)</legend>
          <div className="govuk-grid-row">
            <div className="govuk-grid-column-one-half">
              <PercentInput
                name="buyBack"
                label="Buy-back rate"
                hint="The share of schools offered the team’s services that buy them, from 0 to 100"
                value={values.buyBack}
                error={d.errors.buyBack}
              />
            </div>
            <div className="govuk-grid-column-one-half">
              <PercentInput
                name="priceChange"
                label="Price change"
                hint="A change to every price, from -50 to 100: 10 for 10% more, -5 for 5% less"
                value={values.priceChange}
                error={d.errors.priceChange}
              />
            </div>
          </div>
        </fieldset>
        <button type="submit" className="govuk-button govuk-!-margin-bottom-0" data-module="govuk-button">
          Show figures
        </button>
        {hasScenario ? (
          <p className="govuk-body govuk-!-margin-top-4 govuk-!-margin-bottom-0">
            <Link
              className="govuk-link"
              to={`/la/capacity?${new URLSearchParams(Object.entries({ year: values.year, team: values.team }).filter(([, v]) => v !== ''))}`}
            >
              Clear the scenario
            </Link>
          </p>
        ) : null}
      </Form>

      <p className="govuk-body">
        <a className="govuk-link" href={d.csvHref} download>
          Download these figures as a spreadsheet (CSV)
        </a>
      </p>

      {d.teams.length === 0 ? (
        <p className="govuk-body">No team figures for {d.yearLabel}.</p>
      ) : (
        <>
          <h2 className="govuk-heading-l">Recommendations</h2>
          <div className="app-table-scroll" role="region" aria-labelledby="recommendations-caption" tabIndex={0}>
            <table className="govuk-table app-table--compact">
              <caption className="govuk-table__caption govuk-table__caption--s" id="recommendations-caption">
                Each team’s recommendation, {d.yearLabel}
                {hasScenario ? `, and with ${scenarioText}` : ''}
              </caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header">
                    Team
                  </th>
                  <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                    Utilisation
                  </th>
                  <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                    Establishment FTE
                  </th>
                  <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                    FTE needed
                  </th>
                  <th scope="col" className="govuk-table__header govuk-table__header--numeric">
                    FTE affordable
                  </th>
                  <th scope="col" className="govuk-table__header">
                    Recommendation
                  </th>
                  {hasScenario ? (
                    <th scope="col" className="govuk-table__header">
                      With the scenario
                    </th>
                  ) : null}
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                {d.teams.map((t) => (
                  <tr key={t.teamId} className="govuk-table__row">
                    <th scope="row" className="govuk-table__header">
                      <a className="govuk-link" href={`#team-${t.teamSlug}`}>
                        {t.teamName}
                      </a>
                    </th>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{formatPercent(t.model.utilisationPercent, 'No capacity')}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{formatFte(t.model.establishmentFte)}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{formatFte(t.model.fteNeeded)}</td>
                    <td className="govuk-table__cell govuk-table__cell--numeric">{formatFte(t.model.fteAffordable, 'No limit')}</td>
                    <td className="govuk-table__cell">
                      <RecommendationTag recommendation={t.model.recommendation} />
                    </td>
                    {hasScenario ? (
                      <td className="govuk-table__cell">
                        {t.scenario?.ok ? <RecommendationTag recommendation={t.scenario.model.recommendation} /> : 'No projection'}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          {d.teams.map((t) => {
            const rows = figureRows(t, t.scenario, d.scenario.buyBackPercent)
            const captionId = `team-${t.teamSlug}-caption`
            return (
              <section key={t.teamId} aria-labelledby={`team-${t.teamSlug}`}>
                <h2 className="govuk-heading-l govuk-!-margin-top-6" id={`team-${t.teamSlug}`}>
                  {t.teamName}
                </h2>
                <p className="govuk-body">
                  Delivers {t.serviceNames.join(', ')}. Each FTE gives {formatHours(t.chargeableHoursPerFte)} of chargeable time
                  {t.sessionalHours > 0 ? `, plus ${formatHours(t.sessionalHours)} of sessional time` : ''}.
                </p>
                {t.scenario && !t.scenario.ok ? (
                  <p className="govuk-body">
                    {t.scenario.reason === 'no-buyers'
                      ? `No school has bought from this team in ${d.yearLabel} yet, so there is no buy-back to scale.`
                      : 'No school is offered this team’s services, so there is no buy-back to scale.'}
                  </p>
                ) : null}
                <div className="app-table-scroll" role="region" aria-labelledby={captionId} tabIndex={0}>
                  <table className="govuk-table app-table--compact">
                    <caption className="govuk-table__caption govuk-table__caption--s" id={captionId}>
                      {t.teamName}: the capacity model, {d.yearLabel}
                    </caption>
                    <thead className="govuk-table__head">
                      <tr className="govuk-table__row">
                        <th scope="col" className="govuk-table__header">
                          Figure
                        </th>
                        <th scope="col" className="govuk-table__header">
                          Now
                        </th>
                        {t.scenario ? (
                          <th scope="col" className="govuk-table__header">
                            With {scenarioText}
                          </th>
                        ) : null}
                      </tr>
                    </thead>
                    <tbody className="govuk-table__body">
                      {rows.map((r) => (
                        <tr key={r.label} className="govuk-table__row">
                          <th scope="row" className="govuk-table__header">
                            {r.label}
                          </th>
                          <td className="govuk-table__cell">{r.actual}</td>
                          {t.scenario ? <td className="govuk-table__cell">{r.scenario === '' ? 'Not projected' : r.scenario}</td> : null}
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                {d.canPlan ? (
                  <TakeRecommendationForm
                    teamId={t.teamId}
                    teamName={t.teamName}
                    year={d.tradingYear}
                    suggestedFte={plannedFte(t.model.establishmentFte, t.model.recommendation.fteChange)}
                    recommendationText={`The model says: ${recommendationText(t.model.recommendation)}`}
                    state={planAction?.teamId === t.teamId ? planAction : undefined}
                  />
                ) : null}
                <DecisionHistory teamName={t.teamName} decisions={d.decisions.filter((x) => x.teamId === t.teamId)} />
              </section>
            )
          })}
        </>
      )}
    </>
  )
}
