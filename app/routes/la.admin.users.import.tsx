import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData } from '@remix-run/react'
import { ErrorMessage, ErrorSummary } from '~/components/forms'
import { SuccessBanner } from '~/components/success-banner'
import { TableHead } from '~/components/table-head'
import { ROLE_NAMES, ROLES } from '~/domain/roles'
import {
  checkUsersFile,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_LINES,
  previewLines,
  sendInvitations,
  type ImportLine,
  type SendResult,
} from '~/models/admin/user-import.server'
import { actorFor } from '~/models/shared/actor.server'
import { requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  return { authorityName: user.authorityName, roles: ROLES.map((r) => ROLE_NAMES[r]), maxLines: MAX_IMPORT_LINES }
}

type ActionData =
  { step: 'upload'; errors: { file: string } } | { step: 'preview'; csv: string; lines: ImportLine[] } | { step: 'sent'; result: SendResult }

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const refuse = (file: string) => data<ActionData>({ step: 'upload', errors: { file } }, { status: 400 })
  if (Number(request.headers.get('Content-Length') ?? 0) > MAX_IMPORT_BYTES * 3) return refuse('The file must be 200 KB or smaller')
  let form: FormData
  try {
    form = await request.formData()
  } catch {
    return refuse('Select a CSV file')
  }
  const db = await getDb()
  if (form.get('intent') === 'send') {
    const sent = await sendInvitations(db, actorFor(user, request, context), String(form.get('csv') ?? ''))
    if (!sent.ok) return refuse(sent.error)
    return data<ActionData>({ step: 'sent', result: sent.result })
  }
  const file = form.get('file')
  if (!file || typeof file === 'string' || file.size === 0) return refuse('Select a CSV file')
  if (file.size > MAX_IMPORT_BYTES) return refuse('The file must be 200 KB or smaller')
  const csv = await file.text()
  const checked = await checkUsersFile(db, user.authorityId, csv)
  if (!checked.ok) return refuse(checked.error)
  return data<ActionData>({ step: 'preview', csv, lines: previewLines(checked.lines) })
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Invite users from a file – ${data?.authorityName ?? 'Buyback'} – Buyback` }]

const STATUS_TAGS: Record<ImportLine['status'], { label: string; colour: string }> = {
  ready: { label: 'Ready to invite', colour: 'green' },
  exists: { label: 'Already a user', colour: 'grey' },
  error: { label: 'Cannot invite', colour: 'red' },
}

function LinesTable({ lines, caption }: { lines: ImportLine[]; caption: string }) {
  return (
    <div className="app-table-scroll" role="region" aria-label={caption} tabIndex={0}>
      <table className="govuk-table app-table--compact">
        <caption className="govuk-table__caption govuk-table__caption--m">{caption}</caption>
        <TableHead columns={['Line', 'Email', 'Name', 'Role', 'School or services', 'Status']} />
        <tbody className="govuk-table__body">
          {lines.map((l) => (
            <tr key={l.line} className="govuk-table__row">
              <td className="govuk-table__cell">{l.line}</td>
              <td className="govuk-table__cell">{l.email}</td>
              <td className="govuk-table__cell">{l.name}</td>
              <td className="govuk-table__cell">{l.role}</td>
              <td className="govuk-table__cell">{l.organisation}</td>
              <td className="govuk-table__cell">
                <strong className={`govuk-tag govuk-tag--${STATUS_TAGS[l.status].colour}`}>{STATUS_TAGS[l.status].label}</strong>
                {l.errors.map((e) => (
                  <span key={e} className="app-table__secondary">
                    {e}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

export default function ImportUsers() {
  const d = useLoaderData<typeof loader>()
  const a = useActionData<typeof action>()
  const fileError = a?.step === 'upload' ? a.errors.file : undefined
  return (
    <>
      <Link to="/la/admin/users" className="govuk-back-link">
        Back to users
      </Link>
      <ErrorSummary errors={fileError ? { file: fileError } : undefined} />
      {a?.step === 'sent' ? (
        <SuccessBanner
          titleId="sent-title"
          heading={`${a.result.invited.length} ${a.result.invited.length === 1 ? 'invitation' : 'invitations'} sent`}
        >
          <p className="govuk-body">
            {a.result.existing.length} already users; {a.result.failed.length} could not be invited.
          </p>
        </SuccessBanner>
      ) : null}
      <h1 className="govuk-heading-xl">Invite users from a file</h1>

      {a?.step === 'preview' ? (
        <>
          <p className="govuk-body">
            {a.lines.filter((l) => l.status === 'ready').length} of {a.lines.length} lines are ready to invite. Lines that cannot be invited are left
            out; fix them in the file and upload it again.
          </p>
          <LinesTable lines={a.lines} caption="What the file holds" />
          {a.lines.some((l) => l.status === 'ready') ? (
            <Form method="post" encType="multipart/form-data">
              <input type="hidden" name="intent" value="send" />
              <input type="hidden" name="csv" value={a.csv} />
              <button type="submit" className="govuk-button" data-module="govuk-button" data-prevent-double-click="true">
                Send invitations
              </button>
            </Form>
          ) : null}
          <p className="govuk-body">
            <Link className="govuk-link" to="/la/admin/users/import">
              Upload a different file
            </Link>
          </p>
        </>
      ) : a?.step === 'sent' ? (
        <>
          {a.result.invited.length ? <LinesTable lines={a.result.invited} caption="Invited" /> : null}
          {a.result.existing.length ? <LinesTable lines={a.result.existing} caption="Already users" /> : null}
          {a.result.failed.length ? <LinesTable lines={a.result.failed} caption="Not invited" /> : null}
          <p className="govuk-body">
            <Link className="govuk-link" to="/la/admin/users">
              Back to users
            </Link>
          </p>
        </>
      ) : (
        <>
          <p className="govuk-body">
            Upload a CSV file with one user a line, up to {d.maxLines}. Its first line names the columns: <code>email</code>, <code>name</code>,{' '}
            <code>role</code>, <code>school urn</code> and <code>services</code>.
          </p>
          <ul className="govuk-list govuk-list--bullet">
            <li>role: one of {d.roles.join(', ')}</li>
            <li>school urn: the school of a school business manager or headteacher; empty for council staff</li>
            <li>services: a service lead’s services, by their address name (like educational-psychology), separated by “;”</li>
          </ul>
          <p className="govuk-body">You will see every line checked before anyone is invited. People who are already users are not invited again.</p>
          <Form method="post" encType="multipart/form-data" noValidate>
            <input type="hidden" name="intent" value="preview" />
            <div className={`govuk-form-group${fileError ? ' govuk-form-group--error' : ''}`}>
              <label className="govuk-label govuk-label--m" htmlFor="file">
                Upload a file
              </label>
              <ErrorMessage id="file-error" error={fileError} />
              <input
                className={`govuk-file-upload${fileError ? ' govuk-file-upload--error' : ''}`}
                id="file"
                name="file"
                type="file"
                accept=".csv,text/csv"
                aria-describedby={fileError ? 'file-error' : undefined}
              />
            </div>
            <button type="submit" className="govuk-button" data-module="govuk-button">
              Check the file
            </button>
          </Form>
        </>
      )}
    </>
  )
}
