import { Link } from '@remix-run/react'
import { longDate } from '~/domain/dates'
import type { FollowUpSchool } from '~/models/renewals/follow-up.server'
import type { ProposalCounts } from '~/models/renewals/window.server'
import { formatDate, phaseName } from '~/utils/format'
import { RenewalStatusTag } from './renewal-status-tag'
import { SchoolContact } from './school-contact'
import { TableHead } from '~/components/table-head'

/** An opened window (renewalFollowUp gives none for a window not yet opened). */
type Window = { closesOn: string; openedAt: string | Date; state: string }

export type FollowUpData = {
  window: Window
  counts: ProposalCounts
  schools: (Omit<FollowUpSchool, 'at'> & { at: string | Date | null })[]
}

function countsText(counts: ProposalCounts): string {
  const proposals = counts.total === 1 ? '1 proposal' : `${counts.total} proposals`
  return `${proposals}: ${counts.accepted} accepted, ${counts.open} waiting for an answer, ${counts.declined} declined, ${counts.lapsed} lapsed`
}

function windowText(window: Window): string {
  const opened = `Proposals were sent on ${formatDate(window.openedAt)}`
  return window.state === 'closed'
    ? `${opened}; the window closed on ${longDate(window.closesOn)}.`
    : `${opened}; schools can answer until ${longDate(window.closesOn)}.`
}

/**
 * /la/trading's "Renewals" section: how the proposals into the
 * page's year stand, and the schools to follow up, whose proposal lapsed
 * (nobody answered by the closing day) or was declined, with their reason.
 * With `manageHref` (the LA administrator's renewals page), each school links
 * to its proposal there.
 */
export function RenewalFollowUp({ yearLabel, followUp, manageHref }: { yearLabel: string; followUp: FollowUpData; manageHref: string | null }) {
  const { window, counts, schools } = followUp
  return (
    <>
      <h2 className="govuk-heading-l" id="renewals" tabIndex={-1}>
        Renewals for {yearLabel}
      </h2>
      <p className="govuk-body">{windowText(window)}</p>
      <p className="govuk-body">{countsText(counts)}.</p>
      {schools.length === 0 ? (
        <p className="govuk-body">No proposals have lapsed or been declined.</p>
      ) : (
        <div className="app-table-scroll" role="region" aria-labelledby="renewals-caption" tabIndex={0}>
          <table className="govuk-table app-table--compact">
            <caption className="govuk-table__caption govuk-table__caption--s" id="renewals-caption">
              Schools to follow up: {schools.length === 1 ? '1 proposal' : `${schools.length} proposals`} lapsed or declined
            </caption>
            <TableHead columns={['School', 'Proposal', 'Services proposed', 'Contact']} />
            <tbody className="govuk-table__body">
              {schools.map((s) => (
                <tr key={s.proposalId} className="govuk-table__row">
                  <th scope="row" className="govuk-table__header">
                    {manageHref ? (
                      <Link className="govuk-link" to={`${manageHref}/${s.proposalId}`}>
                        {s.schoolName}
                      </Link>
                    ) : (
                      s.schoolName
                    )}
                    <span className="app-table__secondary">{phaseName(s.phase)}</span>
                  </th>
                  <td className="govuk-table__cell">
                    <RenewalStatusTag status={s.status} />
                    {s.at ? <span className="app-table__secondary">on {formatDate(s.at)}</span> : null}
                    {s.reason ? <span className="app-table__secondary">“{s.reason}”</span> : null}
                  </td>
                  <td className="govuk-table__cell">{s.services.length ? s.services.join(', ') : 'None left'}</td>
                  <td className="govuk-table__cell app-break-anywhere">
                    <SchoolContact headteacher={s.headteacher} email={s.email} phone={s.phone} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {manageHref ? (
        <p className="govuk-body">
          <Link className="govuk-link" to={manageHref}>
            Renewal dates and every school’s answer
          </Link>
        </p>
      ) : null}
    </>
  )
}
