import { describe, expect, it } from 'vitest'
import { agedDebt } from '~/domain/finance'
import { outstandingPence } from '~/domain/invoicing'
import { closingEvent, shareInProportion, statementLedger, type LedgerEvent } from '~/domain/statement'

const ev = (date: string, kind: LedgerEvent['kind'], invoiceNumber: string, debitPence: number, creditPence = 0): LedgerEvent => ({
  date,
  kind,
  description: `${kind} ${invoiceNumber}`,
  invoiceId: invoiceNumber,
  invoiceNumber,
  debitPence,
  creditPence,
})

describe('statementLedger', () => {
  it('opens on what was owed before the period, runs a balance, and closes on the last day', () => {
    const events = [
      ev('2026-05-01', 'payment', 'A', 0, 500),
      ev('2026-03-10', 'invoice', 'A', 1_000),
      ev('2026-04-02', 'invoice', 'B', 2_000),
      ev('2026-04-02', 'credit_note', 'B', 0, 300),
      ev('2026-12-01', 'invoice', 'C', 9_999),
    ]
    const ledger = statementLedger(events, '2026-04-01', '2026-11-22')
    expect(ledger.openingBalancePence).toBe(1_000)
    expect(ledger.entries.map((e) => [e.kind, e.balancePence])).toEqual([
      ['invoice', 3_000],
      ['credit_note', 2_700],
      ['payment', 2_200],
    ])
    expect(ledger.closingBalancePence).toBe(2_200)
  })

  it('puts an invoice before its payment on the same day, and a refund after it', () => {
    const ledger = statementLedger(
      [ev('2026-06-01', 'refund', 'A', 100), ev('2026-06-01', 'payment', 'A', 0, 1_000), ev('2026-06-01', 'invoice', 'A', 1_000)],
      '2026-04-01',
      '2026-06-30',
    )
    expect(ledger.entries.map((e) => e.kind)).toEqual(['invoice', 'payment', 'refund'])
    expect(ledger.entries.map((e) => e.balancePence)).toEqual([1_000, 0, 100])
  })

  it('is empty with nothing to show', () => {
    expect(statementLedger([], '2026-04-01', '2026-11-22')).toEqual({ openingBalancePence: 0, entries: [], closingBalancePence: 0 })
  })
})

describe('closingEvent', () => {
  const base = { id: 'i', number: 'COV-1', outstandingPence: 700, voidedOn: null, writtenOffOn: null }
  it('takes what a written-off or void invoice still owed out of the balance on that day', () => {
    expect(closingEvent({ ...base, status: 'uncollectible', writtenOffOn: '2026-10-01' })).toMatchObject({
      kind: 'write_off',
      date: '2026-10-01',
      creditPence: 700,
    })
    expect(closingEvent({ ...base, status: 'void', voidedOn: '2026-09-01' })).toMatchObject({ kind: 'void', date: '2026-09-01', creditPence: 700 })
  })
  it('does nothing for an open invoice or one that owes nothing', () => {
    expect(closingEvent({ ...base, status: 'open' })).toBeNull()
    expect(closingEvent({ ...base, status: 'uncollectible', writtenOffOn: '2026-10-01', outstandingPence: 0 })).toBeNull()
  })
})

describe('a statement closes on aged debt', () => {
  it('for open, part-paid, credited, refunded, written-off and void invoices', () => {
    type Inv = {
      id: string
      status: 'open' | 'paid' | 'credited' | 'uncollectible' | 'void'
      gross: number
      paid: number
      credited: number
      events: LedgerEvent[]
    }
    const invoices: Inv[] = [
      { id: 'A', status: 'open', gross: 1_000, paid: 0, credited: 0, events: [] },
      {
        id: 'B',
        status: 'open',
        gross: 2_000,
        paid: 500,
        credited: 300,
        events: [ev('2026-06-01', 'payment', 'B', 0, 500), ev('2026-06-02', 'credit_note', 'B', 0, 300)],
      },
      // Paid in full, then credited 400: the credit was refunded.
      {
        id: 'C',
        status: 'paid',
        gross: 1_500,
        paid: 1_100,
        credited: 400,
        events: [ev('2026-05-01', 'payment', 'C', 0, 1_500), ev('2026-07-01', 'credit_note', 'C', 0, 400), ev('2026-07-01', 'refund', 'C', 400)],
      },
      { id: 'D', status: 'uncollectible', gross: 800, paid: 100, credited: 0, events: [ev('2026-05-05', 'payment', 'D', 0, 100)] },
      { id: 'E', status: 'void', gross: 600, paid: 0, credited: 0, events: [] },
    ]
    const events: LedgerEvent[] = []
    for (const i of invoices) {
      events.push(ev('2026-04-10', 'invoice', i.id, i.gross), ...i.events)
      const closing = closingEvent({
        id: i.id,
        number: i.id,
        status: i.status,
        outstandingPence: outstandingPence({ grossPence: i.gross, amountPaidPence: i.paid, amountCreditedPence: i.credited }),
        voidedOn: '2026-10-01',
        writtenOffOn: '2026-10-01',
      })
      if (closing) events.push(closing)
    }
    const ledger = statementLedger(events, '2026-04-01', '2026-11-22')
    const aged = agedDebt(
      invoices.map((i) => ({
        schoolId: 's',
        dueOn: '2026-05-10',
        status: i.status,
        grossPence: i.gross,
        amountPaidPence: i.paid,
        amountCreditedPence: i.credited,
      })),
      '2026-11-22',
    )
    expect(ledger.closingBalancePence).toBe(aged.rows[0]!.totalPence)
    expect(ledger.closingBalancePence).toBe(1_000 + 1_200)
  })
})

describe('shareInProportion', () => {
  it('shares exactly, the last taking the rounding', () => {
    expect(shareInProportion(100, [1, 1, 1])).toEqual([33, 33, 34])
    expect(shareInProportion(1_000, [300, 0, 700])).toEqual([300, 0, 700])
  })
  it('gives nothing to negative or zero weights, and nothing when there is nothing to share by', () => {
    expect(shareInProportion(500, [-200, 1_000])).toEqual([0, 500])
    expect(shareInProportion(500, [0, 0])).toEqual([0, 0])
    expect(shareInProportion(0, [5, 5])).toEqual([0, 0])
  })
})
