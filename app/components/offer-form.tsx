import { Link } from '@remix-run/react'
import { useValidatedForm, ValidatedForm } from '~/components/validated-form'
import { useEffect, useRef, useState, type MouseEvent, type ReactNode } from 'react'
import { MAX_ROWS } from '~/domain/offer-editing'
import { fieldErrors, type FieldErrors } from '~/schemas/common'
import {
  INVOICE_SCHEDULE_NAMES,
  OFFER_STATUS_NAMES,
  offerFormSchema,
  offerIntentFrom,
  offerValuesFrom,
  PRICING_MODEL_NAMES,
  PRICING_MODELS,
  SOLD_BY_NAMES,
  VAT_CATEGORY_NAMES,
  type OfferStatus,
  type OfferValues,
} from '~/schemas/offers'
import { ErrorMessage, ErrorSummary, Radios, TextInput } from './forms'

/**
 * The offer editor's form, the same for a new offer and an existing one.
 * Rows of tiers, bands and courses are added and removed by submit buttons
 * (intent add-tier, remove-tier-2, ...), so they work without JavaScript: the
 * form comes back with the values posted and one row more or fewer. With
 * JavaScript, tiers and bands are added and removed in the browser instead
 * (no round trip; docs/decisions/0029), the same buttons then not posting.
 */

export type YearChoice = { year: number; label: string; href: string; current: boolean; note: string }

type Props = {
  values: OfferValues
  errors?: FieldErrors
  yearLabel: string
  years: YearChoice[]
  inclusionChoices: { id: string; name: string }[]
  incomeCode: string | null
  booked: Record<string, number>
  statuses: readonly OfferStatus[]
}

const FIELD_ORDER = [
  'name',
  'description',
  'pricingModel',
  'unitOne',
  'unitOther',
  'hoursPerUnit',
  'soldBy',
  'maxQuantity',
  'partnershipFrom',
  'partnershipPercent',
  'inclusions',
  'status',
  'vatCategory',
  'invoiceSchedule',
  'cfrCode',
  'noticeDays',
  'noticeIn',
  'lateFeePercent',
  'price',
  'priceAcademy',
]

/** Errors in the order of the page: the named fields, then rows as they come. */
function errorOrder(errors: FieldErrors | undefined): string[] {
  const rest = Object.keys(errors ?? {}).filter((k) => !FIELD_ORDER.includes(k))
  return [...FIELD_ORDER, ...rest]
}

function Cell(props: {
  id: string
  label: string
  rowLabel: string
  value: string
  error?: string
  width: 2 | 3 | 4 | 5 | 10 | 20
  type?: string
  prefix?: string
}) {
  const input = (
    <input
      className={`govuk-input govuk-input--width-${props.width}${props.error ? ' govuk-input--error' : ''}`}
      id={props.id}
      name={props.id}
      type={props.type ?? 'text'}
      inputMode={props.type ? undefined : 'decimal'}
      defaultValue={props.value}
      maxLength={200}
      aria-describedby={props.error ? `${props.id}-error` : undefined}
    />
  )
  return (
    <div className="govuk-date-input__item govuk-!-margin-bottom-2">
      <div className={`govuk-form-group${props.error ? ' govuk-form-group--error' : ''}`}>
        <label className="govuk-label govuk-date-input__label" htmlFor={props.id}>
          <span className="govuk-visually-hidden">{props.rowLabel} </span>
          {props.label}
        </label>
        <ErrorMessage id={`${props.id}-error`} error={props.error} />
        {props.prefix ? (
          <div className="govuk-input__wrapper">
            <div className="govuk-input__prefix" aria-hidden="true">
              {props.prefix}
            </div>
            {input}
          </div>
        ) : (
          input
        )}
      </div>
    </div>
  )
}

function RowButton({
  value,
  children,
  onClick,
  buttonRef,
}: {
  value: string
  children: ReactNode
  /** With JavaScript: what the button does instead of posting (it calls preventDefault). */
  onClick?: (event: MouseEvent<HTMLButtonElement>) => void
  buttonRef?: (button: HTMLButtonElement | null) => void
}) {
  return (
    <button
      type="submit"
      name="intent"
      value={value}
      className="govuk-button govuk-button--secondary govuk-!-margin-bottom-4"
      data-module="govuk-button"
      // Adding and removing rows is not posting: two quick clicks are two rows.
      data-prevent-double-click="false"
      onClick={onClick}
      ref={buttonRef}
    >
      {children}
    </button>
  )
}

