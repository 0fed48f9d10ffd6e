import type { LoaderFunctionArgs } from '@remix-run/node'
import { createElement } from 'react'
import { InvoicePdf } from '~/components/pdf/invoice.server'
import { pdfResponse } from '~/utils/pdf.server'
import { invoiceForRequest } from '~/utils/school-documents.server'

/**
 * /invoices/:id.pdf: the invoice as printed, from the same document as its
 * page (/invoices/:id) and finance's (/finance/invoices/:id). A school's users
 * download their school's; finance and LA administrators any of their authority's.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { invoice, how } = await invoiceForRequest(request, params.invoiceId)
  return pdfResponse(createElement(InvoicePdf, { invoice, how }), `${invoice.number}.pdf`)
}
