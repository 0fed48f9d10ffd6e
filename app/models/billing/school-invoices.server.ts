import { sql } from 'kysely'
import type { DB } from '../../../db/connection'
import { ADDRESSEE_COLUMNS, addresseeOf, type Addressee, type InvoiceOwner } from './invoice-document.server'
import type { FinanceRoute, InvoiceStatus } from '../../../db/schema'
import { outstandingPence } from '../../domain/invoicing'
import { hasAnyRole, SCHOOL_ROLES, TRUST_ROLES } from '../../domain/roles'
import type { SessionUser } from '../../utils/session.server'

/**
 * What a school sees of its invoices and credit notes (/invoices,
 * /invoices/:id, /credit-notes/:id and their PDFs). Every query is limited to
 * the authority and, for a school's users, to their school: another school's
 * document is not found, exactly as a missing one.
 */

/**
 * Whose documents a user may open: a school's users their school's, a
 * trust's users its member schools' of today (`trustSchoolIds`, one school at
 * a time), finance and LA administrators the authority's. Null: none.
 */
/**
 * Who reads money documents: finance and LA staff (the authority's), a
 * school's users (`schoolId`), or a trust's users (`trustId`, with its
 * member schools of today, `trustSchoolIds`).
 */
export type DocumentViewer = { authorityId: string; schoolId?: string; trustId?: string; trustSchoolIds?: readonly string[] }

export function documentViewerFor(
  user: Pick<SessionUser, 'authorityId' | 'roles' | 'schoolId' | 'serviceIds'> & Partial<Pick<SessionUser, 'trustId' | 'trustSchoolIds'>>,
): DocumentViewer | null {
  if (user.roles.includes('finance') || user.roles.includes('la_admin')) return { authorityId: user.authorityId }
  if (user.schoolId && hasAnyRole({ roles: user.roles, schoolId: user.schoolId, serviceIds: [] }, SCHOOL_ROLES)) {
    return { authorityId: user.authorityId, schoolId: user.schoolId }
  }
  if (user.trustId && hasAnyRole({ roles: user.roles, schoolId: null, serviceIds: [] }, TRUST_ROLES)) {
    return { authorityId: user.authorityId, trustId: user.trustId, trustSchoolIds: user.trustSchoolIds ?? [] }
  }
  return null
}

/**
 * Whose a document is, for a trust's viewer: its member school's (that
 * school's id), or the trust's own consolidated invoice (the trust's id);
 * undefined for any other school's or trust's.
 */
export async function trustDocumentOwner(
  db: DB,
  viewer: DocumentViewer,
  document: { invoiceId: string } | { creditNoteId: string },
): Promise<{ schoolId: string } | { trustId: string } | undefined> {
  const row =
    'invoiceId' in document
      ? await db
          .selectFrom('invoices')
          .select(['school_id', 'trust_id'])
          .where('authority_id', '=', viewer.authorityId)
          .where('id', '=', document.invoiceId)
          .executeTakeFirst()
      : await db
          .selectFrom('credit_notes as c')
          .innerJoin('invoices as i', (j) => j.onRef('i.authority_id', '=', 'c.authority_id').onRef('i.id', '=', 'c.invoice_id'))
          .select(['i.school_id', 'i.trust_id'])
          .where('c.authority_id', '=', viewer.authorityId)
          .where('c.id', '=', document.creditNoteId)
          .executeTakeFirst()
  if (!row) return undefined
  if (row.trust_id !== null) return viewer.trustId !== undefined && row.trust_id === viewer.trustId ? { trustId: row.trust_id } : undefined
  return row.school_id !== null && viewer.trustSchoolIds?.includes(row.school_id) ? { schoolId: row.school_id } : undefined
}

export type SchoolDocumentRow = {
  kind: 'invoice' | 'credit_note'
  id: string
  number: string
  /** The invoice a credit note is against. */
  invoiceNumber: string | null
  route: FinanceRoute
  status: InvoiceStatus | null
  issuedAt: Date
  /** Invoices only. */
  dueOn: string | null
  grossPence: number
  /** What is still to pay (invoices); 0 for credit notes. */
  duePence: number
  journalMonth: string | null
}

export const SCHOOL_DOCUMENTS_PAGE_SIZE = 25

