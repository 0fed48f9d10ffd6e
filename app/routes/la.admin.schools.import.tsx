import {
  data,
  MaxPartSizeExceededError,
  redirect,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { ErrorMessage, ErrorSummary, TextInput } from '~/components/forms'
import { changeText, PREVIEW_ROWS, PreviewTable } from '~/components/school-import-preview'
import { SuccessBanner } from '~/components/success-banner'
import { SummaryRow } from '~/components/summary-list'
import { isNoChange } from '~/domain/gias'
import { readGiasExtract } from '~/models/admin/gias-csv.server'
import { applyImport, authorityLaCode, previewImport, storeImport } from '~/models/admin/school-import.server'
import { actorFor } from '~/models/shared/actor.server'
import { isNotFound } from '~/models/shared/results'
import { SCHOOL_TYPE_NAMES } from '~/schemas/admin-labels'
import { fieldErrors, isUuid, type FieldErrors } from '~/schemas/common'
import { applyImportSchema, IMPORT_FIELDS, MAX_IMPORT_BYTES, schoolImportSchema } from '~/schemas/schools'
import { notFound, requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'
import { formatDate, phaseName } from '~/utils/format'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const db = await getDb()
  const params = new URL(request.url).searchParams
  const id = params.get('id')
  const laCode = (await authorityLaCode(db, user.authorityId)) ?? ''
  if (id === null) return { laCode, preview: null }
  if (!isUuid(id)) throw notFound()
  const found = await previewImport(db, user.authorityId, id)
  if (isNotFound(found)) throw notFound()
  const { stored, diff } = found
  const closed = new Set(diff.closed)
  const converted = new Map(diff.converted.map((c) => [c.urn, c.on]))
  const changedOnly = diff.updated.filter((u) => !closed.has(u.urn) && !converted.has(u.urn))
  const first = <T,>(list: T[]) => list.slice(0, PREVIEW_ROWS)
  return {
    laCode,
    preview: {
      id: stored.id,
      fileName: stored.fileName,
      laCode: stored.laCode,
      rowCount: stored.rowCount,
      uploadedBy: stored.uploadedBy,
      uploadedAt: formatDate(stored.uploadedAt.toISOString().slice(0, 10)),
      applied: stored.applied ? { by: stored.applied.by, summary: stored.applied.summary } : null,
      noChange: isNoChange(diff),
      counts: {
        added: diff.added.length,
        changed: changedOnly.length,
        closed: diff.closed.length,
        converted: diff.converted.length,
        unchanged: diff.unchanged,
        closedNotInRegister: diff.closedNotInRegister,
        otherLa: stored.ignored.otherLa,
        notSoldTo: stored.ignored.notSoldTo,
        bad: stored.bad.length,
      },
      added: first(diff.added).map((s) => ({
        key: s.urn,
        cells: [s.name, s.urn, phaseName(s.phase), SCHOOL_TYPE_NAMES[s.schoolType], s.pupilCount?.toLocaleString('en-GB') ?? 'Not given'],
      })),
      changed: first(changedOnly).map((u) => ({ key: u.urn, cells: [u.name, u.urn, u.changes.map(changeText).join('; ')] })),
      closed: first(diff.updated.filter((u) => closed.has(u.urn))).map((u) => ({
        key: u.urn,
        cells: [u.name, u.urn, u.next.closedOn ? formatDate(u.next.closedOn) : 'Not given'],
      })),
      converted: first(diff.updated.filter((u) => converted.has(u.urn))).map((u) => ({
        key: u.urn,
        cells: [u.name, u.urn, formatDate(converted.get(u.urn)!), u.next.trustName ?? 'None given'],
      })),
      bad: first(stored.bad).map((b) => ({ key: String(b.line), cells: [String(b.line), b.urn || '–', b.reason] })),
    },
  }
}

type ActionData = { errors: FieldErrors; values: { laCode: string } }

const invalid = (errors: FieldErrors, laCode: string) => data<ActionData>({ errors, values: { laCode } }, { status: 400 })

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const db = await getDb()
  const actor = actorFor(user, request, context)
  let form: FormData
  try {
    form = (request.headers.get('Content-Type') ?? '').startsWith('multipart/form-data')
      ? await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_IMPORT_BYTES }))
      : await request.formData()
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return invalid({ file: 'The selected file must be smaller than 30 MB' }, '')
    throw error
  }
  if (form.get('intent') === 'apply') {
    const parsed = applyImportSchema.safeParse({ importId: String(form.get('importId') ?? '') })
    if (!parsed.success) return invalid(fieldErrors(parsed.error.issues), '')
    const result = await applyImport(db, actor, parsed.data.importId)
    if (isNotFound(result)) throw notFound()
    if (result.kind === 'register_changed') {
      return invalid(
        { importId: 'A school with one of the new URNs was added while the import was applied, so nothing was applied: check the import again' },
        '',
      )
    }
    return redirect(`/la/admin/schools/import?id=${parsed.data.importId}`)
  }
  const laCode = String(form.get('laCode') ?? '').slice(0, 20)
  const parsed = schoolImportSchema.safeParse({ laCode, file: form.get('file') })
  if (!parsed.success) return invalid(fieldErrors(parsed.error.issues), laCode)
  const { file } = parsed.data
  const read = await readGiasExtract(new Uint8Array(await file.arrayBuffer()), parsed.data.laCode)
  if (!read.ok) return invalid({ file: read.message }, laCode)
  const id = await storeImport(db, actor, { fileName: file.name, laCode: parsed.data.laCode, extract: read.extract })
  return redirect(`/la/admin/schools/import?id=${id}`)
}

