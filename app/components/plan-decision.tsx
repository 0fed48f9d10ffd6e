import { Form } from '@remix-run/react'
import { BelowBookedConfirmation } from '~/components/below-booked'
import { formatFte, RECOMMENDATION_TAGS } from '~/components/figures'
import { ErrorMessage, TextInput } from '~/components/forms'
import { longDateTime } from '~/domain/dates'
import type { RecommendationKind } from '~/domain/capacity-model'
import { tradingYearLabel } from '~/domain/trading-year'
import type { FieldErrors } from '~/schemas/common'

/**
 * On /la/capacity: the LA administrator's form that takes a team's
 * recommendation into next year's establishment, and the history of those
 * decisions (who, when, why) that everyone who sees the team can read.
 */

export type PlanFormState = { errors: FieldErrors; values: { toFte: string; reason: string }; belowBooked: number | null }

export function TakeRecommendationForm(props: {
  teamId: string
  teamName: string
  year: number
  suggestedFte: number
  recommendationText: string
  state?: PlanFormState
}) {
  const { teamId, state } = props
  const id = (name: string) => `${name}-${teamId}`
  const reasonError = state?.errors[id('reason')]
  return (
    <Form method="post" action={`/la/capacity?year=${props.year}`} noValidate className="govuk-!-margin-bottom-6">
      <input type="hidden" name="teamId" value={teamId} />
      <input type="hidden" name="year" value={props.year} />
      <fieldset className="govuk-fieldset">
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">
          <h3 className="govuk-fieldset__heading">Take into next year’s plan</h3>
        </legend>
        <p className="govuk-body">
          {props.recommendationText}. This sets {props.teamName}’s establishment for {tradingYearLabel(props.year + 1)}; its other figures stay as
          they are (or are copied from {tradingYearLabel(props.year)} if {tradingYearLabel(props.year + 1)} has none yet).
        </p>
        <TextInput
          name={id('toFte')}
          label={`Establishment FTE for ${tradingYearLabel(props.year + 1)}`}
          labelSize="s"
          hint="This year’s establishment plus the recommended change. You can change it."
          inputMode="decimal"
          width={10}
          maxLength={30}
          defaultValue={state?.values.toFte ?? String(props.suggestedFte)}
          error={state?.errors[id('toFte')]}
        />
        {state?.belowBooked != null ? <BelowBookedConfirmation teamId={teamId} teamName={props.teamName} bookedHours={state.belowBooked} /> : null}
        <div className={`govuk-form-group${reasonError ? ' govuk-form-group--error' : ''}`}>
          <label className="govuk-label govuk-label--s" htmlFor={id('reason')}>
            Reason
          </label>
          <div className="govuk-hint" id={`${id('reason')}-hint`}>
            Why you are taking this into the plan: it is kept with the decision.
          </div>
          <ErrorMessage id={`${id('reason')}-error`} error={reasonError} />
          <textarea
            className={`govuk-textarea${reasonError ? ' govuk-textarea--error' : ''}`}
            id={id('reason')}
            name="reason"
            rows={3}
            maxLength={1000}
            defaultValue={state?.values.reason}
            aria-describedby={[`${id('reason')}-hint`, reasonError ? `${id('reason')}-error` : null].filter(Boolean).join(' ')}
          />
        </div>
      </fieldset>
      <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button" data-prevent-double-click="true">
        Take into next year’s plan<span className="govuk-visually-hidden"> for {props.teamName}</span>
      </button>
    </Form>
  )
}

export type DecisionRow = {
  id: string
  tradingYear: number
  kind: RecommendationKind
  recommendedFteChange: number
  fromFte: number
  toFte: number
  reason: string
  decidedBy: string | null
  decidedAt: string
}

export function DecisionHistory({ teamName, decisions }: { teamName: string; decisions: DecisionRow[] }) {
  if (decisions.length === 0) return null
  return (
    <table className="govuk-table app-table--compact">
      <caption className="govuk-table__caption govuk-table__caption--s">{teamName}: decisions taken into the plan</caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          {['When', 'Who', 'Year', 'Recommendation', 'Establishment', 'Why'].map((h) => (
            <th key={h} scope="col" className="govuk-table__header">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {decisions.map((d) => (
          <tr key={d.id} className="govuk-table__row">
            <td className="govuk-table__cell">{longDateTime(d.decidedAt)}</td>
            <td className="govuk-table__cell">{d.decidedBy ?? 'Someone no longer a user'}</td>
            <td className="govuk-table__cell">{tradingYearLabel(d.tradingYear)}</td>
            <td className="govuk-table__cell">
              {RECOMMENDATION_TAGS[d.kind].label}
              {d.kind === 'hold' ? '' : ` by ${formatFte(Math.abs(d.recommendedFteChange))} FTE`}
            </td>
            <td className="govuk-table__cell">
              {formatFte(d.fromFte)} to {formatFte(d.toFte)} FTE
            </td>
            <td className="govuk-table__cell">{d.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
