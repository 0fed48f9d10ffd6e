import type { ReactNode } from 'react'

/**
 * GOV.UK "important" notification banner, announced when it appears: for
 * news about something the person just tried that is not a mistake in what
 * they typed (someone else got there first, try again later).
 */
export function ImportantBanner({ titleId, children }: { titleId: string; children: ReactNode }) {
  return (
    <div className="govuk-notification-banner" role="alert" aria-labelledby={titleId} data-module="govuk-notification-banner">
      <div className="govuk-notification-banner__header">
        <h2 className="govuk-notification-banner__title" id={titleId}>
          Important
        </h2>
      </div>
      <div className="govuk-notification-banner__content">
        <p className="govuk-notification-banner__heading">{children}</p>
      </div>
    </div>
  )
}