function RangeRows(props: {
  kind: 'tier' | 'band'
  rows: OfferValues['tiers']
  errors?: FieldErrors
  legend: string
  hint: string
  fromLabel: string
  priceLabel: string
}) {
  const prefix = `${props.kind}s`
  const name = props.kind === 'tier' ? 'Tier' : 'Band'
  const { rows, add, remove, addButton } = useClientRows(props.rows, prefix)
  return (
    <div className="govuk-form-group" id={prefix}>
      <fieldset className="govuk-fieldset" aria-describedby={`${prefix}-hint`}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{props.legend}</legend>
        <div className="govuk-hint" id={`${prefix}-hint`}>
          {props.hint}
        </div>
        {rows.map(({ key: n, row }, i) => {
          // Field names keep the row's own number (the server reads them in order, gaps and all); labels count rows as shown.
          const rowLabel = `${name} ${i + 1}`
          const id = (field: string) => `${prefix}-${n}-${field}`
          return (
            <div key={n} className="govuk-date-input govuk-!-margin-bottom-2" role="group" aria-label={rowLabel}>
              <Cell id={id('from')} rowLabel={rowLabel} label={props.fromLabel} value={row.from} error={props.errors?.[id('from')]} width={5} />
              <Cell id={id('to')} rowLabel={rowLabel} label="To (blank: no limit)" value={row.to} error={props.errors?.[id('to')]} width={5} />
              <Cell
                id={id('price')}
                rowLabel={rowLabel}
                label={props.priceLabel}
                value={row.price}
                error={props.errors?.[id('price')]}
                width={5}
                prefix="£"
              />
              <Cell
                id={id('priceAcademy')}
                rowLabel={rowLabel}
                label={`${props.priceLabel} for academies`}
                value={row.priceAcademy}
                error={props.errors?.[id('priceAcademy')]}
                width={5}
                prefix="£"
              />
              <div className="govuk-date-input__item">
                <RowButton value={`remove-${props.kind}-${i}`} onClick={remove(n)}>
                  Remove<span className="govuk-visually-hidden"> {rowLabel.toLowerCase()}</span>
                </RowButton>
              </div>
            </div>
          )
        })}
        {rows.length < MAX_ROWS ? (
          <RowButton value={`add-${props.kind}`} onClick={add} buttonRef={addButton}>
            Add another {props.kind}
          </RowButton>
        ) : null}
      </fieldset>
    </div>
  )
}

type Range = OfferValues['tiers'][number]

/**
 * Tier or band rows kept in the browser: "Add another" appends an empty row
 * and moves focus to its first field, "Remove" takes the row away and moves
 * focus to "Add another". The rows start again from what the server sent
 * whenever it sends the form back.
 */
function useClientRows(sent: Range[], prefix: string) {
  const [state, setState] = useState(() => ({ sent, rows: sent.map((row, key) => ({ key, row })), focus: null as number | 'add' | null }))
  let current = state
  if (state.sent !== sent) {
    current = { sent, rows: sent.map((row, key) => ({ key, row })), focus: null }
    setState(current)
  }
  const addButton = useRef<HTMLButtonElement | null>(null)
  const { focus } = current
  useEffect(() => {
    if (focus === 'add') addButton.current?.focus()
    else if (focus !== null) document.getElementById(`${prefix}-${focus}-from`)?.focus()
  }, [focus, prefix])
  const add = (event: MouseEvent<HTMLButtonElement>) => {
    event.preventDefault()
    setState((s) => {
      const key = Math.max(-1, ...s.rows.map((r) => r.key)) + 1
      if (key > 99 || s.rows.length >= MAX_ROWS) return s
      return { ...s, rows: [...s.rows, { key, row: { from: '', to: '', price: '', priceAcademy: '' } }], focus: key }
    })
  }
  const remove = (key: number) => (event: MouseEvent<HTMLButtonElement>) => {
    event.preventDefault()
    setState((s) => ({ ...s, rows: s.rows.filter((r) => r.key !== key), focus: 'add' }))
  }
  return {
    rows: current.rows,
    add,
    remove,
    addButton: (button: HTMLButtonElement | null) => {
      addButton.current = button
    },
  }
}

