import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Link, useActionData, useLoaderData } from '@remix-run/react'
import { useValidatedForm, ValidatedForm } from '~/components/validated-form'
import { ErrorSummary, TextInput } from '~/components/forms'
import { SuccessBanner } from '~/components/success-banner'
import { TableHead } from '~/components/table-head'
import { longDate } from '~/domain/dates'
import { TERM_NAMES, termLabel } from '~/domain/terms'
import { tradingYearLabel } from '~/domain/trading-year'
import { saveTermDates, termYears } from '~/models/admin/term-dates.server'
import { actorFor } from '~/models/shared/actor.server'
import { parseTermYear, TERM_DATE_FIELDS, TermDatesSchema, termDatesValuesFrom, type TermDatesValues } from '~/schemas/term-dates'
import type { FieldErrors } from '~/schemas/common'
import { notFound, requireRole } from '~/utils/auth.server'
import { getDb } from '~/utils/db.server'

/** The trading year asked for (?year=2026), the current one when none is given; a 404 for a year the page does not offer. */
function chosenYear(raw: string | null, currentYear: number, offered: readonly number[]): number {
  if (raw === null || raw === '') return currentYear
  const year = parseTermYear(raw)
  if (year === null || !offered.includes(year)) throw notFound()
  return year
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const params = new URL(request.url).searchParams
  const { currentYear, years } = await termYears(await getDb(), user.authorityId)
  const year = chosenYear(
    params.get('year'),
    currentYear,
    years.map((y) => y.tradingYear),
  )
  const chosen = years.find((y) => y.tradingYear === year)!
  const values = { year: String(year) } as TermDatesValues
  for (const name of TERM_NAMES) {
    const term = chosen.terms.find((t) => t.name === name)
    values[`${name}StartsOn`] = term?.startsOn ?? ''
    values[`${name}EndsOn`] = term?.endsOn ?? ''
  }
  return {
    authorityName: user.authorityName,
    years: years.map((y) => ({ year: y.tradingYear, label: tradingYearLabel(y.tradingYear), hasTerms: y.terms.length > 0 })),
    year,
    yearLabel: tradingYearLabel(year),
    terms: chosen.terms.map((t) => ({ name: t.name, label: termLabel(t), startsOn: longDate(t.startsOn), endsOn: longDate(t.endsOn) })),
    values,
    saved: params.get('saved') === '1',
  }
}

type ActionData = { errors: FieldErrors; values: TermDatesValues }

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireRole(request, ['la_admin'])
  const db = await getDb()
  const form = await request.formData()
  const values = termDatesValuesFrom(form)
  const { currentYear, years } = await termYears(db, user.authorityId)
  values.year = String(
    chosenYear(
      values.year || new URL(request.url).searchParams.get('year'),
      currentYear,
      years.map((y) => y.tradingYear),
    ),
  )
  const result = await saveTermDates(db, actorFor(user, request, context), values)
  if (!result.ok) return data<ActionData>({ errors: result.errors, values }, { status: 400 })
  return redirect(`/la/admin/term-dates?year=${result.tradingYear}&saved=1`)
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Term dates ${data.yearLabel} – ${data.authorityName} – Buyback` : 'Page not found – Buyback' },
]

const TITLES = { summer: 'Summer term', autumn: 'Autumn term', spring: 'Spring term' } as const

export default function TermDates() {
  const loaded = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const form = useValidatedForm({ schema: TermDatesSchema, values: termDatesValuesFrom, serverErrors: actionData?.errors })
  const errors = form.errors
  const values = actionData?.values ?? loaded.values
  return (
    <>
      {loaded.saved && !errors ? (
        <SuccessBanner titleId="saved-banner-title" heading={`Term dates for ${loaded.yearLabel} saved`}>
          <p className="govuk-body">Prices for part of a year, termly billing and notice in school days now use these dates.</p>
        </SuccessBanner>
      ) : null}
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} order={[...TERM_DATE_FIELDS]} />
          <span className="govuk-caption-l">{loaded.authorityName}</span>
          <h1 className="govuk-heading-xl">Term dates</h1>
          <p className="govuk-body-l">
            The three school terms of each trading year. Yearly prices bought for part of a year are charged by whole terms, termly lines are invoiced
            as each term starts, and notice given in school days counts only days in term.
          </p>

          <nav aria-label="Trading years">
            <h2 className="govuk-heading-s">Trading year</h2>
            <ul className="govuk-list">
              {loaded.years.map((y) => (
                <li key={y.year}>
                  {y.year === loaded.year ? (
                    <strong aria-current="page">{y.label}</strong>
                  ) : (
                    <Link className="govuk-link" to={`/la/admin/term-dates?year=${y.year}`}>
                      {y.label}
                    </Link>
                  )}
                  {y.hasTerms ? null : ' (no terms yet)'}
                </li>
              ))}
            </ul>
          </nav>

          <h2 className="govuk-heading-l">{loaded.yearLabel}</h2>
          {loaded.terms.length ? (
            <table className="govuk-table">
              <caption className="govuk-table__caption govuk-table__caption--m">Terms in {loaded.yearLabel}</caption>
              <TableHead columns={['Term', 'First day', 'Last day']} />
              <tbody className="govuk-table__body">
                {loaded.terms.map((t) => (
                  <tr key={t.name} className="govuk-table__row">
                    <th scope="row" className="govuk-table__header">
                      {t.label}
                    </th>
                    <td className="govuk-table__cell">{t.startsOn}</td>
                    <td className="govuk-table__cell">{t.endsOn}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="govuk-body">No terms are set for {loaded.yearLabel} yet. Add them below.</p>
          )}

          <ValidatedForm form={form} key={loaded.year} method="post" noValidate action={`/la/admin/term-dates?year=${loaded.year}`}>
            <h2 className="govuk-heading-m">
              {loaded.terms.length ? 'Change' : 'Add'} the terms for {loaded.yearLabel}
            </h2>
            <input type="hidden" name="year" value={loaded.year} />
            {TERM_NAMES.map((name) => (
              <fieldset key={name} className="govuk-fieldset">
                <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{TITLES[name]}</legend>
                <TextInput
                  name={`${name}StartsOn`}
                  type="date"
                  label={`First day of the ${TITLES[name].toLowerCase()}`}
                  width={10}
                  defaultValue={values[`${name}StartsOn`]}
                  error={errors?.[`${name}StartsOn`]}
                />
                <TextInput
                  name={`${name}EndsOn`}
                  type="date"
                  label={`Last day of the ${TITLES[name].toLowerCase()}`}
                  width={10}
                  defaultValue={values[`${name}EndsOn`]}
                  error={errors?.[`${name}EndsOn`]}
                />
              </fieldset>
            ))}
            <button type="submit" className="govuk-button" data-module="govuk-button">
              Save term dates
            </button>
          </ValidatedForm>
        </div>
      </div>
    </>
  )
}
