import { howToPay, type HowToPay } from '~/domain/invoice-printout'
import { getInvoiceDocument, type InvoiceDocument } from '~/models/billing/invoice-document.server'
import {
  documentViewerFor,
  getCreditNoteDocument,
  trustDocumentOwner,
  type CreditNoteDocument,
  type DocumentViewer,
} from '~/models/billing/school-invoices.server'
import { isUuid } from '~/schemas/common'
import { redirect } from '@remix-run/node'
import { hasAnyRole, SCHOOL_ROLES, TRUST_ROLES } from '~/domain/roles'
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
  const id = (invoiceId as string).toLowerCase()
  const db = await getDb()
  const seen = await asSchoolViewer(db, viewer, { invoiceId: id })
  const invoice = await getInvoiceDocument(db, seen.authorityId, id, seen)
  if (!invoice) throw notFound()
  return { viewer: seen, invoice, how: howToPay(invoice, isStripeConfigured()) }
}

/** The credit note the address names, as printed; 404 when the viewer may not see it. */
export async function creditNoteForRequest(
  request: Request,
  creditNoteId: string | undefined,
): Promise<{ viewer: DocumentViewer; note: CreditNoteDocument }> {
  const viewer = await requireDocumentViewer(request)
  if (!isUuid(creditNoteId ?? '')) throw notFound()
  const id = (creditNoteId as string).toLowerCase()
  const db = await getDb()
  const seen = await asSchoolViewer(db, viewer, { creditNoteId: id })
  const note = await getCreditNoteDocument(db, seen.authorityId, id, seen)
  if (!note) throw notFound()
  return { viewer: seen, note }
}

/**
 * Whose documents the viewer opens: a trust's viewer reads its member
 * school's as that school's viewer, and its own consolidated invoices as the
 * trust's; not found when the document is neither. Others are unchanged.
 */
async function asSchoolViewer(
  db: Awaited<ReturnType<typeof getDb>>,
  viewer: DocumentViewer,
  document: { invoiceId: string } | { creditNoteId: string },
): Promise<DocumentViewer> {
  if (!viewer.trustSchoolIds) return viewer
  const owner = await trustDocumentOwner(db, viewer, document)
  if (!owner) throw notFound()
  return { authorityId: viewer.authorityId, ...owner }
}

/**
 * The school a money page (invoices, statement, spend) shows: a school
 * user's own; for a trust's users the member school `?school=` names, else
 * the first by name, with the members to choose from. Undefined for finance
 * and LA staff (they have the authority's pages).
 */
export async function schoolOfPage(
  viewer: DocumentViewer,
  url: URL,
): Promise<{ schoolId: string | undefined; members: { id: string; name: string }[] | null }> {
  if (!viewer.trustSchoolIds) return { schoolId: viewer.schoolId, members: null }
  if (viewer.trustSchoolIds.length === 0) throw redirect('/trust')
  const members = await (
    await getDb()
  )
    .selectFrom('schools')
    .select(['id', 'name'])
    .where('authority_id', '=', viewer.authorityId)
    .where('id', 'in', [...viewer.trustSchoolIds])
    .orderBy('name')
    .execute()
  const asked = (url.searchParams.get('school') ?? '').toLowerCase()
  return { schoolId: members.find((m) => m.id === asked)?.id ?? members[0]!.id, members }
}

/**
 * The school a school-only money page (statement, spend) is about: a school
 * user's own, never one named in the address; for a trust's users the member
 * school `?school=` names (else the first), with the members to choose from.
 * Council staff get 403; anyone signed out is sent to sign in.
 */
export async function requireSchoolPage(request: Request) {
  const user = await requireUser(request)
  if (user.schoolId && hasAnyRole(user, SCHOOL_ROLES)) return { user, schoolId: user.schoolId, members: null }
  if (!user.trustId || !hasAnyRole(user, TRUST_ROLES)) throw forbidden()
  const { schoolId, members } = await schoolOfPage({ authorityId: user.authorityId, trustSchoolIds: user.trustSchoolIds }, new URL(request.url))
  return { user, schoolId: schoolId!, members }
}
