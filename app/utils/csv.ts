/**
 * CSV for spreadsheets (RFC 4180): fields with a comma, a double quote or a
 * line break are quoted, quotes doubled, lines end with CRLF. Text that a
 * spreadsheet would run as a formula (starting with =, +, -, @, a tab or a
 * carriage return) is prefixed with an apostrophe; numbers are written as
 * numbers. A UTF-8 byte-order mark lets Excel read "£" and "’" correctly.
 */
export type CsvValue = string | number | null | undefined

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return ''
    return String(value)
  }
  let text = value
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(csvField).join(','))
  return `\uFEFF${lines.join('\r\n')}\r\n`
}

/** Pence as a number of pounds for a spreadsheet cell: 123456 → 1234.56, -5 → -0.05 (written "1234.56", "-0.05"). */
export function penceToPounds(pence: number): number {
  if (!Number.isSafeInteger(pence)) throw new RangeError(`penceToPounds needs whole pence, got ${String(pence)}`)
  return pence / 100
}

/** A CSV file as a download. */
export function csvResponse(filename: string, body: string): Response {
  return new Response(body, {
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, '-')}"`,
      'Cache-Control': 'private, no-store',
    },
  })
}
