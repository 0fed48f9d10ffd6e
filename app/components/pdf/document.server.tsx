import { Document, Font, Page, StyleSheet, Text, View } from '@react-pdf/renderer'
import type { ReactNode } from 'react'

/**
 * The parts every printed document shares (invoices, credit notes,
 * statements, order schedules, certificates), drawn with @react-pdf/renderer
 * on the server. A document's figures come from the same model function as
 * its HTML page; these components only lay them out. Helvetica, A4.
 */

// Words wrap whole: no "Ed-ucational" in a narrow column.
Font.registerHyphenationCallback((word) => [word])

export const pdfStyles = StyleSheet.create({
  page: { paddingTop: 40, paddingBottom: 56, paddingHorizontal: 44, fontFamily: 'Helvetica', fontSize: 10, lineHeight: 1.35, color: '#0b0c0c' },
  header: {
    flexDirection: 'row',
    justifyContent: 'space-between',
    marginBottom: 18,
    borderBottomWidth: 3,
    borderBottomColor: '#0b3b45',
    paddingBottom: 8,
  },
  // Big type sets its own line height: the page's 1.35 of 10pt would overlap the line below.
  authority: { fontSize: 14, fontFamily: 'Helvetica-Bold', lineHeight: 1.2, marginBottom: 2 },
  small: { fontSize: 8.5, color: '#505a5f' },
  title: { fontSize: 20, fontFamily: 'Helvetica-Bold', marginBottom: 10, lineHeight: 1.2 },
  heading: { fontSize: 12, fontFamily: 'Helvetica-Bold', marginTop: 14, marginBottom: 6, lineHeight: 1.2 },
  bold: { fontFamily: 'Helvetica-Bold' },
  paragraph: { marginBottom: 6 },
  row: { flexDirection: 'row', borderBottomWidth: 0.5, borderBottomColor: '#b1b4b6', paddingVertical: 3 },
  headRow: { flexDirection: 'row', borderBottomWidth: 1, borderBottomColor: '#0b0c0c', paddingVertical: 3, fontFamily: 'Helvetica-Bold' },
  footer: {
    position: 'absolute',
    bottom: 24,
    left: 44,
    right: 44,
    fontSize: 8,
    color: '#505a5f',
    flexDirection: 'row',
    justifyContent: 'space-between',
  },
})

/** A document of one or more A4 pages with the authority's name and address at the top and page numbers at the foot. */
export function PdfDocument({
  title,
  authorityName,
  authorityAddress,
  reference,
  children,
}: {
  /** "Invoice COV-000123", "Statement of account". */
  title: string
  authorityName: string
  authorityAddress: string | null
  /** A short reference printed in the footer of every page. */
  reference: string
  children: ReactNode
}) {
  return (
    <Document title={title} author={authorityName} creator="Buyback" producer="Buyback">
      <Page size="A4" style={pdfStyles.page}>
        <View style={pdfStyles.header} fixed>
          <View>
            <Text style={pdfStyles.authority}>{authorityName}</Text>
            {authorityAddress ? <Text style={pdfStyles.small}>{authorityAddress}</Text> : null}
          </View>
          <Text style={pdfStyles.small}>Traded services for schools</Text>
        </View>
        {children}
        <View style={pdfStyles.footer} fixed>
          <Text>{reference}</Text>
          <Text render={({ pageNumber, totalPages }) => `Page ${pageNumber} of ${totalPages}`} />
        </View>
      </Page>
    </Document>
  )
}

/** Label and value pairs, one per line (like the GOV.UK summary list). */
export function PdfSummary({ rows }: { rows: [label: string, value: string | null | undefined][] }) {
  return (
    <View style={{ marginBottom: 8 }}>
      {rows
        .filter(([, value]) => value !== null && value !== undefined && value !== '')
        .map(([label, value]) => (
          <View key={label} style={{ flexDirection: 'row', marginBottom: 2 }}>
            <Text style={[pdfStyles.bold, { width: 150 }]}>{label}</Text>
            <Text style={{ flex: 1 }}>{value}</Text>
          </View>
        ))}
    </View>
  )
}

export type PdfColumn = { label: string; /** Share of the width (flex). */ flex: number; align?: 'left' | 'right' }

/** A table: a bold head row, then one row per entry; right-aligned columns for money. */
export function PdfTable({ columns, rows, footRows = [] }: { columns: PdfColumn[]; rows: string[][]; footRows?: string[][] }) {
  const cell = (text: string, i: number, bold = false) => (
    <Text key={i} style={[{ flex: columns[i]!.flex, textAlign: columns[i]!.align ?? 'left', paddingRight: 4 }, bold ? pdfStyles.bold : {}]}>
      {text}
    </Text>
  )
  return (
    <View style={{ marginBottom: 8 }}>
      <View style={pdfStyles.headRow} fixed>
        {columns.map((c, i) => cell(c.label, i))}
      </View>
      {rows.map((r, k) => (
        <View key={k} style={pdfStyles.row} wrap={false}>
          {r.map((text, i) => cell(text, i))}
        </View>
      ))}
      {footRows.map((r, k) => (
        <View key={`foot-${k}`} style={pdfStyles.row} wrap={false}>
          {r.map((text, i) => cell(text, i, true))}
        </View>
      ))}
    </View>
  )
}
