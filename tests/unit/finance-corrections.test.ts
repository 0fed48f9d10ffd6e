import { describe, expect, it } from 'vitest'
import {
  allocationProblem,
  creditLeftPence,
  creditProblem,
  isOverdueDebt,
  partCreditVat,
  refundOnCredit,
  refundProblem,
  voidProblem,
  writeOffProblem,
} from '~/domain/finance'
import { invoiceSettingsProblems } from '~/domain/invoicing'

describe('credit left to issue', () => {
  it('is the invoice total less the credit notes already issued', () => {
    expect(creditLeftPence({ status: 'open', grossPence: 12_000, amountCreditedPence: 2_000 })).toBe(10_000)
    expect(creditLeftPence({ status: 'paid', grossPence: 12_000, amountCreditedPence: 0 })).toBe(12_000)
    expect(creditLeftPence({ status: 'credited', grossPence: 12_000, amountCreditedPence: 12_000 })).toBe(0)
  })
  it('is nothing on a void invoice', () => {
    expect(creditLeftPence({ status: 'void', grossPence: 12_000, amountCreditedPence: 0 })).toBe(0)
  })
  it('refuses a credit above what is left, or of nothing', () => {
    expect(creditProblem(10_001, 10_000)).toBe('too_much')
    expect(creditProblem(0, 10_000)).toBe('not_positive')
    expect(creditProblem(-5, 10_000)).toBe('not_positive')
    expect(creditProblem(10_000, 10_000)).toBeNull()
    expect(creditProblem(1, 10_000)).toBeNull()
  })
})

describe('part credit VAT split', () => {
  const invoice = { grossPence: 12_000, vatPence: 2_000, amountCreditedPence: 0, vatCreditedPence: 0 }
  it('splits a part credit in the invoice’s proportion of VAT, net + VAT = the credit', () => {
    expect(partCreditVat(6_000, invoice)).toEqual({ netPence: 5_000, vatPence: 1_000, grossPence: 6_000 })
    const odd = partCreditVat(1_001, invoice)
    expect(odd.vatPence).toBe(167) // 1001 × 2000 / 12000 = 166.83
    expect(odd.netPence + odd.vatPence).toBe(1_001)
  })
  it('credits exactly the VAT left when the rest is credited, so the credit notes add up to the invoice', () => {
    const first = partCreditVat(1_001, invoice)
    const second = partCreditVat(1_001, { ...invoice, amountCreditedPence: 1_001, vatCreditedPence: first.vatPence })
    const rest = partCreditVat(12_000 - 2_002, { ...invoice, amountCreditedPence: 2_002, vatCreditedPence: first.vatPence + second.vatPence })
    expect(first.vatPence + second.vatPence + rest.vatPence).toBe(2_000)
    expect(first.netPence + second.netPence + rest.netPence).toBe(10_000)
  })
  it('gives no VAT on an invoice without VAT', () => {
    expect(partCreditVat(500, { grossPence: 1_000, vatPence: 0, amountCreditedPence: 0, vatCreditedPence: 0 })).toEqual({
      netPence: 500,
      vatPence: 0,
      grossPence: 500,
    })
  })
})

describe('refund on a credit against a paid invoice', () => {
  it('refunds the part of the credit the invoice was already paid, so it is never overpaid', () => {
    expect(refundOnCredit(3_000, { grossPence: 10_000, amountPaidPence: 10_000, amountCreditedPence: 0 })).toBe(3_000)
    expect(refundOnCredit(3_000, { grossPence: 10_000, amountPaidPence: 8_000, amountCreditedPence: 0 })).toBe(1_000)
    expect(refundOnCredit(3_000, { grossPence: 10_000, amountPaidPence: 0, amountCreditedPence: 0 })).toBe(0)
  })
})

describe('write-off allowed', () => {
  it('only an open invoice that still owes something', () => {
    expect(writeOffProblem({ status: 'open', grossPence: 1_000, amountPaidPence: 400, amountCreditedPence: 0 })).toBeNull()
    expect(writeOffProblem({ status: 'open', grossPence: 1_000, amountPaidPence: 0, amountCreditedPence: 0 })).toBeNull()
    expect(writeOffProblem({ status: 'paid', grossPence: 1_000, amountPaidPence: 1_000, amountCreditedPence: 0 })).toBe('not_open')
    expect(writeOffProblem({ status: 'uncollectible', grossPence: 1_000, amountPaidPence: 0, amountCreditedPence: 0 })).toBe('not_open')
    expect(writeOffProblem({ status: 'void', grossPence: 1_000, amountPaidPence: 0, amountCreditedPence: 0 })).toBe('not_open')
    expect(writeOffProblem({ status: 'open', grossPence: 1_000, amountPaidPence: 500, amountCreditedPence: 500 })).toBe('nothing_owed')
  })
})

