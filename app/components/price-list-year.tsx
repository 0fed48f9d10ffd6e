import { longDate } from '~/domain/dates'
import { formatPence } from '~/domain/money'
import type { CostRecovery } from '~/domain/cost-recovery'
import type { PriceListStatus } from '~/domain/price-lists'
import { WarningText } from './warning-text'

/** What the prices page shows of one offer's prices for one year (app/models/catalogue/price-lists.server.ts). */
export type PriceListYearView = {
  tradingYear: number
  status: PriceListStatus
  pricing: string[]
  costRecovery: CostRecovery
  publishedOn: string | null
  publishedBy: string | null
}

function StatusTag({ year, current }: { year: PriceListYearView; current: boolean }) {
  if (current) return null
  const by = year.publishedBy ? ` by ${year.publishedBy}` : ''
  switch (year.status.kind) {
    case 'draft':
      return <strong className="govuk-tag govuk-tag--grey">Draft</strong>
    case 'scheduled':
      return (
        <>
          <strong className="govuk-tag govuk-tag--blue">Published</strong>
          <p className="govuk-body-s govuk-!-margin-top-1">
            Schools see these from {longDate(year.status.from)}
            {by}
          </p>
        </>
      )
    case 'on_sale':
      return (
        <>
          <strong className="govuk-tag govuk-tag--green">Published</strong>
          <p className="govuk-body-s govuk-!-margin-top-1">
            On sale from {year.publishedOn ? longDate(year.publishedOn) : 'the start of the year'}
            {by}
          </p>
        </>
      )
  }
}

/** One table cell: the year's prices in words, whether schools see them, and the cost-recovery check. */
export function PriceListYearCell({ year, current, offerName }: { year: PriceListYearView | null; current: boolean; offerName: string }) {
  if (!year) return <td className="govuk-table__cell">No prices</td>
  return (
    <td className="govuk-table__cell">
      <StatusTag year={year} current={current} />
      {year.pricing.map((line) => (
        <p key={line} className="govuk-body-s govuk-!-margin-bottom-1">
          {line}
        </p>
      ))}
      <CostRecoveryCheck check={year.costRecovery} offerName={offerName} />
    </td>
  )
}

/** The cost-recovery check in words: a warning below cost, else how far above cost the lowest price is. */
export function CostRecoveryCheck({ check, offerName }: { check: PriceListYearView['costRecovery']; offerName: string }) {
  return (
    <>
      {check.kind === 'checked' ? (
        check.warning ? (
          <WarningText>
            {check.warning}
            <span className="govuk-visually-hidden"> ({offerName})</span>
          </WarningText>
        ) : (
          <p className="govuk-body-s app-cost-recovery">
            Covers cost: at least {formatPence(check.lowestPerHourPence)} an hour against {formatPence(check.costPerHourPence)}
          </p>
        )
      ) : check.kind === 'no_prices' ? null : (
        <p className="govuk-body-s">{check.message}</p>
      )}
    </>
  )
}
