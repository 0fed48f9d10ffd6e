import { describe, expect, it } from 'vitest'
import { mayApprove, orderedBy } from '~/domain/approvals'

describe('segregation of duties: nobody approves an order they placed', () => {
  const head = { userId: 'head' }

  it('an order submitted by someone else may be approved', () => {
    expect(mayApprove({ submittedBy: 'buyer', createdBy: 'buyer' }, head)).toBe(true)
  })

  it('an order the approver submitted may not', () => {
    expect(mayApprove({ submittedBy: 'head', createdBy: 'head' }, head)).toBe(false)
  })

  it('whoever submitted it counts, not whoever started the basket', () => {
    expect(mayApprove({ submittedBy: 'head', createdBy: 'buyer' }, head)).toBe(false)
    expect(mayApprove({ submittedBy: 'buyer', createdBy: 'head' }, head)).toBe(true)
  })

  it('with no submitter recorded, the creator may not approve it', () => {
    expect(orderedBy({ submittedBy: null, createdBy: 'head' })).toBe('head')
    expect(mayApprove({ submittedBy: null, createdBy: 'head' }, head)).toBe(false)
  })

  it('an order nobody at the school placed (the council’s) may be approved', () => {
    expect(mayApprove({ submittedBy: null, createdBy: null }, head)).toBe(true)
  })
})