function CourseRows({ rows, errors, booked }: { rows: OfferValues['courses']; errors?: FieldErrors; booked: Record<string, number> }) {
  return (
    <div className={`govuk-form-group${errors?.courses ? ' govuk-form-group--error' : ''}`} id="courses">
      <fieldset className="govuk-fieldset" aria-describedby="courses-hint">
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--m">Courses</legend>
        <div className="govuk-hint" id="courses-hint">
          For price per course place only. Start and end are dates and times in England. Places can never be set below the places already booked, and
          a course with bookings cannot be removed.
        </div>
        <ErrorMessage id="courses-error" error={errors?.courses} />
        {rows.map((row, i) => {
          const rowLabel = `Course ${i + 1}`
          const id = (field: string) => `courses-${i}-${field}`
          const taken = row.id ? (booked[row.id] ?? 0) : 0
          return (
            <div key={i} className="govuk-date-input govuk-!-margin-bottom-4" role="group" aria-label={rowLabel}>
              {row.id ? <input type="hidden" name={id('id')} value={row.id} /> : null}
              <Cell id={id('title')} rowLabel={rowLabel} label="Title" value={row.title} error={errors?.[id('title')]} width={20} type="text" />
              <Cell
                id={id('starts')}
                rowLabel={rowLabel}
                label="Starts"
                value={row.starts}
                error={errors?.[id('starts')]}
                width={10}
                type="datetime-local"
              />
              <Cell id={id('ends')} rowLabel={rowLabel} label="Ends" value={row.ends} error={errors?.[id('ends')]} width={10} type="datetime-local" />
              <Cell id={id('venue')} rowLabel={rowLabel} label="Venue" value={row.venue} error={errors?.[id('venue')]} width={10} type="text" />
              <Cell
                id={id('places')}
                rowLabel={rowLabel}
                label={taken ? `Places (${taken} booked)` : 'Places'}
                value={row.places}
                error={errors?.[id('places')]}
                width={3}
              />
              <div className="govuk-date-input__item">
                <RowButton value={`remove-course-${i}`}>
                  Remove<span className="govuk-visually-hidden"> {rowLabel.toLowerCase()}</span>
                </RowButton>
              </div>
            </div>
          )
        })}
        <RowButton value="add-course">Add another course</RowButton>
      </fieldset>
    </div>
  )
}

/**
 * "Save offer" checked in the browser as offerAction checks it: the same
 * values, offerFormSchema for the year edited. A button that adds or
 * removes a row saves nothing, so it is sent unchecked.
 */
function checkOffer(tradingYear: number | undefined) {
  return (form: FormData) => {
    if (tradingYear === undefined || offerIntentFrom(form).kind !== 'save') return null
    const parsed = offerFormSchema(tradingYear).safeParse(offerValuesFrom(form))
    return parsed.success ? null : fieldErrors(parsed.error.issues)
  }
}

