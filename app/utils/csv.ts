/**
 * CSV files (finance's invoices, journals and aged debt; trading and
 * capacity): RFC 4180. A field
 * holding a comma, a double quote or a line break is quoted, with quotes
 * doubled; lines end with CRLF; a UTF-8 byte-order mark lets Excel read "’"
 * and "é". Text a spreadsheet would run as a formula (starting with =, +, -,
 * @, a tab or a carriage return) is prefixed with an apostrophe. Money is
 * written as pounds with two decimals and no £ sign ("1234.50", "-12.30"),
 * never mistaken for a formula.
 */

/** A cell: text, a plain number, an amount of money in pence, or nothing. */
export type CsvCell = string | number | null | undefined | { pence: number }

/** Integer pence as pounds with two decimals: 123450 → "1234.50", -5 → "-0.05", 0 → "0.00". */
export function poundsText(pence: number): string {
  if (!Number.isSafeInteger(pence)) throw new RangeError(`poundsText needs whole pence, got ${String(pence)}`)
  const abs = Math.abs(pence)
  return `${pence < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}

function quote(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'object') return poundsText(value.pence)
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  return quote(/^[=+\-@\t\r]/.test(value) ? `'${value}` : value)
}

export function buildCsv(header: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  const lines = [header.map(csvCell).join(',')]
  for (const row of rows) lines.push(row.map(csvCell).join(','))
  return `\uFEFF${lines.join('\r\n')}\r\n`
}

/** A CSV file as a download named `filename` (letters, digits, dots and dashes only). */
export function csvDownload(filename: string, body: string): Response {
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '-')}"`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  })
}
