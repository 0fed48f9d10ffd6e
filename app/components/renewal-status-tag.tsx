import type { RenewalProposalStatus } from '../../db/schema'

const TAGS: Record<RenewalProposalStatus, { label: string; className: string }> = {
  open: { label: 'Waiting for an answer', className: 'govuk-tag--blue' },
  accepted: { label: 'Accepted', className: 'govuk-tag--green' },
  declined: { label: 'Declined', className: 'govuk-tag--orange' },
  lapsed: { label: 'Lapsed', className: 'govuk-tag--grey' },
}

/** Where a school's renewal proposal stands, as a GOV.UK tag. */
export function RenewalStatusTag({ status }: { status: RenewalProposalStatus }) {
  return <strong className={`govuk-tag ${TAGS[status].className}`}>{TAGS[status].label}</strong>
}
