import { renderToBuffer } from '@react-pdf/renderer'
import type { ReactElement } from 'react'

/**
 * Renders a document made of app/components/pdf parts and answers it as a
 * PDF download: never cached (it holds a school's money), with a file name
 * made only of safe characters.
 */
export async function pdfResponse(document: ReactElement, fileName: string): Promise<Response> {
  // renderToBuffer's type asks for a <Document> element; PdfDocument renders one.
  const buffer = await renderToBuffer(document as Parameters<typeof renderToBuffer>[0])
  const safeName = fileName.replace(/[^A-Za-z0-9._-]+/g, '-')
  return new Response(new Uint8Array(buffer), {
    headers: {
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="${safeName}"`,
      'Content-Length': String(buffer.length),
      'Cache-Control': 'private, no-store',
    },
  })
}
