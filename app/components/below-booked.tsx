/** The checkbox that lets an administrator lower a team's capacity below the hours already booked: never silent. */
export function BelowBookedConfirmation({ teamId, bookedHours, teamName }: { teamId: string; bookedHours: number; teamName?: string }) {
  const id = `confirmBelowBooked-${teamId}`
  const hours = bookedHours.toLocaleString('en-GB', { maximumFractionDigits: 2 })
  return (
    <div className="govuk-form-group">
      <div className="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
        <div className="govuk-checkboxes__item">
          <input className="govuk-checkboxes__input" id={id} name="confirmBelowBooked" type="checkbox" value={teamId} />
          <label className="govuk-label govuk-checkboxes__label" htmlFor={id}>
            I understand {teamName ? `${teamName}’s` : 'the team’s'} capacity will be below the {hours} hours already booked
          </label>
        </div>
      </div>
    </div>
  )
}
