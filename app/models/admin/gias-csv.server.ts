import { Readable } from 'node:stream'
import { CsvError, parse } from 'csv-parse'
import { mapGiasRow, REQUIRED_GIAS_COLUMNS, type GiasBadRow, type GiasSchool } from '../../domain/gias'

/**
 * Reads a GIAS establishment extract (CSV, as GIAS downloads it: UTF-8 with
 * a byte order mark, or Windows-1252 from older tools; hundreds of columns;
 * quoted fields with commas) with csv-parse's streaming parser, one row at a
 * time, into the authority's schools, its bad rows and the rows ignored.
 * Lines are counted as a spreadsheet counts rows: the header is line 1.
 */

export type GiasIgnored = { otherLa: number; notSoldTo: number }

export type GiasExtract = {
  rowCount: number
  schools: GiasSchool[]
  bad: GiasBadRow[]
  ignored: GiasIgnored
}

export type GiasReadResult = { ok: true; extract: GiasExtract } | { ok: false; message: string }

const CHUNK = 64 * 1024

/** The file's text: UTF-8 when it is valid UTF-8 (its byte order mark is left for the parser), Windows-1252 otherwise. */
export function decodeExtract(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes)
  } catch {
    return new TextDecoder('windows-1252').decode(bytes)
  }
}

function* chunks(text: string) {
  for (let i = 0; i < text.length; i += CHUNK) yield text.slice(i, i + CHUNK)
}

export async function readGiasExtract(bytes: Uint8Array, laCode: string): Promise<GiasReadResult> {
  const parser = Readable.from(chunks(decodeExtract(bytes))).pipe(
    parse({
      bom: true,
      columns: (header: string[]) => header.map((h) => h.trim()),
      relax_column_count: true,
      relax_quotes: true,
      trim: false,
    }),
  )
  const extract: GiasExtract = { rowCount: 0, schools: [], bad: [], ignored: { otherLa: 0, notSoldTo: 0 } }
  const lineOfUrn = new Map<string, number>()
  let checkedHeader = false
  try {
    for await (const record of parser as AsyncIterable<Record<string, string>>) {
      if (!checkedHeader) {
        const missing = REQUIRED_GIAS_COLUMNS.filter((c) => !(c in record))
        if (missing.length) return { ok: false, message: notAnExtract(missing) }
        checkedHeader = true
      }
      extract.rowCount++
      const line = extract.rowCount + 1
      const result = mapGiasRow(record, line, laCode)
      if (result.kind === 'ignored') {
        if (result.reason === 'other_la') extract.ignored.otherLa++
        else extract.ignored.notSoldTo++
      } else if (result.kind === 'bad') {
        extract.bad.push(result.bad)
      } else {
        const first = lineOfUrn.get(result.school.urn)
        if (first !== undefined) {
          extract.bad.push({ line, urn: result.school.urn, reason: `URN ${result.school.urn} is also on line ${first}` })
        } else {
          lineOfUrn.set(result.school.urn, line)
          extract.schools.push(result.school)
        }
      }
    }
  } catch (error) {
    if (error instanceof CsvError) {
      return { ok: false, message: `The file could not be read as CSV (line ${String(error.lines ?? '?')}): check it is the CSV GIAS downloads` }
    }
    throw error
  }
  if (extract.rowCount === 0) return { ok: false, message: 'The file has no rows: choose a GIAS establishment extract' }
  return { ok: true, extract }
}

function notAnExtract(missing: readonly string[]): string {
  const names = missing.map((m) => `“${m}”`).join(', ')
  return `The file is not a GIAS establishment extract: it has no ${names} column${missing.length === 1 ? '' : 's'}`
}
