import { redirect, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useLoaderData } from '@remix-run/react'
import { Pagination } from '~/components/pagination'
import { TableHead } from '~/components/table-head'
import { longDate } from '~/domain/dates'
import { invoiceTag } from '~/domain/finance'
import { monthLabel } from '~/domain/invoicing'
import { formatPence } from '~/domain/money'
import { listSchoolDocuments } from '~/models/billing/school-invoices.server'
import { parseSchoolDocumentsQuery } from '~/schemas/school-documents'
import { INVOICE_STATUS_TAGS } from '~/schemas/order-labels'
import { clock } from '~/utils/clock'
import { getDb } from '~/utils/db.server'
import { requireDocumentViewer, schoolOfPage } from '~/utils/school-documents.server'
import { MemberSchoolChooser } from '~/components/member-school-chooser'

/**
 * /invoices: a school's invoices and credit notes, newest first, for its
 * business managers and headteachers. Finance officers and LA administrators
 * have the authority's list at /finance/invoices.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireDocumentViewer(request)
  const url = new URL(request.url)
  const { schoolId, members } = await schoolOfPage(viewer, url)
  if (schoolId === undefined) throw redirect('/finance/invoices')
  const { page } = parseSchoolDocumentsQuery(url.searchParams)
  const db = await getDb()
  const [result, school] = await Promise.all([
    listSchoolDocuments(db, viewer.authorityId, schoolId, page),
    db
      .selectFrom('schools as s')
      .innerJoin('authorities as a', 'a.id', 's.authority_id')
      .select(['s.name', 'a.name as authority_name'])
      .where('s.authority_id', '=', viewer.authorityId)
      .where('s.id', '=', schoolId)
      .executeTakeFirstOrThrow(),
  ])
  return { ...result, schoolId, members, schoolName: school.name, authorityName: school.authority_name, today: clock.today() }
}

/** A school's money is nobody else's: never kept by shared caches. */
export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Invoices – ${data.schoolName} – ${data.authorityName}` : 'Invoices' },
]

export default function SchoolInvoices() {
  const { documents, total, page, pageCount, schoolId, members, schoolName, today } = useLoaderData<typeof loader>()
  return (
    <>
      <span className="govuk-caption-l">{schoolName}</span>
      <h1 className="govuk-heading-xl">Invoices and credit notes</h1>
      {members ? <MemberSchoolChooser members={members} schoolId={schoolId} action="/invoices" what="invoices" /> : null}
      {total === 0 ? (
        <p className="govuk-body">Nothing has been invoiced to your school yet.</p>
      ) : (
        <div className="app-table-scroll" role="region" aria-labelledby="documents-caption" tabIndex={0}>
          <table className="govuk-table app-table--compact app-table--stack">
            <caption className="govuk-table__caption govuk-table__caption--m" id="documents-caption">
              {total === 1 ? '1 document' : `${total} documents`}, newest first
            </caption>
            <TableHead columns={['Number', 'Issued', 'Due', 'Status', { label: 'Amount', numeric: true }, { label: 'Amount due', numeric: true }]} />
            <tbody className="govuk-table__body">
              {documents.map((d) => {
                const tag =
                  d.kind === 'invoice' && d.status && d.dueOn ? INVOICE_STATUS_TAGS[invoiceTag({ status: d.status, dueOn: d.dueOn }, today)] : null
                return (
                  <tr key={`${d.kind}-${d.id}`} className="govuk-table__row">
                    <th scope="row" className="govuk-table__header app-nowrap">
                      <Link className="govuk-link" to={d.kind === 'invoice' ? `/invoices/${d.id}` : `/credit-notes/${d.id}`}>
                        {d.number}
                      </Link>
                      <span className="app-table__secondary">
                        {d.kind === 'credit_note'
                          ? `Credit note against ${d.invoiceNumber}`
                          : d.route === 'internal_recharge'
                            ? `Internal recharge${d.journalMonth ? `, ${monthLabel(d.journalMonth)} journal` : ''}`
                            : 'Invoice'}
                      </span>
                    </th>
                    <td data-label="Issued" className="govuk-table__cell">
                      {longDate(d.issuedAt)}
                    </td>
                    <td data-label="Due" className="govuk-table__cell">
                      {d.dueOn ? longDate(d.dueOn) : ''}
                    </td>
                    <td data-label="Status" className="govuk-table__cell">
                      {tag ? <strong className={`govuk-tag govuk-tag--${tag.colour}`}>{tag.label}</strong> : 'Credit note'}
                    </td>
                    <td data-label="Amount" className="govuk-table__cell govuk-table__cell--numeric">
                      {d.kind === 'credit_note' ? `−${formatPence(d.grossPence)}` : formatPence(d.grossPence)}
                    </td>
                    <td data-label="Amount due" className="govuk-table__cell govuk-table__cell--numeric">
                      {d.kind === 'invoice' ? formatPence(d.duePence) : ''}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
      <Pagination
        label="Pages of invoices"
        path="/invoices"
        params={members ? { school: schoolId } : {}}
        page={page}
        pageCount={pageCount}
        numbered
      />
    </>
  )
}
