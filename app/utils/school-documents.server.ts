import { howToPay, type HowToPay } from '~/domain/invoice-printout'
import { getInvoiceDocument, type InvoiceDocument } from '~/models/billing/invoices.server'
import { documentViewerFor, getCreditNoteDocument, type CreditNoteDocument, type DocumentViewer } from '~/models/billing/school-invoices.server'
import { isUuid } from '~/schemas/common'
import { forbidden, notFound, requireUser } from './auth.server'
import { getDb } from './db.server'
import { isStripeConfigured } from './stripe.server'

/**
 * The access rule of a school's money documents, for their pages and PDFs
 * alike: anyone signed out signs in; a school's users see their school's,
 * finance officers and LA administrators their authority's, anyone else is
 * refused (403). Another school's or authority's document, or an id that is
 * not one, answers 404 exactly as a missing one.
 */
export async function requireDocumentViewer(request: Request): Promise<DocumentViewer> {
  const user = await requireUser(request)
  const viewer = documentViewerFor(user)
  if (!viewer) throw forbidden()
  return viewer
}

/** The invoice the address names, as printed, with how to pay it; 404 when the viewer may not see it. */
export async function invoiceForRequest(
  request: Request,
  invoiceId: string | undefined,
): Promise<{ viewer: DocumentViewer; invoice: InvoiceDocument; how: HowToPay }> {
  const viewer = await requireDocumentViewer(request)
  if (!isUuid(invoiceId ?? '')) throw notFound()
  const invoice = await getInvoiceDocument(await getDb(), viewer.authorityId, (invoiceId as string).toLowerCase(), viewer.schoolId)
  if (!invoice) throw notFound()
  return { viewer, invoice, how: howToPay(invoice, isStripeConfigured()) }
}

/** The credit note the address names, as printed; 404 when the viewer may not see it. */
export async function creditNoteForRequest(
  request: Request,
  creditNoteId: string | undefined,
): Promise<{ viewer: DocumentViewer; note: CreditNoteDocument }> {
  const viewer = await requireDocumentViewer(request)
  if (!isUuid(creditNoteId ?? '')) throw notFound()
  const note = await getCreditNoteDocument(await getDb(), viewer.authorityId, (creditNoteId as string).toLowerCase(), { schoolId: viewer.schoolId })
  if (!note) throw notFound()
  return { viewer, note }
}
