import { describe, expect, it } from 'vitest'
import {
  agedDebt,
  invoiceTag,
  isOverdue,
  journalPostingProblem,
  journalSettlement,
  monthParam,
  parseMonthParam,
  remittanceOrder,
  type DebtItem,
} from '~/domain/finance'
import { parseDateParts, remittanceSchema, remittanceValuesFrom } from '~/schemas/finance'
import { buildCsv, csvCell, poundsText } from '~/utils/csv'

const A = '11111111-1111-4111-8111-111111111111'
const B = '22222222-2222-4222-8222-222222222222'
const C = '33333333-3333-4333-8333-333333333333'

describe('overdue', () => {
  it('an open invoice is overdue from the day after it was due', () => {
    expect(isOverdue({ status: 'open', dueOn: '2026-11-30' }, '2026-11-30')).toBe(false)
    expect(isOverdue({ status: 'open', dueOn: '2026-11-30' }, '2026-12-01')).toBe(true)
    expect(invoiceTag({ status: 'open', dueOn: '2026-11-30' }, '2026-12-01')).toBe('overdue')
  })

  it('paid, credited, void and written-off invoices are never tagged overdue', () => {
    for (const status of ['paid', 'credited', 'void', 'uncollectible'] as const) {
      expect(invoiceTag({ status, dueOn: '2026-01-01' }, '2026-12-01')).toBe(status)
    }
  })
})

describe('months in addresses', () => {
  it('reads 2026-11 as the first of the month, and refuses anything else', () => {
    expect(parseMonthParam('2026-11')).toBe('2026-11-01')
    expect(parseMonthParam('2027-01')).toBe('2027-01-01')
    for (const bad of ['2026-13', '2026-00', '2026-1', '26-11', '2026-11-01', '1999-12', '2101-01', '', null, undefined, '2026-11.csv']) {
      expect(parseMonthParam(bad), String(bad)).toBeNull()
    }
  })

  it('writes a month back as 2026-11', () => {
    expect(monthParam('2026-11-01')).toBe('2026-11')
    expect(monthParam('2026-11-17')).toBe('2026-11')
  })
})

describe('aged debt', () => {
  const item = (over: Partial<DebtItem>): DebtItem => ({
    schoolId: A,
    dueOn: '2026-11-01',
    status: 'open',
    grossPence: 10_000,
    amountPaidPence: 0,
    amountCreditedPence: 0,
    ...over,
  })
  const asOf = '2026-12-01'

  it('puts what is still owed in the band of its days overdue, per school, with totals', () => {
    const { rows, totals } = agedDebt(
      [
        item({ dueOn: '2026-12-01' }), // due today: not yet due
        item({ dueOn: '2026-11-30', grossPence: 20_000, amountPaidPence: 5_000 }), // 1 day: 15,000 owed
        item({ dueOn: '2026-10-02', amountCreditedPence: 4_000 }), // 60 days: 6,000 owed
        item({ dueOn: '2026-09-02' }), // 90 days
        item({ dueOn: '2026-09-01' }), // 91 days
      ],
      asOf,
    )
    expect(rows).toHaveLength(1)
    expect(rows[0]!.bands).toEqual({ not_due: 10_000, days_1_30: 15_000, days_31_60: 6_000, days_61_90: 10_000, over_90: 10_000 })
    expect(rows[0]!.totalPence).toBe(51_000)
    expect(rows[0]!.overduePence).toBe(41_000)
    expect(rows[0]!.invoiceCount).toBe(5)
    expect(rows[0]!.oldestDueOn).toBe('2026-09-01')
    expect(totals.totalPence).toBe(51_000)
    expect(totals.bands.over_90).toBe(10_000)
  })

  it('counts open invoices only, and only what they still owe; written-off invoices apart, not as debt', () => {
    const { rows, totals, writtenOff } = agedDebt(
      [
        item({ status: 'uncollectible', dueOn: '2026-01-01' }),
        item({ status: 'paid', amountPaidPence: 10_000 }),
        item({ status: 'credited', amountCreditedPence: 10_000 }),
        item({ status: 'void' }),
        item({ status: 'open', amountPaidPence: 10_000 }), // owes nothing
      ],
      asOf,
    )
    expect(rows).toEqual([])
    expect(totals.totalPence).toBe(0)
    expect(totals.invoiceCount).toBe(0)
    expect(writtenOff).toEqual({ pence: 10_000, invoiceCount: 1 })
  })

  it('sorts the most overdue schools first: by the oldest band, then the next', () => {
    const { rows } = agedDebt(
      [
        item({ schoolId: A, dueOn: '2026-11-20', grossPence: 900_000 }), // 11 days, a lot
        item({ schoolId: B, dueOn: '2026-08-01', grossPence: 100 }), // over 90 days, a little
        item({ schoolId: C, dueOn: '2026-09-15', grossPence: 50_000 }), // 61–90 days
        item({ schoolId: C, dueOn: '2026-08-15', grossPence: 100 }), // over 90 days, as B
      ],
      asOf,
    )
    // B and C owe the same over 90 days; C owes more at 61–90.
    expect(rows.map((r) => r.schoolId)).toEqual([C, B, A])
  })

  it('is empty when nothing is owed', () => {
    expect(agedDebt([], asOf)).toEqual({
      rows: [],
      totals: { bands: { not_due: 0, days_1_30: 0, days_31_60: 0, days_61_90: 0, over_90: 0 }, totalPence: 0, overduePence: 0, invoiceCount: 0 },
      writtenOff: { pence: 0, invoiceCount: 0 },
    })
  })
})

