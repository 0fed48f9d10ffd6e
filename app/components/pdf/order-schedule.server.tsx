import { Text, View } from '@react-pdf/renderer'
import { PdfDocument, PdfSummary, PdfTable, pdfStyles } from '~/components/pdf/document.server'
import { chargeRouteText, lineWhen, versionText } from '~/components/order-schedule'
import { longDateTime } from '~/domain/dates'
import { formatPence } from '~/domain/money'
import { quantityText } from '~/domain/quantities'
import { tradingYearLabel } from '~/domain/trading-year'
import type { OrderSchedule } from '~/models/ordering/order-schedule.server'
import { formatDate } from '~/utils/format'

/**
 * The order schedule as a PDF: the same figures as /orders/:id/schedule
 * (getOrderSchedule), laid out with the shared document parts.
 */
export function OrderSchedulePdf({ schedule }: { schedule: OrderSchedule }) {
  const { order, acceptance, plan, authority } = schedule
  return (
    <PdfDocument
      title={`Order schedule ${order.reference}`}
      authorityName={authority.name}
      authorityAddress={authority.address}
      reference={`Order schedule ${order.reference}, ${order.school.name}`}
    >
      <Text style={[pdfStyles.title, { marginBottom: 12 }]}>Order schedule {order.reference}</Text>
      <PdfSummary
        rows={[
          ['Order reference', order.reference],
          ['School', order.school.name],
          ['Purchase order number', order.poNumber ?? 'None given'],
          [
            'Ordered by',
            `${order.orderedBy ?? 'The council’s traded services team, for the school'}${order.orderedAt ? `, ${longDateTime(order.orderedAt)}` : ''}`,
          ],
          ['Trading year', order.tradingYears.map((y) => tradingYearLabel(y)).join(', ')],
          ['Total', `${formatPence(order.grossPence)} (${formatPence(order.netPence)} plus ${formatPence(order.vatPence)} VAT)`],
        ]}
      />

      <Text style={pdfStyles.heading}>Lines</Text>
      <PdfTable
        columns={[
          { label: 'Service', flex: 3 },
          { label: 'Period', flex: 2.8 },
          { label: 'Quantity', flex: 1.2, align: 'right' },
          { label: 'Unit price', flex: 1.1, align: 'right' },
          { label: 'Net', flex: 1.1, align: 'right' },
          { label: 'VAT', flex: 1, align: 'right' },
          { label: 'Total', flex: 1.1, align: 'right' },
        ]}
        rows={order.lines.map((l) => [
          `${l.serviceName}: ${l.offerName}`,
          lineWhen(l),
          quantityText(l.quantity, l.unitOne, l.unitOther),
          formatPence(l.unitPricePence),
          formatPence(l.netPence),
          formatPence(l.vatPence),
          formatPence(l.grossPence),
        ])}
        footRows={[['Total', '', '', '', formatPence(order.netPence), formatPence(order.vatPence), formatPence(order.grossPence)]]}
      />

      <Text style={pdfStyles.heading}>Invoice plan</Text>
      {plan.charges.length === 0 ? <Text style={pdfStyles.paragraph}>Nothing is dated to be invoiced yet.</Text> : null}
      {plan.charges.length > 0 ? (
        <PdfTable
          columns={[
            { label: 'Date', flex: 1.6 },
            { label: 'Charge', flex: 3.4 },
            { label: 'How', flex: 2.8 },
            { label: 'Net', flex: 1.1, align: 'right' },
            { label: 'VAT', flex: 1, align: 'right' },
            { label: 'Total', flex: 1.1, align: 'right' },
          ]}
          rows={plan.charges.map((c) => [
            formatDate(c.issueOn),
            c.description,
            `${chargeRouteText(c)}${c.invoiceNumber ? ` (issued: ${c.invoiceNumber})` : ''}`,
            formatPence(c.netPence),
            formatPence(c.vatPence),
            formatPence(c.grossPence),
          ])}
          footRows={[['Total planned', '', '', '', '', formatPence(plan.totalPence)]]}
        />
      ) : null}
      {plan.notes.map((n) => (
        <Text key={n.lineId} style={pdfStyles.paragraph}>
          {n.description}: {n.note}.
        </Text>
      ))}

      <Text style={pdfStyles.heading}>Terms accepted</Text>
      <Text style={pdfStyles.paragraph}>
        {acceptance.acceptedAt
          ? `Accepted by ${acceptance.acceptedBy ?? 'the school'} when ordering, ${longDateTime(acceptance.acceptedAt)}.`
          : 'Who accepted the terms was not recorded: the order was placed before Buyback recorded it.'}
        {acceptance.approvedAt
          ? ` Approved by ${acceptance.approvedBy ?? 'the headteacher'}, accepting the same terms for the school, ${longDateTime(acceptance.approvedAt)}.`
          : ''}
      </Text>
      {acceptance.services.map((s) => (
        <View key={`${s.serviceName}-${s.version}`}>
          <Text style={[pdfStyles.bold, { marginTop: 6, marginBottom: 3 }]} minPresenceAhead={40}>
            {s.serviceName}: terms {versionText(s)}
          </Text>
          {s.terms
            .split(/\n\s*\n/)
            .map((p) => p.trim())
            .filter(Boolean)
            .map((p, i) => (
              <Text key={i} style={pdfStyles.paragraph}>
                {p}
              </Text>
            ))}
        </View>
      ))}
      {acceptance.unversioned.map((name) => (
        <Text key={name} style={pdfStyles.paragraph}>
          {name}: no terms version recorded (ordered before terms were versioned).
        </Text>
      ))}
    </PdfDocument>
  )
}
