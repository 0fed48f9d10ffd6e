import type { LoaderFunctionArgs } from '@remix-run/node'
import { createElement } from 'react'
import { CreditNotePdf } from '~/components/pdf/invoice.server'
import { pdfResponse } from '~/utils/pdf.server'
import { creditNoteForRequest } from '~/utils/school-documents.server'

/** /credit-notes/:id.pdf: the credit note as printed, from the same document as its page. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { note } = await creditNoteForRequest(request, params.creditNoteId)
  return pdfResponse(createElement(CreditNotePdf, { note }), `${note.number}.pdf`)
}
