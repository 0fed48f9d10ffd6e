import { Form } from '@remix-run/react'
import { SelectField } from './forms'

/**
 * "School" on a trust user's money pages (invoices, statement, spend): which
 * member school's the page shows, chosen with a plain GET form that works
 * without JavaScript.
 */
export function MemberSchoolChooser({
  members,
  schoolId,
  action,
  what,
}: {
  members: { id: string; name: string }[]
  schoolId: string
  action: string
  what: string
}) {
  return (
    <Form method="get" action={action} className="app-filters" aria-label={`Choose the school whose ${what} to show`}>
      <SelectField name="school" label="School" value={schoolId} options={members.map((m) => ({ value: m.id, label: m.name }))} />
      <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
        Show {what}
      </button>
    </Form>
  )
}