/** One page of a school's invoices and credit notes, newest first. */
export async function listSchoolDocuments(
  db: DB,
  authorityId: string,
  schoolId: string,
  requestedPage: number,
): Promise<{ documents: SchoolDocumentRow[]; total: number; page: number; pageCount: number }> {
  const invoices = db
    .selectFrom('invoices as i')
    .leftJoin('recharge_journals as j', (jn) => jn.onRef('j.authority_id', '=', 'i.authority_id').onRef('j.id', '=', 'i.journal_id'))
    .where('i.authority_id', '=', authorityId)
    .where('i.school_id', '=', schoolId)
    .select([
      sql<'invoice' | 'credit_note'>`'invoice'`.as('kind'),
      'i.id',
      'i.number',
      sql<string | null>`null::text`.as('invoice_number'),
      'i.route',
      sql<InvoiceStatus | null>`i.status::text`.as('status'),
      'i.issued_at',
      sql<string | null>`i.due_on::text`.as('due_on'),
      'i.gross_pence',
      'i.amount_paid_pence',
      'i.amount_credited_pence',
      sql<string | null>`j.month::text`.as('journal_month'),
      'i.sequence_number',
    ])
  const creditNotes = db
    .selectFrom('credit_notes as c')
    .innerJoin('invoices as ci', (jn) => jn.onRef('ci.authority_id', '=', 'c.authority_id').onRef('ci.id', '=', 'c.invoice_id'))
    .leftJoin('recharge_journals as cj', (jn) => jn.onRef('cj.authority_id', '=', 'c.authority_id').onRef('cj.id', '=', 'c.journal_id'))
    .where('c.authority_id', '=', authorityId)
    .where('ci.school_id', '=', schoolId)
    .select([
      sql<'invoice' | 'credit_note'>`'credit_note'`.as('kind'),
      'c.id',
      'c.number',
      'ci.number as invoice_number',
      'ci.route',
      sql<InvoiceStatus | null>`null::text`.as('status'),
      'c.issued_at',
      sql<string | null>`null::text`.as('due_on'),
      'c.gross_pence',
      sql<number>`0`.as('amount_paid_pence'),
      sql<number>`0`.as('amount_credited_pence'),
      sql<string | null>`cj.month::text`.as('journal_month'),
      'c.sequence_number',
    ])
  const [invoiceCount, creditCount] = await Promise.all([
    db
      .selectFrom('invoices')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('authority_id', '=', authorityId)
      .where('school_id', '=', schoolId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('credit_notes as c')
      .innerJoin('invoices as ci', (jn) => jn.onRef('ci.authority_id', '=', 'c.authority_id').onRef('ci.id', '=', 'c.invoice_id'))
      .select(sql<number>`count(*)::int`.as('n'))
      .where('c.authority_id', '=', authorityId)
      .where('ci.school_id', '=', schoolId)
      .executeTakeFirstOrThrow(),
  ])
  const total = invoiceCount.n + creditCount.n
  const pageCount = Math.max(1, Math.ceil(total / SCHOOL_DOCUMENTS_PAGE_SIZE))
  const page = Math.min(Math.max(1, requestedPage), pageCount)
  const rows = await invoices
    .unionAll(creditNotes)
    .orderBy('issued_at', 'desc')
    .orderBy('kind', 'desc')
    .orderBy('sequence_number', 'desc')
    .limit(SCHOOL_DOCUMENTS_PAGE_SIZE)
    .offset((page - 1) * SCHOOL_DOCUMENTS_PAGE_SIZE)
    .execute()
  return {
    total,
    page,
    pageCount,
    documents: rows.map((r) => ({
      kind: r.kind,
      id: r.id,
      number: r.number,
      invoiceNumber: r.invoice_number,
      route: r.route,
      status: r.status,
      issuedAt: r.issued_at,
      dueOn: r.due_on,
      grossPence: r.gross_pence,
      duePence:
        r.kind === 'invoice'
          ? outstandingPence({ grossPence: r.gross_pence, amountPaidPence: r.amount_paid_pence, amountCreditedPence: r.amount_credited_pence })
          : 0,
      journalMonth: r.journal_month,
    })),
  }
}

export type CreditNoteDocument = {
  id: string
  number: string
  issuedAt: Date
  reason: string
  netPence: number
  vatPence: number
  grossPence: number
  journalMonth: string | null
  invoice: { id: string; number: string; route: FinanceRoute; issuedAt: Date; poNumber: string | null }
  authority: { name: string; address: string | null; vatNumber: string | null; contactEmail: string; contactPhone: string | null }
  /** Who it is to: the school, or the trust of a consolidated invoice. */
  school: Addressee
}

/** A credit note as printed (page and PDF alike). With `schoolId`, that school's only. */
export async function getCreditNoteDocument(
  db: DB,
  authorityId: string,
  creditNoteId: string,
  only: InvoiceOwner = {},
): Promise<CreditNoteDocument | undefined> {
  const r = await db
    .selectFrom('credit_notes as c')
    .innerJoin('invoices as i', (j) => j.onRef('i.authority_id', '=', 'c.authority_id').onRef('i.id', '=', 'c.invoice_id'))
    .innerJoin('authorities as a', 'a.id', 'c.authority_id')
    .leftJoin('schools as s', (j) => j.onRef('s.authority_id', '=', 'i.authority_id').onRef('s.id', '=', 'i.school_id'))
    .leftJoin('trusts as t', (j) => j.onRef('t.authority_id', '=', 'i.authority_id').onRef('t.id', '=', 'i.trust_id'))
    .leftJoin('recharge_journals as cj', (j) => j.onRef('cj.authority_id', '=', 'c.authority_id').onRef('cj.id', '=', 'c.journal_id'))
    .select([
      'c.id',
      'c.number',
      'c.issued_at',
      'c.reason',
      'c.net_pence',
      'c.vat_pence',
      'c.gross_pence',
      'cj.month as journal_month',
      'i.id as invoice_id',
      'i.number as invoice_number',
      'i.route',
      'i.issued_at as invoice_issued_at',
      'i.po_number',
      'a.name as authority_name',
      'a.address as authority_address',
      'a.vat_number',
      'a.contact_email',
      'a.contact_phone',
      ...ADDRESSEE_COLUMNS,
    ])
    .where('c.authority_id', '=', authorityId)
    .where('c.id', '=', creditNoteId)
    .$if(only.schoolId !== undefined, (q) => q.where('i.school_id', '=', only.schoolId as string))
    .$if(only.trustId !== undefined, (q) => q.where('i.trust_id', '=', only.trustId as string))
    .executeTakeFirst()
  if (!r) return undefined
  return {
    id: r.id,
    number: r.number,
    issuedAt: r.issued_at,
    reason: r.reason,
    netPence: r.net_pence,
    vatPence: r.vat_pence,
    grossPence: r.gross_pence,
    journalMonth: r.journal_month,
    invoice: { id: r.invoice_id, number: r.invoice_number, route: r.route, issuedAt: r.invoice_issued_at, poNumber: r.po_number },
    authority: {
      name: r.authority_name,
      address: r.authority_address,
      vatNumber: r.vat_number,
      contactEmail: r.contact_email,
      contactPhone: r.contact_phone,
    },
    school: addresseeOf(r),
  }
}
