import { Link } from '@remix-run/react'

function Paragraphs({ text }: { text: string }) {
  return (
    <>
      {text.split(/\n\s*\n/).map((paragraph, i) => (
        <p key={i} className="govuk-body">
          {paragraph}
        </p>
      ))}
    </>
  )
}

/**
 * What every school receives without charge (the service's statutory core)
 * and where charges begin, shown on the service page above its offers.
 * Nothing when the service says neither.
 */
export function StatutoryCore({ freeToAll, chargesBegin }: { freeToAll: string; chargesBegin: string }) {
  if (!freeToAll && !chargesBegin) return null
  return (
    <section className="app-statutory-core" aria-labelledby="statutory-core-heading">
      <h2 className="govuk-heading-l" id="statutory-core-heading">
        {freeToAll ? 'What every school receives without charge' : 'Where charges begin'}
      </h2>
      {freeToAll ? <Paragraphs text={freeToAll} /> : null}
      {freeToAll && chargesBegin ? <h3 className="govuk-heading-m">Where charges begin</h3> : null}
      {chargesBegin ? <Paragraphs text={chargesBegin} /> : null}
    </section>
  )
}

const AS: Record<'maintained' | 'academy', string> = { maintained: 'a maintained school', academy: 'an academy' }

/** Tells council staff previewing the service page whose view they see, and takes them back. */
export function PreviewBanner({ schoolType, editPath }: { schoolType: 'maintained' | 'academy'; editPath: string }) {
  const other = schoolType === 'maintained' ? 'academy' : 'maintained'
  return (
    <div className="govuk-notification-banner" role="region" aria-labelledby="preview-banner-title" data-module="govuk-notification-banner">
      <div className="govuk-notification-banner__header">
        <h2 className="govuk-notification-banner__title" id="preview-banner-title">
          Preview
        </h2>
      </div>
      <div className="govuk-notification-banner__content">
        <p className="govuk-notification-banner__heading">You are seeing this page as {AS[schoolType]} would see it.</p>
        <p className="govuk-body">
          Prices are {schoolType === 'maintained' ? 'maintained schools’' : 'academies’'}. Ordering is switched off in a preview.{' '}
          <Link className="govuk-notification-banner__link" to={`?preview=${other}`}>
            Preview as {AS[other]}
          </Link>{' '}
          or{' '}
          <Link className="govuk-notification-banner__link" to={editPath}>
            go back to editing the service
          </Link>
          .
        </p>
      </div>
    </div>
  )
}
