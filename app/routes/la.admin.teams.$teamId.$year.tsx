import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useValidatedForm, ValidatedForm } from '~/components/validated-form'
import { ErrorSummary, TextInput } from '~/components/forms'
import { SummaryRow } from '~/components/summary-list'
import { WarningText } from '~/components/warning-text'
import { BelowBookedConfirmation } from '~/components/below-booked'
import { tradingYearLabel } from '~/domain/trading-year'
import { getTeamYear, saveTeamYear } from '~/models/admin/teams.server'
import { teamYearValues } from '~/models/admin/targets.server'
import { parseYearParam, TEAM_YEAR_FIELDS, TeamYearSchema, teamYearValuesFrom, type TeamYearValues } from '~/schemas/admin'
import { notFound, requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { type FieldErrors, isUuid } from '~/schemas/common'
import { actorFor } from '~/models/shared/actor.server'

/** The team id and trading year of the address, or a 404 when either could never match. */
function parseParams(params: LoaderFunctionArgs['params']): { teamId: string; year: number } {
  const teamId = params.teamId ?? ''
  const year = parseYearParam(params.year)
  if (!isUuid(teamId) || year === null) throw notFound()
  return { teamId, year }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const { teamId, year } = parseParams(params)
  const teamYear = await getTeamYear(await getDb(), user.authorityId, teamId, year)
  if (!teamYear) throw notFound()
  const values: TeamYearValues = teamYearValues(teamYear)
  return { teamYear: { ...teamYear, yearLabel: tradingYearLabel(teamYear.tradingYear) }, values }
}

type ActionData = { errors: FieldErrors; values: TeamYearValues; belowBooked: number | null }

export async function action({ request, params, context }: ActionFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const { teamId, year } = parseParams(params)
  const form = await request.formData()
  const values = teamYearValuesFrom(form)
  const confirmed = form.get('confirmBelowBooked') === teamId
  const result = await saveTeamYear(await getDb(), actorFor(user, request, context), teamId, year, values, confirmed)
  if (!result.ok) {
    if ('notFound' in result) throw notFound()
    return data<ActionData>({ errors: result.errors, values, belowBooked: result.belowBooked }, { status: 400 })
  }
  const query = new URLSearchParams({ updated: teamId, year: String(year), promoted: String(result.promoted.length) })
  return redirect(`/la/admin/teams?${query}`)
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.teamYear.teamName} ${data.teamYear.yearLabel} – Teams – Buyback` : 'Page not found – Buyback' },
]

const hours = (n: number) => n.toLocaleString('en-GB', { maximumFractionDigits: 2 })

export default function EditTeamYear() {
  const { teamYear, values: saved } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const form = useValidatedForm({ schema: TeamYearSchema, values: teamYearValuesFrom, serverErrors: actionData?.errors })
  const errors = form.errors
  const values = actionData?.values ?? saved
  return (
    <>
      <Link to="/la/admin/teams" className="govuk-back-link">
        Back to teams
      </Link>
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} order={[...TEAM_YEAR_FIELDS]} />
          <span className="govuk-caption-l">Team capacity, {teamYear.yearLabel}</span>
          <h1 className="govuk-heading-l">{teamYear.teamName}</h1>
          <dl className="govuk-summary-list">
            <SummaryRow label="Capacity now">{hours(teamYear.capacityHours)} hours</SummaryRow>
            <SummaryRow label="Reserved">{hours(teamYear.reservedHours)} hours</SummaryRow>
            <SummaryRow label="Waiting list">{hours(teamYear.waitlistedHours)} hours</SummaryRow>
          </dl>

          {teamYear.reservedHours > teamYear.capacityHours ? (
            <WarningText>
              More hours are confirmed ({hours(teamYear.reservedHours)}) than the team’s capacity ({hours(teamYear.capacityHours)}). Nothing more can
              be confirmed until capacity is raised or hours free up.
            </WarningText>
          ) : null}

          <p className="govuk-body">
            Capacity is establishment FTE × chargeable hours per FTE, plus sessional hours. If you raise it, lines on the waiting list are confirmed,
            oldest first, and the schools are emailed.
          </p>
          <WarningText>
            Capacity cannot go below the {hours(teamYear.reservedHours)} hours already booked unless you confirm it: nothing already confirmed is
            taken away, but the team will be over-committed for {teamYear.yearLabel}.
          </WarningText>
          <p className="govuk-body">
            <Link className="govuk-link" to={`/la/admin/targets?year=${teamYear.tradingYear}`}>
              Every team’s and service’s figures for {teamYear.yearLabel}
            </Link>
          </p>

          <ValidatedForm form={form} method="post" noValidate>
            <TextInput
              name="establishmentFte"
              label="Establishment FTE"
              labelSize="m"
              hint="Full-time equivalent staff, from 0 to 500, with up to 2 decimal places, like 4.25"
              inputMode="decimal"
              width={10}
              maxLength={30}
              defaultValue={values.establishmentFte}
              error={errors?.establishmentFte}
            />
            <TextInput
              name="chargeableHoursPerFte"
              label="Chargeable hours per FTE"
              labelSize="m"
              hint="The hours a full-time member of staff can sell in the year. A whole number from 0 to 2,000."
              inputMode="numeric"
              width={10}
              maxLength={30}
              defaultValue={values.chargeableHoursPerFte}
              error={errors?.chargeableHoursPerFte}
            />
            <TextInput
              name="sessionalHours"
              label="Sessional hours"
              labelSize="m"
              hint="Hours bought in from sessional staff for the year. A whole number from 0 to 100,000."
              inputMode="numeric"
              width={10}
              maxLength={30}
              defaultValue={values.sessionalHours}
              error={errors?.sessionalHours}
            />
            <TextInput
              name="costPerFte"
              label="Cost per FTE"
              labelSize="m"
              hint="What a full-time member of staff costs in the year, in pounds"
              inputMode="decimal"
              width={10}
              maxLength={30}
              prefix="£"
              defaultValue={values.costPerFte}
              error={errors?.costPerFte}
            />
            <TextInput
              name="centralFunding"
              label="Central funding"
              labelSize="m"
              hint="Money the council puts into the team for the year, in pounds"
              inputMode="decimal"
              width={10}
              maxLength={30}
              prefix="£"
              defaultValue={values.centralFunding}
              error={errors?.centralFunding}
            />
            {actionData?.belowBooked != null ? <BelowBookedConfirmation teamId={teamYear.teamId} bookedHours={actionData.belowBooked} /> : null}
            <button type="submit" className="govuk-button" data-module="govuk-button">
              Save changes
            </button>
          </ValidatedForm>
        </div>
      </div>
    </>
  )
}
