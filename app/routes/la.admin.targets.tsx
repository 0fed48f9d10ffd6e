import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { shownErrors, useValidatedForm, ValidatedForm } from '~/components/validated-form'
import { BelowBookedConfirmation } from '~/components/below-booked'
import { ErrorSummary, TextInput } from '~/components/forms'
import { SuccessBanner } from '~/components/success-banner'
import { tradingYearLabel } from '~/domain/trading-year'
import { currentTradingYears } from '~/models/admin/teams.server'
import { copyLastYear, loadTargets, saveTargets, targetsFormValues } from '~/models/admin/targets.server'
import { actorFor } from '~/models/shared/actor.server'
import { parseYearParam } from '~/schemas/admin'
import type { FieldErrors } from '~/schemas/common'
import { parseTargets, PercentageSchema, targetsValuesFrom, type TargetsValues } from '~/schemas/targets'
import { notFound, requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'

/** This trading year, next and last; ?year= picks one (this year by default), anything else is a 404. */
async function chosenYear(request: Request, authorityId: string) {
  const db = await getDb()
  const [current] = await currentTradingYears(db, authorityId)
  const raw = new URL(request.url).searchParams.get('year')
  const offered = [current, current + 1, current - 1]
  const year = raw === null || raw === '' ? current : parseYearParam(raw)
  if (year === null || !offered.includes(year)) throw notFound()
  return { db, year, offered }
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const { db, year, offered } = await chosenYear(request, user.authorityId)
  const page = await loadTargets(db, user.authorityId, year)
  const params = new URL(request.url).searchParams
  return {
    authorityName: user.authorityName,
    year,
    yearLabel: tradingYearLabel(year),
    lastYearLabel: tradingYearLabel(year - 1),
    years: offered.sort((a, b) => a - b).map((y) => ({ year: y, label: tradingYearLabel(y) })),
    page,
    values: targetsFormValues(page),
    saved: params.get('saved') === '1',
    promoted: Math.max(0, Number.parseInt(params.get('promoted') ?? '0', 10) || 0),
  }
}

type ActionData = {
  errors: FieldErrors
  values: TargetsValues
  belowBooked: Record<string, number>
  copied?: { percent: string }
  percent: string
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const { db, year } = await chosenYear(request, user.authorityId)
  const page = await loadTargets(db, user.authorityId, year)
  const form = await request.formData()
  const percent = String(form.get('percent') ?? '').slice(0, 20)
  if (form.get('intent') === 'copy') {
    const parsed = PercentageSchema.safeParse(percent)
    if (!parsed.success) {
      const errors = { percent: parsed.error.issues[0]?.message ?? 'Check the percentage' }
      return data<ActionData>({ errors, values: targetsFormValues(page), belowBooked: {}, percent }, { status: 400 })
    }
    const values = await copyLastYear(db, user.authorityId, year, parsed.data, page)
    return data<ActionData>({ errors: {}, values, belowBooked: {}, copied: { percent }, percent })
  }
  const values = targetsValuesFrom(
    form,
    page.services.map((s) => s.id),
    page.teams.map((t) => t.id),
  )
  const result = await saveTargets(db, actorFor(user, request, context), year, values)
  if (!result.ok) {
    if ('notFound' in result) throw notFound()
    return data<ActionData>({ errors: result.errors, values, belowBooked: result.belowBooked, percent }, { status: 400 })
  }
  return redirect(`/la/admin/targets?year=${year}&saved=1&promoted=${result.promoted.length}`)
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Targets and teams ${data?.yearLabel ?? ''} – ${data?.authorityName ?? 'Buyback'} – Buyback` },
]

const hours = (n: number) => n.toLocaleString('en-GB', { maximumFractionDigits: 2 })

export default function Targets() {
  const d = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  // Each form checked in the browser as its action parses it: the percentage, then every figure (parseTargets, as saveTargets).
  const copyForm = useValidatedForm({
    check: (form) => {
      const parsed = PercentageSchema.safeParse(String(form.get('percent') ?? '').slice(0, 20))
      return parsed.success ? null : { percent: parsed.error.issues[0]?.message ?? 'Check the percentage' }
    },
    serverErrors: actionData?.errors,
  })
  const saveForm = useValidatedForm({
    check: (form) => {
      const parsed = parseTargets(
        targetsValuesFrom(
          form,
          d.page.services.map((s) => s.id),
          d.page.teams.map((t) => t.id),
        ),
      )
      return parsed.ok ? null : parsed.errors
    },
    serverErrors: actionData?.errors,
  })
  const errors = shownErrors([copyForm, saveForm], actionData?.errors)
  const values = actionData?.values ?? d.values
  const order = [
    'percent',
    ...d.page.services.map((s) => `target-${s.id}`),
    ...d.page.teams.flatMap((t) =>
      ['establishmentFte', 'chargeableHoursPerFte', 'sessionalHours', 'costPerFte', 'centralFunding'].map((f) => `${f}-${t.id}`),
    ),
  ]
  return (
    <>
      {d.saved && !actionData ? (
        <SuccessBanner titleId="saved-title" heading={`Targets for ${d.yearLabel} saved`}>
          {d.promoted > 0 ? (
            <p className="govuk-body">
              {d.promoted === 1 ? '1 waiting line was' : `${d.promoted} waiting lines were`} confirmed and the schools have been emailed.
            </p>
          ) : null}
        </SuccessBanner>
      ) : null}
      <ErrorSummary errors={errors} order={order} />
      <span className="govuk-caption-l">{d.yearLabel}</span>
      <h1 className="govuk-heading-xl">Targets and teams</h1>
      <p className="govuk-body-l">
        Each service’s income target and each team’s establishment for {d.yearLabel}. Trading and team capacity use these figures as soon as you save
        them.
      </p>

      {/* MOJ Frontend's sub navigation: the year shown is the current page. */}
      <nav className="moj-sub-navigation" aria-label="Trading years">
        <ul className="moj-sub-navigation__list">
          {d.years.map((y) => (
            <li key={y.year} className="moj-sub-navigation__item">
              <Link
                className="moj-sub-navigation__link"
                to={`/la/admin/targets?year=${y.year}`}
                aria-current={y.year === d.year ? 'page' : undefined}
              >
                {y.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      {actionData?.copied ? (
        <div className="govuk-inset-text" role="status">
          Figures copied from {d.lastYearLabel} with money changed by {actionData.copied.percent}%. Check them, then select “Save targets”: nothing is
          saved yet.
        </div>
      ) : null}

      {d.page.lastYearHasFigures ? (
        <ValidatedForm form={copyForm} method="post" action={`/la/admin/targets?year=${d.year}`} noValidate className="govuk-!-margin-bottom-8">
          <input type="hidden" name="intent" value="copy" />
          <h2 className="govuk-heading-m">Copy last year’s figures</h2>
          <TextInput
            name="percent"
            label="Change money figures by (%)"
            labelSize="s"
            hint={`Fills the form below with ${d.lastYearLabel}’s figures. Income targets, cost per FTE and central funding change by this percentage (3 for 3% more, -2 for 2% less); FTE and hours are copied as they are.`}
            inputMode="decimal"
            width={10}
            maxLength={10}
            defaultValue={actionData?.percent ?? '0'}
            error={errors?.percent}
          />
          <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
            Copy last year’s figures
          </button>
        </ValidatedForm>
      ) : null}

      <ValidatedForm form={saveForm} method="post" action={`/la/admin/targets?year=${d.year}`} noValidate key={JSON.stringify(values)}>
        <input type="hidden" name="intent" value="save" />
        <h2 className="govuk-heading-l">Income targets</h2>
        <div className="app-field-grid">
          {d.page.services.map((s) => (
            <TextInput
              key={s.id}
              name={`target-${s.id}`}
              label={`${s.name} income target`}
              labelSize="s"
              hint={`Delivered by ${s.teamName}`}
              prefix="£"
              inputMode="decimal"
              width={10}
              maxLength={30}
              defaultValue={values.targets[s.id] ?? ''}
              error={errors?.[`target-${s.id}`]}
            />
          ))}
        </div>

        <h2 className="govuk-heading-l">Teams</h2>
        {d.page.teams.map((t) => {
          const v = values.teams[t.id]
          const field = (name: string) => `${name}-${t.id}`
          return (
            <fieldset key={t.id} className="govuk-fieldset govuk-!-margin-bottom-6" aria-describedby={`team-${t.id}-summary`}>
              <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">
                <h3 className="govuk-fieldset__heading">{t.name}</h3>
              </legend>
              <p className="govuk-body" id={`team-${t.id}-summary`}>
                {t.capacityHours === null
                  ? `No figures for ${d.yearLabel} yet.`
                  : `Capacity ${hours(t.capacityHours)} hours; ${hours(t.bookedHours)} hours already booked.`}
              </p>
              <div className="app-field-row">
                <TextInput
                  name={field('establishmentFte')}
                  label="Establishment FTE"
                  labelSize="s"
                  inputMode="decimal"
                  width={10}
                  maxLength={30}
                  defaultValue={v?.establishmentFte}
                  error={errors?.[field('establishmentFte')]}
                />
                <TextInput
                  name={field('chargeableHoursPerFte')}
                  label="Chargeable hours per FTE"
                  labelSize="s"
                  inputMode="numeric"
                  width={10}
                  maxLength={30}
                  defaultValue={v?.chargeableHoursPerFte}
                  error={errors?.[field('chargeableHoursPerFte')]}
                />
                <TextInput
                  name={field('sessionalHours')}
                  label="Sessional hours"
                  labelSize="s"
                  inputMode="numeric"
                  width={10}
                  maxLength={30}
                  defaultValue={v?.sessionalHours}
                  error={errors?.[field('sessionalHours')]}
                />
                <TextInput
                  name={field('costPerFte')}
                  label="Cost per FTE"
                  labelSize="s"
                  prefix="£"
                  inputMode="decimal"
                  width={10}
                  maxLength={30}
                  defaultValue={v?.costPerFte}
                  error={errors?.[field('costPerFte')]}
                />
                <TextInput
                  name={field('centralFunding')}
                  label="Central funding"
                  labelSize="s"
                  prefix="£"
                  inputMode="decimal"
                  width={10}
                  maxLength={30}
                  defaultValue={v?.centralFunding}
                  error={errors?.[field('centralFunding')]}
                />
              </div>
              {actionData?.belowBooked[t.id] !== undefined ? (
                <BelowBookedConfirmation teamId={t.id} teamName={t.name} bookedHours={actionData.belowBooked[t.id]!} />
              ) : null}
            </fieldset>
          )
        })}
        <button type="submit" className="govuk-button" data-module="govuk-button">
          Save targets
        </button>
      </ValidatedForm>
    </>
  )
}
