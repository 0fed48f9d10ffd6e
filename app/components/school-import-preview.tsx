import type { ReactNode } from 'react'
import { TableHead } from '~/components/table-head'
import type { FieldChange } from '~/domain/gias'
import { IMPORTED_FIELDS } from '~/domain/gias'
import { formatDate, phaseName } from '~/utils/format'
import type { Phase } from '../../db/schema'

/**
 * The tables of a GIAS import's preview: each with its caption (its
 * accessible name), a count, and at most PREVIEW_ROWS rows, saying how many
 * more there are.
 */

export const PREVIEW_ROWS = 100

export function PreviewTable({
  caption,
  total,
  columns,
  rows,
}: {
  caption: string
  total: number
  columns: Parameters<typeof TableHead>[0]['columns']
  rows: { key: string; cells: ReactNode[] }[]
}) {
  if (total === 0) return null
  return (
    <div className="app-table-wrapper">
      <table className="govuk-table govuk-table--small-text-until-tablet">
        <caption className="govuk-table__caption govuk-table__caption--m">
          {caption} ({total.toLocaleString('en-GB')})
        </caption>
        <TableHead columns={columns} />
        <tbody className="govuk-table__body">
          {rows.map((row) => (
            <tr key={row.key} className="govuk-table__row">
              {row.cells.map((cell, i) =>
                i === 0 ? (
                  <th key={i} scope="row" className="govuk-table__header">
                    {cell}
                  </th>
                ) : (
                  <td key={i} className="govuk-table__cell">
                    {cell}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {total > rows.length ? (
        <p className="govuk-body-s">
          Showing the first {rows.length} of {total.toLocaleString('en-GB')}.
        </p>
      ) : null}
    </div>
  )
}

const FIELD_NAMES: Record<FieldChange['field'], string> = { ...IMPORTED_FIELDS, status: 'Status', closedOn: 'Closed on', schoolType: 'Type' }

function shown(field: FieldChange['field'], value: string | number | null): string {
  if (value === null || value === '') return 'none'
  if (field === 'phase') return phaseName(value as Phase)
  if (field === 'openedOn' || field === 'closedOn') return formatDate(String(value))
  if (field === 'pupilCount') return Number(value).toLocaleString('en-GB')
  if (field === 'status' || field === 'schoolType') return String(value).charAt(0).toUpperCase() + String(value).slice(1)
  return String(value)
}

/** One change as the preview says it: "Pupils: 255 → 270". */
export function changeText(change: FieldChange): string {
  return `${FIELD_NAMES[change.field]}: ${shown(change.field, change.from)} → ${shown(change.field, change.to)}`
}
