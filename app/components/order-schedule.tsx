import { Link } from '@remix-run/react'
import { longDate, longDateTime } from '~/domain/dates'
import { monthLabel } from '~/domain/invoicing'
import { formatPence } from '~/domain/money'
import { formatCount, quantityText } from '~/domain/quantities'
import { TableHead } from '~/components/table-head'
import { formatDate } from '~/utils/format'

/**
 * The parts of an order that say what the school agreed to and what was
 * delivered (issue 15): the terms accepted, each delivery recorded, the
 * invoice plan. Shown on /orders/:id and its printable schedule; the PDF
 * lays out the same figures (app/components/pdf/order-schedule.server.tsx).
 */

type When = Date | string

export type AcceptanceView = {
  acceptedBy: string | null
  acceptedAt: When | null
  approvedBy: string | null
  approvedAt: When | null
  services: { serviceName: string; version: number; versionDate: When; terms: string }[]
  unversioned: string[]
}

function isoOf(value: When): string {
  return (typeof value === 'string' ? new Date(value) : value).toISOString()
}

/** A terms text as paragraphs (blank lines part them; single line breaks kept). */
export function TermsText({ text }: { text: string }) {
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
  if (paragraphs.length === 0) return <p className="govuk-body">The service published no terms text.</p>
  return (
    <>
      {paragraphs.map((p, i) => (
        <p key={i} className="govuk-body">
          {p.split('\n').map((line, j) => (
            <span key={j}>
              {j > 0 ? <br /> : null}
              {line}
            </span>
          ))}
        </p>
      ))}
    </>
  )
}

/** "version 2, of 3 September 2026" */
export function versionText(s: { version: number; versionDate: When }): string {
  return `version ${s.version}, of ${longDate(s.versionDate)}`
}

/** Who accepted the terms and when, and each service's version with its text to open. */
export function TermsAccepted({ acceptance, headingId = 'terms-heading' }: { acceptance: AcceptanceView; headingId?: string }) {
  return (
    <section aria-labelledby={headingId}>
      <h2 className="govuk-heading-l" id={headingId}>
        Terms accepted
      </h2>
      <dl className="govuk-summary-list">
        <div className="govuk-summary-list__row">
          <dt className="govuk-summary-list__key">Accepted by</dt>
          <dd className="govuk-summary-list__value">
            {acceptance.acceptedAt ? (
              <>
                {acceptance.acceptedBy ?? 'Not recorded'}, when ordering
                <br />
                <time dateTime={isoOf(acceptance.acceptedAt)}>{longDateTime(acceptance.acceptedAt)}</time>
              </>
            ) : (
              'Not recorded: the order was placed before Buyback recorded who accepted the terms'
            )}
          </dd>
        </div>
        {acceptance.approvedAt ? (
          <div className="govuk-summary-list__row">
            <dt className="govuk-summary-list__key">Approved by</dt>
            <dd className="govuk-summary-list__value">
              {acceptance.approvedBy ?? 'Not recorded'}, accepting the same terms for the school
              <br />
              <time dateTime={isoOf(acceptance.approvedAt)}>{longDateTime(acceptance.approvedAt)}</time>
            </dd>
          </div>
        ) : null}
        {acceptance.services.map((s) => (
          <div className="govuk-summary-list__row" key={`${s.serviceName}-${s.version}`}>
            <dt className="govuk-summary-list__key">{s.serviceName}</dt>
            <dd className="govuk-summary-list__value">Terms {versionText(s)}</dd>
          </div>
        ))}
        {acceptance.unversioned.map((name) => (
          <div className="govuk-summary-list__row" key={name}>
            <dt className="govuk-summary-list__key">{name}</dt>
            <dd className="govuk-summary-list__value">No terms version recorded (ordered before terms were versioned)</dd>
          </div>
        ))}
      </dl>
      {acceptance.services.map((s) => (
        <details className="govuk-details" key={`${s.serviceName}-${s.version}-text`}>
          <summary className="govuk-details__summary">
            <span className="govuk-details__summary-text">
              Terms of {s.serviceName}, version {s.version}
            </span>
          </summary>
          <div className="govuk-details__text">
            <TermsText text={s.terms} />
          </div>
        </details>
      ))}
    </section>
  )
}

export type DeliveryLineView = {
  id: string
  serviceName: string
  offerName: string
  unitOne: string
  unitOther: string
}

export type DeliveryRecordView = { id: string; deliveredOn: string; practitioner: string; units: number; hours: number; note: string | null }

/** "1 day, 6 hours" */
export function deliveredText(d: { units: number; hours: number }, line: { unitOne: string; unitOther: string }): string {
  const units = quantityText(d.units, line.unitOne, line.unitOther)
  return d.hours > 0 && line.unitOne !== 'hour' ? `${units}, ${formatCount(d.hours)} ${d.hours === 1 ? 'hour' : 'hours'}` : units
}

