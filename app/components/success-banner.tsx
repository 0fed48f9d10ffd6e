import type { ReactNode } from 'react'

/**
 * GOV.UK success notification banner, announced when it appears. `titleId`
 * must be unique on the page; `children` follow the heading.
 */
export function SuccessBanner({ titleId, heading, children }: { titleId: string; heading: ReactNode; children?: ReactNode }) {
  return (
    <div
      className="govuk-notification-banner govuk-notification-banner--success"
      role="alert"
      aria-labelledby={titleId}
      data-module="govuk-notification-banner"
    >
      <div className="govuk-notification-banner__header">
        <h2 className="govuk-notification-banner__title" id={titleId}>
          Success
        </h2>
      </div>
      <div className="govuk-notification-banner__content">
        <h3 className="govuk-notification-banner__heading">{heading}</h3>
        {children}
      </div>
    </div>
  )
}
