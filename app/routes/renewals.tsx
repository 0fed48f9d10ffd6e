import { data, redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs, type MetaFunction } from '@remix-run/node'
import { Form, Link, useActionData, useLoaderData, useNavigation } from '@remix-run/react'
import { shownErrors, useValidatedForm, ValidatedForm } from '~/components/validated-form'
import { ErrorMessage, ErrorSummary, SelectField, TextInput } from '~/components/forms'
import { SuccessBanner } from '~/components/success-banner'
import { SummaryRow } from '~/components/summary-list'
import { WarningText } from '~/components/warning-text'
import { QuantityForm } from '~/components/quantity-form'
import { ImportantBanner } from '~/components/important-banner'
import { formatPence } from '~/domain/money'
import { longDate } from '~/domain/dates'
import { tradingYearLabel } from '~/domain/trading-year'
import { type ProposalLineView } from '~/models/renewals/proposal-view.server'
import {
  acceptProposal,
  addProposalLine,
  declineProposal,
  getSchoolRenewal,
  removeProposalLine,
  updateProposalLine,
  type ChangeResult,
} from '~/models/renewals/school.server'
import { PO_NUMBER_MAX } from '~/schemas/basket'
import {
  acceptProposalSchema,
  AddProposalLineSchema,
  DECLINE_REASON_MAX,
  DeclineProposalSchema,
  RemoveProposalLineSchema,
  UpdateProposalLineSchema,
} from '~/schemas/renewals'
import { clientIp, forbidden, notFound, requireUser } from '~/utils/auth.server'
import { hasAnyRole, SCHOOL_ROLES, TRUST_ROLES } from '~/domain/roles'
import { getDb } from '~/utils/db.server'
import { formatDate } from '~/utils/format'
import { fieldErrors, type FieldErrors, isUuid } from '~/schemas/common'
import { isNotFound } from '~/models/shared/results'

/**
 * /renewals: the school's proposal for next year. Business
 * managers and headteachers see it; business managers change, accept or
 * decline it. Every form posts here and works without JavaScript.
 */

/**
 * Whose proposal: a school user's own school's; a trust user's member school
 * named by `?school=` (decision 0035: the trust answers its members'
 * renewals), not found for any other school. `back` keeps the school in the
 * page's own addresses.
 */
async function renewalScope(request: Request) {
  const user = await requireUser(request)
  if (user.schoolId && hasAnyRole(user, SCHOOL_ROLES)) {
    return { user, schoolId: user.schoolId, schoolName: user.schoolName ?? '', canAct: user.roles.includes('school_buyer'), back: '/renewals?' }
  }
  if (!user.trustId || !hasAnyRole(user, TRUST_ROLES)) throw forbidden()
  const schoolId = (new URL(request.url).searchParams.get('school') ?? '').toLowerCase()
  if (!isUuid(schoolId) || !user.trustSchoolIds.includes(schoolId)) throw notFound()
  const db = await getDb()
  const school = await db
    .selectFrom('schools')
    .select('name')
    .where('authority_id', '=', user.authorityId)
    .where('id', '=', schoolId)
    .executeTakeFirstOrThrow()
  return { user, schoolId, schoolName: school.name, canAct: user.roles.includes('trust_buyer'), back: `/renewals?school=${schoolId}&` }
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, schoolId, schoolName, canAct } = await renewalScope(request)
  const db = await getDb()
  const renewal = await getSchoolRenewal(db, { authorityId: user.authorityId, schoolId })
  const done = new URL(request.url).searchParams.get('done')
  return {
    schoolName,
    canAct,
    renewal,
    done: done === 'updated' || done === 'removed' || done === 'added' || done === 'accepted' || done === 'declined' ? done : null,
  }
}

export const headers: HeadersFunction = () => ({ 'Cache-Control': 'private, no-store' })

export const meta: MetaFunction = () => [{ title: 'Renew your services – Buyback' }]

type ActionData = { errors?: FieldErrors; values?: Record<string, string>; notice?: string }

/** What "Add to proposal" sends, as AddProposalLineSchema reads it (the browser checks the same). */
function addValuesFrom(form: FormData) {
  return { intent: 'add', offerId: String(form.get('offerId') ?? ''), quantity: String(form.get('addQuantity') ?? '') }
}

function invalid(errors: FieldErrors, values?: Record<string, string>, status = 400) {
  return data<ActionData>({ errors, values }, { status })
}

const CLOSED_NOTICE = 'This proposal can no longer be changed: it has been answered, or the renewal window has closed.'

