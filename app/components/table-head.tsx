import type { ReactNode } from 'react'

/**
 * A column heading of a GOV.UK table: its label, or the label with
 * `numeric` (figures, aligned right), a `className` of its own, or, in a
 * sortable table, `sort`: the order the server gave ('ascending' or
 * 'descending'), or false for a column that cannot be sorted.
 */
export type Column = ReactNode | { label: ReactNode; numeric?: boolean; className?: string; sort?: ColumnSort | false }

type ColumnSort = 'ascending' | 'descending' | 'none'

function isOptions(column: Column): column is { label: ReactNode; numeric?: boolean; className?: string; sort?: ColumnSort | false } {
  return typeof column === 'object' && column !== null && 'label' in column
}

/**
 * The head of a GOV.UK table: one row of column headings. In a `sortable`
 * table (with `data-module="moj-sortable-table"` on the <table>), each
 * heading carries aria-sort, which MOJ Frontend's script turns into a button
 * that sorts the rows in the browser; without JavaScript the rows stay in the
 * server's order. Cells whose text is not what they sort by (money, dates,
 * tags) give a `data-sort-value`.
 */
export function TableHead({ columns, sortable = false }: { columns: Column[]; sortable?: boolean }) {
  return (
    <thead className="govuk-table__head">
      <tr className="govuk-table__row">
        {columns.map((column, i) => {
          const { label, numeric, className, sort } = isOptions(column)
            ? column
            : { label: column, numeric: false, className: undefined, sort: undefined }
          const classes = ['govuk-table__header', numeric ? 'govuk-table__header--numeric' : '', className ?? ''].filter(Boolean).join(' ')
          return (
            <th key={i} scope="col" className={classes} aria-sort={sortable && sort !== false ? (sort ?? 'none') : undefined}>
              {label}
            </th>
          )
        })}
      </tr>
    </thead>
  )
}