export const meta: MetaFunction = () => [{ title: 'Import schools – Schools – Buyback' }]

export default function ImportSchools() {
  const { laCode, preview } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const errors = actionData?.errors
  return (
    <>
      <Link to={preview ? '/la/admin/schools/import' : '/la/admin/schools'} className="govuk-back-link">
        {preview ? 'Import another file' : 'Back to schools'}
      </Link>
      <ErrorSummary errors={errors} order={[...IMPORT_FIELDS, 'importId']} />
      {preview?.applied ? (
        <SuccessBanner titleId="applied-banner-title" heading="Import applied">
          <p className="govuk-body">
            {preview.applied.by} applied it: {preview.applied.summary.added} added, {preview.applied.summary.updated} changed (of which{' '}
            {preview.applied.summary.closed} closed and {preview.applied.summary.converted} converted to academy), {preview.applied.summary.unchanged}{' '}
            unchanged.{' '}
            <Link className="govuk-link govuk-notification-banner__link" to="/la/admin/schools">
              See the schools
            </Link>
          </p>
        </SuccessBanner>
      ) : null}
      <h1 className="govuk-heading-l">Import schools</h1>
      {preview?.applied ? null : preview ? (
        <Preview preview={preview} />
      ) : (
        <UploadForm laCode={actionData?.values.laCode ?? laCode} errors={errors} />
      )}
    </>
  )
}

function UploadForm({ laCode, errors }: { laCode: string; errors: FieldErrors | undefined }) {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <p className="govuk-body">
          Add new schools and refresh the register from an establishment extract of Get Information About Schools (GIAS), keyed by URN. You will see
          what would change (new, changed, closed and converted to academy) before anything is applied.
        </p>
        <Form method="post" encType="multipart/form-data" noValidate>
          <div className={`govuk-form-group${errors?.file ? ' govuk-form-group--error' : ''}`}>
            <label className="govuk-label govuk-label--m" htmlFor="file">
              GIAS establishment extract
            </label>
            <div className="govuk-hint" id="file-hint">
              The CSV file GIAS downloads (UTF-8 or Windows-1252), up to 30 MB
            </div>
            <ErrorMessage id="file-error" error={errors?.file} />
            <input
              className={`govuk-file-upload${errors?.file ? ' govuk-file-upload--error' : ''}`}
              id="file"
              name="file"
              type="file"
              accept=".csv,text/csv"
              aria-describedby={['file-hint', errors?.file ? 'file-error' : null].filter(Boolean).join(' ')}
            />
          </div>
          <TextInput
            name="laCode"
            label="LA code"
            labelSize="m"
            hint="Only the rows of this local authority code are imported; the others are counted and left out"
            inputMode="numeric"
            width={10}
            maxLength={20}
            defaultValue={laCode}
            error={errors?.laCode}
          />
          <button type="submit" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
            Check import
          </button>
        </Form>
      </div>
    </div>
  )
}

type PreviewData = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>['preview']>

function Preview({ preview }: { preview: PreviewData }) {
  const c = preview.counts
  return (
    <>
      <h2 className="govuk-heading-m">Check what the import will change</h2>
      <dl className="govuk-summary-list">
        <SummaryRow label="File">
          {preview.fileName}, uploaded by {preview.uploadedBy} on {preview.uploadedAt}
        </SummaryRow>
        <SummaryRow label="Rows in the file">{preview.rowCount.toLocaleString('en-GB')}</SummaryRow>
        <SummaryRow label="New schools">{c.added.toLocaleString('en-GB')}</SummaryRow>
        <SummaryRow label="Changed schools">{c.changed.toLocaleString('en-GB')}</SummaryRow>
        <SummaryRow label="Closed">{c.closed.toLocaleString('en-GB')}</SummaryRow>
        <SummaryRow label="Converted to academy">{c.converted.toLocaleString('en-GB')}</SummaryRow>
        <SummaryRow label="Unchanged">{c.unchanged.toLocaleString('en-GB')}</SummaryRow>
        <SummaryRow label="Ignored">
          {c.otherLa.toLocaleString('en-GB')} of other LA codes than {preview.laCode}; {c.notSoldTo.toLocaleString('en-GB')} not maintained schools or
          academies; {c.closedNotInRegister.toLocaleString('en-GB')} closed schools not in the register
        </SummaryRow>
        <SummaryRow label="Rows with problems">{c.bad.toLocaleString('en-GB')}</SummaryRow>
      </dl>
      {preview.noChange ? (
        <div className="govuk-inset-text">
          <h3 className="govuk-heading-s">No changes</h3>
          <p className="govuk-body">The register already matches this file.</p>
        </div>
      ) : null}
      <PreviewTable caption="New schools" total={c.added} columns={['School', 'URN', 'Phase', 'Type', 'Pupils']} rows={preview.added} />
      <PreviewTable caption="Changed schools" total={c.changed} columns={['School', 'URN', 'Changes']} rows={preview.changed} />
      <PreviewTable caption="Closed schools" total={c.closed} columns={['School', 'URN', 'Closed on']} rows={preview.closed} />
      <PreviewTable
        caption="Converted to academy"
        total={c.converted}
        columns={['School', 'URN', 'Academy from', 'Trust']}
        rows={preview.converted}
      />
      <PreviewTable caption="Rows not imported" total={c.bad} columns={['Line', 'URN', 'Problem']} rows={preview.bad} />
      {!preview.noChange ? (
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="apply" />
          <input type="hidden" name="importId" value={preview.id} />
          <p className="govuk-body">Rows with problems are left out. Everything else is applied at once, or nothing is.</p>
          <button type="submit" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
            Apply import
          </button>
        </Form>
      ) : null}
    </>
  )
}