function changeOutcome(result: ChangeResult, back: string, done: string, values: Record<string, string>) {
  if (result.ok) return redirect(`${back}done=${done}`, 303)
  if ('notFound' in result) throw notFound()
  if ('closed' in result) return data<ActionData>({ notice: CLOSED_NOTICE }, { status: 409 })
  return invalid({ [result.field]: result.message }, values)
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user, schoolId, canAct, back } = await renewalScope(request)
  if (!canAct) throw forbidden()
  const form = await request.formData()
  const value = (k: string) => String(form.get(k) ?? '')
  const intent = value('intent')
  const db = await getDb()
  const actor = {
    authorityId: user.authorityId,
    schoolId,
    userId: user.id,
    ip: clientIp(context),
    userAgent: request.headers.get('User-Agent'),
  }
  switch (intent) {
    case 'update': {
      const values = { lineId: value('lineId'), quantity: value('quantity') }
      const parsed = UpdateProposalLineSchema.safeParse({ intent, ...values })
      if (!parsed.success) {
        const field = isUuid(values.lineId) ? `quantity-${values.lineId.toLowerCase()}` : 'lines'
        return invalid({ [field]: parsed.error.issues[0]?.message ?? 'Enter a quantity' }, values)
      }
      return changeOutcome(await updateProposalLine(db, actor, parsed.data), back, 'updated', values)
    }
    case 'remove': {
      const parsed = RemoveProposalLineSchema.safeParse({ intent, lineId: value('lineId') })
      if (!parsed.success) return invalid({ lines: 'Choose a line of your proposal' })
      return changeOutcome(await removeProposalLine(db, actor, parsed.data.lineId), back, 'removed', {})
    }
    case 'add': {
      const values = { offerId: value('offerId'), addQuantity: value('addQuantity') }
      const parsed = AddProposalLineSchema.safeParse(addValuesFrom(form))
      if (!parsed.success) {
        const errors = fieldErrors(parsed.error.issues)
        return invalid({ offerId: errors.offerId, addQuantity: errors.quantity }, values)
      }
      return changeOutcome(await addProposalLine(db, actor, parsed.data), back, 'added', values)
    }
    case 'accept': {
      const school = await db
        .selectFrom('schools')
        .select('po_number_required')
        .where('authority_id', '=', user.authorityId)
        .where('id', '=', schoolId)
        .executeTakeFirstOrThrow()
      const values = { proposalId: value('proposalId'), poNumber: value('poNumber') }
      const parsed = acceptProposalSchema(school.po_number_required).safeParse({ intent, ...values })
      if (!parsed.success) return invalid(fieldErrors(parsed.error.issues), values)
      const result = await acceptProposal(db, actor, parsed.data)
      if (isNotFound(result)) throw notFound()
      switch (result.kind) {
        case 'accepted':
          return redirect(`${back}done=accepted`, 303)
        case 'problem':
          return invalid({ [result.field]: result.message }, values)
        case 'already':
        case 'closed':
          return data<ActionData>({ notice: CLOSED_NOTICE }, { status: 409 })
      }
      break
    }
    case 'decline': {
      const values = { proposalId: value('proposalId'), reason: value('reason') }
      const parsed = DeclineProposalSchema.safeParse({ intent, ...values })
      if (!parsed.success) return invalid(fieldErrors(parsed.error.issues), values)
      const result = await declineProposal(db, actor, parsed.data)
      if (result.ok) return redirect(`${back}done=declined`, 303)
      if ('notFound' in result) throw notFound()
      return data<ActionData>({ notice: CLOSED_NOTICE }, { status: 409 })
    }
  }
  return invalid({ lines: 'Choose what to do with your proposal' })
}

function LineCard({ line, canEdit, error, value }: { line: ProposalLineView; canEdit: boolean; error?: string; value?: string }) {
  return (
    <div className="govuk-summary-card" id={`line-${line.id}`}>
      <div className="govuk-summary-card__title-wrapper">
        <h3 className="govuk-summary-card__title">
          {line.serviceName}: {line.offerName}
        </h3>
        {canEdit ? (
          <ul className="govuk-summary-card__actions">
            <li className="govuk-summary-card__action">
              <Form method="post">
                <input type="hidden" name="intent" value="remove" />
                <input type="hidden" name="lineId" value={line.id} />
                <button type="submit" className="app-link-button">
                  Remove<span className="govuk-visually-hidden"> {line.offerName} from your proposal</span>
                </button>
              </Form>
            </li>
          </ul>
        ) : null}
      </div>
      <div className="govuk-summary-card__content">
        <dl className="govuk-summary-list">
          <SummaryRow label="This year">{line.lastYear ?? 'Added for next year'}</SummaryRow>
          <SummaryRow label="Quantity">
            {canEdit ? (
              <QuantityForm
                lineId={line.id}
                label={`Quantity of ${line.offerName}`}
                offerName={line.offerName}
                hint={`Now ${line.quantityText}${line.maxQuantity ? `, up to ${line.maxQuantity}` : ''}`}
                error={error}
                defaultValue={value ?? String(line.quantity)}
              />
            ) : (
              line.quantityText
            )}
          </SummaryRow>
          <SummaryRow label="Price next year">
            <strong>{formatPence(line.quote.grossPence)}</strong>
            {line.quote.vatPence > 0 ? ` (${formatPence(line.quote.netPence)} plus ${formatPence(line.quote.vatPence)} VAT)` : ''}
            <span className="govuk-body-s app-table__secondary">{line.quote.explanation}</span>
          </SummaryRow>
        </dl>
      </div>
    </div>
  )
}

