import type { ReactNode } from 'react'

/**
 * A column heading of a GOV.UK table: its label, or the label with
 * `numeric` (figures, aligned right) or a `className` of its own.
 */
export type Column = ReactNode | { label: ReactNode; numeric?: boolean; className?: string }

function isOptions(column: Column): column is { label: ReactNode; numeric?: boolean; className?: string } {
  return typeof column === 'object' && column !== null && 'label' in column
}

/** The head of a GOV.UK table: one row of column headings. */
export function TableHead({ columns }: { columns: Column[] }) {
  return (
    <thead className="govuk-table__head">
      <tr className="govuk-table__row">
        {columns.map((column, i) => {
          const { label, numeric, className } = isOptions(column) ? column : { label: column, numeric: false, className: undefined }
          const classes = ['govuk-table__header', numeric ? 'govuk-table__header--numeric' : '', className ?? ''].filter(Boolean).join(' ')
          return (
            <th key={i} scope="col" className={classes}>
              {label}
            </th>
          )
        })}
      </tr>
    </thead>
  )
}