/** Each delivery recorded against each line: date, practitioner, hours or units, note. */
export function DeliveryRecords({ lines, deliveries }: { lines: DeliveryLineView[]; deliveries: Record<string, DeliveryRecordView[]> }) {
  const delivered = lines.filter((l) => (deliveries[l.id]?.length ?? 0) > 0)
  return (
    <section aria-labelledby="deliveries-heading">
      <h2 className="govuk-heading-l" id="deliveries-heading">
        Delivery records
      </h2>
      {delivered.length === 0 ? <p className="govuk-body">No deliveries have been recorded against this order yet.</p> : null}
      {delivered.map((line) => {
        const records = deliveries[line.id] ?? []
        const headingId = `deliveries-${line.id}`
        return (
          <div key={line.id} className="app-table-scroll" role="region" aria-labelledby={headingId} tabIndex={0}>
            <table className="govuk-table app-table--compact">
              <caption className="govuk-table__caption govuk-table__caption--m" id={headingId}>
                {line.serviceName}: {line.offerName}
              </caption>
              <TableHead columns={['Date', 'Practitioner', 'Delivered', 'Note']} />
              <tbody className="govuk-table__body">
                {records.map((d) => (
                  <tr key={d.id} className="govuk-table__row">
                    <td className="govuk-table__cell app-nowrap">{formatDate(d.deliveredOn)}</td>
                    <td className="govuk-table__cell">{d.practitioner}</td>
                    <td className="govuk-table__cell">{deliveredText(d, line)}</td>
                    <td className="govuk-table__cell">{d.note ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      })}
    </section>
  )
}

/** "Invoice", or "Internal recharge, November 2026 journal" (the month the charge falls in). */
export function chargeRouteText(charge: { route: 'internal_recharge' | 'invoice'; issueOn: string }): string {
  return charge.route === 'internal_recharge' ? `Internal recharge, ${monthLabel(charge.issueOn)} journal` : 'Invoice'
}

export type PlanView = {
  charges: {
    key: string
    issueOn: string
    description: string
    netPence: number
    vatPence: number
    grossPence: number
    route: 'internal_recharge' | 'invoice'
    invoiceNumber: string | null
  }[]
  notes: { lineId: string; description: string; note: string }[]
  totalPence: number
}

/** What will be invoiced when: every charge of the order with its day, and what is not dated yet. */
export function InvoicePlanTable({ plan }: { plan: PlanView }) {
  return (
    <>
      <h2 className="govuk-heading-l" id="plan-heading">
        Invoice plan
      </h2>
      {plan.charges.length === 0 ? <p className="govuk-body">Nothing is dated to be invoiced yet.</p> : null}
      {plan.charges.length > 0 ? (
        <div className="app-table-scroll" role="region" aria-labelledby="plan-heading" tabIndex={0}>
          <table className="govuk-table app-table--compact">
            <caption className="govuk-visually-hidden">Every charge of this order, by the day it is invoiced</caption>
            <TableHead
              columns={['Date', 'Charge', 'How', { label: 'Net', numeric: true }, { label: 'VAT', numeric: true }, { label: 'Total', numeric: true }]}
            />
            <tbody className="govuk-table__body">
              {plan.charges.map((c) => (
                <tr key={c.key} className="govuk-table__row">
                  <td className="govuk-table__cell app-nowrap">{formatDate(c.issueOn)}</td>
                  <th scope="row" className="govuk-table__header">
                    {c.description}
                  </th>
                  <td className="govuk-table__cell">
                    {chargeRouteText(c)}
                    <span className="app-table__secondary">{c.invoiceNumber ? `Issued: ${c.invoiceNumber}` : 'To come'}</span>
                  </td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(c.netPence)}</td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(c.vatPence)}</td>
                  <td className="govuk-table__cell govuk-table__cell--numeric">{formatPence(c.grossPence)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr className="govuk-table__row">
                <th scope="row" colSpan={5} className="govuk-table__header">
                  Total planned
                </th>
                <td className="govuk-table__cell govuk-table__cell--numeric app-table__total">{formatPence(plan.totalPence)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      ) : null}
      {plan.notes.length > 0 ? (
        <ul className="govuk-list govuk-list--bullet">
          {plan.notes.map((n) => (
            <li key={n.lineId}>
              {n.description}: {n.note}.
            </li>
          ))}
        </ul>
      ) : null}
    </>
  )
}

/** The order schedule and its PDF. */
export function ScheduleLinks({ orderId, onSchedule = false }: { orderId: string; onSchedule?: boolean }) {
  return (
    <ul className="govuk-list app-no-print">
      {onSchedule ? null : (
        <li>
          <Link className="govuk-link" to={`/orders/${orderId}/schedule`}>
            Order schedule
          </Link>{' '}
          (printable: lines, invoice plan and the terms accepted)
        </li>
      )}
      <li>
        <a className="govuk-link" href={`/orders/${orderId}/schedule.pdf`} download>
          Download PDF<span className="govuk-visually-hidden"> of the order schedule</span>
        </a>
      </li>
    </ul>
  )
}

/** A line's period: "1 September 2026 to 31 August 2027", one day, or its course and date. */
export function lineWhen(line: { course: { title: string; startsAt: Date | string } | null; periodStart: string; periodEnd: string }): string {
  if (line.course) return `${line.course.title}, ${formatDate(line.course.startsAt)}`
  return line.periodStart === line.periodEnd ? formatDate(line.periodStart) : `${formatDate(line.periodStart)} to ${formatDate(line.periodEnd)}`
}