const DONE_TEXT: Record<string, string> = {
  updated: 'Quantity updated',
  removed: 'Removed from your proposal',
  added: 'Added to your proposal',
}

export default function Renewals() {
  const { renewal, schoolName, canAct, done } = useLoaderData<typeof loader>()
  const actionData = useActionData<typeof action>()
  const navigation = useNavigation()
  const busy = navigation.state === 'submitting'
  const { proposal, window } = renewal
  const serverErrors = actionData?.errors
  const addForm = useValidatedForm({
    schema: AddProposalLineSchema,
    values: addValuesFrom,
    serverErrors,
    key: (name) => (name === 'quantity' ? 'addQuantity' : name),
  })
  const acceptForm = useValidatedForm({ schema: acceptProposalSchema(renewal.poNumberRequired), serverErrors })
  const declineForm = useValidatedForm({ schema: DeclineProposalSchema, serverErrors })
  const errors = shownErrors([addForm, acceptForm, declineForm], serverErrors)
  const values = actionData?.values
  const year = tradingYearLabel(renewal.tradingYear)
  const canEdit = canAct && renewal.canAnswer
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} />
        {actionData?.notice ? <ImportantBanner titleId="notice-title">{actionData.notice}</ImportantBanner> : null}
        {done && DONE_TEXT[done] && !actionData ? <SuccessBanner titleId="done-title" heading={DONE_TEXT[done]} /> : null}

        <span className="govuk-caption-l">{schoolName}</span>
        <h1 className="govuk-heading-xl">Renew your services for {year}</h1>

        {!proposal ? (
          <>
            <p className="govuk-body">
              {window && window.openedAt
                ? `Your school has no renewal proposal for ${year}: proposals are made for schools that bought services this year.`
                : `Renewals for ${year} are not open yet. When they open, you will get an email with a proposal made from what your school bought this year.`}
            </p>
            <p className="govuk-body">
              <Link className="govuk-link" to="/services">
                Browse the services
              </Link>
            </p>
          </>
        ) : proposal.status === 'accepted' ? (
          <div className="govuk-panel govuk-panel--confirmation">
            <h2 className="govuk-panel__title">Renewal accepted</h2>
            <div className="govuk-panel__body">
              {proposal.order ? (
                <>
                  Your order reference
                  <br />
                  <strong>{proposal.order.reference}</strong>
                </>
              ) : null}
            </div>
          </div>
        ) : proposal.status === 'declined' ? (
          <div className="govuk-inset-text">
            <p className="govuk-body">Your school declined this proposal{proposal.decidedAt ? ` on ${formatDate(proposal.decidedAt)}` : ''}.</p>
            <p className="govuk-body">Reason given: {proposal.declineReason}</p>
          </div>
        ) : proposal.status === 'lapsed' ? (
          <WarningText>
            This proposal lapsed{window ? ` when renewals closed on ${longDate(window.closesOn)}` : ''}: nothing was ordered. You can still order from
            the catalogue while days and places last.
          </WarningText>
        ) : window ? (
          <>
            <p className="govuk-body">
              We have made this proposal from what {schoolName} bought this year, at {year} prices. Change it as you need, then accept or decline it
              by <strong>{longDate(window.closesOn)}</strong>.
            </p>
            <p className="govuk-inset-text">
              Nothing is booked or charged until you accept. Accepting makes an order: at or above your school’s approval limit it waits for your
              headteacher, then each package is confirmed while the team has time, or put on the waiting list.
            </p>
          </>
        ) : null}

        {proposal && proposal.status === 'accepted' && proposal.order ? (
          <p className="govuk-body">
            {done === 'accepted' ? 'Thank you. ' : ''}
            <Link className="govuk-link" to={`/orders/${proposal.order.id}`}>
              View order {proposal.order.reference}
            </Link>{' '}
            to see what was confirmed, waits for approval or is on the waiting list.
          </p>
        ) : null}

        {proposal ? (
          <>
            <h2 className="govuk-heading-l govuk-!-margin-top-6" id="lines">
              {proposal.status === 'open' ? 'Your proposal' : 'What was proposed'}
            </h2>
            {proposal.lines.length === 0 ? <p className="govuk-body">There is nothing in your proposal.</p> : null}
            {proposal.lines.map((line) => (
              <LineCard
                key={line.id}
                line={line}
                canEdit={canEdit}
                error={errors?.[`quantity-${line.id}`]}
                value={values?.lineId === line.id ? values.quantity : undefined}
              />
            ))}
            {proposal.notPriced.length ? (
              <>
                <h3 className="govuk-heading-m">Not yet priced for {year}</h3>
                <p className="govuk-body">
                  Next year’s price is not published yet for these, so they are left out of the total and of the order. You can order them from the
                  catalogue once they are priced.
                </p>
                <ul className="govuk-list govuk-list--bullet">
                  {proposal.notPriced.map((l) => (
                    <li key={l.id}>
                      {l.serviceName}: {l.offerName} ({l.lastYear ?? l.quantityText})
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            <dl className="govuk-summary-list govuk-!-margin-top-6">
              <SummaryRow label={`Total for ${year}`}>
                <strong>{formatPence(proposal.grossPence)}</strong>
                {proposal.vatPence > 0 ? ` (${formatPence(proposal.netPence)} plus ${formatPence(proposal.vatPence)} VAT)` : ' (no VAT)'}
              </SummaryRow>
            </dl>
          </>
        ) : null}

        {proposal && canEdit ? (
          <>
            {renewal.addable.length ? (
              <section aria-labelledby="add-heading" className="govuk-!-margin-top-6">
                <h2 className="govuk-heading-m" id="add-heading">
                  Add a package
                </h2>
                <ValidatedForm form={addForm} method="post" noValidate>
                  <input type="hidden" name="intent" value="add" />
                  <SelectField
                    name="offerId"
                    label="Package"
                    value={values?.offerId ?? ''}
                    error={errors?.offerId}
                    options={[{ value: '', label: 'Choose a package' }, ...renewal.addable.map((o) => ({ value: o.id, label: o.label }))]}
                  />
                  <TextInput
                    name="addQuantity"
                    label="Quantity to add"
                    width={10}
                    inputMode="numeric"
                    defaultValue={values?.addQuantity ?? '1'}
                    error={errors?.addQuantity}
                  />
                  <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button" disabled={busy}>
                    Add to proposal
                  </button>
                </ValidatedForm>
              </section>
            ) : null}

            <section aria-labelledby="accept-heading" className="govuk-!-margin-top-6">
              <h2 className="govuk-heading-m" id="accept-heading">
                Accept the proposal
              </h2>
              <ValidatedForm form={acceptForm} method="post" noValidate>
                <input type="hidden" name="intent" value="accept" />
                <input type="hidden" name="proposalId" value={proposal.id} />
                <TextInput
                  name="poNumber"
                  label="Purchase order number"
                  hint={
                    renewal.poNumberRequired
                      ? `Your school needs one. Up to ${PO_NUMBER_MAX} characters.`
                      : `Optional. Up to ${PO_NUMBER_MAX} characters.`
                  }
                  width={20}
                  maxLength={PO_NUMBER_MAX}
                  defaultValue={values?.poNumber ?? ''}
                  error={errors?.poNumber}
                />
                <button type="submit" className="govuk-button" data-module="govuk-button" disabled={busy}>
                  Accept proposal
                </button>
              </ValidatedForm>
            </section>

            <section aria-labelledby="decline-heading" className="govuk-!-margin-top-6">
              <h2 className="govuk-heading-m" id="decline-heading">
                Decline the proposal
              </h2>
              <ValidatedForm form={declineForm} method="post" noValidate>
                <input type="hidden" name="intent" value="decline" />
                <input type="hidden" name="proposalId" value={proposal.id} />
                <div className={`govuk-form-group${errors?.reason ? ' govuk-form-group--error' : ''}`}>
                  <label className="govuk-label govuk-label--s" htmlFor="reason">
                    Why are you not renewing?
                  </label>
                  <div className="govuk-hint" id="reason-hint">
                    The council reads every answer. Up to {DECLINE_REASON_MAX} characters.
                  </div>
                  <ErrorMessage id="reason-error" error={errors?.reason} />
                  <textarea
                    className={`govuk-textarea${errors?.reason ? ' govuk-textarea--error' : ''}`}
                    id="reason"
                    name="reason"
                    rows={3}
                    maxLength={DECLINE_REASON_MAX}
                    defaultValue={values?.reason ?? ''}
                    aria-describedby={['reason-hint', errors?.reason ? 'reason-error' : ''].filter(Boolean).join(' ')}
                  />
                </div>
                <button type="submit" className="govuk-button govuk-button--warning" data-module="govuk-button" disabled={busy}>
                  Decline proposal
                </button>
              </ValidatedForm>
            </section>
          </>
        ) : proposal && proposal.status === 'open' && !canAct ? (
          <p className="govuk-body">Your school’s business manager can change, accept or decline this proposal.</p>
        ) : null}
      </div>
    </div>
  )
}