describe('void allowed', () => {
  it('only an open invoice with nothing paid or credited, whose journal is not posted', () => {
    expect(voidProblem({ status: 'open', amountPaidPence: 0, amountCreditedPence: 0 }, false)).toBeNull()
    expect(voidProblem({ status: 'open', amountPaidPence: 1, amountCreditedPence: 0 }, false)).toBe('paid_or_credited')
    expect(voidProblem({ status: 'open', amountPaidPence: 0, amountCreditedPence: 1 }, false)).toBe('paid_or_credited')
    expect(voidProblem({ status: 'paid', amountPaidPence: 0, amountCreditedPence: 0 }, false)).toBe('not_open')
    expect(voidProblem({ status: 'open', amountPaidPence: 0, amountCreditedPence: 0 }, true)).toBe('journal_posted')
  })
})

describe('allocation fits', () => {
  const due = (invoiceId: string, amountPence: number, amountDuePence: number) => ({ invoiceId, amountPence, amountDuePence })
  it('allows allocations each within what its invoice owes and together within the payment', () => {
    expect(allocationProblem([due('a', 500, 500), due('b', 700, 1_000)], 1_234)).toBeNull()
  })
  it('refuses an allocation above the payment’s unallocated amount', () => {
    expect(allocationProblem([due('a', 1_000, 1_000), due('b', 300, 1_000)], 1_234)).toEqual({ kind: 'above_payment', unallocatedPence: 1_234 })
  })
  it('refuses an allocation above what the invoice owes, or of nothing', () => {
    expect(allocationProblem([due('a', 600, 500)], 1_234)).toEqual({ kind: 'above_due', invoiceId: 'a', amountDuePence: 500 })
    expect(allocationProblem([due('a', 0, 500)], 1_234)).toEqual({ kind: 'not_positive', invoiceId: 'a' })
    expect(allocationProblem([], 1_234)).toEqual({ kind: 'none' })
  })
})

describe('refund fits', () => {
  it('refunds no more than the payment has unallocated', () => {
    expect(refundProblem(1_234, 1_234)).toBeNull()
    expect(refundProblem(1_235, 1_234)).toBe('too_much')
    expect(refundProblem(0, 1_234)).toBe('not_positive')
  })
})

describe('overdue filter', () => {
  const base = { grossPence: 1_000, amountPaidPence: 0, amountCreditedPence: 0 }
  it('an open invoice past its due date with something still owed', () => {
    expect(isOverdueDebt({ ...base, status: 'open', dueOn: '2026-11-21' }, '2026-11-22')).toBe(true)
    expect(isOverdueDebt({ ...base, status: 'open', dueOn: '2026-11-22' }, '2026-11-22')).toBe(false)
    expect(isOverdueDebt({ ...base, status: 'uncollectible', dueOn: '2026-01-01' }, '2026-11-22')).toBe(false)
    expect(isOverdueDebt({ ...base, amountPaidPence: 1_000, status: 'open', dueOn: '2026-01-01' }, '2026-11-22')).toBe(false)
  })
})

describe('invoice settings valid', () => {
  const good = {
    vatNumber: 'GB123456789',
    bankName: 'Lloyds Bank',
    sortCode: '30-96-26',
    accountNumber: '12345678',
    accountName: 'Coventry City Council',
    remittanceAddress: 'Council House, Coventry',
    remittanceEmail: 'remittances@coventry.example',
    daysToPay: '30',
  }
  it('accepts a UK VAT number, a 6-digit sort code, an 8-digit account and 1 to 120 days to pay', () => {
    expect(invoiceSettingsProblems(good)).toEqual({})
    expect(invoiceSettingsProblems({ ...good, vatNumber: 'GB 123 4567 89', sortCode: '309626', daysToPay: '120' })).toEqual({})
  })
  it('refuses anything else, field by field', () => {
    const problems = invoiceSettingsProblems({ ...good, vatNumber: 'GB 000', sortCode: '30-96', accountNumber: '1234', daysToPay: '121' })
    expect(Object.keys(problems).sort()).toEqual(['accountNumber', 'daysToPay', 'sortCode', 'vatNumber'])
    expect(invoiceSettingsProblems({ ...good, daysToPay: '0' })).toHaveProperty('daysToPay')
    expect(invoiceSettingsProblems({ ...good, remittanceEmail: 'nope' })).toHaveProperty('remittanceEmail')
  })
})