export function OfferForm({ values, errors: serverErrors, yearLabel, years, inclusionChoices, incomeCode, booked, statuses }: Props) {
  const form = useValidatedForm({ check: checkOffer(years.find((y) => y.current)?.year), serverErrors })
  const errors = form.errors
  return (
    <>
      <ErrorSummary errors={errors} order={errorOrder(errors)} />
      <ValidatedForm form={form} method="post" noValidate>
        {/* Enter in a field saves the form, rather than pressing the first row's Remove button. */}
        <button type="submit" name="intent" value="save" className="govuk-visually-hidden" tabIndex={-1} aria-hidden="true">
          Save
        </button>
        <h2 className="govuk-heading-m">About the offer</h2>
        <TextInput name="name" label="Offer name" labelSize="s" width="full" maxLength={200} defaultValue={values.name} error={errors?.name} />
        <div className={`govuk-form-group${errors?.description ? ' govuk-form-group--error' : ''}`}>
          <label className="govuk-label govuk-label--s" htmlFor="description">
            Description
          </label>
          <div className="govuk-hint" id="description-hint">
            What a school gets, in plain words
          </div>
          <ErrorMessage id="description-error" error={errors?.description} />
          <textarea
            className={`govuk-textarea${errors?.description ? ' govuk-textarea--error' : ''}`}
            id="description"
            name="description"
            rows={4}
            defaultValue={values.description}
            aria-describedby={['description-hint', errors?.description ? 'description-error' : null].filter(Boolean).join(' ')}
          />
        </div>
        <Radios
          name="pricingModel"
          legend="Pricing model"
          legendSize="s"
          value={values.pricingModel}
          error={errors?.pricingModel}
          options={PRICING_MODELS.map((m) => ({ value: m, label: PRICING_MODEL_NAMES[m] }))}
        />
        <TextInput
          name="unitOne"
          label="Unit name, for one"
          labelSize="s"
          hint="What one unit is called, like day, session or place"
          width={20}
          maxLength={60}
          defaultValue={values.unitOne}
          error={errors?.unitOne}
        />
        <TextInput
          name="unitOther"
          label="Unit name, for more than one"
          labelSize="s"
          hint="Like days, sessions or places"
          width={20}
          maxLength={60}
          defaultValue={values.unitOther}
          error={errors?.unitOther}
        />
        <TextInput
          name="hoursPerUnit"
          label="Team hours per unit"
          labelSize="s"
          hint="The team hours one unit uses, like 6.5 for a day. Changing it does not change the hours already reserved by orders."
          inputMode="decimal"
          width={10}
          maxLength={20}
          defaultValue={values.hoursPerUnit}
          error={errors?.hoursPerUnit}
        />

        <h2 className="govuk-heading-m">Selling</h2>
        <Radios
          name="soldBy"
          legend="Sold by"
          legendSize="s"
          hint="Courses are always sold by the place"
          value={values.soldBy}
          error={errors?.soldBy}
          options={(['year', 'term', 'quantity'] as const).map((s) => ({ value: s, label: SOLD_BY_NAMES[s] }))}
        />
        <TextInput
          name="maxQuantity"
          label="Most a school can buy at once (optional)"
          labelSize="s"
          hint="A whole number; leave blank for no limit"
          inputMode="numeric"
          width={10}
          maxLength={20}
          defaultValue={values.maxQuantity}
          error={errors?.maxQuantity}
        />
        <fieldset className="govuk-fieldset">
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">Partnership discount (optional)</legend>
          <div className="govuk-hint">For a cluster’s pooled block only: a percentage off the whole block once it reaches a quantity</div>
          <TextInput
            name="partnershipFrom"
            label="From a pooled quantity of"
            hint="A whole number, like 40"
            inputMode="numeric"
            width={10}
            maxLength={20}
            defaultValue={values.partnershipFrom}
            error={errors?.partnershipFrom}
          />
          <TextInput
            name="partnershipPercent"
            label="Percentage off"
            hint="A whole number from 1 to 100, like 10"
            inputMode="numeric"
            width={10}
            maxLength={5}
            defaultValue={values.partnershipPercent}
            error={errors?.partnershipPercent}
          />
        </fieldset>
        <div className="govuk-form-group">
          <div className="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
            <div className="govuk-checkboxes__item">
              <input
                className="govuk-checkboxes__input"
                id="repeatable"
                name="repeatable"
                type="checkbox"
                value="yes"
                defaultChecked={values.repeatable === 'yes'}
              />
              <label className="govuk-label govuk-checkboxes__label" htmlFor="repeatable">
                May be bought more than once a year
              </label>
            </div>
          </div>
        </div>
        {inclusionChoices.length ? (
          <div className={`govuk-form-group${errors?.inclusions ? ' govuk-form-group--error' : ''}`}>
            <fieldset className="govuk-fieldset" aria-describedby="inclusions-hint">
              <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">What a subscription includes</legend>
              <div className="govuk-hint" id="inclusions-hint">
                A school holding this offer for a year gets the offers you tick at no charge
              </div>
              <ErrorMessage id="inclusions-error" error={errors?.inclusions} />
              <div className="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
                {inclusionChoices.map((o, i) => {
                  const id = i === 0 ? 'inclusions' : `inclusions-${o.id}`
                  return (
                    <div key={o.id} className="govuk-checkboxes__item">
                      <input
                        className="govuk-checkboxes__input"
                        id={id}
                        name="inclusions"
                        type="checkbox"
                        value={o.id}
                        defaultChecked={values.inclusions.includes(o.id)}
                      />
                      <label className="govuk-label govuk-checkboxes__label" htmlFor={id}>
                        {o.name}
                      </label>
                    </div>
                  )
                })}
              </div>
            </fieldset>
          </div>
        ) : null}
        <Radios
          name="status"
          legend="Status"
          legendSize="s"
          value={values.status}
          error={errors?.status}
          options={statuses.map((s) => ({
            value: s,
            label: OFFER_STATUS_NAMES[s],
            hint:
              s === 'on_sale'
                ? 'Schools can buy it'
                : s === 'draft'
                  ? 'Not on sale yet: only the council sees it'
                  : 'No longer sold; what schools already bought stays as it is',
          }))}
        />

        <h2 className="govuk-heading-m">Money</h2>
        <Radios
          name="vatCategory"
          legend="VAT category"
          legendSize="s"
          value={values.vatCategory}
          error={errors?.vatCategory}
          options={(['standard', 'exempt', 'outside_scope'] as const).map((v) => ({ value: v, label: VAT_CATEGORY_NAMES[v] }))}
        />
        <Radios
          name="invoiceSchedule"
          legend="Invoice schedule"
          legendSize="s"
          value={values.invoiceSchedule}
          error={errors?.invoiceSchedule}
          options={(['annual_in_advance', 'termly', 'on_delivery'] as const).map((v) => ({ value: v, label: INVOICE_SCHEDULE_NAMES[v] }))}
        />
        <TextInput
          name="cfrCode"
          label="CFR code (optional)"
          labelSize="s"
          hint={incomeCode ? `Leave blank to use the service’s income code, ${incomeCode}` : 'Leave blank to use the service’s income code'}
          width={10}
          maxLength={30}
          defaultValue={values.cfrCode}
          error={errors?.cfrCode}
        />

        <h2 className="govuk-heading-m">Cancellation</h2>
        <TextInput
          name="noticeDays"
          label="Notice needed to cancel, in days"
          labelSize="s"
          inputMode="numeric"
          width={10}
          maxLength={10}
          defaultValue={values.noticeDays}
          error={errors?.noticeDays}
        />
        <Radios
          name="noticeIn"
          legend="Notice is counted in"
          legendSize="s"
          small
          value={values.noticeIn}
          error={errors?.noticeIn}
          options={[
            { value: 'school', label: 'School days' },
            { value: 'calendar', label: 'Calendar days' },
          ]}
        />
        <TextInput
          name="lateFeePercent"
          label="Late cancellation fee, per cent of the price"
          labelSize="s"
          inputMode="numeric"
          width={10}
          maxLength={10}
          defaultValue={values.lateFeePercent}
          error={errors?.lateFeePercent}
        />

        <h2 className="govuk-heading-m" id="prices-heading">
          Prices for {yearLabel}
        </h2>
        <nav aria-labelledby="prices-heading" className="govuk-!-margin-bottom-4">
          <ul className="govuk-list">
            {years.map((y) => (
              <li key={y.year}>
                {y.current ? (
                  <strong>
                    {y.label} ({y.note}): editing
                  </strong>
                ) : (
                  <Link className="govuk-link" to={y.href}>
                    Edit {y.label} prices ({y.note})
                  </Link>
                )}
              </li>
            ))}
          </ul>
        </nav>
        <p className="govuk-body">Saving changes these prices for new orders only: lines already ordered keep the prices they were sold at.</p>
        <TextInput
          name="price"
          label="Price"
          labelSize="s"
          hint="For maintained schools. Fixed price: the price per period. Price per unit without tiers: the price of one unit. Course place: the price of one place. Base price plus a price per pupil: the base price."
          prefix="£"
          inputMode="decimal"
          width={10}
          maxLength={30}
          defaultValue={values.price}
          error={errors?.price}
        />
        <TextInput
          name="priceAcademy"
          label="Price for academies"
          labelSize="s"
          hint="Leave blank to charge academies the same"
          prefix="£"
          inputMode="decimal"
          width={10}
          maxLength={30}
          defaultValue={values.priceAcademy}
          error={errors?.priceAcademy}
        />
        <RangeRows
          kind="tier"
          rows={values.tiers}
          errors={errors}
          legend="Volume tiers"
          hint="For price per unit only. The price of each unit by how many a school buys, like 1 to 4 days at £600 each and 5 days or more at £560 each. The academy price may be left blank."
          fromLabel="From"
          priceLabel="Price each"
        />
        <RangeRows
          kind="band"
          rows={values.bands}
          errors={errors}
          legend="Pupil bands"
          hint="For price by pupil numbers only. The price for schools with from and to pupils, like 1 to 100 pupils £765."
          fromLabel="From pupils"
          priceLabel="Price"
        />
        <TextInput
          name="perPupil"
          label="Price per pupil"
          labelSize="s"
          hint="For base price plus a price per pupil only"
          prefix="£"
          inputMode="decimal"
          width={10}
          maxLength={30}
          defaultValue={values.perPupil}
          error={errors?.perPupil}
        />
        <TextInput
          name="perPupilAcademy"
          label="Price per pupil for academies"
          labelSize="s"
          hint="Leave blank to charge academies the same"
          prefix="£"
          inputMode="decimal"
          width={10}
          maxLength={30}
          defaultValue={values.perPupilAcademy}
          error={errors?.perPupilAcademy}
        />
        <TextInput
          name="minimumCharge"
          label="Minimum charge (optional)"
          labelSize="s"
          hint="The least a school pays for one unit or period"
          prefix="£"
          inputMode="decimal"
          width={10}
          maxLength={30}
          defaultValue={values.minimumCharge}
          error={errors?.minimumCharge}
        />
        <CourseRows rows={values.courses} errors={errors} booked={booked} />

        <button type="submit" name="intent" value="save" className="govuk-button" data-module="govuk-button">
          Save offer
        </button>
      </ValidatedForm>
    </>
  )
}
