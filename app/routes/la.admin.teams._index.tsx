import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { SuccessBanner } from '~/components/success-banner'
import { WarningText } from '~/components/warning-text'
import { TableHead } from '~/components/table-head'
import { tradingYearLabel } from '~/domain/trading-year'
import { getTeamYear, listTeamYears } from '~/models/admin/teams.server'
import { parseYearParam } from '~/schemas/admin'
import { requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { isUuid } from '~/schemas/common'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const db = await getDb()
  const params = new URL(request.url).searchParams
  const updatedId = params.get('updated')
  const updatedYear = parseYearParam(params.get('year'))
  const [teamYears, updated] = await Promise.all([
    listTeamYears(db, user.authorityId),
    isUuid(updatedId) && updatedYear !== null ? getTeamYear(db, user.authorityId, updatedId, updatedYear) : undefined,
  ])
  const promoted = Number.parseInt(params.get('promoted') ?? '0', 10)
  return {
    authorityName: user.authorityName,
    teamYears,
    updated: updated
      ? {
          teamName: updated.teamName,
          year: tradingYearLabel(updated.tradingYear),
          promoted: Number.isFinite(promoted) && promoted > 0 ? promoted : 0,
          overCommitted: updated.reservedHours > updated.capacityHours,
        }
      : null,
  }
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Teams – ${data?.authorityName ?? 'Buyback'} – Buyback` }]

const hours = (n: number) => n.toLocaleString('en-GB', { maximumFractionDigits: 2 })

function promotedText(count: number): string {
  if (count === 0) return 'No waiting lines were confirmed'
  return count === 1 ? '1 waiting line was confirmed' : `${count} waiting lines were confirmed`
}

export default function Teams() {
  const { teamYears, updated, authorityName } = useLoaderData<typeof loader>()
  return (
    <>
      {updated ? (
        <SuccessBanner titleId="updated-banner-title" heading={`${updated.teamName} ${updated.year} saved`}>
          <p className="govuk-body">
            {promotedText(updated.promoted)}
            {updated.promoted > 0 ? ' and the schools have been emailed.' : '.'}
          </p>
        </SuccessBanner>
      ) : null}
      {updated?.overCommitted ? (
        <WarningText>
          {updated.teamName} has more hours confirmed in {updated.year} than its capacity. Nothing already confirmed has been taken away.
        </WarningText>
      ) : null}

      <h1 className="govuk-heading-xl">Teams</h1>
      <p className="govuk-body-l">
        What each of {authorityName}’s teams can sell this trading year and next, what is already confirmed and what is waiting. When you raise a
        team’s capacity, lines on its waiting list are confirmed, oldest first.
      </p>
      <p className="govuk-body">
        <Link className="govuk-link" to="/la/admin/targets">
          Set every team’s figures and each service’s income target for a year
        </Link>
      </p>

      {teamYears.length ? (
        <div className="app-table-wrapper">
          <table className="govuk-table govuk-table--small-text-until-tablet">
            <caption className="govuk-table__caption govuk-visually-hidden">Teams’ capacity</caption>
            <TableHead
              columns={[
                'Team',
                'Year',
                { label: 'Establishment FTE', numeric: true },
                { label: 'Chargeable hours per FTE', numeric: true },
                { label: 'Sessional hours', numeric: true },
                { label: 'Capacity (hours)', numeric: true },
                { label: 'Reserved (hours)', numeric: true },
                { label: 'Waiting (hours)', numeric: true },
              ]}
            />
            <tbody className="govuk-table__body">
              {teamYears.map((t) => (
                <tr key={`${t.teamId}-${t.tradingYear}`} className="govuk-table__row">
                  <th scope="row" className="govuk-table__header">
                    <Link className="govuk-link" to={`/la/admin/teams/${t.teamId}/${t.tradingYear}`}>
                      {t.teamName}
                      <span className="govuk-visually-hidden"> {tradingYearLabel(t.tradingYear)}</span>
                    </Link>
                  </th>
                  <td className="govuk-table__cell">{tradingYearLabel(t.tradingYear)}</td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{hours(t.establishmentFte)}</td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{hours(t.chargeableHoursPerFte)}</td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{hours(t.sessionalHours)}</td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{hours(t.capacityHours)}</td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">
                    {hours(t.reservedHours)}
                    {t.reservedHours > t.capacityHours ? (
                      <strong className="govuk-tag govuk-tag--red govuk-!-margin-left-1">Over capacity</strong>
                    ) : null}
                  </td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{hours(t.waitlistedHours)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <>
          <h2 className="govuk-heading-m">No team figures for this year or next</h2>
          <p className="govuk-body">Teams appear here once their figures for the trading year have been set up.</p>
        </>
      )}
    </>
  )
}