describe('posting a recharge journal', () => {
  it('pays each invoice what it still owes, after credits and earlier payments, and settles it', () => {
    const settlement = journalSettlement([
      { id: A, status: 'open', grossPence: 55_000, amountPaidPence: 0, amountCreditedPence: 0 },
      { id: B, status: 'open', grossPence: 55_000, amountPaidPence: 5_000, amountCreditedPence: 10_000 },
      { id: C, status: 'uncollectible', grossPence: 1_000, amountPaidPence: 0, amountCreditedPence: 0 },
    ])
    expect(settlement.totalPence).toBe(55_000 + 40_000 + 1_000)
    expect(settlement.allocations).toEqual([
      { invoiceId: A, amountPence: 55_000, amountPaidPence: 55_000, status: 'paid' },
      { invoiceId: B, amountPence: 40_000, amountPaidPence: 45_000, status: 'paid' },
      { invoiceId: C, amountPence: 1_000, amountPaidPence: 1_000, status: 'paid' },
    ])
  })

  it('leaves alone invoices that owe nothing (fully credited, already paid) and void ones', () => {
    const settlement = journalSettlement([
      { id: A, status: 'credited', grossPence: 55_000, amountPaidPence: 0, amountCreditedPence: 55_000 },
      { id: B, status: 'paid', grossPence: 55_000, amountPaidPence: 55_000, amountCreditedPence: 0 },
      { id: C, status: 'void', grossPence: 55_000, amountPaidPence: 0, amountCreditedPence: 0 },
    ])
    expect(settlement).toEqual({ allocations: [], totalPence: 0 })
  })

  it('can be posted once, from the first day of its month, when it holds something', () => {
    const open = { status: 'open' as const, month: '2026-11-01', documentCount: 3 }
    expect(journalPostingProblem(open, '2026-12-02')).toBeNull()
    expect(journalPostingProblem(open, '2026-11-01')).toBeNull()
    expect(journalPostingProblem(open, '2026-10-31')).toBe('not_started')
    expect(journalPostingProblem({ ...open, status: 'posted' }, '2026-12-02')).toBe('posted')
    expect(journalPostingProblem({ ...open, documentCount: 0 }, '2026-12-02')).toBe('empty')
    expect(journalPostingProblem(null, '2026-12-02')).toBe('missing')
  })
})

describe('the order a remittance pays invoices in', () => {
  it('is the order ticked when known, then any others in the order listed', () => {
    expect(remittanceOrder([A, B, C], [C, A])).toEqual([C, A, B])
    expect(remittanceOrder([A, B], [])).toEqual([A, B])
  })

  it('ignores ticks of invoices not chosen, and repeats', () => {
    expect(remittanceOrder([A, B], [C, B, B])).toEqual([B, A])
  })
})

