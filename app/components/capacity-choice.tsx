import { WarningText } from '~/components/warning-text'
import { ErrorMessage, ErrorSummary } from '~/components/forms'
import { useValidatedForm, ValidatedForm } from '~/components/validated-form'
import { CapacityChoiceSchema } from '~/schemas/basket'
import { splitByCapacity } from '~/domain/capacity'
import { leftUnit, quantityText, unitsLeftText as leftText } from '~/domain/quantities'
import { tradingYearLabel } from '~/domain/trading-year'

/**
 * What is left of a team's time where a school buys (basket, check page,
 * approvals): "11 days left in 2026/27" (in the unit the offer is counted in,
 * domain/quantities), a warning when the line asks for
 * more, and the school's choice between confirming what fits (the line
 * splits) and waiting for all of it. Plain forms: works without JavaScript.
 */

export type CapacityLine = {
  id: string
  offerName: string
  quantity: number
  unitOne: string
  unitOther: string
  pricingModel: string
  tradingYear: number
  capacityChoice: 'split' | 'wait_all'
}

function units(n: number, line: CapacityLine): string {
  return quantityText(n, line.unitOne, line.unitOther)
}

/** "11 days left in 2026/27", "Available in 2026/27" for a subscription, or that the team is fully booked. */
export function unitsLeftText(left: number, line: Pick<CapacityLine, 'unitOne' | 'unitOther' | 'pricingModel' | 'tradingYear'>): string {
  return leftText(left, line, tradingYearLabel(line.tradingYear))
}

/** Why the line does not fit: "only 3 days left in 2026/27", or that the team is fully booked. */
function shortfallText(line: CapacityLine, left: number, only: string): string {
  if (left <= 0 || !leftUnit(line)) return `the team is fully booked for ${tradingYearLabel(line.tradingYear)}`
  return `${only} ${unitsLeftText(left, line)}`
}

/** What the school chose, in words. */
export function choiceText(line: CapacityLine, left: number): string {
  const split = splitByCapacity(line.quantity, left)
  return line.capacityChoice === 'split' && split.confirm > 0
    ? `Confirm what fits and wait for the rest: ${units(split.confirm, line)} confirmed, ${units(split.wait, line)} on the waiting list`
    : `Wait for all of it: all ${units(line.quantity, line)} on the waiting list until the team has room`
}

/** The warning alone, for a line someone else decides on (the headteacher). */
export function CapacityWarning({ line, left }: { line: CapacityLine; left: number }) {
  if (line.quantity <= left) {
    return (
      <p className="govuk-body-s app-units-left">
        {line.offerName}: {unitsLeftText(left, line)}
      </p>
    )
  }
  return (
    <>
      <WarningText>
        {line.offerName}: {units(line.quantity, line)} asked for, but {shortfallText(line, left, 'only')}.
      </WarningText>
      <p className="govuk-body-s">The school chose: {choiceText(line, left)}.</p>
    </>
  )
}

/** The units left and, when the line asks for more, the warning and the choice. */
export function CapacityChoiceForm({
  line,
  left,
  returnTo,
  error: serverError,
}: {
  line: CapacityLine
  left: number
  returnTo: 'basket' | 'check'
  error?: string
}) {
  const name = `capacityChoice-${line.id}`
  // The action's schema; its errors show under this choice's key, as the server's do.
  const form = useValidatedForm({ schema: CapacityChoiceSchema, key: (field) => (field === 'choice' ? name : field) })
  if (line.quantity <= left) return <p className="govuk-body-s app-units-left">{unitsLeftText(left, line)}</p>
  const split = splitByCapacity(line.quantity, left)
  const error = form.checkedInBrowser ? form.errors?.[name] : serverError
  return (
    <div className="app-capacity-choice">
      <WarningText>
        You asked for {units(line.quantity, line)} of {line.offerName}, but {shortfallText(line, left, 'the team has only')}.
      </WarningText>
      <ValidatedForm form={form} method="post" action="/basket" noValidate>
        {form.checkedInBrowser ? <ErrorSummary errors={form.errors} /> : null}
        <input type="hidden" name="intent" value="capacity" />
        <input type="hidden" name="lineId" value={line.id} />
        <input type="hidden" name="returnTo" value={returnTo} />
        <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
          <fieldset className="govuk-fieldset" aria-describedby={error ? `${name}-error` : undefined}>
            <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">
              What should happen to the {units(split.wait, line)} that do not fit?
            </legend>
            <ErrorMessage id={`${name}-error`} error={error} />
            <div className="govuk-radios govuk-radios--small" data-module="govuk-radios">
              {split.confirm > 0 ? (
                <div className="govuk-radios__item">
                  <input
                    className="govuk-radios__input"
                    id={name}
                    name="choice"
                    type="radio"
                    value="split"
                    defaultChecked={line.capacityChoice === 'split'}
                    aria-describedby={`${name}-split-hint`}
                  />
                  <label className="govuk-label govuk-radios__label" htmlFor={name}>
                    Confirm what fits and wait for the rest
                  </label>
                  <div id={`${name}-split-hint`} className="govuk-hint govuk-radios__hint">
                    {units(split.confirm, line)} confirmed when the order is, {units(split.wait, line)} on the waiting list
                  </div>
                </div>
              ) : null}
              <div className="govuk-radios__item">
                <input
                  className="govuk-radios__input"
                  id={split.confirm > 0 ? `${name}-wait` : name}
                  name="choice"
                  type="radio"
                  value="wait_all"
                  defaultChecked={line.capacityChoice === 'wait_all' || split.confirm === 0}
                  aria-describedby={`${name}-wait-hint`}
                />
                <label className="govuk-label govuk-radios__label" htmlFor={split.confirm > 0 ? `${name}-wait` : name}>
                  Wait for all of it
                </label>
                <div id={`${name}-wait-hint`} className="govuk-hint govuk-radios__hint">
                  All {units(line.quantity, line)} on the waiting list until the team has room
                </div>
              </div>
            </div>
          </fieldset>
        </div>
        <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
          Save choice<span className="govuk-visually-hidden"> for {line.offerName}</span>
        </button>
      </ValidatedForm>
    </div>
  )
}
