import type { LoaderFunctionArgs } from '@remix-run/node'
import { createElement } from 'react'
import { StatementPdf } from '~/components/pdf/statement.server'
import { pdfResponse } from '~/utils/pdf.server'
import { loadStatement } from '~/utils/statement.server'

/** /statement.pdf: "Download statement", the same figures as /statement for the same period. */
export async function loader({ request }: LoaderFunctionArgs) {
  const { statement } = await loadStatement(request)
  return pdfResponse(createElement(StatementPdf, { statement }), `statement-${statement.school.urn}-${statement.tradingYear}-${statement.to}.pdf`)
}