describe('the remittance form', () => {
  const today = '2026-11-22'
  const form = (over: Record<string, string | string[]> = {}) => {
    const params = new URLSearchParams()
    const fields: Record<string, string | string[]> = {
      school: A,
      amount: '1,250.50',
      receivedOnDay: '20',
      receivedOnMonth: '11',
      receivedOnYear: '2026',
      reference: 'BACS 4471 ELM BANK',
      invoices: [B, C],
      tickOrder: `${C},${B}`,
      ...over,
    }
    for (const [k, v] of Object.entries(fields)) for (const one of [v].flat()) params.append(k, one)
    return remittanceSchema(today).safeParse(remittanceValuesFrom(params))
  }
  const errors = (over: Record<string, string | string[]>) => {
    const r = form(over)
    return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [String(i.path[0]), i.message]))
  }

  it('reads pounds as integer pence, the date, the reference and the invoices in the order ticked', () => {
    const r = form()
    expect(r.success && r.data).toEqual({
      schoolId: A,
      amountPence: 125_050,
      receivedOn: '2026-11-20',
      reference: 'BACS 4471 ELM BANK',
      invoiceIds: [B, C],
      tickOrder: [C, B],
    })
  })

  it('reads amounts exactly, without floating point', () => {
    const pence = (amount: string) => {
      const r = form({ amount })
      return r.success ? r.data.amountPence : null
    }
    expect(pence('0.29')).toBe(29)
    expect(pence('1.1')).toBe(110)
    expect(pence('£19.99')).toBe(1_999)
    expect(pence('1000000')).toBe(100_000_000)
    expect(pence('4,100,000')).toBeNull()
  })

  it('says what is wrong with each field, in the GOV.UK way', () => {
    expect(errors({ school: '', amount: '', receivedOnDay: '', receivedOnMonth: '', receivedOnYear: '', reference: ' ' })).toEqual({
      school: 'Select the school that paid',
      amount: 'Enter the amount received',
      receivedOnDay: 'Enter the date the payment reached the bank',
      reference: 'Enter the remittance reference',
    })
    expect(errors({ amount: '12.345' }).amount).toBe('Amount received must be an amount in pounds, like 1250 or 1250.50')
    expect(errors({ amount: '-5' }).amount).toBe('Amount received must be more than £0')
    expect(errors({ amount: '0.00' }).amount).toBe('Amount received must be more than £0')
    expect(errors({ amount: '1e3' }).amount).toBe('Amount received must be an amount in pounds, like 1250 or 1250.50')
    expect(errors({ amount: '1000000.01' }).amount).toBe('Amount received must be £1,000,000 or less')
    expect(errors({ receivedOnDay: '23' }).receivedOnDay).toBe('Date received must be today or in the past')
    expect(errors({ receivedOnDay: '31', receivedOnMonth: '11' }).receivedOnDay).toBe('Date received must be a real date')
    expect(errors({ receivedOnMonth: '' }).receivedOnMonth).toBe('Date received must include a month')
    expect(errors({ receivedOnYear: '26' }).receivedOnYear).toBe('Year must include 4 numbers')
    expect(errors({ reference: 'x'.repeat(101) }).reference).toBe('Remittance reference must be 100 characters or fewer')
    expect(errors({ invoices: ['not-an-invoice'] }).invoices).toBe('Select invoices from the list')
  })

  it('allows no invoice at all: the whole amount is then unallocated', () => {
    const r = form({ invoices: [], tickOrder: '' })
    expect(r.success && r.data.invoiceIds).toEqual([])
  })
})

describe('dates typed into a date input', () => {
  const options = { label: 'Date received', missing: 'Enter the date', latest: '2026-11-22', earliest: '2000-01-01' }
  it('accepts a real date up to the latest day', () => {
    expect(parseDateParts({ day: '29', month: '2', year: '2024' }, options)).toEqual({ ok: true, date: '2024-02-29' })
    expect(parseDateParts({ day: ' 22 ', month: '11', year: '2026' }, options)).toEqual({ ok: true, date: '2026-11-22' })
  })

  it('refuses impossible dates, naming the part that is wrong', () => {
    expect(parseDateParts({ day: '29', month: '2', year: '2025' }, options)).toMatchObject({ ok: false, field: 'Day' })
    expect(parseDateParts({ day: '1', month: '13', year: '2025' }, options)).toMatchObject({ ok: false, field: 'Month' })
    expect(parseDateParts({ day: 'x', month: '1', year: '2025' }, options)).toMatchObject({ ok: false, field: 'Day' })
    expect(parseDateParts({ day: '1', month: '1', year: '1999' }, options)).toMatchObject({
      ok: false,
      field: 'Year',
      message: 'Date received must be on or after 2000',
    })
    expect(parseDateParts({ day: '', month: '', year: '2025' }, options)).toMatchObject({
      ok: false,
      field: 'Day',
      message: 'Date received must include a day and month',
    })
  })
})

describe('finance CSV files', () => {
  it('writes pence as pounds with two decimals and no £ sign', () => {
    expect(poundsText(123_450)).toBe('1234.50')
    expect(poundsText(5)).toBe('0.05')
    expect(poundsText(0)).toBe('0.00')
    expect(poundsText(-1_230)).toBe('-12.30')
    expect(() => poundsText(1.5)).toThrow(RangeError)
  })

  it('quotes commas, quotes and line breaks, and defuses formulas, but not negative money', () => {
    expect(csvCell('St Mary’s, Coventry')).toBe('"St Mary’s, Coventry"')
    expect(csvCell('The "Elm" Bank')).toBe('"The ""Elm"" Bank"')
    expect(csvCell('line one\nline two')).toBe('"line one\nline two"')
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`)
    expect(csvCell('-1+1')).toBe("'-1+1")
    expect(csvCell({ pence: -1_230 })).toBe('-12.30')
    expect(csvCell(null)).toBe('')
    expect(csvCell(3)).toBe('3')
  })

  it('starts with a byte-order mark and ends every line with CRLF', () => {
    expect(buildCsv(['a', 'b'], [['1', { pence: 100 }]])).toBe('\uFEFFa,b\r\n1,1.00\r\n')
  })
})
