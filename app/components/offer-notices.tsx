import { WarningText } from '~/components/warning-text'

/**
 * What a school should know before buying an offer again: that it already
 * holds this yearly agreement (shown instead of "Add to basket"), or that its
 * subscription includes the offer at £0.
 */
export function OfferNotices({ notice }: { notice?: { duplicate: string | null; included: string | null } }) {
  if (!notice) return null
  return (
    <>
      {notice.duplicate ? <WarningText>{notice.duplicate}.</WarningText> : null}
      {notice.included ? <p className="govuk-body govuk-!-font-weight-bold app-included">{notice.included}</p> : null}
    </>
  )
}
